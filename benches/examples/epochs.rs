//! Times full-batch training of the paper's network on its 900 training
//! samples: `cargo run --release -p benches --example epochs -- [EPOCHS] [RUNS]`.
//!
//! Prints the best and the median of `RUNS` runs of `EPOCHS` epochs (250 by
//! default), as milliseconds per run and per epoch and as dense GFLOP/s.

use benches::{PaperData, epoch_flops, trainer};
use saorsa_nn::{Batching, Init};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let epochs: usize = args.next().map_or(250, |a| a.parse().expect("EPOCHS"));
    let runs: usize = args.next().map_or(5, |a| a.parse().expect("RUNS"));
    let data = PaperData::new();
    let train = data.train();
    let mut times = Vec::new();
    for run in 0..runs {
        let mut t = trainer::<32>(Init::HeNormal, run as u64);
        let start = Instant::now();
        for _ in 0..epochs {
            t.train_epoch(&train, Batching::Full).expect("epoch");
        }
        times.push(start.elapsed().as_secs_f64());
        std::hint::black_box(t.model());
    }
    times.sort_by(f64::total_cmp);
    let flops = epoch_flops(train.len()) as f64 * epochs as f64;
    for (name, s) in [("best", times[0]), ("median", times[times.len() / 2])] {
        println!(
            "{name:>6}: {epochs} epochs in {:.1} ms, {:.3} ms/epoch, {:.1} GFLOP/s dense",
            s * 1e3,
            s * 1e3 / epochs as f64,
            flops / s / 1e9
        );
    }
}
