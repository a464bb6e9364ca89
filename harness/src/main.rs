//! `cargo run -p harness`: the command line over the harness library — it parses, calls, prints.
//!
//! Exit codes: 0 on success (also when stdout is a pipe closed early, as command-line tools do),
//! 2 on any error (one line on stderr), 130 when interrupted (Ctrl-C).

mod cli;

use clap::Parser;
use cli::{Cli, Command, Failure, failure, progress_bar};
use harness::error::Error;
use harness::pipeline;
use harness::{claims, finish, layout, report, study};
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout, usage errors to stderr: a closed or full
            // stream is not a panic.
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
    // Ctrl-C: the first asks training and writing to stop at the next epoch or file; a second
    // one ends the process at once.
    let _ = ctrlc::set_handler(|| {
        if study::stop_requested() {
            std::process::exit(130);
        }
        study::request_stop();
    });
    let mut text = String::new();
    let result = run(&cli, &mut text);
    // Whatever ran, what it has to say goes to stdout now; a closed pipe (EPIPE) ends quietly,
    // any other failure is one line on stderr.
    let mut stdout = std::io::stdout().lock();
    let printed = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
    let (code, line) = match (result, printed) {
        (Ok(()), Err(e)) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            (2, Some(format!("error: writing to stdout: {e}")))
        }
        (Ok(()), _) => (0, None),
        // One line of bounded length, whatever a message quotes.
        (Err(Failure::Message(m)), _) => (2, Some(format!("error: {}", harness::error::one_line(&m)))),
        (Err(Failure::Interrupted(m)), _) => (130, Some(harness::error::one_line(&m))),
    };
    if let Some(line) = line {
        let _ = writeln!(std::io::stderr(), "{line}");
    }
    ExitCode::from(code)
}

fn run(cli: &Cli, text: &mut String) -> Result<(), Failure> {
    match &cli.command {
        Some(Command::Report { dir, from, shared_scale, per_init_scale, loss_scale, threads }) => {
            let (start, from) = (Instant::now(), dir.as_ref().or(from.as_ref()).expect("clap requires one"));
            // Unless told otherwise, draw as the folder's figures were drawn.
            let scale = (*shared_scale || *per_init_scale).then_some(*shared_scale);
            let recorded = match (scale, loss_scale) {
                (Some(_), Some(_)) => report::Drawing::default(),
                _ => report::recorded_drawing(from).map_err(|e| failure(e, from))?.unwrap_or_default(),
            };
            let drawing = report::Drawing {
                shared_scale: scale.unwrap_or(recorded.shared_scale),
                loss_scale: loss_scale.unwrap_or(recorded.loss_scale),
            };
            let options = report::ReportOptions { drawing, threads: cli::worker_threads(*threads) };
            let drawn = finish::redraw(from, &options).map_err(|e| failure(e, from))?;
            cli::notes(&[], &drawn.skipped);
            let _ =
                writeln!(text, "Report: {} ({:.2} s)", drawn.report.display(), start.elapsed().as_secs_f64());
        }
        Some(Command::Claims { out, quick, extended, registry, threads, quiet, force, shard }) => {
            let scale = match (*quick, *extended) {
                (true, _) => claims::Scale::Quick,
                (_, true) => claims::Scale::Extended,
                _ => claims::Scale::Full,
            };
            let shard = cli::shard(shard.as_deref())?;
            let jobs = claims::ClaimsJobs::with_registry(*registry, scale).map_err(|e| failure(e, out))?;
            let bar = progress_bar(harness::sweep::mine(&jobs, shard).len(), *quiet, "claims");
            let (threads, progress, force) = (cli::worker_threads(*threads), &|| bar.inc(1), *force);
            let options = claims::Options { out: out.clone(), threads, progress, force, shard };
            let outcome = claims::run(&jobs, &options).map_err(|e| failure(e, out));
            bar.finish_and_clear();
            let outcome = outcome?;
            match outcome.shard {
                Some(shard) => {
                    let _ = writeln!(
                        text,
                        "claims shard {shard}: {} runs ({} trained now) in {:.1} s; results in {}.\nWhen every shard is done: harness merge --out DIR <every shard's folder>",
                        outcome.runs,
                        outcome.trained,
                        outcome.train_seconds,
                        out.display()
                    );
                }
                None => {
                    let _ = write!(text, "{}", outcome.table());
                    let _ = writeln!(
                        text,
                        "\n{} runs ({} trained now) in {:.1} s on {threads} thread(s); wall time {:.1} s. Claims: {}",
                        outcome.runs,
                        outcome.trained,
                        outcome.train_seconds,
                        outcome.wall_seconds,
                        outcome.dir.join(layout::CLAIMS_HTML).display()
                    );
                }
            }
        }
        Some(Command::Merge { out, shards, threads, force, shared_scale, per_init_scale, loss_scale }) => {
            let start = Instant::now();
            let shared_scale = (*shared_scale || *per_init_scale).then_some(*shared_scale);
            let asked = harness::merge::Asked { shared_scale, loss_scale: *loss_scale };
            let merged = harness::merge::merge(shards, out, cli::worker_threads(*threads), asked, *force)
                .map_err(|e| match e {
                    Error::Interrupted => failure(Error::Stopped { kept_in: None }, out),
                    other => failure(other, out),
                })?;
            let seconds = start.elapsed().as_secs_f64();
            cli::notes(&[], &merged.skipped);
            let _ = write!(text, "{}", merged.text);
            let _ = writeln!(
                text,
                "Merged {} shard folders into {} in {seconds:.2} s.",
                shards.len(),
                out.display()
            );
        }
        None => study_command(cli, text)?,
    }
    Ok(())
}

fn study_command(cli: &Cli, text: &mut String) -> Result<(), Failure> {
    let out = cli.out.as_path();
    let study = cli::study(cli)?;
    let shard = cli::shard(cli.shard.as_deref())?;
    let bar = progress_bar(study.runs_of(shard), cli.quiet, "training");
    let options = pipeline::Options {
        threads: cli::worker_threads(cli.threads),
        shard,
        drawing: report::Drawing { shared_scale: cli.shared_scale, loss_scale: cli.loss_scale },
        progress: &|| bar.inc(1),
        force: cli.force,
        report: !cli.no_report,
    };
    let outcome = study.run(out, &options);
    bar.finish_and_clear();
    let outcome = outcome.map_err(|e| failure(e, out))?;
    let trained = &outcome.trained;
    let Some(finished) = &outcome.finished else {
        let _ = writeln!(
            text,
            "shard {}: {} runs trained, {} found finished, in {:.2} s; results in {}.\nWhen every shard is done: harness merge --out DIR <every shard's folder>",
            shard.expect("a study without a shard is finished"),
            trained.trained,
            trained.kept,
            outcome.train_seconds,
            out.display()
        );
        return Ok(());
    };
    cli::notes(&finished.warnings, &finished.skipped);
    text.push_str(&cli::finished_text(finished, &outcome, study.config(), out));
    Ok(())
}
