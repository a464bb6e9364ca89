//! Tests of the summary's numbers and words.

use super::*;
use crate::study::EpochRecord;

const EPOCHS: usize = 60;
const THRESHOLDS: Thresholds = Thresholds { chance: 0.5, ceiling: None };

/// A run whose training accuracy jumps from chance to 1 at epoch
/// `reach` (never if `None`), ending at validation accuracy `val`.
fn run(init: &str, seed: u64, reach: Option<usize>, val: f64) -> RunResult {
    let epochs = (1..=EPOCHS)
        .map(|e| {
            let acc = if reach.is_some_and(|r| e >= r) { 1.0 } else { 0.5 };
            EpochRecord { train_loss: 0.5, train_acc: acc, val_loss: 0.5, val_acc: acc }
        })
        .collect();
    RunResult {
        init: InitSpec::parse(init).unwrap(),
        seed,
        epochs,
        update_size: Vec::new(),
        final_train_loss: 0.1,
        final_train_acc: 1.0,
        final_val_loss: 0.1,
        final_val_acc: val as f32,
        initial: Vec::new(),
        last: Vec::new(),
        error: None,
        layer_stats: Vec::new(),
    }
}

/// Ten seeds of `init`, the first `reached` reaching at `epoch`, the
/// rest never; final validation accuracies `0.9 + spread · (k − 4.5)`.
fn runs(init: &str, reached: usize, epoch: usize, spread: f64) -> Vec<RunResult> {
    (0..10)
        .map(|k| {
            let reach = (k < reached).then_some(epoch);
            run(init, k as u64, reach, 0.9 + spread * (k as f64 - 4.5))
        })
        .collect()
}

fn study(groups: &[(&str, usize, usize, f64)]) -> Summary {
    study_with(groups, 900)
}

/// [`study`] with a training set of `train_samples` (the validation set has 300).
fn study_with(groups: &[(&str, usize, usize, f64)], train_samples: usize) -> Summary {
    let inits: Vec<InitSpec> = groups.iter().map(|g| InitSpec::parse(g.0).unwrap()).collect();
    let all: Vec<RunResult> = groups.iter().flat_map(|&(i, r, e, s)| runs(i, r, e, s)).collect();
    summarize(&inits, &all, &THRESHOLDS, 300, train_samples)
}

fn line<'a>(text: &'a str, start: &str) -> &'a str {
    text.lines().find(|l| l.starts_with(start)).unwrap_or_else(|| panic!("no `{start}` in:\n{text}"))
}

#[test]
fn the_censored_median_counts_runs_that_never_reached_as_latest() {
    let t = |per_run: Vec<Option<usize>>| TimeTo {
        fraction: 0.5,
        target: 0.75,
        mean: f64::NAN,
        std: f64::NAN,
        reached: 0,
        never: 0,
        per_run,
    };
    assert_eq!(t(vec![Some(2), Some(4)]).censored_median(), 3.0);
    assert_eq!(t(vec![None, Some(3), Some(1)]).censored_median(), 3.0);
    assert_eq!(t(vec![Some(1), None]).censored_median(), f64::INFINITY);
    assert_eq!(t(vec![Some(1), None, None]).censored_median(), f64::INFINITY);
    assert!(t(Vec::new()).censored_median().is_nan());
}

