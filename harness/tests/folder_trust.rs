//! A results folder is untrusted input, and results are never silently replaced: another study's
//! folder, or one with files the harness did not write, is refused without `--force` (and its
//! files are never touched); manifest entries outside the folder and a symlinked lock are refused
//! with nothing touched; damaged or inconsistent files are one-line errors, never panics; shards
//! of different data never merge; a redraw that fails leaves a folder its manifest describes.

mod common;
use common::files;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn harness(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harness")).args(args).output().expect("run the harness")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("folder-trust").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Exit code 2, one line naming `needle`, no panic.
fn refused(o: &Output, needle: &str) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(needle), "expected `{needle}` in: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// A tiny, fast study into `out`, with `extra` options.
fn tiny(out: &Path, extra: &[&str]) -> Output {
    let mut a = vec!["--epochs", "3", "--samples", "60", "--arch", "2-8-2", "--quiet", "--out", s(out)];
    if !extra.contains(&"--seeds") {
        a.extend(["--seeds", "2"]);
    }
    a.extend_from_slice(extra);
    harness(&a)
}

/// Rewrites `name`'s entry of `dir`'s manifest to the file's current length and CRC-32: a
/// folder whose manifest is consistent with a crafted file.
fn reseal(dir: &Path, name: &str) {
    let path = dir.join("manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let bytes = std::fs::read(dir.join(name)).unwrap();
    m["files"][name] = serde_json::json!({
        "bytes": bytes.len(),
        "crc32": format!("{:08x}", saorsa_nn::crc32(&bytes)),
    });
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
}

#[test]
fn another_study_or_foreign_files_are_refused_without_force_and_nothing_is_lost() {
    let out = scratch("overwrite");
    ok(&tiny(&out, &[]));
    let before = files(&out);
    // The same study again: it reruns in place, to the same bytes.
    ok(&tiny(&out, &[]));
    assert_eq!(files(&out), before);
    // Another study: refused, naming the folder and a setting that differs; nothing changed.
    let e = refused(&tiny(&out, &["--dataset", "xor"]), "holds another study's results");
    assert!(e.contains("data") && e.contains("--force"), "{e}");
    assert_eq!(files(&out), before);
    // A claims run or a merge into it: refused too.
    refused(&harness(&["claims", "--quick", "--quiet", "--out", s(&out)]), "holds a study's results");
    assert_eq!(files(&out), before);
    // With --force the other study replaces it.
    ok(&tiny(&out, &["--dataset", "xor", "--force"]));
    let config = std::fs::read_to_string(out.join("config.json")).unwrap();
    assert!(config.contains("\"xor"), "{config}");

    // A folder holding the user's own files: refused; with --force they are never touched.
    let mine = scratch("foreign");
    std::fs::create_dir_all(mine.join("notes")).unwrap();
    std::fs::write(mine.join("notes/paper.tex"), b"my thesis").unwrap();
    refused(&tiny(&mine, &[]), "files the harness did not write (e.g. notes/paper.tex)");
    assert_eq!(files(&mine).len(), 1);
    ok(&tiny(&mine, &["--force"]));
    assert_eq!(std::fs::read(mine.join("notes/paper.tex")).unwrap(), b"my thesis");
    // A rerun of that study there removes its own old files only.
    ok(&tiny(&mine, &["--force", "--seeds", "1"]));
    assert_eq!(std::fs::read(mine.join("notes/paper.tex")).unwrap(), b"my thesis");
    assert!(!mine.join("runs/he/seed-1").exists());
}

#[test]
fn manifest_entries_outside_the_folder_and_a_symlinked_lock_touch_nothing() {
    let out = scratch("escape");
    ok(&tiny(&out, &[]));
    let victim = out.parent().unwrap().join("escape-victim.txt");
    std::fs::write(&victim, b"keep me").unwrap();
    let manifest = out.join("manifest.json");
    let original = std::fs::read_to_string(&manifest).unwrap();
    for entry in ["../escape-victim.txt", &victim.display().to_string(), "runs/../../escape-victim.txt"] {
        let crafted = original.replacen(
            "\"files\": {",
            &format!("\"files\": {{\n    \"{entry}\": {{\"bytes\": 7, \"crc32\": \"00000000\"}},"),
            1,
        );
        std::fs::write(&manifest, &crafted).unwrap();
        refused(&harness(&["report", "--from", s(&out)]), "not a file inside the folder");
        // The same entry in the list a rerun sets aside.
        std::fs::write(out.join(".manifest-previous.json"), &crafted).unwrap();
        std::fs::write(&manifest, &original).unwrap();
        refused(&tiny(&out, &[]), "not a file inside the folder");
        std::fs::remove_file(out.join(".manifest-previous.json")).unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep me", "{entry}");
    }
    std::fs::write(&manifest, &original).unwrap();
    // The lock as a symbolic link to another file: refused, the target untouched.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&victim, out.join(".harness.lock")).unwrap();
        refused(&harness(&["report", "--from", s(&out)]), "not a regular file");
        refused(&tiny(&out, &[]), "not a regular file");
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");
        std::fs::remove_file(out.join(".harness.lock")).unwrap();
    }
    ok(&harness(&["report", "--from", s(&out)]));
}

#[test]
fn splits_missing_a_class_finish_and_inconsistent_files_are_errors_not_panics() {
    // 256 blobs over 60 samples: the validation split lacks classes; the study still finishes.
    let out = scratch("blobs");
    let o = harness(&[
        "--dataset",
        "blobs:8",
        "--samples",
        "40",
        "--seeds",
        "1",
        "--epochs",
        "2",
        "--quiet",
        "--out",
        s(&out),
    ]);
    ok(&o);
    assert!(out.join("manifest.json").exists());
    ok(&harness(&["report", "--from", s(&out)]));

    // A config.json naming a deeper network than the checkpoints hold, resealed in the
    // manifest: one line, exit 2.
    let a = scratch("deeper");
    ok(&tiny(&a, &[]));
    let config = std::fs::read_to_string(a.join("config.json")).unwrap();
    std::fs::write(a.join("config.json"), config.replace("\"2-8-2\"", "\"2-8-8-2\"")).unwrap();
    reseal(&a, "config.json");
    let e = String::from_utf8_lossy(&harness(&["report", "--from", s(&a)]).stderr).into_owned();
    assert!(!e.contains("panicked") && e.trim_end().lines().count() == 1, "{e}");
    // Duplicated metrics rows, resealed: one line, exit 2.
    let b = scratch("duplicated");
    ok(&tiny(&b, &[]));
    let metrics = std::fs::read_to_string(b.join("metrics.csv")).unwrap();
    let row = metrics.lines().nth(1).unwrap().to_string();
    std::fs::write(b.join("metrics.csv"), format!("{metrics}{row}\n")).unwrap();
    reseal(&b, "metrics.csv");
    refused(&harness(&["report", "--from", s(&b)]), "epochs, more than the study's");
    // So are a duplicated run in runs.csv and initializers beyond what config.json says.
    let runs = std::fs::read_to_string(b.join("runs.csv")).unwrap();
    let row = runs.lines().nth(1).unwrap().to_string();
    std::fs::write(b.join("runs.csv"), format!("{runs}{row}\n")).unwrap();
    std::fs::write(b.join("metrics.csv"), &metrics).unwrap();
    reseal(&b, "runs.csv");
    reseal(&b, "metrics.csv");
    refused(&harness(&["report", "--from", s(&b)]), "appears twice");
}

/// `layer_stats.csv` is held whole by its readers: one with more rows than its study writes
/// is refused before it is (the report then skips figures 8 and 9 and says why; Python's
/// `read_results` raises). Its own rows, once more, make it too long.
#[test]
fn layer_statistics_longer_than_the_study_are_refused() {
    let out = scratch("layer-stats");
    ok(&tiny(&out, &["--no-report"]));
    let path = out.join("layer_stats.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let rows: Vec<&str> = text.lines().skip(1).collect();
    // 3 initializers × 2 seeds × (epoch 0 and the 3 frame epochs) × 2 layers: what the study wrote.
    assert_eq!(rows.len(), 48);
    std::fs::write(&path, format!("{text}{}\n", rows[0])).unwrap();
    reseal(&out, "layer_stats.csv");
    let o = harness(&["report", s(&out)]);
    ok(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("figure 8") && err.contains("more than the 48 rows its study writes"), "{err}");
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains("more than the 48 rows its study writes"));
}

#[test]
fn a_failed_redraw_leaves_the_folder_usable() {
    let out = scratch("redraw");
    ok(&tiny(&out, &[]));
    let before = files(&out);
    // A directory where a figure goes: the redraw fails part-way.
    std::fs::remove_file(out.join("fig7_update_size.png")).unwrap();
    std::fs::create_dir(out.join("fig7_update_size.png")).unwrap();
    let o = harness(&["report", "--from", s(&out)]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("manifest.json").exists(), "the manifest stays");
    std::fs::remove_dir(out.join("fig7_update_size.png")).unwrap();
    ok(&harness(&["report", "--from", s(&out)]));
    assert_eq!(files(&out), before);
}

#[test]
fn shards_of_different_data_or_damaged_checkpoints_do_not_merge() {
    let root = scratch("shard-data");
    std::fs::create_dir_all(&root).unwrap();
    let csv = |rows: &[(f32, f32, u8)]| {
        let mut t = String::from("x1,x2,label\n");
        for (a, b, l) in rows {
            t.push_str(&format!("{a},{b},{l}\n"));
        }
        t
    };
    let rows: Vec<(f32, f32, u8)> =
        (0..40).map(|k| (k as f32 * 0.1, (k % 7) as f32, (k % 2) as u8)).collect();
    let data = root.join("data.csv");
    let run = |out: &Path, shard: &str, force: bool| {
        let mut a = vec!["--data", s(&data), "--arch", "2-4-2", "--seeds", "2", "--epochs", "2", "--quiet"];
        a.extend(["--shard", shard, "--out", s(out)]);
        if force {
            a.push("--force");
        }
        harness(&a)
    };
    std::fs::write(&data, csv(&rows)).unwrap();
    let (a, b) = (root.join("a"), root.join("b"));
    ok(&run(&a, "0/2", false));
    // The same path and row count, other values: another study.
    let mut other = rows.clone();
    other[3].0 += 1.0;
    std::fs::write(&data, csv(&other)).unwrap();
    ok(&run(&b, "1/2", false));
    refused(&harness(&["merge", "--out", s(&root.join("m")), s(&a), s(&b)]), "different studies");
    // A shard's folder of the other data is another study's: rerun only with --force.
    std::fs::write(&data, csv(&rows)).unwrap();
    refused(&run(&b, "1/2", false), "holds another study's results");
    // The shards of one file merge; an edited data file in one of them is refused.
    ok(&run(&b, "1/2", true));
    let train = std::fs::read_to_string(b.join("data/train.csv")).unwrap();
    std::fs::write(b.join("data/train.csv"), train.replacen(",1\n", ",0\n", 1)).unwrap();
    refused(
        &harness(&["merge", "--out", s(&root.join("m")), s(&a), s(&b)]),
        "the shards hold different data",
    );
    std::fs::write(b.join("data/train.csv"), &train).unwrap();
    // A checkpoint whose CRC trailer is damaged: the run is not finished.
    let finals: Vec<PathBuf> = files(&a).into_keys().filter(|p| p.ends_with("final.bin")).collect();
    let f = a.join(&finals[0]);
    let mut bytes = std::fs::read(&f).unwrap();
    *bytes.last_mut().unwrap() ^= 1;
    std::fs::write(&f, &bytes).unwrap();
    refused(&harness(&["merge", "--out", s(&root.join("m")), s(&a), s(&b)]), "not finished");
    ok(&run(&a, "0/2", false));
    ok(&harness(&["merge", "--out", s(&root.join("m")), s(&a), s(&b)]));
}

#[test]
fn long_folder_names_work_and_a_root_is_refused() {
    let root = scratch("names");
    std::fs::create_dir_all(&root).unwrap();
    let long = root.join("r".repeat(250));
    ok(&tiny(&long, &[]));
    assert!(long.join("manifest.json").exists());
    // Refused before anything is touched: a run's temporary file anywhere on the disk (here one
    // of another folder in use) is left alone.
    let busy = scratch("root-busy");
    std::fs::create_dir_all(&busy).unwrap();
    let writing = busy.join(".metrics.csv.4242.tmp");
    std::fs::write(&writing, b"being written").unwrap();
    refused(&tiny(Path::new("/"), &["--force"]), "not a root");
    assert!(writing.exists(), "a root's refusal removed another run's temporary file");
}

/// A results folder inside the folder a study runs in is another folder (it has its own lock):
/// the study leaves its temporary files to it.
#[test]
fn temporaries_of_a_results_folder_inside_are_left_to_it() {
    let out = scratch("outer");
    let inner = out.join("inner");
    std::fs::create_dir_all(out.join("stale")).unwrap();
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(inner.join(".harness.lock"), b"").unwrap();
    let writing = inner.join(".summary.md.4242.tmp");
    let stale = out.join("stale/.summary.md.4242.tmp");
    for f in [&writing, &stale] {
        std::fs::write(f, b"").unwrap();
    }
    ok(&tiny(&out, &["--force"]));
    assert!(writing.exists(), "the inner folder's temporary file was removed");
    assert!(!stale.exists(), "a leftover of this folder's own was kept");
}

/// A study replaces a folder old-or-new: it is finished beside the folder and swapped in, and a
/// process killed between the swap's two renames leaves the previous folder aside, which the
/// next run on the folder puts back (old) — or, when the new one is already in place, removes
/// after carrying over the files the harness did not write (new).
#[test]
fn a_folder_is_replaced_old_or_new() {
    let out = scratch("swap");
    let old = out.parent().unwrap().join(".swap.old");
    let _ = std::fs::remove_dir_all(&old);
    ok(&tiny(&out, &[]));
    let before = files(&out);
    // Killed after the folder was renamed aside, before the new one took its place.
    std::fs::rename(&out, &old).unwrap();
    ok(&harness(&["report", "--from", s(&out)]));
    assert!(!old.exists());
    assert_eq!(files(&out), before, "the previous complete folder is back");
    // Killed after the new one took its place: the previous one, with a file of the user's.
    let mut previous = scratch("swap-previous");
    ok(&tiny(&previous, &["--seeds", "1"]));
    std::fs::write(previous.join("notes.txt"), b"mine").unwrap();
    std::fs::rename(&previous, &old).unwrap();
    previous = old.clone();
    ok(&harness(&["report", "--from", s(&out)]));
    assert!(!previous.exists(), "the previous folder is removed");
    assert_eq!(std::fs::read(out.join("notes.txt")).unwrap(), b"mine", "the user's file is carried over");
    let mut after = files(&out);
    after.remove(Path::new("notes.txt"));
    assert_eq!(after, before, "the new folder is complete");
    // A rerun of another study with --force: the user's file stays, the study is the new one.
    ok(&tiny(&out, &["--seeds", "3", "--force"]));
    assert_eq!(std::fs::read(out.join("notes.txt")).unwrap(), b"mine");
    assert!(out.join("runs/he/seed-2/final.bin").exists() && !old.exists());
}
