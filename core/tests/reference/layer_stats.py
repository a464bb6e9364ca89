#!/usr/bin/env python3
"""Reference values for core/tests/layer_stats.rs.

Run: python3 core/tests/reference/layer_stats.py > core/tests/reference/layer_stats.txt
(NumPy; the committed output is what the test reads.)

Independent of the Rust code: the network, parameters and data are made from
the same closed formulas as the test's (exact in float32), the forward and
backward passes are NumPy's float32 matrix products, and every statistic is
the definition in core/src/layer_stats.rs computed in float64 from them:
mean and population SD of the pre-activations (after LayerNorm when the layer
has one) and activations, exact-zero fraction, units zero on every sample,
the Frobenius norms of the weights, of dL/dW and of dL/dx = delta @ W.T (the
gradient passed to the layer below, before its ReLU mask), for the mean
cross-entropy over the batch. One line per case and layer:
case layer pre_mean pre_sd act_mean act_sd zero_fraction dead_units
weight_norm weight_grad_norm input_grad_norm.
"""
import numpy as np

EPS = np.float32(1e-5)


def params(widths, norm):
    """Per layer (W, b, gain, shift) from p[i] = ((37 i mod 23) − 11)/16 in
    checkpoint order: W row-major (fan_in × fan_out), b, then for a
    normalized hidden layer gain and shift (shifts from the same stream,
    gains 1 + ((i mod 5) − 2)/8 at their indices i)."""
    i = 0
    out = []
    for k in range(len(widths) - 1):
        fi, fo = widths[k], widths[k + 1]
        hidden = k + 1 < len(widths) - 1
        n = fi * fo + fo + (2 * fo if norm and hidden else 0)
        p = np.array([((37 * j) % 23 - 11) / 16 for j in range(i, i + n)], dtype=np.float32)
        i += n
        w = p[: fi * fo].reshape(fi, fo)
        b = p[fi * fo: fi * fo + fo]
        g = s = None
        if norm and hidden:
            g = np.array([1 + ((j % 5) - 2) / 8 for j in range(i - n + fi * fo + fo, i - n + fi * fo + 2 * fo)],
                         dtype=np.float32)
            s = p[fi * fo + 2 * fo:]
        out.append((w, b, g, s))
    return out


def data(n, f):
    x = np.array([((13 * j) % 11 - 5) / 4 for j in range(n * f)], dtype=np.float32).reshape(n, f)
    y = np.array([j % 2 for j in range(n)])
    return x, y


def case(name, widths, norm, n):
    layers = params(widths, norm)
    x, y = data(n, widths[0])
    acts, pres, xhats, invs = [x], [], [], []
    h = x
    for k, (w, b, g, s) in enumerate(layers):
        z = (h @ w + b).astype(np.float32)
        if k + 1 == len(layers):
            pres.append(z)
            acts.append(z)
            xhats.append(None)
            invs.append(None)
            break
        if g is not None:
            mu = z.mean(axis=1, keepdims=True, dtype=np.float32)
            var = ((z - mu) ** 2).mean(axis=1, keepdims=True, dtype=np.float32)
            inv = (1 / np.sqrt(var + EPS)).astype(np.float32)
            xh = ((z - mu) * inv).astype(np.float32)
            z = (xh * g + s).astype(np.float32)
            xhats.append(xh)
            invs.append(inv)
        else:
            xhats.append(None)
            invs.append(None)
        pres.append(z)
        h = np.maximum(z, 0).astype(np.float32)
        acts.append(h)
    logits = acts[-1]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    delta = p.copy()
    delta[np.arange(n), y] -= 1
    delta = (delta / n).astype(np.float32)
    rows = []
    L = len(layers)
    for k in reversed(range(L)):
        w, b, g, s = layers[k]
        if g is not None:  # delta is w.r.t. the LayerNorm's output: to its input
            xh, inv = xhats[k], invs[k]
            dxh = delta * g
            m = dxh.shape[1]
            delta = (inv / m * (m * dxh - dxh.sum(axis=1, keepdims=True) - xh * (dxh * xh).sum(axis=1, keepdims=True))).astype(np.float32)
        inp = acts[k]
        dw = inp.astype(np.float64).T @ delta.astype(np.float64)
        dx = delta.astype(np.float64) @ w.astype(np.float64).T
        z = pres[k].astype(np.float64)
        a = acts[k + 1].astype(np.float64)
        rows.append((k, z.mean(), z.std(), a.mean(), a.std(), float((a == 0).mean()), int((a == 0).all(axis=0).sum()),
                     np.linalg.norm(w.astype(np.float64)), np.linalg.norm(dw), np.linalg.norm(dx)))
        if k > 0:
            d = (delta @ w.T).astype(np.float32)
            delta = np.where(acts[k] > 0, d, np.float32(0)).astype(np.float32)
    for r in sorted(rows):
        print(name, r[0], " ".join(f"{v:.12e}" for v in r[1:6]), r[6], " ".join(f"{v:.12e}" for v in r[7:]))


case("plain", [3, 5, 4, 2], False, 7)
case("norm", [3, 6, 5, 2], True, 9)
case("wide", [6, 9, 3], False, 5)
