//! `cargo run -p harness`: runs the paper's study and writes its results.
//!
//! Exit codes: 0 on success (also when stdout is a pipe closed early, as
//! command-line tools do), 2 on any error (one line on stderr), 130 when
//! interrupted (Ctrl-C).

use clap::Parser;
use harness::cli::{self, Cli};
use harness::{output, report, results, study};
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

/// The line printed when Ctrl-C stopped the run before it wrote anything.
fn untouched(out: &Path) -> Failure {
    Failure::Interrupted(format!("interrupted: {} was left as it was", out.display()))
}

/// The line printed when Ctrl-C stopped the run while it wrote.
fn incomplete(out: &Path) -> Failure {
    Failure::Interrupted(format!(
        "interrupted while writing: {} is incomplete (it has no {}); run again to complete it",
        out.display(),
        output::MANIFEST_NAME
    ))
}

/// Stops with [`incomplete`] if Ctrl-C was pressed.
fn check_stop(out: &Path) -> Result<(), Failure> {
    if study::stop_requested() { Err(incomplete(out)) } else { Ok(()) }
}

fn run(cli: &Cli, text: &mut String) -> Result<(), Failure> {
    if let Some(cli::Command::Report { from, shared_scale }) = &cli.command {
        let start = Instant::now();
        let path = lib(report::redraw(from, &report::ReportOptions { shared_scale: *shared_scale }))?;
        let _ = writeln!(text, "Report: {} ({:.2} s)", path.display(), start.elapsed().as_secs_f64());
        return Ok(());
    }
    let out = cli.out.as_path();
    if let Some(cli::Command::Claims { out, quick, threads, quiet }) = &cli.command {
        let scale = if *quick { harness::claims::Scale::Quick } else { harness::claims::Scale::Full };
        let threads =
            threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)).max(1);
        let progress = !quiet && std::io::stderr().is_terminal();
        let options = harness::claims::Options { out: out.clone(), scale, threads, progress };
        let outcome = lib(harness::claims::run(&options))?;
        let _ = write!(text, "{}", outcome.table());
        let _ = writeln!(
            text,
            "\n{} runs trained in {:.1} s on {threads} thread(s); wall time {:.1} s. Claims: {}",
            outcome.runs,
            outcome.train_seconds,
            outcome.wall_seconds,
            outcome.dir.join("claims.html").display()
        );
        return Ok(());
    }
    let config = cli::config_from(cli)?;
    // Sizes and thread count before anything is built.
    let threads = cli::threads(cli, &config)?;
    let splits = cli::splits(&config)?;
    lib(output::check_writable(out))?;
    // One run per folder: the lock, then the folder's contents checked and
    // the harness's own leftovers removed, all before training.
    let _lock = lib(output::Lock::acquire(out))?;
    lib(output::check_paths(out, &results::planned_files(&config)))?;
    output::remove_temporaries(out);
    let total = config.runs();

    let bar = ProgressBar::new(total as u64);
    if cli.quiet || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    } else {
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix} [{bar:40}] {pos}/{len} runs, {elapsed} elapsed, ETA {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_prefix("training");
    }
    let start = Instant::now();
    let runs = study::run_all(&config, &splits, threads, &|| bar.inc(1));
    bar.finish_and_clear();
    let runs = match runs {
        Err(harness::error::Error::Interrupted) => return Err(untouched(out)),
        other => lib(other)?,
    };
    let train_time = start.elapsed();
    if study::stop_requested() {
        return Err(untouched(out));
    }

    let thresholds = lib(study::Thresholds::of(&config, &splits))?;
    // From here the folder is incomplete until the manifest is written last.
    let session = lib(output::Session::begin(out))?;
    lib(results::write_tables(out, &config, &splits, &runs, &thresholds))?;
    check_stop(out)?;
    // Figure 6: the median run of each initializer, retrained (the same
    // bits) with an observer that keeps its weights at the frame epochs.
    let medians: Vec<(harness::inits::InitSpec, u64)> = config
        .inits
        .iter()
        .filter_map(|i| study::median_run(&runs, i))
        .map(|r| (r.init.clone(), r.seed))
        .collect();
    let mut warnings = String::new();
    for r in runs.iter().filter(|r| r.error.is_some()) {
        let _ = writeln!(
            warnings,
            "warning: {} seed {} stopped early: {}",
            r.init.name(),
            r.seed,
            r.error.as_deref().unwrap_or("")
        );
    }
    // The report reads everything back from the files.
    drop(runs);
    let frames = study::parallel_map(&medians, threads, |(init, seed)| {
        study::record_frames(&config, &splits, init, *seed)
    });
    check_stop(out)?;
    for ((init, seed), f) in medians.iter().zip(&frames) {
        let path = results::run_dir(out, init, *seed).join("frames.bin");
        lib(output::write_atomic(&path, &results::frames_bin(f)))?;
    }
    drop(frames);
    check_stop(out)?;
    let (summary, report_path) =
        lib(report::from_dir(out, &report::ReportOptions { shared_scale: cli.shared_scale }))?;
    check_stop(out)?;
    lib(session.finish(&Default::default()))?;

    let _ = write!(std::io::stderr(), "{warnings}");
    let _ = writeln!(text, "{}", summary.table());
    let _ = write!(text, "{}", summary.spread_text());
    let _ = writeln!(
        text,
        "\n{total} runs × {} epochs trained in {:.2} s on {threads} thread(s); total {:.2} s.",
        config.epochs,
        train_time.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
    let _ = writeln!(text, "Report: {}", report_path.display());
    Ok(())
}
