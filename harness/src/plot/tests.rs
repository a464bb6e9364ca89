//! Unit tests of the plot module.

use std::io::Cursor;

use plotters::prelude::{RGBColor, WHITE};

use super::architecture::*;
use super::boxes::*;
use super::canvas::*;
use super::decision::*;
use super::heatmap::*;
use super::line::*;
use super::placement::{Geometry, Rect};
use super::scatter::*;
use super::style::*;
use super::{frame, legend, line};

fn sample_series() -> Vec<Series> {
    (0..3)
        .map(|i| {
            let x: Vec<f64> = (0..20).map(f64::from).collect();
            let f = |e: f64, k: f64| 0.5 + 0.4 * (1.0 - (-(e + 1.0) * 0.1 * k).exp());
            let mean: Vec<f64> = x.iter().map(|&e| f(e, f64::from(i + 1))).collect();
            let members = (0..4)
                .map(|s| x.iter().map(|&e| f(e, f64::from(i + 1) + 0.2 * f64::from(s))).collect())
                .collect();
            Series::new(&format!("init {i}"), series_color(i as usize), x, mean, vec![0.03; 20])
                .with_members(members)
        })
        .collect()
}

fn sample_scene() -> Scene {
    let opts = LineOpts { hlines: vec![(0.88, "ceiling 0.88".into())], ..LineOpts::default() };
    line_bands_opts("Accuracy ± std, 2→64", "epoch", "accuracy", &sample_series(), &opts)
}

/// Checks that every opened element is closed in order (no text content contains '<').
fn tags_balanced(svg: &str) -> bool {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else { return false };
        let tag = &rest[start + 1..start + end];
        rest = &rest[start + end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            if stack.pop().as_deref() != Some(name.trim()) {
                return false;
            }
        } else if !tag.ends_with('/') && !tag.starts_with('?') {
            stack.push(tag.split_whitespace().next().unwrap_or("").to_string());
        }
    }
    stack.is_empty()
}

fn heat(rows: usize, cols: usize, shift: f32) -> HeatMap {
    let values = (0..rows * cols).map(|i| (i as f32 * 0.37 + shift).sin()).collect();
    HeatMap { title: format!("W {rows}×{cols}"), rows, cols, values, scale: 1.0 }
}

fn panel() -> Panel {
    let pts: Vec<(f64, f64, u8)> =
        (0..40).map(|i| ((f64::from(i) * 0.3).sin(), (f64::from(i) * 0.7).cos(), (i % 2) as u8)).collect();
    let grid: Vec<f32> = (0..12 * 8).map(|i| (i % 12) as f32 / 11.0).flat_map(|p| [1.0 - p, p]).collect();
    Panel {
        title: "Glorot normal, seed 3: val acc 0.897".into(),
        x_range: (-1.2, 1.2),
        y_range: (-1.1, 1.1),
        grid: (12, 8, grid),
        classes: 2,
        points: pts,
    }
}

/// One scene per builder and option.
fn every_scene() -> Vec<Scene> {
    let pts: Vec<(f64, f64, u8)> =
        (0..40).map(|i| ((f64::from(i) * 0.3).sin(), (f64::from(i) * 0.7).cos(), (i % 3) as u8)).collect();
    let log = LineOpts { log_y: true, ..LineOpts::default() };
    let lp = LinePanel { title: "layer 1 (2→64)".into(), series: sample_series() };
    let groups = vec![
        Group {
            name: "small normal (σ = 0.01)".into(),
            color: series_color(0),
            values: vec![0.9, 0.85, 0.79, 0.91],
        },
        Group { name: "b".into(), color: series_color(1), values: vec![0.5; 4] },
    ];
    let maps = [heat(2, 64, 0.0), heat(64, 64, 0.5), heat(64, 2, 1.0)];
    let frame = |t: f32| {
        maps.iter().map(|m| with_values(std::slice::from_ref(m), t).remove(0).values).collect::<Vec<_>>()
    };
    vec![
        sample_scene(),
        line_bands("empty", "x", "y", &[]),
        multi_line_bands("m", "epoch", "‖ΔW‖/‖W‖", &vec![lp; 4], &log),
        scatter_classes("s", &pts),
        box_points_opts("b", "validation accuracy", &groups, &BoxOpts::default()),
        box_points_opts("b", "y", &groups, &BoxOpts { link: true, ..BoxOpts::default() }),
        decision_panels("d", &vec![panel(); 2]),
        decision_panels("nine", &vec![panel(); 9]),
        decision_panels("three classes", &[three_class_panel()]),
        architecture("a", &[2, 64, 64, 1], &["Dense 2→64 + ReLU".into(), "x".into(), "y".into()]),
        architecture("a", &[3, 5], &["in".into(), "out".into()]),
        heatmap_scene(&maps, "caption <&>"),
        heatmap_montage("montage", &maps, &[("epoch 0".into(), frame(0.0)), ("epoch 25".into(), frame(1.0))]),
    ]
}

