//! Zero-skipping kernels: the dense kernels without the terms that add `±0`
//! after a ReLU, equal to them bit for bit under stated conditions.
//!
//! After a ReLU about half of every hidden activation is exactly zero, and so
//! is half of every hidden-layer gradient. The kernels below skip the terms
//! whose factor on the sparse side is `±0` (they collect the indices of the
//! non-zero entries, then run branch-free over them), and nothing else: each
//! remaining sum keeps the documented order. Their own specification is the
//! loops of the same names in [`reference`](super::reference).
//!
//! They equal the dense kernels bit for bit when a skipped term can change
//! nothing, that is when the skipped products are zeros (`0·w` is `±0` only
//! for a finite `w`: `0·∞` is NaN) and no accumulator is `−0` at the time
//! (`−0 + +0 = +0`). An accumulator that starts from `+0`, or from anything
//! other than `−0`, never becomes `−0` by adding (round to nearest gives `+0`
//! for an exact cancellation), so the conditions are stated on the inputs;
//! each kernel's documentation gives them. The trainer checks them before it
//! takes this path, and the tests check the equality.

use super::fan_in;
use super::relu::relu_mask;

/// Transposes a `rows × cols` matrix: `t[j][i] = m[i][j]` (`t` is
/// `cols × rows`).
///
/// # Panics
///
/// If `cols` is zero, `m.len()` is not a multiple of it, or the lengths differ.
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels;
///
/// let m = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0]; // 2 × 3
/// let mut t = [0.0f32; 6];
/// kernels::transpose(&m, 3, &mut t);
/// assert_eq!(t, [1.0, 4.0, 2.0, 5.0, 3.0, 6.0]); // 3 × 2
/// ```
pub fn transpose(m: &[f32], cols: usize, t: &mut [f32]) {
    assert!(cols > 0 && m.len().is_multiple_of(cols) && t.len() == m.len());
    let rows = m.len() / cols;
    for (i, row) in m.chunks_exact(cols).enumerate() {
        for (j, &v) in row.iter().enumerate() {
            t[j * rows + i] = v;
        }
    }
}

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
///
/// [`affine_forward`]: super::affine_forward
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels;
///
/// // ReLU outputs, many zeros: the same bits as the dense kernel.
/// let x = [0.0f32, 2.0, 0.0, 0.0, 1.5, 0.0];
/// let w: Vec<f32> = (0..3 * 4).map(|i| i as f32 * 0.25 - 1.0).collect();
/// let b = [0.1f32, 0.2, 0.3, 0.4];
/// let (mut dense, mut sparse) = ([0.0f32; 8], [0.0f32; 8]);
/// kernels::affine_forward(&x, &w, &b, &mut dense);
/// kernels::sparse_affine_forward(&x, &w, &b, &mut sparse);
/// assert_eq!(dense, sparse);
/// ```
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
///
/// [`accumulate_param_grad`]: super::accumulate_param_grad
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels;
///
/// let x = [0.0f32, 2.0, 1.0, 0.0]; // 2 samples × 2 inputs
/// let dy = [0.5f32, -1.0, 0.0, 2.0]; // 2 samples × 2 outputs
/// let (mut dw, mut db) = ([0.0f32; 4], [0.0f32; 2]);
/// let (mut dw2, mut db2) = ([0.0f32; 4], [0.0f32; 2]);
/// kernels::accumulate_param_grad(&x, &dy, &mut dw, &mut db);
/// kernels::sparse_accumulate_param_grad(&x, &dy, &mut dw2, &mut db2);
/// assert_eq!((dw, db), (dw2, db2));
/// ```
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
///
/// [`backward_input`]: super::backward_input
/// [`relu_backward_in_place`]: super::relu_backward_in_place
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels;
///
/// let w = [1.0f32, 0.0, 2.0, 0.0, 1.0, 3.0]; // 2 × 3
/// let mut wt = [0.0f32; 6];
/// kernels::transpose(&w, 3, &mut wt);
/// let (dy, y) = ([1.0f32, 1.0, 1.0], [0.0f32, 5.0]); // y: the layer's ReLU input
/// let mut dx = [0.0f32; 2];
/// kernels::sparse_backward_input_relu(&dy, &wt, &y, &mut dx, 3);
/// assert_eq!(dx, [0.0, 4.0]); // dy·Wᵀ, zero where y ≤ 0
/// ```
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
