//! Data sets in memory and as CSV in the harness's own layout: `x1,…,xD,label`.

use crate::error::quote;
use saorsa_nn::{Error, Samples};
use std::fmt;

/// A data set in memory: `features`-wide samples, row-major, with labels
/// in `0..classes`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Data {
    /// Features per sample.
    pub features: usize,
    /// Number of classes: the largest label plus one, and at least 2.
    pub classes: usize,
    /// Samples, `len() × features`, row-major.
    pub x: Vec<f32>,
    /// Labels.
    pub y: Vec<u8>,
}

impl Data {
    /// An empty data set of `features` features and `classes` classes.
    pub fn new(features: usize, classes: usize) -> Data {
        Data { features, classes, x: Vec::new(), y: Vec::new() }
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// Sample `i`'s features.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.x[i * self.features..(i + 1) * self.features]
    }

    /// The samples, one slice each.
    pub fn rows(&self) -> impl Iterator<Item = &[f32]> {
        self.x.chunks_exact(self.features.max(1))
    }

    /// Checked, as the core's run-time data view.
    pub fn samples(&self) -> Result<Samples<'_>, Error> {
        Samples::new(&self.x, &self.y, self.features, self.classes)
    }
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

/// The most feature columns a file may have (the core's widest layer).
pub const MAX_FEATURES: usize = saorsa_nn::shape::MAX_WIDTH;

/// The largest data file read (64 MiB): a longer file (or `/dev/zero`) is
/// refused after reading this much, so memory stays bounded.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The most samples (rows) a data set may have, read or generated.
pub const MAX_ROWS: usize = 1_000_000;

/// Reads a data file of at most [`MAX_FILE_BYTES`] bytes.
///
/// Only a regular file (or a symbolic link to one) is read: anything else is
/// refused before it is opened, since opening a named pipe (FIFO) blocks
/// until a writer comes, uninterruptibly, and a device may never end. What
/// was opened is checked again, in case the path changed meanwhile.
///
/// # Errors
/// A message (without the path) when the file is missing, not a regular
/// file, unreadable or too large.
pub fn read_bounded(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use crate::output::Unreadable;
    crate::output::read_capped(path, MAX_FILE_BYTES).map_err(|u| match u {
        Unreadable::Io(e) => e.to_string(),
        Unreadable::Directory => "is a directory".into(),
        Unreadable::Special(kind) => format!("{kind}, not a regular file: give a CSV file"),
        Unreadable::TooLarge => {
            format!("larger than {} MiB, the most the harness reads", MAX_FILE_BYTES >> 20)
        }
    })
}

/// Parses CSV bytes in the harness's own layout (with the `csv` crate: quoted fields, `\r\n`
/// line ends, blank lines skipped, fields trimmed), as it writes them ([`to_csv`]): a header
/// naming the feature columns `x1`, `x2`, … `xD` and a `label` column, in any order; other
/// columns are ignored. One UTF-8 byte-order mark at the start of the file (as Excel and
/// Notepad write) is ignored. Every feature must be a finite number and every label an integer
/// from 0 to 255; there must be at least one row, and at most [`MAX_ROWS`]. The labels must be
/// 0, 1, … K−1 with every class present, K ≥ 2 (the number of classes). Errors quote at most
/// [`crate::error::MAX_QUOTE`] characters of the file. A user's file, with its columns chosen
/// by name and labels that may be names, is read by [`crate::csv_data::read`].
pub fn parse_csv(bytes: &[u8]) -> Result<Data, CsvError> {
    let (data, last) = parse_rows(bytes)?;
    check_classes(&data, last, "label")?;
    Ok(data)
}

/// Checks that the labels are 0, 1, … K−1, each with rows, K ≥ 2: a gap (labels 0 and 5) or a
/// single class would train output units that no sample ever asks for. The error names `last`,
/// the line of the last row (the data up to it is what lacks a class), and the label `column`.
pub(crate) fn check_classes(data: &Data, last: u64, column: &str) -> Result<(), CsvError> {
    let mut present = vec![false; data.classes];
    data.y.iter().for_each(|&l| present[usize::from(l)] = true);
    if let Some(absent) = present.iter().position(|&p| !p) {
        let seen: Vec<String> =
            present.iter().enumerate().filter(|p| *p.1).map(|(c, _)| c.to_string()).collect();
        let labels = crate::error::listing(&seen);
        let column = quote(column);
        return Err(CsvError {
            line: last as usize,
            message: if seen.len() < 2 {
                format!(
                    "column `{column}`: every row has label {labels}; a classifier needs at least two classes"
                )
            } else {
                format!(
                    "column `{column}`: labels must be 0, 1, … K−1 with every class present; class {absent} has no rows (labels found: {labels})"
                )
            },
        });
    }
    Ok(())
}

