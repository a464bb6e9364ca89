//! `checkpoint_decode` and `checkpoint_decode_resealed`.

use saorsa_nn::checkpoint::{MAGIC, NORMALIZED_VERSION, VERSION, read_shape};
use saorsa_nn::shape::{MAX_CLASSES, MAX_LAYERS, MAX_WIDTH};
use saorsa_nn::{Error, Mlp, Network, Normalization, PaperNet, Shape, crc32};
use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

/// Names a network type in a message, without formatting unless shown.
struct Net<const I: usize, const W: usize, const M: usize, const O: usize>;

impl<const I: usize, const W: usize, const M: usize, const O: usize> fmt::Display for Net<I, W, M, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mlp<{I}, {W}, {M}, {O}>")
    }
}

/// The most parameters a run-time network decoded from a checkpoint's
/// declared shape may have here (4 MiB of `f32`), to keep the fuzzer in
/// memory; a larger declared shape is only read, not decoded.
pub const MAX_DECODED_PARAMETERS: usize = 1 << 20;

/// Arbitrary bytes into the checkpoint decoder of four network types (the
/// paper's 2→64→64→64→2, a 2→8→8→2, a 1→1→1 and a 3→4→3, none normalized),
/// of run-time [`Network`]s of the same shapes (but 1→1→1, which has one
/// class), without and with [`Normalization::LayerNorm`], and, through
/// [`read_shape`], of a run-time network of whatever shape (and
/// normalization) the checkpoint declares.
///
/// Properties: no panic; the result, `Ok` or which `Err`, is the one the
/// format's documentation implies, version 1 or 2 (an independent decoder,
/// [`spec_decode`]); on `Ok` the model holds exactly the checkpoint's
/// values (weights, biases and, for a normalized network's hidden layers,
/// gains and shifts), every one finite, and re-encodes to the same bytes; on
/// `Err` the model is unchanged. A run-time network of a typed network's
/// shape, unnormalized, gives the typed decoder's result and parameters, bit
/// for bit. `read_shape` gives the shape and normalization, or the error,
/// that the documented header and [`Shape`]'s limits imply
/// ([`spec_read_shape`]); a network of that shape (up to
/// [`MAX_DECODED_PARAMETERS`]) then decodes as the documentation says, as
/// the typed network of its widths does if it is unnormalized, and as the
/// normalized run-time network of the same widths above does if it is
/// normalized.
pub fn checkpoint_decode(data: &[u8]) {
    let typed = [
        (&[2, 64, 64, 64, 2][..], decode_as::<2, 64, 2, 2>(data)),
        (&[2, 8, 8, 2][..], decode_as::<2, 8, 1, 2>(data)),
        (&[1, 1, 1][..], decode_as::<1, 1, 0, 1>(data)),
        (&[3, 4, 3][..], decode_as::<3, 4, 0, 3>(data)),
    ];
    // The typed networks' widths with layer normalization (no typed
    // network has it): what a run-time network of each decodes.
    let mut normalized: Vec<(&[usize], Decoded)> = Vec::with_capacity(typed.len());
    for (widths, typed_result) in &typed {
        let Ok(shape) = Shape::new(widths) else {
            continue; // one class: no run-time network of this shape
        };
        let run_time = decode_run_time(data, &shape);
        assert_eq!(&run_time, typed_result, "{shape}: the run-time decoder differs from the typed one");
        if shape.layers() > 1 {
            let shape = shape.with_normalization(Normalization::LayerNorm);
            normalized.push((widths, decode_run_time(data, &shape)));
        }
    }

    let declared = read_shape(data);
    let spec = spec_read_shape(data);
    assert_eq!(
        declared.as_ref().map(|s| (s.widths(), s.normalization())).map_err(|e| *e),
        spec.as_ref().map(|(w, n)| (&w[..], *n)).map_err(|e| *e),
        "read_shape differs from the documented header"
    );
    if let Ok(shape) = declared
        && shape.parameter_count() <= MAX_DECODED_PARAMETERS
    {
        let decoded = decode_run_time(data, &shape);
        let same_widths = |(w, _): &&(&[usize], Decoded)| *w == shape.widths();
        match shape.normalization() {
            Normalization::None => {
                if let Some((_, typed_result)) = typed.iter().find(same_widths) {
                    assert_eq!(
                        &decoded, typed_result,
                        "{shape}: the declared shape decodes unlike the typed one"
                    );
                }
            }
            Normalization::LayerNorm => {
                if let Some((_, fixed)) = normalized.iter().find(same_widths) {
                    assert_eq!(
                        &decoded, fixed,
                        "{shape} (LayerNorm): the declared shape decodes unlike the fixed normalized one"
                    );
                }
            }
        }
    }
}

