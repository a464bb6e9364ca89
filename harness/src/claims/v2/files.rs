//! Version 2's files, through the claims' shared writer
//! ([`write_files`](crate::claims::write)): `claims.json` (with the
//! registry and its source hash), `claims.md`, `claims.html`, `runs.csv`
//! (version 1's columns and the counts), `epochs.csv` and a figure per
//! claim run.

use super::analysis::{self, ClaimResult, Part};
use super::registry::{self, Spec};
use crate::claims::analysis::{Direction, Table, Verdict};
use crate::claims::write::{ClaimText, Doc, Shown, number, runs_csv_with, table_of, write_files};
use crate::claims::{Decided, RunRecord, Scale, Settled};
use crate::error::Result;
use crate::folder::Folder;
use crate::plot::Scene;
use crate::stats::format_p;
use std::fmt::Write as _;

/// Version of the layout of version 2's `claims.json`.
pub const CLAIMS_SCHEMA_VERSION: u32 = 2;

/// Version 2's `claims.json`.
#[derive(serde::Serialize)]
struct ClaimsFile<'a> {
    schema_version: u32,
    registry: &'static str,
    source_hash: String,
    scale: Scale,
    levels: Spec,
    alpha: f64,
    equivalence_margin: f64,
    verdict_rule: &'static str,
    variability_rule: &'static str,
    runs: usize,
    claims: &'a [ClaimResult],
}

/// One part as a line: label, effect and interval, test, p each way.
fn part_line(p: &Part) -> String {
    let mut s = format!(
        "{}: effect {} [{}, {}] (n = {}",
        p.label,
        number(p.effect),
        number(p.ci.0),
        number(p.ci.1),
        p.n
    );
    if p.infinite_resamples > 0 {
        let _ = write!(s, ", {} infinite bootstrap resamples kept", p.infinite_resamples);
    }
    let _ = write!(s, "); {}", p.test);
    if p.statistic.is_finite() {
        // `+ 0.0` prints a signed zero (an empty sum of ranks) as 0.
        let _ = write!(s, ", statistic {}", number(p.statistic + 0.0));
    }
    let _ = write!(s, ", p for {}, p against {}", number(p.p_for), number(p.p_against));
    for c in &p.components {
        let _ = write!(s, " ⟨{}⟩", part_line(c));
    }
    s
}

impl Shown for ClaimResult {
    fn text(&self) -> ClaimText<'_> {
        let c = &self.claim;
        ClaimText {
            id: c.id,
            section: c.section,
            quote: c.quote,
            experiment: c.experiment,
            primary: c.primary,
            rule: c.rule,
            secondary: c.secondary,
            caption: c.caption,
        }
    }

    fn verdict(&self) -> Verdict {
        self.verdict
    }

    fn ps(&self) -> (f64, f64) {
        if self.verdict == Verdict::Contradicted || self.direction == Direction::Opposite {
            (self.p_against, self.p_against_holm)
        } else {
            (self.p_for, self.p_for_holm)
        }
    }

    fn headline(&self) -> String {
        self.parts.first().map_or("—".into(), |p| {
            format!("{} [{}, {}]", number(p.effect), number(p.ci.0), number(p.ci.1))
        })
    }

    fn result(&self) -> Option<(String, String)> {
        (!self.parts.is_empty()).then(|| {
            let sentence = format!(
                "p for the claim {} (Holm-adjusted {}), p against it {} (Holm-adjusted {})",
                format_p(self.p_for),
                format_p(self.p_for_holm),
                format_p(self.p_against),
                format_p(self.p_against_holm)
            );
            (format!("{sentence} → **{}**.", self.verdict.word()), format!("{sentence}."))
        })
    }

    fn parts(&self) -> Vec<String> {
        self.parts.iter().map(part_line).collect()
    }

    fn secondary(&self) -> Vec<String> {
        self.secondary.iter().map(part_line).collect()
    }

    fn notes(&self) -> &[String] {
        &self.notes
    }

    fn figure(&self) -> Option<&str> {
        self.figure.as_deref()
    }
}

