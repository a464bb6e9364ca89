//! The summary in words and tables: `summary.md`, the terminal's text and
//! the typed rows the HTML report draws its tables from.

use super::{MIN_SEEDS, Summary, TimeTo};
use crate::stats;
use crate::study::THRESHOLD_FRACTIONS;
use std::fmt::Write as _;

/// Why nothing is inferred from `n` seeds (fewer than [`MIN_SEEDS`]), in words.
pub(crate) fn too_few_words(n: usize) -> String {
    format!("n < {MIN_SEEDS} seeds per initializer ({n}): no confidence intervals, tests or p-values")
}

impl Summary {
    /// The accuracy levels of the epochs-to-threshold columns, in words.
    pub(crate) fn thresholds_text(&self) -> String {
        let t = &self.thresholds;
        let ceiling = match t.ceiling {
            Some(c) => format!(
                "the data set's Bayes-optimal accuracy {:.4} (± {:.4}; {})",
                c.accuracy, c.std_error, c.method
            ),
            None => "1 (the Bayes-optimal accuracy of a CSV data set is unknown)".to_string(),
        };
        format!(
            "Epochs to threshold count training epochs until the training accuracy first reaches 50% ({:.4}) and 90% ({:.4}) of the way from chance ({:.4}, the majority class) to the ceiling, {ceiling}. Runs that never reach it are counted, not averaged.\n",
            t.target(THRESHOLD_FRACTIONS[0]),
            t.target(THRESHOLD_FRACTIONS[1]),
            t.chance
        )
    }

    /// The main table, one row per initializer: init, runs, final
    /// validation accuracy (mean ± std, min, max, 95% CI of the mean) and
    /// the epochs to each threshold.
    pub(crate) fn table_rows(&self) -> Table {
        let header = [
            "init",
            "runs",
            "final val acc mean ± std",
            "min",
            "max",
            "95% CI of mean",
            "epochs to 50% of the way to the ceiling (reached)",
            "epochs to 90% of the way to the ceiling (reached)",
        ];
        let d = self.acc_decimals;
        let time_to = |t: &TimeTo| {
            let n = t.reached + t.never;
            if t.mean.is_finite() {
                format!("{:.1} ± {:.1} ({} of {n})", t.mean, t.std, t.reached)
            } else {
                format!("– (0 of {n})")
            }
        };
        let rows = self
            .inits
            .iter()
            .map(|i| {
                let v = &i.final_val_acc;
                vec![
                    i.init.display_name(),
                    i.runs.to_string(),
                    format!("{:.d$} ± {:.d$}", v.mean, v.std),
                    format!("{:.d$}", v.min),
                    format!("{:.d$}", v.max),
                    match v.ci95 {
                        Some((lo, hi)) => format!("[{lo:.d$}, {hi:.d$}]"),
                        None => format!("n < {MIN_SEEDS} seeds: no CI"),
                    },
                    time_to(&i.time_to[0]),
                    time_to(&i.time_to[1]),
                ]
            })
            .collect();
        Table::new(&header, rows)
    }

    /// The main table as Markdown: one row per initializer.
    pub fn table(&self) -> String {
        self.table_rows().markdown()
    }

    /// The training curves, one row per initializer and tabulated epoch
    /// ([`super::CHECKPOINT_EPOCHS`] and the last): training loss and
    /// accuracy, mean ± std across seeds.
    pub(crate) fn curve_rows(&self) -> Table {
        let d = self.train_acc_decimals;
        let rows = self
            .inits
            .iter()
            .flat_map(|i| {
                i.curve.iter().map(move |c| {
                    vec![
                        i.init.display_name(),
                        c.epoch.to_string(),
                        format!("{:.4} ± {:.4}", c.loss_mean, c.loss_std),
                        format!("{:.d$} ± {:.d$}", c.acc_mean, c.acc_std),
                    ]
                })
            })
            .collect();
        Table::new(&["init", "epoch", "train loss", "train acc"], rows)
    }

    /// The spread test in words (with fewer than [`MIN_SEEDS`] seeds, the
    /// spreads without a test, and why).
    pub fn spread_text(&self) -> String {
        let mut s = String::new();
        match (&self.spread, self.too_few_seeds()) {
            (_, Some(n)) => {
                let _ = writeln!(
                    s,
                    "Brown–Forsythe test of equal spread of final validation accuracy across inits: not computed — {}.",
                    too_few_words(n)
                );
            }
            (Some(t), None) => {
                let _ = writeln!(
                    s,
                    "Brown–Forsythe test of equal spread of final validation accuracy across inits: F({}, {}) = {:.3}, {} — {}.",
                    t.df1,
                    t.df2,
                    t.statistic,
                    stats::format_p(t.p_value),
                    if t.p_value < 0.05 { "the spreads differ (p < 0.05)" } else { "no significant difference (p ≥ 0.05)" }
                );
            }
            (None, None) => s.push_str("Brown–Forsythe test: not defined for these data (fewer than 2 inits, fewer than 2 runs per init, or no variation).\n"),
        }
        for p in &self.pairwise {
            let name = |k: usize| self.inits[k].init.display_name();
            let (mad_a, mad_b) = (format!("{:.4}", p.mad_i), format!("{:.4}", p.mad_j));
            if self.too_few_seeds().is_some() {
                let _ = writeln!(
                    s,
                    "- {} vs {}: mean abs. deviation from median {mad_a} vs {mad_b} (n < {MIN_SEEDS} seeds: no test)",
                    name(p.i),
                    name(p.j)
                );
                continue;
            }
            // Equal as shown is equal: naming a "smaller" one of 0.0022 and
            // 0.0022 would claim a difference the reader cannot see.
            let verdict = if mad_a == mad_b {
                "equal spread".to_string()
            } else {
                p.smaller
                    .map_or("spreads not comparable".to_string(), |k| format!("smaller spread: {}", name(k)))
            };
            let pv = stats::format_p(p.p_value().unwrap_or(f64::NAN));
            let _ = writeln!(
                s,
                "- {} vs {}: {verdict} — mean abs. deviation from median {mad_a} vs {mad_b}, {pv}",
                name(p.i),
                name(p.j)
            );
        }
        s
    }

    /// The whole summary as Markdown.
    pub fn to_markdown(&self) -> String {
        let mut s = String::from("# Study summary\n\n## Final validation accuracy\n\n");
        s.push_str(&self.table());
        s.push('\n');
        s.push_str(&self.thresholds_text());
        let findings = self.findings_text();
        if !findings.is_empty() {
            s.push_str("\n## The paper's findings in this study\n\n");
            s.push_str(&findings);
        }
        s.push_str("\n## Spread of final validation accuracy\n\n");
        s.push_str(&self.spread_text());
        s.push_str("\n## Training curves (mean ± std across seeds)\n\n");
        s.push_str(&self.curve_rows().markdown());
        s
    }
}

/// A table of text cells, which `summary.md` writes as Markdown and the
/// HTML report as a `<table>` (no round trip through Markdown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Table {
    /// The column names.
    pub header: Vec<String>,
    /// The rows, each as many cells as the header.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    fn new(header: &[&str], rows: Vec<Vec<String>>) -> Table {
        Table { header: header.iter().map(|h| h.to_string()).collect(), rows }
    }

    /// A Markdown pipe table: the header, the `|---|` rule, then one line
    /// per row.
    pub(crate) fn markdown(&self) -> String {
        let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
        let mut s = line(&self.header);
        s.push('|');
        s.push_str(&"---|".repeat(self.header.len()));
        s.push('\n');
        for r in &self.rows {
            s.push_str(&line(r));
        }
        s
    }
}
