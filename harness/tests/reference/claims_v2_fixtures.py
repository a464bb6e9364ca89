#!/usr/bin/env python3
"""Fixtures for the verdicts of the claims' registry version 2
(harness/tests/claims_v2_verdicts.rs): for every claim that runs, small
synthetic runs with a known answer for each verdict branch, and the answer —
each claim's measure, test, p for and against it, first part's effect and
verdict — computed here independently of the Rust code, with SciPy's exact
and permutation tests, NumPy and statsmodels.

Run:  python3 claims_v2_fixtures.py > claims_v2_fixtures.json
(the mechanism claims m1–m4 are drawn after every other claim's fixtures, so
the earlier fixtures' data do not move)
(SciPy 1.17.1, NumPy 2.4.6, statsmodels 0.15.0 wrote the committed file).

The rules reproduced here are those of harness/src/claims/v2/registry
(VERDICT_RULE, VARIABILITY_RULE and each claim's primary test)."""
import itertools
import json
import math
import sys

import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests

E = 30            # epochs of every fixture run
N_TRAIN, N_VAL = 900, 300
CHANCE, CEILING = 0.5, 0.96
ALPHA = 0.05
MARGIN = 0.01     # equivalence margin, accuracy points
EARLY, SPREAD, PLATEAU = 25, 10, 25
FAILURE, TARGET = 0.5, 0.9
STEADY, STABLE = 0.01, 0.01
DEEP, SHALLOW = 8, 3
PAPER_LR = 1e-3
BASE_SEEDS, SWEEP_SEEDS = 12, 10
INF = np.inf

# ---------------------------------------------------------------- measures


def target_count(chance, top, q, n):
    return math.ceil((chance + q * (top - chance)) * n)


def failed(run, th):
    t = target_count(th[0], th[1], FAILURE, N_TRAIN)
    return not any(c >= t for c in run["c"])


def epochs_to(run, th, q):
    t = target_count(th[0], th[1], q, N_TRAIN)
    for i, c in enumerate(run["c"]):
        if c >= t:
            return i + 1
    return len(run["c"]) + 1


def loss_rise(run):
    l = run["l"]
    return float(sum(max(0.0, l[i] - l[i - 1]) for i in range(1, len(l))))


def steadiness(run):
    l = run["l"]
    return STEADY * (l[0] - min(l)) - loss_rise(run)


def stabilization(run):
    l = run["l"]
    step = STABLE * l[0]
    at = 1
    for e in range(1, len(l)):
        if abs(l[e] - l[e - 1]) >= step:
            at = e + 1
    return at


def curve_deviation(runs, window):
    n = min(min(len(r["c"]) for r in runs), window)
    med = [float(np.median([r["c"][e] for r in runs])) for e in range(n)]
    return [float(sum(abs(r["c"][e] - med[e]) for e in range(n))) for r in runs]

# ------------------------------------------------------------------- tests


def wilcoxon_p(d, alt):
    """One-sample signed-rank test, zeros dropped, exact over all sign flips."""
    d = np.asarray(d, float)
    if not np.any(d != 0):
        return None
    return float(stats.wilcoxon(d, zero_method="wilcox", alternative=alt,
                                method=stats.PermutationMethod(n_resamples=INF)).pvalue)


REV = {"greater": "less", "less": "greater"}


def signed_rank(d, alt, unit):
    p = wilcoxon_p(d, alt)
    if p is None:
        return {"p_for": 1.0, "p_against": 1.0, "effect": None}
    q = 1.0 if alt == "two-sided" else wilcoxon_p(d, REV[alt])
    return {"p_for": p, "p_against": q, "effect": float(np.mean(d)) / unit}


def ln_sd_ratio(a, b):
    sa, sb = np.std(a, ddof=1), np.std(b, ddof=1)
    if sa == 0 and sb == 0:
        return 0.0
    return math.log(sa) - math.log(sb) if sa > 0 and sb > 0 else (INF if sa > 0 else -INF)


def sd_ratio_p(a, b, alt):
    r = stats.permutation_test((np.asarray(a, float), np.asarray(b, float)), lambda x, y: ln_sd_ratio(x, y),
                               permutation_type="samples", n_resamples=INF, alternative=alt, vectorized=False)
    return float(r.pvalue)


def spread(a, b, stuck, alt):
    if stuck:
        return {"p_for": 1.0, "p_against": 1.0, "effect": None}
    p = sd_ratio_p(a, b, alt)
    q = 1.0 if alt == "two-sided" else sd_ratio_p(a, b, REV[alt])
    return {"p_for": p, "p_against": q, "effect": math.exp(ln_sd_ratio(a, b))}


def either(x, y):
    return {"p_for": min(1.0, 2 * min(x["p_for"], y["p_for"])),
            "p_against": min(1.0, 2 * min(x["p_against"], y["p_against"])), "effect": x["effect"]}


def variability(a, fa, b, fb, alt):
    stuck = all(fa) or all(fb)
    s = spread(a, b, stuck, alt)
    d = [float(x) - float(y) for x, y in zip(fa, fb)]
    f = signed_rank(d, alt, 1.0)
    return either(s, f)


def slopes_of(x, rows):
    return [float(np.polyfit(x, r, 1)[0]) for r in rows]


def flip_p(v, alt):
    r = stats.permutation_test((np.asarray(v, float),), np.mean, permutation_type="samples",
                               n_resamples=INF, alternative=alt)
    return float(r.pvalue)


