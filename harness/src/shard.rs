//! Shards: a study (or `claims`) is a list of independent runs in a fixed,
//! documented order; `--shard I/N` trains only shard I's runs, so that N
//! processes — the tasks of a Slurm job array, the pods of a Kubernetes
//! Indexed Job — share a sweep, and `harness merge` puts their folders
//! together.
//!
//! **Assignment.** Each run has an expected cost ([`run_cost`]). Runs are
//! taken from the most to the least costly (ties in run order) and each goes
//! to the shard with the least cost so far (ties to the lowest index): the
//! longest-processing-time rule, which keeps every shard within 4/3 of the
//! best possible balance. When every run costs the same it deals them out
//! in turn (run k to shard k mod N). The assignment depends only on the
//! runs' costs and N, so every task computes the same one on its own.

use crate::error::{Error, Result, listing, quote, quote_at_most, quote_path};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One shard of N: shard `index` (from 0) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// This shard, from 0.
    pub index: usize,
    /// How many shards share the runs.
    pub count: usize,
}

/// The most shards a sweep may be split into.
pub const MAX_SHARDS: usize = 1_000_000;

impl Shard {
    /// The whole sweep in one process.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses `I/N` (0 ≤ I < N), `auto` (Slurm job arrays: I = the task's
    /// position in the array, N = `SLURM_ARRAY_TASK_COUNT`) or `auto/N`
    /// (Kubernetes Indexed Jobs: I = `JOB_COMPLETION_INDEX`, or Slurm's when
    /// that is unset). `env` reads an environment variable.
    ///
    /// A Slurm array must be a regular range, `--array=A-B` or `--array=A-B:S`
    /// (with or without `%M`): the position of task `SLURM_ARRAY_TASK_ID` is
    /// (ID − `SLURM_ARRAY_TASK_MIN`) / `SLURM_ARRAY_TASK_STEP` (a step of 1
    /// when unset), which must be whole and below the count, and when Slurm
    /// sets `SLURM_ARRAY_TASK_MAX`, MAX − MIN must be STEP × (COUNT − 1). Any
    /// other array (`--array=1,2,5`) is refused with a message naming the
    /// syntax that works: the variables do not tell a task's position there.
    ///
    /// # Errors
    /// A message (without the flag's name) when the text or the
    /// environment does not give a valid shard.
    pub fn parse(text: &str, env: &dyn Fn(&str) -> Option<String>) -> std::result::Result<Shard, String> {
        let number = |what: &str, s: &str| -> std::result::Result<usize, String> {
            let t = s.trim();
            t.parse::<usize>().map_err(|_| {
                let digits = t.strip_prefix('+').unwrap_or(t);
                let why = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                    format!("is too large (at most {})", usize::MAX)
                } else {
                    "is not a whole number".to_string()
                };
                format!("{what} `{}` {why}", crate::error::quote(s))
            })
        };
        let var = |name: &str| -> std::result::Result<Option<usize>, String> {
            env(name).map(|v| number(name, &v)).transpose()
        };
        let slurm = || -> std::result::Result<Option<(usize, usize)>, String> {
            let (Some(id), Some(count)) = (var("SLURM_ARRAY_TASK_ID")?, var("SLURM_ARRAY_TASK_COUNT")?)
            else {
                return Ok(None);
            };
            let min = var("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let step = var("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1);
            let max = var("SLURM_ARRAY_TASK_MAX")?;
            let offset = id
                .checked_sub(min)
                .ok_or_else(|| format!("SLURM_ARRAY_TASK_ID {id} is below SLURM_ARRAY_TASK_MIN {min}"))?;
            // A regular range MIN, MIN + STEP, … MAX of COUNT tasks; this task's position in it.
            let span = step.checked_mul(count.saturating_sub(1));
            let regular =
                step > 0 && max.is_none_or(|max| max.checked_sub(min).is_some_and(|d| Some(d) == span));
            let index = (step > 0 && offset % step == 0).then(|| offset / step);
            match index {
                Some(index) if regular && index < count => Ok(Some((index, count))),
                _ => Err(format!(
                    "task {id} of a Slurm array (SLURM_ARRAY_TASK_MIN {min}, SLURM_ARRAY_TASK_MAX {}, SLURM_ARRAY_TASK_STEP {step}, SLURM_ARRAY_TASK_COUNT {count}) that is not a regular range: `auto` takes the shard from an array submitted as --array=0-N (or A-B, or A-B:S); for another array give I/N",
                    max.map_or_else(|| "unset".to_string(), |m| m.to_string())
                )),
            }
        };
        let (index, count) = match text.trim() {
            "auto" => slurm()?.ok_or(
                "`auto` needs a Slurm job array (SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT are not set); on Kubernetes give the count: auto/N",
            )?,
            t => {
                let (i, n) = t.split_once('/').ok_or_else(|| {
                    format!("`{}`: expected I/N (e.g. 0/4), auto or auto/N", crate::error::quote(t))
                })?;
                let n = number("the shard count", n)?;
                if i.trim() == "auto" {
                    match var("JOB_COMPLETION_INDEX")? {
                        Some(i) => (i, n),
                        None => match slurm()? {
                            Some((i, count)) if count == n => (i, n),
                            Some((_, count)) => {
                                return Err(format!(
                                    "auto/{n}, but the Slurm job array has {count} tasks"
                                ));
                            }
                            None => {
                                return Err(format!(
                                    "auto/{n} needs JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or a Slurm job array; neither is set"
                                ));
                            }
                        },
                    }
                } else {
                    (number("the shard index", i)?, n)
                }
            }
        };
        if count == 0 || count > MAX_SHARDS {
            return Err(format!("{count} shards: give 1 to {MAX_SHARDS}"));
        }
        if index >= count {
            return Err(format!(
                "shard {index} of {count}: shards count from 0, so the index must be below {count}"
            ));
        }
        Ok(Shard { index, count })
    }

    /// The runs (indices into `costs`, in run order) of this shard.
    pub fn runs(&self, costs: &[u64]) -> Vec<usize> {
        let owner = assign(costs, self.count);
        (0..costs.len()).filter(|&k| owner[k] == self.index).collect()
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The shard (from 0) of every run, by the longest-processing-time rule
/// (see the module's documentation).
pub fn assign(costs: &[u64], count: usize) -> Vec<usize> {
    let count = count.max(1);
    let mut order: Vec<usize> = (0..costs.len()).collect();
    order.sort_by(|&a, &b| costs[b].cmp(&costs[a]).then(a.cmp(&b)));
    // Loads as (cost, shard) in a min-heap: the least loaded, lowest shard first.
    let mut heap: std::collections::BinaryHeap<std::cmp::Reverse<(u128, usize)>> =
        (0..count.min(costs.len().max(1))).map(|s| std::cmp::Reverse((0, s))).collect();
    let mut owner = vec![0; costs.len()];
    for k in order {
        let std::cmp::Reverse((load, s)) = heap.pop().expect("at least one shard");
        owner[k] = s;
        heap.push(std::cmp::Reverse((load + u128::from(costs[k]), s)));
    }
    owner
}

/// The expected cost of a run: epochs × samples (training and validation) ×
/// parameters — proportional to its floating-point operations, which for
/// dense layers are about 6 per parameter and training sample (forward and
/// backward) and 2 per parameter and validation sample.
pub fn run_cost(epochs: usize, train_samples: usize, val_samples: usize, parameters: usize) -> u64 {
    let per_epoch = (3 * train_samples as u128 + val_samples as u128) * parameters as u128;
    u64::try_from(per_epoch * epochs as u128).unwrap_or(u64::MAX)
}

/// The name of a shard's file.
pub const SHARD_FILE: &str = crate::layout::SHARD;

/// The most bytes a shard's `shard.json` may have (a million run ids of 100 bytes).
pub const MAX_SHARD_FILE_BYTES: u64 = 128 << 20;

/// The most bytes a sweep's identity file (`config.json`, `plan.json`) may have.
const MAX_IDENTITY_BYTES: u64 = crate::config_file::MAX_CONFIG_BYTES;

/// `shard.json`: written into a shard's folder before its first run; lists
/// the runs the shard owns. A run is done when its record is there and
/// whole ([`crate::record`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardFile {
    /// The file's format version (1).
    pub schema_version: u32,
    /// `study` or `claims`.
    pub kind: String,
    /// The harness's version.
    pub harness_version: String,
    /// This shard, from 0.
    pub shard: usize,
    /// Of how many.
    pub of: usize,
    /// The runs of this shard (their ids, in run order).
    pub runs: Vec<String>,
}

