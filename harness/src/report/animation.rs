//! Figure 6: every dense layer's weights of the median runs over training,
//! as a GIF animation (and MP4) and a montage for print.

use super::skipped::{SkipReason, Skipped, grouped};
use super::{Drawing, Figure, label, mp4, save};
use crate::config::StudyConfig;
use crate::error::{Error, Result};
use crate::folder::Folder;
use crate::layout;
use crate::plot::{self, HeatMap, Scene};
use crate::results;
use crate::study::{self, RunResult, Snapshot};
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex, PoisonError};

/// Figure 6's figures: the montages', then the animations'; and the MP4s
/// not written, one entry per reason.
type WeightFigures = (Vec<Figure>, Vec<Figure>, Vec<Skipped>);

/// Figure 6 of each of the `medians` runs, from its `frames.bin` under
/// `out`: writes the animations and the montages (one per initializer,
/// rendered on `threads` threads), and returns the montages' figures, then the
/// animations', then the MP4s that could not be made.
pub(super) fn weight_figures(
    folder: &Folder,
    config: &StudyConfig,
    medians: &[&RunResult],
    drawing: Drawing,
    threads: usize,
) -> Result<WeightFigures> {
    let out = folder.dir();
    let frames: Vec<Vec<(usize, Snapshot)>> = medians
        .iter()
        .map(|r| {
            let path = layout::run_dir(out, &r.init.name(), r.seed).join(layout::FRAMES);
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            results::read_frames(&bytes).map_err(|e| Error::results(&path, e))
        })
        .collect::<Result<_>>()?;
    let layers = config.shape.layers();
    let largest = |f: &[(usize, Snapshot)], l: usize| {
        f.iter().flat_map(|(_, w)| w[l].iter()).fold(0.0f32, |m, v| m.max(v.abs())).max(1e-6)
    };
    let scales: Vec<Vec<f32>> = if drawing.shared_scale {
        let shared: Vec<f32> =
            (0..layers).map(|l| frames.iter().map(|f| largest(f, l)).fold(1e-6, f32::max)).collect();
        vec![shared; frames.len()]
    } else {
        frames.iter().map(|f| (0..layers).map(|l| largest(f, l)).collect()).collect()
    };
    let scale_words = if drawing.shared_scale {
        "one blue–white–red scale per layer, shared by every initializer (--shared-scale)"
    } else {
        "one blue–white–red scale per layer and initializer (--shared-scale shares them across initializers)"
    };
    let stems: Vec<String> = medians.iter().map(|r| layout::weight_animation(&r.init.name())).collect();
    let sources: Vec<Animation<'_>> = medians
        .iter()
        .zip(&stems)
        .zip(frames.iter().zip(&scales))
        .map(|((&r, stem), (snaps, scales))| Animation { r, stem, snaps, scales })
        .collect();
    let made = render(folder, config, &sources, threads)?;
    let skipped = grouped(
        stems.iter().zip(&made).filter_map(|(s, m)| Some((format!("{s}.mp4"), m.1.clone()?))).collect(),
    );
    let montages = made.into_iter().map(|m| m.0);
    let (mut montage_figures, mut animations) = (Vec::new(), Vec::new());
    for ((r, stem), montage) in medians.iter().zip(stems).zip(montages) {
        animations.push(Figure {
            stem,
            caption: format!(
                "Figure 6 ({}). Every dense layer's weight matrix (rows = inputs, columns = outputs) as a heat map over training, for the median run (seed {}): every epoch up to 25, then thinned; {scale_words}. Look for which layers change, and how early.",
                label(&r.init),
                r.seed
            ),
            svg: None,
        });
        montage_figures.push(Figure {
            stem: format!("fig6_montage_{}", r.init.name()),
            caption: format!(
                "Figure 6 ({}, for print). The same weights at a few epochs side by side; {scale_words}.",
                label(&r.init)
            ),
            svg: Some(montage),
        });
    }
    Ok((montage_figures, animations, skipped))
}

/// Epochs of figure 6's montage: those of 0, 5, 25, 100 and the last that
/// are frames.
fn montage_epochs(epochs: usize) -> Vec<usize> {
    let mut e: Vec<usize> = [0, 5, 25, 100].into_iter().filter(|&e| e < epochs).collect();
    e.push(epochs);
    e
}

/// One median run's figure 6: its run, file stem, weights at every [`study::is_frame`]
/// epoch and colour scale per layer.
struct Animation<'a> {
    r: &'a RunResult,
    stem: &'a str,
    snaps: &'a [(usize, Snapshot)],
    scales: &'a [f32],
}

