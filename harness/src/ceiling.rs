//! Each data set's ceiling: the Bayes-optimal accuracy, the best accuracy any
//! classifier can reach on it.
//!
//! With equal class priors `1/K` (the generators' class counts differ from
//! equal by at most one sample) and class-conditional densities `f_c`, the
//! ceiling is
//!
//! ```text
//! A = E_x[max_c P(c | x)] = ∫ max_c f_c(x) / K dx,
//! ```
//!
//! reached by the Bayes rule `argmax_c f_c(x)`. How it is computed depends on
//! the data set ([`Ceiling::method`] says which):
//!
//! - **noise 0** (any data set): the classes' supports meet in a set of
//!   measure zero (two moons cross at two points, spiral arms meet at the
//!   centre), so `A = 1`; likewise, to f64 precision, for noise below
//!   [`TINY_NOISE`].
//! - **XOR**, closed form: `f_0 − f_1 ∝ (φ(x₁−1) − φ(x₁+1))·(φ(x₂−1) − φ(x₂+1))`,
//!   so the Bayes rule is the sign rule, correct when both coordinates keep
//!   their centre's sign or both flip: `A = p² + (1 − p)²`, `p = Φ(1/σ)`.
//! - **blobs**, one-dimensional quadrature: equal spherical covariances make
//!   the Bayes rule the nearest centre, and by symmetry `A` is the mass of
//!   one Voronoi cell of the regular `K`-gon of radius `R`, a wedge of
//!   half-angle `α = π/K` around its vertex (the coordinates beyond the
//!   second are label-independent and drop out). Integrating the radius in
//!   closed form, with `a = R/σ`,
//!   `A = (1/π) ∫₀^α [e^{−a²/2} + √(2π)·a cos θ·Φ(a cos θ)·e^{−a² sin²θ/2}] dθ`,
//!   by composite 8-point Gauss–Legendre.
//! - **circles**, one-dimensional quadrature: the radius `s = |x|` is a
//!   sufficient statistic and follows a Rice distribution for each circle
//!   (`f_ρ(s) = s/σ²·exp(−(s² + ρ²)/2σ²)·I₀(sρ/σ²)`, `ρ = 1` or `factor`),
//!   whose likelihood ratio is monotone in `s`. So the Bayes rule is a
//!   threshold `s*` where the densities cross (found by bisection), and
//!   `A = ½[∫₀^{s*} f_factor + ∫_{s*}^∞ f_1]`, by composite Gauss–Legendre.
//! - **moons, spirals**, Monte Carlo over a quadrature: each class density
//!   is an integral over the generator's latent variable `t` (the angle
//!   along a moon, the position along an arm), `f_c(x) = ∫ N(x; μ_c(t), σ²I) dt`,
//!   computed by composite 8-point Gauss–Legendre with panels at most
//!   `4σ` long along the curve ([`PANEL_SIGMAS`]; the rule's relative error on a
//!   Gaussian is then below 10⁻⁷); `max_c P(c | x)` is then averaged over
//!   [`MC_SAMPLES`] points drawn by the data set's own generator (fewer for
//!   many arms or very little noise, see [`MC_BUDGET`])
//!   (seed [`MC_SEED`]), class by class, and [`Ceiling::std_error`] is the
//!   standard error of that stratified mean. (Averaging the posterior's
//!   maximum rather than counting correct guesses has a smaller variance and
//!   the same expectation.)
//!
//! Every computation is seeded, with sums in a fixed order, so a ceiling is
//! bit-identical from run to run (on one platform: `f64::exp` and friends
//! come from the platform's math library).
//!
//! The embedding (`synthetic::embed`) does not change the ceiling: a
//! rotation is a bijection that keeps the densities' shapes, and noise
//! coordinates independent of the label multiply every `f_c` by one common
//! factor.

use crate::synthetic::DatasetSpec;
use libm::erfc;
use saorsa_nn::data::{BLOB_RADIUS, SPIRAL_TURNS};
use std::f64::consts::{PI, SQRT_2};