/// [`parse_csv`] without its rule on classes: for the harness's own split files
/// (`data/train.csv`, `data/val.csv`), where a small split may lack a class that
/// the whole data set has. Returns the data and the line of its last row.
///
/// # Errors
/// As [`parse_csv`], but for the classes.
pub fn parse_rows(bytes: &[u8]) -> Result<(Data, u64), CsvError> {
    let label = |field: &str| {
        field
            .parse::<u8>()
            .map_err(|_| format!("label must be an integer from 0 to 255, found `{}`", quote(field)))
    };
    read_table(bytes, |h| Ok(Picked { features: numbered(h, None, false)?, label: h.only("label")? }), label)
}

/// A CSV file's header as [`read_table`] shows it to the code that picks the columns.
pub(crate) struct Header {
    /// The column names (trimmed; bytes that are not UTF-8 as U+FFFD).
    pub names: Vec<String>,
    /// The header's 1-based line.
    pub line: u64,
    /// The first data row's fields (trimmed), if there is a row.
    pub first: Option<Vec<String>>,
}

impl Header {
    /// The error `message` on the header's line.
    pub fn error(&self, message: String) -> CsvError {
        CsvError { line: self.line as usize, message }
    }

    /// The column named `name`, if there is exactly one.
    ///
    /// # Errors
    /// A name that two columns have.
    pub fn find(&self, name: &str) -> Result<Option<usize>, CsvError> {
        let mut found = self.names.iter().enumerate().filter(|(_, n)| *n == name);
        match (found.next(), found.next()) {
            (Some((i, _)), None) => Ok(Some(i)),
            (None, _) => Ok(None),
            (Some(_), Some(_)) => Err(self.error(format!("column `{}` appears twice", quote(name)))),
        }
    }

    /// The header as a message quotes it.
    pub fn text(&self) -> String {
        quote(&self.names.join(","))
    }

    /// The column named `name`.
    ///
    /// # Errors
    /// A name that no column or two columns have.
    pub fn only(&self, name: &str) -> Result<usize, CsvError> {
        self.find(name)?.ok_or_else(|| {
            self.error(format!("missing column `{}` in header `{}`", quote(name), self.text()))
        })
    }
}

/// The columns a reader takes: the features, in order, and the label.
pub(crate) struct Picked {
    /// The feature columns' indices.
    pub features: Vec<usize>,
    /// The label column's index.
    pub label: usize,
}

/// Whether the header numbers its feature columns `x0`/`x1`, `x2`, … (the harness's own
/// layout): some column is named `x` and a number.
pub(crate) fn is_numbered<'a>(mut names: impl Iterator<Item = &'a str>) -> bool {
    names.any(|n| x_number(n).is_some())
}

fn x_number(name: &str) -> Option<usize> {
    name.strip_prefix('x').and_then(|d| d.parse::<usize>().ok())
}

/// The numbered feature columns `x1`, `x2`, … `xD` in the order of their numbers (from `x0`
/// when `zero` allows it and the header has one), passing over `label` (the label column's
/// name, when it is one of them); other columns are ignored. Returns their indices.
///
/// # Errors
/// A gap in the numbers (`x1`, `x3`), more than [`MAX_FEATURES`], no `x1`, a name twice.
pub(crate) fn numbered(header: &Header, label: Option<&str>, zero: bool) -> Result<Vec<usize>, CsvError> {
    let from = usize::from(!zero || label == Some("x0") || header.find("x0")?.is_none());
    let mut columns = Vec::new();
    let mut next = from;
    while columns.len() < MAX_FEATURES {
        let name = format!("x{next}");
        next += 1;
        if label == Some(name.as_str()) {
            continue;
        }
        match header.find(&name)? {
            Some(i) => columns.push(i),
            None => {
                next -= 1;
                break;
            }
        }
    }
    let missing = |name: &str| header.error(format!("missing column `{name}` in header `{}`", header.text()));
    if columns.is_empty() {
        return Err(missing("x1"));
    }
    if let Some(extra) = header
        .names
        .iter()
        .find(|n| Some(n.as_str()) != label && x_number(n).is_some_and(|k| k >= next && k > 0))
    {
        if columns.len() == MAX_FEATURES {
            return Err(header.error(format!(
                "more than {MAX_FEATURES} feature columns (`{}`), the most the harness reads",
                quote(extra)
            )));
        }
        return Err(missing(&format!("x{next}` (before `{}", quote(extra))));
    }
    Ok(columns)
}

