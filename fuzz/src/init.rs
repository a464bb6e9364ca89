//! `init_rng`: the initializers and the samplers on a replayed generator.

use crate::checkpoint::param_bits;
use crate::rng::ReplayRng;
use crate::values::{any_f32, any_f64, int};
use arbitrary::Unstructured;
use saorsa_nn::init::MAX_REJECTIONS;
use saorsa_nn::{Init, Mlp, Sampler, data};

/// The documented bound on a Box-Muller normal's magnitude: `√(−2 ln 2⁻⁵³) < 8.58`.
const NORMAL_BOUND: f64 = 8.58;

/// How many draws any one bounded loop may need: far more than any bounded
/// rejection loop (the truncated normal's is `MAX_REJECTIONS` = 64).
const LOOP_BUDGET: u64 = 4096;

/// The initializers and samplers driven by a generator that replays the
/// fuzz bytes (after a few header bytes): all zeros, all ones and short
/// repeated streams are all just inputs.
///
/// Initializers (first byte even): every method, `SmallNormal` with an
/// arbitrary std, on a 2→8→8→2, a 1→1→1 and a 5→3→7 network. Properties:
/// `Err` exactly for an invalid std, then nothing written and nothing drawn;
/// otherwise every weight finite and within the method's bound (`a` for the
/// uniforms, `2s` for the truncated normals, `8.58·s` for the normals),
/// every bias +0, the same stream gives the same bits, and no hang (at most
/// `2·MAX_REJECTIONS` draws per weight).
///
/// Samplers and data (first byte odd): `uniform` in [0, 1), `standard_normal`
/// finite and within ±8.58, `below(n)` below `n`, `shuffle` a permutation,
/// `make_moons` `Ok` exactly for a noise in `[0, MAX_NOISE]`, then finite
/// samples with balanced labels,
/// `train_val_split` the documented sizes; none of them hangs (at most
/// 4096 draws per value drawn).
pub fn init_rng(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let mode: u8 = u.arbitrary().unwrap_or(0);
    if mode & 1 == 0 {
        let init = match int(&mut u, 0, 9) {
            0 => Init::SmallNormal { std: any_f32(&mut u) },
            k => Init::ALL[k - 1],
        };
        let stream = take_rest(&mut u);
        initializer::<2, 8, 1, 2>(init, stream);
        initializer::<1, 1, 0, 1>(init, stream);
        initializer::<5, 3, 0, 7>(init, stream);
    } else {
        samplers(&mut u);
    }
}

fn take_rest<'a>(u: &mut Unstructured<'a>) -> &'a [u8] {
    let n = u.len();
    u.bytes(n).unwrap_or(&[])
}

fn initializer<const I: usize, const W: usize, const M: usize, const O: usize>(init: Init, stream: &[u8]) {
    let net = format!("{init:?} on Mlp<{I}, {W}, {M}, {O}>");
    let weights: usize = Mlp::<I, W, M, O>::shapes().map(|(i, o)| i * o).sum();
    let budget = 2 * u64::from(MAX_REJECTIONS) * weights as u64 + 2;
    let mut model = Box::new(Mlp::<I, W, M, O>::new());
    for layer in model.layers_mut() {
        layer.bias.fill(1.0);
    }
    let before = param_bits(&*model);
    let mut rng = ReplayRng::new(stream, budget);
    let valid = match init {
        Init::SmallNormal { std } => std.is_finite() && (0.0..=f32::MAX / 9.0).contains(&std),
        _ => true,
    };
    let r = model.init(init, &mut rng);
    assert_eq!(r.is_ok(), valid, "{net}: init accepts exactly a finite std in [0, f32::MAX / 9]");
    if r.is_err() {
        assert_eq!(param_bits(&*model), before, "{net}: a rejected init changed the model");
        assert_eq!(rng.draws(), 0, "{net}: a rejected init drew from the generator");
        return;
    }
    for (k, ((fan_in, fan_out), layer)) in Mlp::<I, W, M, O>::shapes().zip(model.layers()).enumerate() {
        let s = init.scale(fan_in, fan_out);
        let bound = init.bound(fan_in, fan_out).unwrap_or(NORMAL_BOUND * s);
        // Each weight is (s·z) rounded once to f32, and rounding is monotonic.
        let limit = f64::from(bound as f32);
        for (j, &w) in layer.weights.iter().enumerate() {
            assert!(w.is_finite(), "{net}: layer {k} weight {j} is {w}");
            assert!(
                f64::from(w.abs()) <= limit,
                "{net}: layer {k} weight {j} = {w} exceeds the bound {bound}"
            );
        }
        assert!(layer.bias.iter().all(|b| b.to_bits() == 0), "{net}: layer {k} has a non-zero bias");
    }
    let mut again = Box::new(Mlp::<I, W, M, O>::new());
    again.init(init, &mut ReplayRng::new(stream, budget)).expect("valid above");
    assert_eq!(param_bits(&*again), param_bits(&*model), "{net}: the same stream gave other weights");
}