impl ShardFile {
    /// The file of shard `shard` of a `kind` sweep owning `runs`.
    pub fn new(kind: &str, shard: Shard, runs: Vec<String>) -> ShardFile {
        ShardFile {
            schema_version: 1,
            kind: kind.into(),
            harness_version: env!("CARGO_PKG_VERSION").into(),
            shard: shard.index,
            of: shard.count,
            runs,
        }
    }

    /// Reads `dir/shard.json`.
    ///
    /// # Errors
    /// When it is missing, malformed, from another harness version, or lists
    /// a run more than once.
    pub fn read(dir: &std::path::Path) -> Result<ShardFile> {
        let path = dir.join(SHARD_FILE);
        if !path.exists() {
            return Err(Error::results(&path, "missing: not a shard's folder (one made by a sharded run)"));
        }
        let bytes = crate::output::read_bounded(&path, MAX_SHARD_FILE_BYTES)?;
        let file: ShardFile = serde_json::from_slice(&bytes).map_err(|e| {
            Error::results(&path, quote_at_most(&e.to_string(), crate::error::MAX_PATH_QUOTE))
        })?;
        if file.schema_version != 1 {
            return Err(Error::results(
                &path,
                format!("schema_version {} (this harness reads 1)", file.schema_version),
            ));
        }
        if file.harness_version != env!("CARGO_PKG_VERSION") {
            return Err(Error::results(
                &path,
                format!(
                    "written by harness {}, this is {}: merge with the version that ran the shards",
                    quote(&file.harness_version),
                    env!("CARGO_PKG_VERSION")
                ),
            ));
        }
        let mut seen = std::collections::HashMap::new();
        for id in &file.runs {
            *seen.entry(id.as_str()).or_insert(0usize) += 1;
        }
        if let Some((id, n)) =
            file.runs.iter().find_map(|id| Some((id, seen[id.as_str()])).filter(|p| p.1 > 1))
        {
            return Err(Error::results(
                &path,
                format!("lists run {} {n} times: a shard lists each of its runs once", quote(id)),
            ));
        }
        Ok(file)
    }

