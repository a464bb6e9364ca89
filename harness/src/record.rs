//! One run's record on disk: a small CSV file written when the run
//! finishes, which makes a run's results final (see [`crate::sweep`]).
//!
//! Every row is `name,value,value,…` (rows differ in length); the last row
//! is `crc32,HHHHHHHH`, the CRC-32 (zlib's) of every byte before it. A
//! record that is cut short, edited or corrupted fails [`Record::parse`],
//! and the run it belongs to is trained again. Numbers are written in
//! Rust's shortest round-trip form (`{}`) and read back with `str::parse`,
//! so every `f32` and `f64` comes back bit for bit.

use std::fmt::Display;
use std::str::FromStr;

/// The name of the last row.
const CRC_ROW: &str = "crc32";
/// The row naming the run a record is of.
const RUN_ROW: &str = "run";
/// The row holding the CRC-32 of the sweep's identity (`config.json`, `plan.json`).
const IDENTITY_ROW: &str = "config_crc32";

/// The most bytes a record may have: its curves for a million epochs and 64 layers fit.
pub const MAX_RECORD_BYTES: u64 = 1 << 30;

/// Builds a record row by row.
#[derive(Debug)]
pub struct RecordWriter {
    csv: csv::Writer<Vec<u8>>,
}

impl Default for RecordWriter {
    fn default() -> Self {
        RecordWriter::new()
    }
}

impl RecordWriter {
    /// An empty record.
    pub fn new() -> RecordWriter {
        RecordWriter { csv: csv::WriterBuilder::new().flexible(true).from_writer(Vec::new()) }
    }

    /// A record of run `key` in the sweep whose identity file has CRC-32 `identity`: its first
    /// two rows, which [`Record::check_envelope`] checks.
    pub fn envelope<T: Display>(key: impl IntoIterator<Item = T>, identity: u32) -> RecordWriter {
        let mut w = RecordWriter::new();
        w.row(RUN_ROW, key);
        w.row(IDENTITY_ROW, [format!("{identity:08x}")]);
        w
    }

    /// Appends the row `name,values…`.
    pub fn row<T: Display>(&mut self, name: &str, values: impl IntoIterator<Item = T>) {
        let mut fields = vec![name.to_string()];
        fields.extend(values.into_iter().map(|v| v.to_string()));
        self.csv.write_record(&fields).expect("writing to memory cannot fail");
    }

    /// The record's bytes, with the CRC row last.
    pub fn finish(self) -> Vec<u8> {
        let mut bytes = self.csv.into_inner().expect("writing to memory cannot fail");
        let crc = saorsa_nn::crc32(&bytes);
        bytes.extend_from_slice(format!("{CRC_ROW},{crc:08x}\n").as_bytes());
        bytes
    }
}

/// A record read back and checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    rows: Vec<(String, Vec<String>)>,
}