def slopes(x, rows, alt, unit):
    if len(x) < 2:
        return {"p_for": 1.0, "p_against": 1.0, "effect": None}
    b = slopes_of(x, rows)
    return {"p_for": flip_p(b, alt), "p_against": flip_p(b, REV[alt]), "effect": float(np.mean(b)) / unit}


def friedman(rows):
    cols = np.asarray(rows, float).T
    r = stats.friedmanchisquare(*cols)
    n, k = len(rows), len(rows[0])
    return {"p_for": float(r.pvalue), "p_against": 1.0, "effect": float(r.statistic) / (n * (k - 1))}


def yuen_tost(a, b, margin, unit, trim=0.2):
    """Yuen's paired trimmed-mean TOST (Wilcox's yuend), written out here."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    n = len(a)
    g = int(math.floor(trim * n))
    h = n - 2 * g

    def trimmed_and_winsorized(x):
        s = np.sort(x)
        lo, hi = s[g], s[n - g - 1]
        return float(np.mean(s[g:n - g])), np.clip(x, lo, hi)
    ta, wa = trimmed_and_winsorized(a)
    tb, wb = trimmed_and_winsorized(b)
    d = (wa - wa.mean()) - (wb - wb.mean())
    se = math.sqrt(float(np.sum(d * d)) / (h * (h - 1)))
    diff = ta - tb
    df = h - 1
    p1 = float(stats.t.sf((diff + margin) / se, df))
    p2 = float(stats.t.cdf((diff - margin) / se, df))
    beyond = float(min(stats.t.sf((diff - margin) / se, df), stats.t.cdf((diff + margin) / se, df)))
    return {"p_for": max(p1, p2), "p_against": beyond, "effect": diff / unit}


def combine(parts):
    p_for = max(p["p_for"] for p in parts)
    against = [p["p_against"] for p in parts]
    adj = multipletests(against, method="holm")[1] if len(against) > 1 else against
    return p_for, float(min(adj))


def verdict(pf, pa):
    if pf < ALPHA and not pa < ALPHA:
        return "supported"
    if pa < ALPHA and not pf < ALPHA:
        return "contradicted"
    return "inconclusive"

# -------------------------------------------------------------- fixtures


class Fixture:
    """Runs of one or more plans: plan -> levels [(label, value, chance, ceiling)], inits, seeds."""

    def __init__(self, claim, branch):
        self.claim, self.branch = claim, branch
        self.plans, self.runs, self.losses = [], [], []

    def plan(self, pid, levels, inits, seeds):
        self.plans.append({"id": pid, "levels": [{"label": l, "value": v, "chance": c, "ceiling": t}
                                                 for (l, v, c, t) in levels], "inits": inits, "seeds": seeds})
        return len(self.plans) - 1

    def loss(self, curve):
        q = [round(x * 1024) for x in curve]
        if q not in self.losses:
            self.losses.append(q)
        return self.losses.index(q)

    def add(self, p, l, init, seed, c, loss=None, val=270, bd=4.0, bw=6.0, upd=0.01, ls=None):
        loss = loss if loss is not None else smooth(0.7, 0.2, 6.0)
        self.runs.append({"plan": p, "level": l, "init": init, "seed": seed,
                          "c": c if isinstance(c, int) else [int(x) for x in c], "loss": self.loss(loss),
                          "val": int(val), "bd": float(bd), "bw": float(bw), "upd": float(upd)})
        if ls is not None:
            self.runs[-1]["ls"] = ls

    # The runs as the measures see them.
    def view(self, p, l, init):
        plan = self.plans[p]
        out = []
        for s in plan["seeds"]:
            r = next(r for r in self.runs if (r["plan"], r["level"], r["init"], r["seed"]) == (p, l, init, s))
            c = [r["c"]] * E if isinstance(r["c"], int) else r["c"]
            out.append({"c": c, "l": [x / 1024 for x in self.losses[r["loss"]]], "val": r["val"],
                        "bd": r["bd"], "bw": r["bw"], "upd": r["upd"], "ls": r.get("ls")})
        return out

    def th(self, p, l):
        lv = self.plans[p]["levels"][l]
        return (lv["chance"], lv["ceiling"])


def smooth(start, end, tau, bumps=()):
    """A decreasing loss curve start → end with time constant tau and upward bumps (epoch, size)."""
    l = [end + (start - end) * math.exp(-e / tau) for e in range(E)]
    for (at, size) in bumps:
        for e in range(at, min(at + 2, E)):
            l[e] += size
    return l


def noisy(rng, centre, width, n):
    return [int(round(centre + width * x)) for x in rng.uniform(-1, 1, n)]


BASE_INITS = ["small", "glorot", "he", "he@1=glorot", "glorot@1=he"]
BASE_LEVEL = [("paper", 0.0, CHANCE, CEILING)]


def base_fixture(claim, branch, profiles, rng):
    """profiles: init -> dict(c=(centre, width) | list per seed of int/list, loss=fn(seed) , val=..., ...)."""
    f = Fixture(claim, branch)
    seeds = list(range(BASE_SEEDS))
    p = f.plan("base", BASE_LEVEL, BASE_INITS, seeds)
    for init in BASE_INITS:
        prof = profiles.get(init, {})
        cs = prof.get("c", (800, 3))
        cs = noisy(rng, cs[0], cs[1], len(seeds)) if isinstance(cs, tuple) else cs
        vals = prof.get("val", (270, 2))
        vals = noisy(rng, vals[0], vals[1], len(seeds)) if isinstance(vals, tuple) else vals
        bds = prof.get("bd", (4.0, 0.2))
        bds = list(bds[0] + bds[1] * rng.uniform(-1, 1, len(seeds))) if isinstance(bds, tuple) else bds
        upds = prof.get("upd", (0.01, 0.001))
        upds = list(upds[0] + upds[1] * rng.uniform(-1, 1, len(seeds))) if isinstance(upds, tuple) else upds
        for k, s in enumerate(seeds):
            loss = prof["loss"](k) if "loss" in prof else None
            f.add(p, 0, init, s, cs[k], loss=loss, val=vals[k], bd=round(bds[k], 6), bw=round(bds[k] * 1.5, 6),
                  upd=round(upds[k], 8))
    return f, p


def sweep_fixture(claim, branch, pid, levels, inits, gen):
    """gen(level index, init, seed index) -> dict(c=..., loss=..., val=...)."""
    f = Fixture(claim, branch)
    seeds = list(range(SWEEP_SEEDS))
    p = f.plan(pid, levels, inits, seeds)
    for l in range(len(levels)):
        for init in inits:
            for k, s in enumerate(seeds):
                f.add(p, l, init, s, **gen(l, init, k))
    return f, p

# ------------------------------------------------------- claims' analyses


def early(r, w=EARLY):
    return float(sum(r["c"][:w]))


def overall(r):
    return float(sum(r["c"]))


def last(r, w=PLATEAU):
    return float(sum(r["c"][-w:]))


def base_values(f, p, init, fn):
    return [fn(r) for r in f.view(p, 0, init)]


def fails(f, p, l, init):
    return [failed(r, f.th(p, l)) for r in f.view(p, l, init)]


def r1(f, p):
    unit = EARLY * N_TRAIN
    m = round(MARGIN * unit)
    g, h, s = (base_values(f, p, i, early) for i in ("glorot", "he", "small"))
    return [
        signed_rank([x - y + m for x, y in zip(g, h)], "greater", unit),
        signed_rank([x - y + m for x, y in zip(g, s)], "greater", unit),
        signed_rank(base_values(f, p, "glorot", steadiness), "greater", 1.0),
        variability(h, fails(f, p, 0, "he"), g, fails(f, p, 0, "glorot"), "greater"),
        variability(s, fails(f, p, 0, "small"), g, fails(f, p, 0, "glorot"), "greater"),
    ]


def r1b(f, p):
    d = lambda fn: [x - y for x, y in zip(base_values(f, p, "small", fn), base_values(f, p, "glorot", fn))]
    return [signed_rank(d(loss_rise), "greater", 1.0), signed_rank(d(stabilization), "greater", 1.0)]


def r2(f, p):
    unit = EARLY * N_TRAIN
    s, g = base_values(f, p, "small", early), base_values(f, p, "glorot", early)
    os, og = base_values(f, p, "small", overall), base_values(f, p, "glorot", overall)
    return [signed_rank([x - y for x, y in zip(s, g)], "less", unit),
            variability(os, fails(f, p, 0, "small"), og, fails(f, p, 0, "glorot"), "greater")]


def r3(f, p):
    e10 = lambda r: early(r, SPREAD)
    h, g = base_values(f, p, "he", e10), base_values(f, p, "glorot", e10)
    return [variability(h, fails(f, p, 0, "he"), g, fails(f, p, 0, "glorot"), "greater")]


def r4(f, p):
    unit = PLATEAU * N_TRAIN
    m = round(MARGIN * unit)
    s, g, h = (base_values(f, p, i, last) for i in ("small", "glorot", "he"))
    return [yuen_tost(g, h, m, unit), yuen_tost(g, s, m, unit), yuen_tost(h, s, m, unit)]


def r5(f, p):
    v = lambda i: base_values(f, p, i, lambda r: float(r["val"]))
    fl = lambda i: fails(f, p, 0, i)
    return [variability(v("he"), fl("he"), v("glorot"), fl("glorot"), "greater"),
            variability(v("small"), fl("small"), v("he"), fl("he"), "greater")]


def r6(f, p):
    s, g = base_values(f, p, "small", lambda r: r["bd"]), base_values(f, p, "glorot", lambda r: r["bd"])
    return [signed_rank([x - y for x, y in zip(s, g)], "greater", 1.0)]


def r7(f, p):
    u = lambda i: base_values(f, p, i, lambda r: r["upd"])
    s, g, h = u("small"), u("glorot"), u("he")
    return [signed_rank([x - y for x, y in zip(s, g)], "greater", 1.0),
            signed_rank([x - y for x, y in zip(s, h)], "greater", 1.0)]


def d1b(f, p):
    dev = lambda i: curve_deviation(f.view(p, 0, i), SPREAD)
    unit = SPREAD * N_TRAIN
    g, h, hg, gh = dev("glorot"), dev("he"), dev("he@1=glorot"), dev("glorot@1=he")
    return [signed_rank([x - y for x, y in zip(gh, g)], "greater", unit),
            signed_rank([x - y for x, y in zip(hg, h)], "less", unit)]


def c1(f, p):
    inits = ["small", "glorot", "he"]
    th = f.th(p, 0)
    rows = lambda fn: [list(t) for t in zip(*[base_values(f, p, i, fn) for i in inits])]
    v = lambda i: base_values(f, p, i, lambda r: float(r["val"]))
    return [friedman(rows(lambda r: float(epochs_to(r, th, TARGET)))), friedman(rows(loss_rise)),
            variability(v("small"), fails(f, p, 0, "small"), v("glorot"), fails(f, p, 0, "glorot"), "two-sided")]


def level_values(f, p, init, fn):
    return [[fn(r) for r in f.view(p, l, init)] for l in range(len(f.plans[p]["levels"]))]


def per_seed(levels):
    return [list(t) for t in zip(*levels)]


def xs(f, p, fn):
    return [fn(l["value"]) for l in f.plans[p]["levels"]]


def d1(f, p):
    unit = SPREAD * N_TRAIN
    n = len(f.plans[p]["levels"])
    diff = [[a - b for a, b in zip(curve_deviation(f.view(p, l, "he"), SPREAD),
                                   curve_deviation(f.view(p, l, "glorot"), SPREAD))] for l in range(n)]
    return [slopes(xs(f, p, math.log2), per_seed(diff), "less", unit)]


def summed(f, p, a, b, keep):
    ls = [l for l, lv in enumerate(f.plans[p]["levels"]) if keep(lv["value"])]
    va, vb = level_values(f, p, a, overall), level_values(f, p, b, overall)
    return [sum(va[l][s] - vb[l][s] for l in ls) for s in range(len(f.plans[p]["seeds"]))], len(ls)


def d2(f, p):
    d, k = summed(f, p, "he", "glorot", lambda v: v >= DEEP)
    return [signed_rank(d, "greater", k * E * N_TRAIN)]


def d3(f, p):
    d, k = summed(f, p, "glorot", "he", lambda v: v <= SHALLOW)
    return [signed_rank(d, "greater", k * E * N_TRAIN)]


def d2b(f, p):
    h, g = level_values(f, p, "he", overall), level_values(f, p, "glorot", overall)
    rows = per_seed([[a - b for a, b in zip(h[l], g[l])] for l in range(len(h))])
    return [slopes(xs(f, p, math.log2), rows, "greater", E * N_TRAIN)]


def shares(v):
    n = len(v)
    m = sum(v) / n
    return [(x - m) ** 2 * n / (n - 1) for x in v]


def variability_trend(x, a, fa, b, fb, unit):
    keep = [j for j in range(len(x)) if not (all(fa[j]) or all(fb[j]))]
    seeds = len(a[0])
    rows = [[shares(a[j])[s] - shares(b[j])[s] for j in keep] for s in range(seeds)]
    sp = slopes([x[j] for j in keep], rows, "greater", unit * unit)
    frows = [[float(fa[j][s]) - float(fb[j][s]) for j in range(len(x))] for s in range(seeds)]
    return either(sp, slopes(x, frows, "greater", 1.0))


def d4(f, p):
    n = len(f.plans[p]["levels"])
    s, g = level_values(f, p, "small", overall), level_values(f, p, "glorot", overall)
    fs = [fails(f, p, l, "small") for l in range(n)]
    fg = [fails(f, p, l, "glorot") for l in range(n)]
    return [variability_trend(xs(f, p, math.log2), s, fs, g, fg, E * N_TRAIN)]


def d4b(f, p):
    n = len(f.plans[p]["levels"])

    def norm(l):
        ch, top = f.th(p, l)
        return lambda r: (overall(r) / (E * N_TRAIN) - ch) / (top - ch)
    s = [[norm(l)(r) for r in f.view(p, l, "small")] for l in range(n)]
    g = [[norm(l)(r) for r in f.view(p, l, "glorot")] for l in range(n)]
    fs = [fails(f, p, l, "small") for l in range(n)]
    fg = [fails(f, p, l, "glorot") for l in range(n)]
    return [variability_trend(xs(f, p, lambda v: v), s, fs, g, fg, 1.0)]


def d5(f, p):
    levels = f.plans[p]["levels"]
    at = next(l for l, lv in enumerate(levels) if abs(lv["value"] - PAPER_LR) <= 1e-12 * PAPER_LR)
    v = lambda i: level_values(f, p, i, early)
    g, h, s = v("glorot"), v("he"), v("small")
    edges = per_seed([[2 * g[l][k] - h[l][k] - s[l][k] for k in range(len(g[l]))] for l in range(len(levels))])
    others = len(levels) - 1
    c = [others * e[at] - sum(x for l, x in enumerate(e) if l != at) for e in edges]
    return [signed_rank(c, "greater", others * 2 * EARLY * N_TRAIN)]


def d6(f, p):
    inits = ["small", "glorot", "he"]
    rng_ = lambda cols: [max(t) - min(t) for t in zip(*cols)]
    sp = lambda l: rng_([[early(r) for r in f.view(p, l, i)] for i in inits])
    dv = lambda l: rng_([curve_deviation(f.view(p, l, i), EARLY) for i in inits])
    unit = EARLY * N_TRAIN
    return [signed_rank([a - b for a, b in zip(sp(0), sp(1))], "greater", unit),
            signed_rank([a - b for a, b in zip(dv(0), dv(1))], "greater", unit)]


def m1(f, p):
    """Friedman of the mean over epochs 1–10 and layers of ln ‖∂L/∂W‖, then r4's three TOSTs."""
    flow = lambda r: float(np.mean([math.log(x) for g in r["ls"]["g"] for x in g[:SPREAD]]))
    rows = [list(t) for t in zip(*[base_values(f, p, i, flow) for i in ("small", "glorot", "he")])]
    return [friedman(rows)] + r4(f, p)