/// What a decode did: the parameters' bits, or the error (and then the
/// model is unchanged: checked where the decode is).
type Decoded = Result<Vec<u32>, Error>;

/// [`checkpoint_decode`] after [`seal`]: the last four bytes replaced by the
/// CRC-32 of the others, so that mutations get past the checksum and reach
/// the value checks and the round trip. Also checks the table-driven
/// [`crc32`] against a bit-at-a-time one.
pub fn checkpoint_decode_resealed(data: &[u8]) {
    let mut bytes = data.to_vec();
    seal(&mut bytes);
    if let Some(body) = data.len().checked_sub(4).map(|n| &data[..n]).filter(|b| b.len() <= 4096) {
        assert_eq!(crc32(body), crc32_bitwise(body), "crc32 differs from the bitwise CRC-32");
    }
    checkpoint_decode(&bytes);
}

/// Overwrites the last four bytes (if there are four) with the CRC-32 of the
/// bytes before them, as a checkpoint's trailer.
pub fn seal(bytes: &mut [u8]) {
    if let Some(n) = bytes.len().checked_sub(4) {
        let crc = crc32(&bytes[..n]);
        bytes[n..].copy_from_slice(&crc.to_le_bytes());
    }
}

/// CRC-32 (IEEE, reflected `0xEDB88320`), one bit at a time.
fn crc32_bitwise(bytes: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
        }
    }
    !c
}

/// Every parameter's bits, layer by layer, weights then biases.
pub(crate) fn param_bits<const I: usize, const W: usize, const M: usize, const O: usize>(
    m: &Mlp<I, W, M, O>,
) -> Vec<u32> {
    m.layers().flat_map(|l| l.weights.iter().chain(l.bias).map(|v| v.to_bits()).collect::<Vec<_>>()).collect()
}

/// A model of this shape with distinct, non-zero parameters, so that a
/// decode that wrote anything shows.
fn start_model<const I: usize, const W: usize, const M: usize, const O: usize>() -> Box<Mlp<I, W, M, O>> {
    let mut model = Box::new(Mlp::<I, W, M, O>::new());
    let mut k = 0u32;
    for layer in model.layers_mut() {
        for v in layer.weights.iter_mut().chain(layer.bias.iter_mut()) {
            k += 1;
            *v = (k as f32) * 0.25 - 3.1;
        }
    }
    model
}

thread_local! {
    /// Per network type: the start model and a working copy, made once, so
    /// that an execution allocates nothing for a model.
    static MODELS: RefCell<HashMap<TypeId, Box<dyn Any>>> = RefCell::new(HashMap::new());
}

/// Runs `f` on this type's working model (equal to the start model) and the start model.
fn with_models<const I: usize, const W: usize, const M: usize, const O: usize, T>(
    f: impl FnOnce(&mut Mlp<I, W, M, O>, &Mlp<I, W, M, O>) -> T,
) -> T {
    type Pair<const I: usize, const W: usize, const M: usize, const O: usize> =
        (Box<Mlp<I, W, M, O>>, Box<Mlp<I, W, M, O>>);
    MODELS.with_borrow_mut(|models| {
        let pair = models
            .entry(TypeId::of::<Mlp<I, W, M, O>>())
            .or_insert_with(|| Box::new((start_model::<I, W, M, O>(), start_model::<I, W, M, O>())))
            .downcast_mut::<Pair<I, W, M, O>>()
            .expect("keyed by type");
        let r = f(&mut pair.0, &pair.1);
        pair.0.clone_from(&pair.1);
        r
    })
}

// The paper's network is what the harness saves: keep its exact size in view.
const _: () = assert!(PaperNet::CHECKPOINT_BYTES == 8 + 8 * 4 + 4 * 8642 + 4);

fn decode_as<const I: usize, const W: usize, const M: usize, const O: usize>(data: &[u8]) -> Decoded {
    with_models(|model: &mut Mlp<I, W, M, O>, start| decode_into(data, model, start))
}

