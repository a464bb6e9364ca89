#!/usr/bin/env python3
"""Reference values for the exact, permutation and robust tests of
harness/src/stats/ (signed_rank, friedman, page, seed_slopes, sd_ratio, bca,
yuen, correction), checked in harness/src/stats/<routine>/tests.rs.

Run:  python3 harness/tests/reference/stats_v2.py > harness/tests/reference/stats_v2.txt
(Python 3.11.7, NumPy 2.4.6, SciPy 1.17.1, statsmodels 0.15.0 produced the
committed stats_v2.txt; every float is repr(float(...)).)

Independent of the Rust code: SciPy/statsmodels where they implement the
test, otherwise NumPy (or exact Python integers/fractions) written from the
formula. The Monte Carlo permutation tests and the bootstrap draw from
SplitMix64; this script re-implements it (and Lemire's bounded integers) so
that the Rust Monte Carlo p-values and bootstrap resamples are reproduced
exactly, not only within Monte Carlo error. It takes about 15 minutes on one core
(SciPy's exact permutation test enumerates 2^20 sign flips per alternative).
"""
import itertools
import math
from fractions import Fraction

import numpy as np
from scipy import stats
from scipy.stats._resampling import _bca_interval  # SciPy's own BCa step
from statsmodels.stats.multitest import multipletests

M64 = (1 << 64) - 1
EPS100 = np.finfo(float).eps * 100


def out(name, value):
    if isinstance(value, (list, tuple, np.ndarray)):
        print(f"{name} = [{', '.join(repr(float(v)) for v in value)}]")
    else:
        print(f"{name} = {value!r}")


# ---------------------------------------------------------------- SplitMix64
def splitmix_words(seed, count):
    """The first `count` outputs of SplitMix64 started at `seed` (NumPy uint64,
    arithmetic mod 2^64)."""
    with np.errstate(over="ignore"):
        k = np.arange(1, count + 1, dtype=np.uint64)
        z = np.uint64(seed) + k * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


class SplitMix:
    """SplitMix64 with Lemire's unbiased bounded integers, in Python ints."""

    def __init__(self, seed):
        self.s = seed

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def below(self, n):
        m = self.next() * n
        if (m & M64) < n:
            t = (-n % (1 << 64)) % n
            while (m & M64) < t:
                m = self.next() * n
        return m >> 64


# ------------------------------------------------------- permutation engine
def tails(null, t):
    """(#{T* >= t}, #{T* <= t}) with SciPy's permutation_test tolerance."""
    g = abs(EPS100 * t) if np.isfinite(t) else 0.0
    return int(np.count_nonzero(null >= t - g)), int(np.count_nonzero(null <= t + g))


def combine(alt, pg, pl):
    return {"greater": min(pg, 1.0), "less": min(pl, 1.0), "two-sided": min(1.0, 2 * min(pg, pl))}[alt]


def flip_patterns_exact(n):
    """All 2^n flip patterns, pattern k flipping unit i where bit i of k is set."""
    k = np.arange(1 << n, dtype=np.uint64)[:, None]
    return ((k >> np.arange(n, dtype=np.uint64)) & np.uint64(1)).astype(bool)


def flip_patterns_mc(n, resamples, seed):
    assert n <= 64
    w = splitmix_words(seed, resamples)[:, None]
    return ((w >> np.arange(n, dtype=np.uint64)) & np.uint64(1)).astype(bool)


def flip_p(stat, n, alt, exact, resamples=99_999, seed=0x5EED):
    t = stat(np.zeros((1, n), dtype=bool))[0]
    if exact:
        null = stat(flip_patterns_exact(n))
        ge, le = tails(null, t)
        total = float(1 << n)
        return t, combine(alt, ge / total, le / total)
    null = stat(flip_patterns_mc(n, resamples, seed))
    ge, le = tails(null, t)
    return t, combine(alt, (ge + 1) / (resamples + 1), (le + 1) / (resamples + 1))


ALTS = ["greater", "less", "two-sided"]

# ------------------------------------------------------------- signed rank
print("# signed_rank")


def signed_rank_exact_fraction(d, alt):
    """Exact sign-flip distribution of W+ on mid-ranks, in Python integers."""
    nz = [x for x in d if x != 0]
    r2 = [int(round(2 * r)) for r in stats.rankdata(np.abs(nz))]
    w2 = sum(r for r, x in zip(r2, nz) if x > 0)
    counts = {0: 1}
    for r in r2:
        nxt = dict(counts)
        for s, c in counts.items():
            nxt[s + r] = nxt.get(s + r, 0) + c
        counts = nxt
    total = 2 ** len(nz)
    pg = Fraction(sum(c for s, c in counts.items() if s >= w2), total)
    pl = Fraction(sum(c for s, c in counts.items() if s <= w2), total)
    p = {"greater": pg, "less": pl, "two-sided": min(Fraction(1), 2 * min(pg, pl))}[alt]
    return w2 / 2, float(p)


