//! L2 normalisation and dot products over `f32` slices.
//!
//! The loops keep independent partial sums ("lanes"): a single accumulator forms a dependency
//! chain that LLVM may not reorder for floats, while fixed-size chunks let it use one SIMD
//! register per group of lanes. Where the CPU has AVX2 and FMA the loop is compiled a second
//! time for them and picked at run time, since the portable build may only assume SSE2.
//!
//! NOTE: measured on a 1536-dim dot (AMD EPYC, criterion, noisy to about 10%): portable SSE2
//! 164 ns with 16 lanes, 173 ns with 32; AVX2 90-110 ns either with 16 lanes and separate
//! multiply and add, or with 32 lanes and FMA (16 lanes with FMA: 115 ns, since each fused step
//! waits for the last; 64: 135 ns). FMA is kept because it rounds once per step, not twice.

use crate::{CoreError, Result};

const PORTABLE_LANES: usize = 16;
const FMA_LANES: usize = 32;

/// The dot product of two equally long vectors.
pub fn dot(a: &[f32], b: &[f32]) -> Result<f32> {
    same_length(a.len(), b.len())?;
    Ok(dot_fast(a, b))
}

/// The cosine similarity of two equally long vectors; 0 when either is zero.
///
/// Like any `f32` dot product, it loses precision when the products of the values underflow
/// (magnitudes below about 1e-19), far below anything an embedding model produces.
pub fn cosine(a: &[f32], b: &[f32]) -> Result<f32> {
    same_length(a.len(), b.len())?;
    let norms = l2_norm(a) * l2_norm(b);
    if norms == 0.0 {
        return Ok(0.0);
    }
    Ok((dot_fast(a, b) / norms).clamp(-1.0, 1.0))
}

/// Scales `v` in place to unit length; a zero vector stays zero.
pub fn normalize(v: &mut [f32]) {
    let norm = l2_norm(v);
    if norm.is_normal() {
        // Multiplying by the inverse: 280 ns for 1536 values against 440 ns dividing each.
        let inverse = 1.0 / norm;
        v.iter_mut().for_each(|x| *x *= inverse);
    } else if norm > 0.0 && norm.is_finite() {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// Writes the dot product of each row of the row-major `matrix` with `query` into `out`, which
/// holds one value per row.
pub fn dot_batch(matrix: &[f32], query: &[f32], out: &mut [f32]) -> Result<()> {
    let dim = query.len();
    if matrix.len() != out.len() * dim {
        let (rows, len) = (out.len(), matrix.len());
        let message = format!("matrix of {len} values is not {rows} rows of {dim}");
        return Err(CoreError::VectorShape(message));
    }
    if dim == 0 {
        out.fill(0.0);
        return Ok(());
    }
    for (row, slot) in matrix.chunks_exact(dim).zip(out.iter_mut()) {
        *slot = dot_fast(row, query);
    }
    Ok(())
}

fn same_length(a: usize, b: usize) -> Result<()> {
    if a == b {
        return Ok(());
    }
    Err(CoreError::VectorShape(format!(
        "vectors differ in length: {a} and {b}"
    )))
}

fn l2_norm(v: &[f32]) -> f32 {
    let norm = dot_fast(v, v).sqrt();
    if norm.is_normal() || norm.is_nan() {
        return norm;
    }
    // Squares leave f32's range above about 1.8e19 and below about 1e-19; dividing by the
    // largest magnitude first keeps them in it. Only such rare vectors pay the second pass.
    let peak = v.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    if peak == 0.0 || peak.is_infinite() {
        return norm;
    }
    peak * v
        .iter()
        .map(|x| (x / peak) * (x / peak))
        .sum::<f32>()
        .sqrt()
}

fn dot_fast(a: &[f32], b: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        // SAFETY: the CPU supports both features, checked just above.
        return unsafe { dot_avx2_fma(a, b) };
    }
    dot_portable(a, b)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn dot_avx2_fma(a: &[f32], b: &[f32]) -> f32 {
    dot_lanes::<FMA_LANES>(a, b, |sum, x, y| x.mul_add(y, sum))
}

fn dot_portable(a: &[f32], b: &[f32]) -> f32 {
    dot_lanes::<PORTABLE_LANES>(a, b, |sum, x, y| sum + x * y)
}

#[inline(always)]
fn dot_lanes<const N: usize>(a: &[f32], b: &[f32], step: impl Fn(f32, f32, f32) -> f32) -> f32 {
    let (a_chunks, a_tail) = a.as_chunks::<N>();
    let (b_chunks, b_tail) = b.as_chunks::<N>();
    let mut sums = [0.0f32; N];
    for (x, y) in a_chunks.iter().zip(b_chunks) {
        for ((sum, x), y) in sums.iter_mut().zip(x).zip(y) {
            *sum = step(*sum, *x, *y);
        }
    }
    let tail: f32 = a_tail.iter().zip(b_tail).map(|(x, y)| x * y).sum();
    sums.iter().sum::<f32>() + tail
}
