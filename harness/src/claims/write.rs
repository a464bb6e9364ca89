//! The claims run's files: `runs.csv`, `epochs.csv`, `claims.json`,
//! `claims.md`, `fig-<claim>.svg`/`.png` and `claims.html` — each a pure
//! function of the records, written atomically.

use super::analysis::{self, ClaimResult, Component, Table};
use super::registry::{self, Scale};
use crate::error::Result;
use crate::folder::Folder;
use crate::html::{Page, escape};
use crate::layout;
use crate::output::csv_text;
use crate::plot::Scene;
use crate::stats::{format_p, p_value_text};
use std::fmt::Write as _;

/// Version of the layout of `claims.json`, `runs.csv` and `epochs.csv`.
pub const CLAIMS_SCHEMA_VERSION: u32 = 1;

/// `runs.csv`'s header: the run's key, every factor, then its outcomes.
pub const RUNS_HEADER: &str = "run,plan,level,dataset,input_dim,hidden_layers,width,arch,layer_norm,learning_rate,epochs,init,seed,chance,ceiling,final_train_acc,final_val_acc,early_speed,overall_speed,plateau,loss_rise,update_early,epochs_to_50pct_of_ceiling,epochs_to_90pct_of_ceiling,boundary_length,error";

/// `epochs.csv`'s header: one row per run and epoch.
pub const EPOCHS_HEADER: &str = "run,epoch,train_loss,train_acc,val_loss,val_acc,update_mean";

/// `runs.csv`'s `run` column: a readable key that names the level by its label (the record's
/// id, [`super::ClaimsJobs`]'s, counts levels from 0 instead).
fn csv_key(t: &Table<'_>, r: &super::RunRecord) -> String {
    let plan = &t.plans[r.plan];
    format!(
        "{}/{}/{}/seed-{}",
        plan.id,
        plan.levels[r.level].label.replace(' ', "_"),
        plan.inits[r.init].name(),
        r.seed
    )
}

fn opt(v: Option<f64>) -> String {
    v.map_or(String::new(), |x| format!("{x}"))
}

/// `runs.csv`: one row per run; a censored epochs-to column is empty.
pub fn runs_csv(t: &Table<'_>) -> String {
    let mut rows = Vec::with_capacity(t.records.len());
    for r in t.records {
        let plan = &t.plans[r.plan];
        let level = &plan.levels[r.level];
        let c = &level.config;
        let th = t.prepared[r.plan][r.level].thresholds;
        let widths = c.shape.widths();
        let dataset = match &c.source {
            crate::config::DataSource::Generated { spec, .. } => spec.name(),
            crate::config::DataSource::Csv { path, .. } => path.clone(),
        };
        let reach = |q: f64| {
            let e = analysis::epochs_to(r, th.target(q));
            if e as usize > r.train_acc.len() { String::new() } else { format!("{e}") }
        };
        rows.push(vec![
            csv_key(t, r),
            plan.id.to_string(),
            level.label.to_string(),
            dataset,
            c.inputs().to_string(),
            (widths.len() - 2).to_string(),
            widths[1].to_string(),
            c.shape.to_string(),
            (c.shape.normalization() == saorsa_nn::Normalization::LayerNorm).to_string(),
            c.learning_rate.to_string(),
            c.epochs.to_string(),
            plan.inits[r.init].name(),
            r.seed.to_string(),
            th.chance.to_string(),
            th.top().to_string(),
            r.final_train_acc.to_string(),
            r.final_val_acc.to_string(),
            analysis::early_speed(r).to_string(),
            analysis::overall_speed(r).to_string(),
            analysis::plateau(r).to_string(),
            analysis::loss_rise(r).to_string(),
            analysis::update_early(r).to_string(),
            reach(0.5),
            reach(0.9),
            opt(r.boundary),
            r.error.clone().unwrap_or_default(),
        ]);
    }
    format!("{RUNS_HEADER}\n{}", csv_text(rows))
}

