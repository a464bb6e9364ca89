//! Issue 29: what a user, a folder or a shard supplies is untrusted input —
//! error lines escape what a terminal would act on and stay short (items 9
//! and 10), and a `--data` that is not a regular file is refused before it
//! is opened (item 14).

use harness::shard::ShardFile;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_harness")
}

fn harness(args: &[&str]) -> Output {
    Command::new(bin()).args(args).output().expect("run the harness")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("untrusted").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Exit code 2 and one line on stderr, at most `max` bytes, with no
/// character a terminal acts on (escape sequences, a bell, a carriage
/// return); returns the line.
fn one_short_line(o: &Output, max: usize) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.matches('\n').count(), 1, "one line: {err:?}");
    assert!(err.ends_with('\n'), "{err:?}");
    let line = err.trim_end_matches('\n');
    assert!(!line.chars().any(char::is_control), "control characters in {line:?}");
    assert!(line.len() <= max, "{} bytes: {}…", line.len(), &line[..line.len().min(300)]);
    line.to_string()
}

/// A tiny, fast study's arguments.
fn tiny<'a>(out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "--epochs",
        "2",
        "--samples",
        "60",
        "--arch",
        "2-8-2",
        "--seeds",
        "2",
        "--inits",
        "he",
        "--quiet",
    ];
    a.extend_from_slice(&["--out", out]);
    a.extend_from_slice(extra);
    a
}

/// A tiny study of the CSV file `data`.
fn tiny_csv<'a>(out: &'a str, data: &'a str) -> Vec<&'a str> {
    vec!["--epochs", "2", "--arch", "2-8-2", "--seeds", "1", "--quiet", "--out", out, "--data", data]
}

#[test]
fn paths_in_errors_are_escaped() {
    let d = scratch("escaped");
    let blocker = d.join("blocker");
    std::fs::write(&blocker, "a file where a folder would go").unwrap();
    // --out inside a file: the study cannot create it.
    let out = blocker.join("x\nFAKE: all good");
    let line = one_short_line(&harness(&tiny(s(&out), &[])), 2000);
    assert!(line.contains("x\\nFAKE: all good"), "{line}");
    // report --from a folder that is not one: the path is escaped.
    let from = d.join("x\nFAKE: all good\u{1b}[2J\u{7}");
    std::fs::create_dir_all(&from).unwrap();
    let line = one_short_line(&harness(&["report", "--from", s(&from)]), 2000);
    assert!(line.contains("x\\nFAKE: all good\\u{1b}[2J\\u{7}"), "{line}");
    // A missing --config file (an I/O error on the path).
    let line = one_short_line(
        &harness(&["--config", s(&d.join("no\rconfig.json")), "--out", s(&d.join("o"))]),
        2000,
    );
    assert!(line.contains("no\\rconfig.json"), "{line}");
    // merge: a shard folder's name (ESC ] … BEL would set the terminal's title).
    let shard = d.join("shard\u{1b}]0;owned\u{7}");
    std::fs::create_dir_all(&shard).unwrap();
    let line = one_short_line(&harness(&["merge", "--out", s(&d.join("merged")), s(&shard)]), 2000);
    assert!(line.contains("shard\\u{1b}]0;owned\\u{7}"), "{line}");
    // --data, as before.
    let line = one_short_line(&harness(&tiny_csv(s(&d.join("o")), s(&d.join("no\u{1b}[31m.csv")))), 2000);
    assert!(line.contains("no\\u{1b}[31m.csv"), "{line}");
}

#[test]
fn long_paths_in_errors_are_cut() {
    let d = scratch("long");
    let blocker = d.join("blocker");
    std::fs::write(&blocker, "").unwrap();
    let long = "a".repeat(4096);
    for args in [
        tiny(s(&blocker.join(&long)), &[]),
        vec!["report", "--from", s(&blocker.join(&long))],
        vec!["merge", "--out", s(&d.join("m")), s(&blocker.join(&long))],
        vec!["--config", s(&blocker.join(&long)), "--out", s(&d.join("o"))],
    ] {
        let line = one_short_line(&harness(&args), 1500);
        assert!(line.contains("bytes in all)"), "{line}");
    }
}

#[test]
fn a_shard_file_listing_one_run_a_million_times_gives_a_short_line() {
    let d = scratch("million");
    let (a, b) = (d.join("l5"), d.join("l6"));
    for (dir, shard) in [(&a, "0/2"), (&b, "1/2")] {
        let o = harness(&tiny(s(dir), &["--shard", shard]));
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let mut file = ShardFile::read(&a).expect("a shard file");
    let run = file.runs[0].clone();
    file.runs = vec![run.clone(); 1_000_000];
    file.write(&a).unwrap();
    let line = one_short_line(&harness(&["merge", "--out", s(&d.join("merged")), s(&a), s(&b)]), 500);
    assert!(line.contains(&format!("lists run {run} 1000000 times")), "{line}");
    assert!(!d.join("merged").exists());
}

/// Runs the harness with a deadline; `None` if it had to be killed.
fn harness_within(args: &[&str], limit: Duration) -> Option<Output> {
    let mut child = Command::new(bin())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the harness");
    let start = Instant::now();
    while start.elapsed() < limit {
        if child.try_wait().expect("wait").is_some() {
            return Some(child.wait_with_output().expect("its output"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[cfg(unix)]
#[test]
fn a_fifo_as_data_is_refused_without_opening_it() {
    let d = scratch("fifo");
    let fifo = d.join("data.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("run mkfifo");
    assert!(made.success());
    let link = d.join("link.csv");
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    let out = d.join("out");
    for data in [&fifo, &link] {
        // Opening a FIFO with no writer would block for ever (and ignore Ctrl-C).
        let o = harness_within(&tiny_csv(s(&out), s(data)), Duration::from_secs(60))
            .unwrap_or_else(|| panic!("--data {}: still blocked after 60 s", data.display()));
        let line = one_short_line(&o, 1000);
        assert!(
            line.contains("--data") && line.contains("a named pipe (FIFO), not a regular file"),
            "{line}"
        );
    }
    // Nor a device.
    let o = harness_within(&tiny_csv(s(&out), "/dev/zero"), Duration::from_secs(60)).expect("it ends");
    let line = one_short_line(&o, 1000);
    assert!(line.contains("a device, not a regular file"), "{line}");
    assert!(!out.exists());
}
