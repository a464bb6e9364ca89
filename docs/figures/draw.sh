#!/usr/bin/env bash
# Draws the README's figures from the paper's default study with the current harness.
#   bash docs/figures/draw.sh           rewrites docs/figures/*.png
#   bash docs/figures/draw.sh --check   fails (exit 1) if any differs from what the harness draws now
set -euo pipefail
cd "$(dirname "$0")/../.."
check=false
if [ "${1:-}" = "--check" ]; then check=true; fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --release -q -p harness -- --quiet --out "$out/study" >/dev/null
status=0
for f in fig3_train_accuracy.png fig3b_train_loss.png fig4_val_accuracy.png fig5_decision_boundaries.png; do
    if $check; then
        if ! cmp -s "$out/study/$f" "docs/figures/$f"; then
            echo "docs/figures/$f differs from what the harness draws now: run bash docs/figures/draw.sh"
            status=1
        fi
    else
        cp "$out/study/$f" "docs/figures/$f"
    fi
done
if $check && [ "$status" -eq 0 ]; then echo "docs/figures: current"; fi
exit "$status"