/// The constants, as a Markdown list.
fn constants_md() -> String {
    format!(
        "- registry version 2, source hash {}\n- family-wise α = {} in each of the two families (for and against), Holm–Bonferroni\n- equivalence margin = ±{} accuracy points\n- early window = epochs 1–{}; \"first several epochs\" = 1–{}; plateau = last {} epochs\n- a run fails when its training accuracy never reaches {}% of the way from chance to the ceiling; target = {}%\n- permutation tests exact up to {} seeds, else {} random permutations (seed {:#x})\n- BCa bootstrap: {} resamples, seed {:#x}, seeds resampled as pairs, infinite resamples kept and counted\n- boundary measured between grid points within {} of the data\n- deep ≥ {} hidden layers, shallow ≤ {}; the paper's learning rate {}\n- model seeds from {} (a block of {} per plan)\n- accuracies compared as integer counts (correct of N)\n\n**Variability.** {}\n",
        super::source_hash(),
        registry::ALPHA,
        registry::EQUIVALENCE_MARGIN,
        registry::EARLY_WINDOW,
        registry::SPREAD_WINDOW,
        registry::PLATEAU_WINDOW,
        registry::FAILURE_FRACTION * 100.0,
        registry::TARGET_FRACTION * 100.0,
        registry::RESAMPLING.exact_max_n,
        registry::RESAMPLING.resamples,
        registry::RESAMPLING.seed,
        registry::BOOTSTRAP_RESAMPLES,
        registry::BOOTSTRAP_SEED,
        registry::BOUNDARY_NEAR_DATA,
        registry::DEEP_MIN_HIDDEN,
        registry::SHALLOW_MAX_HIDDEN,
        registry::PAPER_LEARNING_RATE,
        registry::FIRST_SEED,
        registry::FIRST_SEED,
        registry::VARIABILITY_RULE
    )
}

/// `runs.csv`'s columns after version 1's: the counts, and whether the run failed.
const EXTRA_HEADER: &str = ",n_train,n_val,early_correct,overall_correct,final_val_correct,boundary_in_data";

/// A run's values of [`EXTRA_HEADER`]'s columns.
fn extra(r: &RunRecord) -> Vec<String> {
    let Some(c) = &r.counts else { return vec![String::new(); 6] };
    let sum = |k: usize| c.train_correct.iter().take(k).map(|&x| u64::from(x)).sum::<u64>().to_string();
    vec![
        c.n_train.to_string(),
        c.n_val.to_string(),
        sum(registry::EARLY_WINDOW),
        sum(usize::MAX),
        c.final_val_correct.to_string(),
        r.boundary_in_data.map_or(String::new(), |b| format!("{b}")),
    ]
}

/// Draws version 2's verdicts from every run and writes its files.
pub(crate) fn finish(folder: &Folder, scale: Scale, t: &Table<'_>) -> Result<Settled> {
    let analysed = analysis::analyse(t);
    let results: Vec<ClaimResult> = analysed.iter().map(|(r, _)| r.clone()).collect();
    let scenes: Vec<Option<&Scene>> = analysed.iter().map(|(_, s)| s.as_ref()).collect();
    let file = ClaimsFile {
        schema_version: CLAIMS_SCHEMA_VERSION,
        registry: "v2",
        source_hash: super::source_hash(),
        scale,
        levels: registry::spec(scale),
        alpha: registry::ALPHA,
        equivalence_margin: registry::EQUIVALENCE_MARGIN,
        verdict_rule: registry::VERDICT_RULE,
        variability_rule: registry::VARIABILITY_RULE,
        runs: t.records.len(),
        claims: &results,
    };
    let doc = Doc {
        heading: format!("{} run, registry version 2", scale.name()),
        registry_file: "harness/src/claims/v2/registry/",
        verdict_rule: registry::VERDICT_RULE,
        constants: constants_md(),
    };
    write_files(folder, t, &doc, &results, &scenes, &file, runs_csv_with(t, EXTRA_HEADER, extra))?;
    Ok(Settled {
        results: results
            .iter()
            .map(|r| {
                let (p, p_holm) = r.ps();
                Decided { id: r.claim.id, verdict: r.verdict, p, p_holm }
            })
            .collect(),
        table: table_of(&results),
    })
}
