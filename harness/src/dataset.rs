//! Two-dimensional data sets as CSV: `x1,x2,label`.

use std::fmt;

/// A two-feature, two-class data set in memory.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Data {
    /// Samples.
    pub x: Vec<[f32; 2]>,
    /// Labels, 0 or 1.
    pub y: Vec<u8>,
}

/// Why a CSV file could not be read: the 1-based line and what is wrong there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvError {
    /// 1-based line number (1 is the header).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CsvError {}

const COLUMNS: [&str; 3] = ["x1", "x2", "label"];

/// Parses CSV bytes with a header naming `x1`, `x2` and `label` (in any
/// order; other columns are ignored). One UTF-8 byte-order mark at the start
/// of the file (as Excel and Notepad write) is ignored, blank lines are
/// skipped, `\r\n` line ends accepted, fields trimmed. Every value of `x1`
/// and `x2` must be a finite number and every label 0 or 1; there must be at
/// least one row.
pub fn parse_csv(bytes: &[u8]) -> Result<Data, CsvError> {
    let err = |line: usize, message: String| CsvError { line, message };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
        err(line, "not valid UTF-8".into())
    })?;
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(err(1, "empty file: expected a header `x1,x2,label`".into()));
    };
    // A byte-order mark is not whitespace: when the file starts with one,
    // line 1 is not blank, so it is the header, and the mark leads it.
    let header =
        if text.starts_with('\u{feff}') { header.strip_prefix('\u{feff}').unwrap_or(header) } else { header };
    let names: Vec<&str> = header.split(',').map(str::trim).collect();
    let mut index = [0usize; 3];
    for (slot, column) in index.iter_mut().zip(COLUMNS) {
        let mut found = names.iter().enumerate().filter(|(_, n)| **n == column);
        *slot = match (found.next(), found.next()) {
            (Some((i, _)), None) => i,
            (None, _) => {
                return Err(err(header_line, format!("missing column `{column}` in header `{header}`")));
            }
            (Some(_), Some(_)) => return Err(err(header_line, format!("column `{column}` appears twice"))),
        };
    }
    let mut data = Data::default();
    for (line, row) in lines {
        let fields: Vec<&str> = row.split(',').map(str::trim).collect();
        if fields.len() != names.len() {
            return Err(err(line, format!("expected {} fields, found {}", names.len(), fields.len())));
        }
        let mut xy = [0.0f32; 2];
        for (k, v) in xy.iter_mut().enumerate() {
            let field = fields[index[k]];
            *v = match field.parse::<f32>() {
                Ok(v) if v.is_finite() => v,
                Ok(_) => return Err(err(line, format!("{} is not finite: `{field}`", COLUMNS[k]))),
                Err(_) => return Err(err(line, format!("{} is not a number: `{field}`", COLUMNS[k]))),
            };
        }
        let label = match fields[index[2]] {
            "0" => 0,
            "1" => 1,
            other => return Err(err(line, format!("label must be 0 or 1, found `{other}`"))),
        };
        data.x.push(xy);
        data.y.push(label);
    }
    if data.x.is_empty() {
        return Err(err(header_line + 1, "no data rows after the header".into()));
    }
    Ok(data)
}

/// Writes `x1,x2,label` CSV. Floats use Rust's shortest round-trip form, so
/// [`parse_csv`] reads back exactly the same `f32` bits.
pub fn to_csv(x: &[[f32; 2]], y: &[u8]) -> String {
    let mut out = String::from("x1,x2,label\n");
    for (p, l) in x.iter().zip(y) {
        out.push_str(&format!("{},{},{}\n", p[0], p[1], l));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_is_bit_exact() {
        let x = vec![[0.1f32, -3.4028235e38], [1e-45, 0.333_333_34], [-0.0, 7.0]];
        let y = vec![0, 1, 1];
        let back = parse_csv(to_csv(&x, &y).as_bytes()).unwrap();
        let bits =
            |v: &[[f32; 2]]| v.iter().flat_map(|p| [p[0].to_bits(), p[1].to_bits()]).collect::<Vec<_>>();
        assert_eq!(bits(&back.x), bits(&x));
        assert_eq!(back.y, y);
    }

    #[test]
    fn columns_in_any_order_with_extras_and_crlf() {
        let d = parse_csv(b"label, id ,x2,x1\r\n1,a,2.5,-1\r\n\r\n0,b,0,3\r\n").unwrap();
        assert_eq!(d.x, vec![[-1.0, 2.5], [3.0, 0.0]]);
        assert_eq!(d.y, vec![1, 0]);
    }

    /// Each input is rejected at the given line with a message containing
    /// the given text.
    fn assert_errors(cases: &[(&[u8], usize, &str)]) {
        for &(bytes, line, text) in cases {
            let e = parse_csv(bytes).unwrap_err();
            assert_eq!(e.line, line, "{e}");
            assert!(e.message.contains(text), "{e}");
        }
    }

    #[test]
    fn one_leading_byte_order_mark_is_ignored() {
        let d = parse_csv(b"\xEF\xBB\xBFx1,x2,label\r\n1,2.5,0\r\n0,-1,1\r\n").unwrap();
        assert_eq!(d.x, vec![[1.0, 2.5], [0.0, -1.0]]);
        assert_eq!(d.y, vec![0, 1]);
        let d = parse_csv(b"\xEF\xBB\xBFlabel,x2,x1\n1,2,3\n").unwrap();
        assert_eq!((d.x, d.y), (vec![[3.0, 2.0]], vec![1]));
        // Only one, and only at the very start of the file.
        let cases: [(&[u8], usize, &str); 4] = [
            (b"\xEF\xBB\xBF\xEF\xBB\xBFx1,x2,label\n1,2,0\n", 1, "missing column `x1`"),
            (b"\n\xEF\xBB\xBFx1,x2,label\n1,2,0\n", 2, "missing column `x1`"),
            (b"x1,x2,label\n\xEF\xBB\xBF1,2,0\n", 2, "x1 is not a number"),
            (b"\xEF\xBB\xBFx1,x2,label\n", 2, "no data rows"),
        ];
        assert_errors(&cases);
    }

    #[test]
    fn errors_name_the_line() {
        let cases: [(&[u8], usize, &str); 9] = [
            (b"", 1, "empty file"),
            (b"x1,label\n1,0\n", 1, "missing column `x2`"),
            (b"x1,x2,label\n", 2, "no data rows"),
            (b"x1,x2,label\n1,2,0\n1,2\n", 3, "expected 3 fields"),
            (b"x1,x2,label\n1,2,0\nNaN,2,1\n", 3, "x1 is not finite"),
            (b"x1,x2,label\n1,inf,0\n", 2, "x2 is not finite"),
            (b"x1,x2,label\n1,abc,0\n", 2, "x2 is not a number"),
            (b"x1,x2,label\n1,2,2\n", 2, "label must be 0 or 1"),
            (b"x1,x2,label\n1,2,0\n\xff,1,0\n", 3, "not valid UTF-8"),
        ];
        assert_errors(&cases);
    }
}