/// Reads CSV bytes (see [`parse_csv`] for the format's rules) with the columns `pick` chooses
/// from the header and the first row, and each label as `label` reads it (a message on
/// failure). The classes are the largest label plus one, at least 2. Returns the data and the
/// line of its last row.
///
/// # Errors
/// The first line that is not valid: UTF-8, the header (what `pick` says), a row of another
/// length, a feature that is not a finite number in `f32`'s range, a label `label` refuses; no
/// rows or more than [`MAX_ROWS`].
pub(crate) fn read_table(
    bytes: &[u8],
    pick: impl FnOnce(&Header) -> Result<Picked, CsvError>,
    mut label: impl FnMut(&str) -> Result<u8, String>,
) -> Result<(Data, u64), CsvError> {
    let err = |line: u64, message: String| CsvError { line: line as usize, message };
    // The whole file is UTF-8 text (also the columns that are ignored).
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u64;
        return Err(err(line, "not valid UTF-8".into()));
    }
    // The `csv` reader itself skips one UTF-8 byte-order mark at the very start.
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).trim(csv::Trim::All).flexible(true).from_reader(bytes);
    let mut records =
        reader.byte_records().filter(|r| !matches!(r, Ok(r) if r.len() == 1 && r[0].is_empty())).peekable();
    let header = match records.next() {
        None => return Err(err(1, "empty file: expected a header `x1,x2,label`".into())),
        Some(Err(e)) => return Err(csv_error(e)),
        Some(Ok(h)) => h,
    };
    let lossy = |r: &csv::ByteRecord| -> Vec<String> {
        r.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect()
    };
    let first = records.peek().and_then(|r| r.as_ref().ok()).map(lossy);
    let header = Header { names: lossy(&header), line: line_of(bytes, header.position()), first };
    let picked = pick(&header)?;
    let names = header.names;
    let mut data = Data::new(picked.features.len(), 2);
    let mut last = None;
    for record in records {
        let record = record.map_err(csv_error)?;
        // Counted only for an error: counting for every row is quadratic.
        let line = || line_of(bytes, record.position());
        if data.y.len() == MAX_ROWS {
            return Err(err(line(), format!("more than {MAX_ROWS} rows, the most the harness reads")));
        }
        if record.len() != names.len() {
            return Err(err(line(), format!("expected {} fields, found {}", names.len(), record.len())));
        }
        let text =
            |i: usize| std::str::from_utf8(&record[i]).map_err(|_| err(line(), "not valid UTF-8".into()));
        for &c in &picked.features {
            let (field, name) = (text(c)?, quote(&names[c]));
            let v = match field.parse::<f32>() {
                Ok(v) if v.is_finite() => v,
                // Finite as a real number, but beyond f32's largest (3.4028235e38).
                Ok(_) if field.parse::<f64>().is_ok_and(f64::is_finite) => {
                    return Err(err(
                        line(),
                        format!("{name} is outside f32's range (±{:e}): `{}`", f32::MAX, quote(field)),
                    ));
                }
                Ok(_) => return Err(err(line(), format!("{name} is not finite: `{}`", quote(field)))),
                Err(_) => return Err(err(line(), format!("{name} is not a number: `{}`", quote(field)))),
            };
            data.x.push(v);
        }
        let l = label(text(picked.label)?).map_err(|m| err(line(), m))?;
        data.classes = data.classes.max(usize::from(l) + 1);
        data.y.push(l);
        last = record.position().cloned();
    }
    if data.is_empty() {
        return Err(err(header.line + 1, "no data rows after the header".into()));
    }
    Ok((data, line_of(bytes, last.as_ref())))
}

