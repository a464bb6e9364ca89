//! Hand-written slice kernels: the only module of the crate where speed matters.
//!
//! Every matrix is a row-major `&[f32]`. A batch of `n` samples with `d`
//! features is `n × d`; a dense layer's weights are `fan_in × fan_out`, as in
//! the paper's framework (`inputs @ weights + biases`).
//!
//! # Summation order
//!
//! The order of every sum is fixed and documented below, and each kernel in
//! this module has a naive loop in [`reference`](mod@reference) that follows the same order,
//! so the two agree bit for bit, on every CPU. No kernel uses a fused
//! multiply-add; the only transcendental functions are `libm`'s, and the
//! square root is the correctly rounded IEEE one ([`sqrt`]).
//!
//! - [`affine_forward`]: `y[s][j] = (((b[j] + x[s][0]·w[0][j]) + x[s][1]·w[1][j]) + …)`,
//!   the input index `i` increasing.
//! - [`backward_input`]: `dx[s][i] = (((0 + dy[s][0]·w[i][0]) + dy[s][1]·w[i][1]) + …)`,
//!   the output index `j` increasing.
//! - [`accumulate_param_grad`]: `dw[i][j] += x[s][i]·dy[s][j]` and
//!   `db[j] += dy[s][j]`, one sample at a time, `s` increasing. Because the
//!   accumulator carries over from one call to the next, a gradient gathered
//!   over micro-batches of any size is bit-identical to one gathered in one
//!   call.
//! - [`softmax_rows`]: the row maximum and the sum of exponentials run over
//!   the classes in increasing order.
//! - [`cross_entropy_accumulate`]: per-sample losses are added to the running
//!   total in sample order.
//!
//! The loops are written so that the compiler vectorizes them without
//! reassociating any sum: the forward product and the weight gradient are
//! `axpy` updates across the output index, where each lane is an independent
//! sum.

/// The shape implied by a bias (`fan_out`) and a weight slice.
///
/// # Panics
///
/// If `fan_out` is zero or `w.len()` is not a non-zero multiple of it.
fn fan_in(w: &[f32], fan_out: usize) -> usize {
    assert!(fan_out > 0, "fan_out must be positive");
    assert!(!w.is_empty() && w.len().is_multiple_of(fan_out), "weights must be fan_in × fan_out");
    w.len() / fan_out
}

/// `acc[k] += x·w[k]` for every lane: the kernels' one inner step (a
/// multiply, then an add; never fused).
#[inline(always)]
fn axpy<const J: usize>(acc: &mut [f32; J], x: f32, w: &[f32; J]) {
    for (a, &wk) in acc.iter_mut().zip(w) {
        *a += x * wk;
    }
}

/// Dense forward pass: `y = x·W + b`.
///
/// `x` is `n × fan_in`, `w` is `fan_in × fan_out`, `b` is `fan_out` and `y`
/// is `n × fan_out`; `fan_out = b.len()`.
///
/// Register-tiled: each tile keeps 4 samples × 16 outputs in registers while
/// `i` runs over the whole fan-in, so that each weight row loaded serves four
/// samples. Every output is still one sum in increasing `i`.
///
/// # Panics
///
/// If the slice lengths are inconsistent.
pub fn affine_forward(x: &[f32], w: &[f32], b: &[f32], y: &mut [f32]) {
    let fan_out = b.len();
    let fan_in = fan_in(w, fan_out);
    assert_eq!(x.len() / fan_in, y.len() / fan_out, "batch sizes differ");
    assert!(x.len().is_multiple_of(fan_in) && y.len().is_multiple_of(fan_out));
    let n4 = x.len() / fan_in / 4 * 4;
    let (x4, x1) = x.split_at(n4 * fan_in);
    let (y4, y1) = y.split_at_mut(n4 * fan_out);
    for (xs, ys) in x4.chunks_exact(4 * fan_in).zip(y4.chunks_exact_mut(4 * fan_out)) {
        forward_samples::<4>(xs, w, b, ys);
    }
    for (xs, ys) in x1.chunks_exact(fan_in).zip(y1.chunks_exact_mut(fan_out)) {
        forward_samples::<1>(xs, w, b, ys);
    }
}

/// `S` (1 or 4) samples of [`affine_forward`], in tiles of 16, 8, then the
/// rest of the outputs.
#[inline(always)]
fn forward_samples<const S: usize>(x: &[f32], w: &[f32], b: &[f32], y: &mut [f32]) {
    let fan_out = b.len();
    let mut j0 = 0;
    while fan_out - j0 >= 16 {
        forward_tile::<S, 16>(x, w, b, y, j0);
        j0 += 16;
    }
    if fan_out - j0 >= 8 {
        forward_tile::<S, 8>(x, w, b, y, j0);
        j0 += 8;
    }
    match fan_out - j0 {
        1 => forward_tile::<S, 1>(x, w, b, y, j0),
        2 => forward_tile::<S, 2>(x, w, b, y, j0),
        3 => forward_tile::<S, 3>(x, w, b, y, j0),
        4 => forward_tile::<S, 4>(x, w, b, y, j0),
        5 => forward_tile::<S, 5>(x, w, b, y, j0),
        6 => forward_tile::<S, 6>(x, w, b, y, j0),
        7 => forward_tile::<S, 7>(x, w, b, y, j0),
        _ => {}
    }
}

/// Outputs `j0..j0 + J` of `S` (1 or 4) samples: `S × J` accumulators in
/// registers, `i` increasing. (Four named accumulators rather than an
/// array of them: LLVM keeps those in registers.)
#[inline(always)]
fn forward_tile<const S: usize, const J: usize>(x: &[f32], w: &[f32], b: &[f32], y: &mut [f32], j0: usize) {
    let fan_out = b.len();
    let fan_in = x.len() / S;
    let bias: [f32; J] = b[j0..j0 + J].try_into().expect("tile");
    let rows = w.chunks_exact(fan_out).map(|r| -> &[f32; J] { r[j0..j0 + J].try_into().expect("tile") });
    let out = |y: &mut [f32], s: usize, a: &[f32; J]| {
        y[s * fan_out + j0..s * fan_out + j0 + J].copy_from_slice(a);
    };
    if S == 4 {
        let (x0, rest) = x.split_at(fan_in);
        let (x1, rest) = rest.split_at(fan_in);
        let (x2, x3) = rest.split_at(fan_in);
        let (mut a0, mut a1, mut a2, mut a3) = (bias, bias, bias, bias);
        for ((((wr, &v0), &v1), &v2), &v3) in rows.zip(x0).zip(x1).zip(x2).zip(x3) {
            axpy(&mut a0, v0, wr);
            axpy(&mut a1, v1, wr);
            axpy(&mut a2, v2, wr);
            axpy(&mut a3, v3, wr);
        }
        for (s, a) in [a0, a1, a2, a3].iter().enumerate() {
            out(y, s, a);
        }
    } else {
        for (xs, s) in x.chunks_exact(fan_in).zip(0..S) {
            let mut a = bias;
            for (wr, &v) in rows.clone().zip(xs) {
                axpy(&mut a, v, wr);
            }
            out(y, s, &a);
        }
    }
}

/// Gradient with respect to a dense layer's input: `dx = dy·Wᵀ`.
///
/// `dy` is `n × fan_out`, `w` is `fan_in × fan_out`, `dx` is `n × fan_in`.
///
/// For `n ≥ 4` the kernel transposes a block of 16 rows × up to 64 columns
/// of `W` into a 4 KiB stack buffer and runs register tiles of 4 samples ×
/// 16 inputs over it, so each `dx[s][i]` is still one sum in increasing `j`.
/// For fewer samples it runs one dot product per output.
///
/// # Panics
///
/// If the slice lengths are inconsistent.
pub fn backward_input(dy: &[f32], w: &[f32], dx: &mut [f32], fan_out: usize) {
    let fan_in = fan_in(w, fan_out);
    assert!(dy.len().is_multiple_of(fan_out) && dx.len().is_multiple_of(fan_in));
    assert_eq!(dy.len() / fan_out, dx.len() / fan_in, "batch sizes differ");
    let n = dy.len() / fan_out;
    let i0 = if n >= 4 { backward_blocks(dy, w, dx, fan_in, fan_out) } else { 0 };
    // Remaining inputs (all of them for n < 4): one dot product each.
    for (dys, dxs) in dy.chunks_exact(fan_out).zip(dx.chunks_exact_mut(fan_in)) {
        for (dxi, w_row) in dxs[i0..].iter_mut().zip(w.chunks_exact(fan_out).skip(i0)) {
            let mut acc = 0.0f32;
            for (&d, &wij) in dys.iter().zip(w_row) {
                acc += d * wij;
            }
            *dxi = acc;
        }
    }
}

