//! The second registration of the paper's claims (version 2, the default).
//!
//! Written after an independent review of version 1 and committed before
//! any run of it; its confirmatory run uses fresh model seeds (from
//! [`registry::FIRST_SEED`], never used by version 1). What changed from
//! version 1, one line per change with what was seen and why, is
//! [`changes`] (`CHANGES.md` beside this file).
//!
//! - [`registry`]: every constant, scale, rule and claim, fixed before a run.
//! - [`analysis`]: each claim's analysis (one function per claim) on the
//!   statistics module's exact, permutation and robust tests.
//! - `files`: `claims.json`, `claims.md`, `claims.html`, `runs.csv`, one
//!   figure per claim run — through the claims' shared writer.
//!
//! The runs, their records and the plans' construction are version 1's
//! (`claims::plans_of`, `claims::ClaimsJobs`); version 2's records add the
//! accuracies as integer counts, the boundary where the data are, and the
//! per-layer statistics the mechanism claims measure
//! (`claims::LayerRecord`).

pub mod analysis;
mod files;
pub mod registry;

/// What changed from version 1, and why (`CHANGES.md`).
pub mod changes {
    #![doc = include_str!("CHANGES.md")]
}

pub(crate) use files::finish;

use super::Scale;
use super::plans::{Design, Plan, plans_of};
use crate::error::Result;

/// The experiments of `scale` under version 2: version 1's plans with
/// version 2's levels and seeds ([`registry::spec`]).
pub fn plans(scale: Scale) -> Result<Vec<Plan>> {
    let s = registry::spec(scale);
    let seeds = |id: &'static str| s.seeds(id);
    plans_of(&Design {
        epochs: s.epochs,
        input_dims: &s.input_dims,
        depths: &s.depths,
        widths: &s.widths,
        tasks: &s.tasks,
        learning_rates: &s.learning_rates,
        seeds: &seeds,
    })
}

/// Version 2's source: its registry and analysis, and this file (which
/// builds its plans), in a fixed order.
const SOURCES: [(&str, &str); 11] = [
    ("mod.rs", include_str!("mod.rs")),
    ("registry/mod.rs", include_str!("registry/mod.rs")),
    ("registry/claims.rs", include_str!("registry/claims.rs")),
    ("analysis/mod.rs", include_str!("analysis/mod.rs")),
    ("analysis/base_plan.rs", include_str!("analysis/base_plan.rs")),
    ("analysis/measures.rs", include_str!("analysis/measures.rs")),
    ("analysis/mechanism.rs", include_str!("analysis/mechanism.rs")),
    ("analysis/parts.rs", include_str!("analysis/parts.rs")),
    ("analysis/sweeps.rs", include_str!("analysis/sweeps.rs")),
    ("analysis/variability.rs", include_str!("analysis/variability.rs")),
    ("files.rs", include_str!("files.rs")),
];

/// The source hash of version 2: FNV-1a (64 bits) over each source file's
/// name, a NUL, its text and a NUL, in a fixed order, as 16 hex digits.
/// `plan.json` and `claims.json` record it: a run of a changed registry is
/// another study.
pub fn source_hash() -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, text) in SOURCES {
        for &b in name.as_bytes().iter().chain(&[0]).chain(text.as_bytes()).chain(&[0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// `plan.json` of `scale` under version 2: the registry, its source hash,
/// the scale, its levels and seeds, and the harness version.
pub fn plan_json(scale: Scale) -> String {
    #[derive(serde::Serialize)]
    struct PlanFile {
        schema_version: u32,
        harness_version: &'static str,
        registry: &'static str,
        source_hash: String,
        scale: Scale,
        levels: registry::Spec,
    }
    let file = PlanFile {
        schema_version: 2,
        harness_version: env!("CARGO_PKG_VERSION"),
        registry: "v2",
        source_hash: source_hash(),
        scale,
        levels: registry::spec(scale),
    };
    serde_json::to_string_pretty(&file).expect("plain data") + "\n"
}
