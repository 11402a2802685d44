#!/usr/bin/env python3
"""A protocol-1 test generator for any `data`: resamples the training file's rows with
replacement (numpy's PCG64 seeded from the request's seed). The trivial generator of
`collapse bench`'s protocol kernel, and the table test's."""
import json
import sys

import numpy as np


def main():
    for line in sys.stdin:
        req = json.loads(line)
        if req["op"] == "hello":
            sys.stdout.write(json.dumps({"ok": True, "name": "bootstrap", "version": "1"}) + "\n")
            sys.stdout.flush()
            continue
        with open(req["train"], "rb") as f:
            lines = f.read().split(b"\n")
        header, rows = lines[0], [r for r in lines[1:] if r]
        rng = np.random.Generator(np.random.PCG64(req["seed"]))
        pick = rng.integers(0, len(rows), size=req["count"])
        with open(req["out"], "wb") as f:
            f.write(header + b"\n" + b"\n".join(rows[i] for i in pick) + b"\n")
        sys.stdout.write('{"ok": true}\n')
        sys.stdout.flush()


if __name__ == "__main__":
    main()
