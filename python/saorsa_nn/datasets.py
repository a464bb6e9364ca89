"""The study's data sets: the generators of the ``saorsa_nn`` core (the same bits as the
command line's data), their Bayes-optimal accuracies, and the study's train/validation split.

Features come back as float32 ``(samples, features)``, labels as int64 ``(samples,)``.

>>> from saorsa_nn import datasets
>>> X, y = datasets.make_moons(1200, noise=0.18, seed=1)
>>> X.shape, X.dtype.name, y.dtype.name
((1200, 2), 'float32', 'int64')
>>> round(datasets.ceiling("moons", noise=0.18), 3)
0.883
>>> X_train, y_train, X_val, y_val = datasets.paper_split()
>>> len(y_train), len(y_val)
(900, 300)
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Optional, Tuple, Union

from . import _native

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = ["make_moons", "make", "ceiling", "split", "paper_split"]


def make_moons(n_samples: int = 1200, *, noise: float = 0.18, seed: int = 1) -> Tuple["np.ndarray", "np.ndarray"]:
    """Two interleaving half circles (the paper's data): ``(X, y)``, in generation order (the
    study shuffles them when it splits, :func:`split`).

    Raises:
        ValueError: ``n_samples`` outside 1..1000000, a negative ``noise``.
    """
    return _native.make_dataset("moons", n_samples, seed, noise)


def make(dataset: str, n_samples: int = 1200, *, seed: int = 1) -> Tuple["np.ndarray", "np.ndarray"]:
    """Any of the study's data sets by name, with parameters after a colon: ``"moons"``,
    ``"circles:factor=0.5,noise=0.1"``, ``"spirals:3,noise=0.2"``, ``"xor"``,
    ``"blobs:4,dims=10,std=1.5"``.

    >>> X, y = make("spirals:3", 600, seed=2)
    >>> sorted(set(y.tolist()))
    [0, 1, 2]
    """
    return _native.make_dataset(dataset, n_samples, seed, None)


def ceiling(dataset: str = "moons", *, noise: Optional[float] = None) -> float:
    """The best accuracy any classifier can reach on ``dataset`` (its Bayes-optimal accuracy),
    computed from the generator's distributions; ``noise`` sets the two moons'."""
    return _native.ceiling(dataset, noise)


def split(
    dataset: str = "moons",
    n_samples: int = 1200,
    *,
    noise: Optional[float] = None,
    seed: int = 1,
    val_ratio: float = 0.25,
    input_dim: Optional[int] = None,
    noise_dims: int = 0,
    data: Union[str, "os.PathLike[str]", None] = None,
) -> Tuple["np.ndarray", "np.ndarray", "np.ndarray", "np.ndarray"]:
    """The data a study with these options trains on: ``(X_train, y_train, X_val, y_val)`` —
    generated from ``seed`` (or read from the CSV file ``data``), embedded into ``input_dim``
    dimensions if asked, shuffled with ``seed``, the first ``val_ratio`` of it held out (the
    files ``data/train.csv`` and ``data/val.csv`` of ``run_study``'s folder)."""
    return _native.split(
        dataset, n_samples, seed, noise, val_ratio, input_dim, noise_dims, None if data is None else os.fspath(data)
    )


def paper_split() -> Tuple["np.ndarray", "np.ndarray", "np.ndarray", "np.ndarray"]:
    """The paper's data: two moons, 1200 samples, noise 0.18, seed 1, 900 to train and 300 to
    validate — what every run of the default study trains on."""
    return split()
