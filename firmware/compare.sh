#!/usr/bin/env bash
# Runs a firmware binary in QEMU and the host reference
# (core/examples/firmware_reference.rs) with the same FW_* settings, and fails
# unless both print the same lines (`#` lines, about memory and stack, aside).
#
#   firmware/compare.sh train           # FW_SAMPLES FW_EPOCHS FW_INIT FW_SEED FW_MICROBATCH
#   firmware/compare.sh train-runtime   # the same, the network shaped at run time
#   firmware/compare.sh resume          # `train` cut at epoch FW_RESUME_AT, saved, wiped, restored
#   firmware/compare.sh infer           # FW_CHECKPOINT; also diffed with <checkpoint>.expected
#
# FW_TARGETS lists the targets to run, each in its QEMU machine (firmware/.cargo/config.toml):
# thumbv7em-none-eabihf (Cortex-M4F, hardware f32; the default) and thumbv7m-none-eabi (Cortex-M3,
# no FPU: soft-float). With several, each target's output is also diffed with the first's.
#
# FW_HOST_MICROBATCH lists the host's micro-batch sizes to check, e.g. "1 32"
# (default: the firmware's). `train-runtime` is checked against the host's
# typed trainer (PaperTrainer) and its run-time one (NetworkTrainer) for each.
# Outputs are kept in firmware/target/compare/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=${1:-train}
case $mode in train | train-runtime | resume | infer) ;; *) echo "usage: $0 [train|train-runtime|resume|infer]" >&2; exit 2 ;; esac
targets=${FW_TARGETS:-thumbv7em-none-eabihf}
out=$here/target/compare
mkdir -p "$out"

reference() {
    (cd "$here/.." && cargo run -q -p saorsa-nn --example firmware_reference -- "$@")
}
compare() { # compare NAME FILE: the firmware's lines against FILE's, `#` lines aside
    if diff -u --label "$1" --label "firmware $target" <(grep -v '^#' "$2") <(grep -v '^#' "$fw_out"); then
        echo "IDENTICAL: firmware ($target) and $1 ($(grep -vc '^#' "$2") lines)"
    else
        echo "DIFFERENT: firmware ($target) and $1" >&2
        exit 1
    fi
}

first=""
for target in $targets; do
    fw_out=$out/$mode.$target.firmware
    echo "--- building the firmware ($mode, $target)"
    (cd "$here" && cargo build -q --release --target "$target" --bin "$mode")
    echo "--- running it in QEMU ($target)"
    start=$(date +%s.%N)
    (cd "$here" && timeout 3000 cargo run -q --release --target "$target" --bin "$mode") >"$fw_out"
    end=$(date +%s.%N)
    cp "$fw_out" "$out/$mode.firmware"
    grep '^#' "$fw_out" || true
    wall=$(awk "BEGIN { printf \"%.1f\", $end - $start }")
    epochs=$(grep -c '^epoch ' "$fw_out" || true)
    if [ "$epochs" -gt 0 ]; then
        echo "# QEMU wall time ($target): $wall s, $(awk "BEGIN { printf \"%.3f\", $wall / $epochs }") s per epoch ($epochs epochs, data and start-up included)"
    else
        echo "# QEMU wall time ($target): $wall s"
    fi

    if [ "$mode" = train ] || [ "$mode" = resume ]; then
        for b in ${FW_HOST_MICROBATCH:-${FW_MICROBATCH:-1}}; do
            echo "--- host reference, micro-batch B=$b"
            FW_HOST_MICROBATCH=$b reference >"$out/$mode.host-b$b"
            compare "host uninterrupted (B=$b)" "$out/$mode.host-b$b"
        done
    elif [ "$mode" = train-runtime ]; then
        for b in ${FW_HOST_MICROBATCH:-${FW_MICROBATCH:-1}}; do
            echo "--- host reference, typed PaperTrainer, micro-batch B=$b"
            FW_HOST_MICROBATCH=$b reference train >"$out/train-runtime.host-typed-b$b"
            compare "host typed (B=$b)" "$out/train-runtime.host-typed-b$b"
            echo "--- host reference, run-time NetworkTrainer, micro-batch B=$b"
            FW_HOST_MICROBATCH=$b reference train-runtime >"$out/train-runtime.host-runtime-b$b"
            compare "host run-time (B=$b)" "$out/train-runtime.host-runtime-b$b"
        done
    else
        checkpoint=${FW_CHECKPOINT:-assets/paper-glorot-seed0.bin}
        case $checkpoint in /*) ;; *) checkpoint=$here/$checkpoint ;; esac
        echo "--- host reference, infer $checkpoint"
        reference infer "$checkpoint" >"$out/infer.host"
        compare host "$out/infer.host"
        if [ -f "${checkpoint%.bin}.expected" ]; then
            compare "$(basename "${checkpoint%.bin}.expected")" "${checkpoint%.bin}.expected"
        fi
    fi
    if [ -z "$first" ]; then
        first=$target
    else
        compare "firmware $first" "$out/$mode.$first.firmware"
    fi
done
tail -n 3 "$out/$mode.firmware" | grep -v '^#' || true