/// `epochs.csv`: per run and epoch, the metrics before that epoch's update
/// and the mean relative weight change of its update.
pub fn epochs_csv(t: &Table<'_>) -> String {
    let rows = t.records.iter().flat_map(|r| {
        let id = csv_key(t, r);
        (0..r.train_acc.len()).map(move |e| {
            let values = [r.train_loss[e], r.train_acc[e], r.val_loss[e], r.val_acc[e], r.update_mean[e]];
            [id.clone(), (e + 1).to_string()].into_iter().chain(values.map(|v| v.to_string()))
        })
    });
    format!("{EPOCHS_HEADER}\n{}", csv_text(rows))
}

fn fmt(x: f64) -> String {
    if !x.is_finite() {
        "n/a".into()
    } else if x != 0.0 && (x.abs() < 1e-3 || x.abs() >= 1e4) {
        format!("{x:.3e}")
    } else {
        format!("{x:.4}")
    }
}

fn component_line(c: &Component) -> String {
    let mut s =
        format!("{}: effect {} [{}, {}] (n = {}", c.label, fmt(c.effect), fmt(c.ci.0), fmt(c.ci.1), c.n);
    if let Some(d) = c.standardized {
        let _ = write!(s, ", d_z = {}", fmt(d));
    }
    let _ = write!(s, "); {}", c.test);
    if c.statistic.is_finite() {
        let _ = write!(s, ", statistic {}", fmt(c.statistic));
    }
    let _ = write!(s, ", {}", format_p(c.p));
    s
}

/// The headline effect of a result: its first component.
fn headline(r: &ClaimResult) -> String {
    r.components
        .first()
        .map_or("—".into(), |c| format!("{} [{}, {}]", fmt(c.effect), fmt(c.ci.0), fmt(c.ci.1)))
}

/// The verdict table (Markdown): claim, section, verdict, headline effect
/// with its CI, p and Holm-adjusted p.
pub fn verdict_table(results: &[ClaimResult]) -> String {
    let mut s = String::from(
        "| claim | section | verdict | effect [95% CI] (first part) | p | p (Holm) |\n|---|---|---|---|---|---|\n",
    );
    for r in results {
        let _ = writeln!(
            s,
            "| `{}` | {} | **{}** | {} | {} | {} |",
            r.claim.id,
            r.claim.section,
            r.verdict.word(),
            headline(r),
            p_value_text(r.p),
            p_value_text(r.p_holm)
        );
    }
    s
}

fn constants_md() -> String {
    format!(
        "- family-wise α = {} (Holm–Bonferroni across every claim's primary test)\n- equivalence margin (TOST) = ±{}\n- early window = epochs 1–{}; \"first several epochs\" = 1–{}; plateau = last {} epochs\n- bootstrap: {} resamples, seed {:#x}, percentile intervals, seeds resampled as pairs\n- boundary grid {}² over {:?}\n- deep ≥ {} hidden layers, shallow ≤ {}\n- values snapped to {} before ranking\n",
        registry::ALPHA,
        registry::EQUIVALENCE_MARGIN,
        registry::EARLY_WINDOW,
        registry::SPREAD_WINDOW,
        registry::PLATEAU_WINDOW,
        registry::BOOTSTRAP_RESAMPLES,
        registry::BOOTSTRAP_SEED,
        registry::BOUNDARY_GRID,
        registry::BOUNDARY_BOX,
        registry::DEEP_MIN_HIDDEN,
        registry::SHALLOW_MAX_HIDDEN,
        registry::SNAP
    )
}

fn plans_md(t: &Table<'_>) -> String {
    let mut s = String::new();
    for p in t.plans {
        let levels: Vec<&str> = p.levels.iter().map(|l| l.label.as_str()).collect();
        let inits: Vec<String> = p.inits.iter().map(|i| i.name()).collect();
        let _ = writeln!(
            s,
            "- `{}`: {} = {}; inits {}; seeds {}–{} ({} runs, {} epochs each)",
            p.id,
            p.factor,
            levels.join(", "),
            inits.join(", "),
            p.seeds.first().copied().unwrap_or(0),
            p.seeds.last().copied().unwrap_or(0),
            p.runs(),
            p.levels.first().map_or(0, |l| l.config.epochs)
        );
    }
    s
}

