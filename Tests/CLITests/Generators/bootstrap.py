#!/usr/bin/env python3
"""A protocol-1 test generator for any `data`: resamples the training file's rows with
replacement (numpy's PCG64 seeded from the request's seed). The trivial generator of
`collapse bench`'s protocol kernel, and the table test's.

options: fault: new_category makes generation 1's output's last cell a label the
training file does not hold (for the category check)."""
import json
import sys

import numpy as np


def main():
    options = {}
    for line in sys.stdin:
        req = json.loads(line)
        if req["op"] == "hello":
            options = req.get("options", {})
            sys.stdout.write(json.dumps({"ok": True, "name": "bootstrap", "version": "1"}) + "\n")
            sys.stdout.flush()
            continue
        with open(req["train"], "rb") as f:
            lines = f.read().split(b"\n")
        header, rows = lines[0], [r for r in lines[1:] if r]
        rng = np.random.Generator(np.random.PCG64(req["seed"]))
        pick = rng.integers(0, len(rows), size=req["count"])
        out = [rows[i] for i in pick]
        if options.get("fault") == "new_category" and req["generation"] == 1:
            plain = next(r for r in rows if b'"' not in r)
            out[0] = plain.rsplit(b",", 1)[0] + b",never-seen"
        with open(req["out"], "wb") as f:
            f.write(header + b"\n" + b"\n".join(out) + b"\n")
        sys.stdout.write('{"ok": true}\n')
        sys.stdout.flush()


if __name__ == "__main__":
    main()
