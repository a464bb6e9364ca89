//! The playground trains the command line's runs: for the same settings, every run's final
//! checkpoint is the bytes `harness::study::run_one` gives (which the command line writes as
//! `runs/<init>/seed-<k>/final.bin`), however the runs are shared among workers; and a step the
//! core refuses is reported in its words with the weights left as they were.

use harness::study::{self, run_one};
use playground::settings::Settings;
use playground::{Playground, Session};

fn small() -> Settings {
    Settings { samples: 200, hidden: "16,16".into(), seeds: "3".into(), epochs: 12, ..Settings::default() }
}

/// Trains every run of `settings` shared among `parts` sessions; returns (run, checkpoint).
fn train(settings: &Settings, parts: usize) -> Vec<(usize, Vec<u8>)> {
    let mut out = Vec::new();
    for part in 0..parts {
        let (mut s, plan) = Session::open(settings, part, parts, part == 0).unwrap();
        assert_eq!(plan.chance.is_some(), part == 0);
        while s.step().training > 0 {}
        for f in s.finished() {
            let bytes = s.checkpoint(f.run).unwrap().to_vec();
            assert_eq!(f.crc32, format!("{:#010x}", saorsa_nn::crc32(&bytes[..bytes.len() - 4])));
            out.push((f.run, bytes));
        }
    }
    out.sort();
    out
}

#[test]
fn every_runs_checkpoint_is_the_command_lines() {
    for settings in [
        small(),
        Settings { layer_norm: true, batch_size: Some(64), inits: "he,he@1=small".into(), ..small() },
    ] {
        let config = settings.to_config().unwrap();
        let splits = study::make_splits(&config).unwrap();
        let mut expected = Vec::new();
        for init in &config.inits {
            for &seed in &config.seeds {
                expected.push(run_one(&config, &splits, init, seed, &mut |_, _| {}).last);
            }
        }
        for parts in [1, 2] {
            let got = train(&settings, parts);
            assert_eq!(got.len(), expected.len());
            for (run, bytes) in got {
                assert_eq!(bytes, expected[run], "run {run}, {parts} worker(s)");
            }
        }
    }
}

#[test]
fn a_refused_step_is_reported_and_the_run_stops() {
    let settings = Settings {
        hidden: "64,64,64,64,64,64".into(),
        lr: 1000.0,
        inits: "he".into(),
        seeds: "1".into(),
        epochs: 10,
        samples: 200,
        ..Settings::default()
    };
    let (mut s, _) = Session::open(&settings, 0, 1, false).unwrap();
    let mut refused = Vec::new();
    loop {
        let step = s.step();
        refused.extend(step.refused);
        if step.training == 0 {
            break;
        }
    }
    assert_eq!(refused.len(), 1);
    assert!(refused[0].error.contains("training diverged"), "{}", refused[0].error);
    let f = &s.finished()[0];
    assert_eq!(f.error.as_deref(), Some(refused[0].error.as_str()));
    assert!(f.epochs < 10);
    // The weights kept are finite: the checkpoint decodes.
    assert!(harness::study::network_from_checkpoint(s.checkpoint(0).unwrap()).is_ok());
}

#[test]
fn the_api_replies_in_json_and_names_bad_settings() {
    let mut p = Playground::default();
    let plan: serde_json::Value = serde_json::from_slice(
        &p.open(br#"{"settings": {"seeds": "2", "epochs": 3, "samples": 100}, "thresholds": true}"#).unwrap(),
    )
    .unwrap();
    assert_eq!(plan["network"], "2-64-64-64-2");
    assert_eq!(plan["runs"].as_array().unwrap().len(), 6);
    assert!(plan["ceiling"].as_f64().unwrap() > 0.8);
    let step: serde_json::Value = serde_json::from_slice(&p.step().unwrap()).unwrap();
    assert_eq!(step["epochs"].as_array().unwrap().len(), 6);
    assert_eq!(step["epochs"][0]["update"].as_array().unwrap().len(), 4);
    let grid = p.boundary(0, 8, [-2.0, 3.0, -1.5, 2.0]).unwrap();
    assert_eq!(grid.len(), 2 * 64);
    assert!(grid[..64].iter().all(|&c| c < 2));
    assert!(p.checkpoint(0).is_err());
    let e = p.open(br#"{"settings": {"inits": "glorot,hee"}}"#).unwrap_err();
    assert!(e.starts_with("initializers: unknown initializer `hee`"), "{e}");
    assert_eq!(p.step().unwrap_err(), "no study is open");
}
