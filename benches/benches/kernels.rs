//! Criterion benchmarks of saorsa-nn's CPU hot path at the paper's shapes,
//! each product beside the same product by `matrixmultiply::sgemm` (the
//! kernel behind ndarray).
//!
//! Every group's throughput is in FLOPs (criterion prints them as
//! "elem/s": read Gelem/s as GFLOP/s), counted dense: a multiply and an add
//! per term even where our zero-skipping kernels skip the term. Run with
//! `cargo bench -p benches` (all groups) or e.g.
//! `cargo bench -p benches -- forward/64x64`.
//!
//! Variants: `ours` is the dense public kernel, `ours_sparse` the
//! zero-skipping kernel the trainer uses on ReLU outputs (inputs drawn
//! half zero, as a ReLU leaves them), `sgemm` is matrixmultiply.

use benches::{
    PaperData, SgemmEpoch, epoch_flops, network_trainer, paper_net, parse_arch, product_flops,
    product_flops_of, sgemm, trainer,
};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use saorsa_nn::kernels::{self, LossTotals};
use saorsa_nn::{Batching, Init, LayerStats, PaperNet, Shape};
use std::hint::black_box;
use std::time::Duration;

/// The batch sizes of every product group.
const BATCHES: [usize; 5] = [1, 8, 32, 128, 900];

/// The paper network's dense layers: (name, fan_in, fan_out, index).
const LAYERS: [(&str, usize, usize, usize); 3] =
    [("2x64", 2, 64, 0), ("64x64", 64, 64, 1), ("64x2", 64, 2, 3)];

/// Deterministic values in (−1, 1); with `sparse`, half of them `+0` (as
/// after a ReLU: the others positive).
fn values(n: usize, seed: u64, sparse: bool) -> Vec<f32> {
    let mut s = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let u = (s >> 40) as f32 / (1u64 << 24) as f32;
            if sparse { if s & 1 == 0 { 0.0 } else { u + 1e-3 } } else { 2.0 * u - 1.0 }
        })
        .collect()
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1000))
        .sample_size(20)
}

/// Forward `y = x·W + b`: `2·n·fan_in·fan_out` FLOPs.
fn forward(c: &mut Criterion) {
    let net = paper_net();
    let layers: Vec<_> = net.layers().collect();
    for (name, fi, fo, l) in LAYERS {
        let mut g = c.benchmark_group(format!("forward/{name}"));
        let (w, b) = (layers[l].weights, layers[l].bias);
        for n in BATCHES {
            g.throughput(Throughput::Elements(product_flops(n, fi, fo)));
            let x = values(n * fi, 1, false);
            let xs = values(n * fi, 2, true);
            let mut y = vec![0.0f32; n * fo];
            g.bench_function(BenchmarkId::new("ours", n), |bch| {
                bch.iter(|| kernels::affine_forward(black_box(&x), w, b, &mut y))
            });
            if fi == 64 {
                g.bench_function(BenchmarkId::new("ours_sparse", n), |bch| {
                    bch.iter(|| kernels::sparse_affine_forward(black_box(&xs), w, b, &mut y))
                });
            }
            g.bench_function(BenchmarkId::new("sgemm", n), |bch| {
                bch.iter(|| {
                    for row in y.chunks_exact_mut(fo) {
                        row.copy_from_slice(b);
                    }
                    sgemm(n, fi, fo, black_box(&x), (fi, 1), w, (fo, 1), 1.0, &mut y)
                })
            });
        }
        g.finish();
    }
}

/// Input gradient `dx = dy·Wᵀ` (of the layers whose input gradient the
/// trainer computes): `2·n·fan_in·fan_out` FLOPs. `ours_sparse` is the
/// trainer's kernel: transposed weights, zero-skipping over `dy`, ReLU mask.
fn backward_input(c: &mut Criterion) {
    let net = paper_net();
    let layers: Vec<_> = net.layers().collect();
    for (name, fi, fo, l) in &LAYERS[1..] {
        let (fi, fo) = (*fi, *fo);
        let mut g = c.benchmark_group(format!("backward_input/{name}"));
        let w = layers[*l].weights;
        let mut wt = vec![0.0f32; w.len()];
        kernels::transpose(w, fo, &mut wt);
        for n in BATCHES {
            g.throughput(Throughput::Elements(product_flops(n, fi, fo)));
            let dy = values(n * fo, 3, false);
            let dys = values(n * fo, 4, fo > 2);
            let mask = values(n * fi, 5, true);
            let mut dx = vec![0.0f32; n * fi];
            g.bench_function(BenchmarkId::new("ours", n), |bch| {
                bch.iter(|| kernels::backward_input(black_box(&dy), w, &mut dx, fo))
            });
            g.bench_function(BenchmarkId::new("ours_sparse", n), |bch| {
                bch.iter(|| kernels::sparse_backward_input_relu(black_box(&dys), &wt, &mask, &mut dx, fo))
            });
            g.bench_function(BenchmarkId::new("sgemm", n), |bch| {
                bch.iter(|| sgemm(n, fo, fi, black_box(&dy), (fo, 1), w, (1, fo), 0.0, &mut dx))
            });
        }
        g.finish();
    }
}

