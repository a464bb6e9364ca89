//! The decision boundary's length on a grid: everywhere in the grid's box
//! (registry version 1's claim r6), or only where the data are (version 2's).

use super::registry::{BOUNDARY_BOX, BOUNDARY_GRID};
use crate::study::Splits;
use saorsa_nn::Network;

/// The grid's points, row by row (`y` outer, `x` inner), as `f32` pairs.
fn grid_points() -> Vec<f32> {
    let n = BOUNDARY_GRID;
    let ((x0, x1), (y0, y1)) = BOUNDARY_BOX;
    let (dx, dy) = ((x1 - x0) / (n - 1) as f64, (y1 - y0) / (n - 1) as f64);
    let mut xs = Vec::with_capacity(2 * n * n);
    for j in 0..n {
        for i in 0..n {
            xs.push((x0 + i as f64 * dx) as f32);
            xs.push((y0 + j as f64 * dy) as f32);
        }
    }
    xs
}

/// The decision boundary's length: the final network's predicted class on
/// a [`BOUNDARY_GRID`]² grid over [`BOUNDARY_BOX`]; each pair of horizontal
/// neighbours predicted differently adds the cell's height, each vertical
/// pair its width. `None` unless the network has 2 inputs.
pub fn boundary_length(net: &Network<Vec<f32>>) -> Option<f64> {
    boundary_length_where(net, None)
}

/// [`boundary_length`] counting only the neighbour pairs whose two grid
/// points are both `inside` (row by row, as [`near_data`] makes it); every
/// pair when `inside` is `None`.
pub fn boundary_length_where(net: &Network<Vec<f32>>, inside: Option<&[bool]>) -> Option<f64> {
    if net.shape().inputs() != 2 {
        return None;
    }
    let n = BOUNDARY_GRID;
    let ((x0, x1), (y0, y1)) = BOUNDARY_BOX;
    let (dx, dy) = ((x1 - x0) / (n - 1) as f64, (y1 - y0) / (n - 1) as f64);
    let xs = grid_points();
    let k = net.shape().classes();
    let mut z = vec![0.0f32; n * n * k];
    let mut scratch = vec![0.0f32; 2 * n * n * net.shape().max_hidden_width()];
    net.logits(&xs, &mut scratch, &mut z).ok()?;
    let class: Vec<usize> = z
        .chunks_exact(k)
        .map(|l| l.iter().enumerate().fold(0, |b, (c, v)| if *v > l[b] { c } else { b }))
        .collect();
    let counted = |a: usize, b: usize| inside.is_none_or(|m| m[a] && m[b]);
    let mut len = 0.0;
    for j in 0..n {
        for i in 0..n {
            let at = j * n + i;
            let c = class[at];
            if i + 1 < n && class[at + 1] != c && counted(at, at + 1) {
                len += dy;
            }
            if j + 1 < n && class[at + n] != c && counted(at, at + n) {
                len += dx;
            }
        }
    }
    Some(len)
}

/// Which grid points lie within `radius` of a training or validation point:
/// `(x − xᵢ)² + (y − yᵢ)² ≤ radius²` in `f64` for some sample `i`. Empty
/// unless the data have 2 features.
pub fn near_data(splits: &Splits, radius: f64) -> Vec<bool> {
    let data: Vec<(f64, f64)> = [&splits.train, &splits.val]
        .into_iter()
        .filter(|s| s.features == 2)
        .flat_map(|s| s.x.chunks_exact(2).map(|p| (f64::from(p[0]), f64::from(p[1]))))
        .collect();
    if data.is_empty() {
        return Vec::new();
    }
    let r2 = radius * radius;
    grid_points()
        .chunks_exact(2)
        .map(|g| {
            let (gx, gy) = (f64::from(g[0]), f64::from(g[1]));
            data.iter().any(|&(x, y)| (gx - x) * (gx - x) + (gy - y) * (gy - y) <= r2)
        })
        .collect()
}
