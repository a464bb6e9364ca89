#!/usr/bin/env bash
# The core builds for every target it promises: Cortex-M4F (hard float), Cortex-M3 and
# Cortex-M0 (soft float), and WebAssembly (with SIMD128, as the playground builds it).
set -euo pipefail
for target in thumbv7em-none-eabihf thumbv7m-none-eabi thumbv6m-none-eabi wasm32-unknown-unknown; do
    cargo build -p saorsa-nn --target "$target"
    cargo build -p saorsa-nn --release --target "$target"
done
RUSTFLAGS="-C target-feature=+simd128" CARGO_TARGET_DIR=target/wasm-simd \
    cargo build -p saorsa-nn --release --target wasm32-unknown-unknown
