use ferrogate_core::vector::{cosine, dot, dot_batch, normalize};
use ferrogate_core::CoreError;

/// Deterministic values in [-1, 1) without a random-number dependency.
fn values(len: usize, seed: u32) -> Vec<f32> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state as f32 / u32::MAX as f32) * 2.0 - 1.0
        })
        .collect()
}

fn reference_dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum()
}

#[test]
fn dot_matches_f64_reference_for_every_tail_length() {
    for len in (0..80).chain([1536, 3072]) {
        let (a, b) = (values(len, 1), values(len, 2));
        let got = f64::from(dot(&a, &b).unwrap());
        assert!(
            (got - reference_dot(&a, &b)).abs() < 1e-5 * (len as f64).max(1.0),
            "len {len}"
        );
    }
}

#[test]
fn normalize_gives_unit_length() {
    let mut v = values(1536, 3);
    normalize(&mut v);
    assert!((reference_dot(&v, &v) - 1.0).abs() < 1e-5);
}

#[test]
fn normalize_leaves_zero_vector_zero() {
    let mut v = vec![0.0f32; 7];
    normalize(&mut v);
    assert_eq!(v, [0.0; 7]);
}

#[test]
fn normalize_survives_squares_outside_f32_range() {
    for scale in [1e30f32, 1e-30] {
        let mut v = vec![3.0 * scale, 4.0 * scale];
        normalize(&mut v);
        assert!(
            (v[0] - 0.6).abs() < 1e-6 && (v[1] - 0.8).abs() < 1e-6,
            "{v:?}"
        );
    }
}

#[test]
fn cosine_of_parallel_opposite_and_zero_vectors() {
    let a = values(100, 4);
    let scaled: Vec<f32> = a.iter().map(|x| x * 3.0).collect();
    let negated: Vec<f32> = a.iter().map(|x| -x).collect();
    assert!((cosine(&a, &scaled).unwrap() - 1.0).abs() < 1e-6);
    assert!((cosine(&a, &negated).unwrap() + 1.0).abs() < 1e-6);
    assert_eq!(cosine(&a, &[0.0; 100]).unwrap(), 0.0);
}

#[test]
fn dot_batch_scores_each_row() {
    let (rows, dim) = (5, 37);
    let (matrix, query) = (values(rows * dim, 5), values(dim, 6));
    let mut out = vec![0.0; rows];
    dot_batch(&matrix, &query, &mut out).unwrap();
    for (row, score) in matrix.chunks(dim).zip(&out) {
        assert_eq!(*score, dot(row, &query).unwrap());
    }
}

#[test]
fn dot_batch_with_zero_dimension_scores_zero() {
    let mut out = vec![1.0; 3];
    dot_batch(&[], &[], &mut out).unwrap();
    assert_eq!(out, [0.0; 3]);
}

#[test]
fn mismatched_lengths_are_shape_errors() {
    assert!(matches!(
        dot(&[1.0], &[1.0, 2.0]),
        Err(CoreError::VectorShape(_))
    ));
    assert!(matches!(
        cosine(&[1.0], &[]),
        Err(CoreError::VectorShape(_))
    ));
    let mut out = [0.0; 2];
    assert!(matches!(
        dot_batch(&[1.0; 5], &[1.0; 2], &mut out),
        Err(CoreError::VectorShape(_))
    ));
}
