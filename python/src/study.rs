//! The study, the claims, a results folder and the data sets, from Python: keywords converted
//! into the harness's options ([`harness::options::StudyOptions`]) and its calls made with the GIL
//! released, stoppable by Ctrl-C.

use crate::arrays;
use crate::errors::{to_py, value};
use harness::error::Error;
use harness::options::{Seeds, StudyOptions};
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

/// How often a running study checks for Ctrl-C.
const SIGNAL_CHECK: Duration = Duration::from_millis(50);

/// Runs `work` on a thread of its own while this one, the GIL released, checks for signals every
/// [`SIGNAL_CHECK`]: an exception from a signal handler (Ctrl-C's `KeyboardInterrupt`) asks the
/// harness to stop at the next epoch or file ([`harness::study::request_stop`]). Once `work` has
/// returned — its folder as it was, or its runs kept for the same call to resume — the stop is
/// withdrawn and the exception raised, naming what was kept.
fn stoppable<T: Send>(
    py: Python<'_>,
    out: &Path,
    work: impl FnOnce() -> harness::error::Result<T> + Send,
) -> PyResult<T> {
    let (result, interrupt) = py.detach(|| {
        std::thread::scope(|scope| {
            let (tx, rx) = channel();
            scope.spawn(move || {
                let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)));
            });
            let mut interrupt: Option<PyErr> = None;
            loop {
                match rx.recv_timeout(SIGNAL_CHECK) {
                    Ok(result) => break (result, interrupt),
                    Err(RecvTimeoutError::Timeout) => {
                        if interrupt.is_none()
                            && let Err(e) = Python::attach(|py| py.check_signals())
                        {
                            harness::study::request_stop();
                            interrupt = Some(e);
                        }
                    }
                    Err(RecvTimeoutError::Disconnected) => unreachable!("the worker sends before it ends"),
                }
            }
        })
    });
    if interrupt.is_some() {
        harness::study::clear_stop();
    }
    let shown = harness::error::quote_path(out);
    match (result, interrupt) {
        (Ok(Err(Error::Stopped { kept_in: Some(kept) })), Some(_)) if kept != out => {
            Err(PyKeyboardInterrupt::new_err(format!(
                "interrupted: {shown} was left as it was; the runs that finished are kept in {} and the same call resumes from them",
                harness::error::quote_path(&kept)
            )))
        }
        (Ok(Err(Error::Stopped { .. } | Error::Interrupted)), Some(_)) => {
            Err(PyKeyboardInterrupt::new_err(format!(
                "interrupted: the runs that finished are kept in {shown}; the same call resumes from them"
            )))
        }
        (_, Some(signal)) => Err(signal),
        (Ok(Ok(v)), None) => Ok(v),
        (Ok(Err(e)), None) => Err(to_py(e)),
        (Err(_), None) => Err(PyRuntimeError::new_err("internal error: the study's thread panicked")),
    }
}

/// Worker threads: the number asked (at least 1), else the number of CPUs.
fn threads_of(threads: Option<usize>) -> PyResult<usize> {
    match threads {
        Some(0) => Err(value("threads: must be at least 1")),
        Some(n) => Ok(n),
        None => Ok(std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)),
    }
}

