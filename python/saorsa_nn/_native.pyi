"""Type stubs of the Rust extension ``saorsa_nn._native``. The public names are re-exported by
``saorsa_nn`` (``MLP``) or wrapped by it (``run_study``, ``run_claims``, ``read_results``,
``datasets``); use those."""

import os
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

__version__: str

_ArrayLike = npt.ArrayLike
_Widths = Union[str, Sequence[int]]
_Path = Union[str, "os.PathLike[str]"]

class MLP:
    """A dense ReLU network with a softmax output, trained with Adam exactly as the study trains
    each run (see ``help(saorsa_nn.MLP)``)."""

    def __init__(
        self,
        layers: Optional[_Widths] = None,
        *,
        hidden: Optional[_Widths] = None,
        init: str = "he",
        seed: int = 0,
        layer_norm: bool = False,
    ) -> None: ...
    def fit(
        self,
        X: _ArrayLike,
        y: _ArrayLike,
        *,
        epochs: int = 250,
        learning_rate: float = 1e-3,
        batch_size: Optional[int] = None,
        validation_data: Optional[Tuple[_ArrayLike, _ArrayLike]] = None,
    ) -> Dict[str, np.ndarray]:
        """Trains on ``X``, ``y``; returns the history, a dict of arrays with one entry per
        epoch: ``epoch``, ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``,
        ``update_size_<layer>``."""
    def predict_proba(self, X: _ArrayLike) -> npt.NDArray[np.float32]: ...
    def predict(self, X: _ArrayLike) -> npt.NDArray[np.int64]: ...
    def evaluate(self, X: _ArrayLike, y: _ArrayLike) -> Tuple[float, float]:
        """``(loss, accuracy)``."""
    def score(self, X: _ArrayLike, y: _ArrayLike) -> float: ...
    @property
    def weights(self) -> List[Tuple[npt.NDArray[np.float32], ...]]:
        """``[(W, b), …]``, ``W`` of shape ``(fan_in, fan_out)``; ``(W, b, gain, shift)`` for a
        normalized hidden layer."""
    @property
    def layers(self) -> Optional[List[int]]: ...
    @property
    def layer_norm(self) -> bool: ...
    @property
    def history(self) -> Optional[Dict[str, np.ndarray]]: ...
    @property
    def steps(self) -> int: ...
    @property
    def init(self) -> Optional[str]: ...
    @property
    def seed(self) -> Optional[int]: ...
    def to_bytes(self) -> bytes: ...
    def save(self, path: _Path) -> None: ...
    @staticmethod
    def from_bytes(data: bytes) -> "MLP": ...
    @staticmethod
    def load(path: _Path) -> "MLP": ...

def run_model(path: _Path, init: str, seed: int) -> MLP: ...
def study_defaults() -> Dict[str, Any]: ...
def run_study(
    out: _Path,
    *,
    inits: Union[str, Sequence[str]],
    seeds: Union[int, Sequence[int]],
    epochs: int,
    learning_rate: float,
    batch_size: Optional[int],
    dataset: str,
    noise: Optional[float],
    samples: int,
    data: Optional[_Path],
    label_column: Optional[str],
    feature_columns: Optional[List[str]],
    data_seed: int,
    val_ratio: float,
    layers: Optional[_Widths],
    hidden: Optional[_Widths],
    layer_norm: bool,
    input_dim: Optional[int],
    noise_dims: int,
    threads: Optional[int],
    force: bool,
    shared_scale: bool,
    loss_scale: str,
    report: bool,
) -> None: ...
def run_claims(scale: str, out: _Path, *, threads: Optional[int], force: bool) -> str: ...
def read_tables(path: _Path) -> Dict[str, Any]: ...
def make_dataset(
    dataset: str, n_samples: int, seed: int, noise: Optional[float]
) -> Tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]: ...
def ceiling(dataset: str, noise: Optional[float]) -> float: ...
def split(
    dataset: str,
    n_samples: int,
    seed: int,
    noise: Optional[float],
    val_ratio: float,
    input_dim: Optional[int],
    noise_dims: int,
    data: Optional[_Path],
) -> Tuple[npt.NDArray[np.float32], npt.NDArray[np.int64], npt.NDArray[np.float32], npt.NDArray[np.int64]]: ...