#[test]
fn every_builder_renders_deterministically_in_the_bundled_font() {
    for (a, b) in every_scene().into_iter().zip(every_scene()) {
        let svg = a.to_svg();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{a:?}");
        assert!(tags_balanced(&svg), "{a:?}");
        assert!(!svg.contains('\u{E000}'), "every image placeholder is replaced");
        for family in svg.split("font-family=\"").skip(1) {
            assert!(
                family.starts_with(&format!("{SVG_FAMILY}\"")),
                "{a:?}: {}",
                &family[..40.min(family.len())]
            );
        }
        let r = a.to_raster();
        assert_eq!(
            (r.width, r.height, r.pixels.len()),
            (a.width, a.height, 3 * (a.width * a.height) as usize)
        );
        assert!(r.pixels.chunks_exact(3).any(|p| p.iter().all(|&c| c < 80)), "{a:?}: dark ink");
        assert_eq!(svg, b.to_svg(), "{a:?}");
        assert!(r.to_png() == b.to_raster().to_png(), "{a:?}");
    }
    let heat = heatmap_scene(&[heat(2, 5, 0.0)], "caption <&>").to_svg();
    assert!(heat.contains("caption &lt;&amp;&gt;") && heat.contains("<image"));
}

#[test]
fn png_round_trip() {
    let r = sample_scene().to_raster();
    let mut reader = png::Decoder::new(Cursor::new(r.to_png())).read_info().expect("valid png");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("frame");
    assert_eq!((info.width, info.height, info.color_type), (r.width, r.height, png::ColorType::Rgb));
    assert_eq!(&buf[..info.buffer_size()], &r.pixels[..]);
    let c = series_color(1);
    assert!(r.pixels.chunks_exact(3).any(|p| p == [c.0, c.1, c.2]), "series colour present");
}

/// Ink of `text` drawn alone.
fn ink(text: &str) -> Raster {
    let t = text.to_string();
    Scene::new(120, 40, move |a| a.draw(&plotters::element::Text::new(t.clone(), (10, 10), font(20.0))))
        .to_raster()
}

#[test]
fn arrows_and_symbols_have_glyphs() {
    assert!(ink("2→64") != ink("2+64"), "→ is not drawn as +");
    let blank = ink("");
    for c in "→±σ‖Δ×—−⋮".chars() {
        let r = ink(&c.to_string());
        assert!(r != blank && r != ink("\u{E001}"), "{c:?} has a glyph");
    }
    assert!(text_width("2→64", 14.0, false) > text_width("264", 14.0, false));
    assert!(text_width("title", 14.0, true) > text_width("title", 14.0, false));
}

#[test]
fn box_stats_match_numpy() {
    let v: Vec<f64> = (1..=10).map(f64::from).collect();
    let b = box_stats(&v).expect("stats");
    assert!((b.q1 - 3.25).abs() < 1e-12 && (b.median - 5.5).abs() < 1e-12 && (b.q3 - 7.75).abs() < 1e-12);
    assert_eq!((b.whisker_lo, b.whisker_hi, b.n), (1.0, 10.0, 10));
    let b = box_stats(&[4.0, 1.0, 100.0, 3.0, 2.0, f64::NAN]).expect("stats");
    assert_eq!((b.q1, b.median, b.q3, b.n), (2.0, 3.0, 4.0, 5));
    assert_eq!((b.whisker_lo, b.whisker_hi), (1.0, 4.0));
    assert!(box_stats(&[f64::NAN]).is_none());
    let one = box_stats(&[7.0]).expect("stats");
    assert_eq!(
        (one.q1, one.median, one.q3, one.whisker_lo, one.whisker_hi, one.n),
        (7.0, 7.0, 7.0, 7.0, 7.0, 1)
    );
}

#[test]
fn nine_decision_panels_fit_three_per_row() {
    let one = decision_panels("d", &[panel()]);
    let nine = decision_panels("d", &vec![panel(); 9]);
    assert_eq!(nine.width, 3 * 440);
    assert!(nine.height > 2 * one.height, "three rows");
}