/// [`backward_input`]'s register-tiled inputs (in blocks of 16, then 8) for
/// four samples or more; returns the first input left to do. Not inlined,
/// so that its 6 KiB of transposition buffers are on the stack only while it
/// runs: a microcontroller training one sample at a time never pays for them.
#[inline(never)]
fn backward_blocks(dy: &[f32], w: &[f32], dx: &mut [f32], fan_in: usize, fan_out: usize) -> usize {
    let mut i0 = 0;
    let mut wt = [[0.0f32; 16]; BT_COLS];
    while fan_in - i0 >= 16 {
        backward_block::<16>(dy, w, dx, fan_in, fan_out, i0, &mut wt);
        i0 += 16;
    }
    if fan_in - i0 >= 8 {
        let mut wt8 = [[0.0f32; 8]; BT_COLS];
        backward_block::<8>(dy, w, dx, fan_in, fan_out, i0, &mut wt8);
        i0 += 8;
    }
    i0
}

/// Columns of `W` transposed at a time by [`backward_input`].
const BT_COLS: usize = 64;

/// Inputs `i0..i0 + I` of every sample of [`backward_input`], through a
/// stack transpose of `W[i0..i0 + I][j0..j0 + 64]` per column chunk; the
/// partial sums are kept in `dx` between chunks.
#[inline(always)]
fn backward_block<const I: usize>(
    dy: &[f32],
    w: &[f32],
    dx: &mut [f32],
    fan_in: usize,
    fan_out: usize,
    i0: usize,
    wt: &mut [[f32; I]; BT_COLS],
) {
    let mut j0 = 0;
    while j0 < fan_out {
        let cols = (fan_out - j0).min(BT_COLS);
        for (r, w_row) in w.chunks_exact(fan_out).skip(i0).take(I).enumerate() {
            for (t, &v) in wt.iter_mut().zip(&w_row[j0..j0 + cols]) {
                t[r] = v;
            }
        }
        let wt = &wt[..cols];
        let first = j0 == 0;
        let n4 = dy.len() / fan_out / 4 * 4;
        let (dy4, dy1) = dy.split_at(n4 * fan_out);
        let (dx4, dx1) = dx.split_at_mut(n4 * fan_in);
        for (dys, dxs) in dy4.chunks_exact(4 * fan_out).zip(dx4.chunks_exact_mut(4 * fan_in)) {
            backward_tile::<4, I>(dys, wt, dxs, fan_in, fan_out, i0, j0, first);
        }
        for (dys, dxs) in dy1.chunks_exact(fan_out).zip(dx1.chunks_exact_mut(fan_in)) {
            backward_tile::<1, I>(dys, wt, dxs, fan_in, fan_out, i0, j0, first);
        }
        j0 += cols;
    }
}

/// `S` (1 or 4) samples × inputs `i0..i0 + I` of [`backward_input`] over
/// the columns `j0..j0 + wt.len()`, starting from `+0` (`first`) or from `dx`.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn backward_tile<const S: usize, const I: usize>(
    dy: &[f32],
    wt: &[[f32; I]],
    dx: &mut [f32],
    fan_in: usize,
    fan_out: usize,
    i0: usize,
    j0: usize,
    first: bool,
) {
    let load = |dx: &[f32], s: usize| -> [f32; I] {
        if first { [0.0; I] } else { dx[s * fan_in + i0..s * fan_in + i0 + I].try_into().expect("tile") }
    };
    let cols = wt.len();
    let d = |s: usize| &dy[s * fan_out + j0..s * fan_out + j0 + cols];
    if S == 4 {
        let (mut a0, mut a1, mut a2, mut a3) = (load(dx, 0), load(dx, 1), load(dx, 2), load(dx, 3));
        for ((((wr, &v0), &v1), &v2), &v3) in wt.iter().zip(d(0)).zip(d(1)).zip(d(2)).zip(d(3)) {
            axpy(&mut a0, v0, wr);
            axpy(&mut a1, v1, wr);
            axpy(&mut a2, v2, wr);
            axpy(&mut a3, v3, wr);
        }
        for (s, a) in [a0, a1, a2, a3].iter().enumerate() {
            dx[s * fan_in + i0..s * fan_in + i0 + I].copy_from_slice(a);
        }
    } else {
        for s in 0..S {
            let mut a = load(dx, s);
            for (wr, &v) in wt.iter().zip(d(s)) {
                axpy(&mut a, v, wr);
            }
            dx[s * fan_in + i0..s * fan_in + i0 + I].copy_from_slice(&a);
        }
    }
}

/// Accumulates a dense layer's parameter gradients: `dW += xᵀ·dy`,
/// `db += Σ_s dy[s]`, one sample at a time in sample order.
///
/// `x` is `n × fan_in`, `dy` is `n × fan_out`, `dw` is `fan_in × fan_out`,
/// `db` is `fan_out`.
///
/// Register-tiled: a tile of `dW` (4 rows × 16 columns, or 32 rows × all
/// columns when `fan_out < 8`) stays in registers while the samples stream
/// past, in order, so each element is still one sum in increasing `s`.
///
/// # Panics
///
/// If the slice lengths are inconsistent.
pub fn accumulate_param_grad(x: &[f32], dy: &[f32], dw: &mut [f32], db: &mut [f32]) {
    let fan_out = db.len();
    let fan_in = fan_in(dw, fan_out);
    assert!(x.len().is_multiple_of(fan_in) && dy.len().is_multiple_of(fan_out));
    assert_eq!(x.len() / fan_in, dy.len() / fan_out, "batch sizes differ");
    for dys in dy.chunks_exact(fan_out) {
        for (g, &d) in db.iter_mut().zip(dys) {
            *g += d;
        }
    }
    match fan_out {
        1 => grad_narrow::<1>(x, dy, dw, fan_in),
        2 => grad_narrow::<2>(x, dy, dw, fan_in),
        3 => grad_narrow::<3>(x, dy, dw, fan_in),
        4 => grad_narrow::<4>(x, dy, dw, fan_in),
        5 => grad_narrow::<5>(x, dy, dw, fan_in),
        6 => grad_narrow::<6>(x, dy, dw, fan_in),
        7 => grad_narrow::<7>(x, dy, dw, fan_in),
        _ => grad_wide(x, dy, dw, fan_in, fan_out),
    }
}

/// [`accumulate_param_grad`]'s weights for `fan_out ≥ 8`: tiles of 4 rows ×
/// 16 columns (then narrower) of `dW`.
fn grad_wide(x: &[f32], dy: &[f32], dw: &mut [f32], fan_in: usize, fan_out: usize) {
    let mut i0 = 0;
    while fan_in - i0 >= 4 {
        grad_rows::<4>(x, dy, dw, fan_in, fan_out, i0);
        i0 += 4;
    }
    while i0 < fan_in {
        grad_rows::<1>(x, dy, dw, fan_in, fan_out, i0);
        i0 += 1;
    }
}

/// Rows `i0..i0 + R` of [`grad_wide`], in column tiles.
#[inline(always)]
fn grad_rows<const R: usize>(
    x: &[f32],
    dy: &[f32],
    dw: &mut [f32],
    fan_in: usize,
    fan_out: usize,
    i0: usize,
) {
    let mut j0 = 0;
    while fan_out - j0 >= 16 {
        grad_tile::<R, 16>(x, dy, dw, fan_in, fan_out, i0, j0);
        j0 += 16;
    }
    if fan_out - j0 >= 8 {
        grad_tile::<R, 8>(x, dy, dw, fan_in, fan_out, i0, j0);
        j0 += 8;
    }
    while j0 < fan_out {
        grad_tile::<R, 1>(x, dy, dw, fan_in, fan_out, i0, j0);
        j0 += 1;
    }
}

/// `dW[i0..i0 + R][j0..j0 + J]` (`R` = 1 or 4 rows) in registers, samples
/// in order.
#[inline(always)]
fn grad_tile<const R: usize, const J: usize>(
    x: &[f32],
    dy: &[f32],
    dw: &mut [f32],
    fan_in: usize,
    fan_out: usize,
    i0: usize,
    j0: usize,
) {
    let row = |r: usize| (i0 + r) * fan_out + j0..(i0 + r) * fan_out + j0 + J;
    let load = |dw: &[f32], r: usize| -> [f32; J] { dw[row(r)].try_into().expect("tile") };
    let samples = x.chunks_exact(fan_in).zip(dy.chunks_exact(fan_out));
    if R == 4 {
        let (mut a0, mut a1, mut a2, mut a3) = (load(dw, 0), load(dw, 1), load(dw, 2), load(dw, 3));
        for (xs, dys) in samples {
            let d: &[f32; J] = dys[j0..j0 + J].try_into().expect("tile");
            let xr: &[f32; 4] = xs[i0..i0 + 4].try_into().expect("tile");
            axpy(&mut a0, xr[0], d);
            axpy(&mut a1, xr[1], d);
            axpy(&mut a2, xr[2], d);
            axpy(&mut a3, xr[3], d);
        }
        for (r, a) in [a0, a1, a2, a3].iter().enumerate() {
            dw[row(r)].copy_from_slice(a);
        }
    } else {
        for r in 0..R {
            let mut a = load(dw, r);
            for (xs, dys) in samples.clone() {
                let d: &[f32; J] = dys[j0..j0 + J].try_into().expect("tile");
                axpy(&mut a, xs[i0 + r], d);
            }
            dw[row(r)].copy_from_slice(&a);
        }
    }
}

