#!/usr/bin/env bash
# The criterion benchmarks keep compiling (CI times nothing; see benches/README.md).
set -euo pipefail
cargo bench --workspace --no-run
