//! Times full-batch training on the paper's 900 training samples (two
//! moons), beside `matrixmultiply::sgemm` doing the same epoch's products:
//!
//! ```sh
//! cargo run --release -p benches --example epochs -- [EPOCHS] [RUNS] [--arch 2-256-256-256-2] [--micro-batch 32]
//! ```
//!
//! Each of `RUNS` rounds (5 by default) times `EPOCHS` epochs (250 for the
//! paper's shape, 20 for any other by default) of every variant in turn, so
//! the variants alternate and share the machine's slow and fast minutes:
//!
//! - `PaperTrainer` — the compile-time trainer, micro-batch 32 (paper's
//!   shape only);
//! - `NetworkTrainer` — the run-time trainer of `--arch` (default
//!   `2-64-64-64-2`) as the harness runs it: micro-batch `--micro-batch`
//!   (32), an arena with room for the transposed weights, He-normal;
//! - `observed` — the same trainer with every epoch observed
//!   (`train_epoch_observed`, per-layer statistics as the study records
//!   them at figure 6's epochs);
//! - `evaluate` — the trainer's forward pass over the 300 validation
//!   samples (the study evaluates them before every epoch);
//! - `sgemm` — the `3L − 1` products of one epoch alone
//!   (`benches::SgemmEpoch`: forward, weight and input gradients), no
//!   activation, loss or Adam.
//!
//! Prints the best and the median per-epoch time of each, and dense
//! GFLOP/s (`benches::epoch_flops_of` for the trainers, the products alone
//! for sgemm).

use benches::{
    PaperData, SgemmEpoch, epoch_flops_of, network_trainer, parse_arch, product_flops_of, trainer,
};
use saorsa_nn::{Batching, Init, LayerStats, Shape};
use std::time::Instant;

fn main() {
    let mut positional = Vec::new();
    let (mut shape, mut micro_batch) = (Shape::paper(), 32);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--arch" => shape = parse_arch(&args.next().expect("--arch WIDTHS")),
            "--micro-batch" => {
                micro_batch = args.next().and_then(|b| b.parse().ok()).expect("--micro-batch B")
            }
            _ => positional.push(a.parse::<usize>().expect("EPOCHS and RUNS are numbers")),
        }
    }
    let paper = shape == Shape::paper();
    let epochs = positional.first().copied().unwrap_or(if paper { 250 } else { 20 });
    let runs = positional.get(1).copied().unwrap_or(5);
    let data = PaperData::new();
    let train = data.train();
    let x = data.train_x.as_flattened();
    let widths = shape.widths();
    assert_eq!(widths[0], 2, "two moons: the shape must have 2 inputs");

    let mut names = vec![];
    if paper {
        names.push("PaperTrainer");
    }
    names.extend(["NetworkTrainer", "observed", "evaluate", "sgemm"]);
    let val = data.val();
    let val = val.samples();
    let mut times = vec![Vec::new(); names.len()];
    let mut sgemm = SgemmEpoch::new(&shape, train.len());
    for run in 0..runs {
        let mut v = 0;
        if paper {
            let mut t = trainer::<32>(Init::HeNormal, run as u64);
            let start = Instant::now();
            for _ in 0..epochs {
                t.train_epoch(&train, Batching::Full).expect("epoch");
            }
            times[v].push(start.elapsed().as_secs_f64());
            std::hint::black_box(t.model());
            v += 1;
        }
        let mut t = network_trainer(&shape, micro_batch, run as u64);
        let samples = train.samples();
        let start = Instant::now();
        for _ in 0..epochs {
            t.train_epoch(&samples, Batching::Full).expect("epoch");
        }
        times[v].push(start.elapsed().as_secs_f64());
        std::hint::black_box(t.parameters());
        v += 1;
        let mut t = network_trainer(&shape, micro_batch, run as u64);
        let mut stats = vec![LayerStats::new(); shape.layers()];
        let start = Instant::now();
        for _ in 0..epochs {
            t.train_epoch_observed(&samples, Batching::Full, &mut stats).expect("epoch");
        }
        times[v].push(start.elapsed().as_secs_f64());
        std::hint::black_box((t.parameters(), &stats));
        v += 1;
        let start = Instant::now();
        for _ in 0..epochs {
            std::hint::black_box(t.evaluate(&val).expect("evaluate"));
        }
        times[v].push(start.elapsed().as_secs_f64());
        v += 1;
        let start = Instant::now();
        for _ in 0..epochs {
            sgemm.run(x);
        }
        times[v].push(start.elapsed().as_secs_f64());
    }
    println!("{shape}, {} samples, {epochs} epochs, best / median of {runs} alternating runs:", train.len());
    for (name, mut t) in names.into_iter().zip(times) {
        t.sort_by(f64::total_cmp);
        let (best, median) = (t[0] / epochs as f64, t[t.len() / 2] / epochs as f64);
        let flops = match name {
            // A forward pass over other data: no epoch's FLOPs to compare with.
            "evaluate" => {
                println!(
                    "{name:>15}: {:8.3} / {:8.3} ms/call (300 validation samples)",
                    best * 1e3,
                    median * 1e3
                );
                continue;
            }
            "sgemm" => product_flops_of(widths, train.len()),
            _ => epoch_flops_of(widths, train.len()),
        };
        println!(
            "{name:>15}: {:8.3} / {:8.3} ms/epoch, {:5.1} / {:5.1} GFLOP/s dense",
            best * 1e3,
            median * 1e3,
            flops as f64 / best / 1e9,
            flops as f64 / median / 1e9
        );
    }
}
