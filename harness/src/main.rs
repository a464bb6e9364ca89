//! `cargo run -p harness`: runs the paper's study and writes its results.
//!
//! Exit codes: 0 on success (also when stdout is a pipe closed early, as
//! command-line tools do), 2 on any error (one line on stderr), 130 when
//! interrupted (Ctrl-C).

use clap::Parser;
use harness::cli::{self, Cli};
use harness::{output, report, results, shard, study, sweep};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Why a command failed.
enum Failure {
    /// A one-line error (exit 2).
    Message(String),
    /// Ctrl-C: the line to print (exit 130).
    Interrupted(String),
}

impl From<String> for Failure {
    fn from(m: String) -> Failure {
        Failure::Message(m)
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout, usage errors to stderr:
            // a closed or full stream is not a panic.
            let code = e.exit_code();
            return match e.print() {
                Err(w) if w.kind() != std::io::ErrorKind::BrokenPipe => {
                    let _ = writeln!(std::io::stderr(), "error: writing the message: {w}");
                    ExitCode::from(2)
                }
                _ => ExitCode::from(u8::try_from(code).unwrap_or(2)),
            };
        }
    };
    // Ctrl-C: the first asks training and writing to stop at the next epoch
    // or file; a second one ends the process at once.
    let _ = ctrlc::set_handler(|| {
        if study::stop_requested() {
            std::process::exit(130);
        }
        study::request_stop();
    });
    let mut text = String::new();
    let result = run(&cli, &mut text);
    // Whatever ran, what it has to say goes to stdout now; a closed pipe
    // (EPIPE) ends quietly, any other failure is one line on stderr.
    let mut stdout = std::io::stdout().lock();
    let printed = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
    match result {
        Ok(()) => match printed {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "error: writing to stdout: {e}");
                ExitCode::from(2)
            }
        },
        Err(Failure::Message(message)) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Interrupted(message)) => {
            let _ = writeln!(std::io::stderr(), "{message}");
            ExitCode::from(130)
        }
    }
}

/// A library result as the command line reports it ([`cli::message`]).
fn lib<T>(r: Result<T, harness::error::Error>) -> Result<T, String> {
    r.map_err(|e| cli::message(&e))
}

/// The line printed when Ctrl-C stopped a shard or claims: what finished is kept.
fn resumable(out: &Path) -> Failure {
    Failure::Interrupted(format!(
        "interrupted: the runs that finished are kept in {}; run the same command again to resume",
        out.display()
    ))
}

/// The line printed when Ctrl-C stopped a study in one process while it trained.
fn untouched(out: &Path, staging: &Path) -> Failure {
    Failure::Interrupted(format!(
        "interrupted: {} was left as it was; the runs that finished are kept in {} and the same command resumes from them",
        out.display(),
        staging.display()
    ))
}

/// The line printed when Ctrl-C stopped the run while it wrote.
fn incomplete(out: &Path) -> Failure {
    Failure::Interrupted(format!(
        "interrupted while writing: {} is incomplete (it has no {}); run again to complete it",
        out.display(),
        output::MANIFEST_NAME
    ))
}

/// A progress bar on stderr, hidden when quiet or not a terminal.
fn progress_bar(total: usize, quiet: bool, prefix: &str) -> ProgressBar {
    let bar = ProgressBar::new(total as u64);
    if quiet || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    } else {
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix} [{bar:40}] {pos}/{len} runs, {elapsed} elapsed, ETA {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_prefix(prefix.to_string());
    }
    bar
}

fn run(cli: &Cli, text: &mut String) -> Result<(), Failure> {
    match &cli.command {
        Some(cli::Command::Report { from, shared_scale, per_init_scale, loss_scale, threads }) => {
            let start = Instant::now();
            // Unless told otherwise, draw as the folder's figures were drawn.
            let scale = (*shared_scale || *per_init_scale).then_some(*shared_scale);
            let recorded = match (scale, loss_scale) {
                (Some(_), Some(_)) => report::Drawing::default(),
                _ => lib(report::recorded_drawing(from))?.unwrap_or_default(),
            };
            let drawing = report::Drawing {
                shared_scale: scale.unwrap_or(recorded.shared_scale),
                loss_scale: loss_scale.unwrap_or(recorded.loss_scale),
            };
            let options = report::ReportOptions { drawing, threads: cli::worker_threads(*threads) };
            let path = lib(report::redraw(from, &options))?;
            let _ = writeln!(text, "Report: {} ({:.2} s)", path.display(), start.elapsed().as_secs_f64());
            Ok(())
        }
        Some(cli::Command::Claims { out, quick, extended, threads, quiet, shard }) => {
            let scale = match (*quick, *extended) {
                (true, _) => harness::claims::Scale::Quick,
                (_, true) => harness::claims::Scale::Extended,
                _ => harness::claims::Scale::Full,
            };
            let shard = cli::shard(shard.as_deref())?;
            let progress = !quiet && std::io::stderr().is_terminal();
            let options = harness::claims::Options {
                out: out.clone(),
                scale,
                threads: cli::worker_threads(*threads),
                progress,
                shard,
            };
            let outcome = match harness::claims::run(&options) {
                Err(harness::error::Error::Interrupted) => return Err(resumable(out)),
                other => lib(other)?,
            };
            claims_text(text, &outcome, options.threads);
            Ok(())
        }
        Some(cli::Command::Merge { out, shards, threads, shared_scale, loss_scale }) => {
            let start = Instant::now();
            let threads = cli::worker_threads(*threads);
            let drawing = report::Drawing { shared_scale: *shared_scale, loss_scale: *loss_scale };
            let options = report::ReportOptions { drawing, threads };
            let merged = match harness::merge::merge(shards, out, threads, &options) {
                Err(harness::error::Error::Interrupted) => return Err(incomplete(out)),
                other => lib(other)?,
            };
            let _ = write!(text, "{}", merged.text);
            let _ = writeln!(
                text,
                "Merged {} shard folders into {} in {:.2} s.",
                shards.len(),
                out.display(),
                start.elapsed().as_secs_f64()
            );
            Ok(())
        }
        None => study(cli, text),
    }
}

