#!/usr/bin/env python3
"""Times one Gaussian-copula fit plus sampling as many rows on UCI Adult with the PyPI
package `copulas` (GaussianMultivariate, the model behind SDV's GaussianCopulaSynthesizer)
against `collapse bench --kernel copula.normal / copula.empirical` on the same file.

Data: the six numeric columns of data/adult.csv (`make data`), all 32,561 rows, written to
a temp CSV that both sides read (copulas models numeric columns only). The pairs timed:

  copula.normal     vs  GaussianMultivariate(distribution=GaussianUnivariate)   (normal marginals on both sides)
  copula.empirical  vs  the same (collapse's default marginals against copulas' fastest)

With --default-rows N, also copulas' default GaussianMultivariate() (Univariate marginals:
it picks the best-fitting of its families per column, KDE among them, and samples by
numerical inversion) against copula.empirical on the first N rows, run once: at 32,561 rows
it takes hours and over 10 GB. Each copulas run is fit(df) + sample(len(df)); the median of
--runs runs (after a warm-up) is reported. collapse is also run on the full table (15
columns, nine categorical, rows with a missing cell dropped), which copulas cannot fit.

Single-threaded on both sides: collapse's kernels use one thread, and BLAS/OpenMP pools are
pinned to one thread before numpy is imported. `copulas` is installed into a virtual
environment under the temp folder (pip install copulas) unless it is importable already.

    python3 benchmarks/copula_vs_copulas.py [--runs 3] [--collapse .build/release/collapse]
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import csv
import re
import subprocess
import sys
import tempfile
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NUMERIC = ["age", "fnlwgt", "education_num", "capital_gain", "capital_loss", "hours_per_week"]
SI = {"": 1.0, "k": 1e3, "M": 1e6, "G": 1e9}

TIMER = r"""
import os, sys, time, statistics, warnings
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = "1"
warnings.filterwarnings("ignore")
import numpy as np, pandas as pd, copulas
from copulas.multivariate import GaussianMultivariate
from copulas.univariate import GaussianUnivariate
df = pd.read_csv(sys.argv[1]).astype(float)
runs, kind = int(sys.argv[2]), sys.argv[3]
make = (lambda: GaussianMultivariate(distribution=GaussianUnivariate)) if kind == "normal" else (lambda: GaussianMultivariate())
times = []
for r in range(runs + 1):
    np.random.seed(r)
    start = time.perf_counter()
    model = make()
    model.fit(df)
    model.sample(len(df))
    if r > 0 or runs == 0:
        times.append(time.perf_counter() - start)
print(statistics.median(times), copulas.__version__, flush=True)
"""


def python_with_copulas(folder: str) -> str:
    """A python3 that imports copulas: this one, or a venv with it pip-installed."""
    if subprocess.run([sys.executable, "-c", "import copulas"], capture_output=True).returncode == 0:
        return sys.executable
    env = os.path.join(folder, "venv")
    venv.create(env, system_site_packages=True, with_pip=True)
    python = os.path.join(env, "bin", "python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "copulas"], check=True)
    return python


def collapse_rows_per_second(binary: str, kernel: str, data: str, runs: int) -> tuple[float, str]:
    out = subprocess.run([binary, "bench", "--kernel", kernel, "--runs", str(runs), "--copula-data", data],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith(kernel):
            m = re.search(r"([0-9.]+)([kMG]?) rows/s", line)
            return float(m.group(1)) * SI[m.group(2)], line.split("  ")[-1].strip()
    sys.exit(f"error: no {kernel} line in:\n{out}")


def write_numeric(source: str, target: str, limit: int | None) -> int:
    """The numeric columns of `source` (the first `limit` rows) into `target`; the row count."""
    rows = 0
    with open(source, newline="") as f, open(target, "w", newline="") as g:
        writer = csv.writer(g)
        writer.writerow(NUMERIC)
        for row in csv.DictReader(f):
            if limit is not None and rows == limit:
                break
            writer.writerow([row[c] for c in NUMERIC])
            rows += 1
    return rows


def copulas_seconds(python: str, data: str, runs: int, kind: str) -> tuple[float, str]:
    out = subprocess.run([python, "-c", TIMER, data, str(runs), kind], capture_output=True, text=True, check=True).stdout
    seconds, version = out.split()
    return float(seconds), version


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--collapse", default=os.path.join(ROOT, ".build/release/collapse"))
    parser.add_argument("--data", default=os.path.join(ROOT, "data/adult.csv"))
    parser.add_argument("--default-rows", type=int, default=0,
                        help="also time copulas' default GaussianMultivariate() (Univariate marginals) on the first N rows, "
                             "once: it is slow (about two minutes for 4,000 rows) and its memory grows with the rows")
    args = parser.parse_args()
    if not os.path.exists(args.data):
        sys.exit(f"error: {args.data} is missing; run: make data")
    with tempfile.TemporaryDirectory() as folder:
        numeric = os.path.join(folder, "adult-numeric.csv")
        rows = write_numeric(args.data, numeric, None)
        python = python_with_copulas(folder)
        theirs, version = copulas_seconds(python, numeric, args.runs, "normal")
        print(f"Adult, {rows} rows x {len(NUMERIC)} numeric columns, fit + sample {rows} rows, one thread, median of {args.runs}")
        print(f"{'collapse kernel':<18} {'collapse s':>10}   {'copulas ' + version:<42} {'copulas s':>10} {'ratio':>7}")
        label = "GaussianMultivariate(GaussianUnivariate)"
        for kernel in ["copula.normal", "copula.empirical"]:
            rate, _ = collapse_rows_per_second(args.collapse, kernel, numeric, args.runs)
            ours = rows / rate
            print(f"{kernel:<18} {ours:>10.4f}   {label:<42} {theirs:>10.4f} {theirs / ours:>6.1f}x")
        if args.default_rows > 0:
            small = os.path.join(folder, "adult-small.csv")
            n = write_numeric(args.data, small, args.default_rows)
            slow, _ = copulas_seconds(python, small, 0, "default")
            rate, _ = collapse_rows_per_second(args.collapse, "copula.empirical", small, args.runs)
            print(f"{'copula.empirical':<18} {n / rate:>10.4f}   {'GaussianMultivariate() on ' + str(n) + ' rows':<42} {slow:>10.2f} {slow * rate / n:>6.0f}x")
        rate, setup = collapse_rows_per_second(args.collapse, "copula.empirical", args.data, args.runs)
        print(f"full table: {setup} ({rate:,.0f} rows/s)")


if __name__ == "__main__":
    main()
