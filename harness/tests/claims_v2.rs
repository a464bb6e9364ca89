//! Registry version 2: complete, on fresh seeds, the default, recorded in
//! its files, and another study to version 1's folders.

use harness::claims::v2::{self, registry};
use harness::claims::{self, Registry, Scale};
use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn version_2_is_complete_and_on_fresh_seeds() {
    let mut ids = BTreeSet::new();
    for c in registry::CLAIMS {
        assert!(ids.insert(c.id), "duplicate id {}", c.id);
        for (what, text) in
            [("quote", c.quote), ("section", c.section), ("rule", c.rule), ("primary", c.primary)]
        {
            assert!(!text.trim().is_empty(), "{}: empty {what}", c.id);
        }
        assert!(!c.caption.is_empty(), "{}: no caption", c.id);
    }
    // Every claim of version 1 is in version 2 under its id, and the four mechanism claims.
    for c in claims::registry::CLAIMS {
        let v2c =
            registry::CLAIMS.iter().find(|d| d.id == c.id).unwrap_or_else(|| panic!("{} missing", c.id));
        assert!(v2c.not_run.is_none(), "{} is run", c.id);
    }
    // The four mechanism claims run on the per-layer statistics the core records.
    let mechanism: Vec<_> = registry::CLAIMS.iter().filter(|c| c.id.starts_with('m')).collect();
    assert_eq!(mechanism.len(), 4);
    for c in mechanism {
        assert!(c.not_run.is_none(), "{} is run", c.id);
    }
    assert!(registry::VERDICT_RULE.contains("Holm") && registry::VARIABILITY_RULE.contains("stuck"));
    // Fresh seeds: from 1000 (version 1 used 0–39), the confirmatory scales' never a development
    // scale's, no two plans sharing one; ≥ 30 seeds in every sweep of the full run.
    let seeds = |scale: Scale| {
        let s = registry::spec(scale);
        registry::PLAN_ORDER.iter().map(|p| (*p, s.seeds(p))).collect::<Vec<_>>()
    };
    let dev: BTreeSet<u64> =
        [Scale::Quick, Scale::Tiny].into_iter().flat_map(seeds).flat_map(|(_, s)| s).collect();
    for scale in [Scale::Full, Scale::Extended] {
        let mut all = BTreeSet::new();
        for (plan, s) in seeds(scale) {
            assert!(s.len() >= 30, "{plan}: {} seeds", s.len());
            for k in s {
                assert!(k >= registry::FIRST_SEED && !dev.contains(&k), "{plan}: seed {k}");
                assert!(all.insert(k), "{plan}: seed {k} in two plans");
            }
        }
    }
    let plans = v2::plans(Scale::Full).unwrap();
    assert_eq!(plans.iter().map(|p| p.id).collect::<Vec<_>>(), registry::PLAN_ORDER);
    for p in plans.iter().filter(|p| !matches!(p.id, "base" | "norm")) {
        assert_eq!(p.seeds.len(), 30, "{}", p.id);
    }
}

#[test]
fn version_2_is_the_default_and_its_files_name_it() {
    let jobs = claims::ClaimsJobs::new(Scale::Quick).unwrap();
    assert_eq!(jobs.registry(), Registry::V2);
    assert_eq!(Registry::default(), Registry::V2);
    let plan: serde_json::Value = serde_json::from_str(&Registry::V2.plan_json(Scale::Quick)).unwrap();
    assert_eq!(plan["registry"], "v2");
    assert_eq!(plan["source_hash"], v2::source_hash());
    assert_eq!(v2::source_hash().len(), 16);
    let v1: serde_json::Value = serde_json::from_str(&Registry::V1.plan_json(Scale::Quick)).unwrap();
    assert!(v1.get("registry").is_none(), "version 1's plan.json is as it was");
    for scale in [Scale::Full, Scale::Extended, Scale::Quick, Scale::Tiny] {
        for r in Registry::ALL {
            let bytes = r.plan_json(scale);
            assert_eq!(
                claims::ClaimsJobs::plan_of(bytes.as_bytes(), Path::new("plan.json")).unwrap(),
                (r, scale)
            );
        }
    }
}

#[test]
fn a_tiny_run_of_version_2_writes_its_files_and_is_another_study_to_version_1() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("claims-v2-tiny");
    let _ = std::fs::remove_dir_all(&dir);
    let run = |registry, force| {
        let jobs = claims::ClaimsJobs::with_registry(registry, Scale::Tiny).unwrap();
        claims::run(
            &jobs,
            &claims::Options { out: dir.clone(), threads: 2, progress: &|| {}, force, shard: None },
        )
    };
    let o = run(Registry::V2, false).unwrap();
    assert_eq!(o.results.len(), registry::CLAIMS.len());
    // Every claim is run, the mechanism claims included: each has its verdict in the table.
    for c in registry::CLAIMS.iter().filter(|c| c.id.starts_with('m')) {
        let row = o.table.lines().find(|l| l.contains(c.id)).unwrap_or_else(|| panic!("{}: no row", c.id));
        assert!(
            ["supported", "contradicted", "inconclusive"].iter().any(|v| row.contains(v))
                && !row.contains("not run"),
            "{row}\n{}",
            o.table
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("claims.json")).unwrap()).unwrap();
    assert_eq!(json["registry"], "v2");
    assert_eq!(json["source_hash"], v2::source_hash());
    assert_eq!(json["claims"].as_array().unwrap().len(), registry::CLAIMS.len());
    for c in registry::CLAIMS {
        let fig = dir.join(format!("fig-{}.svg", c.id));
        assert_eq!(fig.exists(), c.not_run.is_none(), "{}", c.id);
    }
    let runs = std::fs::read_to_string(dir.join("runs.csv")).unwrap();
    assert!(
        runs.lines()
            .next()
            .unwrap()
            .ends_with(",n_train,n_val,early_correct,overall_correct,final_val_correct,boundary_in_data")
    );
    // Every record holds the accuracies as counts that give back the accuracies.
    let rows: Vec<Vec<&str>> = runs.lines().skip(1).map(|l| l.split(',').collect()).collect();
    for r in &rows {
        let (n_val, val_acc, val_correct) = (r[r.len() - 5], r[16], r[r.len() - 2]);
        let acc: f32 = val_acc.parse().unwrap();
        assert_eq!(val_correct.parse::<f32>().unwrap() / n_val.parse::<f32>().unwrap(), acc, "{r:?}");
    }
    let md = std::fs::read_to_string(dir.join("claims.md")).unwrap();
    assert!(md.contains("registry version 2") && md.contains("harness/src/claims/v2/registry/"));
    // Version 1 into version 2's folder is another study: refused, the folder untouched.
    let before = std::fs::read(dir.join("claims.json")).unwrap();
    let e = run(Registry::V1, false).unwrap_err().to_string();
    assert!(e.contains("another"), "{e}");
    assert_eq!(std::fs::read(dir.join("claims.json")).unwrap(), before);
    let _ = std::fs::remove_dir_all(&dir);
}
