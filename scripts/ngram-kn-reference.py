#!/usr/bin/env python3
"""Exact interpolated Kneser-Ney probabilities (Chen & Goodman 1998, eq. 17, lower
orders by continuation counts, the recursion ended at the uniform distribution) on the
toy corpus of NGramTests.kneserNeyMatchesExactValues, in rational arithmetic, written
from the formulas alone (not from the Swift code). Prints the values the test pins.

    python3 scripts/ngram-kn-reference.py
"""
from collections import defaultdict
from fractions import Fraction

V = 3                    # tokens a=0, b=1, c=2
END, BEGIN = V, V + 1    # </s> = 3 (predicted), <s> = 4 (context only)
PREDICTED = list(range(V + 1))
DOCS = [[0, 1, 2], [0, 1], [1, 2, 0], [2], [0, 1, 1, 2]]
N, D = 3, Fraction(3, 4)

# Every event: (history of N-1 tokens, token), with N-1 begin tokens and one end token.
events = []
for doc in DOCS:
    s = [BEGIN] * (N - 1) + doc + [END]
    for i in range(N - 1, len(s)):
        events.append((tuple(s[i - N + 1:i]), s[i]))

# Raw counts of the N-grams.
c = defaultdict(int)
for h, w in events:
    c[h + (w,)] += 1
# Continuation counts of every lower-order k-gram g: distinct x with x+g a (k+1)-gram seen.
grams = {k: set() for k in range(1, N + 1)}
for h, w in events:
    full = h + (w,)
    for k in range(1, N + 1):
        grams[k].add(full[N - k:])
cont = defaultdict(int)
for k in range(2, N + 1):
    for g in grams[k]:
        cont[g[1:]] += 1


def level(k):
    """counts of order k: raw at N, continuation below."""
    return (lambda g: c.get(g, 0)) if k == N else (lambda g: cont.get(g, 0))


def p(w, h, k=N):
    """p_k(w | last k-1 tokens of h)."""
    if k == 0:
        return Fraction(1, len(PREDICTED))
    ctx = tuple(h[len(h) - (k - 1):]) if k > 1 else ()
    f = level(k)
    total = sum(f(ctx + (v,)) for v in PREDICTED)
    lower = p(w, h, k - 1)
    if total == 0:
        return lower
    distinct = sum(1 for v in PREDICTED if f(ctx + (v,)) > 0)
    return max(f(ctx + (w,)) - D, Fraction(0)) / total + D * distinct / total * lower


if __name__ == "__main__":
    contexts = [(BEGIN, BEGIN), (BEGIN, 0), (0, 1), (1, 2), (2, 2), (1, 1), (2, 0)]
    for h in contexts:
        values = [p(w, h) for w in PREDICTED]
        assert sum(values) == 1, (h, sum(values))
        print(h, ", ".join(repr(float(x)) for x in values), "  # exact:", ", ".join(str(x) for x in values))
