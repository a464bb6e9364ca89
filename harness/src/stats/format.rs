//! How a p-value is printed: the one formatting the study's summary, its
//! report and the claims' tables share.

/// A p-value as a report prints it: `p = 0.31`, `p = 0.042`, `p < 0.001`
/// (two significant digits; `p = n/a` when undefined).
pub(crate) fn format_p(p: f64) -> String {
    let value = p_value_text(p);
    if value.starts_with('<') { format!("p {value}") } else { format!("p = {value}") }
}

/// The value part of [`format_p`], for a table cell: `0.31`, `0.042`,
/// `< 0.001`, `n/a`.
pub(crate) fn p_value_text(p: f64) -> String {
    if !p.is_finite() {
        "n/a".into()
    } else if p < 0.001 {
        "< 0.001".into()
    } else {
        // Two significant digits: 2 decimals from 0.1, 3 from 0.01, 4 from 0.001.
        let decimals = if p >= 0.1 {
            2
        } else if p >= 0.01 {
            3
        } else {
            4
        };
        format!("{p:.decimals$}")
    }
}
