//! A researcher's own CSV file: the label column and the feature columns chosen by name, and
//! labels that are integers, integral floats (`1.0`) or class names.
//!
//! The rules, for a file with a header row:
//! - **Label column**: the one named `label`, or the one [`Columns::label`] names.
//! - **Feature columns**: the ones [`Columns::features`] names, in that order; by default the
//!   numbered columns `x1`, `x2`, … `xD` (or `x0`, `x1`, …) in the order of their numbers when the
//!   header has such names (the layout the harness itself writes; other columns are ignored),
//!   else every column but the label whose value in the first row is a number, in the file's
//!   order.
//! - **Labels**: either every label a number — an integer from 0 to 255, or a float equal to one
//!   (`1.0` is 1), class `k` being label `k`, with 0, 1, … K−1 all present — or every label a
//!   class name: the K distinct names sorted by their bytes, numbered 0, 1, … K−1
//!   ([`Table::class_names`]).
//!
//! A file in the harness's own layout reads exactly as [`crate::dataset::parse_csv`] reads it.

use crate::dataset::{self, CsvError, Data, Header, Picked};
use crate::error::quote;
use std::collections::HashMap;

/// The label column's name when none is given.
pub const DEFAULT_LABEL: &str = "label";

/// The most classes a file's labels may name (labels are bytes).
pub const MAX_CLASSES: usize = 256;

/// The longest class name, in bytes.
pub const MAX_CLASS_NAME: usize = 256;

/// Which of a file's columns are the label and the features, by name. `Default` is the rule
/// without names: the column `label`, and the default feature columns (see the module).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Columns {
    /// The label column; `None` is [`DEFAULT_LABEL`].
    pub label: Option<String>,
    /// The feature columns, in the network's input order; `None` is the default rule.
    pub features: Option<Vec<String>>,
}

/// A file read by [`read`].
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The data: features in the chosen columns' order, labels as class numbers.
    pub data: Data,
    /// The label column's name.
    pub label: String,
    /// The feature columns' names, in order.
    pub features: Vec<String>,
    /// The other columns' names (neither label nor feature).
    pub ignored: Vec<String>,
    /// For class-name labels, the names: class `k` is `class_names[k]` (sorted by their bytes);
    /// `None` for numeric labels.
    pub class_names: Option<Vec<String>>,
    /// The column choice that reads this file again the same way, with what agrees with the
    /// default left out (`None`): the label when it is `label`, the feature list when the default
    /// rule picks the same columns. A file in the harness's own layout read without names gives
    /// `Columns::default()`.
    pub columns: Columns,
}

impl Table {
    /// Whether the file was read as the harness's own layout is: numbered features, the label
    /// column `label`, integer labels.
    pub fn is_own_layout(&self) -> bool {
        self.columns == Columns::default()
            && self.class_names.is_none()
            && dataset::is_numbered(self.features.iter().map(String::as_str))
    }
}

/// The header's column names (trimmed), if the file is UTF-8 and has a header row.
pub fn header_names(bytes: &[u8]) -> Option<Vec<String>> {
    std::str::from_utf8(bytes).ok()?;
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).trim(csv::Trim::All).flexible(true).from_reader(bytes);
    let record = reader.records().find(|r| !matches!(r, Ok(r) if r.len() == 1 && r[0].is_empty()))?.ok()?;
    Some(record.iter().map(String::from).collect())
}

/// The kind of the labels, set by the first row.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Numbers,
    Names,
}

/// Reads the labels one at a time: numbers as they are, names numbered in the order they first
/// appear (sorted once every row is read, [`Labels::sorted`]).
struct Labels {
    kind: Option<Kind>,
    names: Vec<String>,
    index: HashMap<String, u8>,
}

