//! `kernels_differential`: every kernel against its naive reference loop.

use crate::first_difference;
use crate::values::{any_f32, int};
use arbitrary::Unstructured;
use saorsa_nn::kernels::{self, AdamStep, LossTotals, reference};

fn vec_f32(u: &mut Unstructured<'_>, len: usize) -> Vec<f32> {
    (0..len).map(|_| any_f32(u)).collect()
}

/// Values for the sparse side of a zero-skipping kernel: half of them ±0.
fn sparse_f32(u: &mut Unstructured<'_>, len: usize) -> Vec<f32> {
    (0..len)
        .map(|_| match u.int_in_range(0..=3u8).unwrap_or(0) {
            0 => 0.0,
            1 => -0.0,
            _ => any_f32(u),
        })
        .collect()
}

/// A dimension: mostly 1..=17, sometimes up to 80, so that the kernels'
/// 64-wide tiles and their remainders are reached too.
fn dim(u: &mut Unstructured<'_>, lo: usize) -> usize {
    if u.ratio(1, 4).unwrap_or(false) { int(u, lo, 80) } else { int(u, lo, 17) }
}

fn finite(v: &[f32]) -> bool {
    v.iter().all(|x| x.is_finite())
}

fn no_negative_zero(v: &[f32]) -> bool {
    !v.iter().any(|x| x.to_bits() == (-0.0f32).to_bits())
}

fn assert_same(kernel: &str, what: &str, fast: &[f32], naive: &[f32], shape: &str) {
    if let Some(k) = first_difference(fast, naive) {
        panic!(
            "{kernel} ({shape}): {what}[{k}] = {} ({:#010x}) but the reference gives {} ({:#010x})",
            fast[k],
            fast[k].to_bits(),
            naive[k],
            naive[k].to_bits()
        );
    }
}

fn assert_same_totals(kernel: &str, fast: &LossTotals, naive: &LossTotals, shape: &str) {
    assert_same(kernel, "loss_sum", &[fast.loss_sum], &[naive.loss_sum], shape);
    assert_eq!((fast.correct, fast.count), (naive.correct, naive.count), "{kernel} ({shape}): counts");
}

