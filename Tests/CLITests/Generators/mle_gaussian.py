#!/usr/bin/env python3
"""A protocol-1 test generator: the MLE Gaussian (mean and covariance with divisor n) of
`data: vector` training files, sampled with numpy's PCG64 seeded from the request's seed.

options (all optional), for the fault tests:
  fault: crash | hang | garbage | short | nan | error | hello_fail | hello_garbage
  at: the generation the fault strikes (default 0)
  replicate: the replicate it strikes (default: every replicate)
  pidfile: a file to which the process appends its pid at start (relative: to its
           working directory, which collapse makes the config's folder)
  sleep: seconds to sleep in every fit_sample (default 0)
"""
import json
import os
import sys
import time

import numpy as np


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    options = {}
    for line in sys.stdin:
        req = json.loads(line)
        if req["op"] == "hello":
            options = req.get("options", {})
            if "pidfile" in options:
                with open(options["pidfile"], "a") as f:
                    f.write(f"{os.getpid()}\n")
            fault = options.get("fault")
            if fault == "hello_fail":
                sys.stderr.write("cannot load the model weights\n")
                sys.stderr.flush()
                reply({"ok": False, "error": "no weights"})
                continue
            if fault == "hello_garbage":
                sys.stderr.write("about to print garbage\n")
                sys.stdout.write("hello yourself\n")
                sys.stdout.flush()
                continue
            ok = req.get("protocol") == 1 and req.get("data") == "vector" and os.environ.get("COLLAPSE_PROTOCOL") == "1"
            reply({"ok": ok, "name": "mle-gaussian", "version": "1.0"} if ok
                  else {"ok": False, "error": "want protocol 1, vector, COLLAPSE_PROTOCOL=1"})
            continue
        if req["op"] != "fit_sample":
            reply({"ok": False, "error": "unknown op " + req["op"]})
            continue
        if options.get("sleep"):
            time.sleep(float(options["sleep"]))
        replicate = int(req["chain"].rsplit("-", 1)[1])
        fault = options.get("fault")
        strikes = fault is not None and req["generation"] == options.get("at", 0) and \
            options.get("replicate", replicate) == replicate
        x = np.loadtxt(req["train"], delimiter=",", skiprows=1, ndmin=2)
        d = x.shape[1]
        mean = x.mean(axis=0)
        cov = np.atleast_2d(np.cov(x, rowvar=False, bias=True))
        rng = np.random.Generator(np.random.PCG64(req["seed"]))
        m = req["count"]
        y = mean + rng.standard_normal((m, d)) @ np.linalg.cholesky(cov + 1e-300 * np.eye(d)).T
        if strikes:
            sys.stderr.write(f"fault {fault} at generation {req['generation']} of chain {req['chain']}\n")
            sys.stderr.flush()
            if fault == "crash":
                sys.exit(3)
            if fault == "hang":
                time.sleep(3600)
            if fault == "garbage":
                sys.stdout.write("this is not json\n")
                sys.stdout.flush()
                continue
            if fault == "error":
                reply({"ok": False, "error": "the fit diverged"})
                continue
            if fault == "short":
                y = y[: m - 1]
            if fault == "nan":
                y[m // 2, 0] = np.nan
        header = ",".join(f"x{j + 1}" for j in range(d))
        np.savetxt(req["out"], y, delimiter=",", header=header, comments="", fmt="%.17g")
        reply({"ok": True})


if __name__ == "__main__":
    main()