/// [`accumulate_param_grad`]'s weights for a narrow layer (`fan_out = J <
/// 8`): tiles of `R` rows × all `J` columns (`R·J ≤ 64`, eight 256-bit
/// registers), vectorized along the rows.
fn grad_narrow<const J: usize>(x: &[f32], dy: &[f32], dw: &mut [f32], fan_in: usize) {
    let mut i0 = 0;
    match J {
        1 | 2 => i0 = grad_narrow_rows::<32, J>(x, dy, dw, fan_in, i0),
        3 | 4 => i0 = grad_narrow_rows::<16, J>(x, dy, dw, fan_in, i0),
        _ => {}
    }
    i0 = grad_narrow_rows::<8, J>(x, dy, dw, fan_in, i0);
    grad_narrow_rows::<1, J>(x, dy, dw, fan_in, i0);
}

/// Tiles of `R` rows from `i0` while they fit; returns the first row left.
#[inline(always)]
fn grad_narrow_rows<const R: usize, const J: usize>(
    x: &[f32],
    dy: &[f32],
    dw: &mut [f32],
    fan_in: usize,
    mut i0: usize,
) -> usize {
    while fan_in - i0 >= R {
        grad_narrow_tile::<R, J>(x, dy, dw, fan_in, i0);
        i0 += R;
    }
    i0
}

/// `dW[i0..i0 + R][..]` of a `J`-wide layer, held transposed in registers.
/// Not inlined: with a 32 × 7 tile inlined into its caller, LLVM 22's
/// register allocator crashed at `codegen-units = 1`.
#[inline(never)]
fn grad_narrow_tile<const R: usize, const J: usize>(
    x: &[f32],
    dy: &[f32],
    dw: &mut [f32],
    fan_in: usize,
    i0: usize,
) {
    let mut acc = [[0.0f32; R]; J];
    for (r, row) in dw[i0 * J..(i0 + R) * J].chunks_exact(J).enumerate() {
        for (a, &g) in acc.iter_mut().zip(row) {
            a[r] = g;
        }
    }
    for (xs, dys) in x.chunks_exact(fan_in).zip(dy.chunks_exact(J)) {
        let xr: &[f32; R] = xs[i0..i0 + R].try_into().expect("tile");
        for (a, &dj) in acc.iter_mut().zip(dys) {
            for (a, &xi) in a.iter_mut().zip(xr) {
                *a += xi * dj;
            }
        }
    }
    for (r, row) in dw[i0 * J..(i0 + R) * J].chunks_exact_mut(J).enumerate() {
        for (g, a) in row.iter_mut().zip(&acc) {
            *g = a[r];
        }
    }
}

/// ReLU in place: `y = max(0, y)`, with NaN passed through (as NumPy's
/// `np.maximum(0, y)` does) so that a divergence is never hidden.
pub fn relu_in_place(y: &mut [f32]) {
    for v in y {
        *v = relu_mask(*v, *v);
    }
}

/// ReLU backward in place: `d = 0` wherever the ReLU's output `y ≤ 0`
/// (the framework's `dinputs[inputs <= 0] = 0`; `y > 0` exactly when the
/// pre-activation is).
///
/// # Panics
///
/// If the lengths differ.
pub fn relu_backward_in_place(y: &[f32], d: &mut [f32]) {
    assert_eq!(y.len(), d.len());
    for (dv, &yv) in d.iter_mut().zip(y) {
        *dv = relu_mask(*dv, yv);
    }
}

/// `Σ_j a_j·b_j` (or `Σ_j a_j` with `b = None`) in the fixed order of the
/// layer-normalization kernels: eight running sums, sum `k` taking the
/// terms `j ≡ k (mod 8)` in increasing `j`, then combined as
/// `((s₀ + s₁) + (s₂ + s₃)) + ((s₄ + s₅) + (s₆ + s₇))`. The order is the
/// algorithm's, not the machine's: it vectorizes on a host (eight lanes)
/// and gives the same bits everywhere.
///
/// # Panics
///
/// If `b` is shorter than `a`.
#[inline(always)]
pub fn lane_sum(a: &[f32], b: Option<&[f32]>) -> f32 {
    let mut acc = [0.0f32; 8];
    let whole = a.len() / 8 * 8;
    match b {
        None => {
            for c in a[..whole].chunks_exact(8) {
                for k in 0..8 {
                    acc[k] += c[k];
                }
            }
            for (k, &v) in a[whole..].iter().enumerate() {
                acc[k] += v;
            }
        }
        Some(b) => {
            let b = &b[..a.len()];
            for (c, d) in a[..whole].chunks_exact(8).zip(b[..whole].chunks_exact(8)) {
                for k in 0..8 {
                    acc[k] += c[k] * d[k];
                }
            }
            for (k, (&v, &w)) in a[whole..].iter().zip(&b[whole..]).enumerate() {
                acc[k] += v * w;
            }
        }
    }
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
}

/// Layer normalization forward, in place, row by row (one row per sample,
/// `gain.len()` values each): for a row `z` of `n` values,
///
/// ```text
/// μ = (Σ_j z_j) / n             c_j = z_j − μ               σ² = (Σ_j c_j·c_j) / n
/// r = 1 / √(σ² + ε)             x̂_j = c_j·r                 y_j = x̂_j·γ_j + β_j
/// ```
///
/// with `ε` = [`crate::shape::LAYER_NORM_EPSILON`], each `Σ` in the fixed
/// eight-lane order of [`lane_sum`] in f32, and `√` correctly rounded
/// ([`sqrt`]). A sample's output depends on that sample alone. With
/// `stash = Some((xhat, inv_std))` it also keeps `x̂` (same layout as `z`)
/// and each row's `r` for [`layer_norm_backward`].
///
/// # Panics
///
/// If `gain` is empty, `z.len()` is not a multiple of it, `shift` has
/// another length, or a stash is shorter than the rows need.
pub fn layer_norm_forward(
    z: &mut [f32],
    gain: &[f32],
    shift: &[f32],
    stash: Option<(&mut [f32], &mut [f32])>,
) {
    let n = gain.len();
    assert!(n > 0 && z.len().is_multiple_of(n) && shift.len() == n);
    let rows = z.len() / n;
    let mut stash = stash.map(|(xhat, inv)| (&mut xhat[..rows * n], &mut inv[..rows]));
    let eps = crate::shape::LAYER_NORM_EPSILON;
    for (s, row) in z.chunks_exact_mut(n).enumerate() {
        let mean = lane_sum(row, None) / n as f32;
        for v in row.iter_mut() {
            *v -= mean;
        }
        let r = 1.0 / sqrt(lane_sum(row, Some(row)) / n as f32 + eps);
        for v in row.iter_mut() {
            *v *= r;
        }
        if let Some((xhat, inv)) = stash.as_mut() {
            inv[s] = r;
            xhat[s * n..(s + 1) * n].copy_from_slice(row);
        }
        for ((v, &g), &b) in row.iter_mut().zip(gain).zip(shift) {
            *v = *v * g + b;
        }
    }
}

/// Layer normalization backward, in place: turns `d`, the gradient with
/// respect to the outputs `y` of [`layer_norm_forward`], into the gradient
/// with respect to its inputs `z`, and adds the gain and shift gradients to
/// `dgain` and `dshift`. Per row, with `x̂` and `r` from the forward pass:
///
/// ```text
/// dγ_j += d_j·x̂_j               dβ_j += d_j                (rows in order)
/// g_j = d_j·γ_j                 ḡ = (Σ_j g_j)/n            ḡx̂ = (Σ_j g_j·x̂_j)/n
/// dz_j = r·((g_j − ḡ) − x̂_j·ḡx̂)
/// ```
///
/// each `Σ` in the order of [`lane_sum`], and each `dγ_j`, `dβ_j` one sum
/// over the samples in sample order, so micro-batches of any size give the
/// same bits.
///
/// # Panics
///
/// If the lengths are inconsistent (as in [`layer_norm_forward`]).
pub fn layer_norm_backward(
    d: &mut [f32],
    xhat: &[f32],
    inv_std: &[f32],
    gain: &[f32],
    dgain: &mut [f32],
    dshift: &mut [f32],
) {
    let n = gain.len();
    assert!(n > 0 && d.len().is_multiple_of(n) && dgain.len() == n && dshift.len() == n);
    let rows = d.len() / n;
    let (xhat, inv_std) = (&xhat[..rows * n], &inv_std[..rows]);
    for ((row, xh), &r) in d.chunks_exact_mut(n).zip(xhat.chunks_exact(n)).zip(inv_std) {
        for ((dg, ds), (&dv, &x)) in dgain.iter_mut().zip(dshift.iter_mut()).zip(row.iter().zip(xh)) {
            *dg += dv * x;
            *ds += dv;
        }
        for (v, &g) in row.iter_mut().zip(gain) {
            *v *= g;
        }
        let mean_g = lane_sum(row, None) / n as f32;
        let mean_gx = lane_sum(row, Some(xh)) / n as f32;
        for (v, &x) in row.iter_mut().zip(xh) {
            *v = r * ((*v - mean_g) - x * mean_gx);
        }
    }
}

