//! Issue 12: the harness on hostile but realistic input — no panics,
//! bounded memory before anything is built, a results folder that is one
//! run's or clearly not (lock, manifest, stale files, temporaries), and
//! errors that quote little of the input. Memory cases run under
//! `ulimit -v` (through `sh -c`), on Unix.

mod common;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_harness")
}

fn harness(args: &[&str]) -> Output {
    Command::new(bin()).args(args).output().expect("run the harness")
}

/// Runs the harness under `ulimit -v KIB`.
fn harness_limited(kib: u64, args: &[&str]) -> Output {
    let mut script = format!("ulimit -v {kib} && exec \"$0\"");
    for k in 1..=args.len() {
        script.push_str(&format!(" \"${{{k}}}\""));
    }
    Command::new("sh").arg("-c").arg(script).arg(bin()).args(args).output().expect("run sh")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reliability").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `err` without the one note a machine without `ffmpeg` adds to every study (which MP4s were
/// not written, and why): the assertions below are about the other lines.
fn without_ffmpeg_note(err: &str) -> String {
    err.lines()
        .filter(|l| !(l.starts_with("note: ") && l.contains("ffmpeg is not on PATH")))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Exit code 2, one line naming `needle`, nothing on stdout, no panic.
fn refused(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(needle), "expected `{needle}` in: {err}");
    assert_eq!(without_ffmpeg_note(&err).trim_end().lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// A tiny, fast study's arguments.
fn tiny<'a>(out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["--epochs", "3", "--samples", "60", "--arch", "2-8-2", "--quiet", "--out", out];
    if !extra.contains(&"--seeds") {
        a.extend(["--seeds", "2"]);
    }
    a.extend_from_slice(extra);
    a
}

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", stderr(o));
    assert!(!stderr(o).contains("panicked"), "{}", stderr(o));
}

/// Every file below `dir`, relative, in path order.
fn all_files(dir: &Path) -> Vec<PathBuf> {
    common::files(dir).into_keys().collect()
}

#[test]
fn a_learning_rate_that_rounds_to_zero_in_f32_is_refused_by_the_cores_rule() {
    for lr in ["1e-46", "7e-46", "1e-300"] {
        refused(&harness(&["--lr", lr, "--out", "/nonexistent/never"]), "--lr");
    }
    let out = scratch("lr-ok");
    // The smallest positive f32 is accepted.
    ok(&harness(&tiny(out.to_str().unwrap(), &["--lr", "1e-45", "--seeds", "1", "--inits", "he"])));
}

#[test]
fn stdout_full_or_closed_is_not_a_panic() {
    let out = scratch("stdout");
    let o = out.to_str().unwrap();
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let r = Command::new(bin()).args(tiny(o, &[])).stdout(full).output().unwrap();
    refused(&r, "writing to stdout");
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let r = Command::new(bin()).arg("--help").stdout(full).output().unwrap();
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    assert!(!stderr(&r).contains("panicked"));
    // A pipe closed before the harness writes: exit 0, quietly.
    let mut child =
        Command::new(bin()).args(tiny(o, &[])).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let r = child.wait_with_output().unwrap();
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert!(without_ffmpeg_note(&stderr(&r)).is_empty(), "{}", stderr(&r));
}

#[test]
fn many_threads_are_capped_and_a_failed_spawn_falls_back() {
    let out = scratch("threads");
    let o = out.to_str().unwrap();
    let r = harness(&tiny(o, &["--threads", "1000"]));
    ok(&r);
    // 3 inits × 2 seeds: at most 6 threads.
    assert!(
        String::from_utf8_lossy(&r.stdout).contains("on 6 thread(s)"),
        "{}",
        String::from_utf8_lossy(&r.stdout)
    );
    // Under a low memory limit, 400 threads cannot all start: the runs are
    // shared by those that did, and the results are the same.
    let limited = scratch("threads-limited");
    let l = limited.to_str().unwrap();
    let r = harness_limited(
        600_000,
        &[
            "--seeds",
            "400",
            "--epochs",
            "1",
            "--samples",
            "40",
            "--arch",
            "2-4-2",
            "--inits",
            "he",
            "--threads",
            "1000",
            "--quiet",
            "--out",
            l,
        ],
    );
    ok(&r);
    let single = scratch("threads-single");
    let s = single.to_str().unwrap();
    ok(&harness(&[
        "--seeds",
        "400",
        "--epochs",
        "1",
        "--samples",
        "40",
        "--arch",
        "2-4-2",
        "--inits",
        "he",
        "--threads",
        "1",
        "--quiet",
        "--out",
        s,
    ]));
    for f in ["runs.csv", "metrics.csv", "manifest.json"] {
        assert_eq!(std::fs::read(limited.join(f)).unwrap(), std::fs::read(single.join(f)).unwrap(), "{f}");
    }
}

#[test]
fn ctrl_c_stops_promptly_and_leaves_the_folder_as_it_was() {
    let out = scratch("ctrl-c");
    let o = out.to_str().unwrap();
    ok(&harness(&tiny(o, &[])));
    let before: Vec<(PathBuf, Vec<u8>)> =
        all_files(&out).into_iter().map(|p| (p.clone(), std::fs::read(out.join(&p)).unwrap())).collect();
    let child = Command::new(bin())
        .args([
            "--seeds",
            "4",
            "--inits",
            "he",
            "--epochs",
            "50000",
            "--samples",
            "2000",
            "--threads",
            "2",
            "--force",
            "--out",
            o,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let start = Instant::now();
    let kill = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let r = child.wait_with_output().unwrap();
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());
    assert_eq!(r.status.code(), Some(130), "{}", stderr(&r));
    let err = stderr(&r);
    assert!(err.contains("was left as it was"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    let after: Vec<(PathBuf, Vec<u8>)> =
        all_files(&out).into_iter().map(|p| (p.clone(), std::fs::read(out.join(&p)).unwrap())).collect();
    assert!(before == after, "the folder changed");
    // The folder is still one run's: report --from accepts it.
    ok(&harness(&["report", "--from", o]));
}

#[test]
fn seed_counts_and_ranges_are_checked_before_anything_is_built() {
    let out = scratch("seeds");
    let o = out.to_str().unwrap();
    for (seeds, needle) in [
        ("0..18446744073709551615", "at most 100000 runs"),
        ("2000000000", "at most 100000 runs"),
        ("1000000000", "at most 100000 runs"),
        ("100000", "300000 runs"),
        ("5..3", "no seeds"),
    ] {
        let start = Instant::now();
        let r =
            harness_limited(1_000_000, &["--seeds", seeds, "--epochs", "1", "--samples", "8", "--out", o]);
        refused(&r, needle);
        assert!(start.elapsed() < Duration::from_secs(5), "{seeds}: {:?}", start.elapsed());
    }
    // Within the run count but not the memory budget (the report reads
    // every run's curves back): a clear error, at once. (Finished runs are
    // on disk, so 30 000 seeds of one epoch are within it: see below.)
    let r =
        harness_limited(1_000_000, &["--seeds", "30000", "--epochs", "1000", "--samples", "8", "--out", o]);
    refused(&r, "GiB in memory; the limit is 2 GiB");
    assert!(!out.exists(), "nothing was written");
}

#[test]
fn memory_does_not_grow_with_the_number_of_runs() {
    // 6 000 runs of the paper's network: their checkpoints alone are 420 MB,
    // more than the whole process may map here. Finished runs go to disk
    // as they finish, and the tables are written run by run.
    let out = scratch("many-runs");
    let o = out.to_str().unwrap();
    let r = harness_limited(
        450_000,
        &[
            "--seeds",
            "6000",
            "--inits",
            "he",
            "--epochs",
            "1",
            "--samples",
            "8",
            "--threads",
            "2",
            "--quiet",
            "--out",
            o,
        ],
    );
    ok(&r);
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 6001);
    assert!(out.join("runs/he/seed-5999/final.bin").is_file());
}

#[test]
fn data_files_are_bounded() {
    let dir = scratch("data");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("out");
    let o = out.to_str().unwrap();
    // A device is not read at all (issue 29: only regular files are); the size cap is below.
    refused(
        &harness_limited(1_000_000, &["--data", "/dev/zero", "--out", o]),
        "a device, not a regular file",
    );
    let big = dir.join("big.csv");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(200 << 20).unwrap();
    drop(f);
    refused(
        &harness_limited(1_000_000, &["--data", big.to_str().unwrap(), "--out", o]),
        "larger than 64 MiB",
    );
    std::fs::remove_file(&big).unwrap();
    refused(&harness(&["--samples", "10000000", "--out", o]), "--samples must be at most 1000000");
    refused(&harness(&["--samples", "1000000", "--input-dim", "64", "--out", o]), "feature values");
    assert!(!out.exists());
}

#[test]
fn the_largest_data_set_runs_end_to_end_in_bounded_memory_with_bounded_figures() {
    let out = scratch("max-samples");
    let o = out.to_str().unwrap();
    let r = harness_limited(
        3_000_000,
        &[
            "--samples",
            "1000000",
            "--seeds",
            "1",
            "--inits",
            "he",
            "--epochs",
            "1",
            "--arch",
            "2-4-2",
            "--quiet",
            "--out",
            o,
        ],
    );
    ok(&r);
    let report = std::fs::metadata(out.join("report.html")).unwrap().len();
    assert!(report < 8 << 20, "report.html is {report} bytes");
    for f in ["fig1_dataset.svg", "fig5_decision_boundaries.svg"] {
        let n = std::fs::metadata(out.join(f)).unwrap().len();
        assert!(n < 4 << 20, "{f} is {n} bytes");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Drawn: a random 5000 of the 1000000 points"), "figure 1's caption");
    assert!(html.contains("Drawn: a random 5000 of the 250000 points"), "figure 5's caption");
}

#[test]
fn a_folder_in_use_is_refused_and_a_stale_lock_taken_over() {
    let out = scratch("lock");
    let o = out.to_str().unwrap();
    std::fs::create_dir_all(&out).unwrap();
    // Held by a live process (this test holds the lock as a run does).
    let held = std::fs::File::create(out.join(".harness.lock")).unwrap();
    held.lock().unwrap();
    std::fs::write(out.join(".harness.lock"), format!("{} on this host\n", std::process::id())).unwrap();
    refused(&harness(&tiny(o, &[])), "is in use by another harness run");
    refused(&harness(&["report", "--from", o]), "is in use by another harness run");
    // Left by a process that is gone (its lock went with it), even one
    // whose process id is now another live process's (a restarted pod's 1).
    drop(held);
    std::fs::write(out.join(".harness.lock"), format!("{} on this host\n", std::process::id())).unwrap();
    ok(&harness(&tiny(o, &[])));
    assert!(!out.join(".harness.lock").exists(), "the lock is released");
    std::fs::write(out.join(".harness.lock"), "4000000000\n").unwrap();
    ok(&harness(&tiny(o, &[])));
    assert!(!out.join(".harness.lock").exists(), "the lock is released");
    // Two runs at once on one folder: exactly one of them writes it.
    let spawn = || {
        Command::new(bin())
            .args(["--seeds", "3", "--epochs", "300", "--samples", "300", "--quiet", "--force", "--out", o])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let codes = [a.status.code(), b.status.code()];
    assert!(
        codes.contains(&Some(0)) && codes.contains(&Some(2)),
        "{codes:?}: {} / {}",
        stderr(&a),
        stderr(&b)
    );
    ok(&harness(&["report", "--from", o]));
}

#[test]
fn report_from_refuses_a_folder_without_a_matching_manifest() {
    let out = scratch("manifest");
    let o = out.to_str().unwrap();
    ok(&harness(&tiny(o, &[])));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let listed: Vec<String> = manifest["files"].as_object().unwrap().keys().cloned().collect();
    // Every file of the folder is listed (but the manifest itself), with its CRC-32 and length.
    let mut files: Vec<String> =
        all_files(&out).iter().map(|p| p.to_string_lossy().replace('\\', "/")).collect();
    files.sort();
    let expected: Vec<String> = files.iter().filter(|f| *f != "manifest.json").cloned().collect();
    assert_eq!(listed, expected);
    for (name, e) in manifest["files"].as_object().unwrap() {
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert_eq!(e["bytes"].as_u64().unwrap(), bytes.len() as u64, "{name}");
        assert_eq!(e["crc32"].as_str().unwrap(), format!("{:08x}", saorsa_nn::crc32(&bytes)), "{name}");
    }
    ok(&harness(&["report", "--from", o]));
    let again: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(again, manifest, "report --from redraws the same bytes and lists them");
    // A changed file.
    let runs = std::fs::read(out.join("runs.csv")).unwrap();
    std::fs::write(out.join("runs.csv"), [&runs[..], b"\n"].concat()).unwrap();
    refused(&harness(&["report", "--from", o]), "runs.csv differs from the manifest");
    std::fs::write(out.join("runs.csv"), &runs).unwrap();
    ok(&harness(&["report", "--from", o]));
    // No manifest: an incomplete folder.
    std::fs::remove_file(out.join("manifest.json")).unwrap();
    refused(&harness(&["report", "--from", o]), "manifest.json: missing");
}

#[test]
fn a_rerun_removes_what_the_last_run_wrote_and_it_does_not_and_nothing_else() {
    let out = scratch("rerun");
    let o = out.to_str().unwrap();
    ok(&harness(&tiny(o, &["--seeds", "3"])));
    assert!(out.join("runs/he/seed-2/final.bin").exists());
    // A file the previous run listed (as an MP4 made where ffmpeg was).
    std::fs::write(out.join("fig6_weight_evolution_he.mp4"), b"old video").unwrap();
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    m["files"]["fig6_weight_evolution_he.mp4"] =
        serde_json::json!({"bytes": 9, "crc32": format!("{:08x}", saorsa_nn::crc32(b"old video"))});
    std::fs::write(out.join("manifest.json"), serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    // Files the harness never wrote, and its own temporary leftovers.
    std::fs::write(out.join("notes.txt"), b"mine").unwrap();
    std::fs::write(out.join("runs/he/seed-2/mine.txt"), b"mine").unwrap();
    std::fs::write(out.join(".fig1_dataset.svg.12345.tmp"), b"half").unwrap();
    std::fs::write(out.join("runs/small/seed-1/.final.bin.999.tmp"), b"half").unwrap();
    std::fs::write(out.join(".user.tmp"), b"mine").unwrap();
    // Another study (and files the harness never wrote): only with --force.
    ok(&harness(&tiny(o, &["--seeds", "1", "--inits", "he,glorot", "--force"])));
    assert!(!out.join("runs/he/seed-1").exists());
    assert!(!out.join("runs/he/seed-2/final.bin").exists());
    assert!(!out.join("runs/small").exists(), "small's runs and its emptied folders");
    assert!(!out.join("fig6_weight_evolution_small.gif").exists());
    assert!(!out.join("fig6_weight_evolution_he.mp4").exists());
    assert!(!out.join(".fig1_dataset.svg.12345.tmp").exists());
    for mine in ["notes.txt", "runs/he/seed-2/mine.txt", ".user.tmp"] {
        assert!(out.join(mine).exists(), "{mine} was not the harness's");
    }
    ok(&harness(&["report", "--from", o]));
}

#[test]
fn problems_with_the_folders_contents_are_found_before_training() {
    let out = scratch("contents");
    let o = out.to_str().unwrap();
    std::fs::create_dir_all(out.join("report.html")).unwrap();
    let start = Instant::now();
    refused(&harness(&["--epochs", "100000", "--out", o]), "report.html is a directory where a file goes");
    assert!(start.elapsed() < Duration::from_secs(5));
    std::fs::remove_dir(out.join("report.html")).unwrap();
    std::fs::write(out.join("runs"), b"").unwrap();
    refused(&harness(&["--epochs", "100000", "--out", o]), "runs is a file where a directory goes");
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn errors_quote_little_of_the_input() {
    let dir = scratch("quote");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("out");
    let o = out.to_str().unwrap();
    let long = dir.join("long.csv");
    std::fs::write(&long, format!("x1,x2,label\n1,{},0\n", "9".repeat(5_000_000) + "x")).unwrap();
    let r = harness(&["--data", long.to_str().unwrap(), "--out", o]);
    refused(&r, "x2 is not a number");
    assert!(r.stderr.len() < 400, "{} bytes of error", r.stderr.len());
    let cr = dir.join("cr.csv");
    std::fs::write(&cr, "a,b,c\r".repeat(100_000)).unwrap();
    let r = harness(&["--data", cr.to_str().unwrap(), "--out", o]);
    refused(&r, "missing column `label`");
    assert!(r.stderr.len() < 400, "{} bytes of error", r.stderr.len());
    let r = harness(&["--val-ratio", "1e-300", "--out", o]);
    refused(&r, "--val-ratio 1e-300");
    assert!(r.stderr.len() < 200);
    let seeds = "1,".repeat(10_000) + "x";
    let r = harness(&["--seeds", &seeds, "--out", o]);
    refused(&r, "--seeds");
    assert!(r.stderr.len() < 400);
}

#[test]
fn a_data_path_with_markup_characters_is_escaped_once() {
    let dir = scratch("a<b>&c");
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = String::from("x1,x2,label\n");
    for k in 0..40 {
        text.push_str(&format!("{},{},{}\n", k % 7, k % 3, k % 2));
    }
    let data = dir.join("d.csv");
    std::fs::write(&data, text).unwrap();
    let out = dir.join("out");
    ok(&harness(&[
        "--data",
        data.to_str().unwrap(),
        "--seeds",
        "1",
        "--epochs",
        "2",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("a&lt;b&gt;&amp;c/d.csv"), "escaped once");
    assert!(!html.contains("&amp;lt;") && !html.contains("&amp;amp;"), "not twice");
    assert!(!html.contains("a<b>&c"), "not raw");
}
