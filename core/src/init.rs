//! Weight initializers, drawn with Box-Muller from any `rand_core` generator.
//!
//! ```
//! use saorsa_nn::{Init, Mlp, rng_from_seed};
//!
//! // Glorot on the first layer, He on the others, from one stream.
//! let mut net = Box::new(Mlp::<2, 32, 1, 2>::new());
//! net.init_layers(&[Init::GlorotNormal, Init::HeNormal, Init::HeNormal], &mut rng_from_seed(0))?;
//! assert!(net.is_finite());
//! # Ok::<(), saorsa_nn::Error>(())
//! ```
//!
//! # The random stream
//!
//! A network is initialized from one [`Sampler`]: layer by layer, each
//! layer's weights in row-major (fan_in, fan_out) order, exactly the order in
//! which the paper's framework calls `np.random.randn(fan_in, fan_out)` for
//! each `Layer_Dense`. Biases start at zero and draw nothing.
//!
//! For one seed, [`Init::SmallNormal`], [`Init::GlorotNormal`],
//! [`Init::HeNormal`] and [`Init::LeCunNormal`] consume the *same* standard
//! normals and differ only by each layer's scale, so a comparison between
//! them is paired. The uniform variants draw uniforms instead, and the
//! truncated ones redraw rejected values, so their streams differ.
//!
//! # Seeds
//!
//! [`rng_from_seed`] maps a `u64` seed to the crate's default generator,
//! PCG32 (`rand_pcg::Pcg32`, the PCG paper's `pcg32` / XSH RR 64/32) with
//! `state = seed` and the PCG reference stream `0xa02bdbf7bb3c0a7`.

use crate::error::{Error, Hyperparameter};
use rand_core::Rng;

/// The default generator: PCG32 (XSH RR 64/32), period 2⁶⁴, 64-bit state.
///
/// # Examples
///
/// ```
/// use rand_core::Rng;
/// use saorsa_nn::{DefaultRng, rng_from_seed};
///
/// let mut rng: DefaultRng = rng_from_seed(0);
/// let first = rng.next_u32();
/// assert_eq!(rng_from_seed(0).next_u32(), first); // a seed is a stream
/// ```
pub type DefaultRng = rand_pcg::Pcg32;

/// The PCG reference stream (`1442695040888963407 >> 1`) used by [`rng_from_seed`].
pub const DEFAULT_STREAM: u64 = 0x0a02_bdbf_7bb3_c0a7;

/// The crate's documented mapping from a `u64` seed to a generator:
/// `Pcg32::new(seed, DEFAULT_STREAM)`, the same generator the PCG reference
/// implementation's `pcg32_srandom_r(rng, seed, DEFAULT_STREAM)` makes.
///
/// The harness and firmware use it for model seeds and data seeds alike.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Init, PaperNet, rng_from_seed};
///
/// let (mut a, mut b) = (Box::new(PaperNet::new()), Box::new(PaperNet::new()));
/// a.init(Init::HeNormal, &mut rng_from_seed(3))?;
/// b.init_from_seed(Init::HeNormal, 3)?; // the same thing
/// assert_eq!(a, b);
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
pub fn rng_from_seed(seed: u64) -> DefaultRng {
    rand_pcg::Pcg32::new(seed, DEFAULT_STREAM)
}

/// `2⁻⁵³`, the spacing of the 53-bit uniforms.
const TWO_POW_M53: f64 = 1.0 / 9_007_199_254_740_992.0;

/// Draws uniforms and standard normals from a generator.
///
/// Normals come from the Box-Muller transform
///
/// ```text
/// u1 = (⌊x1 / 2¹¹⌋ + 1)·2⁻⁵³ ∈ (0, 1],   u2 = ⌊x2 / 2¹¹⌋·2⁻⁵³ ∈ [0, 1)
/// r = √(−2 ln u1),   z1 = r·cos(2π u2),   z2 = r·sin(2π u2)
/// ```
///
/// from two `next_u64` outputs `x1`, `x2`, in f64 with `libm`. Because
/// `u1 > 0`, `ln u1` is never −∞: whatever the generator returns, every
/// normal is finite and `|z| ≤ √(−2 ln 2⁻⁵³) < 8.58`. Both outputs are used:
/// `z1` is returned and `z2` kept for the next call.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Sampler, rng_from_seed};
///
/// let mut s = Sampler::new(rng_from_seed(1));
/// let u = s.uniform();
/// assert!((0.0..1.0).contains(&u));
/// let z = s.standard_normal();
/// assert!(z.is_finite());
/// assert!(s.below(6) < 6);
/// ```
#[derive(Clone, Debug)]
pub struct Sampler<R> {
    rng: R,
    spare: Option<f64>,
}

