#!/usr/bin/env bash
# The core's tests once more with debug assertions and overflow checks on (the dev profile turns
# them off for the core, for speed), and the exhaustive test `cargo test` skips: `kernels::sqrt`
# against `libm::sqrtf` on all 2^32 inputs.
set -euo pipefail
CARGO_TARGET_DIR=target/checked cargo test -p saorsa-nn \
    --config 'profile.dev.package.saorsa-nn.debug-assertions=true' \
    --config 'profile.dev.package.saorsa-nn.overflow-checks=true'
cargo test --release -p saorsa-nn --test kernels_fast -- --ignored