impl Labels {
    /// One label of the column `column`: its class number (for names, provisional).
    fn read(&mut self, field: &str, column: &str) -> Result<u8, String> {
        let column = quote(column);
        if field.is_empty() {
            return Err(format!("column `{column}`: empty label"));
        }
        let number = field.parse::<f64>().ok().filter(|v| v.is_finite());
        let kind = if number.is_some() { Kind::Numbers } else { Kind::Names };
        match self.kind {
            None => self.kind = Some(kind),
            Some(k) if k != kind => {
                return Err(match kind {
                    Kind::Names => format!(
                        "column `{column}`: `{}` is not a number, but the labels above it are: give every row an integer label (0 to K−1) or every row a class name",
                        quote(field)
                    ),
                    Kind::Numbers => format!(
                        "column `{column}`: `{}` is a number, but the labels above it are class names: give every row an integer label (0 to K−1) or every row a class name",
                        quote(field)
                    ),
                });
            }
            Some(_) => {}
        }
        if let Some(v) = number {
            return if v.fract() == 0.0 && (0.0..=255.0).contains(&v) {
                Ok(v as u8)
            } else {
                Err(format!(
                    "label must be an integer from 0 to 255 (1.0 counts as 1), found `{}` in column `{column}`",
                    quote(field)
                ))
            };
        }
        if let Some(&k) = self.index.get(field) {
            return Ok(k);
        }
        if field.len() > MAX_CLASS_NAME {
            return Err(format!(
                "column `{column}`: a class name longer than {MAX_CLASS_NAME} bytes: `{}`",
                quote(field)
            ));
        }
        if self.names.len() == MAX_CLASSES {
            return Err(format!(
                "column `{column}`: more than {MAX_CLASSES} distinct labels (the most classes the harness reads): is this the label column?"
            ));
        }
        let k = self.names.len() as u8;
        self.index.insert(field.to_string(), k);
        self.names.push(field.to_string());
        Ok(k)
    }

    /// The names sorted by their bytes, and each provisional number's place among them.
    fn sorted(self) -> (Vec<String>, Vec<u8>) {
        let mut order: Vec<usize> = (0..self.names.len()).collect();
        order.sort_by(|&a, &b| self.names[a].as_bytes().cmp(self.names[b].as_bytes()));
        let mut place = vec![0u8; order.len()];
        for (rank, &k) in order.iter().enumerate() {
            place[k] = rank as u8;
        }
        let names = order.into_iter().map(|k| self.names[k].clone()).collect();
        (names, place)
    }
}

/// The candidate nearest `name`, as a message's ending: `; did you mean `x`?`, or nothing.
fn suggestion<'a>(name: &str, candidates: impl IntoIterator<Item = &'a String>) -> String {
    crate::inits::nearest(name, candidates.into_iter().map(String::as_str))
        .map_or(String::new(), |n| format!("; did you mean `{}`?", quote(n)))
}

/// The column `name` (`what` it is for, in a message), with a suggestion when it is missing.
fn column(header: &Header, name: &str, what: &str) -> Result<usize, CsvError> {
    header.find(name)?.ok_or_else(|| {
        header.error(format!(
            "missing column `{}` ({what}) in header `{}`{}",
            quote(name),
            header.text(),
            suggestion(name, &header.names)
        ))
    })
}

/// The default feature columns (see the module) of a file whose label column is `label`.
fn default_features(header: &Header, label: usize) -> Result<Vec<usize>, CsvError> {
    let label_name = header.names[label].as_str();
    let others = header.names.iter().enumerate().filter(|(i, _)| *i != label);
    if dataset::is_numbered(others.map(|(_, n)| n.as_str())) {
        return dataset::numbered(header, Some(label_name), true);
    }
    let Some(first) = &header.first else { return Ok(Vec::new()) };
    let numeric = |i: usize| first.get(i).is_some_and(|f| f.parse::<f64>().is_ok_and(f64::is_finite));
    let columns: Vec<usize> = (0..header.names.len()).filter(|&i| i != label && numeric(i)).collect();
    if columns.is_empty() {
        return Err(header.error(format!(
            "no feature columns: no column but the label `{}` holds a number in the first row (header `{}`)",
            quote(label_name),
            header.text()
        )));
    }
    if columns.len() > dataset::MAX_FEATURES {
        return Err(header.error(format!(
            "more than {} feature columns, the most the harness reads",
            dataset::MAX_FEATURES
        )));
    }
    for &i in &columns {
        header.find(&header.names[i])?;
    }
    Ok(columns)
}

