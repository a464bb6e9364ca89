#!/usr/bin/env bash
# The report as a reader sees it: a small study's report.html loads in headless
# Chromium with no console message, every image decodes and every figure shows
# (.ci/browser/check-report.sh); the screenshot is kept in target/ci/.
set -euo pipefail
if ! command -v chromium >/dev/null; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi
out=target/ci/report-study
rm -rf "$out"
cargo run -q -p harness -- --seeds 3 --epochs 40 --samples 300 --quiet --out "$out"
bash .ci/browser/check-report.sh "$out" target/ci/report-screenshot.png