S_NO_TIES = [0.7, -1.3, 2.1, 0.4, 1.9, -0.2, 3.3, 1.1, -0.9, 2.6, 1.5, 0.8]
S_ONE = [0.5]
S_ALL_TIED = [0.01] * 8
# Accuracy differences on a 1/300 grid: ties and two zeros (18 non-zero).
S_ACC = [1, -1, 2, 1, 0, 3, -1, 2, 1, 2, -2, 3, 0, 1, 3, -1, 2, 1, 4, 1]
S_ACC = [v / 300 for v in S_ACC]
rng = np.random.default_rng(20240611)
S_50 = list(np.round(rng.normal(0.3, 1.0, 50), 6))
S_51 = list(np.round(rng.normal(0.3, 1.0, 51), 6))
S_TIES_30 = [int(v) for v in rng.integers(-3, 6, 30)]
for name, d in [("S_NO_TIES", S_NO_TIES), ("S_50", S_50), ("S_51", S_51), ("S_TIES_30", S_TIES_30)]:
    out(name, d)
for name, d in [("S_NO_TIES", S_NO_TIES), ("S_ONE", S_ONE), ("S_ALL_TIED", S_ALL_TIED),
                ("S_ACC", S_ACC), ("S_50", S_50), ("S_TIES_30", S_TIES_30)]:
    for alt in ALTS:
        w, p = signed_rank_exact_fraction(d, alt)
        line = f"{name} {alt}: W+ = {w!r}, p_exact_fraction = {p!r}"
        nz = [x for x in d if x != 0]
        has_ties = len(set(np.abs(nz))) < len(nz)
        if not has_ties:
            sp = stats.wilcoxon(d, method="exact", alternative=alt).pvalue
            line += f", scipy_exact = {float(sp)!r}"
        elif len(d) <= 20:
            sp = stats.wilcoxon(d, alternative=alt,
                                method=stats.PermutationMethod(n_resamples=np.inf)).pvalue
            line += f", scipy_permutation = {float(sp)!r}"
        print(line)

# n = 51 > 50: Monte Carlo sign flips of the mid-ranks, reproduced exactly.
nz = np.array([x for x in S_51 if x != 0])
r = stats.rankdata(np.abs(nz))
pos = nz > 0
for alt in ALTS:
    w, p = flip_p(lambda f: np.where(pos[None, :] != f, r[None, :], 0.0).sum(axis=1), len(nz), alt, False)
    _, pe = signed_rank_exact_fraction(S_51, alt)
    print(f"S_51 {alt}: W+ = {float(w)!r}, p_monte_carlo = {p!r}, p_exact_fraction = {pe!r}")

# ---------------------------------------------------------------- friedman
print("# friedman (rows = blocks/seeds, columns = treatments/levels)")
F_RANDOM = np.round(rng.normal(0, 1, (10, 4)) + np.array([0, 0.3, 0.6, 0.5]), 4).tolist()
F_ACC = (np.array([[287, 288, 290, 290, 291], [285, 288, 288, 291, 290], [288, 288, 289, 292, 292],
                   [286, 289, 287, 290, 293], [290, 290, 290, 290, 290], [284, 286, 289, 289, 291]]) / 300).tolist()
F_ONE = [[0.3, 0.1, 0.2]]
F_ALL_TIED = [[0.5, 0.5, 0.5], [0.7, 0.7, 0.7]]
out("F_RANDOM", sum(F_RANDOM, []))
for name, rows in [("F_RANDOM", F_RANDOM), ("F_ACC", F_ACC), ("F_ONE", F_ONE)]:
    res = stats.friedmanchisquare(*np.array(rows).T)
    print(f"{name}: chi2 = {float(res.statistic)!r}, p = {float(res.pvalue)!r}")
with np.errstate(all="ignore"):
    res = stats.friedmanchisquare(*np.array(F_ALL_TIED).T)
print(f"F_ALL_TIED: chi2 = {float(res.statistic)!r} (undefined: every row tied)")

