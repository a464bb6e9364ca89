#!/usr/bin/env bash
# The firmware (firmware/README.md): trains the paper's network in QEMU on an
# emulated Cortex-M4F, bit-identical to the host reference, both as the
# const-generic PaperTrainer (`train`) and as a network shaped at run time in a
# static arena (`train-runtime`); on an emulated Cortex-M3 without an FPU
# (soft-float), bit-identical to the host and the M4F; resumes a run cut in the
# middle (`resume`) to the uninterrupted run's bits; and runs the inference
# binary on the embedded checkpoint.
set -euo pipefail

if ! command -v qemu-system-arm >/dev/null; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q qemu-system-arm
fi
rustup target add thumbv7em-none-eabihf thumbv7m-none-eabi
rustup component add llvm-tools rustfmt clippy

cd firmware
cargo fmt --check
cargo clippy --release -- -D warnings

# Default configuration (256 samples × 20 epochs): the firmware with B = 1
# against the host with B = 1 and B = 32.
FW_HOST_MICROBATCH="1 32" ./compare.sh train
# The same run with the network shaped at run time (NetworkTrainer over a
# static arena), B = 1, against the host's typed and run-time trainers with
# B = 1 and B = 32: typed host == run-time firmware, bit for bit.
FW_HOST_MICROBATCH="1 32" ./compare.sh train-runtime
./size.sh "256 × 20"
# The same run on a Cortex-M3 (no FPU, soft-float f32), against the host and the M4F's output.
FW_TARGETS="thumbv7em-none-eabihf thumbv7m-none-eabi" ./compare.sh train
# A power cut at epoch 10 of 20: the state saved into a buffer, the trainer
# zeroed and restored, the run finished; identical to the host's uninterrupted run.
./compare.sh resume
# Every binary links for the Cortex-M3 too.
cargo build -q --release --target thumbv7m-none-eabi --bins
# Another initializer and seed, the firmware with B = 4 against the host with B = 1.
FW_INIT=he FW_SEED=3 FW_MICROBATCH=4 FW_HOST_MICROBATCH=1 ./compare.sh train
# The paper's configuration (1200 × 250) must link inside 192 KiB of RAM
# (memory.x keeps 10 KiB for the stack); running it takes 2–3 minutes, so CI
# only links it.
FW_SAMPLES=1200 FW_EPOCHS=250 cargo build -q --release --bin train --bin train-runtime --bin resume
./size.sh "1200 × 250"
# Inference on the embedded paper checkpoint: the accuracy the host computes.
./compare.sh infer
