#!/usr/bin/env python3
"""Reference values for harness/src/stats/tests.rs (descriptive statistics,
Brown-Forsythe / Levene, F survival function, SplitMix64).

Run: python3 harness/tests/reference/stats_unit_reference.py
(Python 3.11.7, NumPy 2.4.6, SciPy 1.17.1 produced the values quoted in the
test; every float is repr(float(...)).)

Independent of the Rust code: SciPy's levene(center='median') and f.sf,
NumPy's quantile/median/mean/std, and Vigna's splitmix64.c transcribed into
Python integers.
"""
import warnings

import numpy as np
from scipy import stats

TINY = [[0.96, 0.9606, 0.9595, 0.9582, 0.9591, 0.958, 0.9601, 0.9627, 0.959, 0.9588, 0.961, 0.9607],
        [0.9621, 0.9414, 0.9594, 0.9739, 0.9331, 0.9508, 0.922, 0.9342, 0.9232, 0.9553, 0.9347, 0.9654],
        [0.9605, 0.9594, 0.9524, 0.9584, 0.9599, 0.9603, 0.9554, 0.9586, 0.9571, 0.9576, 0.9632, 0.9576]]
NEAR1 = [[0.436, 0.466, 0.529, 0.554, 0.369, 0.547, 0.617, 0.518],
         [0.586, 0.53, 0.476, 0.547, 0.393, 0.542, 0.542, 0.357],
         [0.593, 0.498, 0.609, 0.536, 0.491, 0.646, 0.453, 0.599]]
ACC = [[0.95, 0.9633, 0.96, 0.96, 0.9567, 0.9633, 0.9667, 0.96, 0.9533, 0.96],
       [0.9667, 0.97, 0.9667, 0.9633, 0.9667, 0.97, 0.9633, 0.9667, 0.97, 0.9667],
       [0.9433, 0.96, 0.9267, 0.9533, 0.9667, 0.94, 0.9567, 0.9333, 0.9633, 0.95],
       [0.96, 0.96, 0.9633, 0.9567, 0.96, 0.9633, 0.9567, 0.96, 0.9633, 0.96]]

print("# levene_reference_values: stats.levene(*G, center='median')")
for name, g in [("TINY", TINY), ("NEAR1", NEAR1), ("ACC", ACC)]:
    r = stats.levene(*g, center="median")
    print(f"{name}: W = {float(r.statistic)!r}, p = {float(r.pvalue)!r}")

print("# pairwise_matches_two_group_levene: (i, j, W, p, std_i/std_j)")
for i in range(4):
    for j in range(i + 1, 4):
        r = stats.levene(ACC[i], ACC[j], center="median")
        ratio = np.std(ACC[i], ddof=1) / np.std(ACC[j], ddof=1)
        print(f"({i}, {j}, {float(r.statistic)!r}, {float(r.pvalue)!r}, {float(ratio)!r})")

print("# brown_forsythe_degenerate_inputs")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    r = stats.levene([1.0, 3.0], [1.0, 5.0], center="median")
    print(f"levene([1,3],[1,5]): W = {float(r.statistic)!r}, p = {float(r.pvalue)!r}")
    r = stats.levene([0.95, 0.96], [0.9, 0.97], [0.95, 0.95, 0.96, 0.96], center="median")
    print(f"levene([.95,.96],[.9,.97],[.95,.95,.96,.96]): W = {float(r.statistic)!r}, p = {float(r.pvalue)!r}")
r = stats.levene([1.0, 2.0, 3.0], [11.0, 12.0, 13.0], center="median")
print(f"levene([1,2,3],[11,12,13]): W = {float(r.statistic)!r}, p = {float(r.pvalue)!r}")

print("# f_sf_reference_values: stats.f.sf(f, d1, d2)")
for f, d1, d2 in [(3.2, 3, 36), (50.0, 2, 20), (0.01, 3, 36), (120.0, 1, 10), (1.0, 5, 5), (400.0, 3, 36)]:
    print(f"f.sf({f}, {d1}, {d2}) = {float(stats.f.sf(f, d1, d2))!r}")

print("# descriptive_reference_values")
Q = [0.9633, 0.95, 0.96, 0.9567, 0.96, 0.9667, 0.9533, 0.96, 0.97, 0.9633]
for p in [0.0, 0.025, 0.1, 0.25, 0.5, 0.73, 0.975, 1.0]:
    print(f"np.quantile(Q, {p}) = {float(np.quantile(Q, p))!r}")
print(f"np.median(Q) = {float(np.median(Q))!r}, np.mean(Q) = {float(np.mean(Q))!r}, "
      f"np.std(Q, ddof=1) = {float(np.std(Q, ddof=1))!r}")
print(f"np.median([4,1,3]) = {float(np.median([4.0, 1.0, 3.0]))!r}, "
      f"np.median([4,1,3,2]) = {float(np.median([4.0, 1.0, 3.0, 2.0]))!r}")
x = np.array([1.0, 2.0, 4.0])
print(f"mean |x - median| of [1,2,4] = {float(np.mean(np.abs(x - np.median(x))))!r}")

print("# splitmix64_reference_and_unbiased_below: splitmix64.c, x = 1234567")
M64 = (1 << 64) - 1
s = 1234567
for _ in range(3):
    s = (s + 0x9E3779B97F4A7C15) & M64
    z = s
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    print(z ^ (z >> 31))
print(f"chi-square 5 df, p = 0.001 critical value: {float(stats.chi2.isf(0.001, 5))!r} (test bound 20.5)")
