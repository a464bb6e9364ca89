#!/usr/bin/env bash
# Runs a firmware binary in QEMU and the host reference
# (core/examples/firmware_reference.rs) with the same FW_* settings, and fails
# unless both print the same lines (`#` lines, about memory and stack, aside).
#
#   firmware/compare.sh train           # FW_SAMPLES FW_EPOCHS FW_INIT FW_SEED FW_MICROBATCH
#   firmware/compare.sh train-runtime   # the same, the network shaped at run time
#   firmware/compare.sh infer           # FW_CHECKPOINT; also diffed with <checkpoint>.expected
#
# FW_HOST_MICROBATCH lists the host's micro-batch sizes to check, e.g. "1 32"
# (default: the firmware's). `train-runtime` is checked against the host's
# typed trainer (PaperTrainer) and its run-time one (NetworkTrainer) for each.
# Outputs are kept in firmware/target/compare/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=${1:-train}
case $mode in train | train-runtime | infer) ;; *) echo "usage: $0 [train|train-runtime|infer]" >&2; exit 2 ;; esac
out=$here/target/compare
mkdir -p "$out"

echo "--- building the firmware ($mode)"
(cd "$here" && cargo build -q --release --bin "$mode")
echo "--- running it in QEMU"
start=$(date +%s.%N)
(cd "$here" && timeout 1200 cargo run -q --release --bin "$mode") >"$out/$mode.firmware"
end=$(date +%s.%N)
grep '^#' "$out/$mode.firmware" || true
echo "# QEMU wall time: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s"

reference() {
    (cd "$here/.." && cargo run -q -p saorsa-nn --example firmware_reference -- "$@")
}
compare() { # compare NAME FILE: the firmware's lines against FILE's, `#` lines aside
    if diff -u --label "$1" --label firmware <(grep -v '^#' "$2") <(grep -v '^#' "$out/$mode.firmware"); then
        echo "IDENTICAL: firmware and $1 ($(grep -vc '^#' "$2") lines)"
    else
        echo "DIFFERENT: firmware and $1" >&2
        exit 1
    fi
}

if [ "$mode" = train ]; then
    for b in ${FW_HOST_MICROBATCH:-${FW_MICROBATCH:-1}}; do
        echo "--- host reference, micro-batch B=$b"
        FW_HOST_MICROBATCH=$b reference >"$out/train.host-b$b"
        compare "host (B=$b)" "$out/train.host-b$b"
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
tail -n 3 "$out/$mode.firmware" | grep -v '^#' || true