    /// Writes it into `dir` (atomically).
    ///
    /// # Errors
    /// When it cannot be written.
    pub fn write(&self, dir: &std::path::Path) -> Result<()> {
        let json = serde_json::to_string_pretty(self).expect("plain data") + "\n";
        crate::output::write_atomic(&dir.join(SHARD_FILE), json.as_bytes())
    }
}

/// Reads the `shard.json` of every folder in `dirs` and checks that they
/// hold one sweep of `kind`: every shard of that kind, and the same
/// `identity` file (`config.json`, `plan.json`) in each, byte for byte.
/// Returns the shard files and the identity's bytes.
///
/// # Errors
/// A folder that is not a shard, a shard of another kind or harness
/// version, an identity file that differs.
pub fn read_shards(dirs: &[PathBuf], kind: &str, identity: &str) -> Result<(Vec<ShardFile>, Vec<u8>)> {
    let plural = if kind == "study" { "studies" } else { "claims runs" };
    let files = dirs.iter().map(|d| ShardFile::read(d)).collect::<Result<Vec<_>>>()?;
    let read = |d: &Path| crate::output::read_bounded(&d.join(identity), MAX_IDENTITY_BYTES);
    let first = read(&dirs[0])?;
    for (d, f) in dirs.iter().zip(&files) {
        if f.kind != kind {
            return Err(Error::results(
                d.join(SHARD_FILE),
                format!("a `{}` shard among {kind} shards", quote(&f.kind)),
            ));
        }
        if read(d)? != first {
            return Err(Error::results(
                d.join(identity),
                format!(
                    "differs from {}: the shards are of different {plural}",
                    quote_path(&dirs[0].join(identity))
                ),
            ));
        }
    }
    Ok((files, first))
}

