//! The dense kernels of a layer — forward product, input gradient, parameter
//! gradient — as register tiles whose every sum runs in the documented order.

use super::fan_in;

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
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels;
///
/// // 2 samples × 2 inputs, 2 × 3 weights.
/// let x = [1.0f32, 2.0, 0.0, 1.0];
/// let w = [1.0f32, 0.0, 2.0, 0.0, 1.0, 3.0];
/// let mut y = [0.0f32; 6];
/// kernels::affine_forward(&x, &w, &[0.5, 0.5, 0.5], &mut y);
/// assert_eq!(y, [1.5, 2.5, 8.5, 0.5, 1.5, 3.5]);
/// ```
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
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels;
///
/// let w = [1.0f32, 0.0, 2.0, 0.0, 1.0, 3.0]; // 2 × 3
/// let dy = [1.0f32, 1.0, 1.0];
/// let mut dx = [0.0f32; 2];
/// kernels::backward_input(&dy, &w, &mut dx, 3);
/// assert_eq!(dx, [3.0, 4.0]); // each row of W summed
/// ```
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
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels;
///
/// let x = [1.0f32, 2.0, 3.0, 4.0]; // 2 samples × 2 inputs
/// let dy = [0.5f32, 1.0]; // 2 samples × 1 output
/// let (mut dw, mut db) = ([0.0f32; 2], [0.0f32; 1]);
/// kernels::accumulate_param_grad(&x, &dy, &mut dw, &mut db);
/// assert_eq!((dw, db), ([3.5, 5.0], [1.5]));
/// // It accumulates: a second call adds as much again.
/// kernels::accumulate_param_grad(&x, &dy, &mut dw, &mut db);
/// assert_eq!(db, [3.0]);
/// ```
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