impl<R: Rng> Sampler<R> {
    /// Wraps a generator.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Sampler, rng_from_seed};
    ///
    /// let mut s = Sampler::new(rng_from_seed(1));
    /// assert!(s.uniform() < 1.0);
    /// ```
    pub const fn new(rng: R) -> Self {
        Sampler { rng, spare: None }
    }

    /// Gives the generator back.
    ///
    /// # Examples
    ///
    /// ```
    /// use rand_core::Rng;
    /// use saorsa_nn::{Sampler, rng_from_seed};
    ///
    /// let mut s = Sampler::new(rng_from_seed(1));
    /// s.uniform(); // one 64-bit draw
    /// let mut rng = s.into_inner();
    /// let mut other = rng_from_seed(1);
    /// other.next_u64();
    /// assert_eq!(rng.next_u32(), other.next_u32());
    /// ```
    pub fn into_inner(self) -> R {
        self.rng
    }

    /// A uniform in `[0, 1)` with 53 random bits: `⌊x / 2¹¹⌋·2⁻⁵³`.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Sampler, rng_from_seed};
    ///
    /// let mut s = Sampler::new(rng_from_seed(9));
    /// assert!((0..1000).map(|_| s.uniform()).all(|u| (0.0..1.0).contains(&u)));
    /// ```
    pub fn uniform(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 * TWO_POW_M53
    }

    /// A standard normal by Box-Muller (see the type's documentation).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Sampler, rng_from_seed};
    ///
    /// let mut s = Sampler::new(rng_from_seed(2));
    /// let n = 10_000;
    /// let mean = (0..n).map(|_| s.standard_normal()).sum::<f64>() / n as f64;
    /// assert!(mean.abs() < 0.05);
    /// ```
    pub fn standard_normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        let u1 = ((self.rng.next_u64() >> 11) + 1) as f64 * TWO_POW_M53;
        let u2 = self.uniform();
        let r = libm::sqrt(-2.0 * libm::log(u1));
        let angle = 2.0 * core::f64::consts::PI * u2;
        self.spare = Some(r * libm::sin(angle));
        r * libm::cos(angle)
    }

    /// A uniform integer in `[0, n)` without modulo bias (Lemire's
    /// multiply-and-reject method on `next_u32`).
    ///
    /// A real generator is rejected with probability below `n / 2³²` per
    /// draw; after [`MAX_REJECTIONS`] rejections in a row (a generator stuck
    /// on one output, as a fuzzer's can be) the last draw is used as it is,
    /// so the call always ends.
    ///
    /// # Panics
    ///
    /// If `n` is zero or exceeds `u32::MAX`.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Sampler, rng_from_seed};
    ///
    /// let mut s = Sampler::new(rng_from_seed(4));
    /// let mut seen = [false; 3];
    /// for _ in 0..100 {
    ///     seen[s.below(3)] = true;
    /// }
    /// assert_eq!(seen, [true; 3]);
    /// ```
    pub fn below(&mut self, n: usize) -> usize {
        let n = u32::try_from(n).expect("below: n must fit in u32");
        assert!(n > 0, "below: n must be positive");
        let threshold = n.wrapping_neg() % n;
        let mut m = 0u64;
        for _ in 0..MAX_REJECTIONS {
            m = u64::from(self.rng.next_u32()) * u64::from(n);
            if (m as u32) >= threshold {
                break;
            }
        }
        (m >> 32) as usize
    }
}

/// Keras's correction for a normal truncated at ±2σ: the standard deviation
/// of a standard normal truncated to `[−2, 2]`.
pub const TRUNCATION_STD: f64 = 0.879_625_661_034_239_8;

/// How many rejected draws a rejection sampler tolerates before it gives up
/// on rejecting: a truncated initializer then clamps its last draw to ±2,
/// and [`Sampler::below`] uses its last draw. With a real generator the
/// chance of reaching it is below `0.0455⁶⁴ < 10⁻⁸⁵`; the bound exists so
/// that an adversarial generator cannot make a loop run for ever.
pub const MAX_REJECTIONS: u32 = 64;