/// A long panel title is drawn smaller, inside its cell: no ink crosses the borders between
/// cells in the titles' band, and each cell's title has ink.
#[test]
fn panel_titles_shrink_to_their_cell() {
    let long = Panel {
        title: "Glorot uniform with He normal on layer 1, seed 12: val acc 0.8967 (the longest title)".into(),
        ..panel()
    };
    let r = decision_panels("d", &vec![long; 3]).to_raster();
    // The titles' band: below the figure's title (44 px), above the plot (chart margin 10,
    // caption about 20 px).
    let band = 44..44 + 34;
    let dark = |x: u32, y: u32| r.get(x, y).iter().all(|&c| c < 160);
    for border in [440u32, 880] {
        for y in band.clone() {
            assert!(!dark(border, y), "title ink on the border x = {border} at y = {y}");
        }
    }
    for cell in 0..3u32 {
        let ink = (cell * 440 + 20..cell * 440 + 420).flat_map(|x| band.clone().map(move |y| (x, y)));
        assert!(ink.filter(|&(x, y)| dark(x, y)).count() > 100, "cell {cell} has its title");
    }
    // At full size (16 px, bold) the title is wider than its cell: the borders would have
    // its ink had it not shrunk.
    let title = "Glorot uniform with He normal on layer 1, seed 12: val acc 0.8967 (the longest title)";
    assert!(text_width(title, 16.0, true) > 440.0 + 100.0);
}

/// Three classes, each leading in a third of the plane.
fn three_class_panel() -> Panel {
    let (nx, ny) = (30usize, 20usize);
    let mut grid = Vec::new();
    for j in 0..ny {
        for i in 0..nx {
            let x = (i as f32 + 0.5) / nx as f32;
            let y = (j as f32 + 0.5) / ny as f32;
            let lead = if x < 0.4 {
                0
            } else if y < 0.5 {
                1
            } else {
                2
            };
            let mut p = [0.1f32; 3];
            p[lead] = 0.8;
            grid.extend(p);
        }
    }
    let points =
        (0..30).map(|k| (f64::from(k % 10) / 10.0, f64::from(k / 10) / 3.0, (k % 3) as u8)).collect();
    Panel {
        title: "three".into(),
        x_range: (0.0, 1.0),
        y_range: (0.0, 1.0),
        grid: (nx, ny, grid),
        classes: 3,
        points,
    }
}

/// Whether `p` is class `k`'s region colour: on the way from white to the class colour, at
/// least `t` of it.
fn tinted(p: [u8; 3], k: usize, t: f64) -> bool {
    let c = series_color(k);
    let full = [c.0, c.1, c.2];
    let along: Vec<f64> = (0..3)
        .filter(|&ch| full[ch] < 200)
        .map(|ch| (255.0 - f64::from(p[ch])) / (255.0 - f64::from(full[ch])))
        .collect();
    let s = along.iter().sum::<f64>() / along.len() as f64;
    s >= t && (0..3).all(|ch| (f64::from(p[ch]) - (255.0 + (f64::from(full[ch]) - 255.0) * s)).abs() <= 3.0)
}

#[test]
fn three_classes_get_three_region_colours_and_their_boundaries() {
    let scene = decision_panels("three classes", &[three_class_panel()]);
    let r = scene.to_raster();
    // The plot, above the legend strip (48 px).
    let pixels: Vec<[u8; 3]> = (44..r.height - 48)
        .flat_map(|y| (0..r.width).map(move |x| (x, y)))
        .map(|(x, y)| r.get(x, y))
        .collect();
    for k in 0..3 {
        let n = pixels.iter().filter(|&&p| tinted(p, k, 0.3)).count();
        assert!(n > 2000, "class {k}'s region: {n} pixels");
    }
    assert!(pixels.iter().filter(|p| p.iter().all(|&c| c <= 40)).count() > 200, "boundaries drawn");
    let labels = texts(&scene.to_svg());
    assert!(labels.iter().any(|l| l == "boundary between predicted classes"), "{labels:?}");
    assert!(!labels.iter().any(|l| l.starts_with("P(class 1)")), "no probability bar for three classes");
    // Two classes keep the diverging P(class 1) map and its bar.
    assert!(texts(&decision_panels("d", &[panel()]).to_svg()).iter().any(|l| l == "P(class 1) = 0.5"));
}

#[test]
fn small_groups_are_drawn_as_points_without_boxes() {
    let groups: Vec<Group> = (0..3)
        .map(|k| Group {
            name: format!("g{k}"),
            color: series_color(k),
            values: vec![0.8 + 0.01 * k as f64, 0.85],
        })
        .collect();
    let boxes = |min_box| {
        let svg = box_points_opts("b", "y", &groups, &BoxOpts { min_box, ..BoxOpts::default() }).to_svg();
        (svg.matches("opacity=\"0.16\"").count(), svg.matches("<circle").count())
    };
    assert_eq!(boxes(1), (3, 12), "a box per group, each point filled and outlined");
    assert_eq!(boxes(5), (0, 12), "two values are fewer than 5: the points alone");
    assert_eq!(boxes(2), (3, 12));
}