/// Widths from `"2-64-64-64-2"`, `"64,64,64"` or a sequence of whole numbers.
pub fn widths_of(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<usize>> {
    if let Ok(s) = obj.extract::<String>() {
        return harness::model::parse_widths(&s).map_err(|e| value(format!("{what}: {e}")));
    }
    obj.extract::<Vec<usize>>().map_err(|_| {
        value(format!("{what}: expected a string like \"2-64-64-64-2\" or a sequence of widths"))
    })
}

fn seeds_of(obj: &Bound<'_, PyAny>) -> PyResult<Seeds> {
    if let Ok(n) = obj.extract::<u64>() {
        return Ok(Seeds::Count(n));
    }
    obj.extract::<Vec<u64>>().map(Seeds::List).map_err(|_| {
        value("seeds: expected a count (seeds 0..N-1) or a sequence of seeds (whole numbers >= 0)")
    })
}

fn inits_of(obj: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if let Ok(s) = obj.extract::<String>() {
        return Ok(s.split(',').map(str::to_string).collect());
    }
    obj.extract::<Vec<String>>()
        .map_err(|_| value("inits: expected initializer names, e.g. [\"small\", \"glorot\", \"he\"]"))
}

/// The study's options with the paper's defaults, as Python values.
#[pyfunction]
pub fn study_defaults(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let d = StudyOptions::default();
    let out = PyDict::new(py);
    out.set_item("inits", PyTuple::new(py, &d.inits)?)?;
    out.set_item(
        "seeds",
        match d.seeds {
            Seeds::Count(n) => n,
            Seeds::List(_) => unreachable!("the default is a count"),
        },
    )?;
    out.set_item("epochs", d.epochs)?;
    out.set_item("learning_rate", d.learning_rate)?;
    out.set_item("dataset", d.dataset)?;
    out.set_item("samples", d.samples)?;
    out.set_item("data_seed", d.data_seed)?;
    out.set_item("val_ratio", d.val_ratio)?;
    Ok(out)
}

/// `saorsa_nn.run_study`'s work: the study into `out`, as `harness` with the same options.
#[pyfunction]
#[pyo3(signature = (out, *, inits, seeds, epochs, learning_rate, batch_size, dataset, noise, samples, data, label_column, feature_columns, data_seed, val_ratio, layers, hidden, layer_norm, input_dim, noise_dims, threads, force, shared_scale, loss_scale, report))]
#[allow(clippy::too_many_arguments)]
pub fn run_study(
    py: Python<'_>,
    out: PathBuf,
    inits: &Bound<'_, PyAny>,
    seeds: &Bound<'_, PyAny>,
    epochs: usize,
    learning_rate: f64,
    batch_size: Option<usize>,
    dataset: String,
    noise: Option<f64>,
    samples: usize,
    data: Option<PathBuf>,
    label_column: Option<String>,
    feature_columns: Option<Vec<String>>,
    data_seed: u64,
    val_ratio: f64,
    layers: Option<&Bound<'_, PyAny>>,
    hidden: Option<&Bound<'_, PyAny>>,
    layer_norm: bool,
    input_dim: Option<usize>,
    noise_dims: usize,
    threads: Option<usize>,
    force: bool,
    shared_scale: bool,
    loss_scale: &str,
    report: bool,
) -> PyResult<()> {
    let options = StudyOptions {
        dataset,
        noise,
        samples,
        data,
        data_text: None,
        label_column,
        feature_columns,
        data_seed,
        val_ratio,
        layers: layers.map(|l| widths_of(l, "layers")).transpose()?,
        hidden: hidden.map(|h| widths_of(h, "hidden")).transpose()?,
        layer_norm,
        input_dim,
        noise_dims,
        inits: inits_of(inits)?,
        seeds: seeds_of(seeds)?,
        epochs,
        learning_rate,
        batch_size,
    };
    let loss_scale = match loss_scale {
        "log" => harness::report::LossScale::Log,
        "linear" => harness::report::LossScale::Linear,
        other => {
            return Err(value(format!(
                "loss_scale: `{}`: expected \"log\" or \"linear\"",
                harness::error::quote(other)
            )));
        }
    };
    let threads = threads_of(threads)?;
    let study = py.detach(|| options.to_config().and_then(harness::pipeline::Study::new)).map_err(to_py)?;
    let run = harness::pipeline::Options {
        threads,
        shard: None,
        drawing: harness::report::Drawing { shared_scale, loss_scale },
        progress: &|| {},
        force,
        report,
    };
    stoppable(py, &out, || study.run(&out, &run)).map(drop)
}

/// `saorsa_nn.run_claims`'s work: every claim's experiment at `scale` into `out`; returns the
/// verdict table (Markdown).
#[pyfunction]
#[pyo3(signature = (scale, out, *, threads, force))]
pub fn run_claims(
    py: Python<'_>,
    scale: &str,
    out: PathBuf,
    threads: Option<usize>,
    force: bool,
) -> PyResult<String> {
    use harness::claims::{ClaimsJobs, Options, Scale};
    let scale = match scale.to_lowercase().as_str() {
        "quick" => Scale::Quick,
        "full" => Scale::Full,
        "extended" => Scale::Extended,
        "tiny" => Scale::Tiny,
        other => {
            let hint = harness::inits::nearest(other, ["quick", "full", "extended", "tiny"])
                .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
            return Err(value(format!(
                "scale: `{}`: expected \"quick\", \"full\", \"extended\" or \"tiny\"{hint}",
                harness::error::quote(other)
            )));
        }
    };
    let threads = threads_of(threads)?;
    let jobs = py.detach(|| ClaimsJobs::new(scale)).map_err(to_py)?;
    let options = Options { out: out.clone(), threads, progress: &|| {}, force, shard: None };
    let outcome = stoppable(py, &out, || harness::claims::run(&jobs, &options))?;
    Ok(outcome.table())
}

fn table<'py>(py: Python<'py>, t: &harness::columns::Table) -> PyResult<Bound<'py, PyDict>> {
    use harness::columns::Column;
    let d = PyDict::new(py);
    for (name, column) in &t.columns {
        match column {
            Column::Text(v) => d.set_item(name, v)?,
            Column::Int(v) => d.set_item(name, arrays::vector(py, v.clone()))?,
            Column::Seed(v) => d.set_item(name, arrays::vector(py, v.clone()))?,
            Column::F32(v) => d.set_item(name, arrays::vector(py, v.clone()))?,
            Column::F64(v) => d.set_item(name, arrays::vector(py, v.clone()))?,
        }
    }
    Ok(d)
}

