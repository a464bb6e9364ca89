//! Multiple-comparison correction: Holm–Bonferroni.

/// Holm–Bonferroni adjusted p-values, in the input's order:
/// sorted ascending `p_(1) ≤ … ≤ p_(m)`,
/// `p̃_(i) = min(1, max_{j ≤ i} (m − j + 1)·p_(j))`. Non-finite p-values are
/// left out of `m` and come back as `NaN`.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..p.len()).filter(|&i| p[i].is_finite()).collect();
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    let m = idx.len();
    let mut out = vec![f64::NAN; p.len()];
    let mut running = 0.0f64;
    for (j, &i) in idx.iter().enumerate() {
        running = running.max(((m - j) as f64 * p[i]).min(1.0));
        out[i] = running;
    }
    out
}
