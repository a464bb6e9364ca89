//! Layers: a fixed-size dense layer, the ReLU activation, and the views
//! through which the engine sees any layer (with its optional layer
//! normalization, see [`crate::shape::Normalization`]).
//!
//! ```
//! use saorsa_nn::Dense;
//!
//! let mut layer = Dense::<2, 2>::new();
//! layer.weights = [[1.0, -1.0], [1.0, -1.0]];
//! let mut y = [[0.0f32; 2]];
//! layer.forward(&[[1.0, 2.0]], &mut y);
//! saorsa_nn::layers::relu(&mut y);
//! assert_eq!(y, [[3.0, 0.0]]);
//! ```
//!
//! ```
//! use saorsa_nn::Dense;
//!
//! let mut layer = Dense::<2, 2>::new();
//! layer.weights = [[1.0, -1.0], [1.0, -1.0]];
//! let mut y = [[0.0f32; 2]];
//! layer.forward(&[[1.0, 2.0]], &mut y);
//! saorsa_nn::layers::relu(&mut y);
//! assert_eq!(y, [[3.0, 0.0]]);
//! ```

use crate::init::{Init, Sampler};
use crate::kernels;
use rand_core::Rng;

/// A fully connected layer `y = x·W + b` with `IN` inputs and `OUT` outputs.
///
/// The weights are laid out as in the paper's framework: `weights[i][j]`
/// connects input `i` to output `j` (shape `(fan_in, fan_out)`, row-major).
/// A gradient or an Adam moment of a layer is a `Dense` of the same shape.
///
/// # Examples
///
/// ```
/// use saorsa_nn::Dense;
///
/// // y = x·W + b for one sample of 2 inputs and 3 outputs.
/// let mut layer = Dense::<2, 3>::new();
/// layer.weights = [[1.0, 0.0, 2.0], [0.0, 1.0, 3.0]];
/// layer.bias = [0.5, 0.5, 0.5];
/// let mut y = [[0.0f32; 3]];
/// layer.forward(&[[1.0, 2.0]], &mut y);
/// assert_eq!(y, [[1.5, 2.5, 8.5]]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Dense<const IN: usize, const OUT: usize> {
    /// `(fan_in, fan_out)` weights.
    pub weights: [[f32; OUT]; IN],
    /// One bias per output.
    pub bias: [f32; OUT],
}

impl<const IN: usize, const OUT: usize> Default for Dense<IN, OUT> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const IN: usize, const OUT: usize> Dense<IN, OUT> {
    /// The layer's fan-in, `IN`.
    pub const FAN_IN: usize = IN;
    /// The layer's fan-out, `OUT`.
    pub const FAN_OUT: usize = OUT;
    /// Number of parameters, `IN·OUT + OUT`.
    pub const PARAMETERS: usize = IN * OUT + OUT;

    /// A layer with every parameter zero. `const`, so it can initialize a
    /// `static` (which then lives in `.bss` and costs no flash).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Dense;
    ///
    /// static LAYER: Dense<4, 8> = Dense::new();
    /// assert!(LAYER.weights.iter().flatten().all(|&w| w == 0.0));
    /// assert_eq!(Dense::<4, 8>::PARAMETERS, 40);
    /// ```
    pub const fn new() -> Self {
        Dense { weights: [[0.0; OUT]; IN], bias: [0.0; OUT] }
    }

    /// Sets every parameter to zero, in place.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Dense;
    ///
    /// let mut layer = Dense::<2, 2>::new();
    /// layer.bias = [1.0, 2.0];
    /// layer.zero();
    /// assert_eq!(layer, Dense::new());
    /// ```
    pub fn zero(&mut self) {
        self.weights.as_flattened_mut().fill(0.0);
        self.bias.fill(0.0);
    }

    /// Draws the weights with `init` (fan-in `IN`, fan-out `OUT`) and zeroes
    /// the biases, in place.
    ///
    /// # Panics
    ///
    /// If `init`'s parameter is invalid; [`crate::Mlp::init`] checks it first.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Dense, Init, Sampler, rng_from_seed};
    ///
    /// let mut layer = Dense::<16, 4>::new();
    /// layer.init(&Init::HeUniform, &mut Sampler::new(rng_from_seed(0)));
    /// let a = Init::HeUniform.bound(16, 4).unwrap() as f32;
    /// assert!(layer.weights.iter().flatten().all(|w| w.abs() <= a));
    /// assert_eq!(layer.bias, [0.0; 4]);
    /// ```
    pub fn init<R: Rng>(&mut self, init: &Init, sampler: &mut Sampler<R>) {
        init.fill(self.weights.as_flattened_mut(), IN, OUT, sampler);
        self.bias.fill(0.0);
    }

