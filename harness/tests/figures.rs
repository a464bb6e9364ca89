//! The study's figures through the command line: figure 5 for three classes, and what the
//! report leaves out (a figure that does not apply, the MP4 without a working `ffmpeg`) said
//! on stderr and in the report, with the reason.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("figures").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
    dir
}

/// The harness with `args`, `PATH` set to `path` (only what the test puts there).
fn harness(args: &[&str], path: &Path) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_harness")).args(args).env("PATH", path).output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    o
}

/// A folder with nothing in it, as `PATH`: no `ffmpeg`.
fn no_tools(name: &str) -> PathBuf {
    let dir = scratch(&format!("{name}-path"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// RGB pixels of a PNG file.
fn pixels(path: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let px = buf[..info.buffer_size()].chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
    (info.width, info.height, px)
}

/// Whether `p` is on the way from white to `full`, at least `t` of it (a class's region
/// colour: white mixed towards the class colour, more where the network is surer).
fn tinted(p: [u8; 3], full: [u8; 3], t: f64) -> bool {
    let along: Vec<f64> = (0..3)
        .filter(|&c| full[c] < 200)
        .map(|c| (255.0 - f64::from(p[c])) / (255.0 - f64::from(full[c])))
        .collect();
    let s = along.iter().sum::<f64>() / along.len() as f64;
    s >= t && (0..3).all(|c| (f64::from(p[c]) - (255.0 + (f64::from(full[c]) - 255.0) * s)).abs() <= 3.0)
}

#[test]
fn three_classes_get_a_decision_figure_in_three_colours() {
    let out = scratch("spirals");
    let path = no_tools("spirals");
    let o = harness(
        &["--dataset", "spirals:3", "--seeds", "1", "--epochs", "60", "--samples", "600", "--quiet", "--out"]
            .into_iter()
            .chain([out.to_str().unwrap()])
            .collect::<Vec<_>>(),
        &path,
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("figure 5"), "{stderr}");
    assert!(out.join("fig5_decision_boundaries.svg").exists());
    let (w, h, px) = pixels(&out.join("fig5_decision_boundaries.png"));
    // The panels, above the legend (its swatches show every class colour by themselves).
    let plot: Vec<[u8; 3]> = px[..(w * (h - 48)) as usize].to_vec();
    // The Okabe–Ito blue, vermilion and bluish green of classes 0, 1 and 2.
    for (k, full) in [[0x00, 0x72, 0xB2], [0xD5, 0x5E, 0x00], [0x00, 0x9E, 0x73]].into_iter().enumerate() {
        let n = plot.iter().filter(|&&p| tinted(p, full, 0.3)).count();
        assert!(n > 5000, "class {k}'s region colour: {n} pixels");
    }
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("Decision regions of the 3 classes"), "figure 5's caption");
}

#[test]
fn what_the_report_leaves_out_is_said_with_the_reason() {
    // Six input dimensions: no figure of the input plane; no ffmpeg: no MP4.
    let out = scratch("embedded");
    let path = no_tools("embedded");
    let args = ["--input-dim", "6", "--noise-dims", "2", "--seeds", "1", "--epochs", "3", "--samples", "200"];
    let o = harness(
        &args.into_iter().chain(["--quiet", "--out", out.to_str().unwrap()]).collect::<Vec<_>>(),
        &path,
    );
    let stderr = String::from_utf8(o.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    let plane = "not written: it draws the plane of two input features, and these data have 6";
    assert_eq!(
        lines,
        [
            format!("note: figure 1 (fig1_dataset) {plane}"),
            format!("note: figure 5 (fig5_decision_boundaries) {plane}"),
            "note: fig6_weight_evolution_small.mp4, fig6_weight_evolution_glorot.mp4, fig6_weight_evolution_he.mp4 not written: ffmpeg is not on PATH (install it for the MP4s; the GIFs show the same frames)".to_string(),
        ]
    );
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains(
        "<li>figure 1 (fig1_dataset): it draws the plane of two input features, and these data have 6</li>"
    ));
    assert!(report.contains("<li>figure 5 (fig5_decision_boundaries): it draws"));
    assert!(report.contains(".mp4: ffmpeg is not on PATH"));
    assert!(!out.join("fig1_dataset.svg").exists() && !out.join("fig6_weight_evolution_he.mp4").exists());

    // Redrawn, the same lines again.
    let o = harness(&["report", out.to_str().unwrap()], &path);
    assert_eq!(String::from_utf8(o.stderr).unwrap(), stderr);
}

#[cfg(unix)]
#[test]
fn a_failing_ffmpeg_is_named_with_how_it_failed() {
    use std::os::unix::fs::PermissionsExt;
    let out = scratch("bad-ffmpeg");
    let path = no_tools("bad-ffmpeg");
    let fake = path.join("ffmpeg");
    std::fs::write(&fake, "#!/bin/sh\nexit 3\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let args = ["--seeds", "1", "--epochs", "3", "--samples", "200", "--inits", "he", "--quiet", "--out"];
    let o = harness(&args.into_iter().chain([out.to_str().unwrap()]).collect::<Vec<_>>(), &path);
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert_eq!(
        stderr,
        "note: fig6_weight_evolution_he.mp4 not written: ffmpeg failed (it ended with exit status: 3); the GIFs show the same frames\n"
    );
    assert!(!out.join("fig6_weight_evolution_he.mp4").exists());
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "no temporary file left: {left:?}");
}
