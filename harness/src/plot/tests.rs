//! Unit tests of the plot module.

use std::io::Cursor;

use super::*;

fn sample_series() -> Vec<Series> {
    (0..3)
        .map(|i| {
            let x: Vec<f64> = (0..20).map(|e| e as f64).collect();
            let mean: Vec<f64> =
                x.iter().map(|e| 0.5 + 0.4 * (1.0 - (-(e + 1.0) * 0.1 * (i + 1) as f64).exp())).collect();
            Series::new(&format!("init {i}"), series_color(i), x, mean, vec![0.03; 20])
        })
        .collect()
}

fn sample_scene() -> Scene {
    line_bands("Accuracy ± std", "epoch", "accuracy", &sample_series())
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
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap_or("").to_string());
        }
    }
    stack.is_empty()
}

#[test]
fn svg_is_well_formed() {
    let svg = sample_scene().to_svg();
    assert!(svg.starts_with("<svg"));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(tags_balanced(&svg));
    assert!(svg.contains("<text") && svg.contains("clip-path"));
    let heat = heatmap_scene(&[heat(2, 5, 0.0)], "caption <&>").to_svg();
    assert!(tags_balanced(&heat));
    assert!(heat.contains("caption &lt;&amp;&gt;"));
    assert!(!tags_balanced("<svg><g></svg>"));
}

#[test]
fn raster_has_size_background_and_ink() {
    let s = sample_scene();
    let r = s.to_raster();
    assert_eq!((r.width, r.height), (s.width, s.height));
    assert_eq!(r.pixels.len(), 3 * s.width as usize * s.height as usize);
    let px: Vec<&[u8]> = r.pixels.chunks_exact(3).collect();
    assert!(px.iter().any(|p| p == &[255, 255, 255]), "background present");
    assert!(px.iter().any(|p| p.iter().all(|&c| c < 60)), "dark text ink present");
    let c = series_color(1);
    assert!(px.iter().any(|p| p == &[c.r, c.g, c.b]), "series colour present");
}

#[test]
fn png_round_trip() {
    let r = sample_scene().to_raster();
    let bytes = r.to_png();
    let mut reader = png::Decoder::new(Cursor::new(bytes)).read_info().expect("valid png");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("frame");
    assert_eq!((info.width, info.height), (r.width, r.height));
    assert_eq!(info.color_type, png::ColorType::Rgb);
    assert_eq!(&buf[..info.buffer_size()], &r.pixels[..]);
}

#[test]
fn output_is_deterministic() {
    let (a, b) = (sample_scene(), sample_scene());
    assert_eq!(a.to_svg(), b.to_svg());
    assert_eq!(a.to_raster().to_png(), b.to_raster().to_png());
}

fn heat(rows: usize, cols: usize, shift: f32) -> HeatMap {
    let values = (0..rows * cols).map(|i| (i as f32 * 0.37 + shift).sin()).collect();
    HeatMap { title: format!("W {rows}×{cols}"), rows, cols, values, scale: 1.0 }
}

#[test]
fn gif_round_trip_frame_count() {
    let mats = |t: f32| vec![heat(2, 64, t), heat(64, 2, t), heat(8, 8, t)];
    let first = heatmap_frame(&mats(0.0), "epoch 0");
    assert!(first.width <= 1400 && first.height <= 500, "{}×{}", first.width, first.height);
    let mut w = GifWriter::new(Vec::new(), first.width, first.height, 100).expect("gif");
    for i in 0..4 {
        w.add_frame(&heatmap_frame(&mats(i as f32), &format!("epoch {i}/3"))).expect("frame");
    }
    assert_eq!(w.frames(), 4);
    assert!(w.add_frame(&Raster::new(3, 3, Color::WHITE)).is_err(), "size mismatch rejected");
    let bytes = w.finish().expect("finish");
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::Indexed);
    let mut dec = opts.read_info(Cursor::new(bytes)).expect("decode");
    assert_eq!((dec.width() as u32, dec.height() as u32), (first.width, first.height));
    let mut n = 0;
    while let Some(f) = dec.read_next_frame().expect("frame") {
        assert_eq!(f.delay, 10);
        n += 1;
    }
    assert_eq!(n, 4);
}

