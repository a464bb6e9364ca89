//! `saorsa_nn.MLP`: a network trained on NumPy arrays through [`harness::model::Model`].

use crate::arrays::{self, features, labels};
use crate::errors::{to_py, value};
use crate::study::widths_of;
use harness::inits::InitSpec;
use harness::model::{Arrays, End, FitOptions, History, Model};
use numpy::PyArray2;
use pyo3::exceptions::PyFloatingPointError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};
use saorsa_nn::{Normalization, Shape};
use std::num::NonZeroUsize;
use std::path::PathBuf;

/// A dense ReLU network with a softmax output, trained with Adam exactly as the study trains
/// each run: the same layers, initializers, seed, data and settings give the command line's
/// bits (``runs/<init>/seed-<k>/final.bin``).
///
/// Args:
///     layers: every width, inputs first and classes last, as ``"2-64-64-64-2"`` or
///         ``(2, 64, 64, 64, 2)``. Give this or ``hidden``.
///     hidden: the hidden widths only, e.g. ``(64, 64, 64)``; the inputs and classes are taken
///         from the data at the first :meth:`fit` (the weights exist from then on).
///     init: the initializer of every dense layer — ``"small"`` (normal, σ 0.01), ``"glorot"``,
///         ``"he"``, ``"lecun"``, their ``_uniform`` and ``_truncated`` forms, or an alias
///         (``"xavier"``, ``"kaiming_normal_"``, …) — with per-layer exceptions:
///         ``"he@1=glorot"`` is He everywhere but Glorot on layer 1 (counted from 1).
///     seed: the model seed the weights are drawn from.
///     layer_norm: layer normalization between each hidden layer and its ReLU.
///
/// Raises:
///     ValueError: an unknown initializer (with the nearest known name), or widths the core
///         refuses.
///
/// Example:
///     >>> import saorsa_nn as sn
///     >>> X_train, y_train, X_val, y_val = sn.datasets.paper_split()
///     >>> net = sn.MLP("2-64-64-64-2", init="he", seed=0)
///     >>> hist = net.fit(X_train, y_train, epochs=30, validation_data=(X_val, y_val))
///     >>> sorted(hist)[:4]
///     ['accuracy', 'epoch', 'loss', 'update_size_1']
///     >>> hist["loss"][[0, -1]]
///     array([0.74965584, 0.42959055], dtype=float32)
///     >>> round(net.score(X_val, y_val), 3)
///     0.78
#[pyclass(module = "saorsa_nn", name = "MLP")]
pub struct Mlp {
    model: Option<Model>,
    hidden: Option<Vec<usize>>,
    /// The initializers and seed the network was made with (unknown for a loaded one).
    made_with: Option<(InitSpec, u64)>,
    layer_norm: bool,
    history: Option<Py<PyDict>>,
}

fn shape_of(widths: &[usize], layer_norm: bool, what: &str) -> PyResult<Shape> {
    let norm = if layer_norm { Normalization::LayerNorm } else { Normalization::None };
    Shape::new(widths)
        .map(|s| s.with_normalization(norm))
        .map_err(|e| value(format!("{what}: {widths:?}: {e}")))
}

impl Mlp {
    fn model(&self) -> PyResult<&Model> {
        self.model
            .as_ref()
            .ok_or_else(|| value("the network is built by its first fit (it was given hidden widths only)"))
    }

    /// Builds a network given hidden widths only for data of `x_cols` features and labels `y`;
    /// returns whether it was built now.
    fn build(&mut self, x_cols: usize, y: &[u8]) -> PyResult<bool> {
        if self.model.is_some() {
            return Ok(false);
        }
        let (init, seed) =
            self.made_with.clone().expect("a network given hidden widths knows its initializers");
        let mut widths = vec![x_cols];
        widths.extend(self.hidden.iter().flatten());
        widths.push(harness::model::classes_of(y));
        let shape = shape_of(&widths, self.layer_norm, "hidden")?;
        self.model = Some(Model::new(shape, &init, seed).map_err(to_py)?);
        Ok(true)
    }