def m2(f, p):
    """Per seed and D, ln(he / glorot) of the first layer's gradient norm averaged over epochs 1–5;
    sign-flip test of the mean OLS slope on log2 D < 0."""
    first = lambda r: float(np.mean(r["ls"]["g"][0][:5]))
    n = len(f.plans[p]["levels"])
    diff = [[math.log(first(a)) - math.log(first(b)) for a, b in zip(f.view(p, l, "he"), f.view(p, l, "glorot"))]
            for l in range(n)]
    return [slopes(xs(f, p, math.log2), per_seed(diff), "less", 1.0)]


def m3(f, p):
    """At the deepest level: he's ln 2 − ln(max/min hidden pre-activation SD) > 0 (signed rank), and
    small's per-seed OLS slope of ln pre-activation SD on the hidden layer < 0 (sign flips)."""
    levels = f.plans[p]["levels"]
    deep = max(range(len(levels)), key=lambda l: levels[l]["value"])
    hid = lambda r: r["ls"]["pre"][:-1]
    within = [math.log(2) - (math.log(max(hid(r))) - math.log(min(hid(r)))) for r in f.view(p, deep, "he")]
    rows = [[math.log(v) for v in hid(r)] for r in f.view(p, deep, "small")]
    x = [float(k) for k in range(1, len(rows[0]) + 1)]
    return [signed_rank(within, "greater", 1.0), slopes(x, rows, "less", 1.0)]


