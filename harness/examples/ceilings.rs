//! Prints each data set's ceiling (Bayes-optimal accuracy) at its default
//! parameters, as a markdown table:
//! `cargo run --release -p harness --example ceilings [SPEC ...]`
//! (SPEC in the syntax of `harness::synthetic::SYNTAX_HELP`; the defaults
//! when none is given).

use harness::ceiling::ceiling;
use harness::synthetic::{DatasetSpec, parse};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let names: Vec<&str> = if args.is_empty() {
        vec!["moons", "circles", "spirals:3", "xor", "blobs:4"]
    } else {
        args.iter().map(String::as_str).collect()
    };
    println!("| data set | machine name | classes | ceiling ± std error | method | time |");
    println!("|---|---|---|---|---|---|");
    for name in names {
        let spec: DatasetSpec = match parse(name) {
            Ok(spec) => spec,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(2);
            }
        };
        let start = Instant::now();
        let c = ceiling(&spec).expect("a parsed spec is valid");
        let ms = start.elapsed().as_secs_f64() * 1e3;
        let value = if c.std_error > 0.0 {
            format!("{:.4} ± {:.4}", c.accuracy, c.std_error)
        } else {
            format!("{:.6} (exact)", c.accuracy)
        };
        println!(
            "| {} | `{}` | {} | {value} | {} | {ms:.1} ms |",
            spec.display_name(),
            spec.name(),
            spec.classes(),
            c.method
        );
    }
}
