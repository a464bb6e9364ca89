//! The claims run's files: `runs.csv`, `epochs.csv`, `claims.json`,
//! `claims.md`, `fig-<claim>.svg`/`.png` and `claims.html` — each a pure
//! function of the records, written atomically.

use super::analysis::{self, ClaimResult, Component, Table, Verdict};
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
    runs_csv_with(t, "", |_| Vec::new())
}

/// `runs.csv` with more columns: `extra_header` (each name preceded by a
/// comma) and each run's `extra` values appended to every row.
pub(crate) fn runs_csv_with(
    t: &Table<'_>,
    extra_header: &str,
    extra: impl Fn(&super::RunRecord) -> Vec<String>,
) -> String {
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
        rows.last_mut().expect("just pushed").extend(extra(r));
    }
    format!("{RUNS_HEADER}{extra_header}\n{}", csv_text(rows))
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

/// A number as the claims' files print it: 4 decimals, or 3 significant
/// digits in scientific notation when very small or large; `n/a` when not
/// finite.
pub(crate) fn number(x: f64) -> String {
    fmt(x)
}

/// A claim's registered texts, as the files show them.
pub(crate) struct ClaimText<'a> {
    /// Machine name.
    pub id: &'a str,
    /// The paper's section.
    pub section: &'a str,
    /// The paper's sentence.
    pub quote: &'a str,
    /// The experiment.
    pub experiment: &'a str,
    /// The primary test.
    pub primary: &'a str,
    /// The decision rule.
    pub rule: &'a str,
    /// The secondary statistics.
    pub secondary: &'a str,
    /// The figure's caption.
    pub caption: &'a str,
}

/// One claim's result as `claims.md`, `claims.html` and the verdict table
/// show it, whichever registry drew it.
pub(crate) trait Shown {
    /// The registered texts.
    fn text(&self) -> ClaimText<'_>;
    /// The verdict.
    fn verdict(&self) -> Verdict;
    /// The p the verdict table shows, and its Holm-adjusted value.
    fn ps(&self) -> (f64, f64);
    /// The headline effect with its CI (the first part's).
    fn headline(&self) -> String;
    /// The result's sentence in Markdown and in HTML (escaped), when the claim was run.
    fn result(&self) -> Option<(String, String)>;
    /// The primary test's parts, one line each.
    fn parts(&self) -> Vec<String>;
    /// The secondary statistics, one line each.
    fn secondary(&self) -> Vec<String>;
    /// Plain-text notes.
    fn notes(&self) -> &[String];
    /// The figure's file stem.
    fn figure(&self) -> Option<&str>;
}

impl Shown for ClaimResult {
    fn text(&self) -> ClaimText<'_> {
        let c = &self.claim;
        ClaimText {
            id: c.id,
            section: c.section,
            quote: c.quote,
            experiment: c.experiment,
            primary: c.primary,
            rule: c.rule,
            secondary: c.secondary,
            caption: c.caption,
        }
    }

    fn verdict(&self) -> Verdict {
        self.verdict
    }

    fn ps(&self) -> (f64, f64) {
        (self.p, self.p_holm)
    }

    fn headline(&self) -> String {
        self.components
            .first()
            .map_or("—".into(), |c| format!("{} [{}, {}]", fmt(c.effect), fmt(c.ci.0), fmt(c.ci.1)))
    }

    fn result(&self) -> Option<(String, String)> {
        (!self.components.is_empty()).then(|| {
            let md = format!(
                "{} ({} the claim), Holm-adjusted {} → **{}**.",
                format_p(self.p),
                if self.direction == analysis::Direction::Claimed { "for" } else { "against" },
                format_p(self.p_holm),
                self.verdict.word()
            );
            (md, format!("{}, Holm-adjusted {}.", format_p(self.p), format_p(self.p_holm)))
        })
    }

    fn parts(&self) -> Vec<String> {
        self.components.iter().map(component_line).collect()
    }

    fn secondary(&self) -> Vec<String> {
        self.secondary.iter().map(component_line).collect()
    }

    fn notes(&self) -> &[String] {
        &self.notes
    }

    fn figure(&self) -> Option<&str> {
        self.figure.as_deref()
    }
}

