//! Figure 6's MP4, encoded by `ffmpeg` when it is on PATH (best effort: what kept it from
//! being written is returned, for the report to say).

use super::skipped::SkipReason;
use crate::folder::Folder;
use crate::plot;

/// Whether `ffmpeg` is on PATH (so that [`encode`] will need every frame).
pub(super) fn available() -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|d| d.join("ffmpeg").is_file() || d.join("ffmpeg.exe").is_file())
    })
}

/// Encodes `frames` as `stem.mp4` (12 frames a second) with `ffmpeg`, best
/// effort: without `ffmpeg`, or when it fails, nothing is written and the
/// reason is returned.
pub(super) fn encode(folder: &Folder, stem: &str, frames: &[plot::Raster]) -> Result<(), SkipReason> {
    if !available() {
        return Err(SkipReason::NoFfmpeg);
    }
    let out = folder.dir();
    use std::io::Write;
    use std::process::{Command, Stdio};
    let Some(f) = frames.first() else { return Err(SkipReason::FfmpegFailed("no frames to encode".into())) };
    let target = out.join(format!("{stem}.mp4"));
    let tmp = out.join(format!(".{stem}.mp4.{}.tmp.mp4", std::process::id()));
    let child = Command::new("ffmpeg")
        .args(["-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s"])
        .arg(format!("{}x{}", f.width, f.height))
        .args([
            "-r",
            "12",
            "-i",
            "-",
            "-vf",
            "pad=ceil(iw/2)*2:ceil(ih/2)*2",
            "-pix_fmt",
            "yuv420p",
            "-bitexact",
        ])
        .arg(&tmp)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let mut child = child.map_err(|e| SkipReason::FfmpegFailed(format!("could not start it: {e}")))?;
    let mut written = true;
    if let Some(mut stdin) = child.stdin.take() {
        for frame in frames {
            written &= stdin.write_all(&frame.pixels).is_ok();
        }
    }
    let status = child.wait();
    let failure = match &status {
        Ok(s) if s.success() && written => None,
        Ok(s) if s.success() => Some("it stopped reading the frames".to_string()),
        Ok(s) => Some(format!("it ended with {s}")),
        Err(e) => Some(format!("waiting for it: {e}")),
    };
    let failure =
        failure.or_else(|| std::fs::rename(&tmp, &target).err().map(|e| format!("moving its output: {e}")));
    if let Some(how) = failure {
        let _ = std::fs::remove_file(&tmp);
        return Err(SkipReason::FfmpegFailed(how));
    }
    if let Ok(bytes) = std::fs::read(&target) {
        folder.note(format!("{stem}.mp4"), &bytes);
    }
    Ok(())
}