/// The columns `columns` names in `header`: the label's index, the features' indices, and
/// whether the features are the default rule's.
fn pick(header: &Header, columns: &Columns) -> Result<(Picked, bool), CsvError> {
    let label_name = columns.label.as_deref().unwrap_or(DEFAULT_LABEL);
    let label = column(header, label_name, "the label column")?;
    let default = default_features(header, label);
    let Some(names) = &columns.features else { return Ok((Picked { features: default?, label }, true)) };
    if names.is_empty() {
        return Err(header.error("no feature columns given".into()));
    }
    if names.len() > dataset::MAX_FEATURES {
        return Err(header.error(format!(
            "more than {} feature columns, the most the harness reads",
            dataset::MAX_FEATURES
        )));
    }
    let mut features = Vec::with_capacity(names.len());
    for (k, name) in names.iter().enumerate() {
        if names[..k].contains(name) {
            return Err(header.error(format!("feature column `{}` is given twice", quote(name))));
        }
        if name == label_name {
            return Err(header.error(format!(
                "column `{}` is the label column; it cannot also be a feature",
                quote(name)
            )));
        }
        features.push(column(header, name, "a feature column")?);
    }
    let same = default.is_ok_and(|d| d == features);
    Ok((Picked { features, label }, same))
}

/// Reads a user's CSV file with the columns `columns` names (see the module for the rules;
/// the format's rules, UTF-8, quoting, blank lines, a byte-order mark, limits, are
/// [`crate::dataset::parse_csv`]'s).
///
/// # Errors
/// The first line that is wrong, naming the column: a column missing (with the nearest name
/// in the header), named twice, both label and feature; a feature that is not a finite number;
/// a label that is neither an integer from 0 to 255 nor a class name like the others; classes
/// with no rows, fewer than two, more than [`MAX_CLASSES`].
pub fn read(bytes: &[u8], columns: &Columns) -> Result<Table, CsvError> {
    let mut chosen = None;
    let mut labels = Labels { kind: None, names: Vec::new(), index: HashMap::new() };
    let label_column = std::cell::OnceCell::new();
    let (mut data, last) = dataset::read_table(
        bytes,
        |header| {
            let (picked, default) = pick(header, columns)?;
            label_column.get_or_init(|| header.names[picked.label].clone());
            let features: Vec<String> = picked.features.iter().map(|&i| header.names[i].clone()).collect();
            let ignored = (0..header.names.len())
                .filter(|i| *i != picked.label && !picked.features.contains(i))
                .map(|i| header.names[i].clone())
                .collect::<Vec<_>>();
            chosen = Some((features, ignored, default));
            Ok(picked)
        },
        |field| labels.read(field, label_column.get().map_or("", String::as_str)),
    )?;
    let (features, ignored, default) = chosen.expect("the header was read");
    let label_column = label_column.into_inner().expect("the header was read");
    let class_names = match labels.kind {
        Some(Kind::Names) => {
            let (names, place) = labels.sorted();
            if names.len() < 2 {
                return Err(CsvError {
                    line: last as usize,
                    message: format!(
                        "column `{}`: every row has label `{}`; a classifier needs at least two classes",
                        quote(&label_column),
                        quote(&names[0])
                    ),
                });
            }
            data.y.iter_mut().for_each(|y| *y = place[usize::from(*y)]);
            data.classes = names.len();
            Some(names)
        }
        _ => {
            dataset::check_classes(&data, last, &label_column)?;
            None
        }
    };
    let columns = Columns {
        label: (label_column != DEFAULT_LABEL).then(|| label_column.clone()),
        features: (!default).then(|| features.clone()),
    };
    Ok(Table { data, label: label_column, features, ignored, class_names, columns })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::parse_csv;

    fn named(label: &str, features: &[&str]) -> Columns {
        Columns {
            label: Some(label.into()),
            features: (!features.is_empty()).then(|| features.iter().map(|s| s.to_string()).collect()),
        }
    }

    /// A file in the harness's own layout reads as `parse_csv` reads it, and records nothing.
    #[test]
    fn the_own_layout_reads_as_before() {
        for text in [
            &b"x3,label,x1,x2\n3,4,1,2\n6,0,4,5\n0,1,0,0\n0,2,0,0\n0,3,0,0\n"[..],
            b"label, id ,x2,x1\r\n1,a,2.5,-1\r\n\r\n0,\"b, c\",0,\"3\"\r\n",
            b"\xEF\xBB\xBFx1,x2,label\r\n1,2.5,0\r\n0,-1,1\r\n",
            b"id,x1,x2,label,weight\n7,1,2,0,0.5\n8,3,4,1,0.25\n",
        ] {
            let table = read(text, &Columns::default()).unwrap();
            assert_eq!(table.data, parse_csv(text).unwrap());
            assert_eq!(table.columns, Columns::default());
            assert!(table.is_own_layout());
        }
        let t = read(b"id,x1,x2,label,weight\n7,1,2,0,0.5\n8,3,4,1,0.25\n", &Columns::default()).unwrap();
        assert_eq!(
            (t.features, t.ignored),
            (vec!["x1".into(), "x2".into()], vec!["id".into(), "weight".into()])
        );
    }

    #[test]
    fn a_named_label_column_and_numbered_features_from_zero() {
        let t = read(b"x0,x1,y\n0.5,1,1\n-1,2,0\n", &named("y", &[])).unwrap();
        assert_eq!(
            (t.data.features, t.data.x.clone(), t.data.y.clone()),
            (2, vec![0.5, 1.0, -1.0, 2.0], vec![1, 0])
        );
        assert_eq!(t.columns, Columns { label: Some("y".into()), features: None });
        assert!(!t.is_own_layout());
        // A numbered column that is the label is passed over.
        let t = read(b"x1,x2,x3\n1,1,0\n3,0,1\n", &named("x2", &[])).unwrap();
        assert_eq!((t.features, t.data.x), (vec!["x1".to_string(), "x3".into()], vec![1.0, 0.0, 3.0, 1.0]));
        assert_eq!(t.data.y, [1, 0]);
    }

    #[test]
    fn without_numbered_columns_the_numeric_ones_in_file_order() {
        let text = b"name,petal,sepal,species\na,1.5,2,setosa\nb,3,4.25,virginica\nc,5,6,setosa\n";
        let t = read(text, &named("species", &[])).unwrap();
        assert_eq!(t.features, ["petal", "sepal"]);
        assert_eq!(t.ignored, ["name"]);
        assert_eq!(t.data.x, [1.5, 2.0, 3.0, 4.25, 5.0, 6.0]);
        assert_eq!(t.class_names, Some(vec!["setosa".into(), "virginica".into()]));
        assert_eq!(t.data.y, [0, 1, 0]);
        assert_eq!(t.columns.features, None);
    }

    #[test]
    fn a_feature_subset_in_the_given_order() {
        let text = b"a,b,c,label\n1,2,3,0\n4,5,6,1\n";
        let t = read(text, &named("label", &["c", "a"])).unwrap();
        assert_eq!((t.data.features, t.data.x), (2, vec![3.0, 1.0, 6.0, 4.0]));
        assert_eq!(t.columns, Columns { label: None, features: Some(vec!["c".into(), "a".into()]) });
        assert_eq!(t.ignored, ["b"]);
        // The default's own columns, named: nothing to record.
        let t = read(text, &named("label", &["a", "b", "c"])).unwrap();
        assert_eq!(t.columns, Columns::default());
    }

    #[test]
    fn float_integral_labels_are_integers() {
        let t = read(b"x1,label\n0,1.0\n1,0.0\n2,2e0\n3,-0\n", &Columns::default()).unwrap();
        assert_eq!((t.data.y, t.data.classes, t.class_names), (vec![1, 0, 2, 0], 3, None));
    }

    /// Names sorted by their bytes (upper case before lower case, `10` before `9`).
    #[test]
    fn class_names_are_sorted_by_bytes() {
        let t = read(b"x1,label\n0,b\n1,a\n2,B\n3,a\n4,10x\n5,9x\n", &Columns::default()).unwrap();
        assert_eq!(t.class_names.unwrap(), ["10x", "9x", "B", "a", "b"]);
        assert_eq!(t.data.y, [4, 3, 2, 3, 0, 1]);
        assert_eq!(t.data.classes, 5);
    }

    fn error(text: &[u8], columns: &Columns) -> CsvError {
        read(text, columns).unwrap_err()
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let cases: [(&[u8], Columns, usize, &str); 12] = [
            (
                b"x0,x1,y\n1,2,0\n",
                Columns::default(),
                1,
                "missing column `label` (the label column) in header `x0,x1,y`",
            ),
            (
                b"a,b,species\n1,2,x\n",
                named("specie", &[]),
                1,
                "missing column `specie` (the label column) in header `a,b,species`; did you mean `species`?",
            ),
            (
                b"a,width,y\n1,2,0\n",
                named("y", &["widht", "a"]),
                1,
                "missing column `widht` (a feature column)",
            ),
            (b"a,b,y\n1,2,0\n", named("y", &["a", "a"]), 1, "feature column `a` is given twice"),
            (b"a,b,y\n1,2,0\n", named("y", &["a", "y"]), 1, "column `y` is the label column"),
            (b"a,a,y\n1,2,0\n", named("y", &["a"]), 1, "column `a` appears twice"),
            (b"name,y\nq,0\n", named("y", &[]), 1, "no feature columns"),
            (
                b"a,y\n1,0\n2,0.5\n",
                named("y", &[]),
                3,
                "label must be an integer from 0 to 255 (1.0 counts as 1), found `0.5` in column `y`",
            ),
            (
                b"a,y\n1,0\n2,1\n3,pos\n",
                named("y", &[]),
                4,
                "column `y`: `pos` is not a number, but the labels above it are",
            ),
            (
                b"a,y\n1,neg\n2,1\n",
                named("y", &[]),
                3,
                "column `y`: `1` is a number, but the labels above it are class names",
            ),
            (
                b"a,y\n1,cat\n2,cat\n\n",
                named("y", &[]),
                3,
                "column `y`: every row has label `cat`; a classifier needs at least two classes",
            ),
            (b"a,y\n1,\n", named("y", &[]), 2, "column `y`: empty label"),
        ];
        for (text, columns, line, needle) in cases {
            let e = error(text, &columns);
            assert_eq!(e.line, line, "{e}");
            assert!(e.message.contains(needle), "{e}");
        }
        let e = error(b"a,b,y\n1,2,0\n3,x,1\n", &named("y", &["b"]));
        assert_eq!((e.line, e.message.as_str()), (3, "b is not a number: `x`"));
        let e = error(b"a,y\n1,0\n2,2\n", &named("y", &[]));
        assert!(e.message.contains("column `y`: labels must be 0, 1, … K−1"), "{e}");
    }

    #[test]
    fn at_most_256_classes() {
        let mut text = String::from("a,y\n");
        (0..=256).for_each(|k| text.push_str(&format!("{k},c{k}\n")));
        let e = error(text.as_bytes(), &named("y", &[]));
        assert_eq!(e.line, 258, "{e}");
        assert!(e.message.contains("more than 256 distinct labels"), "{e}");
        let long = format!("a,y\n1,{}\n", "n".repeat(MAX_CLASS_NAME + 1));
        assert!(error(long.as_bytes(), &named("y", &[])).message.contains("longer than 256 bytes"));
    }

    #[test]
    fn header_names_are_trimmed() {
        assert_eq!(header_names(b"\n a ,b\n1,2\n").unwrap(), ["a", "b"]);
        assert_eq!(header_names(b"\xff,a\n"), None);
        assert_eq!(header_names(b""), None);
    }
}
