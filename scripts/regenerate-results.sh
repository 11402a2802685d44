#!/usr/bin/env bash
# Regenerates results/<name>/ for every experiment (or the NAMEs given) from the
# committed code: run, theory and report into a scratch folder, then replace the
# committed folder with it. Use it when a change alters what the results show, and
# commit the result; scripts/check-results.sh then finds them identical.
#
#   scripts/regenerate-results.sh [NAME…]     (default: every experiment)
#
# Builds in release mode first. The file-backed experiments need `make data`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
BIN=.build/release/collapse
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in experiments/*.yaml; do names+=("$(basename "$f" .yaml)"); done
fi
for name in "${names[@]}"; do
  out="$TMP/$name"
  "$BIN" run "experiments/$name.yaml" --out "$out" --quiet
  "$BIN" theory "experiments/$name.yaml" --out "$out" >/dev/null
  "$BIN" report "$out" >/dev/null
  rm -rf "$out/.collapse"
  rm -rf "results/$name"
  mv "$out" "results/$name"
  echo "$name: regenerated"
done