    fn wrap(model: Model, made_with: Option<(InitSpec, u64)>) -> Mlp {
        let layer_norm = model.shape().normalization() != Normalization::None;
        Mlp { model: Some(model), hidden: None, made_with, layer_norm, history: None }
    }
}

/// The history of a fit as a dict of NumPy arrays, one entry per epoch.
fn history_dict<'py>(
    py: Python<'py>,
    h: &History,
    layers: usize,
    with_val: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("epoch", arrays::vector(py, (1..=h.train.len() as i64).collect()))?;
    d.set_item("loss", arrays::vector(py, h.train.iter().map(|m| m.loss).collect()))?;
    d.set_item("accuracy", arrays::vector(py, h.train.iter().map(|m| m.accuracy).collect()))?;
    if with_val {
        d.set_item("val_loss", arrays::vector(py, h.val.iter().map(|m| m.loss).collect()))?;
        d.set_item("val_accuracy", arrays::vector(py, h.val.iter().map(|m| m.accuracy).collect()))?;
    }
    for layer in 0..layers {
        let sizes = h.update_size.iter().map(|u| u[layer]).collect();
        d.set_item(format!("update_size_{}", layer + 1), arrays::vector(py, sizes))?;
    }
    Ok(d)
}

#[pymethods]
impl Mlp {
    #[new]
    #[pyo3(signature = (layers=None, *, hidden=None, init="he", seed=0, layer_norm=false))]
    fn new(
        layers: Option<&Bound<'_, PyAny>>,
        hidden: Option<&Bound<'_, PyAny>>,
        init: &str,
        seed: u64,
        layer_norm: bool,
    ) -> PyResult<Mlp> {
        let spec = InitSpec::parse(init).map_err(|e| value(format!("init: {e}")))?;
        let mut mlp = Mlp { model: None, hidden: None, made_with: None, layer_norm, history: None };
        match (layers, hidden) {
            (Some(_), Some(_)) => return Err(value("give layers or hidden, not both")),
            (None, None) => {
                return Err(value("give layers (e.g. \"2-64-64-64-2\") or hidden (e.g. (64, 64, 64))"));
            }
            (Some(l), None) => {
                let shape = shape_of(&widths_of(l, "layers")?, layer_norm, "layers")?;
                mlp.model = Some(Model::new(shape, &spec, seed).map_err(to_py)?);
            }
            (None, Some(h)) => {
                let widths = widths_of(h, "hidden")?;
                // The shape is checked now with placeholder inputs and classes.
                let mut probe = vec![1];
                probe.extend(&widths);
                probe.push(2);
                let shape = shape_of(&probe, layer_norm, "hidden")?;
                spec.per_layer(shape.layers()).map_err(|e| value(format!("init: {e}")))?;
                mlp.hidden = Some(widths);
            }
        }
        mlp.made_with = Some((spec, seed));
        Ok(mlp)
    }

