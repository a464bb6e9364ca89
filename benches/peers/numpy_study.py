#!/usr/bin/env python3
"""The paper's study in plain NumPy, as a user of its framework would write it.

"Why Weight Initialization Still Matters" (../../../shared/paper.txt): a
2→64→64→64→2 ReLU network with softmax and categorical cross-entropy, trained
full batch on two moons with Adam (lr 0.001) for 250 epochs, small normal
(std 0.01) vs Glorot normal vs He normal, model seeds 0–9.

Semantics are those of the paper's framework (the "Neural Networks from
Scratch" / nnfs classes): float64 parameters, weights shaped
(fan_in, fan_out), zero biases, predictions clipped to [1e-7, 1 - 1e-7] in the
loss, the fused softmax + cross-entropy gradient (p - onehot) / N, Adam with
β1 0.9, β2 0.999 and ε = 1e-7 *outside* the square root, bias correction
1 - β^t with t counted from 1. Loss and accuracy of an epoch are those of the
forward pass *before* that epoch's update; the validation set is evaluated
every epoch before the update too (as the saorsa-nn harness does), and the
final validation accuracy is `model.predict` after the last update.

Initialization: `np.random.seed(seed)`, then one `np.random.randn(fan_in,
fan_out)` per layer, scaled by the initializer's std, so for one seed the three
initializers share every draw (paired).

Data: listings B and C of the paper (`make_moons` with NumPy's
`default_rng`, 1200 samples, noise 0.18, data seed 1; a 75/25 split with seed
1). No scikit-learn. The harness draws the same distribution with its own
generator, so the points differ and final accuracies agree only to within the
seed-to-seed spread.

Usage: python numpy_study.py [--seeds N] [--epochs N]
Set OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 for one BLAS
thread (compare.sh does).
"""
import argparse
import time

import numpy as np

# --- the paper's settings (core/src/paper.rs) --------------------------------
SAMPLES, NOISE, DATA_SEED, SPLIT_SEED, VAL_RATIO = 1200, 0.18, 1, 1, 0.25
WIDTHS = [2, 64, 64, 64, 2]
EPOCHS = 250
INITS = ["small", "glorot", "he"]


# --- listing (B): two moons ---------------------------------------------------
def make_moons(n_samples=SAMPLES, noise=NOISE, seed=DATA_SEED):
    rng = np.random.default_rng(seed)
    n1 = n_samples // 2
    n2 = n_samples - n1
    t1 = rng.uniform(0, np.pi, size=n1)
    x1 = np.c_[np.cos(t1), np.sin(t1)]
    t2 = rng.uniform(0, np.pi, size=n2)
    x2 = np.c_[1 - np.cos(t2), 1 - np.sin(t2)]
    X = np.vstack([x1, x2])
    y = np.hstack([np.zeros(n1, dtype=int), np.ones(n2, dtype=int)])
    X += rng.normal(scale=noise, size=X.shape)
    idx = rng.permutation(n_samples)
    return X[idx].astype(np.float32), y[idx]


# --- listing (C): the split ---------------------------------------------------
def train_val_split(X, y, val_ratio=VAL_RATIO, seed=SPLIT_SEED):
    rng = np.random.default_rng(seed)
    idx = rng.permutation(len(X))
    n_val = int(len(X) * val_ratio)
    return X[idx[n_val:]], y[idx[n_val:]], X[idx[:n_val]], y[idx[:n_val]]


# --- the framework's classes (nnfs semantics) --------------------------------
class Layer_Dense:
    def __init__(self, n_inputs, n_neurons, weight_method="small"):
        if weight_method == "small":
            std = 0.01
        elif weight_method == "glorot":
            std = np.sqrt(2.0 / (n_inputs + n_neurons))
        elif weight_method == "he":
            std = np.sqrt(2.0 / n_inputs)
        else:
            raise ValueError(f"unknown weight_method {weight_method!r}")
        self.weights = std * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights) + self.biases

    def backward(self, dvalues):
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dinputs = np.dot(dvalues, self.weights.T)


class Activation_ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0] = 0


class Activation_Softmax:
    def forward(self, inputs):
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)


class Loss_CategoricalCrossentropy:
    def calculate(self, y_pred, y_true):
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        correct_confidences = y_pred_clipped[range(len(y_pred)), y_true]
        return np.mean(-np.log(correct_confidences))


class Activation_Softmax_Loss_CategoricalCrossentropy:
    """The fused backward pass: (p - onehot) / N."""

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        self.dinputs = dvalues.copy()
        self.dinputs[range(samples), y_true] -= 1
        self.dinputs = self.dinputs / samples