impl Animation<'_> {
    /// The matrices of the animation and its montage: titles, shapes and scales (the values
    /// are each frame's).
    fn maps(&self, config: &StudyConfig) -> Vec<HeatMap> {
        config
            .shape
            .layer_shapes()
            .zip(self.scales)
            .enumerate()
            .map(|(l, ((i, o), &scale))| HeatMap {
                title: format!("layer {} ({i}×{o})", l + 1),
                rows: i,
                cols: o,
                values: Vec::new(),
                scale,
            })
            .collect()
    }

    /// The montage for print: the weights at the [`montage_epochs`] that are frames.
    fn montage(&self, config: &StudyConfig) -> Scene {
        let wanted = montage_epochs(self.snaps.last().map_or(0, |s| s.0));
        let columns: Vec<(String, Vec<Vec<f32>>)> = self
            .snaps
            .iter()
            .filter(|(e, _)| wanted.contains(e))
            .map(|(e, w)| (format!("epoch {e}"), w.clone()))
            .collect();
        let title = format!("Weights of the median run, {}", label(&self.r.init));
        plot::heatmap_montage(&title, &self.maps(config), &columns)
    }
}

/// Makes an animation's GIF frames in order (each is its difference to the one before):
/// titles, shapes and scales are fixed, so the static parts are drawn once and each frame
/// repaints the cells and the caption (pixel-identical to `plot::heatmap_frame`).
struct Maker<'a> {
    animation: &'a Animation<'a>,
    config: &'a StudyConfig,
    gif_path: PathBuf,
    /// Made for the first frame.
    started: Option<(plot::HeatmapAnimator, plot::GifFrames, Vec<plot::Region>)>,
    /// The next frame's index.
    next: usize,
    /// Every frame in RGB, for the MP4 (only when `ffmpeg` can make it).
    rgb: Option<Vec<plot::Raster>>,
}

impl Maker<'_> {
    /// The next frame and its index.
    fn frame(&mut self) -> Result<(usize, plot::GifFrame)> {
        let a = self.animation;
        let (anim, gif, regions) = match &mut self.started {
            Some(s) => s,
            None => {
                let anim = plot::HeatmapAnimator::new(&a.maps(self.config));
                let (w, h) = anim.size();
                let gif = plot::GifFrames::new(w, h, 80).map_err(|e| Error::io(&self.gif_path, e))?;
                let regions = anim.regions();
                self.started.insert((anim, gif, regions))
            }
        };
        let k = self.next;
        let (epoch, weights) = &a.snaps[k];
        let caption =
            format!("{} seed {} — epoch {epoch}/{}", label(&a.r.init), a.r.seed, self.config.epochs);
        let (frame, indices) = anim.frame_indexed(weights, &caption);
        // A pause on the last frame, before the animation starts over.
        gif.set_delay_ms(if k + 1 == a.snaps.len() { 2500 } else { 80 });
        let f = gif.delta(indices, regions).map_err(|e| Error::io(&self.gif_path, e))?;
        if let Some(rgb) = &mut self.rgb {
            rgb.push(frame.clone());
        }
        self.next += 1;
        Ok((k, f))
    }

    /// Whether every frame is made.
    fn done(&self) -> bool {
        self.next == self.animation.snaps.len()
    }
}

/// What a worker of [`render`] does, besides making the next frame of an animation.
enum Job {
    /// Save animation `a`'s montage.
    Montage(usize),
    /// LZW-code frame `k` of animation `a`.
    Code(usize, usize, plot::GifFrame),
    /// Write animation `a`'s GIF (of this size, if it has frames) from its coded frames,
    /// and its MP4 from its RGB frames.
    Finish(usize, Option<(u32, u32)>, Vec<plot::GifFrame>, Vec<plot::Raster>),
}

/// What a [`Job`] gave.
enum Done {
    Montage(usize, String),
    Coded(usize, usize, plot::GifFrame),
    Finished(usize, Option<SkipReason>),
}

/// An animation's GIF size once its frames are made (none without frames), and its frames
/// in RGB for the MP4.
type Made = (Option<(u32, u32)>, Vec<plot::Raster>);

/// The state [`render`]'s workers share.
struct Pool<'a> {
    jobs: VecDeque<Job>,
    /// Each animation's frame maker, while it has frames left and no worker holds it.
    makers: Vec<Option<Maker<'a>>>,
    /// Jobs and frames being worked on.
    running: usize,
    /// Per animation: its frames coded so far, how many are not, and once all are made,
    /// its size and RGB frames.
    coded: Vec<Vec<Option<plot::GifFrame>>>,
    left: Vec<usize>,
    made: Vec<Made>,
    /// Per animation: its montage's SVG and why its MP4 was not written.
    results: Vec<(Option<String>, Option<SkipReason>)>,
    /// The first error or panic: the workers stop.
    failed: Option<std::thread::Result<Error>>,
}

impl Pool<'_> {
    /// Records what a job gave.
    fn done(&mut self, d: Done) {
        match d {
            Done::Montage(a, svg) => self.results[a].0 = Some(svg),
            Done::Coded(a, k, f) => {
                self.coded[a][k] = Some(f);
                self.left[a] -= 1;
                if self.left[a] == 0 {
                    self.finish(a);
                }
            }
            Done::Finished(a, mp4) => self.results[a].1 = mp4,
        }
    }

    /// Queues the writing of animation `a`'s files, all of its frames coded.
    fn finish(&mut self, a: usize) {
        let frames = std::mem::take(&mut self.coded[a]).into_iter().map(|f| f.expect("every frame coded"));
        let (size, rgb) = std::mem::take(&mut self.made[a]);
        self.jobs.push_back(Job::Finish(a, size, frames.collect(), rgb));
    }

    fn fail(&mut self, why: std::thread::Result<Error>) {
        self.failed.get_or_insert(why);
    }
}