fn decode_into<const I: usize, const W: usize, const M: usize, const O: usize>(
    data: &[u8],
    model: &mut Mlp<I, W, M, O>,
    start: &Mlp<I, W, M, O>,
) -> Decoded {
    let shapes: Vec<(usize, usize)> = Mlp::<I, W, M, O>::shapes().collect();
    // A typed network is never normalized: it reads version 1 only.
    let expected = spec_decode(data, &shapes, Normalization::None);
    let got = model.decode_checkpoint(data);
    let net = Net::<I, W, M, O>;
    assert_eq!(
        got,
        expected.as_ref().map(|_| ()).map_err(|e| *e),
        "{net}: decode result differs from the spec"
    );
    match got {
        Ok(()) => {
            let values = expected.expect("Ok above");
            let bits: Vec<u32> = values.iter().map(|v| v.to_bits()).collect();
            assert_eq!(param_bits(model), bits, "{net}: decoded parameters differ from the checkpoint's");
            assert!(model.is_finite(), "{net}: a decoded model holds a non-finite parameter");
            let mut out = vec![0u8; Mlp::<I, W, M, O>::CHECKPOINT_BYTES + 3];
            let len = model.encode_checkpoint(&mut out).expect("a large enough buffer");
            assert_eq!(&out[..len], data, "{net}: decode then encode does not give the same bytes");
            assert!(out[len..].iter().all(|&b| b == 0), "{net}: encode wrote past its length");
            assert_eq!(
                model.encode_checkpoint(&mut out[..len - 1]),
                Err(Error::BufferTooSmall { needed: len }),
                "{net}: encode into a short buffer"
            );
        }
        Err(_) => {
            // The start model holds no zero and no NaN, so `==` compares bits here.
            assert!(model == start, "{net}: a failed decode changed the model");
        }
    }
    got.map(|()| param_bits(model))
}

/// The `k`-th (from 0) parameter of every start model: distinct, non-zero,
/// finite, in checkpoint order, so a run-time network of a typed shape
/// starts from the typed start model's very values.
fn start_value(k: usize) -> f32 {
    ((k + 1) as f32) * 0.25 - 3.1
}