#[test]
fn gif_keeps_pure_colours_exact() {
    let mut r = Raster::new(4, 1, Color::WHITE);
    r.set(1, 0, Color::BLACK);
    r.set(2, 0, series_color(0));
    let mut w = GifWriter::new(Vec::new(), 4, 1, 50).expect("gif");
    w.add_frame(&r).expect("frame");
    let bytes = w.finish().expect("finish");
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    let mut dec = opts.read_info(Cursor::new(bytes)).expect("decode");
    let f = dec.read_next_frame().expect("read").expect("one frame");
    let c = series_color(0);
    assert_eq!(&f.buffer[..12], &[255, 255, 255, 255, 0, 0, 0, 255, c.r, c.g, c.b, 255]);
}

#[test]
fn heatmap_panels_are_large_enough() {
    // 2×64 and 64×2 matrices still get ≥ 160 px on the short side.
    let s = heatmap_scene(&[heat(2, 64, 0.0), heat(64, 2, 0.0)], "c");
    let sizes: Vec<(f64, f64)> = s
        .cmds
        .iter()
        .filter_map(|c| match c {
            Cmd::Image { w, h, image, .. } if image.width > 1 => Some((*w, *h)),
            _ => None,
        })
        .collect();
    assert_eq!(sizes.len(), 2);
    for (w, h) in sizes {
        assert!(w.min(h) >= 160.0, "{w}×{h}");
    }
}

fn ink_bbox(r: &Raster) -> Option<(u32, u32, u32, u32)> {
    let mut bb: Option<(u32, u32, u32, u32)> = None;
    for y in 0..r.height {
        for x in 0..r.width {
            if r.get(x, y) != [255, 255, 255] {
                let b = bb.get_or_insert((x, y, x, y));
                *b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
            }
        }
    }
    bb
}

#[test]
fn text_ink_stays_in_expected_box() {
    let mut s = Scene::new(200, 60);
    s.text(10.0, 30.0, "Epoch 10", TextStyle::new(2));
    let r = s.to_raster();
    let w = text_width("Epoch 10", 2) as u32;
    assert_eq!(w, 8 * 12 - 2);
    let (x0, y0, x1, y1) = ink_bbox(&r).expect("ink");
    // Cap box is 14 px tall centred on y = 30; 'p' adds a 4 px descender.
    assert_eq!((x0, y0), (10, 23));
    assert_eq!(x1, 10 + w - 1);
    assert_eq!(y1, 23 + 14 + 4 - 1);
    let ink = r.pixels.chunks_exact(3).filter(|p| p != &[255, 255, 255]).count();
    assert!(ink > 150, "{ink}");
}

#[test]
fn vertical_and_anchored_text() {
    let mut s = Scene::new(100, 200);
    s.text(50.0, 100.0, "abc", TextStyle::new(2).vertical().anchor(Anchor::Middle));
    let (x0, y0, x1, y1) = ink_bbox(&s.to_raster()).expect("ink");
    let w = text_width("abc", 2) as u32;
    assert!(x0 >= 43 && x1 < 57 + 4, "x {x0}..{x1}");
    assert!(y0 >= 100 - w / 2 - 1 && y1 <= 100 + w / 2 + 1, "y {y0}..{y1}");
    let mut s = Scene::new(100, 40);
    s.text(90.0, 20.0, "1.0", TextStyle::new(2).anchor(Anchor::End));
    let (_, _, x1, _) = ink_bbox(&s.to_raster()).expect("ink");
    assert!((88..=90).contains(&x1), "{x1}");
}

#[test]
fn font_covers_ascii_and_extras() {
    let unknown = font::glyph('\u{E000}');
    for c in (0x21u8..0x7F).map(char::from).chain("±σ→‖Δ×–—⋮".chars()) {
        assert_ne!(font::glyph(c), unknown, "missing glyph {c:?}");
    }
    assert_eq!(font::glyph(' '), [0; font::ROWS]);
}