def m4(f, p):
    """Per seed, the range across small, glorot, he of the mean over hidden layers of ln activation SD
    at initialization; signed rank of no normalization − LayerNorm > 0."""
    mean_log = lambda r: float(np.mean([math.log(v) for v in r["ls"]["act"][:-1]]))
    rng_ = lambda l: [max(t) - min(t) for t in zip(*[[mean_log(r) for r in f.view(p, l, i)]
                                                     for i in ("small", "glorot", "he")])]
    return [signed_rank([a - b for a, b in zip(rng_(0), rng_(1))], "greater", 1.0)]


ANALYSES = {
    "r1-glorot-early-speed": r1, "r1b-small-loss-oscillation": r1b, "r2-small-slow-variable": r2,
    "r3-he-early-variance": r3, "r4-similar-plateaus": r4, "r5-val-spread-order": r5,
    "r6-boundary-regularity": r6, "r7-small-relative-updates": r7, "d1-fan-in": d1,
    "d1b-first-layer-intervention": d1b, "d2-he-deep": d2, "d2b-he-wide": d2b, "d3-glorot-shallow": d3,
    "d4-small-depth": d4, "d4b-small-task": d4b, "d5-learning-rate": d5, "d6-normalization": d6,
    "c1-epochs-to-target": c1, "m1-early-gradient-flow": m1, "m2-fan-in-sensitivity": m2,
    "m3-variance-with-depth": m3, "m4-norm-stabilizes": m4,
}

