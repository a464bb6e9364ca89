//! `harness merge` draws as its shards were run: each shard records its drawing options
//! (`--shared-scale`, `--loss-scale`) in its `figures.json`, and a merge given none of them
//! draws the same figures as the single process (figures 3b and 6, figures.json, manifest.json,
//! report.html). Shards that disagree, or options that contradict the shards', are refused.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn harness(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harness")).args(args).output().expect("run the harness")
}

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A refused merge: exit code 2 and its one line on stderr.
fn refused(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    err
}

fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("merge-drawing").join(name);
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A small study into `out`, with `extra` flags.
fn study(out: &Path, extra: &[&str]) {
    let mut args = vec!["--quiet", "--seeds", "3", "--epochs", "6", "--samples", "160", "--hidden", "8,8"];
    args.extend(["--out", s(out)]);
    args.extend(extra);
    ok(&harness(&args));
}

fn merge(out: &Path, shards: &[&Path], extra: &[&str]) -> Output {
    let mut args = vec!["merge", "--out", s(out)];
    args.extend(extra);
    args.extend(shards.iter().map(|d| s(d)));
    harness(&args)
}

#[test]
fn a_merge_draws_as_its_shards_were_run() {
    let drawn = ["--shared-scale", "--loss-scale", "linear"];
    let one = dir("one");
    study(&one, &drawn);
    let shards = [dir("shard-0"), dir("shard-1")];
    for (i, d) in shards.iter().enumerate() {
        study(d, &[&drawn[..], &["--shard", &format!("{i}/2")]].concat());
    }
    let merged = dir("merged");
    ok(&merge(&merged, &[&shards[0], &shards[1]], &[]));
    let (a, b) = (common::files(&one), common::files(&merged));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(*bytes == b[name], "{} differs from the single process's", name.display());
    }
    // The same options, given again: the same folder.
    let again = dir("merged-again");
    ok(&merge(&again, &[&shards[0], &shards[1]], &["--shared-scale", "--loss-scale=linear"]));
    assert!(common::files(&again) == b, "given the shards' own options, the merge is the same");

    // An option that contradicts the shards' is refused, naming it and a shard's figures.json.
    let no = dir("merged-refused");
    let err = refused(&merge(&no, &[&shards[0], &shards[1]], &["--loss-scale", "log"]));
    assert!(err.contains("--loss-scale log contradicts the shards"), "{err}");
    assert!(err.contains("shared_scale true, loss_scale linear"), "{err}");
    assert!(err.contains("shard-0/figures.json"), "{err}");
    let err = refused(&merge(&no, &[&shards[0], &shards[1]], &["--per-init-scale"]));
    assert!(err.contains("--per-init-scale contradicts the shards"), "{err}");
    assert!(!no.exists(), "nothing is written for a refused merge");

    // Shards run with different drawing options are refused, naming both.
    let other = dir("shard-1-log");
    study(&other, &["--shared-scale", "--shard", "1/2"]);
    let err = refused(&merge(&no, &[&shards[0], &other], &[]));
    assert!(err.contains("shard-0 records shared_scale true, loss_scale linear"), "{err}");
    assert!(err.contains("shard-1-log records shared_scale true, loss_scale log"), "{err}");
    assert!(err.contains("different drawing options"), "{err}");
    assert!(!no.exists(), "nothing is written for a refused merge");
}