/// How a dense layer's weights are drawn. Biases always start at zero.
///
/// `fan_in` and `fan_out` are the layer's input and output widths, taken from
/// its type.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Init, Mlp};
///
/// let mut net = Box::new(Mlp::<2, 16, 0, 2>::new());
/// net.init_from_seed(Init::GlorotNormal, 0)?;
/// net.init_from_seed(Init::SmallNormal { std: 0.05 }, 0)?;
/// assert_eq!(Init::from_name("he"), Some(Init::HeNormal));
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Init {
    /// `w = std·z`, `z ~ N(0, 1)`: the paper's baseline
    /// (`0.01 * np.random.randn`) with `std = 0.01` ([`Init::SMALL`]).
    SmallNormal {
        /// Standard deviation; finite, `≥ 0` and `≤ f32::MAX / 9`.
        std: f32,
    },
    /// Glorot (Xavier) normal as the paper defines it:
    /// `w ~ N(0, σ²)`, `σ = √(2 / (fan_in + fan_out))`.
    GlorotNormal,
    /// He (Kaiming) normal: `w ~ N(0, σ²)`, `σ = √(2 / fan_in)`.
    HeNormal,
    /// LeCun normal: `w ~ N(0, σ²)`, `σ = √(1 / fan_in)`.
    LeCunNormal,
    /// Glorot uniform: `w ~ U[−a, a)`, `a = √(6 / (fan_in + fan_out))`.
    GlorotUniform,
    /// He uniform: `w ~ U[−a, a)`, `a = √(6 / fan_in)`.
    HeUniform,
    /// Keras's `GlorotNormal`: a normal truncated at ±2s, where
    /// `s = √(2 / (fan_in + fan_out)) / 0.87962566103423978`, so that the
    /// truncated distribution has standard deviation `√(2 / (fan_in + fan_out))`.
    GlorotTruncatedNormal,
    /// Keras's `HeNormal`: truncated at ±2s, `s = √(2 / fan_in) / 0.87962566103423978`.
    HeTruncatedNormal,
    /// Keras's `LecunNormal`: truncated at ±2s, `s = √(1 / fan_in) / 0.87962566103423978`.
    LeCunTruncatedNormal,
}

impl Init {
    /// The paper's small-normal baseline, `std = 0.01`.
    pub const SMALL: Init = Init::SmallNormal { std: 0.01 };

    /// Every method, with the small normal at its default std.
    pub const ALL: [Init; 9] = [
        Init::SMALL,
        Init::GlorotNormal,
        Init::HeNormal,
        Init::LeCunNormal,
        Init::GlorotUniform,
        Init::HeUniform,
        Init::GlorotTruncatedNormal,
        Init::HeTruncatedNormal,
        Init::LeCunTruncatedNormal,
    ];

