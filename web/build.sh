#!/usr/bin/env bash
# Builds the initialization playground into a folder of static files (default target/web/):
# index.html, style.css, charts.js, app.js, worker.js and playground.wasm (the harness library
# and the core for wasm32-unknown-unknown, SIMD128 on), plus playground-standalone.html, the
# same page in one file (the module inlined) that opens from file://.
#
#   web/build.sh [OUT_DIR]
#   python3 -m http.server -d target/web 8000     # then open http://localhost:8000/
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/web}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$root"
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
fi
# The flags apply to the wasm32 target only (host build scripts and macros keep theirs).
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128 -C strip=symbols" \
    cargo build -q --release -p playground --lib --target wasm32-unknown-unknown
cp web/static/index.html web/static/style.css web/static/charts.js web/static/app.js web/static/worker.js "$out/"
cp target/wasm32-unknown-unknown/release/playground.wasm "$out/playground.wasm"
python3 web/tools/standalone.py "$out" "$out/playground-standalone.html"
echo "playground: $out/ ($(du -k "$out/playground.wasm" | cut -f1) KiB of wasm); standalone: $out/playground-standalone.html"
