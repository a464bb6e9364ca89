//! Checkpoints: layout, round trip, every decode error, and networks read
//! from a checkpoint into caller-supplied storage.

use saorsa_nn::checkpoint::{MAGIC, VERSION, read_shape};
use saorsa_nn::{Error, Init, Mlp, Network, Normalization, PaperNet, Shape, crc32};

fn trained_net() -> Box<PaperNet> {
    let mut net = Box::new(PaperNet::new());
    net.init_from_seed(Init::HeNormal, 5).unwrap();
    net.output.bias = [0.25, -0.5];
    net
}

fn encoded(net: &PaperNet) -> Vec<u8> {
    let mut buf = vec![0u8; PaperNet::CHECKPOINT_BYTES];
    assert_eq!(net.encode_checkpoint(&mut buf), Ok(PaperNet::CHECKPOINT_BYTES));
    buf
}

/// Rewrites the trailing CRC so that a test reaches the checks behind it.
fn reseal(buf: &mut [u8]) {
    let n = buf.len() - 4;
    let crc = crc32(&buf[..n]);
    buf[n..].copy_from_slice(&crc.to_le_bytes());
}

#[test]
fn crc32_is_zlibs() {
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(crc32(b""), 0);
    assert_eq!(crc32(b"The quick brown fox jumps over the lazy dog"), 0x414F_A339);
    // In pieces, split anywhere.
    let text = b"The quick brown fox jumps over the lazy dog";
    for k in 0..=text.len() {
        assert_eq!(saorsa_nn::crc32_update(crc32(&text[..k]), &text[k..]), 0x414F_A339, "split at {k}");
    }
}

#[test]
fn layout_is_the_documented_one() {
    let net = trained_net();
    let buf = encoded(&net);
    assert_eq!(PaperNet::CHECKPOINT_BYTES, 8 + 4 * 8 + 4 * 8642 + 4);
    assert_eq!(&buf[..4], b"SNN1");
    assert_eq!(&buf[4..6], &1u16.to_le_bytes());
    assert_eq!(&buf[6..8], &4u16.to_le_bytes());
    let dims: Vec<u32> =
        buf[8..40].chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap())).collect();
    assert_eq!(dims, [2, 64, 64, 64, 64, 64, 64, 2]);
    // First layer: 2×64 weights row-major, then 64 biases.
    let f = |k: usize| f32::from_le_bytes(buf[40 + 4 * k..44 + 4 * k].try_into().unwrap());
    assert_eq!(f(0), net.input.weights[0][0]);
    assert_eq!(f(1), net.input.weights[0][1]);
    assert_eq!(f(64), net.input.weights[1][0]);
    assert_eq!(f(128), 0.0);
    // Last two floats before the CRC are the output biases.
    assert_eq!(f(8640), 0.25);
    assert_eq!(f(8641), -0.5);
    let n = buf.len();
    assert_eq!(u32::from_le_bytes(buf[n - 4..].try_into().unwrap()), crc32(&buf[..n - 4]));
    assert_eq!((MAGIC, VERSION), (*b"SNN1", 1));
}

#[test]
fn round_trip_is_exact() {
    let net = trained_net();
    let buf = encoded(&net);
    let mut back = Box::new(PaperNet::new());
    back.decode_checkpoint(&buf).unwrap();
    assert_eq!(*back, *net);
    assert_eq!(encoded(&back), buf);
}

#[test]
fn encode_refuses_a_short_buffer_and_writes_nothing() {
    let net = trained_net();
    let mut buf = vec![7u8; PaperNet::CHECKPOINT_BYTES - 1];
    assert_eq!(
        net.encode_checkpoint(&mut buf),
        Err(Error::BufferTooSmall { needed: PaperNet::CHECKPOINT_BYTES })
    );
    assert!(buf.iter().all(|&b| b == 7));
}

