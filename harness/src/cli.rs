//! The command line: parsing, validation (one-line errors, exit code 2) and
//! the top-level flow of a study.

use crate::dataset::parse_csv;
use crate::study::{self, DataSource, StudyConfig};
use clap::Parser;
use saorsa_nn::Init;
use std::num::NonZeroUsize;
use std::path::PathBuf;

/// Reproduces the weight-initialization study of "Why Weight Initialization
/// Still Matters" on saorsa-nn: a 2→64→64→64→2 ReLU network trained with
/// Adam on two moons, compared across initializers and model seeds.
///
/// With no arguments it runs the paper's study and writes every table,
/// figure and an HTML report under results/.
#[derive(Parser, Debug)]
#[command(name = "harness", version, max_term_width = 100, allow_negative_numbers = true)]
pub struct Cli {
    /// Initializers to compare, comma-separated: small (std 0.01), glorot,
    /// he, lecun, glorot_uniform, he_uniform, glorot_truncated,
    /// he_truncated, lecun_truncated.
    #[arg(long, default_value = "small,glorot,he", value_name = "LIST")]
    pub inits: String,

    /// Model seeds: a count N (seeds 0..N-1), a list "0,3,7" or a range
    /// "10..20" (end exclusive).
    #[arg(long, default_value = "10", value_name = "SEEDS")]
    pub seeds: String,

    /// Training epochs per run.
    #[arg(long, default_value_t = 250)]
    pub epochs: usize,

    /// Adam's learning rate (β1 0.9, β2 0.999, ε 1e-7 as in the paper's framework).
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,

    /// Samples per optimizer step [default: full batch, one step per epoch].
    #[arg(long, value_name = "N")]
    pub batch_size: Option<usize>,

    /// Number of two-moons samples.
    #[arg(long, default_value_t = 1200, conflicts_with = "data")]
    pub samples: usize,

    /// Standard deviation of the two-moons noise.
    #[arg(long, default_value_t = 0.18, conflicts_with = "data")]
    pub noise: f64,

    /// Seed of the data generator and of the train/validation split.
    #[arg(long, default_value_t = 1)]
    pub data_seed: u64,

    /// Fraction of the samples held out for validation.
    #[arg(long, default_value_t = 0.25)]
    pub val_ratio: f64,

    /// Your own 2-D data instead of two moons: a CSV with header
    /// x1,x2,label and labels 0 or 1.
    #[arg(long, value_name = "FILE.csv")]
    pub data: Option<PathBuf>,

    /// Output directory.
    #[arg(long, default_value = "results", value_name = "DIR")]
    pub out: PathBuf,

    /// Worker threads [default: the number of CPUs]. Results are identical
    /// for every value.
    #[arg(long)]
    pub threads: Option<usize>,

    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Parses `--inits`.
pub fn parse_inits(s: &str) -> Result<Vec<Init>, String> {
    let mut out = Vec::new();
    for name in s.split(',').map(str::trim) {
        let init = Init::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = Init::ALL.iter().map(Init::name).collect();
            format!("--inits: unknown initializer `{name}` (known: {})", known.join(", "))
        })?;
        if out.contains(&init) {
            return Err(format!("--inits: `{name}` given twice"));
        }
        out.push(init);
    }
    Ok(out)
}

/// Parses `--seeds`: `N`, `a,b,c` or `a..b`.
pub fn parse_seeds(s: &str) -> Result<Vec<u64>, String> {
    let bad = |why: &str| format!("--seeds `{s}`: {why}");
    let num = |t: &str| {
        t.trim().parse::<u64>().map_err(|_| bad("expected a count N, a list 0,3,7 or a range 10..20"))
    };
    let seeds: Vec<u64> = if let Some((a, b)) = s.split_once("..") {
        let (a, b) = (num(a)?, num(b)?);
        (a..b).collect()
    } else if s.contains(',') {
        let list = s.split(',').filter(|t| !t.trim().is_empty()).map(num).collect::<Result<Vec<_>, _>>()?;
        let mut sorted = list.clone();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted.len() != list.len() {
            return Err(bad("a seed is repeated"));
        }
        list
    } else {
        (0..num(s)?).collect()
    };
    if seeds.is_empty() {
        return Err(bad("no seeds"));
    }
    if seeds.len() > 100_000 {
        return Err(bad("more than 100000 seeds"));
    }
    Ok(seeds)
}

/// Turns the parsed command line into a validated configuration.
pub fn config_from(cli: &Cli) -> Result<StudyConfig, String> {
    let inits = parse_inits(&cli.inits)?;
    let seeds = parse_seeds(&cli.seeds)?;
    if cli.epochs == 0 {
        return Err("--epochs must be at least 1".into());
    }
    if cli.epochs > 1_000_000 {
        return Err("--epochs must be at most 1000000".into());
    }
    if !(cli.lr > 0.0 && cli.lr <= 1e3) {
        return Err(format!("--lr {} must be > 0 and at most 1000", cli.lr));
    }
    let batch_size = match cli.batch_size {
        None => None,
        Some(n) => Some(NonZeroUsize::new(n).ok_or("--batch-size must be at least 1")?),
    };
    if !(0.0..1.0).contains(&cli.val_ratio) || cli.val_ratio == 0.0 {
        return Err(format!("--val-ratio {} must lie strictly between 0 and 1", cli.val_ratio));
    }
    let source = match &cli.data {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("--data {}: {e}", path.display()))?;
            let data = parse_csv(&bytes).map_err(|e| format!("--data {}: {e}", path.display()))?;
            DataSource::Csv { path: path.display().to_string(), data }
        }
        None => {
            if cli.samples < 2 {
                return Err("--samples must be at least 2".into());
            }
            if cli.samples > 10_000_000 {
                return Err("--samples must be at most 10000000".into());
            }
            if !(cli.noise >= 0.0 && cli.noise.is_finite()) {
                return Err(format!("--noise {} must be finite and >= 0", cli.noise));
            }
            DataSource::Moons { samples: cli.samples, noise: cli.noise }
        }
    };
    if cli.threads == Some(0) {
        return Err("--threads must be at least 1".into());
    }
    Ok(StudyConfig {
        source,
        data_seed: cli.data_seed,
        val_ratio: cli.val_ratio,
        inits,
        seeds,
        epochs: cli.epochs,
        learning_rate: cli.lr,
        batch_size,
    })
}

/// Threads to use: `--threads`, else the number of CPUs.
pub fn threads(cli: &Cli) -> usize {
    cli.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get))
}

/// Validates the splits for `config` (e.g. a ratio leaving an empty set).
pub fn splits(config: &StudyConfig) -> Result<study::Splits, String> {
    study::make_splits(config)
}
