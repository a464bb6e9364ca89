//! Where a figure's data and its labels are, in pixels, and the rule that keeps them apart: a
//! label or legend box goes where no curve, band or point passes ([`first_free`]); a figure
//! records what it drew in a [`Geometry`] ([`super::Scene::geometry`]) so that tests can check
//! the rule on the figure as drawn.

/// A rectangle in figure pixels: `x0 ≤ x ≤ x1`, `y0 ≤ y ≤ y1` (y grows downwards).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rect {
    /// Left edge.
    pub x0: i32,
    /// Top edge.
    pub y0: i32,
    /// Right edge.
    pub x1: i32,
    /// Bottom edge.
    pub y1: i32,
}

impl Rect {
    /// The rectangle with top-left corner `(x, y)`, `w` wide and `h` high.
    pub(crate) fn at(x: i32, y: i32, w: i32, h: i32) -> Rect {
        Rect { x0: x, y0: y, x1: x + w, y1: y + h }
    }

    /// The rectangle moved by `(dx, dy)`.
    pub(crate) fn moved(&self, (dx, dy): (i32, i32)) -> Rect {
        Rect { x0: self.x0 + dx, y0: self.y0 + dy, x1: self.x1 + dx, y1: self.y1 + dy }
    }

    /// Whether `p` is inside or on the edge.
    pub(crate) fn contains(&self, p: (i32, i32)) -> bool {
        (self.x0..=self.x1).contains(&p.0) && (self.y0..=self.y1).contains(&p.1)
    }

    /// The rectangle grown by `d` pixels on every side.
    pub(crate) fn grown(&self, d: i32) -> Rect {
        Rect { x0: self.x0 - d, y0: self.y0 - d, x1: self.x1 + d, y1: self.y1 + d }
    }

    /// Whether the segment `a`–`b` has a point inside or on the edge (Liang–Barsky clipping:
    /// the segment `a + t·(b − a)`, `t ∈ [0, 1]`, is cut to each of the four half-planes in
    /// turn; it meets the rectangle when an interval of `t` remains).
    pub(crate) fn meets_segment(&self, a: (i32, i32), b: (i32, i32)) -> bool {
        let (ax, ay) = (f64::from(a.0), f64::from(a.1));
        let (dx, dy) = (f64::from(b.0) - ax, f64::from(b.1) - ay);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        // Each edge as `p·t ≤ q`.
        let edges = [
            (-dx, ax - f64::from(self.x0)),
            (dx, f64::from(self.x1) - ax),
            (-dy, ay - f64::from(self.y0)),
            (dy, f64::from(self.y1) - ay),
        ];
        for (p, q) in edges {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }

    /// Whether any point or segment of `line` (a polyline; one point is a marker) meets it.
    pub(crate) fn meets(&self, line: &[(i32, i32)]) -> bool {
        match line {
            [] => false,
            [p] => self.contains(*p),
            _ => line.windows(2).any(|w| self.meets_segment(w[0], w[1])),
        }
    }
}

/// What a figure drew, in figure pixels: the plotting areas, every curve, band and point as a
/// polyline, and the box of every label and legend drawn near them. Recorded while drawing,
/// so it is the figure's own layout.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Geometry {
    /// The plotting area of each chart.
    pub plots: Vec<Rect>,
    /// Data as drawn: curves as polylines, a band as one vertical segment per x (its extent
    /// there), a point marker as one point.
    pub curves: Vec<Vec<(i32, i32)>>,
    /// Marker half-size in pixels (points are drawn this far around their centre).
    pub marker: i32,
    /// Boxes of labels and legends.
    pub labels: Vec<Rect>,
}

impl Geometry {
    /// Every `(label, curve)` pair whose box and curve meet (the curve's markers counted with
    /// their size): empty when no label or legend covers data.
    #[cfg(test)]
    pub(crate) fn overlaps(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (l, rect) in self.labels.iter().enumerate() {
            let rect = rect.grown(self.marker);
            for (c, line) in self.curves.iter().enumerate() {
                if rect.meets(line) {
                    out.push((l, c));
                }
            }
        }
        out
    }
}

/// The first of `boxes` that no curve of `curves` meets, `gap` pixels (and markers of half-size
/// `marker`) kept around it; `None` when every one is covered.
pub(crate) fn first_free(boxes: &[Rect], curves: &[Vec<(i32, i32)>], gap: i32, marker: i32) -> Option<usize> {
    boxes.iter().position(|b| {
        let b = b.grown(gap + marker);
        !curves.iter().any(|c| b.meets(c))
    })
}

/// Moves label boxes (sorted by their wanted centre `y`) down as little as needed so that no
/// two overlap, each at least `pitch` pixels below the one before; returns each box's top.
pub(crate) fn stack(wanted_tops: &[i32], heights: &[i32], pitch: i32) -> Vec<i32> {
    let mut order: Vec<usize> = (0..wanted_tops.len()).collect();
    order.sort_by_key(|&i| wanted_tops[i]);
    let mut tops = wanted_tops.to_vec();
    let mut floor = i32::MIN;
    for i in order {
        tops[i] = tops[i].max(floor);
        floor = tops[i] + heights[i] + pitch;
    }
    tops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_meet_a_rectangle_only_through_it() {
        let r = Rect::at(10, 10, 10, 10);
        assert!(r.meets_segment((0, 15), (30, 15)), "across");
        assert!(r.meets_segment((15, 0), (15, 30)), "down through");
        assert!(r.meets_segment((12, 12), (13, 13)), "inside");
        assert!(r.meets_segment((0, 0), (10, 10)), "to a corner");
        assert!(!r.meets_segment((0, 0), (30, 5)), "above");
        assert!(!r.meets_segment((0, 30), (30, 21)), "below");
        assert!(!r.meets_segment((0, 19), (9, 30)), "past a corner");
        assert!(r.meets(&[(15, 15)]) && !r.meets(&[(25, 15)]) && !r.meets(&[]));
        assert!(r.meets(&[(0, 0), (5, 0), (15, 12)]), "a later segment");
    }

    #[test]
    fn the_first_box_no_curve_meets_is_chosen() {
        let boxes = [Rect::at(0, 0, 10, 10), Rect::at(50, 0, 10, 10), Rect::at(0, 50, 10, 10)];
        let curve = vec![(0, 5), (40, 5)];
        assert_eq!(first_free(&boxes, std::slice::from_ref(&curve), 0, 0), Some(1));
        assert_eq!(first_free(&boxes, std::slice::from_ref(&curve), 12, 0), Some(2), "kept 12 px away");
        let everywhere = vec![vec![(0, 5), (60, 5)], vec![(5, 40), (5, 70)]];
        assert_eq!(first_free(&boxes, &everywhere, 0, 0), None);
        assert_eq!(first_free(&boxes, &[vec![(14, 5)]], 0, 0), Some(0));
        assert_eq!(first_free(&boxes, &[vec![(14, 5)]], 0, 5), Some(1), "a marker's size counts");
    }

    #[test]
    fn stacked_labels_do_not_overlap_and_keep_their_order() {
        assert_eq!(stack(&[100, 40, 105], &[20, 20, 20], 2), [100, 40, 122]);
        assert_eq!(stack(&[0, 10], &[30, 5], 0), [0, 30]);
        assert_eq!(stack(&[], &[], 3), Vec::<i32>::new());
    }
}
