"""The documentation runs: the quick start's cells and the docstrings' examples."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import saorsa_nn as sn

QUICKSTART = Path(__file__).resolve().parents[1] / "examples" / "quickstart.py"


def test_quickstart_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """Every cell of examples/quickstart.py in order, in a fresh folder — but the claims cell,
    whose quick run takes minutes (CI runs `harness claims --quick` on its own)."""
    monkeypatch.chdir(tmp_path)
    cells = re.split(r"(?m)^# %%.*$", QUICKSTART.read_text(encoding="utf-8"))
    skipped = [c for c in cells if "run_claims(" in c]
    assert len(skipped) == 1
    scope: dict = {"__name__": "__main__"}
    for cell in cells:
        if cell not in skipped:
            exec(compile(cell, str(QUICKSTART), "exec"), scope)
    out = capsys.readouterr().out
    assert "Bayes-optimal accuracy: 0.8826" in out
    assert (tmp_path / "results" / "report.html").exists() and (tmp_path / "final.bin").exists()
    assert scope["res"].config["seeds"] == list(range(10))


def test_claims_run_from_python(tmp_path: Path) -> None:
    claims = sn.run_claims(scale="tiny", out=tmp_path / "claims", threads=2)
    assert claims.table.startswith("|")
    assert len(claims.verdicts["claims"]) >= 18
    assert (tmp_path / "claims" / "claims.html").exists()


@pytest.mark.parametrize("module", [sn, sn.datasets])
def test_docstring_examples(module, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = doctest.testmod(module, extraglobs={"sn": sn}, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 5 and result.failed == 0, result


def test_the_readmes_python_block_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The repository README's Python example, as written, in a fresh folder."""
    readme = Path(__file__).resolve().parents[2] / "README.md"
    blocks = re.findall(r"```python\n(.*?)```", readme.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1
    monkeypatch.chdir(tmp_path)
    scope: dict = {"__name__": "__main__"}
    exec(compile(blocks[0], str(readme), "exec"), scope)
    assert len(scope["history"]["loss"]) == 250
    assert (tmp_path / "results" / "report.html").exists()
