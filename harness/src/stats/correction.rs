//! Multiple-comparison correction: Holm–Bonferroni, over one family of
//! p-values or within each of several.

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

/// [`holm`] applied separately within each family: `family[i]` names the
/// family of `p[i]` (e.g. a claim, whose parts form one family), and each
/// family is corrected on its own — its `m` counts only its own finite
/// p-values. Non-finite p-values (a part not run) come back as `NaN`.
///
/// # Panics
/// If `family.len() != p.len()` (a programmer error).
pub fn holm_by_family(p: &[f64], family: &[usize]) -> Vec<f64> {
    assert_eq!(p.len(), family.len(), "holm_by_family: one family per p-value");
    let mut out = vec![f64::NAN; p.len()];
    let mut families: Vec<usize> = family.to_vec();
    families.sort_unstable();
    families.dedup();
    for f in families {
        let members: Vec<usize> = (0..p.len()).filter(|&i| family[i] == f).collect();
        let adjusted = holm(&members.iter().map(|&i| p[i]).collect::<Vec<_>>());
        for (&i, a) in members.iter().zip(adjusted) {
            out[i] = a;
        }
    }
    out
}

#[cfg(test)]
mod tests;
