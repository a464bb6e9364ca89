//! The study harness for `saorsa-nn`: reproduces the paper's
//! weight-initialization study and draws its figures and report.
//!
//! The binary (`cargo run -p harness`) is a thin front end over this library,
//! which the integration tests and the fuzz targets use directly.
//!
//! On `wasm32` (the browser playground, `web/`) it is built without the figures: the modules
//! that draw (`plot`, `report`) and those that finish a study with them (`finish`, `pipeline`,
//! `claims`, `merge`) are left out; configuration, data, training and the sweep remain.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// On wasm32 some crate-private helpers of the modules left out go unused.
#![cfg_attr(target_arch = "wasm32", allow(unused_imports, dead_code))]

pub mod ceiling;
#[cfg(not(target_arch = "wasm32"))]
pub mod claims;
pub mod columns;
pub mod config;
pub mod config_file;
pub mod csv_data;
pub mod dataset;
pub mod error;
#[cfg(not(target_arch = "wasm32"))]
pub mod finish;
pub mod folder;
#[cfg(not(target_arch = "wasm32"))]
mod html;
pub mod inits;
pub mod jobs;
pub mod layout;
#[cfg(not(target_arch = "wasm32"))]
pub mod merge;
pub mod model;
pub mod options;
pub mod output;
#[cfg(not(target_arch = "wasm32"))]
pub mod pipeline;
#[cfg(not(target_arch = "wasm32"))]
pub mod plot;
pub mod record;
#[cfg(not(target_arch = "wasm32"))]
pub mod report;
pub mod results;
pub mod shard;
pub mod stats;
pub mod study;
pub mod summary;
pub mod sweep;
pub mod synthetic;

/// The front page's (`README.md`'s) Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;