/// `claims.md`.
pub fn markdown(t: &Table<'_>, scale: Scale, results: &[ClaimResult]) -> String {
    let mut s = format!("# Do the paper's claims hold? ({} run)\n\n", scale.name());
    s.push_str("Every threshold, margin, window, test and decision rule below was fixed in code (`harness/src/claims/registry.rs`) before the run: this is a pre-registered analysis.\n\n");
    let _ = writeln!(s, "**Verdict rule.** {}\n", registry::VERDICT_RULE);
    s.push_str("**Constants.**\n\n");
    s.push_str(&constants_md());
    s.push_str("\n**Experiments** (runs paired by model seed: for one seed every initializer scales the same standard-normal draws).\n\n");
    s.push_str(&plans_md(t));
    s.push_str("\n## Verdicts\n\n");
    s.push_str(&verdict_table(results));
    for r in results {
        let c = &r.claim;
        let _ = write!(s, "\n## `{}` — {}\n\n> {}\n> — §{}\n\n", c.id, r.verdict.word(), c.quote, c.section);
        let _ = writeln!(s, "- **Experiment.** {}", c.experiment);
        let _ = writeln!(s, "- **Primary test.** {}", c.primary);
        let _ = writeln!(s, "- **Rule.** {}", c.rule);
        if !r.components.is_empty() {
            let _ = writeln!(
                s,
                "- **Result.** {} ({} the claim), Holm-adjusted {} → **{}**.",
                format_p(r.p),
                if r.direction == analysis::Direction::Claimed { "for" } else { "against" },
                format_p(r.p_holm),
                r.verdict.word()
            );
            for comp in &r.components {
                let _ = writeln!(s, "  - {}", component_line(comp));
            }
        }
        if !r.secondary.is_empty() {
            let _ = writeln!(s, "- **Secondary** ({}):", c.secondary);
            for comp in &r.secondary {
                let _ = writeln!(s, "  - {}", component_line(comp));
            }
        }
        for n in &r.notes {
            let _ = writeln!(s, "- {n}");
        }
        if let Some(f) = &r.figure {
            let _ = writeln!(s, "\n![{}]({f}.png)\n\n*{}*", c.id, c.caption);
        }
    }
    s
}

/// `claims.json`.
#[derive(serde::Serialize)]
pub struct ClaimsFile<'a> {
    /// [`CLAIMS_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The scale run.
    pub scale: Scale,
    /// Its factors and levels.
    pub levels: registry::ScaleSpec,
    /// Family-wise α.
    pub alpha: f64,
    /// TOST margin.
    pub equivalence_margin: f64,
    /// The shared verdict rule.
    pub verdict_rule: &'static str,
    /// Number of runs.
    pub runs: usize,
    /// Every claim's result.
    pub claims: &'a [ClaimResult],
}

/// The page's head: its title and style sheet.
const PAGE: Page = Page {
    title: "Claims",
    css: "body{font-family:'DejaVu Sans',sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}blockquote{border-left:4px solid #ccc;margin:0;padding:0 1em;color:#444}figure{margin:1em 0}figure svg{max-width:100%;height:auto;display:block;border:1px solid #eee}.supported{color:#1a7f37}.contradicted{color:#c0392b}.inconclusive{color:#8a6d00}.notrun{color:#777}",
    viewport: false,
};