/// Row-wise softmax in place: `p[j] = exp(z[j] − max z) / Σ_k exp(z[k] − max z)`,
/// with `libm::expf`.
///
/// # Panics
///
/// If `classes` is zero or does not divide `z.len()`.
pub fn softmax_rows(z: &mut [f32], classes: usize) {
    assert!(classes > 0 && z.len().is_multiple_of(classes));
    for row in z.chunks_exact_mut(classes) {
        let mut max = row[0];
        for &v in &row[1..] {
            if v > max {
                max = v;
            }
        }
        let mut sum = 0.0f32;
        for v in row.iter_mut() {
            *v = libm::expf(*v - max);
            sum += *v;
        }
        for v in row.iter_mut() {
            *v /= sum;
        }
    }
}

/// The smallest probability the loss sees; probabilities are clipped to
/// `[P_MIN, 1 − P_MIN]` as in the framework.
pub const P_MIN: f32 = 1e-7;

/// Running totals of the categorical cross-entropy and of correct predictions.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LossTotals {
    /// `Σ_s −ln(clip(p[s][y_s], 1e-7, 1 − 1e-7))`, added in sample order.
    pub loss_sum: f32,
    /// Number of samples whose first maximal probability is the label's.
    pub correct: usize,
    /// Number of samples added.
    pub count: usize,
}

/// Adds the loss and the accuracy of a batch of probabilities to `totals`.
///
/// The loss of sample `s` is `−ln(clip(p[s][y_s], 1e-7, 1 − 1e-7))` with
/// `libm::logf`; the prediction is the first index of the row maximum
/// (NumPy's `argmax`).
///
/// # Panics
///
/// If `classes` is zero, the lengths disagree or a label is `≥ classes`.
pub fn cross_entropy_accumulate(p: &[f32], labels: &[u8], classes: usize, totals: &mut LossTotals) {
    assert!(classes > 0 && p.len() == labels.len() * classes);
    for (row, &label) in p.chunks_exact(classes).zip(labels) {
        let pt = row[usize::from(label)].clamp(P_MIN, 1.0 - P_MIN);
        totals.loss_sum += -libm::logf(pt);
        let mut best = 0;
        for (j, &v) in row.iter().enumerate().skip(1) {
            if v > row[best] {
                best = j;
            }
        }
        totals.correct += usize::from(best == usize::from(label));
        totals.count += 1;
    }
}

/// The fused softmax/cross-entropy gradient in place:
/// `p[s][j] ← (p[s][j] − [j = y_s]) / n`, where `n` is the number of samples
/// the loss averages over (the whole batch, not the micro-batch).
///
/// # Panics
///
/// If `classes` is zero, the lengths disagree or a label is `≥ classes`.
pub fn softmax_cross_entropy_grad(p: &mut [f32], labels: &[u8], classes: usize, n: f32) {
    assert!(classes > 0 && p.len() == labels.len() * classes);
    for (row, &label) in p.chunks_exact_mut(classes).zip(labels) {
        row[usize::from(label)] -= 1.0;
        for v in row.iter_mut() {
            *v /= n;
        }
    }
}

/// `√x`: the IEEE 754 square root, correctly rounded, equal bit for bit to
/// `libm::sqrtf` (NaN payloads aside).
///
/// On x86-64 it is computed with multiplies, adds and comparisons only, so
/// that a loop over it vectorizes (there `libm::sqrtf` is an inline-assembly
/// `sqrtss`, one lane at a time, which kept Adam's loops scalar); elsewhere
/// it is `libm::sqrtf`. The x86-64 path, for `x` in `(0, +∞)`:
///
/// 1. `d = x` in f64 (exact) and `y ≈ 1/√d` from the bit-pattern guess
///    `0x5fe6_eb50_c7b5_37a9 − (bits(d) >> 1)` (relative error < 3.5 %),
///    refined by three Newton steps `y ← y·(1.5 − 0.5·d·y²)` (< 2⁻³⁴);
/// 2. `r = f32(d·y)`, which is within one f32 ulp of the correctly rounded
///    root;
/// 3. `r` and its two neighbours have 24-bit significands, so the midpoints
///    between them have 25 and their squares at most 50: exact in f64.
///    Comparing those squares with `d` moves `r` to the neighbour nearest
///    `√x`. No tie is possible: a midpoint's square has more significant bits
///    than any f32.
///
/// Other inputs follow IEEE 754: `√±0 = ±0`, `√+∞ = +∞`, and NaN for NaN and
/// for negative numbers. `core/tests/kernels_fast.rs` checks it against
/// `libm::sqrtf` on every f32.
#[inline(always)]
pub fn sqrt(x: f32) -> f32 {
    #[cfg(target_arch = "x86_64")]
    {
        let d = f64::from(x);
        let mut y = f64::from_bits(0x5fe6_eb50_c7b5_37a9_u64.wrapping_sub(d.to_bits() >> 1));
        for _ in 0..3 {
            y *= 1.5 - 0.5 * d * (y * y);
        }
        let r = (d * y) as f32;
        let (up, down) =
            (f32::from_bits(r.to_bits().wrapping_add(1)), f32::from_bits(r.to_bits().wrapping_sub(1)));
        let mid_up = 0.5 * (f64::from(r) + f64::from(up));
        let mid_down = 0.5 * (f64::from(r) + f64::from(down));
        let r = if mid_up * mid_up < d {
            up
        } else if mid_down * mid_down > d {
            down
        } else {
            r
        };
        if x > 0.0 && x < f32::INFINITY {
            r
        } else if x < 0.0 {
            f32::NAN
        } else {
            x + x
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        libm::sqrtf(x)
    }
}

/// The per-step constants of an Adam update.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamStep {
    /// Learning rate `lr`.
    pub lr: f32,
    /// `β1`.
    pub beta1: f32,
    /// `1 − β1`.
    pub one_minus_beta1: f32,
    /// `β2`.
    pub beta2: f32,
    /// `1 − β2`.
    pub one_minus_beta2: f32,
    /// `ε`, added outside the square root.
    pub epsilon: f32,
    /// `1 − β1^t`, computed in f64 and rounded to f32.
    pub correction1: f32,
    /// `1 − β2^t`, computed in f64 and rounded to f32.
    pub correction2: f32,
}

impl AdamStep {
    /// The new `(θ, m, v)` of one parameter, exactly as the framework
    /// computes it:
    ///
    /// ```text
    /// m ← β1·m + (1 − β1)·g          m̂ = m / (1 − β1^t)
    /// v ← β2·v + (1 − β2)·g²         v̂ = v / (1 − β2^t)
    /// θ ← θ + (−lr·m̂) / (√v̂ + ε)
    /// ```
    #[inline(always)]
    fn apply(&self, theta: f32, g: f32, m: f32, v: f32) -> (f32, f32, f32) {
        let m = self.beta1 * m + self.one_minus_beta1 * g;
        let v = self.beta2 * v + self.one_minus_beta2 * (g * g);
        let m_hat = m / self.correction1;
        let v_hat = v / self.correction2;
        let theta = theta + (-self.lr * m_hat) / (sqrt(v_hat) + self.epsilon);
        (theta, m, v)
    }
}

/// Whether the Adam update of these parameters would leave every parameter
/// *and* both moments finite (a moment of `+∞`, from `g²` overflowing, would
/// freeze its parameter for ever). Reads only: used to make a step
/// all-or-nothing.
///
/// # Panics
///
/// If the four slices differ in length.
pub fn adam_update_is_finite(theta: &[f32], g: &[f32], m: &[f32], v: &[f32], step: &AdamStep) -> bool {
    assert!(theta.len() == g.len() && g.len() == m.len() && m.len() == v.len());
    let mut finite = true;
    for (((&t, &g), &m), &v) in theta.iter().zip(g).zip(m).zip(v) {
        let (t, m, v) = step.apply(t, g, m, v);
        finite &= t.is_finite() & m.is_finite() & v.is_finite();
    }
    finite
}

