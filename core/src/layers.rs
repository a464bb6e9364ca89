//! Layers: a fixed-size dense layer, the ReLU activation, and the views
//! through which the engine sees any layer (with its optional layer
//! normalization, see [`crate::shape::Normalization`]).

use crate::init::{Init, Sampler};
use crate::kernels;
use rand_core::Rng;

/// A fully connected layer `y = x·W + b` with `IN` inputs and `OUT` outputs.
///
/// The weights are laid out as in the paper's framework: `weights[i][j]`
/// connects input `i` to output `j` (shape `(fan_in, fan_out)`, row-major).
/// A gradient or an Adam moment of a layer is a `Dense` of the same shape.
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
    pub const fn new() -> Self {
        Dense { weights: [[0.0; OUT]; IN], bias: [0.0; OUT] }
    }

    /// Sets every parameter to zero, in place.
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
    pub fn init<R: Rng>(&mut self, init: &Init, sampler: &mut Sampler<R>) {
        init.fill(self.weights.as_flattened_mut(), IN, OUT, sampler);
        self.bias.fill(0.0);
    }

    /// Forward pass on a batch: `y[s] = x[s]·W + b`.
    ///
    /// # Panics
    ///
    /// If `x` and `y` hold different numbers of samples.
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
    pub fn backward_input(&self, dy: &[[f32; OUT]], dx: &mut [[f32; IN]]) {
        kernels::backward_input(dy.as_flattened(), self.weights.as_flattened(), dx.as_flattened_mut(), OUT);
    }

    /// Treats `self` as a gradient and adds a batch's contribution to it:
    /// `dW += xᵀ·dy`, `db += Σ_s dy[s]`, in sample order.
    ///
    /// # Panics
    ///
    /// If `x` and `dy` hold different numbers of samples.
    pub fn accumulate_gradient(&mut self, x: &[[f32; IN]], dy: &[[f32; OUT]]) {
        kernels::accumulate_param_grad(
            x.as_flattened(),
            dy.as_flattened(),
            self.weights.as_flattened_mut(),
            &mut self.bias,
        );
    }

    /// A view of the parameters as flat slices.
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
#[derive(Clone, Copy, Debug)]
pub struct NormView<'a> {
    /// `fan_out` gains `γ` (initialized to 1).
    pub gain: &'a [f32],
    /// `fan_out` shifts `β` (initialized to 0).
    pub shift: &'a [f32],
}

/// [`NormView`], mutable.
#[derive(Debug)]
pub struct NormViewMut<'a> {
    /// `fan_out` gains `γ`.
    pub gain: &'a mut [f32],
    /// `fan_out` shifts `β`.
    pub shift: &'a mut [f32],
}

/// A dense layer's parameters as mutable flat slices, whatever its shape.
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
pub fn relu<const N: usize>(y: &mut [[f32; N]]) {
    kernels::relu_in_place(y.as_flattened_mut());
}

/// ReLU backward in place: zeroes `d` wherever the ReLU output `y ≤ 0`.
///
/// # Panics
///
/// If `y` and `d` hold different numbers of samples.
pub fn relu_backward<const N: usize>(y: &[[f32; N]], d: &mut [[f32; N]]) {
    kernels::relu_backward_in_place(y.as_flattened(), d.as_flattened_mut());
}
