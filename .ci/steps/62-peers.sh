#!/usr/bin/env bash
# The Python peers of benches/peers/ keep running: `compare.sh --smoke` installs their pinned
# packages into a fresh virtual environment and runs numpy_study.py, jax_study.py,
# sklearn_study.py and torch_study.py (both variants) once each on 2 seeds x 3 epochs, failing if
# a script fails or prints no accuracy table. It times nothing and builds nothing.
#
# PyTorch's variants (plain loop and torch.func vmap) run too: PyPI's Linux torch wheel needs its
# CUDA libraries even on a CPU (about 2.4 GB to download, 4.0 GB on disk in the leanest install
# that imports; benches/peers/README.md), installed into a throwaway venv and removed after
# (about 1.5 minutes). PEERS_SMOKE_TORCH=0 leaves them out (torch_study.py is then only parsed).
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])' benches/peers/torch_study.py
tools=numpy,jax,sklearn
if [ "${PEERS_SMOKE_TORCH:-1}" = 1 ]; then
    tools=$tools,torch-loop,torch-vmap
fi
venv=/tmp/venv-ci-peers
rm -rf "$venv"
start=$SECONDS
PEERS_VENV=$venv bash benches/peers/compare.sh --smoke --tools "$tools"
rm -rf "$venv"
echo "62-peers: $((SECONDS - start)) s in all ($tools)"