/// Points drawn for the Monte Carlo estimates (divisible by every arm count
/// up to 6, so those classes are exactly equal).
pub const MC_SAMPLES: usize = 60_000;

/// The most node evaluations (points × quadrature nodes of all classes) of
/// one Monte Carlo estimate: many arms or little noise draw fewer points
/// than [`MC_SAMPLES`] (never fewer than [`MC_MIN_SAMPLES`]), so that a
/// ceiling takes about a second at most (at ~10 ns per evaluation). The
/// default data sets need a fifth of it. Only extreme settings exceed it:
/// 256 arms with noise below about 0.02 hit the floor of
/// [`MC_MIN_SAMPLES`] points and take up to a minute.
pub const MC_BUDGET: usize = 100_000_000;

/// The fewest points of a Monte Carlo estimate.
pub const MC_MIN_SAMPLES: usize = 2_048;

/// The data seed of the Monte Carlo estimates.
pub const MC_SEED: u64 = 0x0CE1_11D0;

/// The longest quadrature panel along a curve, in units of the noise σ: the
/// 8-point rule integrates a Gaussian on such panels to a relative 10⁻⁷
/// (1.3·10⁻¹² for 2σ).
pub const PANEL_SIGMAS: f64 = 4.0;

/// The most quadrature panels per curve (reached only for noise below
/// about 1/500 of a curve's length, where the ceiling is within 10⁻¹⁰ of 1
/// anyway).
pub const MAX_PANELS: usize = 1000;

/// Below this noise (where `σ²` nears the bottom of the f64 range) the
/// ceiling is returned as 1: the Bayes error of every data set here is of
/// the order of `σ` or smaller.
pub const TINY_NOISE: f64 = 1e-100;

/// Quadrature nodes whose Gaussian term is below `e^{−SKIP_EXPONENT}`
/// (about 10⁻¹⁸) of the nearest node's are left out of a density.
const SKIP_EXPONENT: f64 = 41.0;

/// A data set's Bayes-optimal accuracy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ceiling {
    /// The best accuracy any classifier can reach, in `[1/K, 1]`.
    pub accuracy: f64,
    /// The Monte Carlo standard error of `accuracy`; 0 for the methods
    /// without sampling (their quadrature error is far smaller).
    pub std_error: f64,
    /// How `accuracy` was computed (see the module documentation).
    pub method: &'static str,
}

/// The Bayes-optimal accuracy of `spec` (see the module documentation for
/// the method of each data set).
///
/// Errors: a parameter out of range ([`DatasetSpec::validate`]).
pub fn ceiling(spec: &DatasetSpec) -> Result<Ceiling, String> {
    spec.validate()?;
    let sigma = spec.noise();
    if sigma == 0.0 {
        return Ok(exact(1.0, "noise-free: the classes' supports meet in a set of measure zero"));
    }
    if sigma < TINY_NOISE {
        return Ok(exact(
            1.0,
            "noise below 1e-100: the Bayes error is of the order of the noise, rounded to 0",
        ));
    }
    Ok(match *spec {
        DatasetSpec::Xor { noise } => {
            let p = normal_cdf(1.0 / noise);
            exact(p * p + (1.0 - p) * (1.0 - p), "closed form: p² + (1 − p)², p = Φ(1/σ)")
        }
        DatasetSpec::Blobs { classes, std, .. } => {
            exact(blobs(classes, std), "exact: quadrature over the angle of the nearest centre's wedge")
        }
        DatasetSpec::Circles { factor, noise } => {
            exact(circles(factor, noise), "exact: quadrature over the radius (Rice densities, one threshold)")
        }
        DatasetSpec::Moons { .. } | DatasetSpec::Spirals { .. } => monte_carlo(spec)?,
    })
}

