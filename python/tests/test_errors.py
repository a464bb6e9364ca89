"""Bad input is a Python exception with the library's message, never a crash: ValueError for
dtypes, shapes, values and names, OSError for files."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import saorsa_nn as sn


@pytest.fixture(scope="module")
def data():
    return sn.datasets.paper_split()


@pytest.fixture
def net() -> sn.MLP:
    return sn.MLP("2-16-2", init="he", seed=0)


def test_wrong_dtypes_are_refused(net: sn.MLP, data) -> None:
    X, y, _, _ = data
    with pytest.raises(ValueError, match=r"X: dtype complex128 is not real numbers"):
        net.fit(X.astype(np.complex128), y, epochs=1)
    with pytest.raises(ValueError, match=r"X: dtype <U\d+ is not real numbers"):
        net.fit(X.astype(str), y, epochs=1)
    with pytest.raises(ValueError, match=r"X: dtype object is not real numbers"):
        net.fit(np.array([[0.0, "a"]], dtype=object), [0], epochs=1)
    with pytest.raises(ValueError, match=r"y: dtype float64 is not class labels"):
        net.fit(X, y.astype(np.float64), epochs=1)
    assert net.steps == 0


def test_dtypes_numpy_converts_are_converted(data) -> None:
    """float64, integers and lists are converted to float32 as numpy.asarray would."""
    X, y, _, _ = data
    a, b = sn.MLP("2-16-2", seed=3), sn.MLP("2-16-2", seed=3)
    a.fit(X, y, epochs=3)
    b.fit(X.astype(np.float64).tolist(), y.astype(np.uint8).tolist(), epochs=3)
    assert a.to_bytes() == b.to_bytes()
    # Fortran order and slices are read as the same values.
    c = sn.MLP("2-16-2", seed=3)
    c.fit(np.asfortranarray(X), y.astype(np.int32), epochs=3)
    assert c.to_bytes() == a.to_bytes()


def test_wrong_shapes_are_refused(net: sn.MLP, data) -> None:
    X, y, _, _ = data
    with pytest.raises(ValueError, match=r"X must be 2-D \(samples × features\), got shape \(900,\); for one feature use X.reshape\(-1, 1\)"):
        net.fit(X[:, 0], y, epochs=1)
    with pytest.raises(ValueError, match="X has 3 features, but the network has 2 inputs"):
        net.fit(np.hstack([X, X[:, :1]]), y, epochs=1)
    with pytest.raises(ValueError, match=r"y must be 1-D \(one label per sample\), got shape \(900, 1\)"):
        net.fit(X, y[:, None], epochs=1)
    with pytest.raises(ValueError, match="X has 3 features, but the network has 2 inputs"):
        net.predict(np.zeros((4, 3), np.float32))
    with pytest.raises(ValueError, match="validation_data: X_val has 1 features, X has 2"):
        net.fit(X, y, epochs=1, validation_data=(X[:, :1], y))
    with pytest.raises(ValueError, match=r"validation_data: expected a tuple \(X_val, y_val\)"):
        net.fit(X, y, epochs=1, validation_data=X)


def test_mismatched_lengths_are_refused(net: sn.MLP, data) -> None:
    X, y, X_val, y_val = data
    with pytest.raises(ValueError, match="^X: 900 samples but 899 labels$"):
        net.fit(X, y[:-1], epochs=1)
    with pytest.raises(ValueError, match="^validation_data: 300 samples but 299 labels$"):
        net.fit(X, y, epochs=1, validation_data=(X_val, y_val[1:]))
    with pytest.raises(ValueError, match="^X: 900 samples but 10 labels$"):
        net.evaluate(X, y[:10])


def test_non_finite_values_are_refused(net: sn.MLP, data) -> None:
    X, y, _, _ = data
    bad = X.copy()
    bad[5, 1] = np.nan
    with pytest.raises(ValueError, match="^X: sample 5 is not finite$"):
        net.fit(bad, y, epochs=1)
    bad[5, 1] = np.inf
    with pytest.raises(ValueError, match="^X: sample 5 is not finite$"):
        net.predict_proba(bad)
    # A float64 beyond float32's range becomes infinite, then is refused.
    with pytest.raises(ValueError, match="^X: sample 0 is not finite$"):
        net.fit(np.array([[1e300, 0.0]]), [0], epochs=1)
    assert net.steps == 0


def test_labels_out_of_range_are_refused(net: sn.MLP, data) -> None:
    X, y, _, _ = data
    wrong = y.copy()
    wrong[7] = 2
    with pytest.raises(ValueError, match=r"^X: sample 7 has label 2, but the network has 2 classes \(labels 0 to 1\)$"):
        net.fit(X, wrong, epochs=1)
    wrong[7] = -1
    with pytest.raises(ValueError, match="^y: sample 7 has label -1; labels are classes 0..K-1 with K at most 256$"):
        net.fit(X, wrong, epochs=1)


def test_unknown_names_suggest_the_nearest() -> None:
    with pytest.raises(ValueError, match=r"init: unknown initializer `xaviar` \(known: .*\); did you mean `xavier`\?"):
        sn.MLP("2-8-2", init="xaviar")
    with pytest.raises(ValueError, match=r"^inits: unknown initializer `kaimin` .*; did you mean `kaiming`\?$"):
        sn.run_study("never-written", inits=["he", "kaimin"])
    with pytest.raises(ValueError, match=r"^dataset: unknown data set `spirls` .*; did you mean `spirals`\?$"):
        sn.datasets.make("spirls")
    with pytest.raises(ValueError, match=r"^scale: `quik`: .*; did you mean `quick`\?$"):
        sn.run_claims("quik", out="never-written")
    assert not Path("never-written").exists()


def test_bad_values_name_their_keyword(net: sn.MLP, data) -> None:
    X, y, _, _ = data
    for kwargs, message in [
        ({"epochs": 0}, "^epochs: 0 must lie in 1..=1000000$"),
        ({"learning_rate": -1.0}, "^learning_rate: -1 must be > 0"),
        ({"learning_rate": float("nan")}, "^learning_rate: NaN must be > 0"),
        ({"batch_size": 0}, "^batch_size: must be at least 1$"),
    ]:
        with pytest.raises(ValueError, match=message):
            net.fit(X, y, **kwargs)
    with pytest.raises(ValueError, match=r"^layers: \[2, 0, 2\]: bad network shape"):
        sn.MLP("2-0-2")
    with pytest.raises(ValueError, match=r"^layers: `2-x-2`: expected widths like 2-64-64-64-2$"):
        sn.MLP("2-x-2")
    with pytest.raises(ValueError, match=r"^init: `he@3=glorot`: layer 3, but the network has 2 dense layers$"):
        sn.MLP("2-8-2", init="he@3=glorot")
    with pytest.raises(ValueError, match="^seeds: no seeds$"):
        sn.run_study("never-written", seeds=0)
    with pytest.raises(ValueError, match="^epochs: must be at least 1$"):
        sn.run_study("never-written", epochs=0)
    with pytest.raises(ValueError, match="^layers: 3-64-2: the first width must be the data's 2 input features"):
        sn.run_study("never-written", layers="3-64-2")
    with pytest.raises(ValueError, match="^threads: must be at least 1$"):
        sn.run_study("never-written", threads=0)
    with pytest.raises(ValueError, match="^n_samples: 0 must lie in 1..=1000000$"):
        sn.datasets.make_moons(0)
    with pytest.raises(ValueError, match="^noise: is for two moons"):
        sn.datasets.ceiling("xor", noise=0.1)
    assert not Path("never-written").exists()


def test_divergence_is_a_floating_point_error(net: sn.MLP) -> None:
    X = np.full((8, 2), 3e38, np.float32)
    y = np.array([0, 1] * 4)
    with pytest.raises(FloatingPointError, match="^epoch 1: training diverged"):
        net.fit(X, y, epochs=5)
    assert net.steps == 0 and len(net.history["loss"]) == 0


def test_files_that_cannot_be_written_or_read_are_os_errors(net: sn.MLP, tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    with pytest.raises(OSError) as e:
        net.save(not_a_dir / "net.bin")
    assert e.value.errno is not None and e.value.filename is not None
    with pytest.raises(FileNotFoundError):
        sn.MLP.load(tmp_path / "missing.bin")
    with pytest.raises(FileNotFoundError):
        sn.read_results(tmp_path / "missing")
    with pytest.raises(OSError):
        sn.run_study(not_a_dir / "study", seeds=1, epochs=1)
    with pytest.raises(FileNotFoundError):
        sn.run_study(tmp_path / "s", data=tmp_path / "missing.csv")
    damaged = bytearray(net.to_bytes())
    damaged[-10] ^= 1
    (tmp_path / "damaged.bin").write_bytes(bytes(damaged))
    with pytest.raises(ValueError, match="damaged.bin: checkpoint: CRC-32 mismatch$"):
        sn.MLP.load(tmp_path / "damaged.bin")
    with pytest.raises(ValueError, match="^checkpoint: bad magic"):
        sn.MLP.from_bytes(b"not a checkpoint")


def test_another_studys_folder_is_not_replaced_without_force(cli_study: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(cli_study, other)
    before = (other / "config.json").read_bytes()
    with pytest.raises(FileExistsError, match="pass force=True to replace them, or another out$"):
        sn.run_study(other, seeds=1, epochs=2)
    assert (other / "config.json").read_bytes() == before
