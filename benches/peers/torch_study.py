#!/usr/bin/env python3
"""The paper's study in PyTorch, float32, as a PyTorch user would write it.

Same study as numpy_study.py (see its docstring and ../../../shared/paper.txt):
2→64→64→64→2 ReLU + softmax, categorical cross-entropy, Adam (lr 0.001, β1
0.9, β2 0.999, ε 1e-7), 250 full-batch epochs, small normal (std 0.01) /
Glorot normal / He normal, model seeds 0–9: 30 runs.

Same data and the same initial weights as numpy_study.py: the paper's listings
B and C in NumPy (`make_moons` with `default_rng`, data seed 1; the 75/25
split, seed 1), and per seed `np.random.seed(seed)` then one `randn(fan_in,
fan_out)` per layer scaled by the initializer's std (numpy_study.
initial_weights), cast to float32 and transposed into `nn.Linear`'s
(out, in) layout; zero biases. So the three initializers share every draw for
one seed (paired), and every run starts from the same weights as NumPy's and
JAX's.

Adam: `torch.optim.Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-7)`. PyTorch's
documented algorithm (the docstring of torch.optim.Adam, and its
single-tensor code: `denom = sqrt(v) / sqrt(1 - β2^t) + eps`,
`param -= lr / (1 - β1^t) * m / denom`) is θ ← θ − lr · m̂ / (√v̂ + ε) with
m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t), t from 1: ε *outside* the square
root, after bias correction — exactly the paper's framework. The `vmap`
variant writes the same update by hand.

The gradient is that of the unclipped mean cross-entropy
(`F.cross_entropy`), i.e. the framework's fused (softmax − onehot) / N; the
reported loss clips the probabilities to [1e-7, 1 − 1e-7] like the
framework's. Metrics of an epoch (training loss and accuracy, validation
loss and accuracy) are those of the weights *before* that epoch's update: the
training ones from the forward pass the gradient comes from, the validation
set evaluated every epoch before the update. The final validation accuracy
is computed after the last update.

Two variants (`--variant`):

  loop  a plain training loop per run, as in PyTorch's tutorials:
        nn.Sequential of nn.Linear/nn.ReLU, `optimizer.zero_grad()`,
        `loss.backward()`, `optimizer.step()`, the validation forward under
        `torch.no_grad()`; the 30 runs one after another.
  vmap  all 30 runs at once, as a PyTorch user writing for speed would: the
        parameters stacked on a leading axis, `torch.func.functional_call`
        of the same nn.Sequential, `torch.func.grad` (with the logits as
        auxiliary output) under `torch.func.vmap`, and Adam written over the
        stacked tensors (in place, under `torch.no_grad()`).
        `--compile` additionally passes the epoch through `torch.compile`
        (inductor's C++ kernels, built with the machine's C compiler; the first
        run in an empty cache spends ~30 s compiling: benches/peers/README.md).

Threads: `torch.set_num_threads(--threads)` (default 2, as the other peers
and our harness get).

Usage: python torch_study.py [--variant loop|vmap] [--seeds N] [--epochs N] [--threads N]
"""
import argparse
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from numpy_study import EPOCHS, INITS, WIDTHS, initial_weights, make_moons, print_table, train_val_split

LR, BETAS, EPS = 1e-3, (0.9, 0.999), 1e-7