class Optimizer_Adam:
    def __init__(self, learning_rate=0.001, epsilon=1e-7, beta_1=0.9, beta_2=0.999):
        self.learning_rate = learning_rate
        self.epsilon = epsilon
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.iterations = 0

    def update_params(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
            layer.bias_cache = np.zeros_like(layer.biases)
        b1, b2, t = self.beta_1, self.beta_2, self.iterations + 1
        layer.weight_momentums = b1 * layer.weight_momentums + (1 - b1) * layer.dweights
        layer.bias_momentums = b1 * layer.bias_momentums + (1 - b1) * layer.dbiases
        weight_momentums_corrected = layer.weight_momentums / (1 - b1**t)
        bias_momentums_corrected = layer.bias_momentums / (1 - b1**t)
        layer.weight_cache = b2 * layer.weight_cache + (1 - b2) * layer.dweights**2
        layer.bias_cache = b2 * layer.bias_cache + (1 - b2) * layer.dbiases**2
        weight_cache_corrected = layer.weight_cache / (1 - b2**t)
        bias_cache_corrected = layer.bias_cache / (1 - b2**t)
        layer.weights += -self.learning_rate * weight_momentums_corrected / (
            np.sqrt(weight_cache_corrected) + self.epsilon
        )
        layer.biases += -self.learning_rate * bias_momentums_corrected / (
            np.sqrt(bias_cache_corrected) + self.epsilon
        )

    def post_update_params(self):
        self.iterations += 1


class Model:
    def __init__(self, weight_method):
        self.dense = [Layer_Dense(a, b, weight_method) for a, b in zip(WIDTHS[:-1], WIDTHS[1:])]
        self.relu = [Activation_ReLU() for _ in self.dense[:-1]]
        self.softmax = Activation_Softmax()
        self.loss = Loss_CategoricalCrossentropy()
        self.softmax_loss = Activation_Softmax_Loss_CategoricalCrossentropy()
        self.optimizer = Optimizer_Adam(learning_rate=0.001)
        self.metric_dict = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}

    def forward(self, X):
        out = X
        for dense, relu in zip(self.dense[:-1], self.relu):
            dense.forward(out)
            relu.forward(dense.output)
            out = relu.output
        self.dense[-1].forward(out)
        self.softmax.forward(self.dense[-1].output)
        return self.softmax.output

    def backward(self, output, y):
        self.softmax_loss.backward(output, y)
        dvalues = self.softmax_loss.dinputs
        self.dense[-1].backward(dvalues)
        dvalues = self.dense[-1].dinputs
        for dense, relu in zip(reversed(self.dense[:-1]), reversed(self.relu)):
            relu.backward(dvalues)
            dense.backward(relu.dinputs)
            dvalues = dense.dinputs

    def evaluate(self, X, y):
        output = self.forward(X)
        return self.loss.calculate(output, y), float(np.mean(np.argmax(output, axis=1) == y))

    def train(self, X, y, *, epochs, validation_data):
        X_val, y_val = validation_data
        for _ in range(epochs):
            # Metrics of the weights before this epoch's update.
            val_loss, val_acc = self.evaluate(X_val, y_val)
            output = self.forward(X)
            loss = self.loss.calculate(output, y)
            acc = float(np.mean(np.argmax(output, axis=1) == y))
            self.backward(output, y)
            for dense in self.dense:
                self.optimizer.update_params(dense)
            self.optimizer.post_update_params()
            for key, value in zip(self.metric_dict, (loss, acc, val_loss, val_acc)):
                self.metric_dict[key].append(value)

    def predict(self, X):
        return self.forward(X)


# --- shared with the other peers (jax/torch/sklearn_study.py) ------------------
def init_std(init, fan_in, fan_out):
    """The initializer's standard deviation, as Layer_Dense computes it."""
    return {"small": 0.01, "glorot": np.sqrt(2.0 / (fan_in + fan_out)), "he": np.sqrt(2.0 / fan_in)}[init]


def initial_weights(seed, init):
    """The weights Model(init) starts from after np.random.seed(seed): one
    randn(fan_in, fan_out) per layer, in order, scaled by the initializer
    (float64, shape (fan_in, fan_out)); biases start at zero."""
    np.random.seed(seed)
    return [init_std(init, a, b) * np.random.randn(a, b) for a, b in zip(WIDTHS[:-1], WIDTHS[1:])]


def print_table(final):
    """The accuracy table every peer prints: final validation accuracy per
    init, mean ± SD (ddof 1), min, max. `final` maps init -> accuracies."""
    print("| init | runs | final val acc mean ± std | min | max |")
    print("|---|---|---|---|---|")
    for init in INITS:
        a = np.asarray(final[init], dtype=np.float64)
        sd = a.std(ddof=1) if len(a) > 1 else 0.0
        print(f"| {init} | {len(a)} | {a.mean():.4f} ± {sd:.4f} | {a.min():.4f} | {a.max():.4f} |")


# --- listings (E) and (F): one trial, the study -------------------------------
def run_trial(X_tr, y_tr, X_val, y_val, *, seed, weight_method, epochs):
    np.random.seed(seed)
    model = Model(weight_method)
    model.train(X_tr, y_tr, epochs=epochs, validation_data=(X_val, y_val))
    y_pred = np.argmax(model.predict(X_val), axis=1)
    return {
        "train_acc": np.asarray(model.metric_dict["accuracy"], dtype=float),
        "train_loss": np.asarray(model.metric_dict["loss"], dtype=float),
        "val_acc_per_epoch": np.asarray(model.metric_dict["val_accuracy"], dtype=float),
        "val_acc": float(np.mean(y_pred == y_val)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=10, help="model seeds 0..N-1 (default 10)")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="epochs per run (default 250)")
    args = parser.parse_args()

    start = time.perf_counter()
    X, y = make_moons()
    X_tr, y_tr, X_val, y_val = train_val_split(X, y)
    final = {init: [] for init in INITS}
    for init in INITS:
        for seed in range(args.seeds):
            out = run_trial(X_tr, y_tr, X_val, y_val, seed=seed, weight_method=init, epochs=args.epochs)
            final[init].append(out["val_acc"])
    elapsed = time.perf_counter() - start

    print(f"numpy {np.__version__} float64: {len(INITS)} inits x {args.seeds} seeds x {args.epochs} epochs, "
          f"{len(y_tr)} train / {len(y_val)} val samples, {elapsed:.2f} s")
    print_table(final)


if __name__ == "__main__":
    main()