/// Matrix sets for the animation tests: the paper network's shapes, a layout scaled down to
/// fit, and odd cases (missing values, NaN, zero scale, no columns).
fn animation_cases() -> Vec<Vec<HeatMap>> {
    let mut odd = vec![heat(3, 5, 0.3), heat(1, 1, 0.0), heat(4, 0, 0.0)];
    odd[0].values.truncate(9);
    odd[0].values[2] = f32::NAN;
    odd[0].scale = 0.0;
    odd[1].scale = -2.0;
    vec![
        vec![heat(2, 64, 0.0), heat(64, 64, 0.5), heat(64, 1, 1.0)],
        vec![heat(10, 90, 0.0), heat(90, 90, 0.0), heat(90, 33, 0.0), heat(7, 3, 0.0)],
        odd,
    ]
}

fn with_values(maps: &[HeatMap], t: f32) -> Vec<HeatMap> {
    maps.iter()
        .map(|m| HeatMap {
            values: m
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| v + (t * (1.0 + i as f32 * 0.013)).sin())
                .collect(),
            ..m.clone()
        })
        .collect()
}

#[test]
fn animator_frames_match_heatmap_frame() {
    let captions =
        ["epoch 0/250", "", "Glorot normal seed 3 — epoch 125/250", &"a much longer caption ".repeat(12)];
    for maps in animation_cases() {
        let template: Vec<HeatMap> =
            maps.iter().map(|m| HeatMap { values: Vec::new(), ..m.clone() }).collect();
        let mut anim = HeatmapAnimator::new(&template);
        for (k, caption) in captions.iter().enumerate() {
            let frame_maps = with_values(&maps, k as f32 * 0.7);
            let values: Vec<Vec<f32>> = frame_maps.iter().map(|m| m.values.clone()).collect();
            let expected = heatmap_frame(&frame_maps, caption);
            assert_eq!(anim.size(), (expected.width, expected.height));
            assert!(anim.frame(&values, caption) == &expected, "frame {k} of {:?}", maps.len());
        }
    }
}

#[test]
fn animator_indices_and_regions_give_the_gif_of_the_frames() {
    // The animator's palette indices are the frame's colours mapped one by one, frames differ
    // only inside its regions, and a GIF made from its indices and regions (LZW-coded while
    // written, or before) has the bytes of one made from the whole frames.
    let captions = ["epoch 0/250", "epoch 5/250", "epoch 5/250", "", &"a much longer caption ".repeat(12)];
    for maps in animation_cases() {
        let template: Vec<HeatMap> =
            maps.iter().map(|m| HeatMap { values: Vec::new(), ..m.clone() }).collect();
        let mut anim = HeatmapAnimator::new(&template);
        let regions = anim.regions();
        let (w, h) = anim.size();
        let mut writers: Vec<(GifWriter<Vec<u8>>, GifFrames)> = (0..3)
            .map(|_| (GifWriter::new(Vec::new(), w, h).expect("gif"), GifFrames::new(w, h, 80).expect("gif")))
            .collect();
        let mut before: Option<Raster> = None;
        for (k, caption) in captions.iter().enumerate() {
            // Frames 1 and 2 are identical.
            let frame_maps = with_values(&maps, [0.0, 0.4, 0.4, 1.1, 2.9][k]);
            let values: Vec<Vec<f32>> = frame_maps.iter().map(|m| m.values.clone()).collect();
            let (frame, idx) = anim.frame_indexed(&values, caption);
            assert!(frame == &heatmap_frame(&frame_maps, caption), "frame {k} of {:?}", maps.len());
            assert!(idx == indices(frame).as_slice(), "indices of frame {k} of {:?}", maps.len());
            if let Some(b) = &before {
                let inside = |i: usize| {
                    let (x, y) = (i % w as usize, i / w as usize);
                    regions.iter().any(|r| (r.0..r.0 + r.2).contains(&x) && (r.1..r.1 + r.3).contains(&y))
                };
                let outside_changed = (0..idx.len())
                    .filter(|&i| !inside(i))
                    .any(|i| b.pixels[3 * i..3 * i + 3] != frame.pixels[3 * i..3 * i + 3]);
                assert!(!outside_changed, "frame {k} changed outside the regions");
            }
            before = Some(frame.clone());
            let (frame, idx) = (frame.clone(), idx.to_vec());
            for (n, (gif, frames)) in writers.iter_mut().enumerate() {
                frames.set_delay_ms(if k + 1 == captions.len() { 2500 } else { 80 });
                let f = if n == 0 {
                    frames.delta(&idx, &everywhere(&frame))
                } else {
                    frames.delta(&idx, &regions)
                };
                let mut f = f.expect("frame");
                if n == 2 {
                    f.encode();
                }
                gif.write(&f).expect("frame");
            }
        }
        let bytes: Vec<Vec<u8>> = writers.into_iter().map(|(g, _)| g.finish().expect("gif")).collect();
        assert!(bytes[1] == bytes[0], "deltas within the regions, {:?} matrices", maps.len());
        assert!(bytes[2] == bytes[0], "LZW-coded beforehand, {:?} matrices", maps.len());
        assert_eq!(decode(&bytes[0]).len(), captions.len());
    }
}

