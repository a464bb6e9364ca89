//! The building blocks of the claims' figures: initializer colours, curves
//! across seeds, linked box plots and sweep charts.

use super::table::Table;
use crate::claims::{RunRecord, display};
use crate::plot::{self, BoxOpts, Group, LineOpts, Scene, Series};
use crate::stats;

/// The initializers in colour order ([`plot::series_color`]).
const INIT_ORDER: [&str; 5] = ["small", "glorot", "he", "he@1=glorot", "glorot@1=he"];

/// An initializer's colour, the same in every claim's figure.
pub(crate) fn color(init: &str) -> plot::Color {
    plot::series_color(INIT_ORDER.iter().position(|&n| n == init).unwrap_or(5))
}

/// Mean ± SD across seeds of a per-epoch metric, epochs `1..=upto`.
pub(crate) fn curve_series(
    runs: &[&RunRecord],
    init: &str,
    upto: usize,
    f: impl Fn(&RunRecord, usize) -> f64,
    members: bool,
) -> Series {
    let n = runs.iter().map(|r| r.train_acc.len()).min().unwrap_or(0).min(upto);
    let x: Vec<f64> = (1..=n).map(|e| e as f64).collect();
    let cols: Vec<Vec<f64>> = (0..n).map(|e| runs.iter().map(|r| f(r, e)).collect()).collect();
    let s = Series::new(
        &display(init),
        color(init),
        x,
        cols.iter().map(|c| stats::mean(c)).collect(),
        cols.iter().map(|c| stats::std_dev(c)).collect(),
    );
    if members { s.with_members(runs.iter().map(|r| (0..n).map(|e| f(r, e)).collect()).collect()) } else { s }
}

/// Across-seed SD per epoch as a line (no band).
pub(crate) fn sd_series(runs: &[&RunRecord], init: &str, upto: usize) -> Series {
    let n = runs.iter().map(|r| r.train_acc.len()).min().unwrap_or(0).min(upto);
    let sd: Vec<f64> = (0..n)
        .map(|e| stats::std_dev(&runs.iter().map(|r| f64::from(r.train_acc[e])).collect::<Vec<_>>()))
        .collect();
    Series::new(&display(init), color(init), (1..=n).map(|e| e as f64).collect(), sd, Vec::new())
}

/// Linked box plot of `(initializer, per-seed values)` groups.
pub(crate) fn boxes(title: &str, y: &str, groups: Vec<(&str, Vec<f64>)>) -> Scene {
    let g: Vec<Group> =
        groups.into_iter().map(|(n, values)| Group { name: display(n), color: color(n), values }).collect();
    plot::box_points_opts(title, y, &g, &BoxOpts { link: true, ..BoxOpts::default() })
}

/// Per level of a sweep, mean ± SD across seeds of `f`, one series per init.
pub(crate) fn sweep_fig(
    t: &Table<'_>,
    p: usize,
    inits: &[&str],
    (title, x_label, y_label): (&str, &str, &str),
    x_of: impl Fn(f64) -> f64,
    f: impl Fn(&RunRecord) -> f64 + Copy,
) -> Scene {
    let plan = &t.plans[p];
    let series: Vec<Series> = inits
        .iter()
        .map(|&i| {
            let cols: Vec<Vec<f64>> = (0..plan.levels.len()).map(|l| t.values(p, l, i, f)).collect();
            Series::new(
                &display(i),
                color(i),
                plan.levels.iter().map(|l| x_of(l.value)).collect(),
                cols.iter().map(|c| stats::mean(c)).collect(),
                cols.iter().map(|c| stats::std_dev(c)).collect(),
            )
        })
        .collect();
    plot::line_bands_opts(title, x_label, y_label, &series, &LineOpts::default())
}
