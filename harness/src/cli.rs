//! The command line: flags (clap), their mapping onto the library's typed configuration, and
//! the library's errors as one line naming the flag (exit code 2).

use clap::Parser;
use harness::config::{self as study, DataSource, Embedding, StudyConfig};
use harness::csv_data::{self, Columns, Table};
use harness::error::{Error, quote};
use harness::inits;
use harness::pipeline::Study;
use harness::report::LossScale;
use harness::synthetic::DatasetSpec;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use saorsa_nn::{Normalization, Shape};
use std::io::{IsTerminal, Write as _};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

/// Reproduces the weight-initialization study of "Why Weight Initialization
/// Still Matters" on saorsa-nn: a 2→64→64→64→2 ReLU network trained with
/// Adam on two moons, compared across initializers and model seeds — and
/// the same study on any dense ReLU network and data set.
///
/// With no arguments it runs the paper's study and writes every table,
/// figure and an HTML report under results/.
#[derive(Parser, Debug)]
#[command(
    name = "harness",
    version,
    max_term_width = 100,
    allow_negative_numbers = true,
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Something other than running a study.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Initializers to compare, comma-separated: small (std 0.01), glorot,
    /// he, lecun, glorot_uniform, he_uniform, glorot_truncated,
    /// he_truncated, lecun_truncated. One entry may set layers apart:
    /// `he@1=glorot` is He on every dense layer but Glorot on layer 1 (the
    /// first, counted from 1); `he@1=glorot@4=small` sets two.
    #[arg(long, default_value = "small,glorot,he", value_name = "LIST")]
    pub inits: String,

    /// The network's layer widths, inputs first and classes last, e.g.
    /// 2-128-64-32-3: 1 to 64 dense layers, widths 1 to 4096, ReLU after
    /// every hidden layer. The first width must be the data's features
    /// (--input-dim when given) and the last its classes [default: the
    /// paper's hidden layers 64-64-64 between them; 2-64-64-64-2 for two
    /// moons].
    #[arg(long, value_name = "WIDTHS")]
    pub arch: Option<String>,

    /// The hidden layers' widths only, as PyTorch and Keras users give them (64,64,64 or
    /// 64-64-64): the inputs and classes are taken from the data.
    #[arg(long, value_name = "WIDTHS", conflicts_with = "arch")]
    pub hidden: Option<String>,

    /// Layer normalization between each hidden layer and its ReLU (learnable
    /// gain and shift per unit; see the core's `Normalization::LayerNorm`).
    #[arg(long)]
    pub layer_norm: bool,

    /// The generated data set: moons, circles, spirals:K, xor or blobs:K,
    /// with parameters after a colon, e.g. moons:noise=0.3,
    /// circles:factor=0.5,noise=0.1, spirals:3,noise=0.2,
    /// blobs:4,dims=10,std=1.5.
    #[arg(
        long,
        default_value = "moons",
        value_name = "SPEC",
        conflicts_with = "data",
        long_help = harness::synthetic::SYNTAX_HELP
    )]
    pub dataset: String,

    /// Embed the data into D dimensions: a seeded random rotation of the
    /// features padded with zeros (and --noise-dims pure-noise dimensions
    /// among the D). The task stays exactly as hard; only the first
    /// layer's fan-in changes.
    #[arg(long, value_name = "D")]
    pub input_dim: Option<usize>,

    /// Of the --input-dim dimensions, how many are pure noise (standard
    /// normal, independent of the label).
    #[arg(long, default_value_t = 0, value_name = "N", requires = "input_dim")]
    pub noise_dims: usize,

    /// Model seeds: a count N (seeds 0..N-1), a list "0,3,7" or a range
    /// "10..20" (end exclusive).
    #[arg(short, long, default_value = "10", value_name = "SEEDS")]
    pub seeds: String,

    /// Training epochs per run.
    #[arg(short, long, default_value_t = 250)]
    pub epochs: usize,

    /// Adam's learning rate (β1 0.9, β2 0.999, ε 1e-7 as in the paper's framework).
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,

    /// Samples per optimizer step [default: full batch, one step per epoch].
    #[arg(long, value_name = "N")]
    pub batch_size: Option<usize>,

    /// Number of samples to generate.
    #[arg(long, default_value_t = 1200, conflicts_with = "data")]
    pub samples: usize,

    /// Standard deviation of the two-moons noise [default: 0.18] (for the
    /// other data sets, give it in --dataset).
    #[arg(long, conflicts_with = "data")]
    pub noise: Option<f64>,

    /// Seed of the data generator and of the train/validation split.
    #[arg(long, default_value_t = 1)]
    pub data_seed: u64,

    /// Fraction of the samples held out for validation.
    #[arg(long, default_value_t = 0.25)]
    pub val_ratio: f64,

    /// Your own data instead of a generated set: a CSV file with a header row. The labels are
    /// the column `label` (or --label-column); the features are the columns x1, x2, … xD (or
    /// x0, x1, …) when the header numbers them so, else every other column whose first row
    /// holds a number, in the file's order (or --feature-columns).
    #[arg(long, value_name = "FILE.csv", long_help = DATA_HELP)]
    pub data: Option<PathBuf>,

    /// The column of --data that holds the labels [default: label]: integers 0 to K−1 (1.0
    /// counts as 1), or class names, numbered 0 to K−1 in sorted order (printed, and kept in
    /// config.json).
    #[arg(long, value_name = "NAME", requires = "data")]
    pub label_column: Option<String>,

    /// The columns of --data that are the features, comma-separated, in the network's input
    /// order, e.g. sepal_length,petal_length [default: see --data]. The others are ignored.
    #[arg(long, value_name = "A,B,…", requires = "data")]
    pub feature_columns: Option<String>,

    /// Rerun the study that a results folder's config.json records, byte for byte: the same
    /// data, network, initializers, seeds and training (no other study option is given).
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = [
            "inits", "arch", "hidden", "layer_norm", "dataset", "input_dim", "noise_dims", "seeds", "epochs",
            "lr", "batch_size", "samples", "noise", "data_seed", "val_ratio", "data", "label_column",
            "feature_columns"
        ]
    )]
    pub config: Option<PathBuf>,

    /// Output directory.
    #[arg(short, long, default_value = "results", value_name = "DIR")]
    pub out: PathBuf,

    /// Replace the results of another study (or files the harness did not write, which are
    /// then left untouched) in --out. Without it such a folder is refused; the same study
    /// resumes there.
    #[arg(long)]
    pub force: bool,

    /// Worker threads [default: the number of CPUs; at most 4 per CPU and
    /// one per run]. Results are identical for every value.
    #[arg(short = 'j', long)]
    pub threads: Option<usize>,

    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,

    /// Figure 6: one colour scale per layer shared by every initializer
    /// (default: one per layer and initializer).
    #[arg(long)]
    pub shared_scale: bool,

    /// Figure 3b's y axis: the training loss on a log or a linear scale.
    #[arg(long, value_enum, default_value_t = LossScale::Log)]
    pub loss_scale: LossScale,

    /// Train and write the tables and the summary, but no figures or report (faster, as on a
    /// cluster); `harness report --from DIR` draws them later, the same bytes as a study that
    /// drew them.
    #[arg(long, conflicts_with_all = ["shared_scale", "loss_scale"])]
    pub no_report: bool,

    /// Train only shard I of N (I from 0) of the study's runs into --out, to
    /// be put together by `harness merge`: `I/N`, `auto` (a Slurm job array:
    /// the task's index and count) or `auto/N` (a Kubernetes Indexed Job:
    /// JOB_COMPLETION_INDEX). Rerunning a shard (or an interrupted study)
    /// into the same folder trains only the runs it has not finished.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
}