/// Figure 6 of each animation: writes its GIF (and MP4 when `ffmpeg` can make it) and its
/// montage, and returns the montage's SVG and why the MP4 was not written if it was not.
///
/// An animation's frames are made in order (a GIF frame is its difference to the one
/// before), but their LZW coding, most of the work, is not: `threads` workers take
/// what is ready in any animation, coding each frame made before making the next, so that
/// few frames wait uncoded.
fn render(
    folder: &Folder,
    config: &StudyConfig,
    animations: &[Animation<'_>],
    threads: usize,
) -> Result<Vec<(String, Option<SkipReason>)>> {
    let with_mp4 = mp4::available();
    let n = animations.len();
    let mut pool = Pool {
        jobs: (0..n).map(Job::Montage).collect(),
        makers: animations
            .iter()
            .map(|animation| {
                (!animation.snaps.is_empty()).then(|| Maker {
                    animation,
                    config,
                    gif_path: folder.dir().join(format!("{}.gif", animation.stem)),
                    started: None,
                    next: 0,
                    rgb: with_mp4.then(Vec::new),
                })
            })
            .collect(),
        running: 0,
        coded: animations.iter().map(|a| (0..a.snaps.len()).map(|_| None).collect()).collect(),
        left: animations.iter().map(|a| a.snaps.len()).collect(),
        made: (0..n).map(|_| (None, Vec::new())).collect(),
        results: vec![(None, None); n],
        failed: None,
    };
    for a in (0..n).filter(|&a| animations[a].snaps.is_empty()) {
        pool.finish(a);
    }
    let run = |job: Job| -> Result<Done> {
        Ok(match job {
            Job::Montage(a) => {
                let name = layout::weight_montage(&animations[a].r.init.name());
                Done::Montage(a, save(folder, &name, &animations[a].montage(config))?)
            }
            Job::Code(a, k, mut f) => {
                f.encode();
                Done::Coded(a, k, f)
            }
            Job::Finish(a, size, frames, rgb) => {
                let stem = animations[a].stem;
                let gif_path = folder.dir().join(format!("{stem}.gif"));
                let io = |e| Error::io(&gif_path, e);
                let (w, h) =
                    size.unwrap_or_else(|| plot::HeatmapAnimator::new(&animations[a].maps(config)).size());
                let mut gif = plot::GifWriter::new(Vec::new(), w, h).map_err(io)?;
                for f in &frames {
                    gif.write(f).map_err(io)?;
                }
                folder.write(format!("{stem}.gif"), &gif.finish().map_err(io)?)?;
                Done::Finished(a, mp4::encode(folder, stem, &rgb).err())
            }
        })
    };
    let (state, wake) = (Mutex::new(pool), Condvar::new());
    let lock = || state.lock().unwrap_or_else(PoisonError::into_inner);
    let work = |_: &()| {
        let mut st = lock();
        while st.failed.is_none() {
            if let Some(job) = st.jobs.pop_front() {
                st.running += 1;
                drop(st);
                let out = catch_unwind(AssertUnwindSafe(|| run(job)));
                st = lock();
                st.running -= 1;
                match out {
                    Ok(Ok(d)) => st.done(d),
                    Ok(Err(e)) => st.fail(Ok(e)),
                    Err(panic) => st.fail(Err(panic)),
                }
            } else if let Some(a) = st.makers.iter().position(Option::is_some) {
                let mut maker = st.makers[a].take().expect("a free maker");
                st.running += 1;
                drop(st);
                let out = catch_unwind(AssertUnwindSafe(|| maker.frame()));
                st = lock();
                st.running -= 1;
                match out {
                    Ok(Ok((k, f))) => {
                        st.jobs.push_back(Job::Code(a, k, f));
                        if maker.done() {
                            let size = maker.started.as_ref().map(|s| s.0.size());
                            st.made[a] = (size, maker.rgb.take().unwrap_or_default());
                        } else {
                            st.makers[a] = Some(maker);
                        }
                    }
                    Ok(Err(e)) => st.fail(Ok(e)),
                    Err(panic) => st.fail(Err(panic)),
                }
            } else if st.running == 0 {
                break;
            } else {
                st = wake.wait(st).unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            wake.notify_all();
        }
        drop(st);
        wake.notify_all();
    };
    let threads = threads.max(1);
    study::parallel_map(&vec![(); threads], threads, work);
    let pool = state.into_inner().unwrap_or_else(PoisonError::into_inner);
    match pool.failed {
        Some(Ok(e)) => return Err(e),
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        None => {}
    }
    Ok(pool.results.into_iter().map(|(svg, mp4)| (svg.expect("every montage saved"), mp4)).collect())
}
