//! Tests of [`super`] against reference values.