/// Weight gradient `dW += xᵀ·dy` (and `db += Σ dy`, not counted):
/// `2·n·fan_in·fan_out` FLOPs.
fn weight_grad(c: &mut Criterion) {
    for (name, fi, fo, _) in LAYERS {
        let mut g = c.benchmark_group(format!("weight_grad/{name}"));
        for n in BATCHES {
            g.throughput(Throughput::Elements(product_flops(n, fi, fo)));
            let x = values(n * fi, 6, false);
            let xs = values(n * fi, 7, true);
            let dy = values(n * fo, 8, false);
            let (mut dw, mut db) = (vec![0.0f32; fi * fo], vec![0.0f32; fo]);
            g.bench_function(BenchmarkId::new("ours", n), |bch| {
                bch.iter(|| kernels::accumulate_param_grad(black_box(&x), &dy, &mut dw, &mut db))
            });
            if fi == 64 {
                g.bench_function(BenchmarkId::new("ours_sparse", n), |bch| {
                    bch.iter(|| kernels::sparse_accumulate_param_grad(black_box(&xs), &dy, &mut dw, &mut db))
                });
            }
            g.bench_function(BenchmarkId::new("sgemm", n), |bch| {
                bch.iter(|| sgemm(fi, n, fo, black_box(&x), (1, fi), &dy, (fo, 1), 1.0, &mut dw))
            });
        }
        g.finish();
    }
}

/// Softmax, cross-entropy and its gradient on `n × 2` logits: about
/// `n·(2 exp + 1 log + 10)` operations, counted as 16 FLOPs per sample.
fn softmax_cross_entropy(c: &mut Criterion) {
    let mut g = c.benchmark_group("softmax_xent");
    for n in BATCHES {
        g.throughput(Throughput::Elements(16 * n as u64));
        let z = values(2 * n, 9, false);
        let labels: Vec<u8> = (0..n).map(|s| (s % 2) as u8).collect();
        let mut p = z.clone();
        g.bench_function(BenchmarkId::new("ours", n), |bch| {
            bch.iter(|| {
                p.copy_from_slice(&z);
                let mut totals = LossTotals::default();
                kernels::softmax_rows(&mut p, 2);
                kernels::cross_entropy_accumulate(&p, &labels, 2, &mut totals);
                kernels::softmax_cross_entropy_grad(&mut p, &labels, 2, n as f32);
                black_box(totals)
            })
        });
    }
    g.finish();
}

/// One Adam step over all 8 642 parameters (the finiteness check and the
/// update): about 10 FLOPs per parameter plus a square root and two
/// divisions, counted as 10.
fn adam(c: &mut Criterion) {
    let data = PaperData::new();
    let mut t = trainer::<32>(Init::HeNormal, 0);
    t.compute_gradient(&data.train()).expect("gradient");
    let mut g = c.benchmark_group("adam");
    g.throughput(Throughput::Elements(10 * PaperNet::PARAMETERS as u64));
    g.bench_function("step_8642", |bch| bch.iter(|| t.step().expect("step")));
    g.finish();
}

/// Filling the network with each initializer: one draw per weight (8 448),
/// throughput in parameters.
fn init(c: &mut Criterion) {
    let mut g = c.benchmark_group("init");
    g.throughput(Throughput::Elements(PaperNet::PARAMETERS as u64));
    let mut net = Box::new(PaperNet::new());
    for init in Init::ALL {
        g.bench_function(init.name(), |bch| {
            bch.iter(|| net.init_from_seed(init, black_box(0)).expect("init"))
        });
    }
    g.finish();
}

/// One full-batch epoch on the 900 training samples (forward, backward,
/// Adam): 45.5 MFLOP counted dense (see `benches::epoch_flops`).
///
/// `ours_B32` / `ours_B128` are the compile-time `PaperTrainer`;
/// `network_B32` is the run-time `NetworkTrainer` of the same shape as the
/// harness runs it (micro-batch 32, arena with room for the transposed
/// weights; the same bits); `sgemm_products_only` is the same epoch's
/// products by sgemm alone (`benches::SgemmEpoch`: no activation, loss or
/// Adam), the library's floor for the same FLOPs.
fn epoch(c: &mut Criterion) {
    let data = PaperData::new();
    let train = data.train();
    let mut g = c.benchmark_group("epoch_900");
    g.throughput(Throughput::Elements(epoch_flops(train.len())));
    let mut t32 = trainer::<32>(Init::HeNormal, 0);
    g.bench_function("ours_B32", |bch| bch.iter(|| t32.train_epoch(&train, Batching::Full).expect("epoch")));
    let mut t128 = trainer::<128>(Init::HeNormal, 0);
    g.bench_function("ours_B128", |bch| {
        bch.iter(|| t128.train_epoch(&train, Batching::Full).expect("epoch"))
    });
    let samples = train.samples();
    let mut net = network_trainer(&Shape::paper(), 32, 0);
    g.bench_function("network_B32", |bch| {
        bch.iter(|| net.train_epoch(&samples, Batching::Full).expect("epoch"))
    });
    let x = data.train_x.as_flattened();
    let mut sgemm = SgemmEpoch::new(&Shape::paper(), train.len());
    g.bench_function("sgemm_products_only", |bch| bch.iter(|| sgemm.run(black_box(x))));
    g.finish();
}

