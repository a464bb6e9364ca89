//! Variability as version 2 measures it
//! ([`VARIABILITY_RULE`](super::super::registry::VARIABILITY_RULE)): the
//! spread of a per-seed measure (paired SD-ratio permutation test) or the
//! failure rate (exact McNemar), either-or; in a sweep, the per-seed slopes
//! of both across the levels.

use super::parts::{Part, bca, described, either, signed_rank, slopes};
use crate::claims::v2::registry::RESAMPLING;
use crate::stats::{Alternative, ln_sd_ratio, sd_ratio_test};

/// The failure indicators as 0/1 differences `a − b`.
fn failure_diffs(fail_a: &[bool], fail_b: &[bool]) -> Vec<f64> {
    fail_a.iter().zip(fail_b).map(|(&x, &y)| f64::from(u8::from(x)) - f64::from(u8::from(y))).collect()
}

/// The spread component: the SD ratio `SD(a)/SD(b)` with its BCa interval
/// (of the log ratio, exponentiated; infinite resamples counted) and the
/// paired SD-ratio permutation test of `ln(SD(a)/SD(b))` in the `claimed`
/// direction. Void when every run of either initializer failed.
pub(crate) fn spread(label: &str, a: &[f64], b: &[f64], stuck: bool, claimed: Alternative) -> Part {
    let name = "paired SD-ratio permutation test";
    if stuck {
        return Part::void(
            label,
            name,
            a.len(),
            "every run of one initializer failed (no spread to measure)",
        );
    }
    let test = |alt| sd_ratio_test(a, b, alt, &RESAMPLING);
    let Some(r) = test(claimed) else { return Part::void(label, name, a.len(), "fewer than 2 seeds") };
    let p_against =
        if claimed == Alternative::TwoSided { 1.0 } else { test(claimed.reversed()).map_or(1.0, |r| r.p) };
    let (ci, infinite) = bca(a.len(), |idx| {
        let (x, y): (Vec<f64>, Vec<f64>) = idx.iter().map(|&i| (a[i], b[i])).unzip();
        ln_sd_ratio(&x, &y)
    });
    Part {
        label: label.into(),
        test: described(name, &r),
        n: a.len(),
        effect: ln_sd_ratio(a, b).exp(),
        ci: (ci.0.exp(), ci.1.exp()),
        ci_method: "BCa bootstrap of ln(SD ratio), seeds resampled in pairs, exponentiated".into(),
        infinite_resamples: infinite,
        statistic: r.statistic,
        p_for: r.p,
        p_against,
        components: Vec::new(),
    }
}

/// Variability of `a` over `b` (the same seeds in the same order): spread
/// ([`spread`]) or failures (the exact McNemar test: the signed-rank test of
/// the paired failure indicators, whose ties make it the sign test of the
/// discordant pairs), either-or in the `claimed` direction.
pub(crate) fn variability(
    label: &str,
    (a, fail_a): (&[f64], &[bool]),
    (b, fail_b): (&[f64], &[bool]),
    claimed: Alternative,
) -> Part {
    let stuck = fail_a.iter().all(|&f| f) || fail_b.iter().all(|&f| f);
    let s = spread(&format!("{label}: SD ratio"), a, b, stuck, claimed);
    let mut f = signed_rank(
        &format!("{label}: failure rate difference"),
        &failure_diffs(fail_a, fail_b),
        claimed,
        1.0,
    );
    f.test = format!("exact McNemar, as {}", f.test);
    either(label, s, f)
}

/// Seed `s`'s share of the variance of `v` (`(v_s − v̄)²·n/(n − 1)`, whose
/// mean over seeds is the sample variance).
fn variance_shares(v: &[f64]) -> Vec<f64> {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    v.iter().map(|x| (x - m) * (x - m) * n / (n - 1.0)).collect()
}

/// The growth of `a`'s variability over `b`'s across ordered levels with
/// seeds as blocks: `a[j][s]` is seed `s`'s measure at level `j` (likewise
/// `b`, `fail_a`, `fail_b`), `x[j]` the level's position. Failures: per-seed
/// slopes of the failure indicators' difference; spread: per-seed slopes of
/// the variance shares' difference over the levels where neither
/// initializer's every run failed (divided by `unit²`); either-or, each a
/// sign-flip test of the mean slope in the `claimed` direction.
pub(crate) fn variability_trend(
    label: &str,
    x: &[f64],
    (a, fail_a): (&[Vec<f64>], &[Vec<bool>]),
    (b, fail_b): (&[Vec<f64>], &[Vec<bool>]),
    claimed: Alternative,
    unit: f64,
) -> Part {
    let seeds = a.first().map_or(0, Vec::len);
    let keep: Vec<usize> =
        (0..x.len()).filter(|&j| !(fail_a[j].iter().all(|&f| f) || fail_b[j].iter().all(|&f| f))).collect();
    let shares: Vec<(Vec<f64>, Vec<f64>)> =
        keep.iter().map(|&j| (variance_shares(&a[j]), variance_shares(&b[j]))).collect();
    let rows: Vec<Vec<f64>> =
        (0..seeds).map(|s| shares.iter().map(|(sa, sb)| sa[s] - sb[s]).collect()).collect();
    let xs: Vec<f64> = keep.iter().map(|&j| x[j]).collect();
    let spread = slopes(&format!("{label}: variance share difference"), &xs, &rows, claimed, unit * unit);
    let fails: Vec<Vec<f64>> = (0..seeds)
        .map(|s| (0..x.len()).map(|j| failure_diffs(&fail_a[j][s..=s], &fail_b[j][s..=s])[0]).collect())
        .collect();
    let failures = slopes(&format!("{label}: failure indicator difference"), x, &fails, claimed, 1.0);
    either(label, spread, failures)
}
