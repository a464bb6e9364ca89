//! The data-set registry: which synthetic data set a run uses, its
//! command-line syntax, its names, and its generation through the core's
//! generators (`saorsa_nn::data`).
//!
//! Each data set has one machine name ([`DatasetSpec::name`], e.g.
//! `spirals:3`), which [`parse`] reads back, and one display name
//! ([`DatasetSpec::display_name`], e.g. "3 spirals"). The syntax is
//! [`SYNTAX_HELP`].

use crate::dataset::Data;
use saorsa_nn::{data, rng_from_seed};
use std::fmt;
use std::str::FromStr;

/// The two-moons noise of the paper (listing B).
pub const MOONS_NOISE: f64 = 0.18;
/// The default circles factor (inner radius; the outer one is 1).
pub const CIRCLES_FACTOR: f64 = 0.5;
/// The default circles noise.
pub const CIRCLES_NOISE: f64 = 0.2;
/// The default number of spiral arms.
pub const SPIRALS_ARMS: usize = 3;
/// The default spiral noise.
pub const SPIRALS_NOISE: f64 = 0.1;
/// The default XOR noise (each cluster's standard deviation).
pub const XOR_NOISE: f64 = 0.6;
/// The default number of blobs.
pub const BLOBS_CLASSES: usize = 4;
/// The default blob dimension.
pub const BLOBS_DIMS: usize = 2;
/// The default blob standard deviation.
pub const BLOBS_STD: f64 = 0.8;
/// The most input dimensions a data set or an embedding may have (the
/// widest layer a network shape accepts).
pub const MAX_DIMS: usize = 4096;

/// The command-line syntax of a data set, as `--help` shows it.
pub const SYNTAX_HELP: &str = "\
NAME[:ARGS], ARGS a comma-separated list of KEY=VALUE (a count may be given bare, first):
  moons                 the paper's two moons            noise=0.18
  circles               two concentric circles          factor=0.5 (inner radius), noise=0.2
  spirals[:K]           K interleaved spiral arms       K=3 (2..=256), noise=0.1
  xor                   four Gaussian clusters, XOR     noise=0.6
  blobs[:K]             K Gaussian blobs                K=4 (2..=256), dims=2 (2..=4096), std=0.8
Examples: moons:noise=0.3  circles:factor=0.5,noise=0.1  spirals:3,noise=0.2  blobs:4,dims=10,std=1.5
Noise (and std) must lie in [0, 1e6]; factor in (0, 1). Defaults give a Bayes-optimal accuracy near 0.9.";

/// The largest noise (or blob std) the command line accepts: far beyond any
/// useful value, and far below the core's limit.
pub const MAX_CLI_NOISE: f64 = 1e6;

/// A synthetic data set and its parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DatasetSpec {
    /// The paper's two moons (`saorsa_nn::data::make_moons`), 2 classes.
    Moons {
        /// Standard deviation of the Gaussian noise on each coordinate
        /// (default [`MOONS_NOISE`]).
        noise: f64,
    },
    /// Two concentric circles (`make_circles`): radius 1 (label 0) and
    /// `factor` (label 1).
    Circles {
        /// The inner radius, in (0, 1) (default [`CIRCLES_FACTOR`]).
        factor: f64,
        /// Noise on each coordinate (default [`CIRCLES_NOISE`]).
        noise: f64,
    },
    /// Interleaved spiral arms (`make_spirals`), one class per arm.
    Spirals {
        /// Number of arms (= classes), 2 to 256 (default [`SPIRALS_ARMS`]).
        arms: usize,
        /// Noise on each coordinate (default [`SPIRALS_NOISE`]).
        noise: f64,
    },
    /// Four Gaussian clusters at (±1, ±1) labelled by XOR (`make_xor`).
    Xor {
        /// Each cluster's standard deviation (default [`XOR_NOISE`]).
        noise: f64,
    },
    /// Spherical Gaussian blobs centred on a regular polygon (`make_blobs`).
    Blobs {
        /// Number of blobs (= classes), 2 to 256 (default [`BLOBS_CLASSES`]).
        classes: usize,
        /// Dimensions, 2 to [`MAX_DIMS`] (default [`BLOBS_DIMS`]).
        dims: usize,
        /// Each blob's standard deviation (default [`BLOBS_STD`]).
        std: f64,
    },
}

