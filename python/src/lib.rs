//! `saorsa_nn._native`: the Python extension under the `saorsa_nn` package. A thin layer: it
//! converts NumPy arrays and Python values into the harness's and the core's types, calls them
//! (with the GIL released while they train), and turns their errors into Python exceptions. The
//! package's Python side (`saorsa_nn/__init__.py`) adds DataFrames when pandas is installed.

#![forbid(unsafe_code)]

mod arrays;
mod errors;
mod mlp;
mod study;

use pyo3::prelude::*;

/// The extension module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<mlp::Mlp>()?;
    m.add_function(wrap_pyfunction!(mlp::run_model, m)?)?;
    m.add_function(wrap_pyfunction!(study::study_defaults, m)?)?;
    m.add_function(wrap_pyfunction!(study::run_study, m)?)?;
    m.add_function(wrap_pyfunction!(study::run_claims, m)?)?;
    m.add_function(wrap_pyfunction!(study::read_tables, m)?)?;
    m.add_function(wrap_pyfunction!(study::make_dataset, m)?)?;
    m.add_function(wrap_pyfunction!(study::ceiling, m)?)?;
    m.add_function(wrap_pyfunction!(study::split, m)?)?;
    Ok(())
}
