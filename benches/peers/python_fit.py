"""One run of the paper's network from Python, as a notebook user would write it: 250 full-batch
epochs of 2-64-64-64-2 (ReLU, softmax, cross-entropy, Adam lr 0.001) on the paper's 900 training
samples, timed around the one call that trains —

- ``saorsa_nn``: ``MLP("2-64-64-64-2", init="he", seed=r).fit(X, y, epochs=250)``;
- scikit-learn: ``MLPClassifier(hidden_layer_sizes=(64, 64, 64), activation="relu",
  solver="adam", learning_rate_init=1e-3, epsilon=1e-7, alpha=0, batch_size=900, max_iter=250,
  tol=0, n_iter_no_change=251, shuffle=False).fit(X, y)`` on float32 input (its dtype is kept),
  one BLAS thread (threadpoolctl);
- PyTorch (when importable): ``nn.Sequential`` of ``nn.Linear``/``nn.ReLU``, ``Adam(lr=1e-3,
  eps=1e-7)``, ``F.cross_entropy``, a plain loop of 250 ``zero_grad``/``backward``/``step``, one
  thread (``torch.set_num_threads(1)``);
- the Rust example (``benches/examples/epochs``, its ``NetworkTrainer``: the trainer the package
  runs), one 250-epoch run per round, timed inside the process.

Every round runs each tool once, in turn, so that all of them share the machine's fast and slow
minutes; the table gives the best and the median round of each, and the ratios of medians.

    python benches/peers/python_fit.py [--rounds N] [--example PATH]

needs ``saorsa_nn`` (``pip install ./python``), numpy, scikit-learn and threadpoolctl; the Rust
example is built first (``cargo build --release -p benches --example epochs``) unless
``--example`` names it.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

import saorsa_nn as sn

ROOT = Path(__file__).resolve().parents[2]
EPOCHS = 250


def fit_saorsa(X, y, r):
    net = sn.MLP("2-64-64-64-2", init="he", seed=r)
    t = time.perf_counter()
    net.fit(X, y, epochs=EPOCHS)
    return time.perf_counter() - t, net.score(X, y)


def fit_sklearn(X, y, r):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=(64, 64, 64),
        activation="relu",
        solver="adam",
        learning_rate_init=1e-3,
        epsilon=1e-7,
        alpha=0.0,
        batch_size=len(y),
        max_iter=EPOCHS,
        tol=0.0,
        n_iter_no_change=EPOCHS + 1,
        shuffle=False,
        random_state=r,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t = time.perf_counter()
        clf.fit(X, y)
        seconds = time.perf_counter() - t
    assert clf.n_iter_ == EPOCHS, clf.n_iter_
    assert clf.coefs_[0].dtype == np.float32
    return seconds, clf.score(X, y)


def torch_fit():
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)

    def fit(X, y, r):
        torch.manual_seed(r)
        model = torch.nn.Sequential(
            torch.nn.Linear(2, 64),
            torch.nn.ReLU(),
            torch.nn.Linear(64, 64),
            torch.nn.ReLU(),
            torch.nn.Linear(64, 64),
            torch.nn.ReLU(),
            torch.nn.Linear(64, 2),
        )
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        xt, yt = torch.from_numpy(X), torch.from_numpy(y)
        t = time.perf_counter()
        for _ in range(EPOCHS):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(xt), yt)
            loss.backward()
            opt.step()
        seconds = time.perf_counter() - t
        with torch.no_grad():
            accuracy = (model(xt).argmax(1) == yt).float().mean().item()
        return seconds, accuracy

    return fit


def rust_example(path):
    def fit(X, y, r):
        out = subprocess.run([str(path), str(EPOCHS), "1"], check=True, capture_output=True, text=True).stdout
        ms = float(re.search(r"NetworkTrainer:\s+([0-9.]+)", out).group(1))
        return ms * EPOCHS / 1e3, float("nan")

    return fit


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--example", type=Path, help="the built benches/examples/epochs binary")
    args = p.parse_args()
    example = args.example
    if example is None:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "benches", "--example", "epochs"], cwd=ROOT, check=True)
        target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
        example = (target if target.is_absolute() else ROOT / target) / "release" / "examples" / "epochs"

    from threadpoolctl import threadpool_limits

    load_before = os.getloadavg()
    X, y, _, _ = sn.datasets.paper_split()
    tools = {"saorsa_nn (Python)": fit_saorsa, "Rust example (NetworkTrainer)": rust_example(example)}
    tools["scikit-learn MLPClassifier"] = fit_sklearn
    torch = torch_fit()
    if torch is not None:
        tools["PyTorch loop"] = torch
    times = {name: [] for name in tools}
    accuracy = {name: [] for name in tools}
    with threadpool_limits(limits=1):
        for name, fit in tools.items():  # warm-up: imports, first-call costs
            fit(X, y, 0)
        for r in range(args.rounds):
            for name, fit in tools.items():
                seconds, acc = fit(X, y, r)
                times[name].append(seconds)
                accuracy[name].append(acc)

    import sklearn

    versions = f"Python {platform.python_version()}, numpy {np.__version__}, scikit-learn {sklearn.__version__}"
    if torch is not None:
        import torch as t

        versions += f", torch {t.__version__}"
    print(f"{EPOCHS} full-batch epochs of 2-64-64-64-2 on 900 samples, {args.rounds} interleaved rounds; {versions}")
    print(f"load average (1, 5, 15 min) before: {load_before}, after: {os.getloadavg()}")
    ours = statistics.median(times["saorsa_nn (Python)"])
    print("| tool | best (ms) | median (ms) | median / saorsa_nn | training accuracy (median) |")
    print("|---|---|---|---|---|")
    for name in tools:
        t = times[name]
        acc = statistics.median(accuracy[name])
        acc_text = "—" if acc != acc else f"{acc:.4f}"
        print(f"| {name} | {min(t) * 1e3:.1f} | {statistics.median(t) * 1e3:.1f} | {statistics.median(t) / ours:.2f} | {acc_text} |")
    if torch is None:
        print("PyTorch: not importable here, left out.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