impl Default for DatasetSpec {
    /// The paper's data set: two moons with noise 0.18.
    fn default() -> Self {
        DatasetSpec::Moons { noise: MOONS_NOISE }
    }
}

/// A generated data set: the harness's in-memory [`Data`] (`features`-wide
/// rows, row-major, and their labels).
pub type Generated = Data;

fn check_noise(what: &str, v: f64) -> Result<(), String> {
    if (0.0..=MAX_CLI_NOISE).contains(&v) {
        Ok(())
    } else {
        Err(format!("{what} must lie in [0, {MAX_CLI_NOISE:e}], got {v}"))
    }
}

fn check_count(what: &str, v: usize) -> Result<(), String> {
    if (2..=data::MAX_CLASSES).contains(&v) {
        Ok(())
    } else {
        Err(format!("{what} must lie in 2..={}, got {v}", data::MAX_CLASSES))
    }
}

impl DatasetSpec {
    /// Checks every parameter against its documented range
    /// ([`SYNTAX_HELP`]).
    pub fn validate(&self) -> Result<(), String> {
        match *self {
            DatasetSpec::Moons { noise } | DatasetSpec::Xor { noise } => check_noise("noise", noise),
            DatasetSpec::Circles { factor, noise } => {
                if !(factor > 0.0 && factor < 1.0) {
                    return Err(format!("circles factor must lie in (0, 1), got {factor}"));
                }
                check_noise("noise", noise)
            }
            DatasetSpec::Spirals { arms, noise } => {
                check_count("the number of spiral arms", arms)?;
                check_noise("noise", noise)
            }
            DatasetSpec::Blobs { classes, dims, std } => {
                check_count("the number of blobs", classes)?;
                if !(2..=MAX_DIMS).contains(&dims) {
                    return Err(format!("blob dims must lie in 2..={MAX_DIMS}, got {dims}"));
                }
                check_noise("std", std)
            }
        }
    }