/// The folder (an index into `dirs`) each run of `ids` (in run order)
/// comes from: the one shard whose `shard.json` lists it, where it must be
/// done (`done(run, folder)`: why not).
///
/// # Errors
/// Naming the runs the shards list that are not the sweep's, and the runs
/// in more than one shard, in none, or not finished.
pub fn sources(
    dirs: &[PathBuf],
    files: &[ShardFile],
    ids: &[String],
    done: impl Fn(usize, &Path) -> std::result::Result<(), String>,
) -> Result<Vec<usize>> {
    // Each run's folders, each once (a folder that lists a run twice is still one folder).
    let mut owners: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (k, f) in files.iter().enumerate() {
        for id in &f.runs {
            let ks = owners.entry(id.as_str()).or_default();
            if ks.last() != Some(&k) {
                ks.push(k);
            }
        }
    }
    let known: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    let (mut missing, mut duplicated, mut unfinished, mut source) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    // The shard of the first unfinished run: the error names its folder, not the first shard's.
    let mut unfinished_in = None;
    for (run, id) in ids.iter().enumerate() {
        match owners.get(id.as_str()).map(Vec::as_slice) {
            None | Some([]) => missing.push(quote(id)),
            Some([k]) => {
                if let Err(why) = done(run, &dirs[*k]) {
                    unfinished_in.get_or_insert(*k);
                    unfinished.push(format!(
                        "{} in {} ({})",
                        quote(id),
                        quote_path(&dirs[*k]),
                        quote_at_most(&why, crate::error::MAX_PATH_QUOTE)
                    ));
                }
                source.push(*k);
            }
            Some(ks) => duplicated.push(format!(
                "{} (in {})",
                quote(id),
                listing(&ks.iter().map(|&k| quote_path(&dirs[k])).collect::<Vec<_>>())
            )),
        }
    }
    let strangers: Vec<String> =
        owners.keys().filter(|id| !known.contains(*id)).map(|id| quote(id)).collect();
    let fail = |what: String| Err(Error::results(&dirs[0], what));
    if !strangers.is_empty() {
        return fail(format!("shards list runs that are not the sweep's: {}", listing(&strangers)));
    }
    if !duplicated.is_empty() {
        return fail(format!(
            "{} runs are in more than one shard: {}",
            duplicated.len(),
            listing(&duplicated)
        ));
    }
    if !missing.is_empty() {
        return fail(format!(
            "{} of {} runs are in no shard given: {} (give every shard's folder)",
            missing.len(),
            ids.len(),
            listing(&missing)
        ));
    }
    if let Some(k) = unfinished_in {
        return Err(Error::results(
            &dirs[k],
            format!(
                "{} runs are not finished: {} (rerun their shard: it resumes)",
                unfinished.len(),
                listing(&unfinished)
            ),
        ));
    }
    Ok(source)
}