def make_model():
    layers = []
    for a, b in zip(WIDTHS[:-2], WIDTHS[1:-1]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    layers.append(nn.Linear(WIDTHS[-2], WIDTHS[-1]))
    return nn.Sequential(*layers)


def paper_state(seed, init):
    """The model's state_dict for (seed, init): numpy_study's draws, float32,
    weights transposed to nn.Linear's (out, in), zero biases."""
    state = {}
    linear = 0
    for w in initial_weights(seed, init):
        state[f"{linear}.weight"] = torch.from_numpy(np.ascontiguousarray(w.T, dtype=np.float32))
        state[f"{linear}.bias"] = torch.zeros(w.shape[1])
        linear += 2  # nn.Sequential index: Linear, ReLU, Linear, ...
    return state


def metrics(logits, y):
    """Reported loss (probabilities clipped like the framework's) and accuracy."""
    p = F.softmax(logits, dim=-1).clamp(1e-7, 1 - 1e-7)
    index = y.unsqueeze(-1).expand(*logits.shape[:-1], 1)  # stacked runs share one y
    loss = -torch.log(p.gather(-1, index)).mean(dim=(-2, -1))
    acc = (logits.argmax(dim=-1) == y).float().mean(dim=-1)
    return loss, acc


# --- variant loop: one run after another, the tutorials' training loop --------
def run_loop(x_tr, y_tr, x_val, y_val, *, seed, init, epochs):
    model = make_model()
    model.load_state_dict(paper_state(seed, init))
    optimizer = torch.optim.Adam(model.parameters(), lr=LR, betas=BETAS, eps=EPS)
    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    for _ in range(epochs):
        with torch.no_grad():  # validation, before this epoch's update
            val_loss, val_acc = metrics(model(x_val), y_val)
        optimizer.zero_grad()
        logits = model(x_tr)
        loss = F.cross_entropy(logits, y_tr)
        loss.backward()
        optimizer.step()
        train_loss, train_acc = metrics(logits.detach(), y_tr)
        for key, value in zip(history, (train_loss, train_acc, val_loss, val_acc)):
            history[key].append(value.item())
    with torch.no_grad():
        final_val_acc = (model(x_val).argmax(dim=1) == y_val).sum().item() / len(y_val)
    return final_val_acc, history


def study_loop(x_tr, y_tr, x_val, y_val, seeds, epochs):
    final = {init: [] for init in INITS}
    for init in INITS:
        for seed in range(seeds):
            acc, _ = run_loop(x_tr, y_tr, x_val, y_val, seed=seed, init=init, epochs=epochs)
            final[init].append(acc)
    return final


# --- variant vmap: all runs stacked, torch.func ----------------------------------
def study_vmap(x_tr, y_tr, x_val, y_val, seeds, epochs, compile_epoch=False):
    from torch.func import functional_call, grad, vmap

    model = make_model()  # only its structure: the parameters are passed in
    states = [paper_state(seed, init) for init in INITS for seed in range(seeds)]  # init-major
    params = {name: torch.stack([s[name] for s in states]) for name in states[0]}
    m = {k: torch.zeros_like(p) for k, p in params.items()}  # Adam's first moments
    v = {k: torch.zeros_like(p) for k, p in params.items()}  # and second moments

    def logits_fn(p, x):
        return functional_call(model, p, (x,))

    def loss_fn(p, x, y):
        logits = logits_fn(p, x)
        return F.cross_entropy(logits, y), logits

    batched_logits = vmap(logits_fn, in_dims=(0, None))
    batched_grad = vmap(grad(loss_fn, has_aux=True), in_dims=(0, None, None))

    b1, b2 = BETAS

    def epoch(params, m, v, c1, c2):
        """Metrics of the weights before the update, then an Adam step with bias
        corrections c1 = 1 − β1^t, c2 = 1 − β2^t, in place. c1 and c2 are 0-d float64
        tensors, computed in double like torch.optim.Adam's and the framework's, and
        tensors so that torch.compile does not specialize on their values."""
        with torch.no_grad():
            val = metrics(batched_logits(params, x_val), y_val)
        grads, logits = batched_grad(params, x_tr, y_tr)
        train = metrics(logits, y_tr)
        with torch.no_grad():
            for k in params:
                g = grads[k]
                m[k].mul_(b1).add_(g, alpha=1 - b1)
                v[k].mul_(b2).addcmul_(g, g, value=1 - b2)
                params[k].sub_(LR * (m[k] / c1) / ((v[k] / c2).sqrt() + EPS))
        return (*train, *val)

    step = torch.compile(epoch) if compile_epoch else epoch
    corrections = [(torch.tensor(1 - b1**t, dtype=torch.float64),
                    torch.tensor(1 - b2**t, dtype=torch.float64)) for t in range(1, epochs + 1)]
    per_epoch = [step(params, m, v, c1, c2) for c1, c2 in corrections]
    # (loss, accuracy, val_loss, val_accuracy), each (epochs, runs)
    history = [torch.stack(column) for column in zip(*per_epoch)]
    with torch.no_grad():
        correct = (batched_logits(params, x_val).argmax(dim=-1) == y_val).sum(dim=-1)
    final = correct.numpy().reshape(len(INITS), seeds) / len(y_val)
    return {init: final[i] for i, init in enumerate(INITS)}, history


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variant", choices=["loop", "vmap"], default="loop",
                        help="loop: a training loop per run; vmap: all runs stacked with torch.func (default loop)")
    parser.add_argument("--seeds", type=int, default=10, help="model seeds 0..N-1 (default 10)")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="epochs per run (default 250)")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    parser.add_argument("--compile", action="store_true", help="vmap only: torch.compile the epoch")
    args = parser.parse_args()
    if args.compile and args.variant != "vmap":
        parser.error("--compile goes with --variant vmap")

    start = time.perf_counter()
    torch.set_num_threads(args.threads)
    X, y = make_moons()
    X_tr, y_tr, X_val, y_val = train_val_split(X, y)
    data = (torch.from_numpy(X_tr), torch.from_numpy(y_tr).long(),
            torch.from_numpy(X_val), torch.from_numpy(y_val).long())
    if args.variant == "loop":
        final = study_loop(*data, args.seeds, args.epochs)
        how = "a training loop per run"
    else:
        final, _ = study_vmap(*data, args.seeds, args.epochs, compile_epoch=args.compile)
        how = "all runs in one torch.func vmap" + (", torch.compile" if args.compile else "")
    elapsed = time.perf_counter() - start

    print(f"torch {torch.__version__} float32, {how}, {torch.get_num_threads()} threads: "
          f"{len(INITS)} inits x {args.seeds} seeds x {args.epochs} epochs, "
          f"{len(y_tr)} train / {len(y_val)} val samples, {elapsed:.2f} s")
    print_table(final)


if __name__ == "__main__":
    main()
