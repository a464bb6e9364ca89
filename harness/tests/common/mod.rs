//! Helpers shared by the harness's integration tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file below `dir` (relative path → bytes), in path order.
#[allow(dead_code)] // not every test binary that includes `common` uses it
pub fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The value nearest `start` on the grid `start + t·step`, trying
/// `t = 0, 1, −1, 2, −2, …`, for which `clear` holds (a bias or shift moved
/// until no pre-activation sits near a ReLU kink).
///
/// # Panics
///
/// If none of the first 2000 grid points is clear.
#[allow(dead_code)] // not every test binary that includes `common` uses it
pub fn nearest_clear(start: f32, step: f64, what: &str, clear: impl Fn(f32) -> bool) -> f32 {
    let (mut t, mut v) = (0i32, start);
    while !clear(v) {
        t = if t > 0 { -t } else { 1 - t };
        v = (f64::from(start) + f64::from(t) * step) as f32;
        assert!(t.abs() < 1000, "no clear {what}");
    }
    v
}