#[test]
fn encode_refuses_a_non_finite_parameter_and_writes_nothing() {
    // A checkpoint the decoder would refuse is never written: every
    // checkpoint that encodes, decodes.
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        let mut net = trained_net();
        net.hidden[1].weights[3][7] = bad;
        let mut buf = vec![7u8; PaperNet::CHECKPOINT_BYTES];
        assert_eq!(net.encode_checkpoint(&mut buf), Err(Error::NonFiniteParameter));
        assert!(buf.iter().all(|&b| b == 7));
        let mut net = trained_net();
        net.output.bias[1] = bad;
        assert_eq!(net.encode_checkpoint(&mut buf), Err(Error::NonFiniteParameter));
        assert!(buf.iter().all(|&b| b == 7));
    }
    // A short buffer is reported first.
    let mut net = trained_net();
    net.output.bias[0] = f32::NAN;
    let mut short = vec![0u8; 8];
    assert_eq!(
        net.encode_checkpoint(&mut short),
        Err(Error::BufferTooSmall { needed: PaperNet::CHECKPOINT_BYTES })
    );
}

#[test]
fn every_decode_error_is_distinct_and_leaves_the_model_unchanged() {
    let good = encoded(&trained_net());
    let expected = PaperNet::CHECKPOINT_BYTES;
    let mut target = Box::new(PaperNet::new());
    target.init_from_seed(Init::GlorotNormal, 1).unwrap();
    let before = target.clone();

    let mut cases: Vec<(Vec<u8>, Error)> = Vec::new();
    cases.push((good[..5].to_vec(), Error::BadLength { expected, found: 5 }));
    let mut b = good.clone();
    b[0] = b'X';
    cases.push((b, Error::BadMagic));
    let mut b = good.clone();
    b[4] = 3;
    cases.push((b, Error::UnsupportedVersion(3)));
    // Version 2 reads a normalization code where version 1 has the first
    // fan-in (2 here): not a code it knows.
    let mut b = good.clone();
    b[4] = 2;
    cases.push((b, Error::BadShape));
    let mut b = good.clone();
    b[6] = 5;
    cases.push((b, Error::ShapeMismatch));
    let mut b = good.clone();
    b[12] = 32; // first layer's fan_out 64 -> 32
    reseal(&mut b);
    cases.push((b, Error::ShapeMismatch));
    cases.push((good[..20].to_vec(), Error::BadLength { expected, found: 20 }));
    cases.push((good[..expected - 1].to_vec(), Error::BadLength { expected, found: expected - 1 }));
    let mut b = good.clone();
    b.push(0);
    cases.push((b, Error::BadLength { expected, found: expected + 1 }));
    let mut b = good.clone();
    b[100] ^= 1;
    cases.push((b, Error::ChecksumMismatch));
    let mut b = good.clone();
    b[40..44].copy_from_slice(&f32::NAN.to_le_bytes());
    reseal(&mut b);
    cases.push((b, Error::NonFiniteParameter));

    for (bytes, error) in cases {
        assert_eq!(target.decode_checkpoint(&bytes), Err(error));
        assert_eq!(*target, *before, "{error:?} changed the model");
    }
}

#[test]
fn a_checkpoint_of_another_shape_is_a_shape_mismatch() {
    let mut small = Box::new(Mlp::<2, 8, 0, 2>::new());
    small.init_from_seed(Init::HeNormal, 0).unwrap();
    let mut buf = vec![0u8; Mlp::<2, 8, 0, 2>::CHECKPOINT_BYTES];
    small.encode_checkpoint(&mut buf).unwrap();
    let mut paper = Box::new(PaperNet::new());
    assert_eq!(paper.decode_checkpoint(&buf), Err(Error::ShapeMismatch));
    let mut other = Box::new(Mlp::<2, 8, 1, 2>::new());
    assert_eq!(other.decode_checkpoint(&buf), Err(Error::ShapeMismatch));
    let mut same = Box::new(Mlp::<2, 8, 0, 2>::new());
    same.decode_checkpoint(&buf).unwrap();
    assert_eq!(*same, *small);
}