/// Every [`Ceiling::method`] this module gives.
pub const METHODS: [&str; 5] = [
    "noise-free: the classes' supports meet in a set of measure zero",
    "closed form: p² + (1 − p)², p = Φ(1/σ)",
    "exact: quadrature over the angle of the nearest centre's wedge",
    "exact: quadrature over the radius (Rice densities, one threshold)",
    MONTE_CARLO,
];

const MONTE_CARLO: &str =
    "Monte Carlo over the generator's points; class densities by quadrature over the latent variable";

/// The [`METHODS`] entry equal to `text` (as read back from a results
/// folder), or a note that the method is not one of this version's.
pub fn method_name(text: &str) -> &'static str {
    METHODS.iter().copied().find(|m| *m == text).unwrap_or("a method of another harness version")
}

fn exact(accuracy: f64, method: &'static str) -> Ceiling {
    Ceiling { accuracy, std_error: 0.0, method }
}

/// The standard normal CDF `Φ(x) = ½·erfc(−x/√2)`.
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / SQRT_2)
}

/// The 8-point Gauss–Legendre rule on [−1, 1]: nodes and weights.
const GAUSS_8: [(f64, f64); 8] = [
    (-0.960_289_856_497_536_2, 0.101_228_536_290_376_26),
    (-0.796_666_477_413_626_7, 0.222_381_034_453_374_47),
    (-0.525_532_409_916_329, 0.313_706_645_877_887_3),
    (-0.183_434_642_495_649_8, 0.362_683_783_378_362),
    (0.183_434_642_495_649_8, 0.362_683_783_378_362),
    (0.525_532_409_916_329, 0.313_706_645_877_887_3),
    (0.796_666_477_413_626_7, 0.222_381_034_453_374_47),
    (0.960_289_856_497_536_2, 0.101_228_536_290_376_26),
];

/// `∫_lo^hi f` by composite 8-point Gauss–Legendre on `panels` equal
/// panels, summed in order.
fn integrate(lo: f64, hi: f64, panels: usize, f: impl Fn(f64) -> f64) -> f64 {
    let h = (hi - lo) / panels as f64;
    let mut sum = 0.0;
    for p in 0..panels {
        let mid = lo + (p as f64 + 0.5) * h;
        for &(node, weight) in &GAUSS_8 {
            sum += weight * 0.5 * h * f(mid + 0.5 * h * node);
        }
    }
    sum
}

/// The nodes and weights of [`integrate`] on `[0, 1]`, in order.
fn unit_nodes(panels: usize) -> Vec<(f64, f64)> {
    let h = 1.0 / panels as f64;
    (0..panels)
        .flat_map(|p| {
            GAUSS_8.iter().map(move |&(node, weight)| ((p as f64 + 0.5 + 0.5 * node) * h, 0.5 * h * weight))
        })
        .collect()
}

fn blobs(classes: usize, std: f64) -> f64 {
    let a = BLOB_RADIUS / std;
    let alpha = PI / classes as f64;
    // The wedge is the intersection of two half-planes, each `a·sin α`
    // standard deviations from the centre: the mass outside is at most
    // 2Φ(−a sin α), below 10⁻³¹⁵ past 38, so the accuracy is 1 in f64 (and
    // the panels below stay few).
    if a * libm::sin(alpha) > 38.0 {
        return 1.0;
    }
    // The integrand varies on the scale 1/a in θ.
    let panels = ((alpha * a * 4.0).ceil() as usize).clamp(64, 100_000);
    let edge = libm::exp(-0.5 * a * a);
    let sum = integrate(0.0, alpha, panels, |theta| {
        let c = a * libm::cos(theta);
        let s = a * libm::sin(theta);
        edge + (2.0 * PI).sqrt() * c * normal_cdf(c) * libm::exp(-0.5 * s * s)
    });
    (sum / PI).min(1.0)
}