    /// Forward pass on a batch: `y[s] = x[s]·W + b`.
    ///
    /// # Panics
    ///
    /// If `x` and `y` hold different numbers of samples.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Dense;
    ///
    /// let mut layer = Dense::<2, 1>::new();
    /// layer.weights = [[2.0], [3.0]];
    /// let mut y = [[0.0f32]; 2];
    /// layer.forward(&[[1.0, 1.0], [1.0, -1.0]], &mut y);
    /// assert_eq!(y, [[5.0], [-1.0]]);
    /// ```
    pub fn forward(&self, x: &[[f32; IN]], y: &mut [[f32; OUT]]) {
        kernels::affine_forward(
            x.as_flattened(),
            self.weights.as_flattened(),
            &self.bias,
            y.as_flattened_mut(),
        );
    }

    /// Gradient with respect to the input: `dx[s] = dy[s]·Wᵀ`.
    ///
    /// # Panics
    ///
    /// If `dy` and `dx` hold different numbers of samples.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Dense;
    ///
    /// let mut layer = Dense::<2, 1>::new();
    /// layer.weights = [[2.0], [3.0]];
    /// let mut dx = [[0.0f32; 2]];
    /// layer.backward_input(&[[0.5]], &mut dx);
    /// assert_eq!(dx, [[1.0, 1.5]]);
    /// ```
    pub fn backward_input(&self, dy: &[[f32; OUT]], dx: &mut [[f32; IN]]) {
        kernels::backward_input(dy.as_flattened(), self.weights.as_flattened(), dx.as_flattened_mut(), OUT);
    }

    /// Treats `self` as a gradient and adds a batch's contribution to it:
    /// `dW += xᵀ·dy`, `db += Σ_s dy[s]`, in sample order.
    ///
    /// # Panics
    ///
    /// If `x` and `dy` hold different numbers of samples.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Dense;
    ///
    /// let mut grad = Dense::<2, 1>::new();
    /// grad.accumulate_gradient(&[[1.0, 2.0], [3.0, 4.0]], &[[0.5], [1.0]]);
    /// assert_eq!(grad.weights, [[3.5], [5.0]]); // Σ x·dy
    /// assert_eq!(grad.bias, [1.5]); // Σ dy
    /// ```
    pub fn accumulate_gradient(&mut self, x: &[[f32; IN]], dy: &[[f32; OUT]]) {
        kernels::accumulate_param_grad(
            x.as_flattened(),
            dy.as_flattened(),
            self.weights.as_flattened_mut(),
            &mut self.bias,
        );
    }

    /// A view of the parameters as flat slices.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Dense;
    ///
    /// let layer = Dense::<3, 2>::new();
    /// let v = layer.view();
    /// assert_eq!((v.fan_in, v.fan_out, v.weights.len(), v.bias.len()), (3, 2, 6, 2));
    /// assert!(v.norm.is_none());
    /// ```
    pub fn view(&self) -> LayerView<'_> {
        LayerView {
            fan_in: IN,
            fan_out: OUT,
            weights: self.weights.as_flattened(),
            bias: &self.bias,
            norm: None,
        }
    }

    /// A mutable view of the parameters as flat slices.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Dense;
    ///
    /// let mut layer = Dense::<3, 2>::new();
    /// layer.view_mut().weights[1] = 7.0; // row 0, column 1
    /// assert_eq!(layer.weights[0][1], 7.0);
    /// ```
    pub fn view_mut(&mut self) -> LayerViewMut<'_> {
        LayerViewMut {
            fan_in: IN,
            fan_out: OUT,
            weights: self.weights.as_flattened_mut(),
            bias: &mut self.bias,
            norm: None,
        }
    }
}

/// A dense layer's parameters as flat slices, whatever its shape.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Init, Mlp};
///
/// let mut net = Box::new(Mlp::<2, 8, 1, 3>::new());
/// net.init_from_seed(Init::HeNormal, 0)?;
/// let shapes: Vec<_> = net.layers().map(|l| (l.fan_in, l.fan_out)).collect();
/// assert_eq!(shapes, [(2, 8), (8, 8), (8, 3)]);
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct LayerView<'a> {
    /// Inputs.
    pub fan_in: usize,
    /// Outputs.
    pub fan_out: usize,
    /// `fan_in × fan_out` weights, row-major.
    pub weights: &'a [f32],
    /// `fan_out` biases.
    pub bias: &'a [f32],
    /// The layer normalization between this layer and its ReLU, if any.
    pub norm: Option<NormView<'a>>,
}

