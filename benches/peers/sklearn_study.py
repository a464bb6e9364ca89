#!/usr/bin/env python3
"""The paper's study with scikit-learn's MLPClassifier, as its user would write it.

Same study as numpy_study.py (see its docstring and ../../../shared/paper.txt)
as far as scikit-learn allows: ReLU hidden layers 64-64-64, Adam (lr 0.001,
β1 0.9, β2 0.999, ε 1e-7), no L2 penalty, 250 full-batch epochs, small normal
(std 0.01) / Glorot normal / He normal, model seeds 0–9: 30 runs. Same data
as numpy_study.py (listings B and C in NumPy: the same points and split),
float32 as the data come (scikit-learn keeps float32 input in float32), one
BLAS thread (threadpoolctl).

    MLPClassifier(hidden_layer_sizes=(64, 64, 64), activation="relu",
                  solver="adam", learning_rate_init=1e-3, beta_1=0.9,
                  beta_2=0.999, epsilon=1e-7, alpha=0.0, batch_size=900,
                  shuffle=False, early_stopping=False, tol=0.0,
                  n_iter_no_change=<epochs + 1>, max_iter=<epochs>,
                  random_state=seed)

trained by `partial_fit(X_train, y_train)` once per epoch: `fit` would run
all 250 epochs in one call, and the study needs the validation set evaluated
every epoch. One `partial_fit` is one epoch: with batch_size 900 = the
training set, one full-batch Adam step. `loss_curve_[-1]` after it is the
training loss of the forward pass before that step. The validation set is
evaluated (`predict_proba`) before every update: before the first one from the
initial weights (by a NumPy forward pass: the estimator cannot predict before
its first `partial_fit`), then after each update — the metrics of the next
epoch, and after the last one the final validation accuracy. Training
accuracy per epoch is not recorded: `partial_fit` does not return the
predictions of its forward pass, and another forward pass would charge the
peer for an API limit, not for the study's work.

Where scikit-learn differs from the paper's framework, and cannot be told not
to:

- Output layer: for two classes MLPClassifier has *one* logistic output unit
  and binary cross-entropy (2→64→64→64→1), not two softmax units. The
  function class is the same (softmax over (z0, z1) = logistic(z1 − z0)).
  The initial output weights are the difference of the paper's two output
  columns (w[:, 1] − w[:, 0]), so every run starts from exactly the network
  function numpy_study.py's run of the same (init, seed) starts from.
- Initial weights: MLPClassifier draws its own (Glorot-uniform-like) and
  offers no public way to pass any. `PaperInitMLPClassifier` overrides its
  private `_init_coef(fan_in, fan_out, dtype)`, which `_initialize` calls
  once per layer on the first `partial_fit`, to return the paper's draws:
  `np.random.seed(seed)`, one `randn(fan_in, fan_out)` per layer scaled by
  the initializer's std (numpy_study.initial_weights), zero biases.
  Private API: checked against the pinned scikit-learn (compare.sh).
- Adam's ε: scikit-learn computes lr_t = lr · √(1 − β2^t) / (1 − β1^t) and
  θ ← θ − lr_t · m / (√v + ε), the "efficient" form of Kingma & Ba's
  Algorithm 1, i.e. θ − lr · m̂ / (√v̂ + ε / √(1 − β2^t)): ε is outside the
  square root but added *before* the bias correction, so its effective size
  is ε / √(1 − β2^t) (3.2e-6 at step 1, 2.1e-7 at step 250) instead of 1e-7.
  That matters only where √v̂ is that small, i.e. for the tiny gradients of
  small-normal runs near their start.
- The training loss it reports clips probabilities to [eps, 1 − eps] of the
  dtype (float32: 1.2e-7), not 1e-7; the validation loss here clips to 1e-7.

Usage: python sklearn_study.py [--seeds N] [--epochs N]
"""
import argparse
import time

import numpy as np
import sklearn
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits

from numpy_study import EPOCHS, INITS, WIDTHS, initial_weights, make_moons, print_table, train_val_split

CLASSES = np.array([0, 1])


