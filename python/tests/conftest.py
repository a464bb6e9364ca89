"""Shared fixtures: the harness command line built by cargo from this checkout, and a small
study it wrote, to compare the package with.

``HARNESS_BIN=/path/to/harness`` uses that binary instead of building one.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The small study every comparison uses: the paper's data and network, 5 seeds x 30 epochs (5 is
# the fewest seeds per initializer the summary gives confidence intervals and tests for:
# summary::MIN_SEEDS).
SEEDS = 5
EPOCHS = 30


@pytest.fixture(scope="session")
def harness_bin() -> Path:
    """The release binary of the harness (`cargo build --release -p harness`)."""
    given = os.environ.get("HARNESS_BIN")
    if given:
        return Path(given)
    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "harness"], cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    if not target.is_absolute():
        target = ROOT / target
    return target / "release" / "harness"


@pytest.fixture(scope="session")
def cli_study(harness_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A study written by the command line: `harness --seeds 2 --epochs 30 --quiet --out DIR`."""
    out = tmp_path_factory.mktemp("cli") / "study"
    subprocess.run(
        [str(harness_bin), "--seeds", str(SEEDS), "--epochs", str(EPOCHS), "--quiet", "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out