    /// The data set's base name, its count (spirals, blobs) and the
    /// parameters that differ from their defaults, as `(key, value)`.
    fn parts(&self) -> (&'static str, Option<usize>, Vec<(&'static str, String)>) {
        let mut args = Vec::new();
        let mut param = |key: &'static str, v: f64, default: f64| {
            if v.to_bits() != default.to_bits() {
                args.push((key, v.to_string()));
            }
        };
        let (base, count) = match *self {
            DatasetSpec::Moons { noise } => {
                param("noise", noise, MOONS_NOISE);
                ("moons", None)
            }
            DatasetSpec::Circles { factor, noise } => {
                param("factor", factor, CIRCLES_FACTOR);
                param("noise", noise, CIRCLES_NOISE);
                ("circles", None)
            }
            DatasetSpec::Spirals { arms, noise } => {
                param("noise", noise, SPIRALS_NOISE);
                ("spirals", Some(arms))
            }
            DatasetSpec::Xor { noise } => {
                param("noise", noise, XOR_NOISE);
                ("xor", None)
            }
            DatasetSpec::Blobs { classes, dims, std } => {
                param("dims", dims as f64, BLOBS_DIMS as f64);
                param("std", std, BLOBS_STD);
                ("blobs", Some(classes))
            }
        };
        (base, count, args)
    }

    /// The one machine name, which [`parse`] reads back to the same spec:
    /// the data set's name, its count if it has one (`spirals:3`,
    /// `blobs:4`), then every parameter that differs from its default as
    /// `key=value` (`moons:noise=0.3`, `blobs:4,dims=10,std=1.5`). Numbers
    /// are written in Rust's shortest round-trip form.
    pub fn name(&self) -> String {
        let (base, count, args) = self.parts();
        let items: Vec<String> = count
            .map(|c| c.to_string())
            .into_iter()
            .chain(args.iter().map(|(k, v)| format!("{k}={v}")))
            .collect();
        if items.is_empty() { base.to_string() } else { format!("{base}:{}", items.join(",")) }
    }

    /// The display name for tables and figures: "two moons", "circles",
    /// "3 spirals", "XOR", "4 blobs", followed by the parameters that differ
    /// from their defaults in parentheses, e.g. "4 blobs (dims 10, std 1.5)".
    pub fn display_name(&self) -> String {
        let (base, count, args) = self.parts();
        let base = match (base, count) {
            ("moons", _) => "two moons".to_string(),
            ("xor", _) => "XOR".to_string(),
            (base, Some(count)) => format!("{count} {base}"),
            (base, None) => base.to_string(),
        };
        let items: Vec<String> = args.iter().map(|(k, v)| format!("{k} {v}")).collect();
        if items.is_empty() { base } else { format!("{base} ({})", items.join(", ")) }
    }

    /// Values per sample: 2, or `dims` for blobs.
    pub fn features(&self) -> usize {
        match *self {
            DatasetSpec::Blobs { dims, .. } => dims,
            _ => 2,
        }
    }

    /// Number of classes: 2, the arms of spirals or the blobs.
    pub fn classes(&self) -> usize {
        match *self {
            DatasetSpec::Spirals { arms, .. } => arms,
            DatasetSpec::Blobs { classes, .. } => classes,
            _ => 2,
        }
    }

    /// The noise scale: the standard deviation of the Gaussian noise on each
    /// coordinate (the blobs' `std`).
    pub fn noise(&self) -> f64 {
        match *self {
            DatasetSpec::Moons { noise }
            | DatasetSpec::Circles { noise, .. }
            | DatasetSpec::Spirals { noise, .. }
            | DatasetSpec::Xor { noise } => noise,
            DatasetSpec::Blobs { std, .. } => std,
        }
    }

    /// Generates `samples` rows with the core's generator for this data set,
    /// from `saorsa_nn::rng_from_seed(seed)`. Two moons go through
    /// `saorsa_nn::data::make_moons` itself (the same bits as the study's
    /// data), flattened.
    ///
    /// Errors: a parameter out of range ([`DatasetSpec::validate`]).
    pub fn generate(&self, seed: u64, samples: usize) -> Result<Generated, String> {
        self.validate()?;
        let features = self.features();
        let len = samples.checked_mul(features).ok_or("too many samples")?;
        let mut x = vec![0.0f32; len];
        let mut y = vec![0u8; samples];
        let rng = &mut rng_from_seed(seed);
        let done = match *self {
            DatasetSpec::Moons { noise } => {
                let mut rows = vec![[0.0f32; 2]; samples];
                let done = data::make_moons(rng, noise, &mut rows, &mut y);
                x = rows.into_flattened();
                done
            }
            DatasetSpec::Circles { factor, noise } => data::make_circles(rng, factor, noise, &mut x, &mut y),
            DatasetSpec::Spirals { arms, noise } => data::make_spirals(rng, arms, noise, &mut x, &mut y),
            DatasetSpec::Xor { noise } => data::make_xor(rng, noise, &mut x, &mut y),
            DatasetSpec::Blobs { classes, dims, std } => {
                data::make_blobs(rng, classes, dims, std, &mut x, &mut y)
            }
        };
        done.map_err(|e| e.to_string())?;
        Ok(Generated { features, classes: self.classes(), x, y })
    }
}

impl fmt::Display for DatasetSpec {
    /// The machine name ([`DatasetSpec::name`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl FromStr for DatasetSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        parse(s)
    }
}

