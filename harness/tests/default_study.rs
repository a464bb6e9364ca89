//! The paper's study stays the default, byte for byte: today's harness
//! writes the same data files as the harness before networks became
//! run-time shaped (`reference/default_study.crc32`, made as
//! `reference/default_study.md` says), apart from the columns appended to
//! `runs.csv` since.

use std::path::Path;
use std::process::Command;

#[test]
fn the_default_study_writes_the_same_data_files_as_before() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("default-study");
    let _ = std::fs::remove_dir_all(&out);
    let o = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(["--quiet", "--out", out.to_str().unwrap()])
        .output()
        .expect("run the harness");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let reference = include_str!("reference/default_study.crc32");
    let mut checked = 0;
    for line in reference.lines() {
        let mut parts = line.splitn(3, ' ');
        let (crc, len, name) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        let bytes = match name.strip_suffix("[columns 1-7]") {
            Some(file) => {
                let text = std::fs::read_to_string(out.join(file)).unwrap();
                let cut: String =
                    text.lines().map(|l| l.split(',').take(7).collect::<Vec<_>>().join(",") + "\n").collect();
                cut.into_bytes()
            }
            None => std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}")),
        };
        assert_eq!(bytes.len().to_string(), len, "{name}: length");
        // A checkpoint ends with the CRC-32 of what precedes it, which makes
        // the CRC-32 of every whole checkpoint the same constant (0x2144df1c):
        // the reference holds the CRC-32 of the body, the weights themselves.
        let hashed = if name.ends_with(".bin") { &bytes[..bytes.len() - 4] } else { &bytes[..] };
        assert_eq!(format!("{:08x}", saorsa_nn::crc32(hashed)), crc, "{name}: CRC-32");
        checked += 1;
    }
    assert_eq!(checked, 65);
}