/// The subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Redraws a results folder's summary, figures and report from its files
    /// alone (no training): byte-identical to what the study wrote.
    Report {
        /// The results folder (a study's --out).
        #[arg(value_name = "DIR", required_unless_present = "from", conflicts_with = "from")]
        dir: Option<PathBuf>,

        /// The results folder, as a flag (the same as DIR).
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,

        /// Figure 6: one colour scale per layer shared by every initializer
        /// [default: as the folder's figures were drawn, see figures.json].
        #[arg(long, conflicts_with = "per_init_scale")]
        shared_scale: bool,

        /// Figure 6: one colour scale per layer and initializer [default: as
        /// the folder's figures were drawn].
        #[arg(long)]
        per_init_scale: bool,

        /// Figure 3b's y axis [default: as the folder's figures were drawn,
        /// else log].
        #[arg(long, value_enum)]
        loss_scale: Option<LossScale>,

        /// Threads that render figures [default: the number of CPUs]. The
        /// files are identical for every value.
        #[arg(short = 'j', long)]
        threads: Option<usize>,
    },
    /// Tests every checkable claim of the paper with pre-registered paired
    /// statistics and writes claims.md, claims.json, runs.csv, epochs.csv,
    /// a figure per claim and claims.html.
    Claims {
        /// Output folder.
        #[arg(short, long, default_value = "results/claims", value_name = "DIR")]
        out: PathBuf,
        /// A reduced run (fewer seeds, levels and epochs) for CI.
        #[arg(long, conflicts_with = "extended")]
        quick: bool,
        /// The full run with the width sweep extended to 256 and 512 (about
        /// 20 minutes on 2 cores; with --shard, on a cluster).
        #[arg(long)]
        extended: bool,
        /// Which registration of the claims to test: v2, the second (seed-respecting sweeps,
        /// exact one-sided tests, measures that match each sentence, fresh seeds), or v1, the
        /// first, kept exactly as registered (its files byte for byte as it always wrote them).
        #[arg(long, value_enum, default_value_t = harness::claims::Registry::V2)]
        registry: harness::claims::Registry,
        /// Worker threads [default: the number of CPUs]. Results are identical for every value.
        #[arg(short = 'j', long)]
        threads: Option<usize>,
        /// No progress bar.
        #[arg(short, long)]
        quiet: bool,
        /// Replace other results in --out (see the study's --force).
        #[arg(long)]
        force: bool,
        /// Run only shard I of N (I from 0) of the claims' runs, as for a study:
        /// `I/N`, `auto` or `auto/N`; put them together with `harness merge`.
        #[arg(long, value_name = "I/N")]
        shard: Option<String>,
    },
    /// Puts shards together: checks that the folders hold one study (or one
    /// `claims` run) between them — the same configuration, every run
    /// finished in exactly one — and writes the complete results into --out,
    /// byte-identical to the same study run in one process.
    Merge {
        /// Where the complete results go (not one of the shards' folders).
        #[arg(short, long, value_name = "DIR")]
        out: PathBuf,
        /// The shards' folders.
        #[arg(required = true, value_name = "SHARD_DIR")]
        shards: Vec<PathBuf>,
        /// Worker threads for figure 6's retraining [default: the number of CPUs].
        #[arg(short = 'j', long)]
        threads: Option<usize>,
        /// Replace other results in --out (see the study's --force).
        #[arg(long)]
        force: bool,
        /// Figure 6: one colour scale per layer shared by every initializer [default: as the
        /// shards were run, see their figures.json; a contradiction is refused].
        #[arg(long, conflicts_with = "per_init_scale")]
        shared_scale: bool,
        /// Figure 6: one colour scale per layer and initializer [default: as the shards were
        /// run].
        #[arg(long)]
        per_init_scale: bool,
        /// Figure 3b's y axis: the training loss on a log or a linear scale [default: as the
        /// shards were run, else log].
        #[arg(long, value_enum)]
        loss_scale: Option<LossScale>,
    },
}