/// One of the thirteen kernels of [`saorsa_nn::kernels`], chosen by the
/// first byte, on arbitrary shapes (each dimension mostly 1..=17, a quarter
/// of the time up to 80 to reach the 64-wide tiles; the batch from 0) and
/// arbitrary values (NaN, ±∞, subnormals, huge ones; half zeros on the
/// sparse side of a zero-skipping kernel), against the same call of its
/// loop in [`saorsa_nn::kernels::reference`]; labels are below the number
/// of classes, as the kernels require.
///
/// Properties: every output is bit-identical (NaN compared as NaN, see
/// [`crate::same_f32`]), since both follow the same summation order; each
/// zero-skipping kernel equals its dense counterpart bit for bit under the
/// conditions its documentation states (finite weights or `dy`, no `−0`
/// bias or `dw`); and `adam_update_is_finite` is true exactly when the
/// update leaves every parameter and both moments finite, and
/// `adam_update_is_surely_finite` never true where it is not.
pub fn kernels_differential(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let kernel = int(&mut u, 0, 12);
    let n = dim(&mut u, 0);
    let fan_in = dim(&mut u, 1);
    let fan_out = dim(&mut u, 1);
    let shape = format!("n = {n}, fan_in = {fan_in}, fan_out = {fan_out}");
    match kernel {
        0 => {
            let x = vec_f32(&mut u, n * fan_in);
            let w = vec_f32(&mut u, fan_in * fan_out);
            let b = vec_f32(&mut u, fan_out);
            let junk = vec_f32(&mut u, n * fan_out);
            let (mut fast, mut naive) = (junk.clone(), junk);
            kernels::affine_forward(&x, &w, &b, &mut fast);
            reference::affine_forward(&x, &w, &b, &mut naive);
            assert_same("affine_forward", "y", &fast, &naive, &shape);
        }
        1 => {
            let dy = vec_f32(&mut u, n * fan_out);
            let w = vec_f32(&mut u, fan_in * fan_out);
            let junk = vec_f32(&mut u, n * fan_in);
            let (mut fast, mut naive) = (junk.clone(), junk);
            kernels::backward_input(&dy, &w, &mut fast, fan_out);
            reference::backward_input(&dy, &w, &mut naive, fan_out);
            assert_same("backward_input", "dx", &fast, &naive, &shape);
        }
        2 => {
            let x = vec_f32(&mut u, n * fan_in);
            let dy = vec_f32(&mut u, n * fan_out);
            let dw = vec_f32(&mut u, fan_in * fan_out);
            let db = vec_f32(&mut u, fan_out);
            let (mut dw_fast, mut db_fast) = (dw.clone(), db.clone());
            let (mut dw_naive, mut db_naive) = (dw, db);
            kernels::accumulate_param_grad(&x, &dy, &mut dw_fast, &mut db_fast);
            reference::accumulate_param_grad(&x, &dy, &mut dw_naive, &mut db_naive);
            assert_same("accumulate_param_grad", "dw", &dw_fast, &dw_naive, &shape);
            assert_same("accumulate_param_grad", "db", &db_fast, &db_naive, &shape);
        }
        3 => {
            let y = vec_f32(&mut u, n * fan_out);
            let (mut fast, mut naive) = (y.clone(), y);
            kernels::relu_in_place(&mut fast);
            reference::relu_in_place(&mut naive);
            assert_same("relu_in_place", "y", &fast, &naive, &shape);
        }
        4 => {
            let y = vec_f32(&mut u, n * fan_out);
            let d = vec_f32(&mut u, n * fan_out);
            let (mut fast, mut naive) = (d.clone(), d);
            kernels::relu_backward_in_place(&y, &mut fast);
            reference::relu_backward_in_place(&y, &mut naive);
            assert_same("relu_backward_in_place", "d", &fast, &naive, &shape);
        }
        5 => {
            let z = vec_f32(&mut u, n * fan_out);
            let (mut fast, mut naive) = (z.clone(), z);
            kernels::softmax_rows(&mut fast, fan_out);
            reference::softmax_rows(&mut naive, fan_out);
            assert_same("softmax_rows", "p", &fast, &naive, &shape);
        }
        6 => {
            let classes = fan_out;
            let p = vec_f32(&mut u, n * classes);
            let labels = labels(&mut u, n, classes);
            let start = LossTotals {
                loss_sum: any_f32(&mut u),
                correct: int(&mut u, 0, 3),
                count: int(&mut u, 0, 3),
            };
            let (mut fast, mut naive) = (start, start);
            kernels::cross_entropy_accumulate(&p, &labels, classes, &mut fast);
            reference::cross_entropy_accumulate(&p, &labels, classes, &mut naive);
            assert_same_totals("cross_entropy_accumulate", &fast, &naive, &shape);
        }
        7 => {
            let classes = fan_out;
            let p = vec_f32(&mut u, n * classes);
            let labels = labels(&mut u, n, classes);
            let scale = if u.arbitrary().unwrap_or(true) { n.max(1) as f32 } else { any_f32(&mut u) };
            let (mut fast, mut naive) = (p.clone(), p);
            kernels::softmax_cross_entropy_grad(&mut fast, &labels, classes, scale);
            reference::softmax_cross_entropy_grad(&mut naive, &labels, classes, scale);
            assert_same("softmax_cross_entropy_grad", "p", &fast, &naive, &shape);
        }
        8 => {
            let m = vec_f32(&mut u, n * fan_in);
            let junk = vec_f32(&mut u, n * fan_in);
            let (mut fast, mut naive) = (junk.clone(), junk);
            kernels::transpose(&m, fan_in, &mut fast);
            reference::transpose(&m, fan_in, &mut naive);
            assert_same("transpose", "t", &fast, &naive, &shape);
        }
        9 => {
            let x = sparse_f32(&mut u, n * fan_in);
            let w = vec_f32(&mut u, fan_in * fan_out);
            let b = vec_f32(&mut u, fan_out);
            let junk = vec_f32(&mut u, n * fan_out);
            let (mut fast, mut naive, mut dense) = (junk.clone(), junk.clone(), junk);
            kernels::sparse_affine_forward(&x, &w, &b, &mut fast);
            reference::sparse_affine_forward(&x, &w, &b, &mut naive);
            assert_same("sparse_affine_forward", "y", &fast, &naive, &shape);
            if finite(&w) && no_negative_zero(&b) {
                kernels::affine_forward(&x, &w, &b, &mut dense);
                assert_same("sparse_affine_forward vs affine_forward", "y", &fast, &dense, &shape);
            }
        }
        10 => {
            let x = sparse_f32(&mut u, n * fan_in);
            let dy = vec_f32(&mut u, n * fan_out);
            let dw = vec_f32(&mut u, fan_in * fan_out);
            let db = vec_f32(&mut u, fan_out);
            let (mut dw_fast, mut db_fast) = (dw.clone(), db.clone());
            let (mut dw_naive, mut db_naive) = (dw.clone(), db.clone());
            kernels::sparse_accumulate_param_grad(&x, &dy, &mut dw_fast, &mut db_fast);
            reference::sparse_accumulate_param_grad(&x, &dy, &mut dw_naive, &mut db_naive);
            assert_same("sparse_accumulate_param_grad", "dw", &dw_fast, &dw_naive, &shape);
            assert_same("sparse_accumulate_param_grad", "db", &db_fast, &db_naive, &shape);
            if finite(&dy) && no_negative_zero(&dw) {
                let (mut dw_dense, mut db_dense) = (dw, db);
                kernels::accumulate_param_grad(&x, &dy, &mut dw_dense, &mut db_dense);
                let what = "sparse_accumulate_param_grad vs accumulate_param_grad";
                assert_same(what, "dw", &dw_fast, &dw_dense, &shape);
                assert_same(what, "db", &db_fast, &db_dense, &shape);
            }
        }
        11 => {
            let dy = sparse_f32(&mut u, n * fan_out);
            let w = vec_f32(&mut u, fan_in * fan_out);
            let y = sparse_f32(&mut u, n * fan_in);
            let junk = vec_f32(&mut u, n * fan_in);
            let mut wt = vec![0.0; w.len()];
            reference::transpose(&w, fan_out, &mut wt);
            let (mut fast, mut naive, mut dense) = (junk.clone(), junk.clone(), junk);
            kernels::sparse_backward_input_relu(&dy, &wt, &y, &mut fast, fan_out);
            reference::sparse_backward_input_relu(&dy, &wt, &y, &mut naive, fan_out);
            assert_same("sparse_backward_input_relu", "dx", &fast, &naive, &shape);
            if finite(&w) {
                kernels::backward_input(&dy, &w, &mut dense, fan_out);
                kernels::relu_backward_in_place(&y, &mut dense);
                let what = "sparse_backward_input_relu vs backward_input + relu_backward_in_place";
                assert_same(what, "dx", &fast, &dense, &shape);
            }
        }
        _ => {
            let len = n * fan_in;
            let step = adam_step(&mut u);
            let theta = vec_f32(&mut u, len);
            let g = vec_f32(&mut u, len);
            let m = vec_f32(&mut u, len);
            let v = vec_f32(&mut u, len);
            let finite = kernels::adam_update_is_finite(&theta, &g, &m, &v, &step);
            let proven = kernels::adam_update_is_surely_finite(&theta, &g, &m, &v, &step);
            let (mut t_fast, mut m_fast, mut v_fast) = (theta.clone(), m.clone(), v.clone());
            let (mut t_naive, mut m_naive, mut v_naive) = (theta, m, v);
            kernels::adam_update(&mut t_fast, &g, &mut m_fast, &mut v_fast, &step);
            reference::adam_update(&mut t_naive, &g, &mut m_naive, &mut v_naive, &step);
            let shape = format!("{len} parameters, {step:?}");
            assert_same("adam_update", "theta", &t_fast, &t_naive, &shape);
            assert_same("adam_update", "m", &m_fast, &m_naive, &shape);
            assert_same("adam_update", "v", &v_fast, &v_naive, &shape);
            let all_finite = |x: &[f32]| x.iter().all(|v| v.is_finite());
            assert_eq!(
                finite,
                all_finite(&t_naive) && all_finite(&m_naive) && all_finite(&v_naive),
                "adam_update_is_finite disagrees with the update ({shape})"
            );
            assert!(!proven || finite, "adam_update_is_surely_finite proved a non-finite update ({shape})");
        }
    }
}

fn labels(u: &mut Unstructured<'_>, n: usize, classes: usize) -> Vec<u8> {
    (0..n).map(|_| int(u, 0, classes - 1) as u8).collect()
}

/// Mostly the constants `Adam` derives (valid hyperparameters), sometimes raw values.
fn adam_step(u: &mut Unstructured<'_>) -> AdamStep {
    if u.arbitrary().unwrap_or(true) {
        let adam = saorsa_nn::Adam {
            learning_rate: f64::from(any_f32(u)).abs(),
            beta1: f64::from(u.arbitrary::<u16>().unwrap_or(0)) / 65536.0,
            beta2: f64::from(u.arbitrary::<u16>().unwrap_or(0)) / 65536.0,
            epsilon: f64::from(any_f32(u)).abs(),
        };
        adam.step(u.arbitrary::<u16>().unwrap_or(0) as u64 + 1)
    } else {
        AdamStep {
            lr: any_f32(u),
            beta1: any_f32(u),
            one_minus_beta1: any_f32(u),
            beta2: any_f32(u),
            one_minus_beta2: any_f32(u),
            epsilon: any_f32(u),
            correction1: any_f32(u),
            correction2: any_f32(u),
        }
    }
}