/// The wide shapes of issue 10: one full-batch epoch of the 900 training
/// samples by the run-time trainer (`network_B32`, as the harness runs it)
/// beside sgemm doing the same products alone (`sgemm_products_only`).
///
/// Both count the products' dense FLOPs (`benches::product_flops_of`): for
/// widths `n₀ … n_L` and `n` samples, the forward products `x_k·W_k` and
/// the weight gradients `x_kᵀ·dy_k` of every layer and the input gradients
/// `dy_k·W_kᵀ` of every layer but the first, `2·rows·inner·cols` each:
/// `2n·(2·Σ_{k<L} n_k·n_{k+1} + Σ_{1≤k<L} n_k·n_{k+1})` — 712 MFLOP for
/// `2-256-256-256-2` and 1 425 MFLOP for `2-512-512-2`. The trainer also
/// runs ReLU, softmax, the loss and Adam, which are not counted.
fn epoch_wide(c: &mut Criterion) {
    let data = PaperData::new();
    let train = data.train();
    let samples = train.samples();
    let x = data.train_x.as_flattened();
    for arch in ["2-256-256-256-2", "2-512-512-2"] {
        let shape = parse_arch(arch);
        let mut g = c.benchmark_group(format!("epoch_900/{arch}"));
        g.sample_size(10).measurement_time(Duration::from_secs(3));
        g.throughput(Throughput::Elements(product_flops_of(shape.widths(), train.len())));
        let mut net = network_trainer(&shape, 32, 0);
        g.bench_function("network_B32", |bch| {
            bch.iter(|| net.train_epoch(&samples, Batching::Full).expect("epoch"))
        });
        let mut sgemm = SgemmEpoch::new(&shape, train.len());
        g.bench_function("sgemm_products_only", |bch| bch.iter(|| sgemm.run(black_box(x))));
        g.finish();
    }
}

/// The paper's epoch (900 samples, full batch) with per-layer observation
/// off and on, side by side, for both trainers: `off_*` is `train_epoch`
/// (the gradient pass with `NoProbe`, which only applies the ReLU);
/// `on_*` is `train_epoch_observed` into one `LayerStats` per layer (the
/// same pass with the observer as its probe, input gradients dense). Compare `off_*` with `epoch_900`'s `ours_B32` and
/// `network_B32` of an older build through criterion's baselines
/// (`--save-baseline` there, `--baseline` here).
fn epoch_observe(c: &mut Criterion) {
    let data = PaperData::new();
    let train = data.train();
    let samples = train.samples();
    let mut g = c.benchmark_group("epoch_900_observe");
    g.throughput(Throughput::Elements(epoch_flops(train.len())));
    let mut t = trainer::<32>(Init::HeNormal, 0);
    g.bench_function("off_B32", |bch| bch.iter(|| t.train_epoch(&train, Batching::Full).expect("epoch")));
    let mut t = trainer::<32>(Init::HeNormal, 0);
    let mut stats = [LayerStats::new(); 4];
    g.bench_function("on_B32", |bch| {
        bch.iter(|| t.train_epoch_observed(&train, Batching::Full, &mut stats).expect("epoch"))
    });
    let mut net = network_trainer(&Shape::paper(), 32, 0);
    g.bench_function("off_network_B32", |bch| {
        bch.iter(|| net.train_epoch(&samples, Batching::Full).expect("epoch"))
    });
    let mut net = network_trainer(&Shape::paper(), 32, 0);
    g.bench_function("on_network_B32", |bch| {
        bch.iter(|| net.train_epoch_observed(&samples, Batching::Full, &mut stats).expect("epoch"))
    });
    g.finish();
    black_box(stats);
}

/// 250 full-batch epochs from a fresh He-normal initialization, as one run
/// of the study (without its validation passes).
fn run_250(c: &mut Criterion) {
    let data = PaperData::new();
    let train = data.train();
    let mut g = c.benchmark_group("run_250_epochs");
    g.sample_size(10).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(250 * epoch_flops(train.len())));
    g.bench_function("ours_B32", |bch| {
        bch.iter(|| {
            let mut t = trainer::<32>(Init::HeNormal, 0);
            for _ in 0..250 {
                t.train_epoch(&train, Batching::Full).expect("epoch");
            }
            black_box(t.steps())
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = forward, backward_input, weight_grad, softmax_cross_entropy, adam, init, epoch, epoch_observe, epoch_wide, run_250
}
criterion_main!(benches);
