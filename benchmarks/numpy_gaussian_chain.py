#!/usr/bin/env python3
"""The Gaussian model-collapse chain of benchmarks/gaussian-chain.yaml, written in
plain vectorised numpy: "what a user would otherwise write".

Real data N(0, 1). Generation 0 fits the MLE mean and variance (divide by n) to n real
draws per replicate; for t = 1..G each replicate draws n points from
N(mu_{t-1}, var_{t-1}) and refits. For every generation t = 0..G it records the metrics
collapse writes (kl, mean, tail_mass_ratio, variance, w2) and at the end writes a
long-format CSV: replicate,generation,metric,value.

One thread: numpy's generator and reductions run on one core.
Wall times of the chain and of the CSV write go to stderr.
"""
import argparse
import sys
import time

import numpy as np
from scipy.special import ndtr
from scipy.stats import norm

METRICS = ["kl", "mean", "tail_mass_ratio", "variance", "w2"]  # collapse's order


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--replicates", type=int, default=200)
    p.add_argument("--generations", type=int, default=100)
    p.add_argument("--samples", type=int, default=10000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True, help="CSV file to write")
    a = p.parse_args()
    R, G, n = a.replicates, a.generations, a.samples

    t0 = time.perf_counter()
    rng = np.random.default_rng(a.seed)
    q01, q99 = norm.ppf(0.01), norm.ppf(0.99)
    mus = np.empty((G + 1, R))
    variances = np.empty((G + 1, R))
    mu, sd = np.zeros(R), np.ones(R)  # generation 0 draws from the real N(0, 1)
    for t in range(G + 1):
        x = rng.standard_normal((R, n))
        x *= sd[:, None]
        x += mu[:, None]
        mu = x.mean(axis=1)
        var = x.var(axis=1)  # ddof = 0: the MLE
        mus[t], variances[t] = mu, var
        sd = np.sqrt(var)

    sds = np.sqrt(variances)
    values = {
        "kl": 0.5 * (np.log(variances) + (1.0 + mus**2) / variances - 1.0),
        "mean": mus,
        "tail_mass_ratio": (ndtr((q01 - mus) / sds) + ndtr(-(q99 - mus) / sds)) / 0.02,
        "variance": variances,
        "w2": np.sqrt(mus**2 + (sds - 1.0) ** 2),
    }
    t1 = time.perf_counter()

    # Long format, rows ordered by replicate, generation, metric (as collapse's metrics.csv).
    M = len(METRICS)
    stacked = np.stack([values[m] for m in METRICS], axis=-1)  # (G+1, R, M)
    stacked = stacked.transpose(1, 0, 2).reshape(-1)  # (R, G+1, M) flattened
    rep = np.repeat(np.arange(R), (G + 1) * M)
    gen = np.tile(np.repeat(np.arange(G + 1), M), R)
    met = np.tile(np.array(METRICS, dtype=object), R * (G + 1))
    table = np.empty((stacked.size, 4), dtype=object)
    table[:, 0], table[:, 1], table[:, 2], table[:, 3] = rep, gen, met, stacked
    np.savetxt(a.out, table, fmt=["%d", "%d", "%s", "%.17g"], delimiter=",",
               header="replicate,generation,metric,value", comments="")
    t2 = time.perf_counter()

    print(f"numpy chain: {t1 - t0:.3f} s ({R} replicates x {G} generations x n = {n})", file=sys.stderr)
    print(f"numpy write: {t2 - t1:.3f} s ({stacked.size} rows to {a.out})", file=sys.stderr)


if __name__ == "__main__":
    main()