/// A study's folder as tables: a dict of `metrics`, `runs`, `update_size`, `summary` and
/// `layer_stats` (each a dict of columns; `layer_stats` `None` for a folder without one),
/// `config_json` and `data` (`X_train, y_train, X_val, y_val`).
#[pyfunction]
pub fn read_tables(py: Python<'_>, path: PathBuf) -> PyResult<Bound<'_, PyDict>> {
    let t = py.detach(|| harness::columns::read(&path)).map_err(to_py)?;
    let d = PyDict::new(py);
    d.set_item("metrics", table(py, &t.metrics)?)?;
    d.set_item("runs", table(py, &t.runs)?)?;
    d.set_item("update_size", table(py, &t.update_size)?)?;
    d.set_item("summary", table(py, &t.summary)?)?;
    match &t.layer_stats {
        Some(stats) => d.set_item("layer_stats", table(py, stats)?)?,
        None => d.set_item("layer_stats", py.None())?,
    }
    d.set_item("config_json", &t.config_json)?;
    d.set_item("data", split_arrays(py, &t.loaded.splits)?)?;
    Ok(d)
}

fn split_arrays<'py>(py: Python<'py>, s: &harness::study::Splits) -> PyResult<Bound<'py, PyTuple>> {
    let (tr, va) = (&s.train, &s.val);
    PyTuple::new(
        py,
        [
            arrays::matrix(py, tr.x.clone(), tr.features).into_any(),
            arrays::labels_out(py, &tr.y).into_any(),
            arrays::matrix(py, va.x.clone(), va.features).into_any(),
            arrays::labels_out(py, &va.y).into_any(),
        ],
    )
}

/// `n_samples` rows of the data set `dataset` from seed `seed`: `(X, y)`.
#[pyfunction]
#[pyo3(signature = (dataset, n_samples, seed, noise))]
pub fn make_dataset<'py>(
    py: Python<'py>,
    dataset: &str,
    n_samples: usize,
    seed: u64,
    noise: Option<f64>,
) -> PyResult<Bound<'py, PyTuple>> {
    let spec = harness::options::dataset_spec(dataset, noise).map_err(to_py)?;
    let max = harness::config::MAX_SAMPLES;
    if !(1..=max).contains(&n_samples) {
        return Err(value(format!("n_samples: {n_samples} must lie in 1..={max}")));
    }
    let data = py.detach(|| spec.generate(seed, n_samples)).map_err(|e| value(format!("dataset: {e}")))?;
    PyTuple::new(
        py,
        [arrays::matrix(py, data.x, data.features).into_any(), arrays::labels_out(py, &data.y).into_any()],
    )
}

/// The Bayes-optimal accuracy of `dataset` (with the two moons' `noise`).
#[pyfunction]
#[pyo3(signature = (dataset, noise))]
pub fn ceiling(py: Python<'_>, dataset: &str, noise: Option<f64>) -> PyResult<f64> {
    let spec = harness::options::dataset_spec(dataset, noise).map_err(to_py)?;
    py.detach(|| harness::ceiling::ceiling(&spec))
        .map(|c| c.accuracy)
        .map_err(|e| value(format!("dataset: {e}")))
}

/// The study's training and validation sets of this data: `(X_train, y_train, X_val, y_val)`.
#[pyfunction]
#[pyo3(signature = (dataset, n_samples, seed, noise, val_ratio, input_dim, noise_dims, data))]
#[allow(clippy::too_many_arguments)]
pub fn split<'py>(
    py: Python<'py>,
    dataset: String,
    n_samples: usize,
    seed: u64,
    noise: Option<f64>,
    val_ratio: f64,
    input_dim: Option<usize>,
    noise_dims: usize,
    data: Option<PathBuf>,
) -> PyResult<Bound<'py, PyTuple>> {
    let options = StudyOptions {
        dataset,
        noise,
        samples: n_samples,
        data,
        data_seed: seed,
        val_ratio,
        input_dim,
        noise_dims,
        ..StudyOptions::default()
    };
    let splits = py.detach(|| options.to_config().and_then(|c| harness::study::make_splits(&c))).map_err(
        |e| match e {
            Error::Config { field: "samples", message } => value(format!("n_samples: {message}")),
            Error::Config { field: "data_seed", message } => value(format!("seed: {message}")),
            other => to_py(other),
        },
    )?;
    split_arrays(py, &splits)
}
