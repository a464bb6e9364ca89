//! Registry version 2's verdicts on synthetic runs with a known answer:
//! for every claim that runs, a supported, a contradicted (c1, a
//! non-directional claim, cannot be) and an inconclusive case, each
//! asserting the verdict, the first part's effect and the claim's p for and
//! against it. The runs and the answers come from
//! `reference/claims_v2_fixtures.py` (SciPy's exact and permutation tests,
//! NumPy, statsmodels), which computes every measure and test on its own.

use harness::ceiling::Ceiling;
use harness::claims::analysis::Verdict;
use harness::claims::v2::analysis::{analyse_runs, decide};
use harness::claims::v2::registry::CLAIMS;
use harness::claims::{Counts, LayerRecord, Level, Plan, Prepared, RunRecord};
use harness::config::StudyConfig;
use harness::dataset::Data;
use harness::inits::InitSpec;
use harness::study::{Splits, Thresholds};
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    epochs: usize,
    n_train: u32,
    n_val: u32,
    fixtures: Vec<Fixture>,
}

#[derive(Deserialize)]
struct Fixture {
    claim: String,
    branch: String,
    plans: Vec<PlanSpec>,
    losses: Vec<Vec<u32>>,
    runs: Vec<Run>,
    expect: Expect,
}

#[derive(Deserialize)]
struct PlanSpec {
    id: String,
    levels: Vec<LevelSpec>,
    inits: Vec<String>,
    seeds: Vec<u64>,
}

#[derive(Deserialize)]
struct LevelSpec {
    label: String,
    value: f64,
    chance: f64,
    ceiling: f64,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Correct {
    Constant(u32),
    Curve(Vec<u32>),
}

#[derive(Deserialize)]
struct Run {
    plan: usize,
    level: usize,
    init: String,
    seed: u64,
    c: Correct,
    loss: usize,
    val: u32,
    bd: f64,
    bw: f64,
    upd: f64,
    /// Per-layer statistics (the mechanism claims' fixtures only).
    #[serde(default)]
    ls: Option<Layers>,
}

#[derive(Deserialize)]
struct Layers {
    pre: Vec<f64>,
    act: Vec<f64>,
    g: Vec<Vec<f64>>,
}

#[derive(Deserialize)]
struct Expect {
    verdict: String,
    p_for: f64,
    p_against: f64,
    effect: Option<f64>,
}

/// The plan ids the registry's plans use.
fn plan_id(id: &str) -> &'static str {
    ["base", "fan-in", "depth", "width", "task", "lr", "norm"]
        .into_iter()
        .find(|p| *p == id)
        .expect("a plan id")
}

/// The plans, their data and the runs of one fixture.
fn build(file: &File, f: &Fixture) -> (Vec<Plan>, Vec<Vec<Prepared>>, Vec<RunRecord>) {
    let plans: Vec<Plan> = f
        .plans
        .iter()
        .map(|p| Plan {
            id: plan_id(&p.id),
            factor: "fixture",
            levels: p
                .levels
                .iter()
                .map(|l| Level { label: l.label.clone(), value: l.value, config: StudyConfig::default() })
                .collect(),
            inits: p.inits.iter().map(|i| InitSpec::parse(i).unwrap()).collect(),
            seeds: p.seeds.clone(),
        })
        .collect();
    let prepared = f
        .plans
        .iter()
        .map(|p| {
            p.levels
                .iter()
                .map(|l| Prepared {
                    splits: Splits { train: Data::new(2, 2), val: Data::new(2, 2) },
                    thresholds: Thresholds {
                        chance: l.chance,
                        ceiling: Some(Ceiling { accuracy: l.ceiling, std_error: 0.0, method: "fixture" }),
                    },
                })
                .collect()
        })
        .collect();
    let records = f
        .runs
        .iter()
        .map(|r| {
            let correct = match &r.c {
                Correct::Constant(c) => vec![*c; file.epochs],
                Correct::Curve(c) => c.clone(),
            };
            let acc = |c: u32, n: u32| c as f32 / n as f32;
            let loss: Vec<f32> = f.losses[r.loss].iter().map(|&k| k as f32 / 1024.0).collect();
            let last = *correct.last().unwrap();
            RunRecord {
                plan: r.plan,
                level: r.level,
                init: plans[r.plan].init(&r.init).unwrap(),
                seed: r.seed,
                train_loss: loss.clone(),
                train_acc: correct.iter().map(|&c| acc(c, file.n_train)).collect(),
                val_loss: loss,
                val_acc: vec![acc(r.val, file.n_val); file.epochs],
                update_mean: vec![r.upd as f32; file.epochs],
                update_early_layers: vec![r.upd],
                final_train_acc: acc(last, file.n_train),
                final_val_acc: acc(r.val, file.n_val),
                boundary: Some(r.bw),
                error: None,
                counts: Some(Counts {
                    n_train: file.n_train,
                    n_val: file.n_val,
                    train_correct: correct,
                    final_train_correct: last,
                    final_val_correct: r.val,
                }),
                boundary_in_data: Some(r.bd),
                layers: r.ls.as_ref().map(|l| LayerRecord {
                    pre_sd_init: l.pre.clone(),
                    act_sd_init: l.act.clone(),
                    grad_norm_early: l.g.clone(),
                }),
            }
        })
        .collect();
    (plans, prepared, records)
}

