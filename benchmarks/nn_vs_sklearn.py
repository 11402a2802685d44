#!/usr/bin/env python3
"""The distance attack's nearest-neighbour search against scikit-learn.

collapse's `privacy.nn.d{2,10,64}` bench kernels (exact nearest neighbour of 10^4 query
rows among 10^4 reference rows of N(0, I_d), one thread) against
sklearn.neighbors.NearestNeighbors(n_neighbors=1) with its default algorithm ('auto':
a k-d tree or ball tree in low dimension, brute force in high), n_jobs=1, fitted to
points of the same shape; the fit is timed with the query, as the attack needs both
each generation. Median of --runs.

    python3 benchmarks/nn_vs_sklearn.py [--runs 5] [--collapse .build/release/collapse]
"""
import argparse
import os
import re
import subprocess
import time

import numpy as np

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
from sklearn.neighbors import NearestNeighbors  # noqa: E402


def sklearn_rate(d, m, runs):
    rng = np.random.default_rng(d)
    queries, reference = rng.standard_normal((m, d)), rng.standard_normal((m, d))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        nn = NearestNeighbors(n_neighbors=1, n_jobs=1).fit(reference)
        nn.kneighbors(queries)
        times.append(time.perf_counter() - start)
    return m / sorted(times)[len(times) // 2], nn._fit_method


def collapse_rates(binary, runs):
    kernels = sum((["--kernel", f"privacy.nn.d{d}"] for d in (2, 10, 64)), [])
    out = subprocess.run([binary, "bench", *kernels, "--runs", str(runs)], check=True, capture_output=True, text=True).stdout
    rates = {}
    for line in out.splitlines():
        match = re.match(r"privacy\.nn\.d(\d+)\s+([\d.]+)([kM]?) queries/s", line)
        if match:
            scale = {"": 1, "k": 1e3, "M": 1e6}[match.group(3)]
            rates[int(match.group(1))] = float(match.group(2)) * scale
    return rates


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--collapse", default=".build/release/collapse")
    args = parser.parse_args()
    ours = collapse_rates(args.collapse, args.runs)
    print(f"{'d':>3} {'collapse (queries/s)':>22} {'scikit-learn (queries/s)':>26} {'algorithm':>10} {'ratio':>7}")
    for d in (2, 10, 64):
        theirs, method = sklearn_rate(d, 10_000, args.runs)
        print(f"{d:>3} {ours[d]:>22.0f} {theirs:>26.0f} {method:>10} {ours[d] / theirs:>6.2f}x")


if __name__ == "__main__":
    main()
