//! `dataset_csv`: the harness's CSV loader on arbitrary bytes.

use harness::dataset::{parse_csv, to_csv};

/// [`parse_csv`] on arbitrary bytes.
///
/// Properties: no panic. `Ok`: at least one row, `features` values per
/// label, every value finite, every label below `classes` (at least 2), and
/// [`to_csv`] of the result reads back to the same bits; for inputs without
/// quotes or bare `\r` line ends, one row per non-blank line after the
/// header. `Err`: a non-empty message and a line that exists (1 ≤ line ≤
/// lines + 1; "no data rows" names the line after the header) and, for
/// inputs without quotes or bare `\r`, that is the cause: the input cut
/// after that line fails with the same error. (A quoted field may span
/// lines, and the `csv` crate also ends a record at a bare `\r`.)
pub fn dataset_csv(bytes: &[u8]) {
    let line_based = !bytes.contains(&b'"')
        && !bytes.windows(2).any(|w| w[0] == b'\r' && w[1] != b'\n')
        && bytes.last() != Some(&b'\r');
    match parse_csv(bytes) {
        Ok(d) => {
            assert!(!d.y.is_empty(), "Ok with no rows");
            assert!(
                d.features >= 1 && d.classes >= 2,
                "Ok with {} features, {} classes",
                d.features,
                d.classes
            );
            assert_eq!(d.x.len(), d.y.len() * d.features, "samples and labels differ in number");
            assert!(d.x.iter().all(|v| v.is_finite()), "Ok with a non-finite value");
            assert!(d.y.iter().all(|&l| usize::from(l) < d.classes), "Ok with a label out of range");
            if line_based {
                let text = std::str::from_utf8(bytes).expect("Ok input is UTF-8");
                let rows = text.lines().filter(|l| !l.trim().is_empty()).count() - 1;
                assert_eq!(d.y.len(), rows, "one sample per non-blank line after the header");
            }
            let back = parse_csv(to_csv(&d).as_bytes()).expect("to_csv output parses");
            let bits = |x: &[f32]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&back.x), bits(&d.x), "to_csv then parse_csv changed a value");
            assert_eq!(back.y, d.y, "to_csv then parse_csv changed a label");
        }
        Err(e) => {
            assert!(!e.message.is_empty(), "an error without a message");
            let pieces: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
            assert!(
                (1..=pieces.len() + 1).contains(&e.line),
                "error names line {} of {}: {e}",
                e.line,
                pieces.len()
            );
            if line_based && e.line <= pieces.len() {
                let prefix = pieces[..e.line].join(&b'\n');
                let again = parse_csv(&prefix);
                assert_eq!(
                    again.as_ref().err(),
                    Some(&e),
                    "the input cut after line {} gives {again:?}",
                    e.line
                );
            }
        }
    }
}
