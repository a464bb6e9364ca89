#!/usr/bin/env bash
# The Python package (python/): installed with pip into a fresh virtual environment as a user
# installs it (`pip install ./python`: maturin builds the extension with the Rust toolchain), then
# its pytest suite — a network fitted from Python saves the command line's checkpoints byte for
# byte, run_study writes the command line's folder byte for byte, the error cases, Ctrl-C, a
# results folder read into DataFrames and into dicts of arrays, the quick start. The Rust build
# shares the workspace's target/ with the other steps (the release harness of 35-claims.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
venv=/tmp/venv-ci-python
rm -rf "$venv"
python3 -m venv "$venv"
start=$SECONDS
"$venv/bin/pip" install --quiet --disable-pip-version-check ./python pytest numpy pandas
echo "57-python: pip install ./python pytest numpy pandas in $((SECONDS - start)) s"
# From the repository's root, so that `import saorsa_nn` is the installed package.
"$venv/bin/pytest" -q -p no:cacheprovider python/tests
echo "57-python: $((SECONDS - start)) s in all"