/// Whether a cheap bound *proves* that the Adam update of these parameters
/// leaves every parameter and both moments finite: `true` only then, so
/// `false` means "not proven" and [`adam_update_is_finite`] decides. It
/// lets a step skip that exact check (a second full update, with its
/// divisions and square roots) when nothing is anywhere near overflowing,
/// which is every step of an ordinary run.
///
/// One pass of integer maxima over the four slices (no division, no root)
/// gives `T = max|θ|`, `G = max|g|`, `M = max|m|` and `V = max v`; every
/// input must be finite and every `v` a non-negative number other than
/// `−0`. With `ε`, `c₁ = 1 − β1^t` and `c₂ = 1 − β2^t` positive and `β2`,
/// `1 − β2` non-negative (as [`crate::Adam::step`] gives them), each f32
/// operation of [`AdamStep`]'s formula rounds to at most twice its exact
/// magnitude when it does not overflow, and `√v̂ + ε ≥ ε`, so (in f64):
///
/// ```text
/// |m'| ≤ 4·(|β1|·M + |1 − β1|·G)   g² ≤ 2·G²   v' ≤ 8·(β2·V + (1 − β2)·G²)
/// |m̂| ≤ 2·|m'|/c₁     |lr·m̂| ≤ 2·|lr|·|m̂|     |Δθ| ≤ 2·|lr·m̂|/ε
/// |θ'| ≤ 2·(T + |Δθ|)
/// ```
///
/// It answers `true` when every bound is below half of `f32::MAX` (`v̂`
/// may overflow: `√∞ = ∞` only makes `Δθ` zero).
///
/// # Panics
///
/// If the four slices differ in length.
pub fn adam_update_is_surely_finite(theta: &[f32], g: &[f32], m: &[f32], v: &[f32], step: &AdamStep) -> bool {
    assert!(theta.len() == g.len() && g.len() == m.len() && m.len() == v.len());
    // For a non-negative f32, the order of the bit patterns is the order of
    // the values, and a pattern of `INFINITY`'s or more is ∞ or NaN; a set
    // sign bit (a negative `v`, or `−0`) is also at least that.
    const NOT_FINITE: u32 = 0x7f80_0000;
    let max_abs = |s: &[f32]| s.iter().fold(0u32, |a, &x| a.max(x.to_bits() & 0x7fff_ffff));
    let (t, g, m) = (max_abs(theta), max_abs(g), max_abs(m));
    let v = v.iter().fold(0u32, |a, &x| a.max(x.to_bits()));
    if t >= NOT_FINITE || g >= NOT_FINITE || m >= NOT_FINITE || v >= NOT_FINITE {
        return false;
    }
    let f = |bits: u32| f64::from(f32::from_bits(bits));
    let (t, g, m, v) = (f(t), f(g), f(m), f(v));
    let s = |x: f32| f64::from(x);
    let settings_ok = [step.lr, step.beta1, step.one_minus_beta1].iter().all(|x| x.is_finite())
        && [step.beta2, step.one_minus_beta2].iter().all(|&x| x.is_finite() && x >= 0.0)
        && [step.epsilon, step.correction1, step.correction2].iter().all(|&x| x.is_finite() && x > 0.0);
    if !settings_ok {
        return false;
    }
    let limit = 0.5 * f64::from(f32::MAX);
    let m_new = 4.0 * (s(step.beta1).abs() * m + s(step.one_minus_beta1).abs() * g);
    let g_squared = 2.0 * g * g;
    let v_new = 8.0 * (s(step.beta2) * v + s(step.one_minus_beta2) * g * g);
    let m_hat = 2.0 * m_new / s(step.correction1);
    let numerator = 2.0 * s(step.lr).abs() * m_hat;
    let delta = 2.0 * numerator / s(step.epsilon);
    let theta_new = 2.0 * (t + delta);
    [m_new, g_squared, v_new, m_hat, numerator, delta, theta_new].iter().all(|&b| b < limit)
}

/// One Adam update of a parameter slice, element by element (see
/// [`AdamStep`] for the formula).
///
/// # Panics
///
/// If the four slices differ in length.
pub fn adam_update(theta: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32], step: &AdamStep) {
    assert!(theta.len() == g.len() && g.len() == m.len() && m.len() == v.len());
    for (((t, &g), m), v) in theta.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
        (*t, *m, *v) = step.apply(*t, g, *m, *v);
    }
}

/// Transposes a `rows × cols` matrix: `t[j][i] = m[i][j]` (`t` is
/// `cols × rows`).
///
/// # Panics
///
/// If `cols` is zero, `m.len()` is not a multiple of it, or the lengths differ.
pub fn transpose(m: &[f32], cols: usize, t: &mut [f32]) {
    assert!(cols > 0 && m.len().is_multiple_of(cols) && t.len() == m.len());
    let rows = m.len() / cols;
    for (i, row) in m.chunks_exact(cols).enumerate() {
        for (j, &v) in row.iter().enumerate() {
            t[j * rows + i] = v;
        }
    }
}

// ---------------------------------------------------------------------------
// Zero-skipping kernels.
//
// After a ReLU about half of every hidden activation is exactly zero, and so
// is half of every hidden-layer gradient. The kernels below skip the terms
// whose factor on the sparse side is `±0` (they collect the indices of the
// non-zero entries, then run branch-free over them), and nothing else: each
// remaining sum keeps the documented order. Their own specification is the
// loops of the same names in [`reference`](mod@reference).
//
// They equal the dense kernels bit for bit when a skipped term can change
// nothing, that is when the skipped products are zeros (`0·w` is `±0` only
// for a finite `w`: `0·∞` is NaN) and no accumulator is `−0` at the time
// (`−0 + +0 = +0`). An accumulator that starts from `+0`, or from anything
// other than `−0`, never becomes `−0` by adding (round to nearest gives `+0`
// for an exact cancellation), so the conditions are stated on the inputs;
// each kernel's documentation gives them. The trainer checks them before it
// takes this path, and the tests check the equality.
// ---------------------------------------------------------------------------

/// The non-zero entries of `v` (at most 64 of them) as a bit mask: bit `k`
/// is set when `v[k] ≠ 0` (NaN counts as non-zero, `±0` does not).
/// Branch-free; for 64 entries it compiles to vector integer operations.
#[inline(always)]
fn nonzero_mask(v: &[f32]) -> u64 {
    // `(|bits| + 0x7fff_ffff) >> 31` is 1 exactly when the magnitude bits
    // are not all zero, i.e. when the value is not ±0.
    let nz = |e: f32| u64::from(((e.to_bits() & 0x7fff_ffff) + 0x7fff_ffff) >> 31);
    match <&[f32; 64]>::try_from(v) {
        Ok(v) => {
            let mut bits = [0u64; 64];
            for (k, (b, &e)) in bits.iter_mut().zip(v).enumerate() {
                *b = nz(e) << k;
            }
            bits.iter().fold(0, |m, &b| m | b)
        }
        Err(_) => v.iter().enumerate().fold(0, |m, (k, &e)| m | (nz(e) << k)),
    }
}

/// Transposes a 64 × 64 bit matrix in place: bit `c` of `a[r]` becomes bit
/// `r` of `a[c]` (Hacker's Delight, §7-3: six rounds of block swaps).
#[inline(always)]
fn transpose_bits(a: &mut [u64; 64]) {
    let mut j = 32;
    let mut m: u64 = 0x0000_0000_ffff_ffff;
    while j != 0 {
        let mut k = 0;
        while k < 64 {
            let t = ((a[k] >> j) ^ a[k + j]) & m;
            a[k] ^= t << j;
            a[k + j] ^= t;
            k = (k + j + 1) & !j;
        }
        j >>= 1;
        m ^= m << j;
    }
}

/// Samples the zero-skipping kernels take at a time: the trainer's
/// micro-batch. Each 64 × 64 block of weights (16 KiB, inside L1) serves
/// every sample of the block before the next block is read, so a wide layer
/// is read from memory once per block of samples, not once per sample.
const SPARSE_SAMPLES: usize = 32;

/// [`affine_forward`], skipping the terms whose `x[s][i]` is `±0`:
/// `y[s][j] = ((b[j] + x[s][i₀]·w[i₀][j]) + x[s][i₁]·w[i₁][j]) + …` over the
/// `i` with `x[s][i] ≠ 0`, in increasing order.
///
/// Equal bit for bit to [`affine_forward`] when every weight is finite and
/// no bias is `−0` (whatever `x` holds). In blocks of up to 32 samples: for
/// each 64 inputs (in increasing order), a bit mask of each sample's
/// non-zero ones; then for each tile of up to 64 outputs, each sample's
/// outputs in registers (from `y`, where the previous 64 inputs left them)
/// while the set bits are visited in order.
///
/// # Panics
///
/// If the slice lengths are inconsistent.
pub fn sparse_affine_forward(x: &[f32], w: &[f32], b: &[f32], y: &mut [f32]) {
    let fan_out = b.len();
    let fan_in = fan_in(w, fan_out);
    assert_eq!(x.len() / fan_in, y.len() / fan_out, "batch sizes differ");
    assert!(x.len().is_multiple_of(fan_in) && y.len().is_multiple_of(fan_out));
    let mut masks = [0u64; SPARSE_SAMPLES];
    for (xb, yb) in x.chunks(SPARSE_SAMPLES * fan_in).zip(y.chunks_mut(SPARSE_SAMPLES * fan_out)) {
        for ys in yb.chunks_exact_mut(fan_out) {
            ys.copy_from_slice(b);
        }
        let mut i0 = 0;
        while i0 < fan_in {
            let width = (fan_in - i0).min(64);
            for (m, xs) in masks.iter_mut().zip(xb.chunks_exact(fan_in)) {
                *m = nonzero_mask(&xs[i0..i0 + width]);
            }
            let mut j0 = 0;
            if width == 64 {
                let rows = &w[i0 * fan_out..(i0 + 64) * fan_out];
                j0 = if fan_out == 64 {
                    sparse_forward_full(&masks, i0, xb, block64(rows), fan_in, 0, yb);
                    64
                } else if PACK {
                    sparse_forward_packed(&masks, i0, xb, rows, fan_in, yb)
                } else {
                    0
                };
            }
            while fan_out - j0 >= 64 {
                sparse_forward_block::<64>(&masks, i0, xb, w, (fan_in, fan_out), j0, yb);
                j0 += 64;
            }
            while fan_out - j0 >= 8 {
                sparse_forward_block::<8>(&masks, i0, xb, w, (fan_in, fan_out), j0, yb);
                j0 += 8;
            }
            while j0 < fan_out {
                sparse_forward_block::<1>(&masks, i0, xb, w, (fan_in, fan_out), j0, yb);
                j0 += 1;
            }
            i0 += width;
        }
    }
}

