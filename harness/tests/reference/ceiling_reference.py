"""Reference Bayes-optimal accuracies for harness/tests/ceiling.rs.

Run: python3 harness/tests/reference/ceiling_reference.py (NumPy, SciPy).
Independent of the Rust code: different methods, same data-set definitions
(core/src/data/synthetic.rs and the paper's listing B):

- xor: four N((+-1, +-1), s^2 I) clusters labelled by XOR. The Bayes rule is
  the sign rule, so the accuracy is p^2 + (1 - p)^2 with p = Phi(1/s).
- blobs: K spherical N(mu_c, s^2 I) blobs centred on a regular K-gon of radius
  2. The Bayes rule is the nearest centre; the accuracy is the Gaussian mass of
  one Voronoi wedge, here by scipy.integrate.dblquad in Cartesian coordinates
  (and Phi(2/s) for K = 2, Phi(sqrt(2)/s)^2 for K = 4 in closed form).
- circles: |x| is Rice(rho/s, scale s) for rho = 1 (outer) and factor (inner);
  the Bayes rule thresholds |x| where the two densities cross (brentq), and
  the accuracy is (F_inner(r*) + 1 - F_outer(r*)) / 2 (scipy.stats.rice).
- moons, spirals: the integral of max_c f_c(x) / K over a fine 2-D grid
  (midpoint rule, spacing s/12, 6 s beyond the curves), with each class
  density f_c(x) the mean of N(x; mu_c(t), s^2 I) over 4000 midpoints t of the
  curve's latent variable. No Monte Carlo: the error is the grid's, far below
  the Rust Monte Carlo's standard error.
"""
import numpy as np
from scipy import integrate, optimize, stats

RADIUS = 2.0
TURNS = 0.75


def xor(s):
    p = stats.norm.cdf(1.0 / s)
    return p * p + (1.0 - p) ** 2


def blobs(k, s):
    # Wedge of the vertex (RADIUS, 0): points whose angle lies within pi/k.
    a = np.pi / k
    f = lambda y, x: stats.norm.pdf(x, RADIUS, s) * stats.norm.pdf(y, 0.0, s)
    if k == 2:
        val, _ = integrate.dblquad(f, 0, RADIUS + 40 * s, lambda x: -40 * s, lambda x: 40 * s)
        return val
    val, _ = integrate.dblquad(
        f, 0, RADIUS + 40 * s, lambda x: -np.tan(a) * x, lambda x: np.tan(a) * x, epsabs=1e-13, epsrel=1e-13
    )
    return val


def circles(factor, s):
    outer = stats.rice(b=1.0 / s, scale=s)
    inner = stats.rice(b=factor / s, scale=s)
    g = lambda r: outer.logpdf(r) - inner.logpdf(r)
    r = optimize.brentq(g, 1e-9, 1.0 + 20 * s, xtol=1e-15)
    return (inner.cdf(r) + outer.sf(r)) / 2.0


def grid_ceiling(curves, s, box, q=4000, h_div=12):
    t = (np.arange(q) + 0.5) / q
    mus = [np.stack(c(t), -1) for c in curves]
    h = s / h_div
    xs = np.arange(box[0], box[1], h) + h / 2
    ys = np.arange(box[2], box[3], h) + h / 2
    total = 0.0
    norm = 1.0 / (2 * np.pi * s * s)
    for x in xs:
        pts = np.stack([np.full_like(ys, x), ys], -1)
        best = np.zeros(len(ys))
        for m in mus:
            d2 = ((pts[:, None, :] - m[None, :, :]) ** 2).sum(-1)
            f = norm * np.exp(-d2 / (2 * s * s)).mean(1)
            best = np.maximum(best, f)
        total += best.sum() * h * h / len(curves)
    return total


def moons(s):
    curves = [
        lambda t: (np.cos(np.pi * t), np.sin(np.pi * t)),
        lambda t: (1 - np.cos(np.pi * t), 1 - np.sin(np.pi * t)),
    ]
    return grid_ceiling(curves, s, (-1 - 6 * s, 2 + 6 * s, -6 * s, 1 + 6 * s))


def spirals(k, s):
    def arm(c):
        return lambda u: (
            u * np.cos(2 * np.pi * (c / k + TURNS * u)),
            u * np.sin(2 * np.pi * (c / k + TURNS * u)),
        )

    return grid_ceiling([arm(c) for c in range(k)], s, (-1 - 6 * s, 1 + 6 * s, -1 - 6 * s, 1 + 6 * s))


if __name__ == "__main__":
    for s in [0.3, 0.6, 1.0]:
        print(f"xor noise={s}: {xor(s):.12f}")
    for k, s in [(2, 0.8), (3, 0.8), (4, 0.8), (4, 1.5), (7, 0.5)]:
        print(f"blobs:{k} std={s}: {blobs(k, s):.12f}")
    print(f"blobs closed form K=2 std=0.8: {stats.norm.cdf(RADIUS / 0.8):.12f}")
    print(f"blobs closed form K=4 std=0.8: {stats.norm.cdf(RADIUS * np.sin(np.pi / 4) / 0.8) ** 2:.12f}")
    for f, s in [(0.5, 0.2), (0.5, 0.1), (0.8, 0.15), (0.3, 1.0)]:
        print(f"circles factor={f} noise={s}: {circles(f, s):.12f}")
    print(f"moons noise=0.18: {moons(0.18):.6f}")
    print(f"spirals:3 noise=0.1: {spirals(3, 0.1):.6f}")