# ------------------------------------------------------------ the branches

DEPTHS = [("1 hidden", 1.0), ("3 hidden", 3.0), ("8 hidden", 8.0), ("16 hidden", 16.0)]
MOONS = (CHANCE, CEILING)


def lv(pairs, th=MOONS):
    return [(label, value, th[0], th[1]) for (label, value) in pairs]


def const(rng, centre, width):
    return int(round(centre + width * rng.uniform(-1, 1)))


def bumpy(rng):
    """A loss curve with upward moves, settling late."""
    return lambda k: smooth(0.7, 0.2, 12.0, bumps=[(int(rng.integers(3, 20)), 0.05 + 0.02 * rng.uniform())])


def calm(rng):
    return lambda k: smooth(0.7, 0.2, 4.0 + rng.uniform())


def ramp(c0, slope, top):
    return [min(top, c0 + slope * e) for e in range(E)]


def branches(rng):
    out = []
    B = lambda claim, branch, prof: out.append(base_fixture(claim, branch, prof, rng))

    # r1: Glorot as fast as the others, steadily decreasing loss, tightest bands.
    B("r1-glorot-early-speed", "supported", {"glorot": {"c": (820, 2), "loss": calm(rng)},
                                            "he": {"c": (800, 40)}, "small": {"c": (790, 40)}})
    B("r1-glorot-early-speed", "contradicted", {"glorot": {"c": (700, 2)}, "he": {"c": (820, 40)},
                                               "small": {"c": (790, 40)}})
    B("r1-glorot-early-speed", "inconclusive", {"glorot": {"c": (820, 30), "loss": calm(rng)},
                                               "he": {"c": (800, 30)}, "small": {"c": (790, 30)}})
    # r1b: small normal's loss moves up more and settles later.
    B("r1b-small-loss-oscillation", "supported", {"small": {"loss": bumpy(rng)}, "glorot": {"loss": calm(rng)}})
    B("r1b-small-loss-oscillation", "contradicted", {"small": {"loss": calm(rng)}, "glorot": {"loss": bumpy(rng)}})
    B("r1b-small-loss-oscillation", "inconclusive", {"small": {"loss": bumpy(rng)}, "glorot": {"loss": bumpy(rng)}})
    # r2: small normal slower early and more variable.
    B("r2-small-slow-variable", "supported", {"small": {"c": (740, 60)}, "glorot": {"c": (820, 2)}})
    B("r2-small-slow-variable", "contradicted", {"small": {"c": (860, 2)}, "glorot": {"c": (800, 2)}})
    B("r2-small-slow-variable", "inconclusive", {"small": {"c": (800, 20)}, "glorot": {"c": (800, 20)}})
    # r3: He more variable early.
    # Supported only in epochs 1–10: He varies there and not after, Glorot the other way round, so a
    # measure over another window (1–25) gives another verdict. Its own generator, and the two draws
    # of centre-and-width profiles it replaces taken and dropped, keep every other fixture's draws.
    rng.uniform(-1, 1, 2 * BASE_SEEDS)
    r3rng = np.random.default_rng(3)
    he_runs = [[800 + int(a)] * SPREAD + [800] * (E - SPREAD) for a in r3rng.integers(-40, 41, BASE_SEEDS)]
    glorot_runs = [[800 + int(a)] * SPREAD + [800 + int(b)] * (E - SPREAD)
                   for a, b in zip(r3rng.integers(-2, 3, BASE_SEEDS), r3rng.integers(-60, 61, BASE_SEEDS))]
    B("r3-he-early-variance", "supported", {"he": {"c": he_runs}, "glorot": {"c": glorot_runs}})
    B("r3-he-early-variance", "contradicted", {"he": {"c": (800, 2)}, "glorot": {"c": (800, 40)}})
    B("r3-he-early-variance", "inconclusive", {"he": {"c": (800, 20)}, "glorot": {"c": (800, 20)}})
    # r4: the typical runs plateau together (two failed small-normal runs do not decide).
    stuck_two = [const(rng, 800, 2) for _ in range(BASE_SEEDS - 2)] + [450, 460]
    B("r4-similar-plateaus", "supported", {"glorot": {"c": (800, 2)}, "he": {"c": (800, 2)}, "small": {"c": stuck_two}})
    B("r4-similar-plateaus", "contradicted", {"glorot": {"c": (800, 2)}, "he": {"c": (800, 2)}, "small": {"c": (760, 2)}})
    B("r4-similar-plateaus", "inconclusive", {"glorot": {"c": (800, 12)}, "he": {"c": (800, 12)}, "small": {"c": (800, 12)}})
    # r5: final validation accuracy spreads glorot < he < small.
    B("r5-val-spread-order", "supported", {"glorot": {"val": (270, 1)}, "he": {"val": (270, 6)}, "small": {"val": (265, 25)}})
    B("r5-val-spread-order", "contradicted", {"glorot": {"val": (270, 25)}, "he": {"val": (270, 6)}, "small": {"val": (270, 1)}})
    B("r5-val-spread-order", "inconclusive", {"glorot": {"val": (270, 6)}, "he": {"val": (270, 6)}, "small": {"val": (270, 6)}})
    # r6: longer boundaries among the data under small normal.
    B("r6-boundary-regularity", "supported", {"small": {"bd": (6.0, 0.3)}, "glorot": {"bd": (4.0, 0.3)}})
    B("r6-boundary-regularity", "contradicted", {"small": {"bd": (4.0, 0.3)}, "glorot": {"bd": (6.0, 0.3)}})
    B("r6-boundary-regularity", "inconclusive", {"small": {"bd": (5.0, 0.5)}, "glorot": {"bd": (5.0, 0.5)}})
    # r7: larger relative updates under small normal.
    B("r7-small-relative-updates", "supported", {"small": {"upd": (0.03, 0.002)}})
    B("r7-small-relative-updates", "contradicted", {"small": {"upd": (0.005, 0.001)}})
    upd = [round(0.01 + 0.004 * x, 6) for x in rng.uniform(-1, 1, BASE_SEEDS)]
    wobble = [u + (0.001 if k % 2 else -0.001) for k, u in enumerate(upd)]
    B("r7-small-relative-updates", "inconclusive", {"small": {"upd": wobble}, "glorot": {"upd": upd},
                                                    "he": {"upd": upd}})
    # d1b: the first layer's initializer carries the early spread.
    B("d1b-first-layer-intervention", "supported", {"glorot": {"c": (800, 3)}, "glorot@1=he": {"c": (800, 40)},
                                                    "he": {"c": (800, 40)}, "he@1=glorot": {"c": (800, 3)}})
    B("d1b-first-layer-intervention", "contradicted", {"glorot": {"c": (800, 40)}, "glorot@1=he": {"c": (800, 3)},
                                                       "he": {"c": (800, 40)}, "he@1=glorot": {"c": (800, 40)}})
    B("d1b-first-layer-intervention", "inconclusive", {i: {"c": (800, 20)} for i in BASE_INITS})
    # c1 (non-directional: no contradicted branch): the initializers differ.
    ramps = lambda c0, slope, n: [ramp(int(c0 + rng.integers(-5, 6)), slope, 850) for _ in range(n)]
    B("c1-epochs-to-target", "supported", {
        "small": {"c": ramps(500, 12, BASE_SEEDS), "loss": bumpy(rng), "val": (265, 25)},
        "glorot": {"c": ramps(700, 40, BASE_SEEDS), "loss": calm(rng), "val": (270, 1)},
        "he": {"c": ramps(600, 25, BASE_SEEDS), "loss": calm(rng), "val": (270, 4)}})
    same = lambda: {"c": ramps(600, 25, BASE_SEEDS), "loss": bumpy(rng), "val": (270, 6)}
    B("c1-epochs-to-target", "inconclusive", {"small": same(), "glorot": same(), "he": same()})

    S = lambda claim, branch, pid, levels, inits, gen: out.append(sweep_fixture(claim, branch, pid, levels, inits, gen))
    fan = lv([("D=2", 2.0), ("D=8", 8.0), ("D=32", 32.0)])
    # d1: He's extra early spread shrinks with the fan-in.
    def d1_gen(widths_he, widths_g):
        return lambda l, i, k: {"c": const(rng, 800, (widths_he if i == "he" else widths_g)[l])}
    S("d1-fan-in", "supported", "fan-in", fan, ["glorot", "he"], d1_gen([40, 15, 3], [3, 3, 3]))
    S("d1-fan-in", "contradicted", "fan-in", fan, ["glorot", "he"], d1_gen([3, 15, 40], [3, 3, 3]))
    S("d1-fan-in", "inconclusive", "fan-in", fan, ["glorot", "he"], d1_gen([10, 10, 10], [10, 10, 10]))
    depth = lv(DEPTHS)
    three = ["small", "glorot", "he"]
    # d2 and d3: He faster deep, Glorot faster shallow.
    def speed_gen(he, glorot):
        return lambda l, i, k: {"c": const(rng, {"he": he[l], "glorot": glorot[l]}.get(i, 780), 5)}
    S("d2-he-deep", "supported", "depth", depth, three, speed_gen([800, 800, 820, 820], [800, 800, 780, 780]))
    S("d2-he-deep", "contradicted", "depth", depth, three, speed_gen([800, 800, 780, 780], [800, 800, 820, 820]))
    S("d2-he-deep", "inconclusive", "depth", depth, three, speed_gen([800] * 4, [800] * 4))
    S("d3-glorot-shallow", "supported", "depth", depth, three, speed_gen([780, 780, 800, 800], [820, 820, 800, 800]))
    S("d3-glorot-shallow", "contradicted", "depth", depth, three, speed_gen([820, 820, 800, 800], [780, 780, 800, 800]))
    S("d3-glorot-shallow", "inconclusive", "depth", depth, three, speed_gen([800] * 4, [800] * 4))
    # d2b: He gains on Glorot as width grows.
    width = lv([("width 16", 16.0), ("width 32", 32.0), ("width 64", 64.0), ("width 128", 128.0)])
    S("d2b-he-wide", "supported", "width", width, ["glorot", "he"], speed_gen([780, 795, 810, 825], [800] * 4))
    S("d2b-he-wide", "contradicted", "width", width, ["glorot", "he"], speed_gen([825, 810, 795, 780], [800] * 4))
    S("d2b-he-wide", "inconclusive", "width", width, ["glorot", "he"], speed_gen([800] * 4, [800] * 4))
    # d4: small normal's variability grows with depth — here by getting stuck at chance (every seed),
    # which counts as failing, not as no spread.
    def var_gen(small, glorot):
        return lambda l, i, k: {"c": {"small": small, "glorot": glorot}.get(i, lambda l: const(rng, 800, 3))(l)}
    stuck = lambda widths: lambda l: 450 if widths[l] is None else const(rng, 800, widths[l])
    S("d4-small-depth", "supported", "depth", depth, three, var_gen(stuck([5, 5, None, None]), stuck([5, 5, 5, 5])))
    S("d4-small-depth", "contradicted", "depth", depth, three, var_gen(stuck([60, 40, 5, 3]), stuck([5, 5, 5, 5])))
    S("d4-small-depth", "inconclusive", "depth", depth, three, var_gen(stuck([20] * 4), stuck([20] * 4)))
    # d4b: the same along task complexity, each task with its chance and ceiling.
    tasks = [("moons", 0.0, 0.5, 0.96), ("circles", 1.0, 0.5, 0.95), ("xor", 2.0, 0.5, 0.97),
             ("spirals:3", 3.0, 1 / 3, 0.9)]
    S("d4b-small-task", "supported", "task", tasks, three, var_gen(stuck([3, 15, 35, 60]), stuck([5, 5, 5, 5])))
    S("d4b-small-task", "contradicted", "task", tasks, three, var_gen(stuck([60, 35, 15, 3]), stuck([5, 5, 5, 5])))
    S("d4b-small-task", "inconclusive", "task", tasks, three, var_gen(stuck([20] * 4), stuck([20] * 4)))
    # d5: Glorot's edge is largest at the paper's learning rate.
    lrs = lv([("lr=0.0003", 3e-4), ("lr=0.001", 1e-3), ("lr=0.003", 3e-3)])
    S("d5-learning-rate", "supported", "lr", lrs, three, speed_gen([790] * 3, [790, 820, 790]))
    S("d5-learning-rate", "contradicted", "lr", lrs, three, speed_gen([790] * 3, [820, 790, 820]))
    S("d5-learning-rate", "inconclusive", "lr", lrs, three, speed_gen([790] * 3, [800] * 3))
    # d6: LayerNorm brings the initializers together (speed and spread).
    norm = lv([("no normalization", 0.0), ("LayerNorm", 1.0)])
    def norm_gen(plain, normed):
        return lambda l, i, k: {"c": const(rng, *(plain if l == 0 else normed)[i])}
    apart = {"small": (720, 40), "glorot": (810, 2), "he": (790, 15)}
    together = {"small": (800, 2), "glorot": (802, 2), "he": (801, 2)}
    S("d6-normalization", "supported", "norm", norm, three, norm_gen(apart, together))
    S("d6-normalization", "contradicted", "norm", norm, three, norm_gen(together, apart))
    S("d6-normalization", "inconclusive", "norm", norm, three, norm_gen(apart, apart))
    mechanism_branches(rng, out, three, fan, depth, norm)
    return out


