#!/usr/bin/env bash
# The thumb targets the core must build for, and the lint components.
set -euo pipefail
rustup target add thumbv7em-none-eabihf thumbv6m-none-eabi
rustup component add rustfmt clippy
