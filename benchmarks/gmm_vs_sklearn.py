#!/usr/bin/env python3
"""Times one 2-component, 1-D Gaussian-mixture EM fit with scikit-learn against
`collapse bench --kernel gmm.fit` on the same points and settings.

Data: `--points` draws of 0.7*N(-3, 1) + 0.3*N(3, 1) from numpy (seed 1), written to a
temp file (one number per line, '%.17g') that collapse reads with --gmm-data.
Settings on both sides: k = 2, full covariance, tol 1e-3, max_iter 100,
reg_covar 1e-6, one k-means++ initialisation.

Single-threaded on both sides: collapse's gmm.fit uses one thread, so BLAS/OpenMP
thread pools are pinned to one thread before numpy and scikit-learn are imported.
Needs scikit-learn (pip install scikit-learn).
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy / sklearn are imported

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

try:
    import sklearn
    from sklearn.mixture import GaussianMixture
except ImportError:
    sys.exit("error: scikit-learn is not installed; run: pip install scikit-learn")

SI = {"": 1.0, "k": 1e3, "M": 1e6, "G": 1e9}


MIXTURES = {
    # name: (weight of the first component, its mean, the second's mean); unit sds
    "separated": (0.7, -3.0, 3.0),    # EM converges in a few iterations
    "overlapping": (0.5, -1.0, 1.0),  # EM needs many: the per-iteration cost dominates
}


def draw(points: int, mixture: str) -> np.ndarray:
    w, m1, m2 = MIXTURES[mixture]
    rng = np.random.default_rng(1)
    first = rng.random(points) < w
    return np.where(first, rng.normal(m1, 1.0, points), rng.normal(m2, 1.0, points))


def sklearn_fit(X: np.ndarray, seed: int) -> GaussianMixture:
    gm = GaussianMixture(n_components=2, covariance_type="full", tol=1e-3, max_iter=100,
                         reg_covar=1e-6, n_init=1, init_params="k-means++", random_state=seed)
    return gm.fit(X)


def collapse_seconds_per_fit(output: str) -> tuple[float, str]:
    lines = output.splitlines()
    if not any(line.startswith("kernel") for line in lines):
        raise ValueError("no header line starting with 'kernel' in collapse bench output")
    for line in lines:
        if line.startswith("gmm.fit"):
            m = re.match(r"gmm\.fit\s+([0-9.eE+-]+)([kMG]?)\s+fits/s", line)
            if not m:
                raise ValueError(f"cannot parse gmm.fit line: {line!r}")
            rate = float(m.group(1)) * SI[m.group(2)]
            return 1.0 / rate, line
    raise ValueError("no gmm.fit line in collapse bench output")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--points", type=int, default=10000)
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--collapse", default=".build/release/collapse")
    p.add_argument("--mixture", choices=sorted(MIXTURES), default="separated")
    a = p.parse_args()
    if not (os.path.isfile(a.collapse) and os.access(a.collapse, os.X_OK)):
        sys.exit(f"error: collapse binary '{a.collapse}' not found; build it with: swift build -c release")

    x = draw(a.points, a.mixture)
    X = x.reshape(-1, 1)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", prefix="gmm-data-", delete=False) as f:
        np.savetxt(f, x, fmt="%.17g")
        data_path = f.name
    try:
        sklearn_fit(X, 0)  # warm-up
        times, iters = [], []
        for i in range(a.runs):
            t0 = time.perf_counter()
            gm = sklearn_fit(X, i)
            times.append(time.perf_counter() - t0)
            iters.append(gm.n_iter_)
        sk = statistics.median(times)

        cmd = [a.collapse, "bench", "--kernel", "gmm.fit", "--gmm-data", data_path, "--runs", str(a.runs)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        co, line = collapse_seconds_per_fit(out)
    finally:
        os.unlink(data_path)

    w, m1, m2 = MIXTURES[a.mixture]
    print(f"GMM fit: k = 2, full covariance, tol 1e-3, max_iter 100, reg_covar 1e-6, k-means++ init, "
          f"n = {a.points} (1-D, {w:g}*N({m1:g},1) + {1 - w:g}*N({m2:g},1), numpy seed 1)")
    print("single-threaded: OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = MKL_NUM_THREADS = 1 "
          "(collapse's gmm.fit is one thread)")
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; "
          f"{a.runs} runs per side after one warm-up, median")
    print(f"collapse: {' '.join(cmd[:4])} --gmm-data FILE --runs {a.runs}")
    print(f"  -> {line.strip()}")
    print()
    print(f"{'side':<14} {'s per fit':>12} {'fits/s':>10} {'EM iterations':>14}")
    print(f"{'scikit-learn':<14} {sk:>12.6f} {1 / sk:>10.1f} {statistics.median(iters):>14g}")
    it = re.search(r"(\d+) EM iterations", line)
    print(f"{'collapse':<14} {co:>12.6f} {1 / co:>10.1f} {it.group(1) if it else 'n/a':>14}")
    print(f"speed-up sklearn / collapse: {sk / co:.2f}x")


if __name__ == "__main__":
    main()
