#!/usr/bin/env bash
# `harness claims --quick`: every claim's reduced experiment under registry version 2 (the
# default; under 90 s in release on 2 cores), then check that every file it promises is there and
# not empty; then version 1 (`--registry v1`), kept as registered — its bytes are checked by
# harness/tests/claims_v1_frozen.rs, here only that it still runs and writes its 18 claims.
set -euo pipefail
out=/tmp/claims-ci
rm -rf "$out" "$out-v1"
start=$SECONDS
cargo run --release -q -p harness -- claims --quick --quiet --out "$out"
echo "claims --quick (registry v2): $((SECONDS - start)) s including the build"
for f in claims.md claims.json claims.html runs.csv epochs.csv plan.json; do
    test -s "$out/$f" || { echo "missing or empty: $out/$f"; exit 1; }
done
figs=$(ls "$out"/fig-*.svg | wc -l)
test "$figs" -ge 22 || { echo "expected a figure per claim (22), found $figs"; exit 1; }
python3 - "$out/claims.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["registry"] == "v2" and len(d["source_hash"]) == 16, (d.get("registry"), d.get("source_hash"))
claims = d["claims"]
assert len(claims) == 22, len(claims)
not_run = [c["claim"]["id"] for c in claims if c["verdict"] == "not run"]
assert not_run == [], not_run
PY
start=$SECONDS
cargo run --release -q -p harness -- claims --registry v1 --quick --quiet --out "$out-v1"
echo "claims --registry v1 --quick: $((SECONDS - start)) s"
figs=$(ls "$out-v1"/fig-*.svg | wc -l)
test "$figs" -eq 18 || { echo "version 1: expected 18 figures, found $figs"; exit 1; }
python3 -c "import json,sys; d=json.load(open('$out-v1/claims.json')); assert len(d['claims']) == 18 and 'registry' not in d, len(d['claims'])"