fn fixtures() -> File {
    serde_json::from_str(include_str!("reference/claims_v2_fixtures.json")).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-12)
}

fn word(v: Verdict) -> &'static str {
    match v {
        Verdict::Supported => "supported",
        Verdict::Contradicted => "contradicted",
        Verdict::Inconclusive => "inconclusive",
        Verdict::NotRun => "not run",
    }
}

#[test]
fn every_claim_that_runs_has_a_fixture_for_each_verdict() {
    let file = fixtures();
    for c in CLAIMS.iter().filter(|c| c.not_run.is_none()) {
        let branches: Vec<&str> =
            file.fixtures.iter().filter(|f| f.claim == c.id).map(|f| f.branch.as_str()).collect();
        let want: &[&str] = if c.id == "c1-epochs-to-target" {
            &["supported", "inconclusive"]
        } else {
            &["supported", "contradicted", "inconclusive"]
        };
        assert_eq!(branches, want, "{}", c.id);
    }
    // Each fixture's answer is the branch it is named after (the script checks its own data).
    for f in &file.fixtures {
        assert_eq!(f.expect.verdict, f.branch, "{} {}", f.claim, f.branch);
    }
}

#[test]
fn verdicts_effects_and_p_values_match_the_reference() {
    let file = fixtures();
    let mut failures = Vec::new();
    for f in &file.fixtures {
        let (plans, prepared, records) = build(&file, f);
        let d = decide(&f.claim, &plans, &prepared, &records)
            .unwrap_or_else(|| panic!("{} did not run", f.claim));
        let what = format!("{} ({})", f.claim, f.branch);
        if word(d.verdict) != f.expect.verdict {
            failures.push(format!("{what}: verdict {} not {}", word(d.verdict), f.expect.verdict));
        }
        if !close(d.p_for, f.expect.p_for) || !close(d.p_against, f.expect.p_against) {
            failures.push(format!(
                "{what}: p for {} against {}, reference {} {}",
                d.p_for, d.p_against, f.expect.p_for, f.expect.p_against
            ));
        }
        let effect = d.parts[0].effect;
        match f.expect.effect {
            Some(e) if close(effect, e) => {}
            None if effect.is_nan() => {}
            e => failures.push(format!("{what}: first part's effect {effect}, reference {e:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences in {} fixtures:\n{}",
        failures.len(),
        file.fixtures.len(),
        failures.join("\n")
    );
}

/// Holm across claims takes only the claims that ran: with the base plan
/// alone, the sweeps' claims and the mechanism claims are not run and every
/// base claim's adjusted p is Holm's over the base claims alone.
#[test]
fn holm_across_claims_leaves_out_the_claims_not_run() {
    let file = fixtures();
    let f = file
        .fixtures
        .iter()
        .find(|f| f.claim == "r2-small-slow-variable" && f.branch == "supported")
        .unwrap();
    let (plans, prepared, records) = build(&file, f);
    let results = analyse_runs(&plans, &prepared, &records);
    assert_eq!(results.len(), CLAIMS.len());
    let run: Vec<_> = results.iter().filter(|r| r.verdict != Verdict::NotRun).collect();
    assert_eq!(run.len(), 10, "the base plan's ten claims");
    for r in results.iter().filter(|r| r.verdict == Verdict::NotRun) {
        assert!(r.p_for.is_nan() && r.p_for_holm.is_nan() && r.parts.is_empty(), "{}", r.claim.id);
    }
    let m = run.len() as f64;
    // Holm's first step: the smallest p for is multiplied by the number of claims run.
    let smallest = run.iter().min_by(|a, b| a.p_for.total_cmp(&b.p_for)).unwrap();
    assert!(
        close(smallest.p_for_holm, (m * smallest.p_for).min(1.0)),
        "{} {}",
        smallest.p_for_holm,
        smallest.p_for
    );
    let decided = decide("r2-small-slow-variable", &plans, &prepared, &records).unwrap();
    let r2 = run.iter().find(|r| r.claim.id == "r2-small-slow-variable").unwrap();
    assert_eq!((r2.p_for, r2.p_against), (decided.p_for, decided.p_against));
    assert!(r2.p_for_holm >= r2.p_for && r2.p_against_holm >= r2.p_against);
}
