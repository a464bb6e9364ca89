#!/usr/bin/env bash
# Fuzzing (fuzz/README.md): replays every stored fuzz input on stable, then
# runs each cargo-fuzz target for a short fixed time from the committed seeds,
# so that a regression of any property fails CI. Budget: under 8 minutes.
set -euo pipefail

seconds=${FUZZ_SECONDS_PER_TARGET:-30}
targets=(
    checkpoint_decode
    checkpoint_decode_resealed
    train_step
    init_rng
    dataset_csv
    kernels_differential
    run_record
    folder_files
    state_decode
)

# 1. The fuzz crate's own tests on stable: its unit tests, every input under
# fuzz/regressions/ through the fuzz targets' checks, every committed seed input
# (replay_seed_corpora) and pseudo-random inputs (random_inputs_smoke). The root's
# target directory: the dependencies the harness shares with the workspace (same
# versions, same flags) are then already built.
CARGO_TARGET_DIR=target cargo test --manifest-path fuzz/Cargo.toml --no-default-features
CARGO_TARGET_DIR=target cargo test --manifest-path fuzz/Cargo.toml --no-default-features --test seeds -- \
    --ignored --exact replay_seed_corpora random_inputs_smoke

# 2. cargo-fuzz (the libFuzzer driver) and a toolchain for it.
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
# With `-s none` cargo-fuzz passes only stable rustc flags, so stable serves
# where no nightly is installed (rustup cannot fetch one on this workplace).
toolchain=+nightly
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "60-fuzz: no nightly toolchain; building the fuzz targets with stable"
    toolchain=+stable
fi

# 3. Build every target once (safe Rust throughout: no sanitizer), then run each
# for a fixed time. A crash or a hang fails the step and leaves its input in
# fuzz/artifacts/<target>/: add it to fuzz/regressions/<target>/ with the fix.
cd fuzz
cargo "$toolchain" fuzz build -s none
log=$(mktemp)
for t in "${targets[@]}"; do
    echo "--- fuzz ${t} for ${seconds} s"
    status=0
    cargo "$toolchain" fuzz run -s none "$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1 || status=$?
    grep -aE '^#[0-9]+\s+DONE|^stat::(number_of_executed_units|average_exec_per_sec)' "$log" || true
    if [ "$status" -ne 0 ]; then
        tail -n 60 "$log"
        echo "60-fuzz: ${t} failed (exit ${status}); its input is in fuzz/artifacts/${t}/"
        exit 1
    fi
done