/// A layer normalization's parameters: one gain `γ` and one shift `β` per
/// unit (see [`crate::kernels::layer_norm_forward`]).
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Init, Network, Normalization, Shape};
///
/// let shape = Shape::new(&[2, 4, 2])?.with_normalization(Normalization::LayerNorm);
/// let mut net = Network::new(shape.clone(), vec![0.0; shape.parameter_count()])?;
/// net.init_from_seed(Init::HeNormal, 0)?;
/// let norm = net.layer(0).norm.expect("a normalized hidden layer");
/// assert_eq!((norm.gain, norm.shift), (&[1.0; 4][..], &[0.0; 4][..]));
/// assert!(net.layer(1).norm.is_none()); // the output layer
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct NormView<'a> {
    /// `fan_out` gains `γ` (initialized to 1).
    pub gain: &'a [f32],
    /// `fan_out` shifts `β` (initialized to 0).
    pub shift: &'a [f32],
}

/// [`NormView`], mutable.
///
/// # Examples
///
/// ```
/// use saorsa_nn::layers::{LayerViewMut, NormViewMut};
///
/// let (mut w, mut b, mut g, mut s) = ([0.0f32; 2], [0.0f32; 1], [1.0f32; 1], [0.0f32; 1]);
/// let view = LayerViewMut {
///     fan_in: 2,
///     fan_out: 1,
///     weights: &mut w,
///     bias: &mut b,
///     norm: Some(NormViewMut { gain: &mut g, shift: &mut s }),
/// };
/// view.norm.unwrap().gain[0] = 2.0;
/// assert_eq!(g, [2.0]);
/// ```
#[derive(Debug)]
pub struct NormViewMut<'a> {
    /// `fan_out` gains `γ`.
    pub gain: &'a mut [f32],
    /// `fan_out` shifts `β`.
    pub shift: &'a mut [f32],
}

/// A dense layer's parameters as mutable flat slices, whatever its shape.
///
/// # Examples
///
/// ```
/// use saorsa_nn::Mlp;
///
/// let mut net = Box::new(Mlp::<2, 4, 0, 2>::new());
/// for layer in net.layers_mut() {
///     layer.bias.fill(0.1);
/// }
/// assert_eq!(net.output.bias, [0.1, 0.1]);
/// ```
#[derive(Debug)]
pub struct LayerViewMut<'a> {
    /// Inputs.
    pub fan_in: usize,
    /// Outputs.
    pub fan_out: usize,
    /// `fan_in × fan_out` weights, row-major.
    pub weights: &'a mut [f32],
    /// `fan_out` biases.
    pub bias: &'a mut [f32],
    /// The layer normalization between this layer and its ReLU, if any.
    pub norm: Option<NormViewMut<'a>>,
}

impl<'a> LayerView<'a> {
    /// Every parameter in checkpoint order, as four slices: weights,
    /// biases, gains, shifts (the last two empty without normalization).
    pub(crate) fn parts(&self) -> [&'a [f32]; 4] {
        let (gain, shift) = self.norm.map_or((&[][..], &[][..]), |n| (n.gain, n.shift));
        [self.weights, self.bias, gain, shift]
    }
}

impl<'a> LayerViewMut<'a> {
    /// [`LayerView::parts`], mutable.
    pub(crate) fn into_parts(self) -> [&'a mut [f32]; 4] {
        let (gain, shift) = self.norm.map_or((&mut [][..], &mut [][..]), |n| (n.gain, n.shift));
        [self.weights, self.bias, gain, shift]
    }
}

/// ReLU forward in place on a batch, `y = max(0, y)` (NaN passes through).
///
/// # Examples
///
/// ```
/// let mut y = [[-1.0f32, 0.0, 2.0]];
/// saorsa_nn::layers::relu(&mut y);
/// assert_eq!(y, [[0.0, 0.0, 2.0]]);
/// ```
pub fn relu<const N: usize>(y: &mut [[f32; N]]) {
    kernels::relu_in_place(y.as_flattened_mut());
}

/// ReLU backward in place: zeroes `d` wherever the ReLU output `y ≤ 0`.
///
/// # Panics
///
/// If `y` and `d` hold different numbers of samples.
///
/// # Examples
///
/// ```
/// let y = [[0.0f32, 3.0]];
/// let mut d = [[5.0f32, 5.0]];
/// saorsa_nn::layers::relu_backward(&y, &mut d);
/// assert_eq!(d, [[0.0, 5.0]]);
/// ```
pub fn relu_backward<const N: usize>(y: &[[f32; N]], d: &mut [[f32; N]]) {
    kernels::relu_backward_in_place(y.as_flattened(), d.as_flattened_mut());
}
