#!/usr/bin/env python3
"""The paper's study in JAX + optax: every run at once, float32.

Same study as numpy_study.py (see its docstring and ../../../shared/paper.txt):
2→64→64→64→2 ReLU + softmax, categorical cross-entropy with predictions
clipped to [1e-7, 1 - 1e-7] in the reported loss, Adam (optax.adam, lr 0.001,
β1 0.9, β2 0.999, eps=1e-7 which optax adds *outside* the square root, as the
paper's framework does; `eps_root` stays 0), 250 full-batch epochs, small
normal (std 0.01) / Glorot normal / He normal, model seeds 0–9.

As a JAX user would write it: the 3 × 10 runs are stacked on a leading axis,
one epoch is a pure function, the epochs are a `lax.scan`, the runs a `vmap`,
and the whole study one `jit`. Metrics of an epoch (training loss/accuracy and
validation loss/accuracy) are those of the weights before that epoch's update;
final validation accuracy is computed after the last update.

The gradient is that of the unclipped mean cross-entropy, i.e. exactly the
framework's fused (softmax - onehot) / N; the clipping only affects the loss
that is reported, as in the framework.

Initial weights: `np.random.seed(seed)` then one `np.random.randn(fan_in,
fan_out)` per layer, scaled by the initializer's std (cast to float32), so
the three initializers share every draw for one seed (paired), and the runs
start from the same draws as numpy_study.py's. Data: the paper's listings B
and C in NumPy (same points as numpy_study.py).

Usage: python jax_study.py [--seeds N] [--epochs N]
"""
import argparse
import time

import numpy as np

import jax
import jax.numpy as jnp
import optax

from numpy_study import EPOCHS, INITS, WIDTHS, make_moons, train_val_split


def init_std(init, fan_in, fan_out):
    return {"small": 0.01, "glorot": np.sqrt(2.0 / (fan_in + fan_out)), "he": np.sqrt(2.0 / fan_in)}[init]


def initial_params(seeds):
    """Stacked parameters of every (init, seed) run, init-major."""
    draws = []
    for seed in range(seeds):
        np.random.seed(seed)
        draws.append([np.random.randn(a, b) for a, b in zip(WIDTHS[:-1], WIDTHS[1:])])
    params = []
    for layer, (a, b) in enumerate(zip(WIDTHS[:-1], WIDTHS[1:])):
        w = np.stack([init_std(init, a, b) * draws[seed][layer] for init in INITS for seed in range(seeds)])
        params.append({"w": jnp.asarray(w, jnp.float32), "b": jnp.zeros((len(w), b), jnp.float32)})
    return params


def logits_fn(params, x):
    for layer in params[:-1]:
        x = jax.nn.relu(x @ layer["w"] + layer["b"])
    return x @ params[-1]["w"] + params[-1]["b"]


def metrics(logits, y):
    p = jnp.clip(jax.nn.softmax(logits), 1e-7, 1 - 1e-7)
    loss = -jnp.mean(jnp.log(jnp.take_along_axis(p, y[:, None], axis=1)))
    acc = jnp.mean(jnp.argmax(logits, axis=1) == y)
    return loss, acc


def make_study(x_tr, y_tr, x_val, y_val, epochs):
    optimizer = optax.adam(learning_rate=1e-3, b1=0.9, b2=0.999, eps=1e-7)

    def train_loss(params):
        logits = logits_fn(params, x_tr)
        return optax.softmax_cross_entropy_with_integer_labels(logits, y_tr).mean(), logits

    def epoch(carry, _):
        params, opt_state = carry
        val = metrics(logits_fn(params, x_val), y_val)
        grads, logits = jax.grad(train_loss, has_aux=True)(params)
        train = metrics(logits, y_tr)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        params = optax.apply_updates(params, updates)
        return (params, opt_state), (*train, *val)

    def run(params):
        (params, _), per_epoch = jax.lax.scan(epoch, (params, optimizer.init(params)), None, length=epochs)
        final_val_acc = metrics(logits_fn(params, x_val), y_val)[1]
        return final_val_acc, per_epoch

    return jax.jit(jax.vmap(run))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=10, help="model seeds 0..N-1 (default 10)")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="epochs per run (default 250)")
    args = parser.parse_args()

    start = time.perf_counter()
    X, y = make_moons()
    X_tr, y_tr, X_val, y_val = train_val_split(X, y)
    study = make_study(jnp.asarray(X_tr), jnp.asarray(y_tr, jnp.int32), jnp.asarray(X_val),
                       jnp.asarray(y_val, jnp.int32), args.epochs)
    final, per_epoch = study(initial_params(args.seeds))
    final = np.asarray(jax.block_until_ready(final), dtype=np.float64).reshape(len(INITS), args.seeds)
    elapsed = time.perf_counter() - start

    print(f"jax {jax.__version__} optax {optax.__version__} float32 on {jax.devices()[0].platform}: "
          f"{len(INITS)} inits x {args.seeds} seeds x {args.epochs} epochs in one vmap/scan, "
          f"{len(y_tr)} train / {len(y_val)} val samples, {elapsed:.2f} s")
    print("| init | runs | final val acc mean ± std | min | max |")
    print("|---|---|---|---|---|")
    for init, a in zip(INITS, final):
        sd = a.std(ddof=1) if len(a) > 1 else 0.0
        print(f"| {init} | {len(a)} | {a.mean():.4f} ± {sd:.4f} | {a.min():.4f} | {a.max():.4f} |")


if __name__ == "__main__":
    main()