/// The 1-based line on which the record at `pos` starts: the reader's
/// position may precede the blank lines it skipped, so they are skipped here.
fn line_of(bytes: &[u8], pos: Option<&csv::Position>) -> u64 {
    let Some(pos) = pos else { return 0 };
    let mut b = (pos.byte() as usize).min(bytes.len());
    let mut line = 1 + bytes[..b].iter().filter(|&&c| c == b'\n').count() as u64;
    while b < bytes.len() && matches!(bytes[b], b'\n' | b'\r') {
        line += u64::from(bytes[b] == b'\n');
        b += 1;
    }
    line
}

fn csv_error(e: csv::Error) -> CsvError {
    let line = e.position().map_or(0, |p| p.line()) as usize;
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_string(),
        _ => e.to_string(),
    };
    CsvError { line, message }
}

/// Writes `x1,…,xD,label` CSV. Floats use Rust's shortest round-trip form,
/// so [`parse_csv`] reads back exactly the same `f32` bits.
pub fn to_csv(data: &Data) -> String {
    let header = (1..=data.features).map(|k| format!("x{k}")).chain(["label".to_string()]);
    let rows = data.rows().zip(&data.y).map(|(row, l)| row.iter().map(f32::to_string).chain([l.to_string()]));
    crate::output::csv_text(std::iter::once(header.collect::<Vec<_>>()).chain(rows.map(Iterator::collect)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data2(x: &[[f32; 2]], y: &[u8]) -> Data {
        Data { features: 2, classes: 2, x: x.as_flattened().to_vec(), y: y.to_vec() }
    }

    #[test]
    fn round_trip_is_bit_exact() {
        let d = data2(&[[0.1f32, -3.4028235e38], [1e-45, 0.333_333_34], [-0.0, 7.0]], &[0, 1, 1]);
        let back = parse_csv(to_csv(&d).as_bytes()).unwrap();
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back.x), bits(&d.x));
        assert_eq!(back.y, d.y);
        assert_eq!(
            to_csv(&d),
            "x1,x2,label\n0.1,-340282350000000000000000000000000000000,0\n0.000000000000000000000000000000000000000000001,0.33333334,1\n-0,7,1\n"
        );
    }

    #[test]
    fn any_number_of_features_and_classes() {
        let d = parse_csv(b"x3,label,x1,x2\n3,4,1,2\n6,0,4,5\n0,1,0,0\n0,2,0,0\n0,3,0,0\n").unwrap();
        assert_eq!((d.features, d.classes), (3, 5));
        assert_eq!(&d.x[..6], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(d.y, vec![4, 0, 1, 2, 3]);
        let one = parse_csv(b"x1,label\n0.5,0\n-1,1\n").unwrap();
        assert_eq!((one.features, one.classes), (1, 2));
        assert_eq!(parse_csv(to_csv(&d).as_bytes()).unwrap(), d);
    }

    #[test]
    fn columns_in_any_order_with_extras_quotes_and_crlf() {
        let d = parse_csv(b"label, id ,x2,x1\r\n1,a,2.5,-1\r\n\r\n0,\"b, c\",0,\"3\"\r\n").unwrap();
        assert_eq!(d.x, vec![-1.0, 2.5, 3.0, 0.0]);
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
        assert_eq!(d.x, vec![1.0, 2.5, 0.0, -1.0]);
        assert_eq!(d.y, vec![0, 1]);
        let d = parse_csv(b"\xEF\xBB\xBFlabel,x2,x1\n1,2,3\n0,4,5\n").unwrap();
        assert_eq!((d.x, d.y), (vec![3.0, 2.0, 5.0, 4.0], vec![1, 0]));
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
        let cases: [(&[u8], usize, &str); 12] = [
            (b"", 1, "empty file"),
            (b"x2,label\n1,0\n", 1, "missing column `x1`"),
            (b"x1,x3,label\n1,2,0\n", 1, "missing column `x2`"),
            (b"x1,x2\n1,0\n", 1, "missing column `label`"),
            (b"x1,x1,label\n1,0,0\n", 1, "column `x1` appears twice"),
            (b"x1,x2,label\n", 2, "no data rows"),
            (b"x1,x2,label\n1,2,0\n1,2\n", 3, "expected 3 fields"),
            (b"x1,x2,label\n1,2,0\nNaN,2,1\n", 3, "x1 is not finite"),
            (b"x1,x2,label\n1,inf,0\n", 2, "x2 is not finite"),
            (b"x1,x2,label\n1,abc,0\n", 2, "x2 is not a number"),
            (b"x1,x2,label\n1,2,256\n", 2, "label must be an integer from 0 to 255"),
            (b"x1,x2,label\n1,2,0\n\xff,1,0\n", 3, "not valid UTF-8"),
        ];
        assert_errors(&cases);
    }

    /// Labels are 0 … K−1 with every class present, K ≥ 2; the error names
    /// the last row (the data up to it is what lacks a class).
    #[test]
    fn every_class_has_rows() {
        let cases: [(&[u8], usize, &str); 4] = [
            (
                b"x1,x2,label\n1,2,0\n3,4,0\n",
                3,
                "every row has label 0; a classifier needs at least two classes",
            ),
            (b"x1,x2,label\n1,2,1\n", 2, "every row has label 1"),
            (b"x1,x2,label\n1,2,0\n3,4,5\n\n", 3, "class 1 has no rows (labels found: 0, 5)"),
            (b"x1,x2,label\n1,2,2\n3,4,1\n", 3, "class 0 has no rows (labels found: 1, 2)"),
        ];
        assert_errors(&cases);
        let d = parse_csv(b"x1,x2,label\n1,2,2\n3,4,0\n5,6,1\n").unwrap();
        assert_eq!((d.classes, d.y), (3, vec![2, 0, 1]));
    }

    /// Issue 29, item 16: each limit is named as what it is.
    #[test]
    fn limits_are_named_for_what_they_are() {
        // More feature columns than the harness reads: not a "missing column".
        let header: Vec<String> = (1..=MAX_FEATURES + 1).map(|k| format!("x{k}")).collect();
        let mut text = header.join(",") + ",label\n";
        text.push_str(&"0,".repeat(MAX_FEATURES + 1));
        text.push_str("0\n");
        let e = parse_csv(text.as_bytes()).unwrap_err();
        assert_eq!(e.line, 1, "{e}");
        assert!(e.message.contains("more than 4096 feature columns"), "{e}");
        assert!(!e.message.contains("missing"), "{e}");
        // A gap below the limit is still a missing column.
        let e = parse_csv(b"x1,x2,x4097,label\n1,2,3,0\n").unwrap_err();
        assert!(e.message.contains("missing column `x3` (before `x4097`"), "{e}");
        // Finite as a number, beyond f32: out of range, not "not finite".
        for big in ["3.7e38", "-1e39", "1e300"] {
            let csv = format!("x1,x2,label\n1,{big},0\n");
            let e = parse_csv(csv.as_bytes()).unwrap_err();
            assert_eq!(e.line, 2, "{e}");
            assert!(e.message.contains("x2 is outside f32's range (±3.4028235e38)"), "{e}");
        }
        // f32's largest itself is read; infinities and NaN are still "not finite".
        assert!(parse_csv(b"x1,label\n3.4028235e38,0\n0,1\n").is_ok());
        assert!(parse_csv(b"x1,label\n1e999,0\n").unwrap_err().message.contains("x1 is not finite"));
        assert!(parse_csv(b"x1,label\n-inf,0\n").unwrap_err().message.contains("x1 is not finite"));
    }

    /// Issue 29, item 10: a list of labels in a message is capped.
    #[test]
    fn the_labels_found_are_listed_briefly() {
        let mut text = String::from("x1,label\n");
        for l in (0..=255).filter(|&l| l != 3) {
            text.push_str(&format!("0,{l}\n"));
        }
        let e = parse_csv(text.as_bytes()).unwrap_err();
        assert!(
            e.message
                .contains("class 3 has no rows (labels found: 0, 1, 2, 4, 5, 6, 7, 8, 9, 10 and 245 more)"),
            "{e}"
        );
        assert!(e.to_string().len() < 200, "{e}");
    }
}