/// One line per shard folder: its shard (`I/N`) and how many runs it gave.
pub fn provenance(dirs: &[PathBuf], files: &[ShardFile], source: &[usize]) -> String {
    let mut counts = vec![0; dirs.len()];
    for &k in source {
        counts[k] += 1;
    }
    dirs.iter()
        .zip(files)
        .zip(counts)
        .map(|((d, f), n)| format!("  shard {}/{}: {n} runs from {}\n", f.shard, f.of, quote_path(d)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn shards_parse_from_text_and_environment() {
        let none = env(&[]);
        assert_eq!(Shard::parse("2/7", &none), Ok(Shard { index: 2, count: 7 }));
        assert!(Shard::parse("7/7", &none).unwrap_err().contains("below 7"));
        assert!(Shard::parse("0/0", &none).is_err());
        assert!(Shard::parse("1", &none).is_err());
        assert!(Shard::parse("a/3", &none).is_err());
        assert!(Shard::parse("auto", &none).unwrap_err().contains("Slurm"));
        assert!(Shard::parse("auto/4", &none).unwrap_err().contains("JOB_COMPLETION_INDEX"));
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "2"),
        ]);
        assert_eq!(Shard::parse("auto", &slurm), Ok(Shard { index: 3, count: 4 }));
        assert_eq!(Shard::parse("auto/4", &slurm), Ok(Shard { index: 3, count: 4 }));
        assert!(Shard::parse("auto/5", &slurm).unwrap_err().contains("4 tasks"));
        let k8s = env(&[("JOB_COMPLETION_INDEX", "6")]);
        assert_eq!(Shard::parse("auto/8", &k8s), Ok(Shard { index: 6, count: 8 }));
        assert!(Shard::parse("auto/6", &k8s).is_err());
        assert!(
            Shard::parse("auto", &env(&[("SLURM_ARRAY_TASK_ID", "x"), ("SLURM_ARRAY_TASK_COUNT", "2")]))
                .is_err()
        );
    }

    /// Issue 29, item 15: Slurm arrays with a step are their tasks' positions; arrays whose
    /// positions the variables do not give are refused, naming the syntax that works.
    #[test]
    fn slurm_arrays_with_a_step_and_sparse_arrays() {
        let array = |id: &str, min: &str, max: Option<&str>, step: Option<&str>, count: &str| {
            let mut vars = vec![
                ("SLURM_ARRAY_TASK_ID", id.to_string()),
                ("SLURM_ARRAY_TASK_MIN", min.to_string()),
                ("SLURM_ARRAY_TASK_COUNT", count.to_string()),
            ];
            vars.extend(max.map(|m| ("SLURM_ARRAY_TASK_MAX", m.to_string())));
            vars.extend(step.map(|s| ("SLURM_ARRAY_TASK_STEP", s.to_string())));
            move |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone())
        };
        // --array=0-6:3: tasks 0, 3, 6 are shards 0, 1, 2 of 3.
        for (id, index) in [("0", 0), ("3", 1), ("6", 2)] {
            let env = array(id, "0", Some("6"), Some("3"), "3");
            assert_eq!(Shard::parse("auto", &env), Ok(Shard { index, count: 3 }), "task {id}");
            assert_eq!(Shard::parse("auto/3", &env), Ok(Shard { index, count: 3 }), "task {id}");
        }
        // --array=4-12:4 (tasks 4, 8, 12), with or without MAX.
        assert_eq!(
            Shard::parse("auto", &array("12", "4", Some("12"), Some("4"), "3")),
            Ok(Shard { index: 2, count: 3 })
        );
        assert_eq!(
            Shard::parse("auto", &array("8", "4", None, Some("4"), "3")),
            Ok(Shard { index: 1, count: 3 })
        );
        // --array=1,5 as a range with step 4 is the same thing.
        assert_eq!(
            Shard::parse("auto", &array("5", "1", Some("5"), Some("4"), "2")),
            Ok(Shard { index: 1, count: 2 })
        );
        // Sparse arrays whose positions the variables do not give: refused, naming --array=0-N.
        for env in [
            array("5", "1", Some("5"), Some("1"), "2"), // --array=1,5 reported with step 1
            array("5", "1", Some("5"), None, "2"),
            array("2", "1", Some("5"), Some("1"), "3"), // --array=1,2,5
            array("6", "0", None, None, "3"),           // a step Slurm did not report
            array("4", "0", Some("6"), Some("3"), "3"), // not a task of 0-6:3
            array("3", "0", Some("6"), Some("0"), "3"),
        ] {
            for text in ["auto", "auto/3", "auto/2"] {
                let e = Shard::parse(text, &env).unwrap_err();
                assert!(e.contains("--array=0-N") && !e.contains("shard 6 of 3"), "{text}: {e}");
            }
        }
        // The plain whole array is unchanged, with or without MAX and STEP.
        assert_eq!(
            Shard::parse("auto", &array("9", "0", Some("9"), Some("1"), "10")),
            Ok(Shard { index: 9, count: 10 })
        );
        assert_eq!(Shard::parse("auto", &array("3", "1", None, None, "4")), Ok(Shard { index: 2, count: 4 }));
    }

    /// Issue 29, item 16: a number too large for the platform is called that.
    #[test]
    fn too_large_numbers_are_called_too_large() {
        let none = env(&[]);
        let e = Shard::parse("0/18446744073709551616", &none).unwrap_err();
        assert!(e.contains("the shard count `18446744073709551616` is too large"), "{e}");
        let e = Shard::parse("18446744073709551616/4", &none).unwrap_err();
        assert!(e.contains("too large") && !e.contains("whole number"), "{e}");
        let big = env(&[("SLURM_ARRAY_TASK_ID", "99999999999999999999999"), ("SLURM_ARRAY_TASK_COUNT", "2")]);
        assert!(
            Shard::parse("auto", &big)
                .unwrap_err()
                .contains("SLURM_ARRAY_TASK_ID `99999999999999999999999` is too large")
        );
        for not_a_number in ["-1", "1e3", "0x10", "", "+"] {
            let e = Shard::parse(&format!("0/{not_a_number}"), &none).unwrap_err();
            assert!(e.contains("is not a whole number"), "{not_a_number}: {e}");
        }
    }

    /// Issue 29, items 9 and 10: a shard file that lists one run a million times, and
    /// folders whose names hold control characters, give one short line.
    #[test]
    fn merge_messages_are_short_and_escaped() {
        let dir = std::env::temp_dir().join(format!("harness-shard-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let a = dir.join("l5\u{1b}[2J");
        std::fs::create_dir_all(&a).unwrap();
        let file = ShardFile::new("study", Shard { index: 0, count: 2 }, vec!["he/seed-0".into(); 1_000_000]);
        file.write(&a).unwrap();
        let e = ShardFile::read(&a).unwrap_err().to_string();
        assert!(e.contains("lists run he/seed-0 1000000 times"), "{e}");
        assert!(e.contains("l5\\u{1b}[2J") && !e.contains('\u{1b}'), "{e}");
        assert!(e.len() < 300, "{} bytes", e.len());
        // Through `sources`: each folder once, at most a few of them, names escaped.
        let dirs: Vec<PathBuf> = (0..40).map(|k| dir.join(format!("s{k}\n"))).collect();
        let files: Vec<ShardFile> = (0..40)
            .map(|k| ShardFile::new("study", Shard { index: k, count: 40 }, vec!["r".into(); 1000]))
            .collect();
        let e = sources(&dirs, &files, &["r".to_string()], |_, _| Ok(())).unwrap_err().to_string();
        assert!(e.contains("1 runs are in more than one shard: r (in "), "{e}");
        assert!(e.contains("and 30 more") && !e.contains('\n'), "{e}");
        // Eleven folder names (the first names the error) and a few words.
        assert!(e.len() < 11 * (dir.as_os_str().len() + 8) + 100, "{} bytes: {e}", e.len());
        // Run ids the shards list that are not the sweep's: quoted and capped.
        let strange = ShardFile::new("study", Shard { index: 0, count: 1 }, vec!["\u{7}x".repeat(500)]);
        let e = sources(&dirs[..1], &[strange], &[], |_, _| Ok(())).unwrap_err().to_string();
        assert!(!e.contains('\u{7}') && e.contains("bytes in all"), "{e}");
        assert!(e.len() < 300, "{} bytes: {e}", e.len());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_assignment_is_balanced_and_covers_every_run_once() {
        // Equal costs: dealt out in turn.
        assert_eq!(assign(&[1; 7], 3), [0, 1, 2, 0, 1, 2, 0]);
        // A costly run gets a shard of its own.
        let costs = [8, 1, 1, 1, 1, 1, 1, 1, 1];
        let owner = assign(&costs, 2);
        assert_eq!(owner[0], 0);
        assert!(owner[1..].iter().all(|&s| s == 1));
        // Every run in exactly one shard, and the loads within 4/3 of the best.
        let costs: Vec<u64> = (0..97).map(|k| 1 + (k * 7919 % 16)).collect();
        for n in [1, 2, 3, 7, 50, 200] {
            let owner = assign(&costs, n);
            let mut load = vec![0u64; n];
            for (k, &s) in owner.iter().enumerate() {
                load[s] += costs[k];
            }
            let total: u64 = costs.iter().sum();
            let best = (total.div_ceil(n as u64)).max(*costs.iter().max().unwrap());
            assert!(*load.iter().max().unwrap() * 3 <= best * 4, "n = {n}: {load:?}");
            let mine: usize = (0..n).map(|i| Shard { index: i, count: n }.runs(&costs).len()).sum();
            assert_eq!(mine, costs.len());
        }
    }
}
