#!/usr/bin/env python3
"""Reference values for harness/src/stats/ (rank_tests.rs, t_tests.rs, checked in
harness/tests/claims.rs). Run: python3 claims_stats_reference.py
(SciPy 1.17.1, NumPy 2.4.6 produced the values quoted in the test)."""
import numpy as np
from scipy import stats

# Paired differences with ties and zeros (as accuracy differences are).
D = [0.0033, -0.0011, 0.0067, 0.0033, 0.0, 0.0100, -0.0044, 0.0022, 0.0033, 0.0056,
     -0.0011, 0.0078, 0.0, 0.0011, 0.0089, -0.0022, 0.0044, 0.0033, 0.0122, 0.0011]

w = stats.wilcoxon(D, zero_method="wilcox", correction=False, method="approx")
nz = [d for d in D if d != 0]
r = stats.rankdata(np.abs(nz))
wplus = r[np.array(nz) > 0].sum()
print(f"wilcoxon: W+ = {wplus!r}, p = {w.pvalue!r}, z = {w.zstatistic!r}")

t = stats.ttest_1samp(D, 0.0)
ci = t.confidence_interval(0.95)
print(f"ttest_1samp: t = {t.statistic!r}, p = {t.pvalue!r}, ci = ({ci.low!r}, {ci.high!r})")

m = 0.005
lo = stats.ttest_1samp(D, -m, alternative="greater").pvalue
hi = stats.ttest_1samp(D, m, alternative="less").pvalue
beyond = stats.ttest_1samp(D, m, alternative="greater").pvalue  # mean > 0 here
print(f"tost(m=0.005): p_equivalent = {max(lo, hi)!r}, p_beyond = {beyond!r}")

x = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5]
y = [0.10, 0.14, 0.08, 0.11, 0.19, 0.13, 0.22, 0.18, 0.16, 0.25, 0.21, 0.27, 0.24, 0.31, 0.26]
lr = stats.linregress(x, y)
q = stats.t.ppf(0.975, len(x) - 2)
print(f"linregress: slope = {lr.slope!r}, intercept = {lr.intercept!r}, se = {lr.stderr!r}, p = {lr.pvalue!r}, "
      f"ci = ({lr.slope - q * lr.stderr!r}, {lr.slope + q * lr.stderr!r})")

G = [[0.10, 0.12, 0.12, 0.15, 0.20], [0.05, 0.07, 0.12, 0.09], [0.30, 0.22, 0.25, 0.12, 0.28, 0.30]]
k = stats.kruskal(*G)
print(f"kruskal: H = {k.statistic!r}, p = {k.pvalue!r}")


def holm(p):  # written out from Holm (1979), independent of the Rust code
    p = np.asarray(p, float)
    order = np.argsort(p, kind="stable")
    m = len(p)
    adj = np.empty(m)
    run = 0.0
    for j, i in enumerate(order):
        run = max(run, min(1.0, (m - j) * p[i]))
        adj[i] = run
    return adj


P = [0.01, 0.04, 0.03, 0.005, 0.5, 0.2]
print(f"holm: {list(holm(P))!r}")
# Cross-check against SciPy's own Holm where available (scipy >= 1.11 has false_discovery_control only for BH/BY).
print(f"normal sf(1.96) = {stats.norm.sf(1.96)!r}; t sf(2.1, 9) = {stats.t.sf(2.1, 9)!r}")
