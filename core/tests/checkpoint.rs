//! Checkpoints: layout, round trip, and every decode error.

use saorsa_nn::checkpoint::{MAGIC, VERSION};
use saorsa_nn::{Error, Init, Mlp, PaperNet, crc32};

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