    /// Trains the network on ``X``, ``y`` and returns the history of this call: a dict of NumPy
    /// arrays with one entry per epoch — ``epoch``, ``loss`` and ``accuracy`` (training, from the
    /// forward pass before each epoch's update, as the study's ``metrics.csv``), ``val_loss`` and
    /// ``val_accuracy`` (with ``validation_data``, also before the update) and
    /// ``update_size_<layer>`` (``‖ΔW‖/‖W‖`` of each dense layer). ``pandas.DataFrame(hist)``
    /// makes it a table. A second call goes on from the weights and Adam's state the first left
    /// (as Keras does); ``net.history`` holds the last call's history.
    ///
    /// The GIL is released while training. Ctrl-C (or any signal whose handler raises) stops
    /// training at the next epoch and raises ``KeyboardInterrupt``: the network keeps its weights
    /// after the last whole epoch, and ``net.history`` holds those epochs.
    ///
    /// Args:
    ///     X: features, shape ``(samples, inputs)``; converted to float32 as
    ///         ``numpy.asarray(X, dtype=numpy.float32)`` would (read in place when it already is
    ///         C-contiguous float32); NaN or infinite values are refused.
    ///     y: integer class labels ``0..classes-1``, shape ``(samples,)``.
    ///     epochs: epochs to train (the paper's 250).
    ///     learning_rate: Adam's learning rate (β1 0.9, β2 0.999, ε 1e-7).
    ///     batch_size: samples per optimizer step; ``None`` is full batch (one step per epoch).
    ///     validation_data: ``(X_val, y_val)``, evaluated before each epoch's update.
    ///
    /// Raises:
    ///     ValueError: a dtype, shape, label or value the network cannot take, mismatched
    ///         lengths, a bad option — before anything is trained.
    ///     FloatingPointError: an epoch whose loss or update would not be finite (the weights of
    ///         the last whole epoch are kept).
    ///     KeyboardInterrupt: on Ctrl-C, at the next epoch.
    #[pyo3(signature = (X, y, *, epochs=250, learning_rate=1e-3, batch_size=None, validation_data=None))]
    #[allow(non_snake_case, clippy::too_many_arguments)]
    fn fit<'py>(
        &mut self,
        py: Python<'py>,
        X: &Bound<'py, PyAny>,
        y: &Bound<'py, PyAny>,
        epochs: usize,
        learning_rate: f64,
        batch_size: Option<usize>,
        validation_data: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let x = features("X", X)?;
        let y = labels("y", y)?;
        let x_cols = x.as_array().ncols();
        let val = match validation_data {
            None => None,
            Some(v) => {
                let (vx, vy): (Bound<'py, PyAny>, Bound<'py, PyAny>) =
                    v.extract().map_err(|_| value("validation_data: expected a tuple (X_val, y_val)"))?;
                let vx = features("validation_data: X_val", &vx)?;
                if vx.as_array().ncols() != x_cols {
                    return Err(value(format!(
                        "validation_data: X_val has {} features, X has {x_cols}",
                        vx.as_array().ncols()
                    )));
                }
                let vy = labels("validation_data: y_val", &vy)?;
                Some((vx.as_slice()?.to_vec(), vy))
            }
        };
        let with_val = val.is_some();
        let batch_size = match batch_size {
            None => None,
            Some(n) => Some(NonZeroUsize::new(n).ok_or_else(|| value("batch_size: must be at least 1"))?),
        };
        let built_now = self.build(x_cols, &y)?;
        if let Err(e) = check_inputs(self.model.as_ref().expect("built"), x_cols) {
            if built_now {
                self.model = None;
            }
            return Err(e);
        }
        // Copied once: the GIL is released while training, and Python may change its arrays.
        let x = x.as_slice()?.to_vec();
        let options = FitOptions { epochs, learning_rate, batch_size };
        let model = self.model.as_mut().expect("built above");
        let mut interrupt: Option<PyErr> = None;
        let result = py.detach(|| {
            let val = val.as_ref().map(|(vx, vy)| Arrays { x: vx, y: vy });
            model.fit(Arrays { x: &x, y: &y }, val, &options, &mut |_| match Python::attach(|py| {
                py.check_signals()
            }) {
                Ok(()) => true,
                Err(e) => {
                    interrupt = Some(e);
                    false
                }
            })
        });
        let history = match result {
            Ok(h) => h,
            Err(e) => {
                // Refused before training: a network built by this call waits for good data.
                if built_now {
                    self.model = None;
                }
                return Err(to_py(e));
            }
        };
        let layers = self.model.as_ref().expect("built").shape().layers();
        let dict = history_dict(py, &history, layers, with_val)?;
        self.history = Some(dict.clone().unbind());
        match history.end {
            End::Finished => Ok(dict),
            End::Stopped => Err(interrupt.unwrap_or_else(|| value("stopped"))),
            End::Diverged => Err(PyFloatingPointError::new_err(format!(
                "epoch {}: training diverged (the loss or an update would not be finite); the network keeps its weights after epoch {}, and net.history those epochs",
                history.train.len() + 1,
                history.train.len()
            ))),
        }
    }

    /// Class probabilities of each row of ``X``, shape ``(samples, classes)``, float32.
    ///
    /// Example:
    ///     >>> net = sn.MLP("2-8-2", seed=1)
    ///     >>> net.predict_proba([[0.0, 1.0]]).shape
    ///     (1, 2)
    #[allow(non_snake_case)]
    fn predict_proba<'py>(
        &self,
        py: Python<'py>,
        X: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray2<f32>>> {
        let model = self.model()?;
        let x = features("X", X)?;
        check_inputs(model, x.as_array().ncols())?;
        let p = model.predict_proba(x.as_slice()?).map_err(to_py)?;
        Ok(arrays::matrix(py, p, model.shape().classes()))
    }

    /// The predicted class of each row of ``X`` (the first largest probability, as NumPy's
    /// ``argmax`` and the recorded accuracy), int64.
    #[allow(non_snake_case)]
    fn predict<'py>(
        &self,
        py: Python<'py>,
        X: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, numpy::PyArray1<i64>>> {
        let model = self.model()?;
        let x = features("X", X)?;
        check_inputs(model, x.as_array().ncols())?;
        let c = model.predict(x.as_slice()?).map_err(to_py)?;
        Ok(arrays::labels_out(py, &c))
    }

    /// Mean categorical cross-entropy and accuracy on ``X``, ``y``: ``(loss, accuracy)``, as the
    /// study records them.
    #[allow(non_snake_case)]
    fn evaluate(&mut self, X: &Bound<'_, PyAny>, y: &Bound<'_, PyAny>) -> PyResult<(f32, f32)> {
        let x = features("X", X)?;
        let y = labels("y", y)?;
        let model = self.model.as_mut().ok_or_else(|| value("the network is built by its first fit"))?;
        check_inputs(model, x.as_array().ncols())?;
        let m = model.evaluate(Arrays { x: x.as_slice()?, y: &y }).map_err(to_py)?;
        Ok((m.loss, m.accuracy))
    }

    /// The accuracy on ``X``, ``y`` (scikit-learn's ``score``).
    #[allow(non_snake_case)]
    fn score(&mut self, X: &Bound<'_, PyAny>, y: &Bound<'_, PyAny>) -> PyResult<f32> {
        self.evaluate(X, y).map(|(_, accuracy)| accuracy)
    }

    /// Each dense layer's weights and biases as NumPy copies: a list of ``(W, b)`` with ``W`` of
    /// shape ``(fan_in, fan_out)`` (``W[i, j]`` connects input ``i`` to output ``j``) — plus the
    /// gains and shifts ``(W, b, gain, shift)`` of a normalized hidden layer.
    #[getter]
    fn weights<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for l in self.model()?.network().layers() {
            let w = arrays::matrix(py, l.weights.to_vec(), l.fan_out);
            let b = arrays::vector(py, l.bias.to_vec());
            let item = match l.norm {
                None => PyTuple::new(py, [w.into_any(), b.into_any()])?,
                Some(n) => PyTuple::new(
                    py,
                    [
                        w.into_any(),
                        b.into_any(),
                        arrays::vector(py, n.gain.to_vec()).into_any(),
                        arrays::vector(py, n.shift.to_vec()).into_any(),
                    ],
                )?,
            };
            list.append(item)?;
        }
        Ok(list)
    }

    /// The widths, inputs first and classes last (``None`` before the first fit of a network
    /// given hidden widths only).
    #[getter]
    fn layers(&self) -> Option<Vec<usize>> {
        self.model.as_ref().map(|m| m.shape().widths().to_vec())
    }

    /// Whether each hidden layer is followed by a layer normalization.
    #[getter]
    fn layer_norm(&self) -> bool {
        self.layer_norm
    }

    /// The history of the last :meth:`fit` (``None`` before one).
    #[getter]
    fn history(&self, py: Python<'_>) -> Option<Py<PyDict>> {
        self.history.as_ref().map(|h| h.clone_ref(py))
    }

    /// Adam steps taken since the network was made or loaded.
    #[getter]
    fn steps(&self) -> PyResult<u64> {
        Ok(self.model()?.steps())
    }

    /// The network as a checkpoint (the SNN format of ``saorsa_nn``'s core and the study's
    /// ``.bin`` files).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.model()?.checkpoint()))
    }

    /// Writes the network's checkpoint to ``path`` (atomically: a temporary file renamed into
    /// place). Raises ``OSError`` when it cannot be written.
    fn save(&self, path: PathBuf) -> PyResult<()> {
        let bytes = self.model()?.checkpoint();
        harness::output::write_atomic(&path, &bytes).map_err(to_py)
    }

    /// The network a checkpoint's bytes hold (Adam's state starts afresh).
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Mlp> {
        Ok(Mlp::wrap(Model::from_checkpoint(data).map_err(to_py)?, None))
    }

    /// The network of the checkpoint file ``path`` — one this class saved, or any ``.bin`` of a
    /// study's folder (Adam's state starts afresh). Raises ``OSError`` for a file that cannot be
    /// read, ``ValueError`` for one that is not an intact checkpoint.
    #[staticmethod]
    fn load(path: PathBuf) -> PyResult<Mlp> {
        const MAX_BYTES: u64 = 1 << 32;
        let bytes = harness::output::read_bounded(&path, MAX_BYTES).map_err(to_py)?;
        let model = Model::from_checkpoint(&bytes)
            .map_err(|e| value(format!("{}: {e}", harness::error::quote_path(&path))))?;
        Ok(Mlp::wrap(model, None))
    }

    /// The initializer's machine name (``"glorot"`` for ``"xavier"``), ``None`` for a loaded
    /// network.
    #[getter]
    fn init(&self) -> Option<String> {
        self.made_with.as_ref().map(|(i, _)| i.name())
    }

    /// The model seed, ``None`` for a loaded network.
    #[getter]
    fn seed(&self) -> Option<u64> {
        self.made_with.as_ref().map(|(_, s)| *s)
    }

    fn __repr__(&self) -> String {
        let shape = match (&self.model, &self.hidden) {
            (Some(m), _) => format!("\"{}\"", m.shape()),
            (None, Some(h)) => format!("hidden={h:?}"),
            (None, None) => "?".into(),
        };
        let made = match &self.made_with {
            Some((init, seed)) => format!(", init=\"{}\", seed={seed}", init.name()),
            None => String::new(),
        };
        let norm = if self.layer_norm { ", layer_norm=True" } else { "" };
        format!("MLP({shape}{made}{norm})")
    }
}

fn check_inputs(model: &Model, cols: usize) -> PyResult<()> {
    if model.shape().inputs() != cols {
        return Err(value(format!(
            "X has {cols} features, but the network has {} inputs",
            model.shape().inputs()
        )));
    }
    Ok(())
}

/// The final network of run ``init``, ``seed`` of the study in ``path``.
#[pyfunction]
pub fn run_model(path: PathBuf, init: &str, seed: u64) -> PyResult<Mlp> {
    let spec = InitSpec::parse(init).map_err(|e| value(format!("init: {e}")))?;
    let model = Model::from_run(&path, &spec, seed).map_err(to_py)?;
    Ok(Mlp::wrap(model, Some((spec, seed))))
}