/// The shard a `--shard` value names (environment variables for `auto`);
/// `None` without one (the whole sweep, finished in this process).
pub fn shard(value: Option<&str>) -> Result<Option<harness::shard::Shard>, String> {
    value
        .map(|v| {
            harness::shard::Shard::parse(v, &|name| std::env::var(name).ok())
                .map_err(|m| format!("--shard {m}"))
        })
        .transpose()
}

/// The examples `--help` ends with.
pub const EXAMPLES: &str = "\
Examples:
  harness --arch 2-128-64-32-2 --inits glorot,he    another network
  harness --dataset spirals:3                       3 spirals (network 2-64-64-64-3)
  harness --input-dim 32 --noise-dims 8             moons rotated into 24 dims + 8 noise dims
  harness --inits he,he@1=glorot                    He, vs He with Glorot on layer 1
  harness --data iris.csv --label-column species    your own CSV (see --help for --data)
  harness --shard 0/4 --out shards/0                one of 4 shards (0..3), then:
  harness merge --out results shards/*              the complete study, as in one process";

/// `--data`'s long help.
pub const DATA_HELP: &str = "\
Your own data instead of a generated set: a CSV file with a header row (quoted fields, \\r\\n \
line ends, a byte-order mark and blank lines are fine; at most 64 MiB and 1,000,000 rows).

Labels: the column `label`, or the one --label-column names. Either every label is a number, \
an integer from 0 to K-1 with every class present (1.0 counts as 1), or every label is a class \
name (any text): the K names are sorted by their bytes and numbered 0 to K-1; the numbering is \
printed (one line on stderr) and kept in config.json.

Features: the columns --feature-columns names, in that order. Without it, the columns x1, x2, \
… xD (or x0, x1, …) in the order of their numbers when the header numbers its columns so (the \
layout the harness writes: other columns are ignored), else every column but the label whose \
value in the first row is a number, in the file's order. Every feature value must be a finite \
number.

Errors name the line and the column. config.json records the columns chosen, so that \
`harness --config DIR/config.json` reads the file the same way again.";

/// Parses `--seeds` ([`study::parse_seeds`]).
pub fn parse_seeds(s: &str) -> Result<Vec<u64>, String> {
    study::parse_seeds(s).map_err(|e| format!("--seeds {e}"))
}

/// Parses `--arch`: widths joined by `-`, e.g. `2-64-64-64-2`.
pub fn parse_arch(s: &str) -> Result<Vec<usize>, String> {
    s.split('-')
        .map(|w| {
            w.trim()
                .parse::<usize>()
                .map_err(|_| format!("--arch `{}`: expected widths like 2-64-64-64-2", quote(s)))
        })
        .collect()
}

/// Turns the parsed command line into a configuration and validates it
/// ([`StudyConfig::validate`]; its errors name fields, which [`message`] turns into flags), with
/// the line that says how `--data` was read ([`data_note`]) when it is worth saying.
///
/// # Errors
/// One line naming the flag that is wrong.
pub fn config_from(cli: &Cli) -> Result<(StudyConfig, Option<String>), String> {
    let inits = inits::parse_list(&cli.inits).map_err(|e| format!("--inits: {e}"))?;
    let seeds = parse_seeds(&cli.seeds)?;
    let batch_size = match cli.batch_size {
        None => None,
        Some(n) => Some(NonZeroUsize::new(n).ok_or("--batch-size must be at least 1")?),
    };
    if cli.threads == Some(0) {
        return Err("--threads must be at least 1".into());
    }
    let mut note = None;
    let source = match &cli.data {
        Some(path) => {
            let (source, table) = read_data(cli, path)?;
            note = (!table.is_own_layout()).then(|| data_note(path, &table));
            source
        }
        None => {
            let mut spec = harness::synthetic::parse(&cli.dataset).map_err(|e| format!("--dataset: {e}"))?;
            if let Some(noise) = cli.noise {
                match &mut spec {
                    DatasetSpec::Moons { noise: n } => *n = noise,
                    _ => {
                        return Err(
                            "--noise is for two moons; give other data sets' noise in --dataset".into()
                        );
                    }
                }
                spec.validate().map_err(|e| format!("--noise {}: {e}", harness::error::number(noise)))?;
            }
            DataSource::Generated { spec, samples: cli.samples }
        }
    };
    let embedding = cli.input_dim.map(|dims| Embedding { dims, noise_dims: cli.noise_dims, noise_std: 1.0 });
    let (inputs, classes) = (embedding.map_or(source.features(), |e| e.dims), source.classes());
    let widths = match (&cli.arch, &cli.hidden) {
        (Some(s), _) => parse_arch(s)?,
        (None, Some(h)) => {
            let mut w = vec![inputs];
            w.extend(
                parse_arch(&h.replace(',', "-"))
                    .map_err(|_| format!("--hidden `{}`: expected widths like 64,64,64", quote(h)))?,
            );
            w.push(classes);
            w
        }
        (None, None) => vec![inputs, 64, 64, 64, classes],
    };
    let norm = if cli.layer_norm { Normalization::LayerNorm } else { Normalization::None };
    let shape = Shape::new(&widths)
        .map_err(|e| format!("--arch {}: {e}", quote(cli.arch.as_deref().unwrap_or(""))))?
        .with_normalization(norm);
    let config = StudyConfig {
        source,
        embedding,
        data_seed: cli.data_seed,
        val_ratio: cli.val_ratio,
        shape,
        inits,
        seeds,
        epochs: cli.epochs,
        learning_rate: cli.lr,
        batch_size,
    };
    config.validate().map_err(|e| message(&e))?;
    Ok((config, note))
}

/// Reads `--data` with `--label-column` and `--feature-columns`.
fn read_data(cli: &Cli, path: &Path) -> Result<(DataSource, Table), String> {
    let shown = harness::error::quote_path(path);
    let bytes = harness::dataset::read_bounded(path).map_err(|e| format!("--data {shown}: {e}"))?;
    let features = match &cli.feature_columns {
        None => None,
        Some(list) => {
            let names: Vec<String> = list.split(',').map(|n| n.trim().to_string()).collect();
            if names.iter().any(String::is_empty) {
                return Err(format!("--feature-columns `{}`: an empty column name", quote(list)));
            }
            Some(names)
        }
    };
    let label = cli.label_column.as_ref().map(|n| n.trim().to_string());
    let table = csv_data::read(&bytes, &Columns { label, features }).map_err(|e| {
        // The default label column is missing: say how to name another.
        let header = csv_data::header_names(&bytes).unwrap_or_default();
        let hint = if cli.label_column.is_none() && !header.is_empty() && !header.iter().any(|n| n == "label")
        {
            "; name the label column with --label-column"
        } else {
            ""
        };
        format!("--data {shown}: {e}{hint}")
    })?;
    let source = DataSource::Csv {
        path: path.display().to_string(),
        data: table.data.clone(),
        columns: table.columns.clone(),
        class_names: table.class_names.clone(),
    };
    Ok((source, table))
}

/// The one line that says how `--data` was read, when it was not in the harness's own layout:
/// the label column with the class names' numbers, the features, the columns ignored.
pub fn data_note(path: &Path, table: &Table) -> String {
    let names = |v: &[String]| {
        harness::error::listing(&v.iter().map(|n| format!("`{}`", quote(n))).collect::<Vec<_>>())
    };
    let classes = match &table.class_names {
        Some(c) => {
            let numbered: Vec<String> =
                c.iter().enumerate().map(|(k, n)| format!("{k} = `{}`", quote(n))).collect();
            format!(", classes {} (kept in config.json)", harness::error::listing(&numbered))
        }
        None => format!(", classes 0 to {}", table.data.classes - 1),
    };
    let ignored = match table.ignored.is_empty() {
        true => String::new(),
        false => format!("; ignored {}", names(&table.ignored)),
    };
    format!(
        "--data {}: labels from column `{}`{classes}; features {}{ignored}",
        harness::error::quote_path(path),
        quote(&table.label),
        names(&table.features)
    )
}

/// The study the command line asks for: from `--config`, or from the flags (printing how
/// `--data` was read, one line on stderr, when it is not in the harness's own layout).
///
/// # Errors
/// One line naming the flag or file that is wrong.
pub fn study(cli: &Cli) -> Result<Study, Failure> {
    let out = cli.out.as_path();
    match &cli.config {
        Some(path) => Study::from_config_file(path).map_err(|e| failure(e, out)),
        None => {
            let (config, note) = config_from(cli)?;
            let study = Study::new(config).map_err(|e| failure(e, out))?;
            if let Some(note) = note {
                let _ = writeln!(std::io::stderr(), "{}", harness::error::one_line(&note));
            }
            Ok(study)
        }
    }
}

/// Worker threads for `--threads`: the number asked, else the number of
/// CPUs; at least 1 and at most [`THREADS_PER_CPU`] per CPU. Training is
/// CPU-bound: beyond a few threads per CPU, more only cost memory (a stack
/// and, with glibc, a 64 MiB malloc arena reservation each).
pub fn worker_threads(asked: Option<usize>) -> usize {
    let cpus = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    asked.unwrap_or(cpus).clamp(1, THREADS_PER_CPU * cpus)
}

/// The most worker threads per CPU that `--threads` starts.
pub const THREADS_PER_CPU: usize = 4;

/// The flag that sets a [`StudyConfig`] field (or another setting named in
/// an [`Error::Config`]).
pub fn flag_of(field: &str) -> String {
    match field {
        "source" => "--dataset".into(),
        "embedding" => "--input-dim".into(),
        "learning_rate" => "--lr".into(),
        "shape" => "--arch".into(),
        "shards" => "merge's shard folders:".into(),
        other => format!("--{}", other.replace('_', "-")),
    }
}

/// An error as the command line reports it: configuration errors name the
/// flag that set the value.
pub fn message(e: &Error) -> String {
    match e {
        Error::Config { field: "study", message } => message.clone(),
        Error::Config { field: "force", message } => {
            format!("{message}; give --force to replace them, or another --out")
        }
        Error::Config { field, message } => format!("{} {message}", flag_of(field)),
        other => other.to_string(),
    }
}

/// Why a command failed: a one-line error (exit 2), or Ctrl-C with the line to print (exit 130).
pub enum Failure {
    /// One line on stderr, exit code 2.
    Message(String),
    /// Ctrl-C: the line to print, exit code 130.
    Interrupted(String),
}

impl From<String> for Failure {
    fn from(m: String) -> Failure {
        Failure::Message(m)
    }
}

/// A library error as the command line reports it: Ctrl-C as what was kept, anything else as
/// one line naming the flag ([`message`]).
pub fn failure(e: Error, out: &Path) -> Failure {
    let shown = harness::folder::quote_path(out);
    let resume = || {
        Failure::Interrupted(format!(
            "interrupted: the runs that finished are kept in {shown}; run the same command again to resume"
        ))
    };
    match e {
        Error::Interrupted => resume(),
        Error::Stopped { kept_in: Some(store) } if store == out => resume(),
        Error::Stopped { kept_in: Some(staging) } => Failure::Interrupted(format!(
            "interrupted: {shown} was left as it was; the runs that finished are kept in {} and the same command resumes from them",
            harness::folder::quote_path(&staging)
        )),
        Error::Stopped { kept_in: None } => Failure::Interrupted(format!(
            "interrupted: {shown} was left as it was; run the same command again"
        )),
        other => Failure::Message(message(&other)),
    }
}

/// What a finished study prints: the summary's table and tests of spread, then how long
/// each phase took and where the report is (or how to draw it, after `--no-report`).
pub fn finished_text(
    finished: &harness::finish::Finished,
    outcome: &harness::pipeline::Outcome,
    config: &StudyConfig,
    out: &Path,
) -> String {
    let resumed = match outcome.trained.kept {
        0 => String::new(),
        kept => format!(" ({kept} runs found finished and kept)"),
    };
    let [tables, frames, rest] = finished.seconds;
    let (runs, epochs, threads) = (config.runs(), config.epochs, outcome.threads);
    let (train, total) = (outcome.train_seconds, outcome.total_seconds);
    let trained = format!(
        "\n{runs} runs × {epochs} epochs trained in {train:.2} s on {threads} thread(s){resumed}; total {total:.2} s"
    );
    let timing = match &finished.report {
        Some(report) => format!(
            "{trained} (then tables {tables:.2} s; figure 6's frames {frames:.2} s, alongside summary, figures and report {rest:.2} s).\nReport: {}",
            report.display()
        ),
        None => format!(
            "{trained} (then tables {tables:.2} s; summary {rest:.2} s).\nNo figures or report (--no-report): harness report --from {} draws them.",
            out.display()
        ),
    };
    format!("{}\n{}{timing}\n", finished.summary.table(), finished.summary.spread_text())
}

/// Prints `warnings` and one line per report item `skipped` (what, and why) to stderr.
pub fn notes(warnings: &[String], skipped: &[harness::report::Skipped]) {
    use std::io::Write as _;
    let mut err = std::io::stderr().lock();
    for w in warnings {
        let _ = writeln!(err, "{w}");
    }
    for s in skipped {
        let _ = writeln!(err, "note: {s}");
    }
}

/// A progress bar on stderr, hidden when quiet or not a terminal.
pub fn progress_bar(total: usize, quiet: bool, prefix: &str) -> ProgressBar {
    let bar = ProgressBar::new(total as u64);
    if quiet || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    } else {
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix} [{bar:40}] {pos}/{len} runs, {elapsed} elapsed, ETA {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_prefix(prefix.to_string());
    }
    bar
}