/// The palette indices of `f`'s pixels.
fn indices(f: &Raster) -> Vec<u8> {
    let mut idx = vec![0; f.pixels.len() / 3];
    Quantizer::new().map(&f.pixels, &mut idx);
    idx
}

/// The whole of `f`, as the region where a frame may change.
fn everywhere(f: &Raster) -> [Region; 1] {
    [(0, 0, f.width as usize, f.height as usize)]
}

/// `f` as a full GIF frame shown for `delay_ms` (a GIF's first frame is stored in full).
fn full_frame(f: &Raster, delay_ms: u32) -> GifFrame {
    let mut frames = GifFrames::new(f.width, f.height, delay_ms).expect("gif");
    frames.delta(&indices(f), &[]).expect("frame")
}

/// Decodes a GIF into the RGB canvas shown after each frame, and each frame's delay.
fn decode(bytes: &[u8]) -> Vec<(Vec<u8>, u16)> {
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::Indexed);
    let mut dec = opts.read_info(Cursor::new(bytes)).expect("decode");
    let pal = dec.global_palette().expect("global palette").to_vec();
    let w = usize::from(dec.width());
    let mut canvas = vec![0u8; 3 * w * usize::from(dec.height())];
    let mut out = Vec::new();
    while let Some(f) = dec.read_next_frame().expect("frame") {
        assert_eq!(f.dispose, gif::DisposalMethod::Keep);
        for (j, row) in f.buffer.chunks_exact(usize::from(f.width)).enumerate() {
            for (i, &v) in row.iter().enumerate().filter(|(_, v)| Some(**v) != f.transparent) {
                let at = 3 * ((usize::from(f.top) + j) * w + usize::from(f.left) + i);
                canvas[at..at + 3].copy_from_slice(&pal[3 * usize::from(v)..3 * usize::from(v) + 3]);
            }
        }
        out.push((canvas.clone(), f.delay));
    }
    out
}

#[test]
fn gif_frames_decode_to_the_frames_given() {
    // Frames in the palette's pure colours (greys, series colours, RGB cube) decode exactly,
    // full or as deltas, with their delays.
    let pal: Vec<[u8; 3]> =
        gif_palette().into_iter().enumerate().filter(|(i, _)| *i < 24 || *i >= 185).map(|p| p.1).collect();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut rnd = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut frames = vec![Raster::new(37, 23, WHITE)];
    for k in 0..6 {
        let mut f = frames.last().expect("a frame").clone();
        for _ in 0..[0, 1, 40, 300, 0, 900][k] {
            let c = pal[(rnd() % pal.len() as u64) as usize];
            f.set((rnd() % 37) as u32, (rnd() % 23) as u32, RGBColor(c[0], c[1], c[2]));
        }
        frames.push(f);
    }
    let (mut full, mut delta) =
        (GifWriter::new(Vec::new(), 37, 23).expect("gif"), GifWriter::new(Vec::new(), 37, 23).expect("gif"));
    let mut delta_frames = GifFrames::new(37, 23, 80).expect("gif");
    for (k, f) in frames.iter().enumerate() {
        full.write(&full_frame(f, 80)).expect("frame");
        if k + 1 == frames.len() {
            delta_frames.set_delay_ms(2000);
        }
        delta.write(&delta_frames.delta(&indices(f), &everywhere(f)).expect("frame")).expect("frame");
    }
    let small = Raster::new(3, 3, WHITE);
    assert!(delta_frames.delta(&indices(&small), &everywhere(&small)).is_err(), "size mismatch rejected");
    let (full, delta) = (full.finish().expect("gif"), delta.finish().expect("gif"));
    let (full, delta) = (decode(&full), decode(&delta));
    assert_eq!((full.len(), delta.len()), (frames.len(), frames.len()), "the rejected frame is not written");
    for (k, f) in frames.iter().enumerate() {
        assert!(full[k].0 == f.pixels && delta[k].0 == f.pixels, "frame {k}");
        assert_eq!((full[k].1, delta[k].1), (8, if k + 1 == frames.len() { 200 } else { 8 }));
    }
}

