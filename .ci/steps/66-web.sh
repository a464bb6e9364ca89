#!/usr/bin/env bash
# The initialization playground in a real browser (web/): builds it (web/build.sh: the wasm
# module with SIMD128, the static folder, the single-file page), serves it on localhost, and
# drives Debian's Chromium headless with playwright-core (web/test/check.mjs): the paper's
# configuration reduced to 3 seeds × 3 initializers × 60 epochs with autorun=1 must finish with
# every run's final checkpoint equal to the command line's (run here, same options), both classes'
# colours on every boundary, the core's refusal shown for a diverging learning rate, and the
# single-file page training from file://. The screenshot is kept in target/ci/.
set -euo pipefail
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
apt() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
    apt update -q
    apt install -y -q "${missing[@]}"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || { echo "66-web: playwright-core needs Node.js 20 or later, found $(node --version)" >&2; exit 1; }
rustup target add wasm32-unknown-unknown
(cd web/test && npm ci --no-audit --no-fund --silent)

out=target/ci/web
cli=target/ci/web-cli
rm -rf "$out" "$cli"
bash web/build.sh "$out"
cargo run -q -p harness -- --seeds 3 --epochs 60 --quiet --out "$cli" >/dev/null

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$out" "$port" >target/ci/web-server.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
python3 - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/index.html", timeout=1)
        break
    except OSError:
        time.sleep(0.1)
PY
node web/test/check.mjs "http://127.0.0.1:$port" "$cli" "$out/playground-standalone.html" target/ci/playground-screenshot.png
echo "66-web: screenshot target/ci/playground-screenshot.png"
