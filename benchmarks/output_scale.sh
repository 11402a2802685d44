#!/usr/bin/env bash
# Output at server scale (issue 19): peak RSS and wall time of `collapse run` writing
# 6 x 10^6 and 6 x 10^7 metric values (20,000 and 200,000 replicates x 101 generations
# x 3 metrics, 1-D Gaussian, exact statistics), in each form of output.metrics_file;
# then the whole-process cost per chain of sampler statistics against sampler samples
# at n = 10^5.
#
#   bash benchmarks/output_scale.sh                # FORMS="csv csv.gz none", SIZES="20000 200000"
#   SIZES=20000 FORMS=csv bash benchmarks/output_scale.sh
#   COLLAPSE=/path/to/collapse bash benchmarks/output_scale.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
collapse="${COLLAPSE:-.build/release/collapse}"
if [[ ! -x "$collapse" ]]; then
    echo "error: collapse binary '$collapse' not found; build it first: swift build -c release" >&2
    exit 1
fi
[[ -x /usr/bin/time ]] || { echo "error: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
sizes="${SIZES:-20000 200000}"
forms="${FORMS:-csv csv.gz none}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

config() {  # replicates sampler
    cat <<YAML
name: output-scale
seed: 1
replicates: $1
generations: 100
samples: ${3:-100}
model: { family: gaussian, estimator: mle }
real: { distribution: normal, mean: 0.0, sd: 1.0 }
policy: { kind: replace }
metrics: [mean, variance, w2]
sampler: $2
YAML
}

echo "machine: $(nproc) cores, $(uname -sr)"
printf '%-10s %-8s %12s %10s %12s %14s %12s\n' replicates form values wall_s peak_MB file_bytes bytes/value
for r in $sizes; do
    config "$r" statistics > "$tmp/run.yaml"
    for form in $forms; do
        rm -rf "$tmp/out"
        /usr/bin/time -f '%e %M' -o "$tmp/time" "$collapse" run "$tmp/run.yaml" --out "$tmp/out" --quiet \
            --set "output.metrics_file=$form"
        read -r wall kb < "$tmp/time"
        values=$((r * 101 * 3))
        file=0
        case "$form" in
            csv) file=$(stat -c %s "$tmp/out/metrics.csv") ;;
            csv.gz) file=$(stat -c %s "$tmp/out/metrics.csv.gz") ;;
        esac
        printf '%-10s %-8s %12s %10s %12s %14s %12s\n' "$r" "$form" "$values" "$wall" "$((kb / 1024))" "$file" \
            "$(awk -v f="$file" -v v="$values" 'BEGIN { printf "%.2f", f / v }')"
    done
done

# Whole-process cost per chain at n = 10^5: statistics (20,000 chains) against samples (20 chains).
config 20000 statistics 100000 > "$tmp/stat.yaml"
config 20 samples 100000 > "$tmp/samp.yaml"
rm -rf "$tmp/out"; /usr/bin/time -f '%e' -o "$tmp/t1" "$collapse" run "$tmp/stat.yaml" --out "$tmp/out" --quiet
rm -rf "$tmp/out"; /usr/bin/time -f '%e' -o "$tmp/t2" "$collapse" run "$tmp/samp.yaml" --out "$tmp/out" --quiet
awk -v s="$(cat "$tmp/t1")" -v p="$(cat "$tmp/t2")" 'BEGIN {
    printf "per chain, n = 10^5, G = 100: statistics %.1f us (20000 chains in %s s), samples %.1f ms (20 chains in %s s): %.0fx\n",
        s / 20000 * 1e6, s, p / 20 * 1e3, p, (p / 20) / (s / 20000) }'
