#!/usr/bin/env bash
# The core builds for Cortex-M4F and Cortex-M0.
set -euo pipefail
cargo build -p saorsa-nn --target thumbv7em-none-eabihf
cargo build -p saorsa-nn --target thumbv6m-none-eabi
cargo build -p saorsa-nn --release --target thumbv7em-none-eabihf
cargo build -p saorsa-nn --release --target thumbv6m-none-eabi
