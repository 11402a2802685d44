#!/usr/bin/env python3
"""A maximum-likelihood word bigram language model over protocol 1 (`data: text`), in
plain Python with numpy: the independent twin of collapse's own `model.family: ngram`
with `order: 2, smoothing: none`, for checking one against the other
(experiments/fortunes-bigram-external.yaml against fortunes-bigram-ngram.yaml).

Fit: count every bigram of the training documents with a begin token before each
document and an end token after it; P(w | v) = c(v, w) / c(v). Sample: each document
starts after the begin token and draws the next token from P(· | previous) until the
end token or `max_length` tokens (option, default 200). Randomness: numpy's PCG64
seeded from the request's seed, so a run is reproducible.

Files: one document per line, tokens separated by single spaces (collapse writes them
so for `tokens: word`, and reads the output with the corpus's tokenizer)."""
import json
import sys

import numpy as np

BEGIN, END = "\x02", "\x03"


def fit(path):
    successors = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            tokens = [BEGIN] + line.rstrip("\n").split() + [END]
            for v, w in zip(tokens, tokens[1:]):
                row = successors.setdefault(v, {})
                row[w] = row.get(w, 0) + 1
    model = {}
    for v, row in successors.items():
        words = sorted(row)  # a fixed order, so the draws depend on the seed only
        counts = np.array([row[w] for w in words], dtype=float)
        model[v] = (words, np.cumsum(counts) / counts.sum())
    return model


def sample(model, count, max_length, rng):
    documents = []
    for _ in range(count):
        previous, out = BEGIN, []
        while len(out) < max_length:
            words, cumulative = model[previous]
            k = min(int(np.searchsorted(cumulative, rng.random(), side="right")), len(words) - 1)
            if words[k] == END:
                break
            out.append(words[k])
            previous = words[k]
        documents.append(" ".join(out))
    return documents


def main():
    max_length = 200
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "hello":
            max_length = int(request.get("options", {}).get("max_length", 200))
            ok = request.get("data") == "text"
            reply = {"ok": True, "name": "bigram-ml", "version": "1"} if ok else \
                {"ok": False, "error": "bigram_text.py needs data: text"}
        else:
            try:
                rng = np.random.Generator(np.random.PCG64(request["seed"]))
                documents = sample(fit(request["train"]), request["count"], max_length, rng)
                with open(request["out"], "w", encoding="utf-8") as f:
                    f.write("".join(d + "\n" for d in documents))
                reply = {"ok": True}
            except Exception as e:  # a failure of this request, reported, not a crash
                reply = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
