#!/usr/bin/env python3
"""Reference values for harness/tests/layer_stats.rs: a study's epoch-0 per-layer
statistics recomputed from its files alone.

Run (after making the two folders as the test's comment says):
  python3 harness/tests/reference/layer_stats_check.py paper=/tmp/ls-paper norm=/tmp/ls-norm \
      > harness/tests/reference/layer_stats_check.txt
(NumPy 2.4.6 produced the committed output.)

For every run folder runs/<init>/seed-<k>/ it reads the initial weights from
initial.bin (the checkpoint format of core/src/checkpoint: magic SNN1, u16 version,
u16 layer count, for version 2 a u32 normalization code, per layer u32 fan_in and
fan_out, then per layer W row-major, b, and for a normalized hidden layer its gains
and shifts, all f32 LE; a CRC-32 trailer) and the training set from data/train.csv,
and computes with NumPy, independently of the Rust code: the forward pass in float32
(LayerNorm with eps 1e-5 between each hidden layer and its ReLU), the gradient of the
mean cross-entropy, and each statistic as layer_stats.csv defines it (in float64 from
the float32 values). One line per case, run and layer:
case init seed layer pre_mean pre_sd act_mean act_sd zero_fraction dead_fraction
weight_grad_norm input_grad_norm weight_norm.
"""
import csv
import os
import struct
import sys

import numpy as np

EPS = np.float32(1e-5)


def read_checkpoint(path):
    buf = open(path, "rb").read()
    assert buf[:4] == b"SNN1", path
    version, count = struct.unpack_from("<HH", buf, 4)
    off = 8
    norm = False
    if version == 2:
        (code,) = struct.unpack_from("<I", buf, off)
        norm = code == 1
        off += 4
    shapes = []
    for _ in range(count):
        shapes.append(struct.unpack_from("<II", buf, off))
        off += 8
    layers = []
    for k, (fi, fo) in enumerate(shapes):
        w = np.frombuffer(buf, "<f4", fi * fo, off).reshape(fi, fo)
        off += 4 * fi * fo
        b = np.frombuffer(buf, "<f4", fo, off)
        off += 4 * fo
        g = s = None
        if norm and k + 1 < count:
            g = np.frombuffer(buf, "<f4", fo, off)
            s = np.frombuffer(buf, "<f4", fo, off + 4 * fo)
            off += 8 * fo
        layers.append((w, b, g, s))
    assert off + 4 == len(buf), path
    return layers


def read_data(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    x = np.array([[float(v) for v in r[:-1]] for r in rows[1:]], dtype=np.float32)
    y = np.array([int(r[-1]) for r in rows[1:]])
    return x, y


def stats(layers, x, y):
    n = len(y)
    acts, pres, xhats, invs = [x], [], [], []
    h = x
    for k, (w, b, g, s) in enumerate(layers):
        z = (h @ w + b).astype(np.float32)
        xh = inv = None
        if k + 1 < len(layers) and g is not None:
            mu = z.mean(axis=1, keepdims=True, dtype=np.float32)
            var = ((z - mu) ** 2).mean(axis=1, keepdims=True, dtype=np.float32)
            inv = (1 / np.sqrt(var + EPS)).astype(np.float32)
            xh = ((z - mu) * inv).astype(np.float32)
            z = (xh * g + s).astype(np.float32)
        xhats.append(xh)
        invs.append(inv)
        pres.append(z)
        h = z if k + 1 == len(layers) else np.maximum(z, 0).astype(np.float32)
        acts.append(h)
    logits = acts[-1].astype(np.float64)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(n), y] -= 1
    delta = (p / n).astype(np.float32)
    out = {}
    for k in reversed(range(len(layers))):
        w, b, g, s = layers[k]
        if xhats[k] is not None:
            xh, inv = xhats[k], invs[k]
            dxh = delta * g
            m = dxh.shape[1]
            delta = (inv / m * (m * dxh - dxh.sum(axis=1, keepdims=True)
                                - xh * (dxh * xh).sum(axis=1, keepdims=True))).astype(np.float32)
        d64 = delta.astype(np.float64)
        dw = acts[k].astype(np.float64).T @ d64
        dx = d64 @ w.astype(np.float64).T
        z = pres[k].astype(np.float64)
        a = acts[k + 1].astype(np.float64)
        out[k] = (z.mean(), z.std(), a.mean(), a.std(), float((a == 0).mean()), float((a == 0).all(axis=0).mean()),
                  np.linalg.norm(dw), np.linalg.norm(dx), np.linalg.norm(w.astype(np.float64)))
        if k > 0:
            delta = np.where(acts[k] > 0, (delta @ w.T).astype(np.float32), np.float32(0)).astype(np.float32)
    return out


for arg in sys.argv[1:]:
    case, folder = arg.split("=", 1)
    x, y = read_data(os.path.join(folder, "data", "train.csv"))
    runs = os.path.join(folder, "runs")
    for init in sorted(os.listdir(runs)):
        for seed_dir in sorted(os.listdir(os.path.join(runs, init))):
            seed = seed_dir.removeprefix("seed-")
            layers = read_checkpoint(os.path.join(runs, init, seed_dir, "initial.bin"))
            for k, v in sorted(stats(layers, x, y).items()):
                print(case, init, seed, k + 1, " ".join(f"{t:.12e}" for t in v))
