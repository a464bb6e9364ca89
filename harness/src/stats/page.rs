//! Page's L test for an ordered (monotone) trend across treatments, with
//! seeds as blocks.

use super::distributions::normal_sf;
use super::hypothesis::{Alternative, Method, TestResult};
use super::rank_tests::rank_average;

/// Page's trend test of `k` ordered treatments in `n` blocks, as
/// `scipy.stats.page_trend_test(blocks)` (rows = blocks, columns =
/// treatments in their predicted order, `method="auto"`).
///
/// Each row `blocks[b]` (a seed's responses at the levels, all rows of
/// length `k`) is ranked on its own (average ranks for ties); with the
/// column rank sums `R_j`, `L = Σ_{j=1..k} j·R_j`. Large `L` means the
/// responses increase with the column index.
///
/// * **Exact** ([`Method::Exact`]) when SciPy's `auto` picks it: `k ≤ 8`
///   and not (`n > 12` and `k > 3`) and `n ≤ 20`. One row's `L` takes each
///   value `Σ_j j·π(j)` over the `k!` permutations `π` with probability
///   `#/k!`; the `n`-row distribution is its `n`-fold convolution (Odeh
///   1977, as SciPy's recursion), and `P(L* ≥ l) = Σ_{v ≥ ⌊l⌋} P(L* = v)`.
///   With ties in a row `L` may be a half-integer; its floor is used, so the
///   p-value is conservative (SciPy does the same).
/// * **Asymptotic** ([`Method::Asymptotic`]) otherwise:
///   `E = n k (k+1)²/4`, `V = n k² (k+1)(k² − 1)/144`,
///   `p = P(Z > (L − E)/√V)`.
///
/// `Greater` (an increasing trend) is SciPy's test. `Less` (decreasing) is
/// the same test on the columns in reverse order (SciPy with
/// `predicted_ranks = [k, …, 1]`), and `TwoSided` is
/// `min(1, 2·min(p_greater, p_less))`. The statistic reported is always `L`
/// for the increasing order. `None` for fewer than 2 blocks or 3 treatments
/// (as SciPy), rows of unequal length or a non-finite value.
pub fn page_trend(blocks: &[&[f64]], alternative: Alternative) -> Option<TestResult> {
    let n = blocks.len();
    let k = blocks.first()?.len();
    if n < 2 || k < 3 || blocks.iter().any(|r| r.len() != k || r.iter().any(|x| !x.is_finite())) {
        return None;
    }
    let mut rank_sums = vec![0.0f64; k];
    for row in blocks {
        for (s, r) in rank_sums.iter_mut().zip(rank_average(row).0) {
            *s += r;
        }
    }
    let l_up: f64 = rank_sums.iter().enumerate().map(|(j, r)| (j + 1) as f64 * r).sum();
    let l_down: f64 = rank_sums.iter().rev().enumerate().map(|(j, r)| (j + 1) as f64 * r).sum();
    let exact = !(k > 8 || (n > 12 && k > 3) || n > 20);
    let upper = |l: f64| if exact { page_exact_sf(l, n, k) } else { page_asymptotic_sf(l, n, k) };
    let p = match alternative {
        Alternative::Greater => upper(l_up),
        Alternative::Less => upper(l_down),
        Alternative::TwoSided => alternative.p_from_tails(upper(l_up), upper(l_down)),
    };
    Some(TestResult {
        n,
        statistic: l_up,
        df: None,
        p: p.clamp(0.0, 1.0),
        alternative,
        method: if exact { Method::Exact } else { Method::Asymptotic },
    })
}

/// `P(L* > (l − E)/√V)` under the normal approximation (see [`page_trend`]).
fn page_asymptotic_sf(l: f64, n: usize, k: usize) -> f64 {
    let (nf, kf) = (n as f64, k as f64);
    let e = nf * kf * (kf + 1.0) * (kf + 1.0) / 4.0;
    let v = nf * kf * kf * (kf + 1.0) * (kf * kf - 1.0) / 144.0;
    normal_sf((l - e) / v.sqrt())
}

/// Exact `P(L* ≥ ⌊l⌋)` for `n` rows of `k ≤ 8` ranks (see [`page_trend`]).
fn page_exact_sf(l: f64, n: usize, k: usize) -> f64 {
    // One row: L ranges over a = k(k+1)(k+2)/6 ..= b = k(k+1)(2k+1)/6.
    let a = k * (k + 1) * (k + 2) / 6;
    let b = k * (k + 1) * (2 * k + 1) / 6;
    let mut one = vec![0.0f64; b - a + 1];
    let mut perm: Vec<usize> = (1..=k).collect();
    let mut count = 0u64;
    permutations(&mut perm, 0, &mut |p| {
        let v: usize = p.iter().enumerate().map(|(j, &r)| (j + 1) * r).sum();
        one[v - a] += 1.0;
        count += 1;
    });
    for c in &mut one {
        *c /= count as f64;
    }
    // n-fold convolution; index i of `dist` is L = n·a + i.
    let mut dist = one.clone();
    for _ in 1..n {
        let mut next = vec![0.0f64; dist.len() + one.len() - 1];
        for (i, &p) in dist.iter().enumerate() {
            for (j, &q) in one.iter().enumerate() {
                next[i + j] += p * q;
            }
        }
        dist = next;
    }
    let lo = n * a;
    let l = l.floor();
    if l <= lo as f64 {
        return 1.0;
    }
    let start = l as usize - lo;
    dist.get(start..).map_or(0.0, |tail| tail.iter().sum())
}

/// Calls `f` with every permutation of `v[at..]` (Heap-free swap recursion).
fn permutations(v: &mut [usize], at: usize, f: &mut impl FnMut(&[usize])) {
    if at == v.len() {
        f(v);
        return;
    }
    for i in at..v.len() {
        v.swap(at, i);
        permutations(v, at + 1, f);
        v.swap(at, i);
    }
}

#[cfg(test)]
mod tests;