#[test]
fn an_init_whose_runs_mostly_never_reach_is_not_called_fastest() {
    // Glorot: 3 of 10 reach at epoch 10 (mean of those: 10); He: 10 of
    // 10 at epoch 50; small normal: 10 of 10 at epoch 30.
    let s = study(&[("small", 10, 30, 0.001), ("glorot", 3, 10, 0.001), ("he", 10, 50, 0.001)]);
    assert_eq!(s.inits[1].time_to[0].mean, 10.0, "the mean over the runs that reached it");
    let f = s.findings_text();
    let fast = line(&f, "- Glorot improves fastest early:");
    assert!(fast.starts_with("- Glorot improves fastest early: does not hold here ("), "{fast}");
    assert!(fast.contains("beyond the last epoch for Glorot normal, reached by 3 of 10"), "{fast}");
    assert!(fast.contains("50 for He normal, reached by 10 of 10"), "{fast}");
    assert!(fast.ends_with("fastest: small normal (σ = 0.01))."), "{fast}");
    let slow = line(&f, "- Small normal improves slowest early:");
    assert_eq!(
        slow,
        "- Small normal improves slowest early: does not hold here (slowest by the same median: Glorot normal)."
    );

    // With every run reaching, the earliest median wins; equal medians tie.
    let s = study(&[("small", 10, 30, 0.001), ("glorot", 10, 10, 0.001), ("he", 10, 50, 0.001)]);
    let f = s.findings_text();
    assert!(line(&f, "- Glorot improves fastest early:").contains(": holds here ("), "{f}");
    assert!(line(&f, "- Small normal improves slowest early:").contains(": does not hold here ("), "{f}");
    let s = study(&[("small", 10, 30, 0.001), ("glorot", 10, 10, 0.001), ("he", 6, 10, 0.001)]);
    let fast = s.findings_text();
    let fast = line(&fast, "- Glorot improves fastest early:");
    assert!(fast.contains(": undecided here (a tie) ("), "{fast}");
    assert!(fast.contains("10 for He normal, reached by 6 of 10"), "{fast}");
    assert!(fast.ends_with("fastest: Glorot normal and He normal, tied)."), "{fast}");
}

#[test]
fn a_study_without_the_papers_three_inits_says_which_is_missing() {
    let s = study(&[("glorot", 10, 10, 0.001), ("he", 10, 20, 0.002)]);
    let f = s.findings_text();
    assert_eq!(f.lines().count(), 1, "{f}");
    assert!(f.starts_with("None of the paper's four findings"), "{f}");
    assert!(f.ends_with("this study has no small normal (σ = 0.01) runs.\n"), "{f}");
    let md = s.to_markdown();
    assert!(
        md.contains("## The paper's findings in this study\n\nNone of the paper's four findings"),
        "{md}"
    );

    let s = study(&[("lecun", 10, 10, 0.001), ("he@1=glorot", 10, 20, 0.002)]);
    assert!(
        s.findings_text().ends_with("has no small normal (σ = 0.01) or Glorot normal or He normal runs.\n"),
        "{}",
        s.findings_text()
    );
}

#[test]
fn the_spread_finding_tests_exactly_the_three_inits_it_compares() {
    // A fourth init with a far wider spread makes the study-wide test
    // significant; the paper's three alone are not told apart.
    let s = study(&[
        ("lecun", 10, 10, 0.02),
        ("small", 10, 30, 0.0011),
        ("glorot", 10, 10, 0.001),
        ("he", 10, 20, 0.0012),
    ]);
    let all = s.spread.expect("defined");
    assert_eq!((all.df1, all.df2), (3.0, 36.0));
    assert!(all.p_value < 0.05, "{all:?}");
    let trio: Vec<&[f64]> = [1, 2, 3].iter().map(|&k| s.inits[k].final_val_accs.as_slice()).collect();
    let trio = stats::brown_forsythe(&trio).expect("defined");
    assert!(trio.p_value >= 0.05, "{trio:?}");
    let f = s.findings_text();
    let spread = line(&f, "- Spread of final validation accuracy");
    let test = format!("F(2, 27) = {:.3}, {}", trio.statistic, stats::format_p(trio.p_value));
    assert!(spread.contains(&test), "{spread}\nwants {test}");
    assert!(!spread.contains("F(3, 36)"), "{spread}");
    assert!(spread.contains("cannot tell their spreads apart"), "{spread}");
    assert!(!spread.contains("in order") && !spread.contains("but not significantly"), "{spread}");
    // SDs 0.003 (Glorot), 0.004 (He), 0.003 (small): small is not widest.
    assert!(spread.contains(": does not hold here (standard deviations 0.003 for Glorot normal"), "{spread}");
    assert!(spread.contains("not in that order"), "{spread}");

    // The paper's order, shown and significant among the three alone.
    let s = study(&[("small", 10, 30, 0.02), ("glorot", 10, 10, 0.001), ("he", 10, 20, 0.004)]);
    let f = s.findings_text();
    let spread = line(&f, "- Spread of final validation accuracy");
    assert!(spread.contains(": holds here (standard deviations 0.003 for Glorot normal, 0.012 for He normal, 0.061 for small normal (σ = 0.01)), and a Brown–Forsythe test of these three inits finds that their spreads differ (F(2, 27) = "), "{spread}");
}

