//! The study harness for `saorsa-nn`: reproduces the paper's
//! weight-initialization study and draws its figures and report.
//!
//! The binary (`cargo run -p harness`) is a thin front end over this library,
//! which the integration tests and the fuzz targets use directly.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod ceiling;
pub mod claims;
pub mod columns;
pub mod config;
pub mod config_file;
pub mod dataset;
pub mod error;
pub mod finish;
pub mod folder;
mod html;
pub mod inits;
pub mod jobs;
pub mod layout;
pub mod merge;
pub mod model;
pub mod options;
pub mod output;
pub mod pipeline;
pub mod plot;
pub mod record;
pub mod report;
pub mod results;
pub mod shard;
pub mod stats;
pub mod study;
pub mod summary;
pub mod sweep;
pub mod synthetic;
