//! Per-seed values across the levels of a sweep: averages over chosen
//! levels, (level, difference) points for a trend, ranges across
//! initializers and normalised speeds.

use super::measures::{overall_speed, snap};
use super::table::Table;
use crate::claims::RunRecord;
use crate::stats;

/// Per seed, the mean of `f(init_a) − f(init_b)` over the levels `keep`.
pub(super) fn level_mean_diff(
    t: &Table<'_>,
    p: usize,
    a: &str,
    b: &str,
    keep: impl Fn(f64) -> bool,
    f: impl Fn(&RunRecord) -> f64 + Copy,
) -> (Vec<f64>, Vec<f64>) {
    let plan = &t.plans[p];
    let ls: Vec<usize> = (0..plan.levels.len()).filter(|&l| keep(plan.levels[l].value)).collect();
    let n = plan.seeds.len();
    let avg = |init: &str| -> Vec<f64> {
        let per: Vec<Vec<f64>> = ls.iter().map(|&l| t.values(p, l, init, f)).collect();
        (0..n).map(|s| per.iter().map(|v| v[s]).sum::<f64>() / per.len().max(1) as f64).collect()
    };
    (avg(a), avg(b))
}

/// (x, y) points of a per-seed difference `g(level)` over every level.
pub(super) fn trend_points(
    t: &Table<'_>,
    p: usize,
    x_of: impl Fn(f64) -> f64,
    g: impl Fn(usize) -> Vec<f64>,
) -> (Vec<f64>, Vec<f64>) {
    let plan = &t.plans[p];
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for (l, level) in plan.levels.iter().enumerate() {
        for v in g(l) {
            x.push(x_of(level.value));
            y.push(v);
        }
    }
    (x, y)
}

/// Per seed, the range (max − min) of one value across initializers:
/// `cols[i][s]` is initializer `i`'s value for seed `s`.
pub(super) fn range_across(cols: &[Vec<f64>]) -> Vec<f64> {
    (0..cols.first().map_or(0, Vec::len))
        .map(|s| {
            let at: Vec<f64> = cols.iter().map(|c| c[s]).collect();
            snap(stats::max(&at) - stats::min(&at))
        })
        .collect()
}

/// `a − b`, element by element.
pub(super) fn sub(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

/// Overall speed of a run of level `l` of plan `p`, normalised by the
/// level's data: `(speed − chance) / (ceiling − chance)`.
pub(super) fn normalised(t: &Table<'_>, p: usize, l: usize) -> impl Fn(&RunRecord) -> f64 + Copy + 'static {
    let th = t.prepared[p][l].thresholds;
    let (chance, top) = (th.chance, th.top());
    move |r: &RunRecord| (overall_speed(r) - chance) / (top - chance)
}
