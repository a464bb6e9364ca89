//! `cargo run -p harness`: runs the paper's study and writes its results.

use clap::Parser;
use harness::cli::{self, Cli};
use harness::{output, report, results, study};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// A library result as the command line reports it ([`cli::message`]).
fn lib<T>(r: Result<T, harness::error::Error>) -> Result<T, String> {
    r.map_err(|e| cli::message(&e))
}

fn run(cli: &Cli) -> Result<(), String> {
    if let Some(cli::Command::Report { from, shared_scale }) = &cli.command {
        let start = Instant::now();
        let (_, path) = lib(report::from_dir(from, &report::ReportOptions { shared_scale: *shared_scale }))?;
        println!("Report: {} ({:.2} s)", path.display(), start.elapsed().as_secs_f64());
        return Ok(());
    }
    if let Some(cli::Command::Claims { out, quick, threads, quiet }) = &cli.command {
        let scale = if *quick { harness::claims::Scale::Quick } else { harness::claims::Scale::Full };
        let threads =
            threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)).max(1);
        let progress = !quiet && std::io::stderr().is_terminal();
        let options = harness::claims::Options { out: out.clone(), scale, threads, progress };
        let outcome = lib(harness::claims::run(&options))?;
        print!("{}", outcome.table());
        println!(
            "\n{} runs trained in {:.1} s on {threads} thread(s); wall time {:.1} s. Claims: {}",
            outcome.runs,
            outcome.train_seconds,
            outcome.wall_seconds,
            outcome.dir.join("claims.html").display()
        );
        return Ok(());
    }
    let config = cli::config_from(cli)?;
    let splits = cli::splits(&config)?;
    lib(output::check_writable(&cli.out))?;
    let threads = cli::threads(cli);
    let total = config.inits.len() * config.seeds.len();

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
    let train_time = start.elapsed();

    let thresholds = lib(study::Thresholds::of(&config, &splits))?;
    lib(results::write_tables(&cli.out, &config, &splits, &runs, &thresholds))?;
    // Figure 6: the median run of each initializer, retrained (the same
    // bits) with an observer that keeps its weights at the frame epochs.
    let medians: Vec<&study::RunResult> =
        config.inits.iter().filter_map(|i| study::median_run(&runs, i)).collect();
    let frames =
        study::parallel_map(&medians, threads, |r| study::record_frames(&config, &splits, &r.init, r.seed));
    for (r, f) in medians.iter().zip(&frames) {
        let path = results::run_dir(&cli.out, &r.init, r.seed).join("frames.bin");
        lib(output::write_atomic(&path, &results::frames_bin(f)))?;
    }
    let (summary, report_path) =
        lib(report::from_dir(&cli.out, &report::ReportOptions { shared_scale: cli.shared_scale }))?;

    for r in runs.iter().filter(|r| r.error.is_some()) {
        eprintln!(
            "warning: {} seed {} stopped early: {}",
            r.init.name(),
            r.seed,
            r.error.as_deref().unwrap_or("")
        );
    }
    println!("{}", summary.table());
    print!("{}", summary.spread_text());
    println!(
        "\n{total} runs × {} epochs trained in {:.2} s on {threads} thread(s); total {:.2} s.",
        config.epochs,
        train_time.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
    println!("Report: {}", report_path.display());
    Ok(())
}