/// Whether the zero-skipping kernels may copy a 64 × 64 block of a wide
/// matrix into a 16 KiB stack buffer (hosted targets only; bare-metal stacks
/// are small, and their networks narrow). The copy makes the block one
/// contiguous 16 KiB, which L1 holds: rows `fan_out` apart, for a
/// power-of-two `fan_out > 64`, fall into a few cache sets and evict one
/// another.
const PACK: bool = !cfg!(target_os = "none");

/// A contiguous 64 × 64 block (`v` holds exactly 4 096 values).
#[inline(always)]
fn block64(v: &[f32]) -> &[[f32; 64]; 64] {
    v.as_chunks::<64>().0.try_into().expect("64 × 64 block")
}

/// `acc += value(k)·rows[k]` over the set bits `k` of `m`, in increasing
/// order: the inner loop of every zero-skipping kernel (a multiply, then an
/// add, per lane; never fused).
#[inline(always)]
fn sparse_rows<const J: usize>(
    mut m: u64,
    value: impl Fn(usize) -> f32,
    rows: &[[f32; J]],
    acc: &mut [f32; J],
) {
    let mut a = *acc;
    while m != 0 {
        let k = m.trailing_zeros() as usize & 63;
        m &= m - 1;
        let v = value(k);
        for (a, &r) in a.iter_mut().zip(&rows[k]) {
            *a += v * r;
        }
    }
    *acc = a;
}

/// Outputs `j0..j0 + 64` of every sample of a block of
/// [`sparse_affine_forward`], from the 64 × 64 block `w` of weights (rows
/// `i0..i0 + 64`).
#[inline(always)]
fn sparse_forward_full(
    masks: &[u64],
    i0: usize,
    xb: &[f32],
    w: &[[f32; 64]; 64],
    fan_in: usize,
    j0: usize,
    yb: &mut [f32],
) {
    let fan_out = yb.len() / (xb.len() / fan_in);
    for ((&m, xs), ys) in masks.iter().zip(xb.chunks_exact(fan_in)).zip(yb.chunks_exact_mut(fan_out)) {
        let v: &[f32; 64] = xs[i0..i0 + 64].try_into().expect("chunk");
        let acc: &mut [f32; 64] = (&mut ys[j0..j0 + 64]).try_into().expect("tile");
        sparse_rows(m, |k| v[k], w, acc);
    }
}

/// [`sparse_forward_full`] for every whole 64-column tile of the rows
/// `rows` (64 rows of `W`), each tile first copied into a stack block;
/// returns the first column left.
#[inline(never)]
fn sparse_forward_packed(
    masks: &[u64],
    i0: usize,
    xb: &[f32],
    rows: &[f32],
    fan_in: usize,
    yb: &mut [f32],
) -> usize {
    let fan_out = rows.len() / 64;
    let mut block = [[0.0f32; 64]; 64];
    let mut j0 = 0;
    while fan_out - j0 >= 64 {
        for (dst, src) in block.iter_mut().zip(rows.chunks_exact(fan_out)) {
            dst.copy_from_slice(&src[j0..j0 + 64]);
        }
        sparse_forward_full(masks, i0, xb, &block, fan_in, j0, yb);
        j0 += 64;
    }
    j0
}

/// [`sparse_forward_tile`] for every sample of a block (`masks[s]` the
/// non-zero inputs `i0..i0 + 64` of sample `s`).
#[inline(always)]
fn sparse_forward_block<const J: usize>(
    masks: &[u64],
    i0: usize,
    xb: &[f32],
    w: &[f32],
    (fan_in, fan_out): (usize, usize),
    j0: usize,
    yb: &mut [f32],
) {
    for ((&m, xs), ys) in masks.iter().zip(xb.chunks_exact(fan_in)).zip(yb.chunks_exact_mut(fan_out)) {
        sparse_forward_tile::<J>(m, i0, xs, w, fan_out, j0, ys);
    }
}

/// `y[j0..j0 + J] += x[i]·w[i][j0..j0 + J]` over the rows `i = base + k`,
/// `k` the set bits of `m` in increasing order.
#[inline(always)]
fn sparse_forward_tile<const J: usize>(
    mut m: u64,
    base: usize,
    xs: &[f32],
    w: &[f32],
    fan_out: usize,
    j0: usize,
    ys: &mut [f32],
) {
    let out: &mut [f32; J] = (&mut ys[j0..j0 + J]).try_into().expect("tile");
    let mut acc = *out;
    while m != 0 {
        let i = base + m.trailing_zeros() as usize;
        m &= m - 1;
        let xi = xs[i];
        let wr: &[f32; J] = w[i * fan_out + j0..i * fan_out + j0 + J].try_into().expect("tile");
        for (a, &wij) in acc.iter_mut().zip(wr) {
            *a += xi * wij;
        }
    }
    *out = acc;
}

/// [`accumulate_param_grad`], skipping the terms whose `x[s][i]` is `±0`:
/// `dw[i][j] += x[s][i]·dy[s][j]` for the `s` with `x[s][i] ≠ 0`, in
/// increasing order; `db[j] += dy[s][j]` for every `s`, in order.
///
/// Equal bit for bit to [`accumulate_param_grad`] when every `dy` is finite
/// and no `dw` entry is `−0` on entry (whatever `x` holds). For each block
/// of 64 samples × 64 inputs, the bit masks of the non-zero inputs are
/// transposed into one mask of samples per row of `dW`; then for each tile
/// of up to 64 columns (whose 64 samples' `dy`, 16 KiB, stay in L1 for the
/// 64 rows), each row's tile, in registers, takes its samples in order.
///
/// # Panics
///
/// If the slice lengths are inconsistent.
pub fn sparse_accumulate_param_grad(x: &[f32], dy: &[f32], dw: &mut [f32], db: &mut [f32]) {
    let fan_out = db.len();
    let fan_in = fan_in(dw, fan_out);
    assert!(x.len().is_multiple_of(fan_in) && dy.len().is_multiple_of(fan_out));
    assert_eq!(x.len() / fan_in, dy.len() / fan_out, "batch sizes differ");
    for dys in dy.chunks_exact(fan_out) {
        for (g, &d) in db.iter_mut().zip(dys) {
            *g += d;
        }
    }
    let mut masks = [0u64; 64];
    for (xb, dyb) in x.chunks(64 * fan_in).zip(dy.chunks(64 * fan_out)) {
        let mut i0 = 0;
        while i0 < fan_in {
            let width = (fan_in - i0).min(64);
            masks.fill(0);
            for (m, xs) in masks.iter_mut().zip(xb.chunks_exact(fan_in)) {
                *m = nonzero_mask(&xs[i0..i0 + width]);
            }
            transpose_bits(&mut masks);
            let rows = &mut dw[i0 * fan_out..(i0 + width) * fan_out];
            let block = (xb, dyb, (fan_in, fan_out));
            let mut j0 = 0;
            if fan_out == 64 {
                sparse_grad_full(&masks[..width], i0, (xb, fan_in), dyb.as_chunks::<64>().0, 0, rows);
                j0 = 64;
            } else if PACK {
                j0 = sparse_grad_packed(&masks[..width], i0, block, rows);
            }
            while fan_out - j0 >= 64 {
                sparse_grad_block::<64>(&masks[..width], i0, block, j0, rows);
                j0 += 64;
            }
            while fan_out - j0 >= 8 {
                sparse_grad_block::<8>(&masks[..width], i0, block, j0, rows);
                j0 += 8;
            }
            while j0 < fan_out {
                sparse_grad_block::<1>(&masks[..width], i0, block, j0, rows);
                j0 += 1;
            }
            i0 += width;
        }
    }
}

/// Columns `j0..j0 + 64` of the rows `i0..i0 + masks.len()` of `dW`
/// (`rows`), from the block's `dy[s][j0..j0 + 64]` (`dy[s]`).
#[inline(always)]
fn sparse_grad_full(
    masks: &[u64],
    i0: usize,
    (xb, fan_in): (&[f32], usize),
    dy: &[[f32; 64]],
    j0: usize,
    rows: &mut [f32],
) {
    let fan_out = rows.len() / masks.len();
    for (c, (&m, dw_row)) in masks.iter().zip(rows.chunks_exact_mut(fan_out)).enumerate() {
        let i = i0 + c;
        let acc: &mut [f32; 64] = (&mut dw_row[j0..j0 + 64]).try_into().expect("tile");
        sparse_rows(m, |s| xb[s * fan_in + i], dy, acc);
    }
}