class PaperInitMLPClassifier(MLPClassifier):
    """MLPClassifier whose first `partial_fit` starts from `paper_init`: a list
    of (coef (fan_in, fan_out), intercept (fan_out,)) per layer."""

    def _init_coef(self, fan_in, fan_out, dtype):
        layer = len(self.coefs_)  # _initialize appends layer by layer
        coef, intercept = self.paper_init[layer]
        if coef.shape != (fan_in, fan_out):
            raise RuntimeError(f"layer {layer}: MLPClassifier asks for {fan_in}x{fan_out}, the paper's is {coef.shape}")
        self.paper_layers_initialized_ = layer + 1
        return coef.astype(dtype), intercept.astype(dtype)


def paper_init(seed, init):
    """numpy_study's initial weights as MLPClassifier's layers: the hidden
    layers as they are, the two softmax output units folded into one
    logistic unit (w[:, 1] − w[:, 0]): the same initial network function."""
    weights = initial_weights(seed, init)
    *hidden, out = weights
    layers = [(w, np.zeros(w.shape[1])) for w in hidden]
    layers.append((out[:, 1:2] - out[:, 0:1], np.zeros(1)))
    return layers


def proba_of(layers, X):
    """P(class 1) of the initial network, as MLPClassifier computes it (in X's dtype)."""
    a = X
    for w, b in layers[:-1]:
        a = np.maximum(a @ w.astype(X.dtype) + b.astype(X.dtype), 0)
    w, b = layers[-1]
    return 1 / (1 + np.exp(-(a @ w.astype(X.dtype) + b.astype(X.dtype))))


def val_metrics(p1, y):
    """Validation loss (probabilities clipped to [1e-7, 1 − 1e-7] like the
    framework's) and accuracy, from P(class 1)."""
    p1 = np.asarray(p1, dtype=np.float64).ravel()
    p_true = np.clip(np.where(y == 1, p1, 1 - p1), 1e-7, 1 - 1e-7)
    return float(-np.mean(np.log(p_true))), float(np.mean((p1 > 0.5) == (y == 1)))


def run_trial(X_tr, y_tr, X_val, y_val, *, seed, init, epochs):
    clf = PaperInitMLPClassifier(
        hidden_layer_sizes=tuple(WIDTHS[1:-1]), activation="relu", solver="adam",
        learning_rate_init=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7, alpha=0.0,
        batch_size=len(X_tr), shuffle=False, early_stopping=False, tol=0.0,
        n_iter_no_change=epochs + 1, max_iter=epochs, random_state=seed,
    )
    clf.paper_init = paper_init(seed, init)
    history = {"loss": [], "val_loss": [], "val_accuracy": []}
    # Validation before the first update, from the initial weights.
    val = val_metrics(proba_of(clf.paper_init, X_val), y_val)
    for _ in range(epochs):
        history["val_loss"].append(val[0])
        history["val_accuracy"].append(val[1])
        clf.partial_fit(X_tr, y_tr, classes=CLASSES)  # one full-batch Adam step
        if getattr(clf, "paper_layers_initialized_", 0) != len(clf.paper_init):
            # A scikit-learn that no longer calls _init_coef would train from its own weights.
            raise RuntimeError(f"scikit-learn {sklearn.__version__} did not take the paper's initial weights")
        history["loss"].append(clf.loss_curve_[-1])
        # After this update = before the next one (and, after the last, the final).
        val = val_metrics(clf.predict_proba(X_val)[:, 1], y_val)
    return val[1], history


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=10, help="model seeds 0..N-1 (default 10)")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="epochs per run (default 250)")
    args = parser.parse_args()

    start = time.perf_counter()
    X, y = make_moons()
    X_tr, y_tr, X_val, y_val = train_val_split(X, y)
    final = {init: [] for init in INITS}
    with threadpool_limits(limits=1, user_api="blas"):
        for init in INITS:
            for seed in range(args.seeds):
                acc, _ = run_trial(X_tr, y_tr, X_val, y_val, seed=seed, init=init, epochs=args.epochs)
                final[init].append(acc)
    elapsed = time.perf_counter() - start

    print(f"scikit-learn {sklearn.__version__} MLPClassifier float32 (one logistic output), partial_fit "
          f"per epoch, 1 BLAS thread: {len(INITS)} inits x {args.seeds} seeds x {args.epochs} epochs, "
          f"{len(y_tr)} train / {len(y_val)} val samples, {elapsed:.2f} s")
    print_table(final)


if __name__ == "__main__":
    main()
