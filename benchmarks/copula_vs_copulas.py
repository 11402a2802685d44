#!/usr/bin/env python3
"""Times one Gaussian-copula fit plus sampling as many rows on UCI Adult with the PyPI
package `copulas` (GaussianMultivariate, the model behind SDV's GaussianCopulaSynthesizer)
against `collapse bench --kernel copula.normal / copula.empirical` on the same file.

Data: the six numeric columns of data/adult.csv (`make data`), all 32,561 rows, written to
a temp CSV that both sides read (copulas models numeric columns only). The pairs timed:

  copula.normal     vs  GaussianMultivariate(distribution=GaussianUnivariate)   (normal marginals on both sides)
  copula.empirical  vs  GaussianMultivariate()   (each side's default marginals:
                        collapse's empirical CDF, copulas' Univariate, which picks the
                        best-fitting of its parametric families per column)

Each copulas run is fit(df) + sample(len(df)); the median of --runs runs is reported. The
collapse row is also run on the full table (15 columns, nine categorical, rows with a
missing cell dropped), which copulas cannot fit.

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
runs = int(sys.argv[2])
for name, make in [("normal", lambda: GaussianMultivariate(distribution=GaussianUnivariate)),
                   ("default", lambda: GaussianMultivariate())]:
    times = []
    for r in range(runs + 1):
        np.random.seed(r)
        start = time.perf_counter()
        model = make()
        model.fit(df)
        model.sample(len(df))
        if r > 0:
            times.append(time.perf_counter() - start)
    print(name, statistics.median(times), copulas.__version__, flush=True)
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
            m = re.search(r"([0-9.]+) ([kMG]?)rows/s", line)
            return float(m.group(1)) * SI[m.group(2)], line.split("  ")[-1].strip()
    sys.exit(f"error: no {kernel} line in:\n{out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--collapse", default=os.path.join(ROOT, ".build/release/collapse"))
    parser.add_argument("--data", default=os.path.join(ROOT, "data/adult.csv"))
    args = parser.parse_args()
    if not os.path.exists(args.data):
        sys.exit(f"error: {args.data} is missing; run: make data")
    with tempfile.TemporaryDirectory() as folder:
        numeric = os.path.join(folder, "adult-numeric.csv")
        with open(args.data, newline="") as f, open(numeric, "w", newline="") as g:
            reader = csv.DictReader(f)
            writer = csv.writer(g)
            writer.writerow(NUMERIC)
            rows = 0
            for row in reader:
                writer.writerow([row[c] for c in NUMERIC])
                rows += 1
        python = python_with_copulas(folder)
        timed = subprocess.run([python, "-c", TIMER, numeric, str(args.runs)], capture_output=True, text=True, check=True)
        theirs = {}
        version = "?"
        for line in timed.stdout.splitlines():
            name, seconds, version = line.split()
            theirs[name] = float(seconds)
        print(f"Adult, {rows} rows x {len(NUMERIC)} numeric columns, fit + sample {rows} rows, one thread, median of {args.runs}")
        print(f"{'collapse kernel':<18} {'collapse s':>10} {'copulas ' + version:<40} {'copulas s':>10} {'ratio':>8}")
        for kernel, other, label in [("copula.normal", "normal", "GaussianMultivariate(GaussianUnivariate)"),
                                     ("copula.empirical", "default", "GaussianMultivariate() (Univariate)")]:
            rate, _ = collapse_rows_per_second(args.collapse, kernel, numeric, args.runs)
            ours = rows / rate
            print(f"{kernel:<18} {ours:>10.4f} {label:<40} {theirs[other]:>10.3f} {theirs[other] / ours:>7.0f}x")
        rate, setup = collapse_rows_per_second(args.collapse, "copula.empirical", args.data, args.runs)
        print(f"full table: {setup} ({rate:,.0f} rows/s)")


if __name__ == "__main__":
    main()