def layer_stats(pre, act, g):
    """A run's per-layer statistics: pre-activation and activation SD per dense layer at epoch 0,
    weight-gradient norm per layer and epoch 1–10 (rounded to 12 significant digits)."""
    r = lambda v: float(f"{v:.12g}")
    return {"pre": [r(v) for v in pre], "act": [r(v) for v in act], "g": [[r(v) for v in row] for row in g]}


def mechanism_branches(rng, out, three, fan, depth, norm):
    """m1–m4, drawn after every other claim's fixtures (their draws unchanged)."""
    jitter = lambda w: math.exp(w * rng.uniform(-1, 1))
    grads = lambda scale, layers=4: [[scale * jitter(0.3) for _ in range(SPREAD)] for _ in range(layers)]

    # m1: flows apart (small ≪ glorot ≪ he) with equal plateaus; a plateau beyond the margin; neither.
    def m1_fixture(branch, profiles, scales):
        f, p = base_fixture("m1-early-gradient-flow", branch, profiles, rng)
        for r in f.runs:
            if r["init"] in scales:
                s = scales[r["init"]]
                r["ls"] = layer_stats([1.0] * 4, [0.5] * 4, grads(s() if callable(s) else s))
        out.append((f, p))
    apart = {"small": 1e-4, "glorot": 0.1, "he": 1.0}
    m1_fixture("supported", {"glorot": {"c": (800, 2)}, "he": {"c": (800, 2)}, "small": {"c": (800, 2)}}, apart)
    m1_fixture("contradicted", {"glorot": {"c": (800, 2)}, "he": {"c": (800, 2)}, "small": {"c": (760, 2)}}, apart)
    same = {i: (lambda: 0.1 * jitter(1.0)) for i in three}
    m1_fixture("inconclusive", {"glorot": {"c": (800, 12)}, "he": {"c": (800, 12)}, "small": {"c": (800, 12)}}, same)

    S = lambda claim, branch, pid, levels, inits, gen: out.append(sweep_fixture(claim, branch, pid, levels, inits, gen))
    # m2: He's first-layer gradient over Glorot's shrinks, grows, or stays with D.
    def m2_gen(ratios):
        return lambda l, i, k: {"c": const(rng, 800, 3),
                                "ls": layer_stats([1.0, 1.0], [0.5, 0.5],
                                                  grads(0.1 * (ratios[l] if i == "he" else 1.0), layers=2))}
    S("m2-fan-in-sensitivity", "supported", "fan-in", fan, ["glorot", "he"], m2_gen([8.0, 3.0, 1.2]))
    S("m2-fan-in-sensitivity", "contradicted", "fan-in", fan, ["glorot", "he"], m2_gen([1.2, 3.0, 8.0]))
    S("m2-fan-in-sensitivity", "inconclusive", "fan-in", fan, ["glorot", "he"], m2_gen([2.0, 2.0, 2.0]))

    # m3: per hidden layer k of a level with H hidden layers, the pre-activation SD at init.
    def m3_gen(he_sd, small_sd):
        """he_sd, small_sd: per run, a function of the hidden layer j."""
        def gen(l, i, k):
            hidden = int(depth[l][1])
            sd = {"he": he_sd, "small": small_sd}.get(i, lambda: lambda j: 0.3 * jitter(0.1))()
            pre = [sd(j) for j in range(1, hidden + 1)] + [1.0]
            return {"c": const(rng, 800, 3), "ls": layer_stats(pre, [0.5] * (hidden + 1), grads(0.1, hidden + 1))}
        return gen
    flat = lambda: lambda j: 1.0 * jitter(0.15)
    S("m3-variance-with-depth", "supported", "depth", depth, three,
      m3_gen(flat, lambda: lambda j: 0.01 * 0.3 ** j * jitter(0.1)))
    S("m3-variance-with-depth", "contradicted", "depth", depth, three,
      m3_gen(lambda: lambda j: math.exp(0.2 * j) * jitter(0.1), lambda: lambda j: 0.01 * 1.3 ** j * jitter(0.1)))

    def edge():
        """Layers alternating 1 and 2^u, u drawn once per run around 1: max/min straddles 2."""
        u = rng.uniform(0.6, 1.4)
        return lambda j: math.exp(math.log(2) * u * (j % 2))
    S("m3-variance-with-depth", "inconclusive", "depth", depth, three,
      m3_gen(edge, lambda: lambda j: 0.01 * jitter(0.5)))

    # m4: the initializers' activation SDs at init apart without LayerNorm, together with it (or not).
    spread_apart = {"small": 1e-5, "glorot": 0.1, "he": 0.8}
    together = {"small": 0.58, "glorot": 0.58, "he": 0.58}
    def m4_gen(plain, normed):
        def gen(l, i, k):
            centre = (plain if l == 0 else normed)[i]
            act = [centre * jitter(0.1) for _ in range(3)] + [1.0]
            return {"c": const(rng, 800, 3), "ls": layer_stats([1.0] * 4, act, grads(0.1))}
        return gen
    S("m4-norm-stabilizes", "supported", "norm", norm, three, m4_gen(spread_apart, together))
    S("m4-norm-stabilizes", "contradicted", "norm", norm, three, m4_gen(together, spread_apart))
    S("m4-norm-stabilizes", "inconclusive", "norm", norm, three, m4_gen(spread_apart, spread_apart))


def main():
    rng = np.random.default_rng(20240530)
    fixtures = []
    for f, p in branches(rng):
        parts = ANALYSES[f.claim](f, p)
        pf, pa = combine(parts)
        fixtures.append({"claim": f.claim, "branch": f.branch, "plans": f.plans, "losses": f.losses, "runs": f.runs,
                         "expect": {"verdict": verdict(pf, pa), "p_for": pf, "p_against": pa,
                                    "effect": parts[0]["effect"]}})
        if fixtures[-1]["expect"]["verdict"] != f.branch:
            print(f"warning: {f.claim} {f.branch} came out {verdict(pf, pa)} (p for {pf}, against {pa})",
                  file=sys.stderr)
    json.dump({"epochs": E, "n_train": N_TRAIN, "n_val": N_VAL, "fixtures": fixtures}, sys.stdout,
              separators=(",", ":"))
    print()


if __name__ == "__main__":
    main()
