#!/usr/bin/env bash
# Prints the section sizes of the built firmware (llvm-size from the rustup
# component `llvm-tools`) as a Markdown table. Flash is what the image stores
# (vector table, .text, .rodata, .data's initial values); RAM is .data + .bss,
# and the stack gets the rest of the 192 KiB.
#   firmware/size.sh [LABEL]   # after `cargo build --release` in firmware/
# LABEL names the training configuration (`infer`'s does not depend on it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
host=$(rustc -vV | sed -n 's/^host: //p')
size=$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-size
[ -x "$size" ] || { echo "no $size: rustup component add llvm-tools" >&2; exit 1; }
label=${1:-}
echo "| binary | .text | .rodata | .data | .bss | flash | RAM | stack room |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for bin in train train-runtime infer; do
    elf=$here/target/thumbv7em-none-eabihf/release/$bin
    [ -f "$elf" ] || continue
    name=$bin
    if [ "$bin" != infer ] && [ -n "$label" ]; then name="$bin ($label)"; fi
    "$size" -A "$elf" | awk -v name="$name" '
        { s[$1] = $2 }
        END {
            flash = s[".vector_table"] + s[".text"] + s[".rodata"] + s[".data"]
            ram = s[".data"] + s[".bss"] + s[".uninit"]
            printf "| %s | %d | %d | %d | %d | %d | %d | %d |\n", name, s[".text"], s[".rodata"], s[".data"], s[".bss"], flash, ram, 192 * 1024 - ram
        }'
done
