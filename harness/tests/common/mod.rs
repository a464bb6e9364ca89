//! Helpers shared by the harness's integration tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file below `dir` (relative path → bytes), in path order.
#[allow(dead_code)] // not every test binary that includes `common` uses it
pub fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The value nearest `start` on the grid `start + t·step`, trying
/// `t = 0, 1, −1, 2, −2, …`, for which `clear` holds (a bias or shift moved
/// until no pre-activation sits near a ReLU kink).
///
/// # Panics
///
/// If none of the first 2000 grid points is clear.
#[allow(dead_code)] // not every test binary that includes `common` uses it
pub fn nearest_clear(start: f32, step: f64, what: &str, clear: impl Fn(f32) -> bool) -> f32 {
    let (mut t, mut v) = (0i32, start);
    while !clear(v) {
        t = if t > 0 { -t } else { 1 - t };
        v = (f64::from(start) + f64::from(t) * step) as f32;
        assert!(t.abs() < 1000, "no clear {what}");
    }
    v
}

/// A value's bits, element by element.
#[allow(dead_code)] // not every test binary that includes `common` uses it
pub fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|v| v.to_bits()).collect()
}

/// Metrics as bits: loss, accuracy, correct, samples.
#[allow(dead_code)]
pub fn metric_bits(m: saorsa_nn::Metrics) -> (u32, u32, usize, usize) {
    (m.loss.to_bits(), m.accuracy.to_bits(), m.correct, m.samples)
}

/// One epoch's metric bits, or its error.
#[allow(dead_code)]
pub type Epoch = Result<(u32, u32, usize, usize), saorsa_nn::Error>;

/// What a training run leaves, as bits: every epoch's metrics, then the
/// parameters, both Adam moments and the step count.
#[allow(dead_code)]
pub type Trace = (Vec<Epoch>, Vec<u32>, Vec<u32>, Vec<u32>, u64);

/// Trains `t` for `epochs` epochs on `data` and returns its [`Trace`].
/// With full batches, each epoch's metrics must be [`saorsa_nn::Network::evaluate`]'s
/// (`chunk` samples at a time) on the weights before it (asserted).
#[allow(dead_code)]
pub fn trace(
    t: &mut saorsa_nn::NetworkTrainer<Vec<f32>>,
    data: &saorsa_nn::Samples<'_>,
    batching: saorsa_nn::Batching,
    epochs: usize,
    chunk: usize,
) -> Trace {
    let (shape, mb) = (t.shape().clone(), t.micro_batch());
    let mut scratch = vec![0.0f32; shape.evaluation_scratch_len(chunk)];
    let epochs = (0..epochs)
        .map(|_| {
            let before = t.network().evaluate(data, &mut scratch).unwrap();
            let r = t.train_epoch(data, batching);
            if let (Ok(m), saorsa_nn::Batching::Full) = (r, batching) {
                assert_eq!(metric_bits(m), metric_bits(before), "{shape}: epoch vs evaluate, B = {mb}");
            }
            r.map(metric_bits)
        })
        .collect();
    let (m, v) = t.moments();
    (epochs, bits(t.parameters()), bits(m), bits(v), t.steps())
}
