//! Tests of [`Accuracy`]: exact comparison and conversion (integer
//! arithmetic; the expected values are hand-computed).

use super::*;

#[test]
fn exact_comparison_across_denominators() {
    let a = |c, n| Accuracy::new(c, n).unwrap();
    assert_eq!(a(1, 2), a(150, 300));
    assert!(a(2, 3) > a(199, 300) && a(2, 3) < a(201, 300));
    assert_eq!(a(200, 300), a(2, 3));
    assert_eq!(a(0, 5), a(0, 300));
    assert_eq!(a(u32::MAX, u32::MAX), a(1, 1));
    assert!(a(u32::MAX - 1, u32::MAX) < a(1, 1));
    let mut v = [a(3, 4), a(1, 3), a(2, 3), a(1, 2)];
    v.sort();
    assert_eq!(v.iter().map(|x| (x.correct(), x.of())).collect::<Vec<_>>(), [(1, 3), (1, 2), (2, 3), (3, 4)]);
    assert_eq!(a(287, 300).value(), 287.0 / 300.0);
}

#[test]
fn construction_is_checked() {
    assert!(Accuracy::new(1, 0).is_none() && Accuracy::new(0, 0).is_none());
    assert!(Accuracy::new(301, 300).is_none());
    assert!(Accuracy::new(300, 300).is_some());
}

#[test]
fn counts_are_recovered_from_stored_fractions() {
    for k in 0..=300u32 {
        // As the core stores it (f32 division), and as an f64 fraction.
        let stored = f64::from(k as f32 / 300.0f32);
        assert_eq!(Accuracy::from_fraction(stored, 300).map(|x| x.correct()), Some(k), "f32 {k}");
        let exact = f64::from(k) / 300.0;
        assert_eq!(Accuracy::from_fraction(exact, 300).map(|x| x.correct()), Some(k), "f64 {k}");
    }
    // Not a multiple of 1/300, or out of range.
    assert_eq!(Accuracy::from_fraction(0.9634, 300), None);
    assert_eq!(Accuracy::from_fraction(0.5 + 1e-12, 300), None);
    assert_eq!(Accuracy::from_fraction(1.1, 300), None);
    assert_eq!(Accuracy::from_fraction(-0.0, 300).map(|x| x.correct()), Some(0));
    assert_eq!(Accuracy::from_fraction(f64::NAN, 300), None);
    assert_eq!(Accuracy::from_fraction(0.5, 0), None);
}
