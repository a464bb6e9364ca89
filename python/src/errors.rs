//! The library's errors as Python exceptions: a value, name, shape or file content that is wrong
//! is a `ValueError` with the library's message; a file that cannot be read or written an
//! `OSError` (its errno's subclass: `FileNotFoundError`, `PermissionError`, …; a results folder
//! that cannot be made, written or locked, a plain `OSError`); results that
//! would be replaced without `force=True` a `FileExistsError`; divergence a `FloatingPointError`;
//! a stop on Ctrl-C a `KeyboardInterrupt`.

use harness::error::Error;
use pyo3::PyErr;
use pyo3::exceptions::{PyFileExistsError, PyKeyboardInterrupt, PyOSError, PyValueError};

/// The keyword a configuration field is given by from Python (most are the field's own name).
fn keyword(field: &str) -> &str {
    match field {
        "source" => "dataset",
        "embedding" => "input_dim",
        "shape" => "layers",
        "x" => "X",
        other => other,
    }
}

/// `e` as the Python exception it stands for.
pub fn to_py(e: Error) -> PyErr {
    match e {
        Error::Config { field: "force", message } => {
            PyFileExistsError::new_err(format!("{message}; pass force=True to replace them, or another out"))
        }
        Error::Config { field: "study", message } => PyValueError::new_err(message),
        // The results folder cannot be made, written or locked.
        Error::Config { field: "out", message } => PyOSError::new_err(format!("out: {message}")),
        Error::Config { field, message } => PyValueError::new_err(format!("{}: {message}", keyword(field))),
        Error::Io { ref path, ref source } => {
            let shown = e.to_string();
            match source.raw_os_error() {
                // OSError(errno, strerror, filename) is the errno's subclass.
                Some(errno) => {
                    let text = source.to_string();
                    let strerror = text.split(" (os error").next().unwrap_or(&text).to_string();
                    PyOSError::new_err((errno, strerror, path.display().to_string()))
                }
                None => PyOSError::new_err(shown),
            }
        }
        Error::Interrupted | Error::Stopped { .. } => PyKeyboardInterrupt::new_err(e.to_string()),
        other => PyValueError::new_err(other.to_string()),
    }
}

/// A value error with `message`.
pub fn value(message: impl Into<String>) -> PyErr {
    PyValueError::new_err(message.into())
}