/// Parses a data set in the syntax of [`SYNTAX_HELP`]: a name (`moons`,
/// `circles`, `spirals`, `xor`, `blobs`), then optionally `:` and
/// comma-separated arguments `key=value`; spirals and blobs take their count
/// (`arms`, `classes`) as a bare first argument too. Parameters not given
/// keep their defaults. Names and keys are case-sensitive; spaces around
/// items are ignored.
///
/// Errors: a one-line message naming the unknown data set or key, the
/// repeated key, the value that is not a number, or the value out of range.
pub fn parse(s: &str) -> Result<DatasetSpec, String> {
    use crate::error::quote;
    let s = s.trim();
    let (name, rest) = match s.split_once(':') {
        Some((name, rest)) => (name.trim(), Some(rest)),
        None => (s, None),
    };
    let lower = name.to_lowercase();
    // The singular is accepted too (`spiral`, `moon`), in any case.
    let canonical = match lower.as_str() {
        "moon" | "two_moons" => "moons",
        "circle" => "circles",
        "spiral" => "spirals",
        "blob" => "blobs",
        other => other,
    };
    let mut spec = match canonical {
        "moons" => DatasetSpec::Moons { noise: MOONS_NOISE },
        "circles" => DatasetSpec::Circles { factor: CIRCLES_FACTOR, noise: CIRCLES_NOISE },
        "spirals" => DatasetSpec::Spirals { arms: SPIRALS_ARMS, noise: SPIRALS_NOISE },
        "xor" => DatasetSpec::Xor { noise: XOR_NOISE },
        "blobs" => DatasetSpec::Blobs { classes: BLOBS_CLASSES, dims: BLOBS_DIMS, std: BLOBS_STD },
        _ => {
            let known = ["moons", "circles", "spirals", "xor", "blobs"];
            let hint = crate::inits::nearest(canonical, known)
                .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
            return Err(format!(
                "unknown data set `{}` in `{}`: expected moons, circles, spirals, xor or blobs{hint}",
                quote(name),
                quote(s)
            ));
        }
    };
    let mut seen: Vec<&str> = Vec::new();
    for (i, item) in rest.into_iter().flat_map(|r| r.split(',')).map(str::trim).enumerate() {
        if item.is_empty() {
            return Err(format!("empty argument in `{}`", quote(s)));
        }
        let (key, value) = match item.split_once('=') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => match (&spec, i) {
                (DatasetSpec::Spirals { .. }, 0) => ("arms", item),
                (DatasetSpec::Blobs { .. }, 0) => ("classes", item),
                _ => return Err(format!("argument `{}` in `{}` is not KEY=VALUE", quote(item), quote(s))),
            },
        };
        if seen.contains(&key) {
            return Err(format!("`{}` given twice in `{}`", quote(key), quote(s)));
        }
        seen.push(key);
        let float =
            || value.parse::<f64>().map_err(|_| format!("{key} must be a number, got `{}`", quote(value)));
        let count = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{key} must be a whole number, got `{}`", quote(value)))
        };
        match (&mut spec, key) {
            (
                DatasetSpec::Moons { noise }
                | DatasetSpec::Circles { noise, .. }
                | DatasetSpec::Spirals { noise, .. }
                | DatasetSpec::Xor { noise },
                "noise",
            ) => *noise = float()?,
            (DatasetSpec::Circles { factor, .. }, "factor") => *factor = float()?,
            (DatasetSpec::Spirals { arms, .. }, "arms") => *arms = count()?,
            (DatasetSpec::Blobs { classes, .. }, "classes") => *classes = count()?,
            (DatasetSpec::Blobs { dims, .. }, "dims") => *dims = count()?,
            (DatasetSpec::Blobs { std, .. }, "std") => *std = float()?,
            _ => {
                let keys = match spec {
                    DatasetSpec::Moons { .. } | DatasetSpec::Xor { .. } => "noise",
                    DatasetSpec::Circles { .. } => "factor, noise",
                    DatasetSpec::Spirals { .. } => "arms (or a bare count), noise",
                    DatasetSpec::Blobs { .. } => "classes (or a bare count), dims, std",
                };
                return Err(format!(
                    "unknown key `{}` for {name} in `{}`: expected {keys}",
                    quote(key),
                    quote(s)
                ));
            }
        }
    }
    spec.validate()?;
    Ok(spec)
}

/// Embeds a generated data set into `dims` dimensions with
/// `saorsa_nn::data::embed` (a Haar-random rotation of the zero-padded
/// rows into `dims − noise_dims` dimensions, then `noise_dims` coordinates of
/// Gaussian noise of standard deviation `noise_std`), from
/// `saorsa_nn::rng_from_seed(seed)`. Rows, labels and classes are kept; the
/// Bayes-optimal accuracy is unchanged.
///
/// Errors: `dims` above [`MAX_DIMS`], or any error of the core's `embed`
/// (too few dimensions, noise out of range, non-finite input).
pub fn embed(
    g: &Generated,
    seed: u64,
    dims: usize,
    noise_dims: usize,
    noise_std: f64,
) -> Result<Generated, String> {
    if dims > MAX_DIMS {
        return Err(format!("an embedding has at most {MAX_DIMS} dimensions, got {dims}"));
    }
    let mut out = vec![0.0f32; g.len() * dims];
    let mut scratch = vec![0.0f64; data::embed_scratch_len(g.features, dims, noise_dims)];
    data::embed(
        &mut rng_from_seed(seed),
        g.features,
        &g.x,
        dims,
        noise_dims,
        noise_std,
        &mut out,
        &mut scratch,
    )
    .map_err(|e| {
        format!("cannot embed {} features into {dims} dimensions ({noise_dims} of noise): {e}", g.features)
    })?;
    Ok(Generated { features: dims, classes: g.classes, x: out, y: g.y.clone() })
}