# -------------------------------------------------------------------- page
print("# page (rows = blocks, columns = treatments in predicted order)")
P_4x3 = [[1.0, 2.5, 2.0], [0.5, 0.9, 1.4], [2.0, 2.2, 2.1], [0.1, 0.4, 0.3]]
P_10x4 = np.round(rng.normal(0, 1, (10, 4)) + np.array([0, 0.4, 0.8, 1.2]), 4).tolist()
P_13x4 = np.round(rng.normal(0, 1, (13, 4)) + np.array([0, 0.2, 0.4, 0.6]), 4).tolist()
P_6x9 = np.round(rng.normal(0, 1, (6, 9)) + np.linspace(0, 1, 9), 4).tolist()
P_TIES = (np.array([[288, 290, 290, 291], [287, 287, 289, 289], [290, 290, 290, 290],
                    [285, 288, 288, 292], [289, 288, 291, 291]]) / 300).tolist()
P_20x3 = np.round(rng.normal(0, 1, (20, 3)) + np.array([0, 0.1, 0.3]), 4).tolist()
P_21x3 = P_20x3 + [[0.2, -0.1, 0.4]]
for name, rows in [("P_10x4", P_10x4), ("P_13x4", P_13x4), ("P_6x9", P_6x9), ("P_20x3", P_20x3)]:
    out(name, sum(rows, []))
for name, rows in [("P_4x3", P_4x3), ("P_10x4", P_10x4), ("P_13x4", P_13x4), ("P_6x9", P_6x9),
                   ("P_TIES", P_TIES), ("P_20x3", P_20x3), ("P_21x3", P_21x3)]:
    k = len(rows[0])
    up = stats.page_trend_test(rows)
    down = stats.page_trend_test(rows, predicted_ranks=list(range(k, 0, -1)))
    two = min(1.0, 2 * min(up.pvalue, down.pvalue))
    print(f"{name}: L = {float(up.statistic)!r}, method = {up.method}, greater = {float(up.pvalue)!r}, "
          f"less = {float(down.pvalue)!r}, two-sided = {float(two)!r}")

# ------------------------------------------------------------ seed slopes
print("# seed_slopes (x = log2 D; y[seed][level])")
X = [1.0, 2.0, 3.0, 4.0, 5.0]
Y8 = np.round(rng.normal(0, 0.02, (8, 5)) + 0.004 * np.array(X), 5)
Y21 = np.round(rng.normal(0, 0.02, (21, 5)) + 0.003 * np.array(X), 5)
Y1 = np.array([[0.90, 0.91, 0.93, 0.92, 0.95]])
out("Y8", Y8.ravel())
out("Y21", Y21.ravel())
for name, y in [("Y8", Y8), ("Y1", Y1), ("Y21", Y21)]:
    b = np.array([np.polyfit(X, row, 1)[0] for row in y])
    out(f"{name} slopes", b)
    n = len(b)
    for alt in ALTS:
        stat = lambda f: np.where(f, -b[None, :], b[None, :]).sum(axis=1) / n
        t, p = flip_p(stat, n, alt, exact=n <= 20)
        line = f"{name} {alt}: mean = {float(t)!r}, p = {p!r}"
        if n > 20:
            _, pe = flip_p(stat, n, alt, exact=True)
            line += f" (Monte Carlo; exact enumeration {pe!r})"
        print(line)

# ---------------------------------------------------------------- sd ratio
print("# sd_ratio (statistic ln SD(a) - ln SD(b), swap within pairs)")


