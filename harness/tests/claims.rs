//! `harness claims`: statistics against SciPy, the registry's completeness,
//! verdict logic on synthetic inputs whose answer is known, and a tiny
//! claims run that writes every file, byte-identical for 1 and 2 threads.

use harness::claims::analysis::{self, Direction, Verdict};
use harness::claims::registry::{self, CLAIMS, Scale};
use harness::stats as ts;

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

/// Output of `python3 harness/tests/reference/claims_stats_reference.py`
/// (SciPy 1.17.1, NumPy 2.4.6):
///
/// ```text
/// wilcoxon: W+ = 149.0, p = 0.005559542157463993, z = -2.772687848057285
/// ttest_1samp: t = 3.3334615605824496, p = 0.0034917662970615376, ci = (0.001198216537761075, 0.005241783462238924)
/// tost(m=0.005): p_equivalent = 0.040514940474278664, p_beyond = 0.9594850595257214
/// linregress: slope = 0.042666666666666665, intercept = 0.06200000000000003, se = 0.005589978823561254, p = 3.7265205064546105e-06, ci = (0.030590251625954183, 0.05474308170737915)
/// kruskal: H = 9.705859137826351, p = 0.007805477337968641
/// holm: [0.05, 0.12, 0.12, 0.03, 0.5, 0.4]
/// normal sf(1.96) = 0.024997895148220435; t sf(2.1, 9) = 0.03255914120607598
/// ```
/// (SciPy's Wilcoxon z is that of min(W⁺, W⁻), hence its sign.)
#[test]
fn statistics_match_scipy() {
    let d = [
        0.0033, -0.0011, 0.0067, 0.0033, 0.0, 0.0100, -0.0044, 0.0022, 0.0033, 0.0056, -0.0011, 0.0078, 0.0,
        0.0011, 0.0089, -0.0022, 0.0044, 0.0033, 0.0122, 0.0011,
    ];
    let w = ts::wilcoxon_signed_rank(&d).unwrap();
    assert_eq!(w.n, 18);
    assert_eq!(w.w_plus, 149.0);
    assert!(close(w.z.abs(), 2.772687848057285, 1e-12), "{}", w.z);
    assert!(close(w.p, 0.005559542157463993, 1e-9), "{}", w.p);

    let t = ts::paired_t(&d).unwrap();
    assert!(close(t.t, 3.3334615605824496, 1e-12));
    assert!(close(t.p, 0.0034917662970615376, 1e-9), "{}", t.p);
    assert!(
        close(t.ci.0, 0.001198216537761075, 1e-9) && close(t.ci.1, 0.005241783462238924, 1e-9),
        "{:?}",
        t.ci
    );

    let tost = ts::tost_paired(&d, 0.005).unwrap();
    assert!(close(tost.p_equivalent, 0.040514940474278664, 1e-9), "{}", tost.p_equivalent);
    assert!(close(tost.p_beyond, 0.9594850595257214, 1e-9), "{}", tost.p_beyond);

    let x = [1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 4.0, 4.0, 5.0, 5.0, 5.0];
    let y = [0.10, 0.14, 0.08, 0.11, 0.19, 0.13, 0.22, 0.18, 0.16, 0.25, 0.21, 0.27, 0.24, 0.31, 0.26];
    let s = ts::ols_slope(&x, &y).unwrap();
    assert!(close(s.slope, 0.042666666666666665, 1e-12));
    assert!(close(s.intercept, 0.06200000000000003, 1e-12));
    assert!(close(s.se, 0.005589978823561254, 1e-10));
    assert!(close(s.p, 3.7265205064546105e-06, 1e-7), "{}", s.p);
    assert!(close(s.ci.0, 0.030590251625954183, 1e-9) && close(s.ci.1, 0.05474308170737915, 1e-9));

    let g: [&[f64]; 3] =
        [&[0.10, 0.12, 0.12, 0.15, 0.20], &[0.05, 0.07, 0.12, 0.09], &[0.30, 0.22, 0.25, 0.12, 0.28, 0.30]];
    let k = ts::kruskal_wallis(&g).unwrap();
    assert!(close(k.h, 9.705859137826351, 1e-12), "{}", k.h);
    assert!(close(k.p, 0.007805477337968641, 1e-9), "{}", k.p);

    let holm = ts::holm(&[0.01, 0.04, 0.03, 0.005, 0.5, 0.2]);
    for (a, b) in holm.iter().zip([0.05, 0.12, 0.12, 0.03, 0.5, 0.4]) {
        assert!(close(*a, b, 1e-12), "{holm:?}");
    }
    assert!(close(ts::normal_sf(1.96), 0.024997895148220435, 1e-9));
    assert!(close(ts::t_sf(2.1, 9.0), 0.03255914120607598, 1e-9));
}