#[test]
fn box_stats_match_numpy() {
    let v: Vec<f64> = (1..=10).map(|x| x as f64).collect();
    let b = box_stats(&v).expect("stats");
    assert!((b.q1 - 3.25).abs() < 1e-12);
    assert!((b.median - 5.5).abs() < 1e-12);
    assert!((b.q3 - 7.75).abs() < 1e-12);
    assert_eq!((b.whisker_lo, b.whisker_hi, b.n), (1.0, 10.0, 10));
    let b = box_stats(&[4.0, 1.0, 100.0, 3.0, 2.0, f64::NAN]).expect("stats");
    assert_eq!((b.q1, b.median, b.q3, b.n), (2.0, 3.0, 4.0, 5));
    assert_eq!((b.whisker_lo, b.whisker_hi), (1.0, 4.0));
    assert!(box_stats(&[f64::NAN]).is_none());
    assert_eq!(percentile(&[7.0], 25.0), 7.0);
    // The figure renders, including a degenerate (constant) group.
    let g = vec![
        Group { name: "a".into(), color: series_color(0), values: v },
        Group { name: "b".into(), color: series_color(1), values: vec![0.5; 4] },
    ];
    let r = box_points("t", "y", &g).to_raster();
    assert!(r.width >= 560);
}

#[test]
fn nice_ticks_follow_1_2_5() {
    let close =
        |a: &[f64], b: &[f64]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
    assert!(close(&nice_ticks(0.0, 1.0, 5), &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]));
    assert!(close(&nice_ticks(0.0, 250.0, 5), &[0.0, 50.0, 100.0, 150.0, 200.0, 250.0]));
    assert!(close(&nice_ticks(-0.35, 0.35, 5), &[-0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3]));
    assert!(close(&nice_ticks(1.0, 100.0, 4), &[20.0, 40.0, 60.0, 80.0, 100.0]));
    assert!(close(&nice_ticks(0.93, 0.985, 5), &[0.93, 0.94, 0.95, 0.96, 0.97, 0.98]));
    assert_eq!(nice_step(0.0, 7.0, 7), 1.0);
    assert_eq!(format_tick(0.6000000000000001, 0.2), "0.6");
    assert_eq!(format_tick(-0.1, 0.1), "-0.1");
    assert_eq!(format_tick(3e-4, 1e-4), "3e-4");
    assert_eq!(format_tick(250.0, 50.0), "250");
    assert_eq!(format_tick(0.0, 0.05), "0");
    let (major, minor) = log_ticks(1e-3, 10.0);
    assert!(close(&major, &[1e-3, 1e-2, 1e-1, 1.0, 10.0]));
    assert_eq!(minor.len(), 4 * 8);
    let (major, _) = log_ticks(0.003, 0.2);
    assert!(close(&major, &[0.005, 0.01, 0.02, 0.05, 0.1, 0.2]));
    assert_eq!(format_log_tick(0.01), "0.01");
    assert_eq!(format_log_tick(1e-5), "1e-5");
    assert_eq!(format_log_tick(100.0), "100");
}

#[test]
fn every_builder_renders() {
    let pts: Vec<(f64, f64, u8)> =
        (0..40).map(|i| ((i as f64 * 0.3).sin(), (i as f64 * 0.7).cos(), (i % 3) as u8)).collect();
    let grid: Vec<f32> = (0..12 * 8).map(|i| (i % 12) as f32 / 11.0).collect();
    let panel = Panel {
        title: "p".into(),
        x_range: (-1.0, 1.0),
        y_range: (-1.0, 1.0),
        grid: (12, 8, grid),
        points: pts.clone(),
    };
    let opts = LineOpts { log_y: true, ..LineOpts::default() };
    let lp = LinePanel { title: "layer 1".into(), series: sample_series() };
    let scenes = [
        scatter_classes("s", &pts),
        decision_panels("d", &[panel.clone(), panel]),
        architecture("a", &[2, 64, 64, 1], &["Dense 2→64 + ReLU".into(), "x".into(), "y".into()]),
        architecture("a", &[3, 5], &["in".into(), "out".into()]),
        multi_line_bands("m", "epoch", "‖ΔW‖/‖W‖", &[lp.clone(), lp.clone(), lp.clone(), lp], &opts),
        line_bands("empty", "x", "y", &[]),
    ];
    for s in scenes {
        let r = s.to_raster();
        assert!(r.pixels.chunks_exact(3).any(|p| p != [255, 255, 255]));
        assert!(tags_balanced(&s.to_svg()));
    }
}