    /// The method's short name, as the harness's `--inits` spells it:
    /// `small`, `glorot`, `he`, `lecun`, `glorot_uniform`, `he_uniform`,
    /// `glorot_truncated`, `he_truncated`, `lecun_truncated`.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Init;
    ///
    /// assert_eq!(Init::GlorotNormal.name(), "glorot");
    /// assert_eq!(Init::HeTruncatedNormal.name(), "he_truncated");
    /// ```
    pub const fn name(&self) -> &'static str {
        match self {
            Init::SmallNormal { .. } => "small",
            Init::GlorotNormal => "glorot",
            Init::HeNormal => "he",
            Init::LeCunNormal => "lecun",
            Init::GlorotUniform => "glorot_uniform",
            Init::HeUniform => "he_uniform",
            Init::GlorotTruncatedNormal => "glorot_truncated",
            Init::HeTruncatedNormal => "he_truncated",
            Init::LeCunTruncatedNormal => "lecun_truncated",
        }
    }

    /// The method named `name` (see [`Init::name`]); `small` has std 0.01.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Init;
    ///
    /// assert_eq!(Init::from_name("small"), Some(Init::SMALL));
    /// assert_eq!(Init::from_name("lecun"), Some(Init::LeCunNormal));
    /// assert_eq!(Init::from_name("xavier"), None);
    /// assert!(Init::ALL.iter().all(|i| Init::from_name(i.name()) == Some(*i)));
    /// ```
    pub fn from_name(name: &str) -> Option<Init> {
        Init::ALL.into_iter().find(|i| i.name() == name)
    }

    /// Checks the method's own parameter.
    ///
    /// # Errors
    ///
    /// [`Error::BadHyperparameter`] with [`Hyperparameter::InitStd`] for a
    /// small normal whose `std` is not finite, negative or above `f32::MAX / 9`;
    /// the other methods have no parameter and always pass.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Hyperparameter, Init};
    ///
    /// assert_eq!(Init::HeNormal.validate(), Ok(()));
    /// let bad = Init::SmallNormal { std: -1.0 };
    /// assert_eq!(bad.validate(), Err(Error::BadHyperparameter(Hyperparameter::InitStd)));
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        match *self {
            Init::SmallNormal { std } if !(0.0..=f32::MAX / 9.0).contains(&std) => {
                Err(Error::BadHyperparameter(Hyperparameter::InitStd))
            }
            _ => Ok(()),
        }
    }

    /// The scale for a layer of this shape: the standard deviation of the
    /// normal that is drawn (before truncation) or the uniform's half-width.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Init;
    ///
    /// assert_eq!(Init::HeNormal.scale(8, 3), 0.5); // √(2/8)
    /// assert_eq!(Init::GlorotNormal.scale(3, 5), 0.5); // √(2/(3+5))
    /// assert_eq!(Init::SMALL.scale(100, 100), f64::from(0.01f32)); // the std is an f32
    /// ```
    pub fn scale(&self, fan_in: usize, fan_out: usize) -> f64 {
        let (fi, fo) = (fan_in as f64, fan_out as f64);
        match *self {
            Init::SmallNormal { std } => f64::from(std),
            Init::GlorotNormal => libm::sqrt(2.0 / (fi + fo)),
            Init::HeNormal => libm::sqrt(2.0 / fi),
            Init::LeCunNormal => libm::sqrt(1.0 / fi),
            Init::GlorotUniform => libm::sqrt(6.0 / (fi + fo)),
            Init::HeUniform => libm::sqrt(6.0 / fi),
            Init::GlorotTruncatedNormal => libm::sqrt(2.0 / (fi + fo)) / TRUNCATION_STD,
            Init::HeTruncatedNormal => libm::sqrt(2.0 / fi) / TRUNCATION_STD,
            Init::LeCunTruncatedNormal => libm::sqrt(1.0 / fi) / TRUNCATION_STD,
        }
    }

    /// The largest magnitude a weight of this method can take in a layer of
    /// this shape, if the method bounds it: `a` for the uniforms, `2s` for
    /// the truncated normals.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Init;
    ///
    /// assert_eq!(Init::HeNormal.bound(8, 3), None); // unbounded
    /// assert_eq!(Init::HeUniform.bound(6, 3), Some(1.0)); // √(6/6)
    /// ```
    pub fn bound(&self, fan_in: usize, fan_out: usize) -> Option<f64> {
        let s = self.scale(fan_in, fan_out);
        match self {
            Init::GlorotUniform | Init::HeUniform => Some(s),
            Init::GlorotTruncatedNormal | Init::HeTruncatedNormal | Init::LeCunTruncatedNormal => {
                Some(2.0 * s)
            }
            _ => None,
        }
    }

    /// Fills `weights` (a `fan_in × fan_out` layer, row-major) with draws
    /// from `sampler`, each computed in f64 and rounded once to f32.
    ///
    /// # Panics
    ///
    /// If `weights.len() != fan_in * fan_out`, or if the method's parameter
    /// is invalid (call [`Init::validate`] first).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Sampler, rng_from_seed};
    ///
    /// let mut w = [0.0f32; 4 * 3];
    /// let mut sampler = Sampler::new(rng_from_seed(0));
    /// Init::HeUniform.fill(&mut w, 4, 3, &mut sampler);
    /// let a = Init::HeUniform.bound(4, 3).unwrap() as f32;
    /// assert!(w.iter().all(|v| v.abs() <= a));
    /// ```
    pub fn fill<R: Rng>(&self, weights: &mut [f32], fan_in: usize, fan_out: usize, sampler: &mut Sampler<R>) {
        assert_eq!(weights.len(), fan_in * fan_out, "weights must be fan_in × fan_out");
        assert!(self.validate().is_ok(), "invalid initializer parameter");
        let s = self.scale(fan_in, fan_out);
        for w in weights.iter_mut() {
            let z = match self {
                Init::SmallNormal { .. } | Init::GlorotNormal | Init::HeNormal | Init::LeCunNormal => {
                    sampler.standard_normal()
                }
                Init::GlorotUniform | Init::HeUniform => 2.0 * sampler.uniform() - 1.0,
                Init::GlorotTruncatedNormal | Init::HeTruncatedNormal | Init::LeCunTruncatedNormal => {
                    truncated_standard_normal(sampler)
                }
            };
            *w = (s * z) as f32;
        }
    }
}

/// A standard normal conditioned on `|z| ≤ 2`, by rejection; after
/// [`MAX_REJECTIONS`] rejections the last draw is clamped to ±2.
fn truncated_standard_normal<R: Rng>(sampler: &mut Sampler<R>) -> f64 {
    let mut z = 0.0;
    for _ in 0..MAX_REJECTIONS {
        z = sampler.standard_normal();
        if (-2.0..=2.0).contains(&z) {
            return z;
        }
    }
    z.clamp(-2.0, 2.0)
}
