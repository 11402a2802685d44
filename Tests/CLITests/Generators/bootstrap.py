#!/usr/bin/env python3
"""A protocol-1 test generator for any `data`: resamples the training file's rows (or,
for `data: text`, its documents, one a line) with replacement (numpy's PCG64 seeded from
the request's seed). The trivial generator of `collapse bench`'s protocol kernel, and
the table and text tests'.

options: fault: new_category makes generation 1's output's last cell a label the
training file does not hold (for the category check); fault: new_token appends a word
the training file does not hold to generation 1's first document (the token check)."""
import json
import sys

import numpy as np


def main():
    options, data = {}, "table"
    for line in sys.stdin:
        req = json.loads(line)
        if req["op"] == "hello":
            options, data = req.get("options", {}), req.get("data", "table")
            sys.stdout.write(json.dumps({"ok": True, "name": "bootstrap", "version": "1"}) + "\n")
            sys.stdout.flush()
            continue
        with open(req["train"], "rb") as f:
            lines = f.read().split(b"\n")
        if data == "text":
            header, rows = None, lines[:-1]  # every line a document (blank ones too); the last is the final line end's
        else:
            header, rows = lines[0], [r for r in lines[1:] if r]
        rng = np.random.Generator(np.random.PCG64(req["seed"]))
        pick = rng.integers(0, len(rows), size=req["count"])
        out = [rows[i] for i in pick]
        if options.get("fault") == "new_category" and req["generation"] == 1:
            plain = next(r for r in rows if b'"' not in r)
            out[0] = plain.rsplit(b",", 1)[0] + b",never-seen"
        if options.get("fault") == "new_token" and req["generation"] == 1:
            out[0] = out[0] + b" zyzzyva"
        with open(req["out"], "wb") as f:
            f.write((header + b"\n" if header is not None else b"") + b"".join(r + b"\n" for r in out))
        sys.stdout.write('{"ok": true}\n')
        sys.stdout.flush()


if __name__ == "__main__":
    main()
