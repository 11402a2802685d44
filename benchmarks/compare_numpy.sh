#!/usr/bin/env bash
# Times `collapse run benchmarks/gaussian-chain.yaml` against the same chain written
# in plain numpy (benchmarks/numpy_gaussian_chain.py), RUNS times each, alternately,
# and prints the medians, their ratio, and a statistical check that both sides agree.
#
#   bash benchmarks/compare_numpy.sh            # RUNS=5, JOBS=$(nproc)
#   RUNS=3 JOBS=1 bash benchmarks/compare_numpy.sh
#   COLLAPSE=/path/to/collapse bash benchmarks/compare_numpy.sh
#   COLLAPSE_ARGS="--set rng=xoshiro256starstar" bash benchmarks/compare_numpy.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

collapse="${COLLAPSE:-.build/release/collapse}"
if [[ ! -x "$collapse" ]]; then
    echo "error: collapse binary '$collapse' not found or not executable." >&2
    echo "Build it first:  swift build -c release   (or set COLLAPSE=/path/to/collapse)" >&2
    exit 1
fi
python="${PYTHON:-python3}"
if ! "$python" -c 'import numpy, scipy' 2>/dev/null; then
    echo "error: $python needs numpy and scipy (pip install numpy scipy)" >&2
    exit 1
fi

runs="${RUNS:-5}"
jobs="${JOBS:-$(nproc)}"
config=benchmarks/gaussian-chain.yaml

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

collapse_times=()
numpy_times=()
echo "Gaussian chain (200 replicates x 100 generations x n = 10000), $runs runs per side, alternating" >&2
for ((i = 1; i <= runs; i++)); do
    start=$(now)
    # shellcheck disable=SC2086  # COLLAPSE_ARGS is a list of options
    "$collapse" run "$config" --out "$tmp/collapse-$i" --jobs "$jobs" --quiet ${COLLAPSE_ARGS:-}
    end=$(now)
    collapse_times+=("$(elapsed "$start" "$end")")

    start=$(now)
    "$python" benchmarks/numpy_gaussian_chain.py --out "$tmp/numpy-$i.csv" 2>"$tmp/numpy-$i.err"
    end=$(now)
    numpy_times+=("$(elapsed "$start" "$end")")
    echo "  run $i: collapse ${collapse_times[-1]} s, numpy ${numpy_times[-1]} s" >&2
done

cpu_model="$(grep -m1 -E '^(model name|Model|cpu model)[[:space:]]*:' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)"
[[ -n "$cpu_model" ]] || cpu_model="$(lscpu 2>/dev/null | awk -F: '/Model name/ { sub(/^ +/, "", $2); print $2; exit }' || true)"
[[ -n "$cpu_model" ]] || cpu_model="unknown"

COLLAPSE_TIMES="${collapse_times[*]}" NUMPY_TIMES="${numpy_times[*]}" \
JOBS_USED="$jobs" RUNS_USED="$runs" MACHINE="$(nproc) cores, $(uname -m), $cpu_model" \
COLLAPSE_CSV="$tmp/collapse-$runs/metrics.csv" NUMPY_CSV="$tmp/numpy-$runs.csv" NUMPY_ERR_DIR="$tmp" \
"$python" - <<'EOF'
import csv, glob, math, os, re, statistics

ct = [float(x) for x in os.environ["COLLAPSE_TIMES"].split()]
nt = [float(x) for x in os.environ["NUMPY_TIMES"].split()]
mc, mn = statistics.median(ct), statistics.median(nt)
jobs = os.environ["JOBS_USED"]

print(f"machine: {os.environ['MACHINE']}")
print(f"runs per side: {os.environ['RUNS_USED']} (wall clock of the whole command, median)")
print()
print(f"{'side':<34} {'median s':>9} {'min s':>8} {'max s':>8}")
print(f"{'collapse run --jobs ' + jobs:<34} {mc:>9.3f} {min(ct):>8.3f} {max(ct):>8.3f}")
print(f"{'numpy (1 thread)':<34} {mn:>9.3f} {min(nt):>8.3f} {max(nt):>8.3f}")
print(f"{'ratio numpy / collapse':<34} {mn / mc:>9.2f}")
# What numpy_gaussian_chain.py reports itself: chain and CSV write without the
# interpreter start and imports (collapse's time above includes its own writes).
inner = []
for path in glob.glob(os.path.join(os.environ["NUMPY_ERR_DIR"], "numpy-*.err")):
    text = open(path).read()
    chain = re.search(r"numpy chain: ([0-9.]+) s", text)
    write = re.search(r"numpy write: ([0-9.]+) s", text)
    if chain and write:
        inner.append((float(chain.group(1)), float(write.group(1))))
if inner:
    ch = statistics.median(c for c, _ in inner)
    wr = statistics.median(w for _, w in inner)
    print(f"(numpy in-script median: chain {ch:.3f} s + write {wr:.3f} s = {ch + wr:.3f} s, "
          f"ratio {(ch + wr) / mc:.2f}; the rest is python start-up and imports)")

def variance_at(path, generation):
    vals = []
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        gi, mi, vi = header.index("generation"), header.index("metric"), header.index("value")
        for row in r:
            if row[mi] == "variance" and int(row[gi]) == generation:
                vals.append(float(row[vi]))
    return vals

G, n = 100, 10000
theory = ((n - 1) / n) ** (G + 1)
print()
print(f"check: mean of 'variance' at generation {G} across replicates (last run of each side)")
print(f"{'side':<10} {'replicates':>10} {'mean':>10} {'std err':>10} {'(mean-theory)/se':>17}")
res = {}
for side, path in (("collapse", os.environ["COLLAPSE_CSV"]), ("numpy", os.environ["NUMPY_CSV"])):
    v = variance_at(path, G)
    m = statistics.fmean(v)
    se = statistics.stdev(v) / math.sqrt(len(v))
    res[side] = (m, se)
    print(f"{side:<10} {len(v):>10} {m:>10.5f} {se:>10.5f} {(m - theory) / se:>17.2f}")
print(f"{'theory':<10} {'':>10} {theory:>10.5f} {'':>10}   ((n-1)/n)^(G+1), n = {n}, G = {G}")
(m1, s1), (m2, s2) = res["collapse"], res["numpy"]
z = (m1 - m2) / math.hypot(s1, s2)
print(f"collapse - numpy = {m1 - m2:+.5f} = {z:+.2f} combined std errs "
      f"({'agree' if abs(z) < 3 else 'DISAGREE (|z| >= 3)'})")
EOF
