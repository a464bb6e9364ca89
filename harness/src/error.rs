//! The harness's one error type. Library code names what is wrong in its
//! own terms (a configuration field, a file); only the command-line layer
//! (the binary's `cli.rs`) speaks of flags, and the binary prints an error as one
//! line and exits with code 2.
//!
//! **Quoting.** Whatever a message shows of what a user, a file or a results
//! folder supplied (a path, a CSV field, a run id) goes through one helper,
//! [`quote_at_most`]: characters that could change what a terminal shows
//! (newlines, escape sequences, bidirectional overrides) are escaped, and the
//! text is cut at a documented length ([`MAX_QUOTE`] for values,
//! [`MAX_PATH_QUOTE`] for paths, [`MAX_MESSAGE`] for a whole message). Lists
//! show at most [`MAX_LISTED`] items ([`listing`]). So an error is one line of
//! bounded length, whatever the input.

use std::path::{Path, PathBuf};

/// Everything that can go wrong in the harness.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A configuration value outside its domain. `field` is the name of the
    /// [`crate::config::StudyConfig`] field (the command line shows it as the
    /// flag that sets it, see the binary's `cli::flag_of`).
    #[error("{field}: {message}")]
    Config {
        /// The configuration field.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A file or folder could not be read or written.
    #[error("{}: {source}", quote_path(path))]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A results folder (or one of its files) that cannot be read back.
    #[error("{}: {}", quote_path(path), one_line(message))]
    Results {
        /// The file.
        path: PathBuf,
        /// What is wrong in it.
        message: String,
    },
    /// The user asked to stop (Ctrl-C) before the results were written.
    #[error("interrupted")]
    Interrupted,
    /// A sweep stopped on Ctrl-C before its folder was replaced: with the runs that finished
    /// kept in `kept_in` (a rerun resumes from them), or with nothing to keep (`None`, a merge).
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

/// The most characters of user input (a CSV field, a flag's value) an error
/// message quotes ([`quote`]).
pub const MAX_QUOTE: usize = 80;

/// The most characters of a path an error message shows ([`quote_path`]).
pub const MAX_PATH_QUOTE: usize = 512;

/// The most characters of a whole error message ([`one_line`]).
pub const MAX_MESSAGE: usize = 4096;

/// The most items of a list (run ids, folders, labels) an error message shows ([`listing`]).
pub const MAX_LISTED: usize = 10;

/// `s` as an error message quotes it: at most [`MAX_QUOTE`] characters
/// ([`quote_at_most`]).
pub fn quote(s: &str) -> String {
    quote_at_most(s, MAX_QUOTE)
}

/// A path as an error message shows it: at most [`MAX_PATH_QUOTE`]
/// characters ([`quote_at_most`]; bytes that are not UTF-8 as U+FFFD).
pub fn quote_path(p: &Path) -> String {
    quote_at_most(&p.to_string_lossy(), MAX_PATH_QUOTE)
}

/// A whole message as one line: at most [`MAX_MESSAGE`] characters
/// ([`quote_at_most`]). Escaping is idempotent (an escape is printable), so
/// the parts already quoted are shown as they are.
pub fn one_line(message: &str) -> String {
    quote_at_most(message, MAX_MESSAGE)
}

/// The one quoting rule of every message: `s` with each character that
/// could change what a terminal shows escaped as Rust writes it (`\n`,
/// `\u{1b}`) — control characters (C0 such as a newline, ESC or BEL; DEL;
/// C1 such as the 8-bit CSI), Unicode's bidirectional controls (U+061C,
/// U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and its line and paragraph
/// separators (U+2028, U+2029) — and at most `max` characters of the
/// result: a longer text is cut there, at a character, and followed by
/// `… (N bytes in all)`.
pub fn quote_at_most(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut shown = 0;
    for c in s.chars() {
        let escaped = acts_on_terminal(c);
        let n = if escaped { c.escape_default().len() } else { 1 };
        if shown + n > max {
            out.push_str(&format!("… ({} bytes in all)", s.len()));
            break;
        }
        if escaped {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
        shown += n;
    }
    out
}

/// Whether a terminal would act on `c` rather than show it ([`quote_at_most`]).
fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// `items` (each already quoted) joined with `, `: at most [`MAX_LISTED`]
/// of them, then how many more.
pub fn listing(items: &[String]) -> String {
    let mut s = items.iter().take(MAX_LISTED).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > MAX_LISTED {
        s.push_str(&format!(" and {} more", items.len() - MAX_LISTED));
    }
    s
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 29, items 9 and 10: what a terminal would act on is escaped, and the
    /// text is cut at its length, counted in shown characters.
    #[test]
    fn quoting_escapes_and_caps() {
        assert_eq!(quote("plain/path é"), "plain/path é");
        assert_eq!(quote("x\nFAKE: all good"), "x\\nFAKE: all good");
        assert_eq!(quote("\u{1b}]0;title\u{7}\r\u{9b}\u{7f}"), "\\u{1b}]0;title\\u{7}\\r\\u{9b}\\u{7f}");
        assert_eq!(quote("a\u{202e}b\u{2066}c\u{2028}d"), "a\\u{202e}b\\u{2066}c\\u{2028}d");
        // Idempotent: an escape is printable.
        assert_eq!(quote(&quote("x\ny")), quote("x\ny"));
        // Cut at MAX_QUOTE shown characters, escapes counted as shown.
        let long = "a".repeat(100);
        assert_eq!(quote(&long), format!("{}… (100 bytes in all)", "a".repeat(80)));
        assert_eq!(quote(&"a".repeat(80)), "a".repeat(80));
        let bells = "\u{7}".repeat(100);
        assert_eq!(quote(&bells), format!("{}… (100 bytes in all)", "\\u{7}".repeat(16)));
        let path = Path::new("d").join("b".repeat(4096));
        let shown = quote_path(&path);
        assert!(shown.starts_with("d/bbb") && shown.ends_with("… (4098 bytes in all)"), "{shown}");
        assert_eq!(shown.chars().count(), MAX_PATH_QUOTE + "… (4098 bytes in all)".chars().count());
        assert_eq!(quote_path(Path::new("results/run 1")), "results/run 1");
    }

    /// The error type's own lines: paths and messages escaped and capped.
    #[test]
    fn errors_show_paths_escaped_and_capped() {
        let e = Error::results("x\nFAKE: all good", "not a results folder");
        assert_eq!(e.to_string(), "x\\nFAKE: all good: not a results folder");
        let e = Error::io(
            Path::new("\u{1b}[2J").join("a".repeat(4096)),
            std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        let line = e.to_string();
        assert!(line.starts_with("\\u{1b}[2J/aaa") && line.contains("bytes in all)"), "{line}");
        assert!(line.len() < 700, "{}", line.len());
        let e = Error::results("f", format!("bad\n{}", "z".repeat(10_000)));
        assert_eq!(e.to_string().lines().count(), 1);
        assert!(e.to_string().len() < MAX_MESSAGE + 100);
    }

    #[test]
    fn lists_are_capped() {
        let ids: Vec<String> = (0..25).map(|k| k.to_string()).collect();
        assert_eq!(listing(&ids[..3]), "0, 1, 2");
        assert_eq!(listing(&ids), "0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 15 more");
    }
}