/// A network of `widths` (normalized or not) from model seed `seed`, its
/// biases, gains and shifts set to values that a sloppy copy would change
/// (`−0`, subnormals, odd fractions), and its checkpoint.
fn network_and_checkpoint(widths: &[usize], norm: Normalization, seed: u64) -> (Network<Vec<f32>>, Vec<u8>) {
    let shape = Shape::new(widths).unwrap().with_normalization(norm);
    let mut net = Network::new(shape.clone(), vec![0.0; shape.parameter_count()]).unwrap();
    net.init_from_seed(Init::HeNormal, seed).unwrap();
    let specials = [-0.0, f32::from_bits(1), -f32::MIN_POSITIVE / 3.0, 1.0 / 3.0, -1e30];
    for (k, v) in net.parameters_mut().iter_mut().enumerate().filter(|(k, _)| k % 7 == 3) {
        *v = specials[k % specials.len()];
    }
    let mut bytes = vec![0u8; shape.checkpoint_bytes()];
    assert_eq!(net.encode_checkpoint(&mut bytes), Ok(bytes.len()));
    (net, bytes)
}

const SHAPES: [(&[usize], Normalization); 4] = [
    (&[2, 64, 64, 64, 2], Normalization::None),
    (&[3, 5], Normalization::None),
    (&[4, 9, 17, 3], Normalization::LayerNorm),
    (&[2, 8, 2], Normalization::LayerNorm),
];

#[test]
fn from_checkpoint_round_trips_bit_exactly() {
    for (seed, (widths, norm)) in SHAPES.into_iter().enumerate() {
        let (net, bytes) = network_and_checkpoint(widths, norm, seed as u64);
        let count = read_shape(&bytes).unwrap().parameter_count();
        assert_eq!(count, net.parameters().len());
        let back = Network::from_checkpoint(&bytes, vec![f32::NAN; count]).unwrap();
        assert_eq!(back.shape(), net.shape(), "{widths:?}");
        let bits = |n: &Network<Vec<f32>>| n.parameters().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&net), "{widths:?}");
        let mut again = vec![0u8; bytes.len()];
        assert_eq!(back.encode_checkpoint(&mut again), Ok(bytes.len()));
        assert_eq!(again, bytes, "{widths:?}");
        // Caller-owned storage without allocation: a borrowed slice.
        let mut storage = vec![7.0f32; count];
        let borrowed = Network::from_checkpoint(&bytes, &mut storage[..]).unwrap();
        assert_eq!(borrowed.parameters(), net.parameters());
    }
    // A typed network's checkpoint reads back as the same parameters.
    let paper = trained_net();
    let bytes = encoded(&paper);
    let back = Network::from_checkpoint(&bytes, vec![0.0; 8642]).unwrap();
    assert_eq!(back.shape(), &PaperNet::shape());
    let mut typed = Box::new(PaperNet::new());
    typed.decode_checkpoint(&bytes).unwrap();
    assert_eq!(*typed, *paper);
    let flat: Vec<f32> = typed.layers().flat_map(|l| [l.weights, l.bias].concat()).collect();
    assert_eq!(back.parameters(), flat);
}