impl Record {
    /// Parses a record, checking its CRC row.
    ///
    /// # Errors
    /// A message when the bytes are not a complete, unaltered record.
    pub fn parse(bytes: &[u8]) -> Result<Record, String> {
        let body_end = bytes
            .strip_suffix(b"\n")
            .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
            .map(|k| k + 1)
            .ok_or("no CRC row: the record is incomplete")?;
        let (body, last) = bytes.split_at(body_end);
        let expected = format!("{CRC_ROW},{:08x}\n", saorsa_nn::crc32(body));
        if last != expected.as_bytes() {
            return Err("the CRC-32 does not match: the record is incomplete or altered".into());
        }
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body);
        let mut rows = Vec::new();
        for r in reader.records() {
            let r = r.map_err(|e| e.to_string())?;
            let mut fields = r.iter().map(str::to_string);
            let name = fields.next().unwrap_or_default();
            rows.push((name, fields.collect()));
        }
        Ok(Record { rows })
    }

    /// Checks that this is run `key`'s record ([`RecordWriter::envelope`]) in the sweep of
    /// identity `identity`.
    ///
    /// # Errors
    /// A message saying which does not match.
    pub fn check_envelope(&self, key: &[String], identity: u32) -> Result<(), String> {
        if self.values(RUN_ROW) != Some(key) {
            return Err("the record is another run's".into());
        }
        if self.values(IDENTITY_ROW) != Some(&[format!("{identity:08x}")][..]) {
            return Err("trained under another configuration".into());
        }
        Ok(())
    }

    /// Reads and parses the record at `path` ([`MAX_RECORD_BYTES`] at most).
    ///
    /// # Errors
    /// A message when it cannot be read or is not a whole record.
    pub fn read(path: &std::path::Path) -> Result<Record, String> {
        let bytes = crate::output::read_bounded(path, MAX_RECORD_BYTES).map_err(|e| match e {
            crate::error::Error::Io { source, .. } => format!("no record ({source})"),
            other => other.to_string(),
        })?;
        Record::parse(&bytes)
    }

    /// The values of the first row named `name`.
    pub fn values(&self, name: &str) -> Option<&[String]> {
        self.rows.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice())
    }

    /// The values of row `name`, parsed.
    ///
    /// # Errors
    /// A message naming the row when it is missing or a value does not parse.
    pub fn parsed<T: FromStr>(&self, name: &str) -> Result<Vec<T>, String> {
        let values = self.values(name).ok_or_else(|| format!("no row `{name}`"))?;
        values.iter().map(|v| v.parse().map_err(|_| format!("row `{name}`: bad value `{v}`"))).collect()
    }

    /// The single value of row `name`, parsed.
    ///
    /// # Errors
    /// A message when the row is missing, has other than one value, or it
    /// does not parse.
    pub fn one<T: FromStr>(&self, name: &str) -> Result<T, String> {
        let mut v = self.parsed(name)?;
        if v.len() != 1 {
            return Err(format!("row `{name}`: {} values, expected 1", v.len()));
        }
        Ok(v.remove(0))
    }

    /// The single value of row `name` if the row is there and not empty.
    ///
    /// # Errors
    /// A message when the value does not parse.
    pub fn optional<T: FromStr>(&self, name: &str) -> Result<Option<T>, String> {
        match self.values(name) {
            None | Some([]) => Ok(None),
            Some([v]) if v.is_empty() => Ok(None),
            Some(_) => self.one(name).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_back_bit_for_bit_and_damage_is_found() {
        let xs = [0.1f32, 1.0 / 3.0, f32::MIN_POSITIVE, 1e-45, 3.4e38];
        let ys = [0.1f64, 1.0 / 3.0, 5e-324, 1.7e308];
        let mut w = RecordWriter::new();
        w.row("xs", xs);
        w.row("ys", ys);
        w.row("error", ["epoch 3: a message, with \"quotes\"\nand a line"]);
        w.row::<f32>("empty", []);
        let bytes = w.finish();
        let r = Record::parse(&bytes).unwrap();
        let back: Vec<f32> = r.parsed("xs").unwrap();
        assert!(back.iter().zip(&xs).all(|(a, b)| a.to_bits() == b.to_bits()));
        let back: Vec<f64> = r.parsed("ys").unwrap();
        assert!(back.iter().zip(&ys).all(|(a, b)| a.to_bits() == b.to_bits()));
        assert_eq!(r.values("error").unwrap(), ["epoch 3: a message, with \"quotes\"\nand a line"]);
        assert_eq!(r.optional::<f64>("empty").unwrap(), None);
        assert!(r.one::<f32>("xs").is_err());
        // Every truncation and every single-bit flip is refused.
        for n in 0..bytes.len() {
            assert!(Record::parse(&bytes[..n]).is_err(), "cut at {n}");
        }
        for k in 0..bytes.len() * 8 {
            let mut b = bytes.clone();
            b[k / 8] ^= 1 << (k % 8);
            assert!(Record::parse(&b).is_err(), "bit {k}");
        }
    }
}