/// What `claims` prints.
fn claims_text(text: &mut String, outcome: &harness::claims::Outcome, threads: usize) {
    if let Some(partial) = &outcome.partial {
        let _ = writeln!(text, "{partial}");
        return;
    }
    let _ = write!(text, "{}", outcome.table());
    let _ = writeln!(
        text,
        "\n{} runs ({} trained now) in {:.1} s on {threads} thread(s); wall time {:.1} s. Claims: {}",
        outcome.runs,
        outcome.trained,
        outcome.train_seconds,
        outcome.wall_seconds,
        outcome.dir.join("claims.html").display()
    );
}

fn study(cli: &Cli, text: &mut String) -> Result<(), Failure> {
    let out = cli.out.as_path();
    let config = cli::config_from(cli)?;
    // Sizes, thread count and shard before anything is built.
    let threads = cli::threads(cli, &config)?;
    let shard = cli::shard(cli.shard.as_deref())?;
    let splits = cli::splits(&config)?;
    lib(output::check_writable(out))?;
    // One run per folder: the lock, then the folder's contents checked and
    // the harness's own leftovers removed, all before training.
    let _lock = lib(output::Lock::acquire(out))?;
    lib(output::check_paths(out, &results::planned_files(&config)))?;
    output::remove_temporaries(out);
    let thresholds = lib(study::Thresholds::of(&config, &splits))?;

    let start = Instant::now();
    // A shard trains into its folder; a whole study into a staging folder,
    // leaving --out as it was until every run has finished. Either way
    // every run that finishes is kept on disk, and a rerun resumes.
    let staging = match shard {
        Some(_) => {
            // A shard's folder is never a complete study: set aside a manifest
            // an earlier study there left.
            drop(lib(output::Session::begin(out))?);
            out.to_path_buf()
        }
        None => lib(sweep::staging_dir(out))?,
    };
    let interrupted = || if shard.is_some() { resumable(out) } else { untouched(out, &staging) };
    lib(sweep::write_inputs(&staging, &config, &splits, &thresholds))?;
    let mine = shard.unwrap_or(shard::Shard::WHOLE).runs(&sweep::costs(&config, &splits)).len();
    let bar = progress_bar(mine, cli.quiet, "training");
    let trained = sweep::train(&staging, &config, &splits, shard, threads, &|| bar.inc(1));
    bar.finish_and_clear();
    let trained = match trained {
        Err(harness::error::Error::Interrupted) => return Err(interrupted()),
        other => lib(other)?,
    };
    let train_time = start.elapsed();
    if study::stop_requested() {
        return Err(interrupted());
    }
    if let Some(shard) = shard {
        let _ = writeln!(
            text,
            "shard {shard}: {} runs trained, {} found finished, in {:.2} s; results in {}.\nWhen every shard is done: harness merge --out DIR <every shard's folder>",
            trained.trained,
            trained.kept,
            train_time.as_secs_f64(),
            out.display()
        );
        return Ok(());
    }
    // From here the folder is incomplete until the manifest is written last.
    let session = lib(output::Session::begin(out))?;
    lib(sweep::move_staged(&staging, out, &config))?;
    let finished = match sweep::finish(
        out,
        threads,
        &report::ReportOptions {
            drawing: report::Drawing { shared_scale: cli.shared_scale, loss_scale: cli.loss_scale },
            threads,
        },
    ) {
        Err(harness::error::Error::Interrupted) => return Err(incomplete(out)),
        other => lib(other)?,
    };
    if study::stop_requested() {
        return Err(incomplete(out));
    }
    // Runs kept from an interrupted run were written by another process.
    let keep = lib(sweep::run_file_entries(out, &config))?;
    lib(session.finish(&keep))?;

    for w in &finished.warnings {
        let _ = writeln!(std::io::stderr(), "{w}");
    }
    let _ = writeln!(text, "{}", finished.summary.table());
    let _ = write!(text, "{}", finished.summary.spread_text());
    let resumed = if trained.kept > 0 {
        format!(" ({} runs found finished and kept)", trained.kept)
    } else {
        String::new()
    };
    let _ = writeln!(
        text,
        "\n{} runs × {} epochs trained in {:.2} s on {threads} thread(s){resumed}; total {:.2} s (then tables {:.2} s; figure 6's frames {:.2} s, alongside summary, figures and report {:.2} s).",
        config.runs(),
        config.epochs,
        train_time.as_secs_f64(),
        start.elapsed().as_secs_f64(),
        finished.seconds[0],
        finished.seconds[1],
        finished.seconds[2]
    );
    let _ = writeln!(text, "Report: {}", finished.report.display());
    Ok(())
}
