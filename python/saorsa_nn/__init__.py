"""saorsa-nn from Python: train small dense ReLU networks on NumPy arrays and run the
weight-initialization study, bit-identical to the ``harness`` command line.

>>> import saorsa_nn as sn
>>> X_train, y_train, X_val, y_val = sn.datasets.paper_split()
>>> net = sn.MLP("2-64-64-64-2", init="he", seed=0)
>>> hist = net.fit(X_train, y_train, epochs=250, validation_data=(X_val, y_val))
>>> net.score(X_val, y_val)  # doctest: +SKIP
0.8933333
>>> res = sn.run_study("results", seeds=3, epochs=50)  # doctest: +SKIP
>>> res.runs  # doctest: +SKIP

Tables come back as pandas DataFrames when pandas is installed, else as dicts of NumPy
arrays. Training releases the GIL; Ctrl-C stops it at the next epoch with
``KeyboardInterrupt``.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence, Tuple, Union

from . import _native, datasets
from ._native import MLP, __version__

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = ["MLP", "Results", "Claims", "datasets", "read_results", "run_study", "run_claims", "__version__"]

PathLike = Union[str, "os.PathLike[str]"]

_DEFAULTS = _native.study_defaults()


def _frame(columns: Dict[str, Any]) -> Any:
    """A pandas DataFrame of ``columns`` when pandas is installed, else the dict itself."""
    try:
        import pandas as pd
    except ImportError:
        return columns
    return pd.DataFrame(columns)


class Results:
    """A study's results folder, read back and checked against its ``config.json``.

    Attributes:
        path: the folder.
        metrics: ``metrics.csv`` — init, seed, epoch, train_loss, train_acc, val_loss, val_acc
            (losses and accuracies float32, the files' bits).
        runs: ``runs.csv`` — one row per run: final losses and accuracies, epochs to 90% and 95%
            training accuracy and to 50% and 90% of the way from chance to the ceiling (float64,
            NaN where never reached).
        update_size: ``update_size.csv`` — init, seed, epoch, layer, relative_update.
        layer_stats: ``layer_stats.csv`` — init, seed, epoch, layer and each layer's signal and
            gradient statistics (pre_mean, pre_sd, act_mean, act_sd, zero_fraction,
            dead_fraction, weight_grad_norm, input_grad_norm, weight_norm; float64) at epoch 0
            and figure 6's frame epochs; ``None`` for a folder written before studies recorded
            them.
        summary: one row per initializer, the numbers of ``summary.json`` (``final_val_acc_mean``,
            ``final_val_acc_ci95_low``, …).
        summary_json: ``summary.json`` whole, as a dict (curves, tests).
        config: ``config.json`` as a dict.
        data: ``(X_train, y_train, X_val, y_val)``, the study's split.

    The tables are pandas DataFrames when pandas is installed, else dicts of NumPy arrays (text
    columns as lists).

    Example:
        >>> res = sn.read_results("results")  # doctest: +SKIP
        >>> res.runs.groupby("init").final_val_acc.std()  # doctest: +SKIP
        >>> net = res.model("he", 3)  # doctest: +SKIP
    """

    def __init__(self, path: PathLike) -> None:
        self.path = os.fspath(path)
        tables = _native.read_tables(self.path)
        self.metrics = _frame(tables["metrics"])
        self.runs = _frame(tables["runs"])
        self.update_size = _frame(tables["update_size"])
        self.layer_stats = None if tables["layer_stats"] is None else _frame(tables["layer_stats"])
        self.summary = _frame(tables["summary"])
        self.config: Dict[str, Any] = json.loads(tables["config_json"])
        self.data: Tuple["np.ndarray", "np.ndarray", "np.ndarray", "np.ndarray"] = tables["data"]
        with open(os.path.join(self.path, "summary.json"), encoding="utf-8") as f:
            self.summary_json: Dict[str, Any] = json.load(f)

    def model(self, init: str, seed: int) -> MLP:
        """The final network of run ``init``, ``seed`` (its ``final.bin``)."""
        return _native.run_model(self.path, init, seed)

    def __repr__(self) -> str:
        c = self.config
        return f"Results({self.path!r}: {len(c['inits'])} initializers x {len(c['seeds'])} seeds, {c['epochs']} epochs, {c['network']})"


def read_results(path: PathLike) -> Results:
    """Reads a study's results folder — written by :func:`run_study` or by the ``harness``
    command line — into :class:`Results`.

    Raises:
        OSError: a file that cannot be read (``FileNotFoundError`` for a missing folder).
        ValueError: a file that is not what the study wrote.
    """
    return Results(path)


def run_study(
    out: PathLike = "results",
    *,
    inits: Union[str, Sequence[str]] = _DEFAULTS["inits"],
    seeds: Union[int, Sequence[int]] = _DEFAULTS["seeds"],
    epochs: int = _DEFAULTS["epochs"],
    learning_rate: float = _DEFAULTS["learning_rate"],
    batch_size: Optional[int] = None,
    dataset: str = _DEFAULTS["dataset"],
    noise: Optional[float] = None,
    samples: int = _DEFAULTS["samples"],
    data: Optional[PathLike] = None,
    label_column: Optional[str] = None,
    feature_columns: Optional[Sequence[str]] = None,
    data_seed: int = _DEFAULTS["data_seed"],
    val_ratio: float = _DEFAULTS["val_ratio"],
    layers: Union[str, Sequence[int], None] = None,
    hidden: Union[str, Sequence[int], None] = None,
    layer_norm: bool = False,
    input_dim: Optional[int] = None,
    noise_dims: int = 0,
    threads: Optional[int] = None,
    force: bool = False,
    shared_scale: bool = False,
    loss_scale: str = "log",
    report: bool = True,
) -> Results:
    """Runs the weight-initialization study into the folder ``out`` and reads it back: every
    (initializer, seed) run, the tables, summary, figures and ``report.html`` — the same files,
    byte for byte, as ``harness`` with the same options (``--inits``, ``--seeds``, …). The
    defaults are the paper's study.

    Args:
        out: the results folder. Another study's results there are refused unless ``force``.
        inits: initializers (``"small,glorot,he"`` or a list), aliases and per-layer exceptions
            as in :class:`MLP`.
        seeds: a count ``N`` (seeds ``0..N-1``) or the seeds themselves (``range(10, 20)``).
        epochs, learning_rate, batch_size: training, as :meth:`MLP.fit`.
        dataset: the generated data: ``"moons"``, ``"circles"``, ``"spirals:3"``, ``"xor"``,
            ``"blobs:4,dims=10"``, with parameters after a colon.
        noise: the two moons' noise (the paper's 0.18).
        samples: samples to generate (the paper's 1200).
        data: a CSV file with a header instead of generated data: by default the column
            ``label`` (integers 0…K−1, or class names numbered in sorted order) and as features
            ``x1…xD`` when the header numbers them so, else every other numeric column.
        label_column, feature_columns: ``data``'s label column and feature columns by name
            (``harness --label-column``, ``--feature-columns``).
        data_seed, val_ratio: the data's seed and the validation fraction.
        layers, hidden: every width, or the hidden ones only (the paper's 64-64-64).
        layer_norm: layer normalization between each hidden layer and its ReLU.
        input_dim, noise_dims: embed the data into more dimensions, some pure noise.
        threads: worker threads (the number of CPUs); results do not depend on it.
        force: replace another study's results in ``out``.
        shared_scale, loss_scale: figure 6's colour scale and figure 3b's axis (``"log"``,
            ``"linear"``).
        report: draw the figures and ``report.html``; ``False`` writes the tables and the
            summary only (``harness --no-report``; ``harness report --from out`` draws the rest
            later, the same bytes).

    The GIL is released while the study runs. Ctrl-C stops it at the next epoch with
    ``KeyboardInterrupt``: ``out`` holds the old results or the new ones, never a mix, and the
    runs that finished are kept, so the same call resumes.

    Raises:
        ValueError: an option that is wrong, naming it (``"inits: unknown initializer `xaviar` …;
            did you mean `xavier`?"``).
        FileExistsError: ``out`` holds another study's results and ``force`` is not set.
        OSError: a file that cannot be read or written.

    Example:
        >>> res = sn.run_study("results", inits=["glorot", "he"], seeds=5, epochs=100)  # doctest: +SKIP
        >>> res.summary[["init", "final_val_acc_mean", "final_val_acc_std"]]  # doctest: +SKIP
    """
    _native.run_study(
        os.fspath(out),
        inits=inits,
        seeds=seeds,
        epochs=epochs,
        learning_rate=learning_rate,
        batch_size=batch_size,
        dataset=dataset,
        noise=noise,
        samples=samples,
        data=None if data is None else os.fspath(data),
        label_column=label_column,
        feature_columns=None if feature_columns is None else list(feature_columns),
        data_seed=data_seed,
        val_ratio=val_ratio,
        layers=layers,
        hidden=hidden,
        layer_norm=layer_norm,
        input_dim=input_dim,
        noise_dims=noise_dims,
        threads=threads,
        force=force,
        shared_scale=shared_scale,
        loss_scale=loss_scale,
        report=report,
    )
    return Results(out)


class Claims:
    """A claims folder: ``path``, the verdict ``table`` (Markdown) and ``claims.json`` as
    ``verdicts`` (a dict)."""

    def __init__(self, path: PathLike, table: str) -> None:
        self.path = os.fspath(path)
        self.table = table
        with open(os.path.join(self.path, "claims.json"), encoding="utf-8") as f:
            self.verdicts: Dict[str, Any] = json.load(f)

    def __repr__(self) -> str:
        return f"Claims({self.path!r}: {len(self.verdicts.get('claims', []))} claims)"


def run_claims(
    scale: str = "quick",
    out: PathLike = "claims",
    *,
    threads: Optional[int] = None,
    force: bool = False,
) -> Claims:
    """Runs every checkable claim of the paper as its pre-registered experiment into ``out``, as
    ``harness claims`` does: ``scale`` is ``"quick"`` (minutes), ``"full"`` or ``"extended"``.
    Ctrl-C stops it as :func:`run_study`.

    Example:
        >>> claims = sn.run_claims("quick", out="claims")  # doctest: +SKIP
        >>> print(claims.table)  # doctest: +SKIP
    """
    table = _native.run_claims(scale, os.fspath(out), threads=threads, force=force)
    return Claims(out, table)