#[test]
fn bootstrap_is_seeded_and_brackets_the_mean() {
    let d: Vec<f64> = (0..40).map(|i| (i as f64 * 0.37).sin() + 0.5).collect();
    let stat = |idx: &[usize]| idx.iter().map(|&i| d[i]).sum::<f64>() / idx.len() as f64;
    let a = ts::bootstrap_ci(d.len(), 2000, 7, stat);
    assert_eq!(a, ts::bootstrap_ci(d.len(), 2000, 7, stat));
    let m = d.iter().sum::<f64>() / d.len() as f64;
    assert!(a.0 < m && m < a.1, "{a:?} {m}");
    assert_ne!(a, ts::bootstrap_ci(d.len(), 2000, 8, stat));
}

#[test]
fn registry_is_complete() {
    // The paper's text is not in the repository (it states no licence): each quote must be one
    // of those `reference/paper_quotes.py` found in it (`claims_quotes.rs` checks the places).
    let recorded: Vec<(String, usize)> = include_str!("reference/paper_quotes.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            (f[0].to_string(), f[2].parse().unwrap())
        })
        .collect();
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut ids = std::collections::BTreeSet::new();
    for c in CLAIMS {
        assert!(ids.insert(c.id), "duplicate id {}", c.id);
        for (what, text) in [
            ("quote", c.quote),
            ("section", c.section),
            ("rule", c.rule),
            ("primary", c.primary),
            ("experiment", c.experiment),
        ] {
            assert!(!text.trim().is_empty(), "{}: empty {what}", c.id);
        }
        if c.not_run.is_none() {
            assert!(!c.caption.is_empty(), "{}: no caption", c.id);
        }
        let q = squash(c.quote);
        let key = (format!("{:08x}", saorsa_nn::crc32(q.as_bytes())), q.chars().count());
        assert!(recorded.contains(&key), "{}: quote not found verbatim in the paper", c.id);
    }
    // The issue's Results claims 1–7 and Discussion claims are all there.
    for id in [
        "r1-", "r2-", "r3-", "r4-", "r5-", "r6-", "r7-", "d1-", "d1b-", "d2-", "d2b-", "d3-", "d4-", "d4b-",
        "d5-", "d6-",
    ] {
        assert!(CLAIMS.iter().any(|c| c.id.starts_with(id)), "missing {id}");
    }
    // Every claim is run (d6 since the core has LayerNorm).
    for c in CLAIMS {
        assert!(c.not_run.is_none(), "{} is not run", c.id);
    }
    assert!(Scale::Full.spec().base_seeds >= 30);
    assert!(Scale::Quick.spec().base_seeds < Scale::Full.spec().base_seeds);
    assert!(registry::VERDICT_RULE.contains("Holm"));
}

#[test]
fn verdicts_on_synthetic_inputs() {
    // Deterministic noise, the same for every arm.
    let noise: Vec<f64> = (0..30).map(|i| ((i * 7919 % 101) as f64 / 101.0 - 0.5) * 0.02).collect();
    let base: Vec<f64> = noise.iter().map(|n| 0.9 + n).collect();
    let shifted: Vec<f64> = base.iter().zip(&noise).map(|(b, n)| b + 0.01 + n * 0.3).collect();
    let other: Vec<f64> =
        base.iter().enumerate().map(|(i, b)| b + if i % 2 == 0 { 0.002 } else { -0.002 }).collect();
    let decide = |c: analysis::Component| {
        let (p, dir) = analysis::combine(&[c]);
        analysis::verdict(ts::holm(&[p])[0], dir)
    };
    // A clear shift the claimed way, the same reversed, and no effect.
    assert_eq!(decide(analysis::paired("a − b", &shifted, &base, 1.0)), Verdict::Supported);
    assert_eq!(decide(analysis::paired("a − b", &shifted, &base, -1.0)), Verdict::Contradicted);
    assert_eq!(decide(analysis::paired("a − b", &base, &base, 1.0)), Verdict::Inconclusive);
    assert_eq!(decide(analysis::paired("a − b", &other, &base, 1.0)), Verdict::Inconclusive);
    // Equivalence: identical arms are equivalent within ±1 point; a 5-point shift is beyond it.
    assert_eq!(decide(analysis::tost("eq", &other, &base, 0.01)), Verdict::Supported);
    let far: Vec<f64> = base.iter().zip(&noise).map(|(b, n)| b + 0.05 + n * 0.3).collect();
    assert_eq!(decide(analysis::tost("eq", &far, &base, 0.01)), Verdict::Contradicted);
    // Trends.
    let x: Vec<f64> = (0..30).map(|i| (i % 5) as f64).collect();
    let up: Vec<f64> = x.iter().zip(&noise).map(|(x, n)| 0.1 * x + n).collect();
    assert_eq!(decide(analysis::slope("s", &x, &up, 1.0)), Verdict::Supported);
    assert_eq!(decide(analysis::slope("s", &x, &up, -1.0)), Verdict::Contradicted);
    // The same six noise values at every x: no trend at all.
    let (xf, flat): (Vec<f64>, Vec<f64>) = (0..30).map(|i| ((i / 6) as f64, noise[i % 6])).unzip();
    assert_eq!(decide(analysis::slope("s", &xf, &flat, 1.0)), Verdict::Inconclusive);
    // A two-part claim needs both parts; one part reversed contradicts it.
    let yes = analysis::paired("a", &shifted, &base, 1.0);
    let no = analysis::paired("b", &base, &base, 1.0);
    let rev = analysis::paired("c", &shifted, &base, -1.0);
    assert_eq!(analysis::combine(&[yes.clone(), no.clone()]).1, Direction::Claimed);
    assert!(analysis::combine(&[yes.clone(), no]).0 >= 0.05);
    assert_eq!(analysis::combine(&[yes, rev]).1, Direction::Opposite);
    // Holm keeps order and never lowers a p.
    let h = ts::holm(&[0.001, 0.02, 0.3]);
    assert!(h[0] == 0.003 && (h[1] - 0.04).abs() < 1e-15 && h[2] == 0.3);
}

