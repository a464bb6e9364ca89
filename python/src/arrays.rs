//! NumPy arrays in and out.
//!
//! Features (`X`) are taken as `float32`: a C-contiguous `float32` array is read in place; any
//! other real dtype (`float64`, `float16`, integers, `bool`) or an array-like (list, DataFrame) is
//! converted as `numpy.asarray(X, dtype=numpy.float32)` would (so `float64` is rounded to the
//! nearest `float32`). Complex, object, string and date dtypes are refused. Labels (`y`) must
//! have an integer or `bool` dtype with values 0 to 255; floats are refused, not rounded.
//! Outputs are new arrays owning their data.

use crate::errors::value;
use numpy::{PyArray1, PyArray2, PyArrayDescrMethods, PyArrayMethods, PyReadonlyArray2, PyUntypedArray};
use numpy::{PyUntypedArrayMethods, ndarray::Array2};
use pyo3::prelude::*;

/// `obj` as a NumPy array (`numpy.asarray`).
fn asarray<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyUntypedArray>> {
    let np = obj.py().import("numpy")?;
    Ok(np.call_method1("asarray", (obj,))?.cast_into::<PyUntypedArray>()?)
}

fn dtype_name(a: &Bound<'_, PyUntypedArray>) -> String {
    a.dtype().to_string()
}

fn shape_text(shape: &[usize]) -> String {
    match shape {
        [n] => format!("({n},)"),
        _ => format!("({})", shape.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")),
    }
}

/// A 2-D `float32` view of features `X` (named `what` in errors), converted where NumPy would.
pub fn features<'py>(what: &str, obj: &Bound<'py, PyAny>) -> PyResult<PyReadonlyArray2<'py, f32>> {
    let a = asarray(obj)?;
    let kind = a.dtype().kind();
    if !matches!(kind, b'f' | b'i' | b'u' | b'b') {
        return Err(value(format!(
            "{what}: dtype {} is not real numbers; give float32 (float64, integers and bool are converted)",
            dtype_name(&a)
        )));
    }
    if a.ndim() != 2 {
        let hint = if a.ndim() == 1 { "; for one feature use X.reshape(-1, 1)" } else { "" };
        return Err(value(format!(
            "{what} must be 2-D (samples × features), got shape {}{hint}",
            shape_text(a.shape())
        )));
    }
    let np = obj.py().import("numpy")?;
    let f32_c = np.call_method1("ascontiguousarray", (a, "float32"))?;
    Ok(f32_c.cast_into::<PyArray2<f32>>()?.readonly())
}

/// Class labels `y` (named `what` in errors) as bytes, one per sample.
pub fn labels(what: &str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let a = asarray(obj)?;
    let kind = a.dtype().kind();
    if !matches!(kind, b'i' | b'u' | b'b') {
        return Err(value(format!(
            "{what}: dtype {} is not class labels; give integers 0..K-1 (e.g. y.astype(int))",
            dtype_name(&a)
        )));
    }
    if a.ndim() != 1 {
        return Err(value(format!(
            "{what} must be 1-D (one label per sample), got shape {}",
            shape_text(a.shape())
        )));
    }
    let as_i64 = a.call_method1("astype", ("int64",))?.cast_into::<PyArray1<i64>>()?;
    let ro = as_i64.readonly();
    let v = ro.as_array();
    v.iter()
        .enumerate()
        .map(|(k, &l)| {
            u8::try_from(l).map_err(|_| {
                value(format!(
                    "{what}: sample {k} has label {l}; labels are classes 0..K-1 with K at most 256"
                ))
            })
        })
        .collect()
}

/// `values` (`rows × cols`, row-major) as a new 2-D array.
pub fn matrix<'py, T: numpy::Element>(
    py: Python<'py>,
    values: Vec<T>,
    cols: usize,
) -> Bound<'py, PyArray2<T>> {
    let rows = values.len().checked_div(cols).unwrap_or(0);
    let a = Array2::from_shape_vec((rows, cols), values).expect("whole rows");
    PyArray2::from_owned_array(py, a)
}

/// `values` as a new 1-D array.
pub fn vector<'py, T: numpy::Element>(py: Python<'py>, values: Vec<T>) -> Bound<'py, PyArray1<T>> {
    PyArray1::from_vec(py, values)
}

/// Labels as `int64`, the dtype NumPy and scikit-learn give class labels.
pub fn labels_out<'py>(py: Python<'py>, y: &[u8]) -> Bound<'py, PyArray1<i64>> {
    vector(py, y.iter().map(|&l| i64::from(l)).collect())
}