/// `ln(e^{−x}·I₀(x))` for `x ≥ 0`: the power series below 20, the
/// asymptotic series above (both to about 1e−15 relative).
pub fn ln_i0e(x: f64) -> f64 {
    if x < 20.0 {
        // Σ (x²/4)^k / (k!)², then times e^{−x}.
        let q = 0.25 * x * x;
        let (mut term, mut sum, mut k) = (1.0f64, 1.0f64, 1.0f64);
        while term > 1e-17 * sum {
            term *= q / (k * k);
            sum += term;
            k += 1.0;
        }
        libm::log(sum) - x
    } else {
        // e^{−x} I₀(x) ~ 1/√(2πx) · Σ ((2k−1)!!)² / (k! (8x)^k).
        let (mut term, mut sum) = (1.0f64, 1.0f64);
        for k in 1..30 {
            let odd = (2 * k - 1) as f64;
            term *= odd * odd / (k as f64 * 8.0 * x);
            sum += term;
            if term < 1e-17 {
                break;
            }
        }
        libm::log(sum) - 0.5 * libm::log(2.0 * PI * x)
    }
}

/// The log density of the Rice distribution of `|x|` for a circle of radius
/// `rho` with isotropic noise `sigma`.
fn ln_rice(s: f64, rho: f64, sigma: f64) -> f64 {
    let v = sigma * sigma;
    libm::log(s) - libm::log(v) - (s - rho) * (s - rho) / (2.0 * v) + ln_i0e(s * rho / v)
}

fn circles(factor: f64, sigma: f64) -> f64 {
    let top = 1.0 + 14.0 * sigma;
    let ratio = |s: f64| ln_rice(s, 1.0, sigma) - ln_rice(s, factor, sigma);
    // The log-ratio rises from −(1 − factor²)/2σ² at 0: bisect its root.
    let (mut lo, mut hi) = (0.0, top);
    if ratio(hi) < 0.0 {
        lo = hi;
    } else {
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if ratio(mid) < 0.0 { lo = mid } else { hi = mid }
        }
    }
    let cut = lo;
    // Each density is negligible (below e^{−98}) farther than 14σ from its
    // circle: integrate only there, so the panels stay short for any σ.
    let part = |rho: f64, from: f64, to: f64| {
        let (from, to) = (from.max(rho - 14.0 * sigma).max(0.0), to.min(rho + 14.0 * sigma));
        if to <= from {
            return 0.0;
        }
        let panels = ((to - from) / (0.25 * sigma)).ceil() as usize;
        integrate(from, to, panels.clamp(16, 100_000), |s| {
            if s > 0.0 { libm::exp(ln_rice(s, rho, sigma)) } else { 0.0 }
        })
    };
    let inner = part(factor, 0.0, cut);
    let outer = part(1.0, cut, top);
    (0.5 * (inner + outer)).min(1.0)
}

/// The curve `μ_c(t)`, `t ∈ [0, 1)`, of class `c` of a curve data set, and
/// an upper bound of its speed `|μ_c'(t)|`.
fn curve(spec: &DatasetSpec, class: usize, t: f64) -> (f64, f64) {
    match *spec {
        DatasetSpec::Moons { .. } => {
            let a = PI * t;
            if class == 0 { (libm::cos(a), libm::sin(a)) } else { (1.0 - libm::cos(a), 1.0 - libm::sin(a)) }
        }
        DatasetSpec::Spirals { arms, .. } => {
            let theta = 2.0 * PI * (class as f64 / arms as f64 + SPIRAL_TURNS * t);
            (t * libm::cos(theta), t * libm::sin(theta))
        }
        DatasetSpec::Circles { factor, .. } => {
            let r = if class == 0 { 1.0 } else { factor };
            let a = 2.0 * PI * t;
            (r * libm::cos(a), r * libm::sin(a))
        }
        DatasetSpec::Xor { .. } | DatasetSpec::Blobs { .. } => unreachable!("not a curve data set"),
    }
}

