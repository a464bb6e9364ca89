"""A results folder written by the command line, read into tables: DataFrames when pandas is
installed, dicts of NumPy arrays when it is not — the CSV files' values either way, checked
against the files parsed here with the csv module."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np
import pytest

import saorsa_nn as sn
from conftest import EPOCHS, SEEDS


def read_csv(path: Path) -> list:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def column(table, name: str) -> np.ndarray:
    """A column of a DataFrame or of a dict of arrays."""
    return np.asarray(table[name])


def check_tables(res: sn.Results, folder: Path) -> None:
    metrics = read_csv(folder / "metrics.csv")
    assert len(column(res.metrics, "epoch")) == len(metrics) == 3 * SEEDS * EPOCHS
    assert list(column(res.metrics, "init")) == [r["init"] for r in metrics]
    np.testing.assert_array_equal(column(res.metrics, "seed"), [int(r["seed"]) for r in metrics])
    np.testing.assert_array_equal(column(res.metrics, "epoch"), [int(r["epoch"]) for r in metrics])
    for name in ["train_loss", "train_acc", "val_loss", "val_acc"]:
        values = column(res.metrics, name)
        assert values.dtype == np.float32, name
        np.testing.assert_array_equal(values, np.array([r[name] for r in metrics], dtype=np.float32), err_msg=name)

    runs = read_csv(folder / "runs.csv")
    assert list(res.runs.keys()) == list(runs[0].keys())
    for name in runs[0]:
        got = column(res.runs, name)
        if name == "init":
            assert list(got) == [r[name] for r in runs]
        elif name.startswith("epochs_to"):
            # Empty in the file (never reached) is NaN.
            want = np.array([float(r[name]) if r[name] else np.nan for r in runs])
            np.testing.assert_array_equal(got, want, err_msg=name)
        else:
            np.testing.assert_array_equal(got, np.array([r[name] for r in runs]).astype(got.dtype), err_msg=name)

    updates = read_csv(folder / "update_size.csv")
    np.testing.assert_array_equal(column(res.update_size, "layer"), [int(r["layer"]) for r in updates])
    np.testing.assert_array_equal(column(res.update_size, "relative_update"), [float(r["relative_update"]) for r in updates])

    stats = read_csv(folder / "layer_stats.csv")
    assert len(stats) > 0 and list(res.layer_stats.keys()) == list(stats[0].keys())
    assert list(column(res.layer_stats, "init")) == [r["init"] for r in stats]
    for name in ["seed", "epoch", "layer"]:
        np.testing.assert_array_equal(column(res.layer_stats, name), [int(r[name]) for r in stats], err_msg=name)
    for name in list(stats[0].keys())[4:]:
        values = column(res.layer_stats, name)
        assert values.dtype == np.float64, name
        np.testing.assert_array_equal(values, [float(r[name]) for r in stats], err_msg=name)

    summary = json.loads((folder / "summary.json").read_text())
    assert list(column(res.summary, "init")) == [e["init"] for e in summary["inits"]]
    np.testing.assert_array_equal(
        column(res.summary, "final_val_acc_mean"), [e["final_val_acc"]["mean"] for e in summary["inits"]]
    )
    np.testing.assert_array_equal(
        column(res.summary, "final_val_acc_ci95_high"), [e["final_val_acc"]["ci95"][1] for e in summary["inits"]]
    )
    assert res.summary_json == summary
    assert res.config == json.loads((folder / "config.json").read_text())


def test_a_cli_folder_reads_into_dataframes(cli_study: Path) -> None:
    pd = pytest.importorskip("pandas")
    res = sn.read_results(cli_study)
    for table in (res.metrics, res.runs, res.update_size, res.summary, res.layer_stats):
        assert isinstance(table, pd.DataFrame)
    check_tables(res, cli_study)
    # What a notebook does with it.
    spread = res.runs.groupby("init").final_val_acc.std()
    assert set(spread.index) == {"small", "glorot", "he"}


def test_without_pandas_tables_are_dicts_of_arrays(cli_study: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` fails
    res = sn.read_results(cli_study)
    for table in (res.metrics, res.runs, res.update_size, res.summary, res.layer_stats):
        assert isinstance(table, dict)
    assert isinstance(res.metrics["val_acc"], np.ndarray)
    check_tables(res, cli_study)
    assert f"3 initializers x {SEEDS} seeds, {EPOCHS} epochs, 2-64-64-64-2" in repr(res)


def test_a_damaged_folder_is_a_value_error(cli_study: Path, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "damaged"
    shutil.copytree(cli_study, folder)
    text = (folder / "runs.csv").read_text().replace("small,1,", "small,7,", 1)
    (folder / "runs.csv").write_text(text)
    with pytest.raises(ValueError, match="runs.csv: run small seed 7 is not one of the study's"):
        sn.read_results(folder)


def test_layer_statistics_are_none_without_their_file_and_checked_with_it(cli_study: Path, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "older"
    shutil.copytree(cli_study, folder)
    (folder / "layer_stats.csv").unlink()
    assert sn.read_results(folder).layer_stats is None
    shutil.copy(cli_study / "layer_stats.csv", folder / "layer_stats.csv")
    text = (folder / "layer_stats.csv").read_text()
    (folder / "layer_stats.csv").write_text(text.replace(",", ",x", 5))
    with pytest.raises(ValueError, match="layer_stats.csv"):
        sn.read_results(folder)