/// [`sparse_grad_full`] for every whole 64-column tile of `dW`'s rows
/// `rows`, the block's `dy` tile first copied into a stack block; returns
/// the first column left.
#[inline(never)]
fn sparse_grad_packed(
    masks: &[u64],
    i0: usize,
    (xb, dyb, (fan_in, fan_out)): (&[f32], &[f32], (usize, usize)),
    rows: &mut [f32],
) -> usize {
    // `xt[c][s] = x[s][i0 + c]`: each row's inputs in one place, without
    // a bounds check, for all the column tiles.
    let mut xt = [[0.0f32; 64]; 64];
    for (s, xs) in xb.chunks_exact(fan_in).enumerate().take(64) {
        for (t, &v) in xt.iter_mut().zip(&xs[i0..i0 + masks.len()]) {
            t[s] = v;
        }
    }
    let mut block = [[0.0f32; 64]; 64];
    let mut j0 = 0;
    while fan_out - j0 >= 64 {
        for (dst, src) in block.iter_mut().zip(dyb.chunks_exact(fan_out)) {
            dst.copy_from_slice(&src[j0..j0 + 64]);
        }
        for ((&m, dw_row), xc) in masks.iter().zip(rows.chunks_exact_mut(fan_out)).zip(&xt) {
            let acc: &mut [f32; 64] = (&mut dw_row[j0..j0 + 64]).try_into().expect("tile");
            sparse_rows(m, |s| xc[s], &block, acc);
        }
        j0 += 64;
    }
    j0
}

/// [`sparse_grad_tile`] for the rows `i0..i0 + masks.len()` of `dW`
/// (`rows`), `masks[c]` the samples of the block whose input `i0 + c` is
/// non-zero.
#[inline(always)]
fn sparse_grad_block<const J: usize>(
    masks: &[u64],
    i0: usize,
    (xb, dyb, (fan_in, fan_out)): (&[f32], &[f32], (usize, usize)),
    j0: usize,
    rows: &mut [f32],
) {
    for (c, (&m, dw_row)) in masks.iter().zip(rows.chunks_exact_mut(fan_out)).enumerate() {
        sparse_grad_tile::<J>(m, xb, fan_in, i0 + c, dyb, fan_out, j0, dw_row);
    }
}

/// `dw_row[j0..j0 + J] += x[s][i]·dy[s][j0..j0 + J]` over the samples `s`,
/// the set bits of `m` in increasing order.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn sparse_grad_tile<const J: usize>(
    mut m: u64,
    x: &[f32],
    fan_in: usize,
    i: usize,
    dy: &[f32],
    fan_out: usize,
    j0: usize,
    dw_row: &mut [f32],
) {
    let out: &mut [f32; J] = (&mut dw_row[j0..j0 + J]).try_into().expect("tile");
    let mut acc = *out;
    while m != 0 {
        let s = m.trailing_zeros() as usize;
        m &= m - 1;
        let xi = x[s * fan_in + i];
        let d: &[f32; J] = dy[s * fan_out + j0..s * fan_out + j0 + J].try_into().expect("tile");
        for (a, &dj) in acc.iter_mut().zip(d) {
            *a += xi * dj;
        }
    }
    *out = acc;
}

/// The input gradient through a dense layer and the ReLU before it, from
/// the *transposed* weights `wt` (`fan_out × fan_in`, see [`transpose`]),
/// skipping the terms whose `dy[s][j]` is `±0`:
/// `dx[s][i] = 0` where `y[s][i] ≤ 0`, else
/// `dx[s][i] = ((0 + dy[s][j₀]·wt[j₀][i]) + dy[s][j₁]·wt[j₁][i]) + …` over the
/// `j` with `dy[s][j] ≠ 0`, in increasing order.
///
/// `y` (the ReLU's output, `n × fan_in`) is the mask of
/// [`relu_backward_in_place`]. With `wt` the transpose of `w`, this equals
/// [`backward_input`]`(dy, w, dx, fan_out)` followed by
/// [`relu_backward_in_place`]`(y, dx)` bit for bit when every weight is
/// finite (whatever `dy` and `y` hold). In blocks of up to 32 samples: for
/// each 64 columns `j` (in increasing order), a bit mask of each sample's
/// non-zero `dy`; then for each tile of up to 64 inputs, each sample's
/// inputs in registers (from `dx`, where the previous 64 columns left them)
/// while the set bits are visited in order.
///
/// # Panics
///
/// If the slice lengths are inconsistent.
pub fn sparse_backward_input_relu(dy: &[f32], wt: &[f32], y: &[f32], dx: &mut [f32], fan_out: usize) {
    assert!(fan_out > 0 && !wt.is_empty() && wt.len().is_multiple_of(fan_out));
    let fan_in = wt.len() / fan_out;
    assert!(dy.len().is_multiple_of(fan_out) && dx.len().is_multiple_of(fan_in) && y.len() == dx.len());
    assert_eq!(dy.len() / fan_out, dx.len() / fan_in, "batch sizes differ");
    let mut masks = [0u64; SPARSE_SAMPLES];
    let blocks = dy.chunks(SPARSE_SAMPLES * fan_out).zip(dx.chunks_mut(SPARSE_SAMPLES * fan_in));
    for ((dyb, dxb), yb) in blocks.zip(y.chunks(SPARSE_SAMPLES * fan_in)) {
        let mut j0 = 0;
        while j0 < fan_out {
            let width = (fan_out - j0).min(64);
            for (m, dys) in masks.iter_mut().zip(dyb.chunks_exact(fan_out)) {
                *m = nonzero_mask(&dys[j0..j0 + width]);
            }
            let block = SparseBackwardBlock {
                masks: &masks,
                base: j0,
                dyb,
                wt,
                yb,
                fan: (fan_in, fan_out),
                first: j0 == 0,
                last: j0 + width == fan_out,
            };
            let mut i0 = 0;
            if width == 64 {
                let rows = &wt[j0 * fan_in..(j0 + 64) * fan_in];
                i0 = if fan_in == 64 {
                    block.run_full(block64(rows), 0, dxb);
                    64
                } else if PACK {
                    block.run_packed(rows, dxb)
                } else {
                    0
                };
            }
            while fan_in - i0 >= 64 {
                block.run::<64>(i0, dxb);
                i0 += 64;
            }
            while fan_in - i0 >= 8 {
                block.run::<8>(i0, dxb);
                i0 += 8;
            }
            while i0 < fan_in {
                block.run::<1>(i0, dxb);
                i0 += 1;
            }
            j0 += width;
        }
    }
}

/// One block of samples × 64 columns of [`sparse_backward_input_relu`].
struct SparseBackwardBlock<'a> {
    /// `masks[s]`: the non-zero `dy[s][base..base + 64]`.
    masks: &'a [u64],
    base: usize,
    dyb: &'a [f32],
    wt: &'a [f32],
    yb: &'a [f32],
    fan: (usize, usize),
    first: bool,
    last: bool,
}

impl SparseBackwardBlock<'_> {
    /// [`sparse_backward_tile`] for the inputs `i0..i0 + I` of every sample
    /// of the block.
    #[inline(always)]
    fn run<const I: usize>(&self, i0: usize, dxb: &mut [f32]) {
        let (fan_in, fan_out) = self.fan;
        let samples = self.masks.iter().zip(self.dyb.chunks_exact(fan_out));
        for ((&m, dys), (dxs, ys)) in
            samples.zip(dxb.chunks_exact_mut(fan_in).zip(self.yb.chunks_exact(fan_in)))
        {
            sparse_backward_tile::<I>(m, self.base, dys, self.wt, fan_in, i0, ys, dxs, self.first, self.last);
        }
    }

    /// The inputs `i0..i0 + 64` of every sample of the block, from the
    /// 64 × 64 block `wt` of transposed weights (rows `base..base + 64`).
    #[inline(always)]
    fn run_full(&self, wt: &[[f32; 64]; 64], i0: usize, dxb: &mut [f32]) {
        let (fan_in, fan_out) = self.fan;
        let samples = self.masks.iter().zip(self.dyb.chunks_exact(fan_out));
        for ((&m, dys), (dxs, ys)) in
            samples.zip(dxb.chunks_exact_mut(fan_in).zip(self.yb.chunks_exact(fan_in)))
        {
            let v: &[f32; 64] = dys[self.base..self.base + 64].try_into().expect("chunk");
            let out: &mut [f32; 64] = (&mut dxs[i0..i0 + 64]).try_into().expect("tile");
            let mut acc = if self.first { [0.0; 64] } else { *out };
            sparse_rows(m, |k| v[k], wt, &mut acc);
            if self.last {
                let yr: &[f32; 64] = ys[i0..i0 + 64].try_into().expect("tile");
                for (a, &yv) in acc.iter_mut().zip(yr) {
                    *a = relu_mask(*a, yv);
                }
            }
            *out = acc;
        }
    }

    /// [`Self::run_full`] for every whole 64-input tile of `rows` (the
    /// block's 64 rows of `wt`), each tile first copied into a stack block;
    /// returns the first input left.
    #[inline(never)]
    fn run_packed(&self, rows: &[f32], dxb: &mut [f32]) -> usize {
        let fan_in = self.fan.0;
        let mut block = [[0.0f32; 64]; 64];
        let mut i0 = 0;
        while fan_in - i0 >= 64 {
            for (dst, src) in block.iter_mut().zip(rows.chunks_exact(fan_in)) {
                dst.copy_from_slice(&src[i0..i0 + 64]);
            }
            self.run_full(&block, i0, dxb);
            i0 += 64;
        }
        i0
    }
}

