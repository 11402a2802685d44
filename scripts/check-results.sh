#!/usr/bin/env bash
# Re-runs every experiment in experiments/ into a temporary folder and compares the
# files it writes with the committed results/<name>/ byte for byte: metrics.csv,
# summary.csv, cells.csv, events.csv, samples.csv, theory.csv, and the manifest's config and
# config_hash (its times, command and commit differ by nature).
#
#   scripts/check-results.sh [NAME…]     (default: every experiment)
#
# Needs a release build (swift build -c release). Exit 1 when any file differs.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/collapse
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in experiments/*.yaml; do names+=("$(basename "$f" .yaml)"); done
fi
status=0
for name in "${names[@]}"; do
  out="$TMP/$name"
  "$BIN" run "experiments/$name.yaml" --out "$out" --quiet || { echo "$name: run failed"; status=1; continue; }
  "$BIN" theory "experiments/$name.yaml" --out "$out" >/dev/null || { echo "$name: theory failed"; status=1; continue; }
  differ=()
  for f in metrics.csv summary.csv cells.csv events.csv samples.csv theory.csv; do
    if [ -e "results/$name/$f" ] || [ -e "$out/$f" ]; then
      cmp -s "results/$name/$f" "$out/$f" || differ+=("$f")
    fi
  done
  manifest_part() { python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(json.dumps([m["config"], m["config_hash"], m["cells"]], sort_keys=True))' "$1"; }
  [ "$(manifest_part "results/$name/manifest.json")" = "$(manifest_part "$out/manifest.json")" ] || differ+=("manifest.json (config, config_hash or cells)")
  if [ ${#differ[@]} -eq 0 ]; then echo "$name: identical"; else echo "$name: DIFFERS: ${differ[*]}"; status=1; fi
done
exit $status