def ln_sd_ratio(a, b, axis=-1):
    sa, sb = np.std(a, ddof=1, axis=axis), np.std(b, ddof=1, axis=axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.log(sa) - np.log(sb)
    return np.where((sa == 0) & (sb == 0), 0.0, t)


def swap_stat(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return lambda f: ln_sd_ratio(np.where(f, b, a), np.where(f, a, b))


A10 = [0.95, 0.9633, 0.96, 0.96, 0.9567, 0.9633, 0.9667, 0.96, 0.9533, 0.96]
B10 = [0.9433, 0.96, 0.9267, 0.9533, 0.9667, 0.94, 0.9567, 0.9333, 0.9633, 0.95]
A21 = np.round(rng.normal(0.95, 0.004, 21), 4)
B21 = np.round(rng.normal(0.95, 0.009, 21), 4)
A_STUCK = [0.5] * 6
B_STUCK = [0.5] * 6
A_MIX = [0.5] * 6
B_MIX = [0.9] * 6
A_ONE_STUCK = [0.5] * 6
B_ONE_STUCK = [0.5, 0.52, 0.49, 0.5, 0.55, 0.47]
out("A21", A21)
out("B21", B21)
for name, a, b in [("AB10", A10, B10), ("AB21", A21, B21), ("STUCK", A_STUCK, B_STUCK),
                   ("STUCK_MIX", A_MIX, B_MIX), ("ONE_STUCK", A_ONE_STUCK, B_ONE_STUCK)]:
    n = len(a)
    for alt in ALTS:
        t, p = flip_p(swap_stat(a, b), n, alt, exact=n <= 20)
        line = f"{name} {alt}: t = {float(t)!r}, p = {p!r}"
        if n > 20:
            _, pe = flip_p(swap_stat(a, b), n, alt, exact=True)
            line += f" (Monte Carlo; exact enumeration {pe!r})"
        print(line)

# --------------------------------------------------------------------- bca
print("# bca (paired SD ratio; resamples from SplitMix64 + Lemire, as the Rust)")


def bca_reference(a, b, resamples, seed, confidence=0.95):
    a, b = np.asarray(a), np.asarray(b)
    n = len(a)
    g = SplitMix(seed)
    idx = np.array([[g.below(n) for _ in range(n)] for _ in range(resamples)])
    theta_b = ln_sd_ratio(a[idx], b[idx], axis=-1)
    theta = float(ln_sd_ratio(a, b))
    z0 = float(stats.norm.ppf((np.sum(theta_b < theta) + np.sum(theta_b <= theta)) / (2 * resamples)))
    jack = np.array([float(ln_sd_ratio(np.delete(a, i), np.delete(b, i))) for i in range(n)])
    finite_jack = bool(np.all(np.isfinite(jack)))
    if finite_jack:
        d = jack.mean() - jack
        acc = float(np.sum(d ** 3) / (6 * np.sum(d ** 2) ** 1.5))
    else:
        acc = 0.0
    za = stats.norm.ppf((1 - confidence) / 2)
    a1 = stats.norm.cdf(z0 + (z0 + za) / (1 - acc * (z0 + za)))
    a2 = stats.norm.cdf(z0 + (z0 - za) / (1 - acc * (z0 - za)))
    s = np.sort(theta_b)

    def q(p, upper):
        h = (len(s) - 1) * p
        j = int(math.floor(h))
        k = min(j + 1, len(s) - 1)
        lo_v, hi_v = s[j], s[k]
        if np.isfinite(lo_v) and np.isfinite(hi_v):
            return float(np.quantile(s, p))  # numpy 'linear'
        return float(lo_v if (h == j or not upper) else hi_v)

    res = dict(theta=theta, z0=z0, acc=acc if finite_jack else None, lo=q(a1, False), hi=q(a2, True),
               infinite=int(np.sum(np.isinf(theta_b))), first_idx=idx[0].tolist())
    if finite_jack and not np.any(np.isinf(theta_b)):
        # SciPy's own BCa step on these resamples, for comparison.
        def statistic(i, axis=-1):
            return ln_sd_ratio(a[i], b[i], axis=axis)

        sa1, sa2, sa = _bca_interval((np.arange(n),), statistic, axis=-1, alpha=(1 - confidence) / 2,
                                     theta_hat_b=theta_b, batch=None, xp=np)
        ci = stats.quantile(theta_b, np.array([float(sa1), float(sa2)]))
        res["scipy"] = (float(ci[0]), float(ci[1]), float(sa))
    return res


BCA_CASES = [
    ("BCA_AB10", A10, B10, 2000, 7),
    ("BCA_INF", [0.95, 0.93, 0.96, 0.94, 0.97, 0.92, 0.95, 0.96, 0.91, 0.94],
     [0.5] * 8 + [0.6, 0.7], 2000, 11),
    ("BCA_JACK_INF", [0.95, 0.93, 0.96, 0.94, 0.97, 0.92, 0.95, 0.96, 0.91, 0.94],
     [0.5] * 9 + [0.6], 2000, 13),
]
for name, a, b, resamples, seed in BCA_CASES:
    r = bca_reference(a, b, resamples, seed)
    print(f"{name}: theta = {r['theta']!r}, z0 = {r['z0']!r}, acceleration = {r['acc']!r}, "
          f"lo = {r['lo']!r}, hi = {r['hi']!r}, infinite = {r['infinite']}, first_resample = {r['first_idx']}")
    if "scipy" in r:
        print(f"{name}: scipy _bca_interval on the same resamples: lo = {r['scipy'][0]!r}, "
              f"hi = {r['scipy'][1]!r}, a_hat = {r['scipy'][2]!r}")

# -------------------------------------------------------------------- yuen
print("# yuen (Wilcox's yuend written out in NumPy; trimmed mean and winsorizing from SciPy)")


def yuend(x, y, tr=0.2, margin=None):
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    g = int(math.floor(tr * n))
    h = n - 2 * g
    xw = np.asarray(stats.mstats.winsorize(x, limits=(tr, tr)))
    yw = np.asarray(stats.mstats.winsorize(y, limits=(tr, tr)))
    q1 = (n - 1) * np.var(xw, ddof=1)
    q2 = (n - 1) * np.var(yw, ddof=1)
    q3 = (n - 1) * np.cov(xw, yw, ddof=1)[0, 1]
    df = h - 1
    se = math.sqrt((q1 + q2 - 2 * q3) / (h * (h - 1)))
    dif = stats.trim_mean(x, tr) - stats.trim_mean(y, tr)
    t = dif / se
    res = dict(diff=dif, se=se, t=t, df=df, greater=stats.t.sf(t, df), less=stats.t.cdf(t, df),
               two=2 * stats.t.sf(abs(t), df),
               ci=(dif - stats.t.ppf(0.975, df) * se, dif + stats.t.ppf(0.975, df) * se))
    if margin is not None:
        p1 = stats.t.sf((dif + margin) / se, df)
        p2 = stats.t.cdf((dif - margin) / se, df)
        res.update(p_equivalent=max(p1, p2), p_beyond=stats.t.sf((abs(dif) - margin) / se, df),
                   ci90=(dif - stats.t.ppf(0.95, df) * se, dif + stats.t.ppf(0.95, df) * se))
    return res


Y_A = [0.9633, 0.95, 0.96, 0.9567, 0.96, 0.9667, 0.9533, 0.96, 0.97, 0.9633, 0.91, 0.9667]
Y_B = [0.96, 0.9433, 0.9533, 0.9567, 0.95, 0.96, 0.95, 0.9533, 0.9633, 0.96, 0.9567, 0.94]
for name, a, b, m in [("Y12", Y_A, Y_B, 0.01), ("Y5", Y_A[:5], Y_B[:5], 0.01), ("Y4", Y_A[:4], Y_B[:4], 0.01)]:
    r = yuend(a, b, 0.2, m)
    print(f"{name}: diff = {float(r['diff'])!r}, se = {float(r['se'])!r}, t = {float(r['t'])!r}, df = {r['df']}, "
          f"greater = {float(r['greater'])!r}, less = {float(r['less'])!r}, two-sided = {float(r['two'])!r}, "
          f"ci95 = ({float(r['ci'][0])!r}, {float(r['ci'][1])!r}), p_equivalent = {float(r['p_equivalent'])!r}, "
          f"p_beyond = {float(r['p_beyond'])!r}, ci90 = ({float(r['ci90'][0])!r}, {float(r['ci90'][1])!r})")
tr0 = stats.ttest_rel(Y_A, Y_B)
print(f"Y12 trim=0 equals ttest_rel: t = {float(tr0.statistic)!r}, p = {float(tr0.pvalue)!r}")

# -------------------------------------------------------------------- holm
print("# holm (statsmodels multipletests, method='holm'; missing p left out of m)")
H_P = [0.01, 0.04, 0.03, 0.005, 0.5, 0.2, 0.03, 0.0001, 0.049, 0.9, 0.012, 0.03, 0.3, 0.002, 0.07]
H_MISSING = [0.02, float("nan"), 0.01, 0.04, float("nan"), 0.3]
H_FAMILY = [0, 0, 1, 1, 1, 0, 2, 1]
H_FAMILY_P = [0.01, 0.03, 0.02, 0.02, float("nan"), 0.04, 0.6, 0.001]
out("H_P adjusted", multipletests(H_P, method="holm")[1])
fin = [p for p in H_MISSING if p == p]
adj = iter(multipletests(fin, method="holm")[1])
out("H_MISSING adjusted", [next(adj) if p == p else float("nan") for p in H_MISSING])
fam_adj = [float("nan")] * len(H_FAMILY_P)
for f in sorted(set(H_FAMILY)):
    members = [i for i, g in enumerate(H_FAMILY) if g == f and H_FAMILY_P[i] == H_FAMILY_P[i]]
    for i, v in zip(members, multipletests([H_FAMILY_P[i] for i in members], method="holm")[1]):
        fam_adj[i] = v
out("H_FAMILY adjusted", fam_adj)