/// `dx[i0..i0 + I] (+)= dy[j]·wt[j][i0..i0 + I]` over the columns
/// `j = base + k`, `k` the set bits of `m` in increasing order; from `+0`
/// when `first`, and through the ReLU mask of `y` when `last`.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn sparse_backward_tile<const I: usize>(
    mut m: u64,
    base: usize,
    dys: &[f32],
    wt: &[f32],
    fan_in: usize,
    i0: usize,
    ys: &[f32],
    dxs: &mut [f32],
    first: bool,
    last: bool,
) {
    let out: &mut [f32; I] = (&mut dxs[i0..i0 + I]).try_into().expect("tile");
    let mut acc = if first { [0.0; I] } else { *out };
    while m != 0 {
        let j = base + m.trailing_zeros() as usize;
        m &= m - 1;
        let d = dys[j];
        let wr: &[f32; I] = wt[j * fan_in + i0..j * fan_in + i0 + I].try_into().expect("tile");
        for (a, &wij) in acc.iter_mut().zip(wr) {
            *a += d * wij;
        }
    }
    if last {
        let yr: &[f32; I] = ys[i0..i0 + I].try_into().expect("tile");
        for (a, &yv) in acc.iter_mut().zip(yr) {
            *a = relu_mask(*a, yv);
        }
    }
    *out = acc;
}

/// `if y ≤ 0 { +0 } else { d }`, as a bitwise AND (a blend, never a masked
/// store).
#[inline(always)]
fn relu_mask(d: f32, y: f32) -> f32 {
    let keep = if y <= 0.0 { 0 } else { u32::MAX };
    f32::from_bits(d.to_bits() & keep)
}

/// Naive loops, one per kernel, in the same summation order: the
/// specification the kernels above are tested (and fuzzed) against.
///
/// Index loops are kept on purpose: they read as the formulas do.
#[allow(clippy::needless_range_loop, clippy::manual_clamp)]
pub mod reference {
    use super::{AdamStep, LossTotals};

    /// Naive [`super::affine_forward`].
    pub fn affine_forward(x: &[f32], w: &[f32], b: &[f32], y: &mut [f32]) {
        let fan_out = b.len();
        let fan_in = w.len() / fan_out;
        let n = x.len() / fan_in;
        for s in 0..n {
            for j in 0..fan_out {
                let mut acc = b[j];
                for i in 0..fan_in {
                    acc += x[s * fan_in + i] * w[i * fan_out + j];
                }
                y[s * fan_out + j] = acc;
            }
        }
    }

    /// Naive [`super::backward_input`].
    pub fn backward_input(dy: &[f32], w: &[f32], dx: &mut [f32], fan_out: usize) {
        let fan_in = w.len() / fan_out;
        let n = dy.len() / fan_out;
        for s in 0..n {
            for i in 0..fan_in {
                let mut acc = 0.0f32;
                for j in 0..fan_out {
                    acc += dy[s * fan_out + j] * w[i * fan_out + j];
                }
                dx[s * fan_in + i] = acc;
            }
        }
    }

    /// Naive [`super::accumulate_param_grad`].
    pub fn accumulate_param_grad(x: &[f32], dy: &[f32], dw: &mut [f32], db: &mut [f32]) {
        let fan_out = db.len();
        let fan_in = dw.len() / fan_out;
        let n = x.len() / fan_in;
        for s in 0..n {
            for i in 0..fan_in {
                for j in 0..fan_out {
                    dw[i * fan_out + j] += x[s * fan_in + i] * dy[s * fan_out + j];
                }
            }
            for j in 0..fan_out {
                db[j] += dy[s * fan_out + j];
            }
        }
    }

    /// Naive [`super::transpose`].
    pub fn transpose(m: &[f32], cols: usize, t: &mut [f32]) {
        let rows = m.len() / cols;
        for i in 0..rows {
            for j in 0..cols {
                t[j * rows + i] = m[i * cols + j];
            }
        }
    }

    /// Naive [`super::sparse_affine_forward`]: [`affine_forward`] without the
    /// terms whose `x` is zero.
    pub fn sparse_affine_forward(x: &[f32], w: &[f32], b: &[f32], y: &mut [f32]) {
        let fan_out = b.len();
        let fan_in = w.len() / fan_out;
        let n = x.len() / fan_in;
        for s in 0..n {
            for j in 0..fan_out {
                let mut acc = b[j];
                for i in 0..fan_in {
                    if x[s * fan_in + i] != 0.0 {
                        acc += x[s * fan_in + i] * w[i * fan_out + j];
                    }
                }
                y[s * fan_out + j] = acc;
            }
        }
    }

    /// Naive [`super::sparse_accumulate_param_grad`]:
    /// [`accumulate_param_grad`] without the terms whose `x` is zero.
    pub fn sparse_accumulate_param_grad(x: &[f32], dy: &[f32], dw: &mut [f32], db: &mut [f32]) {
        let fan_out = db.len();
        let fan_in = dw.len() / fan_out;
        let n = x.len() / fan_in;
        for s in 0..n {
            for i in 0..fan_in {
                if x[s * fan_in + i] != 0.0 {
                    for j in 0..fan_out {
                        dw[i * fan_out + j] += x[s * fan_in + i] * dy[s * fan_out + j];
                    }
                }
            }
            for j in 0..fan_out {
                db[j] += dy[s * fan_out + j];
            }
        }
    }

    /// Naive [`super::sparse_backward_input_relu`]: [`backward_input`] from
    /// the transposed weights without the terms whose `dy` is zero, then
    /// [`relu_backward_in_place`].
    pub fn sparse_backward_input_relu(dy: &[f32], wt: &[f32], y: &[f32], dx: &mut [f32], fan_out: usize) {
        let fan_in = wt.len() / fan_out;
        let n = dy.len() / fan_out;
        for s in 0..n {
            for i in 0..fan_in {
                let mut acc = 0.0f32;
                for j in 0..fan_out {
                    if dy[s * fan_out + j] != 0.0 {
                        acc += dy[s * fan_out + j] * wt[j * fan_in + i];
                    }
                }
                dx[s * fan_in + i] = if y[s * fan_in + i] <= 0.0 { 0.0 } else { acc };
            }
        }
    }

    /// Naive [`super::relu_in_place`].
    pub fn relu_in_place(y: &mut [f32]) {
        for v in y.iter_mut() {
            if *v <= 0.0 {
                *v = 0.0;
            }
        }
    }

    /// Naive [`super::relu_backward_in_place`].
    pub fn relu_backward_in_place(y: &[f32], d: &mut [f32]) {
        for k in 0..y.len() {
            if y[k] <= 0.0 {
                d[k] = 0.0;
            }
        }
    }

    /// Naive [`super::softmax_rows`].
    pub fn softmax_rows(z: &mut [f32], classes: usize) {
        for s in 0..z.len() / classes {
            let row = &mut z[s * classes..(s + 1) * classes];
            let mut max = row[0];
            for j in 1..classes {
                if row[j] > max {
                    max = row[j];
                }
            }
            let mut sum = 0.0f32;
            for j in 0..classes {
                row[j] = libm::expf(row[j] - max);
                sum += row[j];
            }
            for j in 0..classes {
                row[j] /= sum;
            }
        }
    }

    /// Naive [`super::cross_entropy_accumulate`].
    pub fn cross_entropy_accumulate(p: &[f32], labels: &[u8], classes: usize, totals: &mut LossTotals) {
        for (s, &label) in labels.iter().enumerate() {
            let row = &p[s * classes..(s + 1) * classes];
            let mut pt = row[label as usize];
            if pt < super::P_MIN {
                pt = super::P_MIN;
            }
            if pt > 1.0 - super::P_MIN {
                pt = 1.0 - super::P_MIN;
            }
            totals.loss_sum += -libm::logf(pt);
            let mut best = 0;
            for j in 1..classes {
                if row[j] > row[best] {
                    best = j;
                }
            }
            if best == label as usize {
                totals.correct += 1;
            }
            totals.count += 1;
        }
    }

    /// Naive [`super::softmax_cross_entropy_grad`].
    pub fn softmax_cross_entropy_grad(p: &mut [f32], labels: &[u8], classes: usize, n: f32) {
        for (s, &label) in labels.iter().enumerate() {
            for j in 0..classes {
                let onehot = if j == label as usize { 1.0 } else { 0.0 };
                p[s * classes + j] = (p[s * classes + j] - onehot) / n;
            }
        }
    }

    /// Naive [`super::adam_update`].
    pub fn adam_update(theta: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32], step: &AdamStep) {
        for k in 0..theta.len() {
            m[k] = step.beta1 * m[k] + step.one_minus_beta1 * g[k];
            v[k] = step.beta2 * v[k] + step.one_minus_beta2 * (g[k] * g[k]);
            let m_hat = m[k] / step.correction1;
            let v_hat = v[k] / step.correction2;
            theta[k] += (-step.lr * m_hat) / (libm::sqrtf(v_hat) + step.epsilon);
        }
    }
}