thread_local! {
    /// The run-time networks' parameter buffer and the start values, equal
    /// between executions (grown on demand, never shrunk).
    static RUN_TIME: RefCell<(Vec<f32>, Vec<f32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// Decodes `data` into a run-time [`Network`] of `shape` (with its
/// normalization) holding the start values, checks it as [`decode_into`]
/// does, and returns what it did.
fn decode_run_time(data: &[u8], shape: &Shape) -> Decoded {
    let p = shape.parameter_count();
    let norm = shape.normalization();
    let shapes: Vec<(usize, usize)> = shape.layer_shapes().collect();
    let layout = SpecLayout::new(&shapes, norm);
    assert_eq!(
        (p, shape.checkpoint_bytes()),
        (layout.params, layout.len),
        "{shape} ({norm:?}): parameter count and checkpoint length differ from the documented layout"
    );
    RUN_TIME.with_borrow_mut(|(buf, start)| {
        if buf.len() < p {
            let from = buf.len();
            buf.extend((from..p).map(start_value));
            start.extend((from..p).map(start_value));
        }
        let expected = spec_decode(data, &shapes, norm);
        let mut net = Network::new(shape.clone(), &mut buf[..p]).expect("a buffer of the shape's length");
        let got = net.decode_checkpoint(data);
        assert_eq!(
            got,
            expected.as_ref().map(|_| ()).map_err(|e| *e),
            "{shape} ({norm:?}): run-time decode result differs from the spec"
        );
        match got {
            Ok(()) => {
                let values = expected.expect("Ok above");
                let after: Vec<u32> = net.parameters().iter().map(|v| v.to_bits()).collect();
                assert!(
                    same_bits(net.parameters(), &values),
                    "{shape} ({norm:?}): decoded parameters differ from the checkpoint's"
                );
                check_layers(&net, &shapes, norm, &values);
                assert!(
                    net.is_finite(),
                    "{shape} ({norm:?}): a decoded network holds a non-finite parameter"
                );
                let mut out = vec![0u8; shape.checkpoint_bytes() + 3];
                let len = net.encode_checkpoint(&mut out).expect("a large enough buffer");
                assert_eq!(len, shape.checkpoint_bytes());
                assert_eq!(
                    &out[..len],
                    data,
                    "{shape} ({norm:?}): decode then encode does not give the same bytes"
                );
                assert!(
                    out[len..].iter().all(|&b| b == 0),
                    "{shape} ({norm:?}): encode wrote past its length"
                );
                assert_eq!(
                    net.encode_checkpoint(&mut out[..len - 1]),
                    Err(Error::BufferTooSmall { needed: len }),
                    "{shape} ({norm:?}): encode into a short buffer"
                );
                buf[..p].copy_from_slice(&start[..p]);
                Ok(after)
            }
            Err(e) => {
                // The start values hold no zero and no NaN, so `==` compares bits here.
                assert!(buf[..p] == start[..p], "{shape} ({norm:?}): a failed decode changed the network");
                Err(e)
            }
        }
    })
}

/// `a` and `b` hold the same values, bit for bit.
fn same_bits(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// Each layer of `net` holds its part of `values` (a checkpoint's body, in
/// file order) as the format's documentation lays it out: its weights, its
/// biases, then, for a hidden layer of a normalized network, its `fan_out`
/// gains and `fan_out` shifts.
fn check_layers(net: &Network<&mut [f32]>, shapes: &[(usize, usize)], norm: Normalization, values: &[f32]) {
    let shape = net.shape();
    let mut rest = values;
    let mut take = |n: usize| {
        let (part, tail) = rest.split_at(n);
        rest = tail;
        part
    };
    for (k, (&(fan_in, fan_out), layer)) in shapes.iter().zip(net.layers()).enumerate() {
        assert_eq!((layer.fan_in, layer.fan_out), (fan_in, fan_out), "{shape}: layer {k}'s shape");
        let weights = take(fan_in * fan_out);
        let bias = take(fan_out);
        assert!(same_bits(layer.weights, weights), "{shape} ({norm:?}): layer {k}'s weights");
        assert!(same_bits(layer.bias, bias), "{shape} ({norm:?}): layer {k}'s biases");
        let hidden_normalized = norm == Normalization::LayerNorm && k + 1 < shapes.len();
        match (layer.norm, hidden_normalized) {
            (None, false) => {}
            (Some(n), true) => {
                let (gain, shift) = (take(fan_out), take(fan_out));
                assert!(same_bits(n.gain, gain), "{shape} ({norm:?}): layer {k}'s gains");
                assert!(same_bits(n.shift, shift), "{shape} ({norm:?}): layer {k}'s shifts");
            }
            (n, _) => panic!("{shape} ({norm:?}): layer {k} has a normalization: {}", n.is_some()),
        }
    }
    assert!(rest.is_empty(), "{shape} ({norm:?}): {} values left after the last layer", rest.len());
}

// The spec below writes the versions as the documentation numbers them.
const _: () = assert!(VERSION == 1 && NORMALIZED_VERSION == 2);

/// A checkpoint's header and body as the format's documentation lays them
/// out for a model of these layer shapes and this normalization.
struct SpecLayout {
    /// Bytes before the layer shapes: 8 (version 1), or 12 (version 2, which
    /// records the normalization).
    start: usize,
    /// Bytes before the parameters: `start + 8·L`.
    header: usize,
    /// Parameters: per layer `fan_in·fan_out + fan_out`, plus `2·fan_out`
    /// for each hidden layer (all but the last) of a normalized network.
    params: usize,
    /// The whole checkpoint: header, `4·params`, CRC.
    len: usize,
}

impl SpecLayout {
    fn new(shapes: &[(usize, usize)], norm: Normalization) -> SpecLayout {
        let normalized = norm == Normalization::LayerNorm;
        let start = if normalized { 12 } else { 8 };
        let header = start + 8 * shapes.len();
        let dense: usize = shapes.iter().map(|&(i, o)| i * o + o).sum();
        let hidden = &shapes[..shapes.len().saturating_sub(1)];
        let norm_params: usize = if normalized { hidden.iter().map(|&(_, o)| 2 * o).sum() } else { 0 };
        let params = dense + norm_params;
        SpecLayout { start, header, params, len: header + 4 * params + 4 }
    }
}

/// The version and normalization a header states, as documented: version 1
/// (no normalization), or version 2 whose `u32` at byte 8 is the code, 1 for
/// [`Normalization::LayerNorm`] and nothing else. `Err(None)` when a
/// version-2 file has no room for its code (each caller has its own
/// [`Error::BadLength`]), `Err(Some(e))` for any other error. `b` has at
/// least 8 bytes and the right magic.
fn spec_version(b: &[u8]) -> Result<Normalization, Option<Error>> {
    let version = u16::from(b[4]) | u16::from(b[5]) << 8;
    match version {
        1 => Ok(Normalization::None),
        2 => {
            let code = b.get(8..12).ok_or(None)?;
            match u32::from(code[0])
                | u32::from(code[1]) << 8
                | u32::from(code[2]) << 16
                | u32::from(code[3]) << 24
            {
                1 => Ok(Normalization::LayerNorm),
                _ => Err(Some(Error::BadShape)),
            }
        }
        v => Err(Some(Error::UnsupportedVersion(v))),
    }
}

/// The shape a checkpoint's header declares, as the format's and
/// [`Shape`]'s documentation state it, written independently of
/// [`read_shape`]: the widths and the normalization, or the first error in
/// the documented order.
fn spec_read_shape(b: &[u8]) -> Result<(Vec<usize>, Normalization), Error> {
    let u16_at = |k: usize| u16::from(b[k]) | u16::from(b[k + 1]) << 8;
    let u32_at = |k: usize| u32::from(u16_at(k)) | u32::from(u16_at(k + 2)) << 16;
    if b.len() < 8 {
        return Err(Error::BadLength { expected: 8, found: b.len() });
    }
    if b[..4] != MAGIC {
        return Err(Error::BadMagic);
    }
    let norm = spec_version(b).map_err(|e| e.unwrap_or(Error::BadLength { expected: 12, found: b.len() }))?;
    let (start, min_layers) = match norm {
        Normalization::None => (8, 1),
        // A normalized network has a hidden layer: at least two layers.
        Normalization::LayerNorm => (12, 2),
    };
    let layers = usize::from(u16_at(6));
    if layers < min_layers || layers > MAX_LAYERS {
        return Err(Error::BadShape);
    }
    let header = start + 8 * layers;
    if b.len() < header {
        return Err(Error::BadLength { expected: header, found: b.len() });
    }
    let mut widths = vec![u32_at(start) as usize];
    for k in 0..layers {
        if u32_at(start + 8 * k) as usize != widths[k] {
            return Err(Error::BadShape); // a fan-in that is not the previous fan-out
        }
        widths.push(u32_at(start + 4 + 8 * k) as usize);
    }
    let classes = widths[layers];
    if widths.iter().any(|&w| w == 0 || w > MAX_WIDTH) || !(2..=MAX_CLASSES).contains(&classes) {
        return Err(Error::BadShape);
    }
    Ok((widths, norm))
}

/// The checkpoint format, versions 1 and 2, as its documentation states
/// it, written independently of the decoder: the parameters of a model of
/// these layer shapes and this normalization (in file order), or the first
/// error in the documented order.
fn spec_decode(b: &[u8], shapes: &[(usize, usize)], norm: Normalization) -> Result<Vec<f32>, Error> {
    let SpecLayout { start, header, params, len: expected } = SpecLayout::new(shapes, norm);
    let bad_length = Error::BadLength { expected, found: b.len() };
    let u16_at = |k: usize| u16::from(b[k]) | u16::from(b[k + 1]) << 8;
    let u32_at = |k: usize| u32::from(u16_at(k)) | u32::from(u16_at(k + 2)) << 16;
    if b.len() < 8 {
        return Err(bad_length);
    }
    if b[..4] != MAGIC {
        return Err(Error::BadMagic);
    }
    let declared = spec_version(b).map_err(|e| e.unwrap_or(bad_length))?;
    if declared != norm {
        return Err(Error::ShapeMismatch); // a version-1 file into a normalized model, or the reverse
    }
    if usize::from(u16_at(6)) != shapes.len() {
        return Err(Error::ShapeMismatch);
    }
    if b.len() < header {
        return Err(bad_length);
    }
    for (k, &(fan_in, fan_out)) in shapes.iter().enumerate() {
        if u32_at(start + 8 * k) as usize != fan_in || u32_at(start + 4 + 8 * k) as usize != fan_out {
            return Err(Error::ShapeMismatch);
        }
    }
    if b.len() != expected {
        return Err(bad_length);
    }
    if crc32(&b[..expected - 4]) != u32_at(expected - 4) {
        return Err(Error::ChecksumMismatch);
    }
    let values: Vec<f32> = (0..params).map(|k| f32::from_bits(u32_at(header + 4 * k))).collect();
    if values.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFiniteParameter);
    }
    Ok(values)
}