/// The verdict table (Markdown): claim, section, verdict, headline effect
/// with its CI, p and Holm-adjusted p.
pub fn verdict_table(results: &[ClaimResult]) -> String {
    table_of(results)
}

/// [`verdict_table`] of any registry's results.
pub(crate) fn table_of<R: Shown>(results: &[R]) -> String {
    let mut s = String::from(
        "| claim | section | verdict | effect [95% CI] (first part) | p | p (Holm) |\n|---|---|---|---|---|---|\n",
    );
    for r in results {
        let (t, (p, p_holm)) = (r.text(), r.ps());
        let _ = writeln!(
            s,
            "| `{}` | {} | **{}** | {} | {} | {} |",
            t.id,
            t.section,
            r.verdict().word(),
            r.headline(),
            p_value_text(p),
            p_value_text(p_holm)
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

/// What the claims' pages say around the claims: the run, where the
/// registry is, its verdict rule and constants.
pub(crate) struct Doc<'a> {
    /// `quick run`, `quick run, registry version 2`, …
    pub heading: String,
    /// The registry's source, e.g. `harness/src/claims/registry.rs`.
    pub registry_file: &'a str,
    /// The shared verdict rule.
    pub verdict_rule: &'a str,
    /// The constants, as a Markdown list.
    pub constants: String,
}

/// Version 1's page texts.
fn doc_v1(scale: Scale) -> Doc<'static> {
    Doc {
        heading: format!("{} run", scale.name()),
        registry_file: "harness/src/claims/registry.rs",
        verdict_rule: registry::VERDICT_RULE,
        constants: constants_md(),
    }
}

/// `claims.md`.
pub fn markdown(t: &Table<'_>, scale: Scale, results: &[ClaimResult]) -> String {
    markdown_of(t, &doc_v1(scale), results)
}

/// `claims.md` of any registry's results.
pub(crate) fn markdown_of<R: Shown>(t: &Table<'_>, doc: &Doc<'_>, results: &[R]) -> String {
    let mut s = format!("# Do the paper's claims hold? ({})\n\n", doc.heading);
    let _ = write!(
        s,
        "Every threshold, margin, window, test and decision rule below was fixed in code (`{}`) before the run: this is a pre-registered analysis.\n\n",
        doc.registry_file
    );
    let _ = writeln!(s, "**Verdict rule.** {}\n", doc.verdict_rule);
    s.push_str("**Constants.**\n\n");
    s.push_str(&doc.constants);
    s.push_str("\n**Experiments** (runs paired by model seed: for one seed every initializer scales the same standard-normal draws).\n\n");
    s.push_str(&plans_md(t));
    s.push_str("\n## Verdicts\n\n");
    s.push_str(&table_of(results));
    for r in results {
        let c = r.text();
        let _ =
            write!(s, "\n## `{}` — {}\n\n> {}\n> — §{}\n\n", c.id, r.verdict().word(), c.quote, c.section);
        let _ = writeln!(s, "- **Experiment.** {}", c.experiment);
        let _ = writeln!(s, "- **Primary test.** {}", c.primary);
        let _ = writeln!(s, "- **Rule.** {}", c.rule);
        if let Some((md, _)) = r.result() {
            let _ = writeln!(s, "- **Result.** {md}");
            for line in r.parts() {
                let _ = writeln!(s, "  - {line}");
            }
        }
        let secondary = r.secondary();
        if !secondary.is_empty() {
            let _ = writeln!(s, "- **Secondary** ({}):", c.secondary);
            for line in secondary {
                let _ = writeln!(s, "  - {line}");
            }
        }
        for n in r.notes() {
            let _ = writeln!(s, "- {n}");
        }
        if let Some(f) = r.figure() {
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
    html_of(t, &doc_v1(scale), results, svgs)
}

/// `claims.html` of any registry's results.
pub(crate) fn html_of<R: Shown>(
    t: &Table<'_>,
    doc: &Doc<'_>,
    results: &[R],
    svgs: &[Option<String>],
) -> String {
    let mut h = PAGE.open();
    let _ = writeln!(h, "<h1>Claims: do the paper's claims hold? ({})</h1>", doc.heading);
    let _ = writeln!(
        h,
        "<p>Every threshold, margin, window, test and decision rule was fixed in code (<code>{}</code>) before the run (pre-registration).</p>",
        escape(doc.registry_file)
    );
    let _ = writeln!(h, "<p><b>Verdict rule.</b> {}</p>", escape(doc.verdict_rule));
    let _ = writeln!(h, "<h2>Constants</h2><pre>{}</pre>", escape(&doc.constants));
    let _ = writeln!(h, "<h2>Experiments</h2><pre>{}</pre>", escape(&plans_md(t)));
    h.push_str("<h2>Verdicts</h2><table><tr><th>claim</th><th>section</th><th>verdict</th><th>effect [95% CI]</th><th>p</th><th>p (Holm)</th></tr>\n");
    for r in results {
        let (c, (p, p_holm)) = (r.text(), r.ps());
        let _ = writeln!(
            h,
            "<tr><td><a href=\"#{id}\">{id}</a></td><td>{}</td><td class=\"{}\"><b>{}</b></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(c.section),
            r.verdict().word().replace(' ', ""),
            r.verdict().word(),
            escape(&r.headline()),
            p_value_text(p),
            p_value_text(p_holm),
            id = escape(c.id)
        );
    }
    h.push_str("</table>\n");
    for (r, svg) in results.iter().zip(svgs) {
        let c = r.text();
        let _ = writeln!(
            h,
            "<h2 id=\"{id}\">{id} — <span class=\"{}\">{}</span></h2><blockquote>{}<br>— §{}</blockquote>",
            r.verdict().word().replace(' ', ""),
            r.verdict().word(),
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
        if let Some((_, sentence)) = r.result() {
            let _ = writeln!(h, "<p><b>Result.</b> {sentence}</p><ul>");
            for line in r.parts() {
                let _ = writeln!(h, "<li>{}</li>", escape(&line));
            }
            h.push_str("</ul>\n");
        }
        let secondary = r.secondary();
        if !secondary.is_empty() || !r.notes().is_empty() {
            h.push_str("<p><b>Secondary.</b></p><ul>");
            for line in secondary {
                let _ = writeln!(h, "<li>{}</li>", escape(&line));
            }
            for n in r.notes() {
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
    let scenes: Vec<Option<&Scene>> = analysed.iter().map(|(_, s)| s.as_ref()).collect();
    write_files(folder, t, &doc_v1(scale), &results, &scenes, &file, runs_csv(t))
}

/// Writes every file of a claims run under `out`: `runs.csv` (`runs`),
/// `epochs.csv`, each claim's figure (`fig-<id>.svg`/`.png`, from
/// `scenes[i]` when result `i` names a figure), `claims.json` (`json`,
/// pretty-printed), `claims.md` and `claims.html`.
pub(crate) fn write_files<R: Shown>(
    folder: &Folder,
    t: &Table<'_>,
    doc: &Doc<'_>,
    results: &[R],
    scenes: &[Option<&Scene>],
    json: &impl serde::Serialize,
    runs: String,
) -> Result<()> {
    folder.write(layout::RUNS, runs.as_bytes())?;
    folder.write(layout::EPOCHS, epochs_csv(t).as_bytes())?;
    let mut svgs = Vec::new();
    for (r, scene) in results.iter().zip(scenes) {
        match (scene, r.figure()) {
            (Some(scene), Some(stem)) => {
                let svg = scene.to_svg();
                folder.write(format!("{stem}.svg"), svg.as_bytes())?;
                folder.write(format!("{stem}.png"), &scene.to_raster().to_png())?;
                svgs.push(Some(svg));
            }
            _ => svgs.push(None),
        }
    }
    let json = serde_json::to_string_pretty(json)
        .map_err(|e| crate::error::Error::results(folder.dir().join(layout::CLAIMS_JSON), e.to_string()))?;
    folder.write(layout::CLAIMS_JSON, format!("{json}\n").as_bytes())?;
    folder.write(layout::CLAIMS_MD, markdown_of(t, doc, results).as_bytes())?;
    folder.write(layout::CLAIMS_HTML, html_of(t, doc, results, &svgs).as_bytes())?;
    Ok(())
}
