//! The harness's one error type. Library code names what is wrong in its
//! own terms (a configuration field, a file); only the command-line layer
//! (the binary's `cli` module) speaks of flags, and the binary prints an error as one
//! line and exits with code 2.

use std::path::PathBuf;

/// Everything that can go wrong in the harness.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A configuration value outside its domain. `field` is the name of the
    /// [`crate::study::StudyConfig`] field (the command line shows it as the
    /// flag that sets it, the binary's `cli::flag_of`).
    #[error("{field}: {message}")]
    Config {
        /// The configuration field.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A results folder (or one of its files) that cannot be read back.
    #[error("{}: {message}", path.display())]
    Results {
        /// The file.
        path: PathBuf,
        /// What is wrong in it.
        message: String,
    },
    /// The user asked to stop (Ctrl-C) before the results were written.
    #[error("interrupted")]
    Interrupted,
    /// A study stopped on Ctrl-C: while training, with the runs that finished kept in
    /// `kept_in` (a rerun resumes from them), or while writing its folder (`None`: the folder
    /// is incomplete until a rerun completes it).
    #[error("interrupted")]
    Stopped {
        /// Where the finished runs are kept, when stopped while training.
        kept_in: Option<PathBuf>,
    },
    /// The training core refused an operation.
    #[error(transparent)]
    Core(#[from] saorsa_nn::Error),
}

impl Error {
    /// A configuration error.
    pub fn config(field: &'static str, message: impl Into<String>) -> Error {
        Error::Config { field, message: message.into() }
    }

    /// A read or write error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }

    /// A malformed file of a results folder.
    pub fn results(path: impl Into<PathBuf>, message: impl Into<String>) -> Error {
        Error::Results { path: path.into(), message: message.into() }
    }
}

/// The harness's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The most characters of user input an error message quotes.
pub const MAX_QUOTE: usize = 80;

/// `s` as an error message quotes it: at most [`MAX_QUOTE`] characters, a
/// longer input cut with `…` and its length; control characters (a lone
/// carriage return, say) shown escaped.
pub fn quote(s: &str) -> String {
    let mut out = String::new();
    for (n, c) in s.chars().enumerate() {
        if n == MAX_QUOTE {
            out.push_str(&format!("… ({} bytes in all)", s.len()));
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A number as an error message shows it: Rust's shortest round-trip form,
/// in scientific notation when it is very small or very large (so that
/// `1e-300` is not printed with 300 digits).
pub fn number(x: f64) -> String {
    if x == 0.0 || !x.is_finite() || (1e-4..1e15).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}