#[test]
fn delta_gif_of_heat_maps_shows_the_same_frames_smaller() {
    let maps = &animation_cases()[0];
    let mut anim = HeatmapAnimator::new(maps);
    let (w, h) = anim.size();
    let (mut full, mut delta) =
        (GifWriter::new(Vec::new(), w, h).expect("gif"), GifWriter::new(Vec::new(), w, h).expect("gif"));
    let mut delta_frames = GifFrames::new(w, h, 80).expect("gif");
    for k in 0..8 {
        // Frames 3 and 4 are identical (an empty delta); the caption changes width.
        let t = [0.0, 0.01, 0.02, 0.5, 0.5, 0.51, 3.0, 3.0][k];
        let values: Vec<Vec<f32>> = with_values(maps, t).into_iter().map(|m| m.values).collect();
        let f = anim.frame(&values, &format!("epoch {}/250", [0, 5, 10, 100, 100, 105, 250, 250][k]));
        full.write(&full_frame(f, 80)).expect("frame");
        delta.write(&delta_frames.delta(&indices(f), &everywhere(f)).expect("frame")).expect("frame");
    }
    let (full, delta) = (full.finish().expect("finish"), delta.finish().expect("finish"));
    assert!(delta.len() * 4 < full.len() * 3, "{} vs {}", delta.len(), full.len());
    assert!(decode(&delta) == decode(&full), "delta frames decode to the full frames");
    // Pure colours stay exact through the palette.
    let c = series_color(0);
    let mut r = Raster::new(3, 1, WHITE);
    r.set(1, 0, RGBColor(0, 0, 0));
    r.set(2, 0, c);
    let mut g = GifWriter::new(Vec::new(), 3, 1).expect("gif");
    g.write(&full_frame(&r, 50)).expect("frame");
    assert_eq!(decode(&g.finish().expect("gif"))[0].0, r.pixels);
}

/// The text of every `<text>` element of `svg`, in drawing order.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim().to_string()))
        .collect()
}

/// The nine initializers' legend labels.
const NINE: [&str; 9] = [
    "small normal (σ = 0.01)",
    "Glorot normal",
    "He normal",
    "LeCun normal",
    "Glorot uniform",
    "He uniform",
    "Glorot truncated normal",
    "He truncated normal",
    "LeCun truncated normal",
];

fn named_series(names: &[&str]) -> Vec<Series> {
    let base = sample_series().remove(0);
    names
        .iter()
        .enumerate()
        .map(|(i, n)| Series { name: n.to_string(), color: series_color(i), ..base.clone() })
        .collect()
}

#[test]
fn twelve_series_colours_are_distinct_and_the_first_eight_are_okabe_ito() {
    let colours: Vec<_> = (0..SERIES_COLORS).map(series_color).collect();
    const { assert!(SERIES_COLORS >= 12) };
    assert_eq!(&colours[..8], &PALETTE[..]);
    // Each further colour is far (in RGB, L1) from every colour before it.
    for (i, a) in colours.iter().enumerate().skip(PALETTE.len()) {
        for b in &colours[..i] {
            let d = (i32::from(a.0) - i32::from(b.0)).abs()
                + (i32::from(a.1) - i32::from(b.1)).abs()
                + (i32::from(a.2) - i32::from(b.2)).abs();
            assert!(d >= 90, "series {i}: {a:?} too close to {b:?}");
        }
    }
    assert_eq!(series_color(SERIES_COLORS), series_color(0), "cycles");
    // A cycled colour is drawn dashed: its mean line is split into many short paths.
    let series = named_series(&(0..SERIES_COLORS + 1).map(|_| "s").collect::<Vec<_>>());
    let paths = |s: &[Series]| line_bands("t", "x", "y", s).to_svg().matches("<polyline").count();
    assert!(paths(&series) > paths(&series[..SERIES_COLORS]) + 5, "13th series dashed");
}

#[test]
fn legends_wrap_within_the_figure_width() {
    let rows = legend::legend_rows(&NINE, 848);
    assert!(rows.len() >= 2, "{rows:?}");
    assert_eq!(rows.concat(), (0..9).collect::<Vec<_>>(), "every entry once, in order");
    for row in &rows {
        let w: f64 =
            row.iter().map(|&i| 30.0 + text_width(NINE[i], 13.5, false).ceil() + 24.0).sum::<f64>() - 24.0;
        assert!(w <= 848.0, "row {row:?} is {w} px");
    }
    assert_eq!(legend::legend_rows(&NINE[..3], 848).len(), 1);
    assert_eq!(legend::legend_rows(&NINE, 100).len(), 9, "one per row when nothing fits beside");
    // Figure 7's layout makes room for the extra rows; three series keep one row.
    let panels = |names: &[&str]| vec![LinePanel { title: "layer".into(), series: named_series(names) }; 4];
    let log = LineOpts { log_y: true, ..LineOpts::default() };
    let (three, nine) = (
        multi_line_bands("m", "epoch", "y", &panels(&NINE[..3]), &log),
        multi_line_bands("m", "epoch", "y", &panels(&NINE), &log),
    );
    assert_eq!(three.height, 44 + 36 + 2 * 340);
    assert_eq!(nine.height, three.height + (rows.len() as u32 - 1) * legend::LEGEND_ROW_PITCH as u32);
    let labels = texts(&nine.to_svg());
    assert!(NINE.iter().all(|n| labels.iter().any(|l| l == n)), "every legend label drawn");
}

