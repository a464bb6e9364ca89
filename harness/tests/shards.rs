//! Sweeps beyond one machine: `--shard I/N`, `harness merge` and resume.
//! A study (and `claims`) split into N shards and merged must give the
//! same folder, byte for byte, as the same study run in one process; a
//! rerun shard trains only what it had not finished; a merge refuses
//! shards that do not make one study.

mod common;

use harness::claims::{self, Options, Scale};
use harness::sweep::Jobs as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn harness(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_harness"));
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run the harness")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn refused(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(2), "stdout {}", String::from_utf8_lossy(&o.stdout));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shards").join(name);
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn assert_same_folder(a: &Path, b: &Path) {
    let (x, y) = (common::files(a), common::files(b));
    assert_eq!(
        x.keys().collect::<Vec<_>>(),
        y.keys().collect::<Vec<_>>(),
        "{} and {}: file lists",
        a.display(),
        b.display()
    );
    for (name, bytes) in &x {
        assert!(*bytes == y[name], "{} differs between {} and {}", name.display(), a.display(), b.display());
    }
}

// A small study: every init of the paper, 7 seeds, 40 epochs.
const STUDY: [&str; 5] = ["--quiet", "--seeds", "7", "--epochs", "40"];

fn study(out: &Path, extra: &[&str]) -> String {
    let mut args = STUDY.to_vec();
    args.extend_from_slice(&["--out", s(out)]);
    args.extend_from_slice(extra);
    ok(&harness(&args, &[]))
}

#[test]
fn a_study_merged_from_1_3_or_7_shards_is_byte_identical_to_one_process() {
    let one = dir("study-one");
    study(&one, &[]);
    for n in [1, 3, 7] {
        let shards: Vec<PathBuf> = (0..n).map(|i| dir(&format!("study-{n}-{i}"))).collect();
        for (i, d) in shards.iter().enumerate() {
            let text = study(d, &["--shard", &format!("{i}/{n}")]);
            assert!(text.contains(&format!("shard {i}/{n}")), "{text}");
            assert!(d.join("shard.json").is_file() && !d.join("report.html").exists());
        }
        let merged = dir(&format!("study-{n}-merged"));
        let mut args = vec!["merge", "--out", s(&merged)];
        args.extend(shards.iter().map(|d| s(d)));
        let text = ok(&harness(&args, &[]));
        // Where each run came from: 21 runs dealt out in turn.
        for i in 0..n {
            let count = (21 + n - 1 - i) / n;
            assert!(text.contains(&format!("shard {i}/{n}: {count} runs from")), "{text}");
        }
        assert_same_folder(&one, &merged);
    }
}

#[test]
fn a_rerun_shard_trains_only_what_it_had_not_finished() {
    let full = dir("resume-reference");
    study(&full, &["--shard", "0/2"]);
    let d = dir("resume");
    study(&d, &["--shard", "0/2"]);
    // Shard 0 of 2 owns seeds 0, 2, 4, 6 of small, 1, 3, 5 of glorot, …
    let run = |init: &str, seed: u64| d.join("runs").join(init).join(format!("seed-{seed}"));
    // A run killed before its record, a damaged checkpoint, a truncated record.
    std::fs::remove_file(run("small", 0).join("record.csv")).unwrap();
    let ckpt = run("glorot", 1).join("final.bin");
    let mut b = std::fs::read(&ckpt).unwrap();
    b[100] ^= 1;
    std::fs::write(&ckpt, b).unwrap();
    let rec = run("he", 0).join("record.csv");
    let b = std::fs::read(&rec).unwrap();
    std::fs::write(&rec, &b[..b.len() / 2]).unwrap();
    // Another run's final checkpoint: valid and just as long, but not this run's weights (the
    // CRC-32 of every whole checkpoint is the same, so the record keeps that of its body).
    std::fs::copy(run("small", 2).join("final.bin"), run("small", 4).join("final.bin")).unwrap();
    let text = study(&d, &["--shard", "0/2"]);
    assert!(text.contains("4 runs trained, 7 found finished"), "{text}");
    assert_same_folder(&full, &d);
    // Nothing to do the second time.
    let text = study(&d, &["--shard", "0/2"]);
    assert!(text.contains("0 runs trained, 11 found finished"), "{text}");
    // A study of another configuration in the same folder keeps nothing.
    let text = study(&d, &["--shard", "0/2", "--lr", "0.002", "--force"]);
    assert!(text.contains("11 runs trained, 0 found finished"), "{text}");
}