#[test]
fn tables_use_display_names_and_the_json_machine_ids() {
    let s = study(&[("small", 10, 30, 0.001), ("he@1=glorot", 10, 20, 0.001)]);
    let table = s.table();
    assert!(table.starts_with("| init | runs | final val acc mean ± std | min | max | 95% CI of mean | epochs to 50% of the way to the ceiling (reached) | epochs to 90% of the way to the ceiling (reached) |\n"), "{table}");
    assert!(table.contains("\n| small normal (σ = 0.01) | 10 | 0.900 ± 0.003 |"), "{table}");
    assert!(table.contains("\n| He normal; Glorot normal on layer 1 | 10 |"), "{table}");
    let md = s.to_markdown();
    // Training accuracy with the decimals the set resolves (300: 3).
    assert!(
        md.contains("\n| He normal; Glorot normal on layer 1 | 1 | 0.5000 ± 0.0000 | 0.500 ± 0.000 |\n"),
        "{md}"
    );
    let md = study_with(&[("small", 10, 30, 0.001), ("he@1=glorot", 10, 20, 0.001)], 5000).to_markdown();
    assert!(md.contains("\n| small normal (σ = 0.01) | 1 | 0.5000 ± 0.0000 | 0.5000 ± 0.0000 |\n"), "{md}");
    assert!(!md.contains("| small |") && !md.contains("| he@1=glorot |"), "{md}");
    assert!(s.spread_text().contains("- small normal (σ = 0.01) vs He normal; Glorot normal on layer 1: "));
    let json = s.to_json();
    assert!(json.contains("\"init\": \"he@1=glorot\""), "{json}");
    assert!(json.contains("\"a\": \"small\"") && json.contains("\"b\": \"he@1=glorot\""), "{json}");
    assert!(!json.contains("per_run"), "{json}");
}

#[test]
fn spreads_equal_as_shown_are_called_equal() {
    let inits = [InitSpec::parse("glorot").unwrap(), InitSpec::parse("he").unwrap()];
    // Mean absolute deviations from the median 0.0020000 and 0.0020002 (five seeds: the
    // fewest the summary tests with, `MIN_SEEDS`).
    let runs: Vec<RunResult> =
        [("glorot", [0.5, 0.5, 0.5, 0.5, 0.51]), ("he", [0.5, 0.5, 0.5, 0.5, 0.510001])]
            .iter()
            .flat_map(|(i, v)| v.iter().enumerate().map(|(k, &x)| run(i, k as u64, Some(5), x)))
            .collect();
    let s = summarize(&inits, &runs, &THRESHOLDS, 300, 900);
    assert_eq!(s.pairwise[0].smaller, Some(0), "unequal in full precision");
    let text = s.spread_text();
    let pair = line(&text, "- Glorot normal vs He normal:");
    assert!(pair.starts_with("- Glorot normal vs He normal: equal spread — mean abs. deviation from median 0.0020 vs 0.0020, p = "), "{pair}");
}

