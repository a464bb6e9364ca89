#!/usr/bin/env bash
# The README's figures are what the current harness draws (docs/figures/draw.sh --check).
set -euo pipefail
bash docs/figures/draw.sh --check
