#!/usr/bin/env bash
# `harness claims --quick`: every claim's reduced experiment (under 90 s in release on 2 cores),
# then check that every file it promises is there and not empty.
set -euo pipefail
out=/tmp/claims-ci
rm -rf "$out"
start=$SECONDS
cargo run --release -q -p harness -- claims --quick --quiet --out "$out"
echo "claims --quick: $((SECONDS - start)) s including the build"
for f in claims.md claims.json claims.html runs.csv epochs.csv; do
    test -s "$out/$f" || { echo "missing or empty: $out/$f"; exit 1; }
done
figs=$(ls "$out"/fig-*.svg | wc -l)
test "$figs" -ge 18 || { echo "expected a figure per claim (18), found $figs"; exit 1; }
python3 -c "import json,sys; d=json.load(open('$out/claims.json')); assert len(d['claims']) >= 18, len(d['claims'])"