/// `claims.html`: self-contained, figures inline as SVG.
pub fn html(t: &Table<'_>, scale: Scale, results: &[ClaimResult], svgs: &[Option<String>]) -> String {
    let mut h = PAGE.open();
    let _ = writeln!(h, "<h1>Claims: do the paper's claims hold? ({} run)</h1>", scale.name());
    h.push_str("<p>Every threshold, margin, window, test and decision rule was fixed in code (<code>harness/src/claims/registry.rs</code>) before the run (pre-registration).</p>\n");
    let _ = writeln!(h, "<p><b>Verdict rule.</b> {}</p>", escape(registry::VERDICT_RULE));
    let _ = writeln!(h, "<h2>Constants</h2><pre>{}</pre>", escape(&constants_md()));
    let _ = writeln!(h, "<h2>Experiments</h2><pre>{}</pre>", escape(&plans_md(t)));
    h.push_str("<h2>Verdicts</h2><table><tr><th>claim</th><th>section</th><th>verdict</th><th>effect [95% CI]</th><th>p</th><th>p (Holm)</th></tr>\n");
    for r in results {
        let _ = writeln!(
            h,
            "<tr><td><a href=\"#{id}\">{id}</a></td><td>{}</td><td class=\"{}\"><b>{}</b></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(r.claim.section),
            r.verdict.word().replace(' ', ""),
            r.verdict.word(),
            escape(&headline(r)),
            p_value_text(r.p),
            p_value_text(r.p_holm),
            id = escape(r.claim.id)
        );
    }
    h.push_str("</table>\n");
    for (r, svg) in results.iter().zip(svgs) {
        let c = &r.claim;
        let _ = writeln!(
            h,
            "<h2 id=\"{id}\">{id} — <span class=\"{}\">{}</span></h2><blockquote>{}<br>— §{}</blockquote>",
            r.verdict.word().replace(' ', ""),
            r.verdict.word(),
            escape(c.quote),
            escape(c.section),
            id = escape(c.id)
        );
        let _ = writeln!(
            h,
            "<p><b>Experiment.</b> {}</p><p><b>Primary test.</b> {}</p><p><b>Rule.</b> {}</p>",
            escape(c.experiment),
            escape(c.primary),
            escape(c.rule)
        );
        if !r.components.is_empty() {
            let _ = writeln!(
                h,
                "<p><b>Result.</b> {}, Holm-adjusted {}.</p><ul>",
                format_p(r.p),
                format_p(r.p_holm)
            );
            for comp in &r.components {
                let _ = writeln!(h, "<li>{}</li>", escape(&component_line(comp)));
            }
            h.push_str("</ul>\n");
        }
        if !r.secondary.is_empty() || !r.notes.is_empty() {
            h.push_str("<p><b>Secondary.</b></p><ul>");
            for comp in &r.secondary {
                let _ = writeln!(h, "<li>{}</li>", escape(&component_line(comp)));
            }
            for n in &r.notes {
                let _ = writeln!(h, "<li>{}</li>", escape(n));
            }
            h.push_str("</ul>\n");
        }
        if let Some(svg) = svg {
            let _ = writeln!(h, "<figure>{svg}<figcaption>{}</figcaption></figure>", escape(c.caption));
        }
    }
    h.push_str(PAGE.close());
    h
}

/// Writes every file under `out`.
pub fn write_all(
    folder: &Folder,
    scale: Scale,
    t: &Table<'_>,
    analysed: &[(ClaimResult, Option<Scene>)],
) -> Result<()> {
    let results: Vec<ClaimResult> = analysed.iter().map(|(r, _)| r.clone()).collect();
    folder.write(layout::RUNS, runs_csv(t).as_bytes())?;
    folder.write(layout::EPOCHS, epochs_csv(t).as_bytes())?;
    let mut svgs = Vec::new();
    for (r, scene) in analysed {
        match (scene, &r.figure) {
            (Some(scene), Some(stem)) => {
                let svg = scene.to_svg();
                folder.write(format!("{stem}.svg"), svg.as_bytes())?;
                folder.write(format!("{stem}.png"), &scene.to_raster().to_png())?;
                svgs.push(Some(svg));
            }
            _ => svgs.push(None),
        }
    }
    let file = ClaimsFile {
        schema_version: CLAIMS_SCHEMA_VERSION,
        scale,
        levels: scale.spec(),
        alpha: registry::ALPHA,
        equivalence_margin: registry::EQUIVALENCE_MARGIN,
        verdict_rule: registry::VERDICT_RULE,
        runs: t.records.len(),
        claims: &results,
    };
    let json = serde_json::to_string_pretty(&file)
        .map_err(|e| crate::error::Error::results(folder.dir().join(layout::CLAIMS_JSON), e.to_string()))?;
    folder.write(layout::CLAIMS_JSON, format!("{json}\n").as_bytes())?;
    folder.write(layout::CLAIMS_MD, markdown(t, scale, &results).as_bytes())?;
    folder.write(layout::CLAIMS_HTML, html(t, scale, &results, &svgs).as_bytes())?;
    Ok(())
}
