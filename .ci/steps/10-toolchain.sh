#!/usr/bin/env bash
# The thumb targets the core must build for, and the lint components.
set -euo pipefail
rustup target add thumbv7em-none-eabihf thumbv7m-none-eabi thumbv6m-none-eabi wasm32-unknown-unknown
rustup component add rustfmt clippy