fn max_speed(spec: &DatasetSpec) -> f64 {
    match *spec {
        DatasetSpec::Moons { .. } => PI,
        DatasetSpec::Spirals { .. } => (1.0 + (2.0 * PI * SPIRAL_TURNS).powi(2)).sqrt(),
        DatasetSpec::Circles { .. } => 2.0 * PI,
        _ => 0.0,
    }
}

/// The class densities of a curve data set by quadrature: every class's
/// nodes `μ_c(t_i)` and weights.
struct CurveDensities {
    classes: usize,
    nodes_per_class: usize,
    points: Vec<(f64, f64)>,
    weights: Vec<f64>,
    inv_two_var: f64,
    d2: Vec<f64>,
}

impl CurveDensities {
    fn new(spec: &DatasetSpec) -> Self {
        let sigma = spec.noise();
        let panels = ((max_speed(spec) / (PANEL_SIGMAS * sigma)).ceil() as usize).clamp(4, MAX_PANELS);
        let unit = unit_nodes(panels);
        let classes = spec.classes();
        let mut points = Vec::with_capacity(classes * unit.len());
        let mut weights = Vec::with_capacity(classes * unit.len());
        for c in 0..classes {
            for &(t, w) in &unit {
                points.push(curve(spec, c, t));
                weights.push(w);
            }
        }
        let d2 = vec![0.0; points.len()];
        CurveDensities {
            classes,
            nodes_per_class: unit.len(),
            points,
            weights,
            inv_two_var: 0.5 / (sigma * sigma),
            d2,
        }
    }

    /// `max_c P(c | x)` for equal priors.
    fn max_posterior(&mut self, x: (f64, f64)) -> f64 {
        let mut nearest = f64::INFINITY;
        for (d, p) in self.d2.iter_mut().zip(&self.points) {
            *d = (x.0 - p.0) * (x.0 - p.0) + (x.1 - p.1) * (x.1 - p.1);
            nearest = nearest.min(*d);
        }
        let (mut best, mut total) = (0.0f64, 0.0);
        for c in 0..self.classes {
            let range = c * self.nodes_per_class..(c + 1) * self.nodes_per_class;
            let f: f64 = self.d2[range.clone()]
                .iter()
                .zip(&self.weights[range])
                .map(|(d, w)| {
                    // Nodes farther than √(2·SKIP)·σ beyond the nearest add
                    // less than e^{−SKIP} of its term each: skipped.
                    let e = (d - nearest) * self.inv_two_var;
                    if e < SKIP_EXPONENT { w * libm::exp(-e) } else { 0.0 }
                })
                .sum();
            best = best.max(f);
            total += f;
        }
        best / total
    }
}

fn monte_carlo(spec: &DatasetSpec) -> Result<Ceiling, String> {
    let mut densities = CurveDensities::new(spec);
    let classes = spec.classes();
    let samples = (MC_BUDGET / densities.points.len()).clamp(MC_MIN_SAMPLES, MC_SAMPLES) / classes * classes;
    let data = spec.generate(MC_SEED, samples)?;
    let mut sum = vec![0.0; classes];
    let mut sum2 = vec![0.0; classes];
    let mut count = vec![0usize; classes];
    for (row, &label) in data.x.chunks_exact(2).zip(&data.y) {
        let p = densities.max_posterior((f64::from(row[0]), f64::from(row[1])));
        let c = usize::from(label);
        sum[c] += p;
        sum2[c] += p * p;
        count[c] += 1;
    }
    // Stratified: the mean of the class means, each with its own variance.
    let (mut accuracy, mut variance) = (0.0, 0.0);
    for c in 0..classes {
        let n = count[c] as f64;
        let mean = sum[c] / n;
        let var = ((sum2[c] - n * mean * mean) / (n - 1.0)).max(0.0);
        accuracy += mean / classes as f64;
        variance += var / n / (classes * classes) as f64;
    }
    Ok(Ceiling { accuracy, std_error: variance.sqrt(), method: MONTE_CARLO })
}