#[test]
fn dashed_and_clipped_paths_render() {
    let mut s = Scene::new(50, 20);
    s.clipped(0.0, 0.0, 25.0, 20.0, |s| {
        s.line((0.0, 10.5), (50.0, 10.5), Stroke::new(Color::BLACK, 1.0).dashed(4.0, 4.0))
    });
    let r = s.to_raster();
    assert_eq!(r.get(1, 10), [0, 0, 0]);
    assert_eq!(r.get(5, 10), [255, 255, 255], "gap of the dash");
    assert_eq!(r.get(40, 10), [255, 255, 255], "clipped");
}

/// Matrix sets for the animation tests: the paper network's shapes, a layout that is scaled
/// down to fit (non-integer cells), and odd cases (missing values, NaN, zero scale, no columns).
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
        .map(|m| {
            let values =
                m.values.iter().enumerate().map(|(i, v)| v + (t * (1.0 + i as f32 * 0.013)).sin()).collect();
            HeatMap { values, ..m.clone() }
        })
        .collect()
}

#[test]
fn animator_frames_match_heatmap_frame() {
    let captions = ["epoch 0/250", "", "Glorot seed 3 — epoch 125/250", &"a much longer caption ".repeat(12)];
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

/// Decodes a GIF into the full canvas shown after each frame (transparency and
/// `Keep` disposal applied).
fn decode_canvases(bytes: Vec<u8>) -> Vec<Vec<u8>> {
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::Indexed);
    let mut dec = opts.read_info(Cursor::new(bytes)).expect("decode");
    let w = dec.width() as usize;
    let mut canvas = vec![0u8; w * dec.height() as usize];
    let mut out = Vec::new();
    while let Some(f) = dec.read_next_frame().expect("frame") {
        assert_eq!(f.dispose, gif::DisposalMethod::Keep);
        for (j, row) in f.buffer.chunks_exact(f.width as usize).enumerate() {
            for (i, &v) in row.iter().enumerate() {
                if Some(v) != f.transparent {
                    canvas[(f.top as usize + j) * w + f.left as usize + i] = v;
                }
            }
        }
        out.push(canvas.clone());
    }
    out
}

#[test]
fn delta_gif_shows_the_same_frames_smaller() {
    let maps = &animation_cases()[0];
    let mut anim = HeatmapAnimator::new(maps);
    let (w, h) = anim.size();
    let mut full = GifWriter::new(Vec::new(), w, h, 80).expect("gif");
    let mut delta = GifWriter::new(Vec::new(), w, h, 80).expect("gif");
    let mut opaque = GifWriter::new(Vec::new(), w, h, 80).expect("gif").without_transparency();
    for k in 0..8 {
        // Frames 3 and 4 are identical (an empty delta); the caption moves and changes width.
        let t = [0.0, 0.01, 0.02, 0.5, 0.5, 0.51, 3.0, 3.0][k];
        let values: Vec<Vec<f32>> = with_values(maps, t).into_iter().map(|m| m.values).collect();
        let f = anim.frame(&values, &format!("epoch {}/250", [0, 5, 10, 100, 100, 105, 250, 250][k]));
        full.add_frame(f).expect("frame");
        delta.add_frame_delta(f).expect("frame");
        opaque.add_frame_delta(f).expect("frame");
    }
    assert!(delta.add_frame_delta(&Raster::new(3, 3, Color::WHITE)).is_err(), "size mismatch rejected");
    assert_eq!(delta.frames(), 8);
    let (full, delta) = (full.finish().expect("finish"), delta.finish().expect("finish"));
    assert!(delta.len() * 4 < full.len() * 3, "{} vs {}", delta.len(), full.len());
    let expected = decode_canvases(full);
    assert!(decode_canvases(delta) == expected, "delta frames decode to the full frames");
    assert!(decode_canvases(opaque.finish().expect("finish")) == expected, "also without transparency");
}
