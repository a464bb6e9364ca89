//! `report.html`: the study's self-contained page, with its configuration,
//! summary tables, findings and every figure inline.

use super::{Figure, Skipped, arrows, label, norm_words};
use crate::config::{DataSource, StudyConfig};
use crate::error::{Error, Result};
use crate::html::{self, Page, escape};
use crate::plot::base64;
use crate::study::Splits;
use crate::summary::Summary;
use std::fmt::Write as _;
use std::path::Path;

/// The report's head: its title and style sheet.
const PAGE: Page = Page {
    title: "Weight-initialization study — saorsa-nn",
    css: concat!(
        "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}",
        "h1{font-size:1.7em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}",
        "table{border-collapse:collapse;margin:1em 0;font-size:.92em}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}",
        "th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}",
        "figure{margin:1.5em 0;padding:0}figure svg,figure img{max-width:100%;height:auto;display:block;border:1px solid #eee}",
        "figcaption{font-size:.92em;color:#444;margin-top:.4em}code{background:#f4f4f4;padding:0 .2em}",
    ),
    viewport: true,
};

/// The page: `figs` in order, an animation (no SVG) read from its GIF
/// under `out`, after a list of what was `skipped` and why.
pub(super) fn page(
    out: &Path,
    config: &StudyConfig,
    splits: &Splits,
    summary: &Summary,
    figs: &[Figure],
    skipped: &[Skipped],
) -> Result<String> {
    let mut h = PAGE.open();
    h.push_str("<h1>Why weight initialization still matters — reproduction with saorsa-nn</h1>\n");
    let _ = writeln!(
        h,
        "<p>{} initializers × {} model seeds × {} epochs; every number and figure below is computed from the data files in this directory (<code>config.json</code>, <code>data/</code>, <code>metrics.csv</code>, <code>runs.csv</code>, <code>update_size.csv</code> and the checkpoints under <code>runs/</code>), and <code>harness report --from</code> redraws it from them.</p>",
        config.inits.len(),
        config.seeds.len(),
        config.epochs
    );
    h.push_str("<h2>Configuration</h2>\n<table>\n");
    let mut data = match &config.source {
        DataSource::Generated { spec, samples } => {
            format!("{}, {samples} samples", spec.display_name())
        }
        DataSource::Csv { path, data, .. } => format!("CSV {path} ({} samples)", data.len()),
    };
    if let Some(e) = config.embedding {
        let _ = write!(
            data,
            "; embedded into {} dimensions by a random rotation ({} of them pure noise)",
            e.dims, e.noise_dims
        );
    }
    let adam = config.adam();
    let rows = [
        ("data", data),
        ("data / split seed", config.data_seed.to_string()),
        (
            "validation ratio",
            format!("{} ({} train, {} validation)", config.val_ratio, splits.train.len(), splits.val.len()),
        ),
        (
            "network",
            format!(
                "{}, {}ReLU, softmax + cross-entropy, {} parameters",
                arrows(&config.shape),
                norm_words(&config.shape, "LayerNorm + "),
                config.shape.parameter_count()
            ),
        ),
        ("initializers", config.inits.iter().map(label).collect::<Vec<_>>().join(", ")),
        ("model seeds", config.seeds.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")),
        ("epochs", config.epochs.to_string()),
        (
            "batch",
            config
                .batch_size
                .map_or("full batch (one step per epoch)".to_string(), |b| format!("{b} samples per step")),
        ),
        (
            "optimizer",
            format!(
                "Adam, lr {}, β1 {}, β2 {}, ε {:e}",
                adam.learning_rate, adam.beta1, adam.beta2, adam.epsilon
            ),
        ),
        (
            "software",
            format!("saorsa-nn {} (harness {})", env!("CARGO_PKG_VERSION"), env!("CARGO_PKG_VERSION")),
        ),
    ];
    for (k, v) in rows {
        let _ = writeln!(h, "<tr><th>{k}</th><td style=\"text-align:left\">{}</td></tr>", escape(&v));
    }
    h.push_str("</table>\n<h2>Summary</h2>\n");
    let table = summary.table_rows();
    h.push_str(&html::table(&table.header, &table.rows));
    h.push_str("<p>");
    h.push_str(&escape(&summary.thresholds_text()));
    h.push_str("</p>\n");
    let findings = summary.findings_text();
    if !findings.is_empty() {
        h.push_str("<h3>The paper's findings in this study</h3>\n<ul>\n");
        for line in findings.lines() {
            let _ = writeln!(h, "<li>{}</li>", escape(line.trim_start_matches("- ")));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("<p>");
    h.push_str(&escape(&summary.spread_text()).replace('\n', "<br>\n"));
    h.push_str("</p>\n<h2>Training curves</h2>\n");
    let curves = summary.curve_rows();
    h.push_str(&html::table(&curves.header, &curves.rows));
    h.push_str("<h2>Figures</h2>\n");
    if !skipped.is_empty() {
        h.push_str("<p>Not written for this study:</p>\n<ul>\n");
        for s in skipped {
            let _ = writeln!(h, "<li>{}: {}</li>", escape(&s.what), escape(&s.reason.to_string()));
        }
        h.push_str("</ul>\n");
    }
    for f in figs {
        h.push_str("<figure>\n");
        match &f.svg {
            Some(svg) => h.push_str(svg),
            None => {
                let path = out.join(format!("{}.gif", f.stem));
                let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
                let alt = escape(&f.stem);
                let _ = write!(h, "<img alt=\"{alt}\" src=\"data:image/gif;base64,{}\">", base64(&bytes));
            }
        }
        let _ = writeln!(h, "\n<figcaption>{}</figcaption>\n</figure>", escape(&f.caption));
    }
    h.push_str(PAGE.close());
    Ok(h)
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc4648() {
        for (i, o) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(super::base64(i.as_bytes()), o);
        }
    }
}