#[test]
fn from_checkpoint_refuses_a_truncated_input() {
    for (seed, (widths, norm)) in SHAPES.into_iter().enumerate() {
        let (_, bytes) = network_and_checkpoint(widths, norm, seed as u64);
        let shape = read_shape(&bytes).unwrap();
        let count = shape.parameter_count();
        let header = bytes.len() - 4 * count - 4;
        for k in 0..bytes.len() {
            let mut storage = vec![7.0f32; count];
            let got = Network::from_checkpoint(&bytes[..k], &mut storage[..]).map(|_| ());
            let want = match k {
                0..8 => Error::BadLength { expected: 8, found: k },
                _ if k < header && norm == Normalization::LayerNorm && k < 12 => {
                    Error::BadLength { expected: 12, found: k }
                }
                _ if k < header => Error::BadLength { expected: header, found: k },
                _ => Error::BadLength { expected: bytes.len(), found: k },
            };
            assert_eq!(got, Err(want), "{widths:?} cut to {k} bytes");
            assert!(storage.iter().all(|&v| v == 7.0), "{widths:?} cut to {k} bytes wrote the storage");
        }
        // A byte too many is refused too, as by `decode_checkpoint`.
        let mut longer = bytes.clone();
        longer.push(0);
        let got = Network::from_checkpoint(&longer, vec![0.0; count]).map(|_| ());
        assert_eq!(got, Err(Error::BadLength { expected: bytes.len(), found: bytes.len() + 1 }));
    }
}

#[test]
fn from_checkpoint_refuses_storage_of_another_length() {
    for (seed, (widths, norm)) in SHAPES.into_iter().enumerate() {
        let (_, bytes) = network_and_checkpoint(widths, norm, seed as u64);
        let count = read_shape(&bytes).unwrap().parameter_count();
        for found in [0, 1, count - 1, count + 1, 2 * count] {
            let mut storage = vec![7.0f32; found];
            let got = Network::from_checkpoint(&bytes, &mut storage[..]).map(|_| ());
            assert_eq!(got, Err(Error::StorageLength { expected: count, found }), "{widths:?}");
            assert!(storage.iter().all(|&v| v == 7.0));
        }
    }
    assert_eq!(
        Error::StorageLength { expected: 5, found: 4 }.to_string(),
        "checkpoint: 5 parameters, but the storage holds 4 f32 elements"
    );
}

#[test]
fn from_checkpoint_refuses_a_damaged_crc() {
    for (seed, (widths, norm)) in SHAPES.into_iter().enumerate() {
        let (_, bytes) = network_and_checkpoint(widths, norm, seed as u64);
        let count = read_shape(&bytes).unwrap().parameter_count();
        let n = bytes.len();
        // A flipped bit in the CRC itself, in a parameter, and in the last parameter byte.
        for at in [n - 4, n - 1, n - 4 - 4 * count, n - 5] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x10;
            let mut storage = vec![7.0f32; count];
            let got = Network::from_checkpoint(&bad, &mut storage[..]).map(|_| ());
            assert_eq!(got, Err(Error::ChecksumMismatch), "{widths:?}, byte {at}");
            assert!(storage.iter().all(|&v| v == 7.0));
        }
    }
}

#[test]
fn from_checkpoint_reports_header_errors_first() {
    let (_, bytes) = network_and_checkpoint(&[2, 8, 2], Normalization::None, 0);
    let mut bad = bytes.clone();
    bad[0] = b'X';
    assert_eq!(Network::from_checkpoint(&bad, vec![0.0; 1]).map(|_| ()), Err(Error::BadMagic));
    let mut bad = bytes.clone();
    bad[4] = 9;
    assert_eq!(Network::from_checkpoint(&bad, vec![0.0; 1]).map(|_| ()), Err(Error::UnsupportedVersion(9)));
    // A parameter made infinite, the CRC resealed: refused after the storage check.
    let count = read_shape(&bytes).unwrap().parameter_count();
    let mut bad = bytes.clone();
    let at = bad.len() - 8;
    bad[at..at + 4].copy_from_slice(&f32::INFINITY.to_le_bytes());
    reseal(&mut bad);
    assert_eq!(Network::from_checkpoint(&bad, vec![0.0; count]).map(|_| ()), Err(Error::NonFiniteParameter));
    assert_eq!(
        Network::from_checkpoint(&bad, vec![0.0; count + 1]).map(|_| ()),
        Err(Error::StorageLength { expected: count, found: count + 1 })
    );
}
