"""The package gives the command line's bits: a network fitted from Python on the paper's split
is the study's run (checkpoints, per-epoch metrics, update sizes), and `run_study` writes the
same folder as `harness` with the same options."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import saorsa_nn as sn
from conftest import EPOCHS, SEEDS

INITS = ["small", "glorot", "he"]


def csv_rows(path: Path, init: str, seed: int) -> list:
    with open(path, newline="") as f:
        return [r for r in csv.DictReader(f) if r["init"] == init and int(r["seed"]) == seed]


@pytest.mark.parametrize("init", INITS)
@pytest.mark.parametrize("seed", range(SEEDS))
def test_fit_saves_the_cli_checkpoint(cli_study: Path, tmp_path: Path, init: str, seed: int) -> None:
    X_train, y_train, X_val, y_val = sn.datasets.paper_split()
    run = cli_study / "runs" / init / f"seed-{seed}"
    net = sn.MLP("2-64-64-64-2", init=init, seed=seed)
    assert net.to_bytes() == (run / "initial.bin").read_bytes()
    hist = net.fit(X_train, y_train, epochs=EPOCHS, validation_data=(X_val, y_val))
    net.save(tmp_path / "final.bin")
    assert (tmp_path / "final.bin").read_bytes() == (run / "final.bin").read_bytes()

    # The history is metrics.csv's rows of this run, value for value (float32 bits).
    rows = csv_rows(cli_study / "metrics.csv", init, seed)
    assert len(rows) == EPOCHS
    np.testing.assert_array_equal(hist["epoch"], [int(r["epoch"]) for r in rows])
    for key, column in [("loss", "train_loss"), ("accuracy", "train_acc"), ("val_loss", "val_loss"), ("val_accuracy", "val_acc")]:
        assert hist[key].dtype == np.float32
        np.testing.assert_array_equal(hist[key], np.array([r[column] for r in rows], dtype=np.float32), err_msg=key)
    updates = csv_rows(cli_study / "update_size.csv", init, seed)
    for layer in range(1, 5):
        expected = [float(r["relative_update"]) for r in updates if int(r["layer"]) == layer]
        np.testing.assert_array_equal(hist[f"update_size_{layer}"], expected)

    # Final metrics: runs.csv's, from the network after the last update.
    (final,) = csv_rows(cli_study / "runs.csv", init, seed)
    loss, acc = net.evaluate(X_val, y_val)
    assert (np.float32(loss), np.float32(acc)) == (np.float32(final["final_val_loss"]), np.float32(final["final_val_acc"]))
    assert np.float32(net.score(X_train, y_train)) == np.float32(final["final_train_acc"])


def test_fit_in_two_calls_is_one_run(cli_study: Path) -> None:
    """Adam's state carries over from one fit to the next, as Keras's does."""
    X_train, y_train, _, _ = sn.datasets.paper_split()
    net = sn.MLP("2-64-64-64-2", init="glorot", seed=1)
    net.fit(X_train, y_train, epochs=12)
    net.fit(X_train, y_train, epochs=EPOCHS - 12)
    assert net.steps == EPOCHS
    assert net.to_bytes() == (cli_study / "runs" / "glorot" / "seed-1" / "final.bin").read_bytes()


def test_a_network_given_hidden_widths_is_built_from_the_data(cli_study: Path) -> None:
    X_train, y_train, _, _ = sn.datasets.paper_split()
    net = sn.MLP(hidden=(64, 64, 64), init="xavier", seed=0)
    assert net.layers is None and net.init == "glorot"
    net.fit(X_train, y_train, epochs=EPOCHS)
    assert net.layers == [2, 64, 64, 64, 2]
    assert net.to_bytes() == (cli_study / "runs" / "glorot" / "seed-0" / "final.bin").read_bytes()


def test_loaded_checkpoints_predict_as_the_study_recorded(cli_study: Path) -> None:
    _, _, X_val, y_val = sn.datasets.paper_split()
    res = sn.read_results(cli_study)
    net = res.model("he", 1)
    loaded = sn.MLP.load(cli_study / "runs" / "he" / "seed-1" / "final.bin")
    assert net.to_bytes() == loaded.to_bytes()
    (final,) = csv_rows(cli_study / "runs.csv", "he", 1)
    assert np.float32(net.score(X_val, y_val)) == np.float32(final["final_val_acc"])
    assert np.mean(net.predict(X_val) == y_val, dtype=np.float32) == np.float32(final["final_val_acc"])
    p = net.predict_proba(X_val)
    assert p.shape == (len(y_val), 2) and p.dtype == np.float32
    np.testing.assert_array_equal(net.predict(X_val), np.argmax(p, axis=1))
    # The weights are the checkpoint's, shaped (fan_in, fan_out).
    (w1, b1), *_ = net.weights
    assert w1.shape == (2, 64) and b1.shape == (64,)
    raw = (cli_study / "runs" / "he" / "seed-1" / "final.bin").read_bytes()
    offset = 8 + 8 * 4  # magic, version, layer count; 4 layers' (fan_in, fan_out)
    np.testing.assert_array_equal(w1, np.frombuffer(raw, "<f4", 2 * 64, offset).reshape(2, 64))


def test_the_split_is_the_studys_data(cli_study: Path) -> None:
    X_train, y_train, X_val, y_val = sn.datasets.paper_split()
    for name, X, y in [("train", X_train, y_train), ("val", X_val, y_val)]:
        with open(cli_study / "data" / f"{name}.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        np.testing.assert_array_equal(X, np.array([[r["x1"], r["x2"]] for r in rows], dtype=np.float32))
        np.testing.assert_array_equal(y, np.array([int(r["label"]) for r in rows]))
    res = sn.read_results(cli_study)
    for a, b in zip(res.data, (X_train, y_train, X_val, y_val)):
        np.testing.assert_array_equal(a, b)


def files(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".harness.lock"
    }


def test_run_study_writes_the_cli_folder(cli_study: Path, tmp_path: Path) -> None:
    out = tmp_path / "study"
    res = sn.run_study(out, seeds=SEEDS, epochs=EPOCHS, threads=2)
    ours, theirs = files(out), files(cli_study)
    assert sorted(ours) == sorted(theirs)
    differ = [name for name in theirs if ours[name] != theirs[name]]
    assert differ == []
    assert len(theirs) > 40  # data, tables, checkpoints, figures, report
    assert res.config["epochs"] == EPOCHS and res.config["seeds"] == list(range(SEEDS))


def test_run_study_without_report_writes_the_cli_tables(cli_study: Path, tmp_path: Path) -> None:
    """`report=False` is `harness --no-report`: the command line's tables and summary, byte for
    byte, and no frames, figures or report."""
    out = tmp_path / "tables"
    res = sn.run_study(out, seeds=SEEDS, epochs=EPOCHS, threads=2, report=False)
    ours, theirs = files(out), files(cli_study)
    for name in ["metrics.csv", "runs.csv", "update_size.csv", "layer_stats.csv", "summary.json", "summary.md"]:
        assert ours[name] == theirs[name], name
    drawn = [n for n in ours if n.endswith((".png", ".svg", ".gif", "frames.bin", "report.html"))]
    assert drawn == []
    assert set(ours) < set(theirs)
    assert list(res.summary["init"]) == INITS