/// A single chart keeps up to `MAX_CORNER_LEGEND` entries in a corner box; more go in rows
/// above the plot (a corner box of nine covered the curves), which makes the figure taller.
#[test]
fn many_series_get_their_legend_above_the_plot() {
    let chart = |names: &[&str]| line_bands("t", "epoch", "y", &named_series(names));
    let few = chart(&NINE[..line::MAX_CORNER_LEGEND]);
    let many = chart(&NINE);
    assert_eq!(few.height, 560);
    let rows = legend::legend_rows(&NINE, 900 - 32).len() as u32;
    assert_eq!(many.height, 560 + 36 + (rows - 1) * legend::LEGEND_ROW_PITCH as u32);
    let labels = texts(&many.to_svg());
    assert!(NINE.iter().all(|n| labels.iter().filter(|l| l == n).count() == 1), "each label drawn once");
}

#[test]
fn log_axes_label_at_least_three_ticks() {
    let labels = |lo: f64, hi: f64| frame::log_ticks(lo, hi).iter().map(frame::log_tick).collect::<Vec<_>>();
    assert_eq!(labels(0.17, 1.3), ["0.2", "0.5", "1"]);
    assert_eq!(labels(0.0015, 0.09), ["0.002", "0.005", "0.01", "0.02", "0.05"]);
    assert_eq!(labels(0.38, 0.98), ["0.4", "0.5", "0.6", "0.7", "0.8", "0.9"]);
    assert_eq!(labels(0.003, 0.012), ["0.003", "0.004", "0.005", "0.006", "0.007", "0.008", "0.009", "0.01"]);
    assert_eq!(labels(1e-4, 2.0), ["0.0001", "0.001", "0.01", "0.1", "1"], "three powers: powers only");
    assert_eq!(labels(3e-6, 4e-5), ["5e-6", "1e-5", "2e-5"]);
    assert_eq!(labels(40.0, 900.0), ["50", "100", "200", "500"]);
    assert!(labels(1e-12, 1e3).len() <= 10, "many decades are thinned");
    assert!(frame::log_ticks(0.0, 1.0).is_empty() && frame::log_ticks(f64::NAN, 1.0).is_empty());
    for (lo, hi) in [(0.17, 1.3), (0.031, 0.0029), (7.0, 7.9), (1e-7, 3e-7)] {
        let t = frame::log_ticks(lo, hi);
        assert!(t.windows(2).all(|w| w[0] < w[1]), "{t:?}");
        assert!(t.iter().all(|&v| v >= lo.min(hi) && v <= hi.max(lo)), "{t:?}");
    }
    // The chart draws them: a loss curve from 1.2 to 0.2 is labelled 0.2, 0.5 and 1.
    let x: Vec<f64> = (0..20).map(f64::from).collect();
    let loss: Vec<f64> = x.iter().map(|e| 0.2 + (-e * 0.3).exp()).collect();
    let opts = LineOpts { log_y: true, ..LineOpts::default() };
    let svg = line_bands_opts(
        "loss",
        "epoch",
        "loss",
        &[Series::new("a", series_color(0), x, loss, vec![])],
        &opts,
    )
    .to_svg();
    let labels = texts(&svg);
    for l in ["0.2", "0.5", "1"] {
        assert!(labels.iter().any(|t| t == l), "{l} in {labels:?}");
    }
}

#[test]
fn reference_labels_are_drawn_over_the_curves() {
    let svg = sample_scene().to_svg();
    let label = svg.find("ceiling 0.88").expect("label drawn");
    let last_curve = svg
        .match_indices("<polyline")
        .filter(|(i, _)| {
            let el = &svg[*i..*i + svg[*i..].find("/>").expect("closed")];
            el.contains("stroke-width=\"2\"") && el.matches(',').count() > 2
        })
        .map(|(i, _)| i)
        .last()
        .expect("mean curves");
    assert!(label > last_curve, "label at {label}, last mean curve at {last_curve}");
}