#[test]
fn shard_auto_takes_the_index_from_slurm_or_kubernetes() {
    let d = dir("auto-slurm");
    let env = [("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "4")];
    let mut args = vec!["--quiet", "--epochs", "2"];
    args.extend_from_slice(&["--out", s(&d), "--shard", "auto"]);
    assert!(ok(&harness(&args, &env)).contains("shard 2/4"));
    let d = dir("auto-k8s");
    let mut args = vec!["--quiet", "--epochs", "2"];
    args.extend_from_slice(&["--out", s(&d), "--shard", "auto/5"]);
    assert!(ok(&harness(&args, &[("JOB_COMPLETION_INDEX", "4")])).contains("shard 4/5"));
    let e = refused(&harness(&args, &[]));
    assert!(e.contains("--shard") && e.contains("JOB_COMPLETION_INDEX"), "{e}");
    assert!(!dir("auto-none").exists());
}

#[test]
fn a_merge_refuses_shards_that_do_not_make_one_study() {
    let a = dir("bad-0");
    let b = dir("bad-1");
    let args = |out: &Path, shard: &str| {
        let mut v: Vec<String> = ["--quiet", "--seeds", "3", "--epochs", "3"].map(String::from).to_vec();
        v.extend(["--out".into(), s(out).into(), "--shard".into(), shard.into()]);
        v
    };
    let run = |v: Vec<String>| ok(&harness(&v.iter().map(String::as_str).collect::<Vec<_>>(), &[]));
    run(args(&a, "0/2"));
    run(args(&b, "1/2"));
    let out = dir("bad-merged");
    // One shard missing.
    let e = refused(&harness(&["merge", "--out", s(&out), s(&a)], &[]));
    assert!(e.contains("in no shard given") && e.contains("seed-1"), "{e}");
    assert!(!out.exists(), "a refused merge writes nothing");
    // The same shard twice (a copy of its folder).
    let copy = dir("bad-0-copy");
    std::fs::create_dir_all(&copy).unwrap();
    for (name, bytes) in common::files(&a) {
        let p = copy.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let e = refused(&harness(&["merge", "--out", s(&out), s(&a), s(&b), s(&copy)], &[]));
    assert!(e.contains("in more than one shard"), "{e}");
    // --out one of the shards.
    let e = refused(&harness(&["merge", "--out", s(&a), s(&a), s(&b)], &[]));
    assert!(e.contains("one of the shards"), "{e}");
    // A shard of another configuration.
    let other = dir("bad-other");
    let mut v = args(&other, "1/2");
    v.extend(["--lr".into(), "0.01".into()]);
    run(v);
    let e = refused(&harness(&["merge", "--out", s(&out), s(&a), s(&other)], &[]));
    assert!(e.contains("different studies"), "{e}");
    // An unfinished run (its record lost).
    std::fs::remove_file(b.join("runs/glorot/seed-0/record.csv")).unwrap();
    let e = refused(&harness(&["merge", "--out", s(&out), s(&a), s(&b)], &[]));
    assert!(e.contains("not finished") && e.contains("glorot/seed-0") && e.contains("rerun"), "{e}");
    // The error names the unfinished run's shard, not the first shard given.
    assert!(e.starts_with(&format!("error: {}", s(&b))) && !e.contains(s(&a)), "{e}");
    // Not a shard at all.
    let e = refused(&harness(&["merge", "--out", s(&out), s(&dir("bad-empty"))], &[]));
    assert!(e.contains("shard.json"), "{e}");
    assert!(!out.exists());
}

#[test]
fn claims_merged_from_1_3_or_7_shards_are_byte_identical_to_one_process() {
    let run = |out: &Path, shard| {
        let jobs = claims::ClaimsJobs::new(Scale::Tiny).unwrap();
        claims::run(
            &jobs,
            &Options { out: out.to_path_buf(), threads: 2, progress: &|| {}, force: false, shard },
        )
        .unwrap()
    };
    let one = dir("claims-one");
    let whole = run(&one, None);
    assert!(whole.shard.is_none() && !whole.results.is_empty());
    for n in [1, 3, 7] {
        let shards: Vec<PathBuf> = (0..n).map(|i| dir(&format!("claims-{n}-{i}"))).collect();
        let mut runs = 0;
        for (i, d) in shards.iter().enumerate() {
            let o = run(d, Some(harness::shard::Shard { index: i, count: n }));
            assert!(o.shard.is_some() && o.results.is_empty());
            runs += o.runs;
        }
        assert_eq!(runs, whole.runs);
        let merged = dir(&format!("claims-{n}-merged"));
        let m = harness::merge::merge(&shards, &merged, 2, Default::default(), false).unwrap();
        assert!(m.text.contains(&format!("shard {}/{n}", n - 1)), "{}", m.text);
        assert_same_folder(&one, &merged);
    }
}

// A study of slow runs (He, 2-32-2, 1 500 epochs), some of which finish
// before a signal stops it.
const SLOW: [&str; 9] =
    ["--quiet", "--inits", "he", "--epochs", "1500", "--samples", "300", "--arch", "2-32-2"];

/// How many runs of He have a record under `dir`.
fn finished(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("runs/he"))
        .map(|d| d.flatten().filter(|e| e.path().join("record.csv").exists()).count())
        .unwrap_or(0)
}

/// Runs the harness with `args` until at least one run is final under
/// `dir`, then sends it `signal`; returns its output.
fn stopped_after_a_run(args: &[&str], dir: &Path, signal: &str) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while finished(dir) == 0 {
        assert!(start.elapsed().as_secs() < 60, "no run finished");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap().success());
    let r = child.wait_with_output().unwrap();
    assert_eq!(r.status.code(), Some(130), "{}", String::from_utf8_lossy(&r.stderr));
    r
}

#[test]
fn an_interrupted_study_resumes_from_its_staging_folder_to_the_same_bytes() {
    let reference = dir("resume-whole-reference");
    let mut args = SLOW.to_vec();
    args.extend(["--seeds", "8", "--out", s(&reference)]);
    ok(&harness(&args, &[]));
    let out = dir("resume-whole");
    let staging = out.parent().unwrap().join(".resume-whole.partial");
    let _ = std::fs::remove_dir_all(&staging);
    let mut args = SLOW.to_vec();
    args.extend(["--seeds", "8", "--out", s(&out), "--threads", "1"]);
    stopped_after_a_run(&args, &staging, "-INT");
    let kept = finished(&staging);
    assert!((1..8).contains(&kept), "{kept} runs finished before Ctrl-C");
    assert!(!out.join("config.json").exists(), "--out was left as it was");
    let text = ok(&harness(&args, &[]));
    assert!(text.contains(&format!("({kept} runs found finished and kept)")), "{text}");
    assert!(!staging.exists(), "the staging folder is removed when the study is done");
    assert_same_folder(&reference, &out);
}

#[test]
fn sigterm_from_a_scheduler_stops_a_shard_cleanly_and_it_resumes() {
    // scancel, a time limit or a pod's eviction send SIGTERM: it stops like
    // Ctrl-C, keeps the finished runs and releases the folder.
    let d = dir("sigterm");
    let mut a = SLOW.to_vec();
    a.extend(["--seeds", "6", "--out", s(&d), "--shard", "0/1", "--threads", "1"]);
    let r = stopped_after_a_run(&a, &d, "-TERM");
    assert!(String::from_utf8_lossy(&r.stderr).contains("kept"), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(!d.join(".harness.lock").exists(), "the lock is released");
    let text = ok(&harness(&a, &[]));
    assert!(text.contains("found finished") && !text.contains(", 0 found finished"), "{text}");
}

#[test]
fn claims_resume_after_an_interruption_training_only_what_is_missing() {
    let run = |out: &Path| {
        let jobs = claims::ClaimsJobs::new(Scale::Tiny).unwrap();
        claims::run(
            &jobs,
            &Options { out: out.to_path_buf(), threads: 2, progress: &|| {}, force: false, shard: None },
        )
        .unwrap()
    };
    let a = dir("claims-resume-reference");
    let whole = run(&a);
    // The same folder as an interrupted run leaves it: no manifest, some runs' records missing.
    let b = dir("claims-resume");
    for (name, bytes) in common::files(&a) {
        let p = b.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    std::fs::remove_file(b.join("manifest.json")).unwrap();
    let jobs = claims::ClaimsJobs::new(Scale::Tiny).unwrap();
    for &k in &[0, jobs.len() / 2, jobs.len() - 1] {
        std::fs::remove_file(b.join(&jobs.files(k)[0])).unwrap();
    }
    let resumed = run(&b);
    assert_eq!((resumed.trained, resumed.runs), (3, whole.runs));
    assert_same_folder(&a, &b);
}