#[test]
fn the_curve_table_is_one_typed_table_for_markdown_and_html() {
    let s = study(&[("glorot", 10, 10, 0.001), ("he", 10, 20, 0.002)]);
    let t = s.curve_rows();
    assert_eq!(t.header, ["init", "epoch", "train loss", "train acc"]);
    assert_eq!(t.rows.len(), s.inits.iter().map(|i| i.curve.len()).sum::<usize>());
    let md = t.markdown();
    assert!(
        md.starts_with(
            "| init | epoch | train loss | train acc |\n|---|---|---|---|\n| Glorot normal | 1 | "
        ),
        "{md}"
    );
    assert!(s.to_markdown().ends_with(&format!("## Training curves (mean ± std across seeds)\n\n{md}")));
    assert_eq!(s.table(), s.table_rows().markdown());
}

/// `n` seeds of each init, final validation accuracies spread around 0.9, Glorot reaching
/// the threshold first.
fn seeds(n: usize) -> Summary {
    let inits: Vec<InitSpec> =
        ["small", "glorot", "he"].iter().map(|i| InitSpec::parse(i).unwrap()).collect();
    let all: Vec<RunResult> = [("small", 30, 0.02), ("glorot", 5, 0.001), ("he", 10, 0.005)]
        .iter()
        .flat_map(|&(i, e, s)| (0..n).map(move |k| run(i, k as u64, Some(e), 0.9 + s * (k as f64 - 0.5))))
        .collect();
    summarize(&inits, &all, &THRESHOLDS, 300, 900)
}

#[test]
fn two_seeds_give_no_intervals_tests_or_verdicts() {
    let s = seeds(2);
    assert_eq!(s.too_few_seeds(), Some(2));
    let table = s.table_rows();
    let ci = table.header.iter().position(|h| h == "95% CI of mean").unwrap();
    assert!(table.rows.iter().all(|r| r[ci] == "n < 5 seeds: no CI"), "{:?}", table.rows);
    assert!(s.inits.iter().all(|i| i.final_val_acc.ci95.is_none() && i.final_train_loss.ci95.is_none()));
    assert!(s.spread.is_none() && s.pairwise.iter().all(|p| p.p_value().is_none()));
    let md = s.to_markdown();
    for said in ["p = ", "p < ", "holds here", "does not hold here", "undecided", "F("] {
        assert!(!md.contains(said), "{said:?} in:\n{md}");
    }
    let findings = s.findings_text();
    assert_eq!(
        findings.matches("too few seeds to judge (n < 5 seeds per initializer: 2)").count(),
        4,
        "{findings}"
    );
    assert!(line(&md, "Brown–Forsythe").contains("not computed — n < 5 seeds per initializer (2)"), "{md}");
    assert!(
        line(&md, "- small normal (σ = 0.01) vs Glorot normal:").ends_with("(n < 5 seeds: no test)"),
        "{md}"
    );
    let json: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
    assert!(json["spread_test"].is_null(), "{json}");
    assert!(json["inits"][0]["final_val_acc"]["ci95"].is_null(), "{json}");
    assert!(json["pairwise"].as_array().unwrap().iter().all(|p| p["p_value"].is_null()), "{json}");
    assert_eq!(
        json["inference"],
        "n < 5 seeds per initializer (2): no confidence intervals, tests or p-values"
    );
    // The numbers themselves are still there.
    assert!(
        json["inits"][1]["final_val_acc"]["mean"].is_f64() && md.contains("| Glorot normal | 2 | 0.900 ± "),
        "{md}"
    );
}

#[test]
fn five_seeds_give_intervals_tests_and_verdicts() {
    let s = seeds(super::MIN_SEEDS);
    assert_eq!(s.too_few_seeds(), None);
    assert!(s.inits.iter().all(|i| i.final_val_acc.ci95.is_some()));
    assert!(s.spread.is_some() && s.pairwise.iter().all(|p| p.p_value().is_some()));
    let md = s.to_markdown();
    assert!(!md.contains("too few seeds") && !md.contains("no CI") && md.contains("p = "), "{md}");
    assert!(line(&md, "- Glorot improves fastest early:").contains("holds here"), "{md}");
    let json: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
    assert!(
        json.get("inference").is_none() && json["inits"][0]["final_val_acc"]["ci95"].is_array(),
        "{json}"
    );
}