#[test]
fn every_text_of_every_figure_has_its_glyphs() {
    let mut checked = 0;
    for scene in every_scene() {
        for (text, bold) in svg_texts(&scene.to_svg()) {
            assert_eq!(missing_glyphs(&text, bold), Vec::<char>::new(), "{scene:?}: {text:?}");
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} texts");
    // The check finds a character the font lacks.
    assert_eq!(missing_glyphs("a\u{E001}b", false), ['\u{E001}']);
    assert_eq!(
        svg_texts("<text x=\"1\" font-weight=\"bold\">\na &lt;&amp;&gt; b\n</text>"),
        [("a <&> b".to_string(), true)]
    );
}

/// Accuracy curves of `n` series over 250 epochs: `f(series, epoch)`, each with four members
/// around it and a band of `sd`.
fn curves(n: usize, sd: f64, f: impl Fn(usize, f64) -> f64) -> Vec<Series> {
    (0..n)
        .map(|k| {
            let x: Vec<f64> = (1..=250).map(f64::from).collect();
            let mean: Vec<f64> = x.iter().map(|&e| f(k, e)).collect();
            let members =
                (0..4).map(|m| mean.iter().map(|v| v + sd * (f64::from(m) - 1.5) / 1.5).collect()).collect();
            Series::new(NINE[k], series_color(k), x, mean, vec![sd; 250]).with_members(members)
        })
        .collect()
}

/// The figure's plot, its reference labels (boxes right of the plot) and its legend boxes.
fn parts(g: &Geometry) -> (Rect, Vec<Rect>, Vec<Rect>) {
    assert_eq!(g.plots.len(), 1);
    let plot = g.plots[0];
    let (right, other): (Vec<Rect>, Vec<Rect>) = g.labels.iter().partition(|r| r.x0 > plot.x1);
    (plot, right, other)
}

#[test]
fn no_label_or_legend_covers_a_curve() {
    let ceiling =
        LineOpts { hlines: vec![(0.883, "ceiling (Bayes-optimal) 0.883".into())], ..LineOpts::default() };
    // Curves hugging the ceiling from epoch 150 on (the label used to sit there), the y range
    // fitted to them: every curve ends at the ceiling.
    let hugging = curves(3, 0.004, |k, e| 0.883 + 0.002 * (k as f64 - 1.0) - 0.3 * (-(e / 30.0)).exp());
    let g = line_bands_opts("hugging", "epoch", "accuracy", &hugging, &ceiling).geometry();
    assert_eq!(g.overlaps(), Vec::<(usize, usize)>::new());
    let (plot, right, legend) = parts(&g);
    assert_eq!(right.len(), 1, "the ceiling's label, in the right margin: {g:?}");
    assert_eq!(legend.len(), 1, "the legend, in a corner");
    assert!(legend[0].x0 >= plot.x0 && legend[0].y1 <= plot.y1, "inside the plot: {legend:?} {plot:?}");
    // The ceiling itself is a curve the legend keeps clear of.
    assert!(g.curves.iter().any(|c| c.len() == 2 && c[0].1 == c[1].1 && c[0].0 == plot.x0));

    // Curves through every corner: the legend goes above the plot, the plot keeps the figure.
    let everywhere = curves(3, 0.01, |k, e| 0.5 + 0.4 * ((e + 40.0 * k as f64) / 9.0).sin());
    let scene = line_bands_opts("everywhere", "epoch", "accuracy", &everywhere, &ceiling);
    let g = scene.geometry();
    assert_eq!(g.overlaps(), Vec::<(usize, usize)>::new());
    let (plot, right, above) = parts(&g);
    assert_eq!(right.len(), 1);
    assert!(!above.is_empty() && above.iter().all(|r| r.y1 < plot.y0), "above the plot: {above:?} {plot:?}");
    assert_eq!(scene.height, 560);

    // The same on a log axis, and in a grid of charts; and without a free corner in a scatter.
    let log = LineOpts { log_y: true, ..ceiling.clone() };
    for scene in [
        line_bands_opts("log", "epoch", "loss", &hugging, &log),
        line_bands_opts("log", "epoch", "loss", &everywhere, &log),
        line_bands_opts(
            "nine",
            "epoch",
            "accuracy",
            &curves(9, 0.01, |k, e| 0.5 + 0.01 * k as f64 + e / 1000.0),
            &ceiling,
        ),
        multi_line_bands(
            "m",
            "epoch",
            "y",
            &vec![LinePanel { title: "p".into(), series: everywhere.clone() }; 4],
            &log,
        ),
        sample_scene(),
    ] {
        let g = scene.geometry();
        assert!(!g.labels.is_empty() && g.curves.len() > 3, "{scene:?}: recorded");
        assert_eq!(g.overlaps(), Vec::<(usize, usize)>::new(), "{scene:?}");
    }
}

#[test]
fn a_scatter_legend_covers_no_point() {
    let spread: Vec<(f64, f64, u8)> =
        (0..400).map(|i| (f64::from(i % 20), f64::from(i / 20), (i % 3) as u8)).collect();
    let corner_free: Vec<(f64, f64, u8)> =
        (0..200).map(|i| (f64::from(i % 20) / 2.0, 3.0 + f64::from(i / 20) / 4.0, (i % 2) as u8)).collect();
    for (points, strip) in [(spread, true), (corner_free, false)] {
        let g = scatter_classes("s", &points).geometry();
        assert_eq!(g.overlaps(), Vec::<(usize, usize)>::new());
        assert_eq!(g.curves.len(), points.len());
        let plot = g.plots[0];
        let above = g.labels.iter().all(|r| r.y1 < plot.y0);
        assert_eq!(above, strip, "{:?} {plot:?}", g.labels);
    }
}
