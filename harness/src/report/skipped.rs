//! What the report did not write, and why: figures that do not apply to a study's data, and
//! figure 6's MP4 when `ffmpeg` cannot make it. The report lists them on its page; the
//! binary prints them.

use std::fmt;

/// Why something was not written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// The figure draws the plane of two input features; the data (as the network sees it)
    /// have this many.
    NotTwoFeatures(usize),
    /// `ffmpeg`, which encodes the MP4s, is not on PATH.
    NoFfmpeg,
    /// The folder has no `layer_stats.csv` (a study written before the harness recorded it).
    NoLayerStats,
    /// The folder's `layer_stats.csv` is not what its study wrote: why.
    BadLayerStats(String),
    /// `ffmpeg` did not make the MP4: how it failed.
    FfmpegFailed(String),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::NotTwoFeatures(n) => {
                write!(f, "it draws the plane of two input features, and these data have {n}")
            }
            SkipReason::NoLayerStats => f.write_str(
                "the folder has no layer_stats.csv (written by an older harness; run the study again for it)",
            ),
            SkipReason::BadLayerStats(why) => write!(f, "{why}"),
            SkipReason::NoFfmpeg => {
                f.write_str("ffmpeg is not on PATH (install it for the MP4s; the GIFs show the same frames)")
            }
            SkipReason::FfmpegFailed(how) => {
                write!(f, "ffmpeg failed ({how}); the GIFs show the same frames")
            }
        }
    }
}

/// A figure or file the report did not write, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// What was not written: a figure and its file stem, or file names.
    pub what: String,
    /// Why.
    pub reason: SkipReason,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} not written: {}", self.what, self.reason)
    }
}

/// One [`Skipped`] per reason, naming every file `files` left out for it, in order.
pub(super) fn grouped(files: Vec<(String, SkipReason)>) -> Vec<Skipped> {
    let mut out: Vec<(Vec<String>, SkipReason)> = Vec::new();
    for (file, reason) in files {
        match out.iter_mut().find(|(_, r)| *r == reason) {
            Some((names, _)) => names.push(file),
            None => out.push((vec![file], reason)),
        }
    }
    out.into_iter().map(|(names, reason)| Skipped { what: names.join(", "), reason }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_say_what_and_why_one_line_per_reason() {
        let failed = SkipReason::FfmpegFailed("exit status: 1".into());
        let files = vec![
            ("a.mp4".to_string(), SkipReason::NoFfmpeg),
            ("b.mp4".to_string(), failed.clone()),
            ("c.mp4".to_string(), SkipReason::NoFfmpeg),
        ];
        let g = grouped(files);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].what, "a.mp4, c.mp4");
        assert_eq!(g[1], Skipped { what: "b.mp4".into(), reason: failed });
        let line = g[0].to_string();
        assert!(line.starts_with("a.mp4, c.mp4 not written: ffmpeg is not on PATH"), "{line}");
        assert!(!line.contains('\n'));
        let fig = Skipped { what: "figure 1 (fig1_dataset)".into(), reason: SkipReason::NotTwoFeatures(6) };
        assert_eq!(
            fig.to_string(),
            "figure 1 (fig1_dataset) not written: it draws the plane of two input features, and these data have 6"
        );
        assert!(grouped(Vec::new()).is_empty());
    }
}