#[test]
fn tiny_run_writes_every_file_identically_for_any_thread_count() {
    let dir = std::env::temp_dir().join(format!("claims-tiny-{}", std::process::id()));
    let run = |threads: usize| {
        let out = dir.join(format!("t{threads}"));
        let jobs =
            harness::claims::ClaimsJobs::with_registry(harness::claims::Registry::V1, Scale::Tiny).unwrap();
        let o = harness::claims::run(
            &jobs,
            &harness::claims::Options {
                out: out.clone(),
                threads,
                progress: &|| {},
                force: false,
                shard: None,
            },
        )
        .unwrap();
        assert_eq!(o.results.len(), CLAIMS.len());
        out
    };
    let (a, b) = (run(1), run(2));
    let mut names: Vec<String> =
        ["claims.md", "claims.json", "claims.html", "runs.csv", "epochs.csv"].map(String::from).to_vec();
    for c in CLAIMS.iter().filter(|c| c.not_run.is_none()) {
        names.push(format!("fig-{}.svg", c.id));
        names.push(format!("fig-{}.png", c.id));
    }
    for n in &names {
        let (x, y) = (std::fs::read(a.join(n)).unwrap(), std::fs::read(b.join(n)).unwrap());
        assert!(!x.is_empty(), "{n} empty");
        assert!(x == y, "{n} differs between 1 and 2 threads");
    }
    let runs = std::fs::read_to_string(a.join("runs.csv")).unwrap();
    let plans = harness::claims::plans(Scale::Tiny).unwrap();
    assert_eq!(runs.lines().count(), 1 + plans.iter().map(|p| p.runs()).sum::<usize>());
    assert!(runs.starts_with(harness::claims::write::RUNS_HEADER));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("claims.json")).unwrap()).unwrap();
    assert_eq!(json["claims"].as_array().unwrap().len(), CLAIMS.len());
    let html = std::fs::read_to_string(a.join("claims.html")).unwrap();
    assert!(html.contains("<svg") && !html.contains("src=\"fig-"), "figures inline");
    let md = std::fs::read_to_string(a.join("claims.md")).unwrap();
    assert!(md.contains("fixed in code"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_extended_run_is_the_full_run_with_widths_up_to_512() {
    let full = harness::claims::plans(Scale::Full).unwrap();
    let ext = harness::claims::plans(Scale::Extended).unwrap();
    let widths = |plans: &[harness::claims::Plan]| {
        plans.iter().find(|p| p.id == "width").unwrap().levels.iter().map(|l| l.value).collect::<Vec<f64>>()
    };
    assert_eq!(widths(&full), [16.0, 32.0, 64.0, 128.0]);
    assert_eq!(widths(&ext), [16.0, 32.0, 64.0, 128.0, 256.0, 512.0]);
    for (a, b) in full.iter().zip(&ext).filter(|(a, _)| a.id != "width") {
        assert_eq!((a.id, a.runs()), (b.id, b.runs()));
    }
    assert_ne!(harness::claims::plan_json(Scale::Full), harness::claims::plan_json(Scale::Extended));
}