fn samplers(u: &mut Unstructured<'_>) {
    let op = int(u, 0, 5);
    let n = int(u, 0, 40);
    let arg = u.arbitrary::<u32>().unwrap_or(0);
    let real = any_f64(u);
    let stream = take_rest(u);
    let mut rng = ReplayRng::new(stream, LOOP_BUDGET);
    match op {
        0 => {
            let mut s = Sampler::new(&mut rng);
            for _ in 0..n {
                let x = s.uniform();
                assert!((0.0..1.0).contains(&x), "uniform() = {x}");
            }
        }
        1 => {
            let mut s = Sampler::new(&mut rng);
            for _ in 0..n {
                let z = s.standard_normal();
                assert!(z.is_finite() && z.abs() <= NORMAL_BOUND, "standard_normal() = {z}");
            }
        }
        2 => {
            let m = arg.max(1) as usize;
            for k in 0..n {
                rng.set_budget(LOOP_BUDGET);
                let v = Sampler::new(&mut rng).below(m);
                assert!(v < m, "below({m}) = {v} (call {k})");
            }
        }
        3 => {
            let mut x: Vec<u32> = (0..n as u32).collect();
            let mut y: Vec<u8> = (0..n).map(|k| k as u8).collect();
            rng.set_budget(LOOP_BUDGET * n as u64);
            data::shuffle(&mut rng, &mut x, &mut y);
            let mut seen = x.clone();
            seen.sort_unstable();
            assert!(seen.iter().copied().eq(0..n as u32), "shuffle lost a sample: {x:?}");
            assert!(
                x.iter().zip(&y).all(|(&a, &b)| a as u8 == b),
                "shuffle separated a sample from its label"
            );
        }
        4 => {
            let mut x = vec![[0.0f32; 2]; n];
            let mut y = vec![0u8; n];
            rng.set_budget(LOOP_BUDGET * (3 * n as u64 + 1));
            let valid = (0.0..=data::MAX_NOISE).contains(&real);
            let r = data::make_moons(&mut rng, real, &mut x, &mut y);
            assert_eq!(r.is_ok(), valid, "make_moons: noise {real:e} and [0, MAX_NOISE]");
            if r.is_err() {
                return;
            }
            assert_eq!(y.iter().filter(|&&l| l == 1).count(), n - n / 2, "make_moons' labels");
            assert!(y.iter().all(|&l| l <= 1));
            let bad = x.iter().position(|p| !(p[0].is_finite() && p[1].is_finite()));
            assert!(bad.is_none(), "make_moons(noise = {real:e}) made a non-finite sample {bad:?}");
        }
        _ => {
            let mut x: Vec<[f32; 1]> = (0..n).map(|k| [k as f32]).collect();
            let mut y: Vec<u8> = (0..n).map(|k| k as u8).collect();
            let ratio = real;
            rng.set_budget(LOOP_BUDGET * n as u64);
            match data::train_val_split(&mut rng, ratio, &mut x, &mut y) {
                Ok(split) => {
                    assert!((0.0..1.0).contains(&ratio), "train_val_split accepted the ratio {ratio}");
                    assert_eq!(split.val_x.len(), (n as f64 * ratio) as usize);
                    assert_eq!(split.val_x.len() + split.train_x.len(), n);
                    assert_eq!(split.val_y.len(), split.val_x.len());
                }
                Err(_) => assert!(!(0.0..1.0).contains(&ratio), "train_val_split rejected the ratio {ratio}"),
            }
        }
    }
}
