//! `normalize`, `dot`, `cosine` and `dot_batch` over numpy float32 arrays, without copying.

use ferrogate_core::{vector, CoreError, Result};
use numpy::{PyArray1, PyUntypedArrayMethods};
use pyo3::prelude::*;

use crate::arrays;
use crate::errors::OrRaise;
use crate::gil::detach_if;

/// Inputs from this many values on are processed without the GIL: about 2 µs of work at
/// 65 ns per thousand values, against roughly 0.1 µs to release and retake an uncontended GIL.
const DETACH_MIN_VALUES: usize = 1 << 15;

#[pyfunction]
pub(crate) fn normalize(py: Python<'_>, v: &Bound<'_, PyAny>) -> PyResult<()> {
    normalize_in_place(py, v).or_raise()
}

#[pyfunction]
pub(crate) fn dot(py: Python<'_>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<f64> {
    pair(py, a, b, vector::dot).or_raise()
}

#[pyfunction]
pub(crate) fn cosine(py: Python<'_>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<f64> {
    pair(py, a, b, vector::cosine).or_raise()
}

#[pyfunction]
pub(crate) fn dot_batch<'py>(
    py: Python<'py>,
    matrix: &Bound<'py, PyAny>,
    query: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyArray1<f32>>> {
    scores(py, matrix, query).or_raise()
}

fn normalize_in_place(py: Python<'_>, v: &Bound<'_, PyAny>) -> Result<()> {
    let mut array = arrays::vector_mut(v, "v")?;
    let values = arrays::slice_mut(&mut array, "v")?;
    detach_if(py, values.len() >= DETACH_MIN_VALUES, || {
        vector::normalize(values)
    });
    Ok(())
}

fn pair(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    op: fn(&[f32], &[f32]) -> Result<f32>,
) -> Result<f64> {
    let (a, b) = (arrays::vector(a, "a")?, arrays::vector(b, "b")?);
    let (a, b) = (arrays::slice(&a, "a")?, arrays::slice(&b, "b")?);
    detach_if(py, a.len() >= DETACH_MIN_VALUES, || op(a, b)).map(f64::from)
}

fn scores<'py>(
    py: Python<'py>,
    matrix: &Bound<'py, PyAny>,
    query: &Bound<'py, PyAny>,
) -> Result<Bound<'py, PyArray1<f32>>> {
    let (matrix, query) = (
        arrays::matrix(matrix, "matrix")?,
        arrays::vector(query, "query")?,
    );
    let [rows, columns] = [matrix.shape()[0], matrix.shape()[1]];
    if columns != query.len() {
        let message = format!("matrix has {columns} columns but query has {}", query.len());
        return Err(CoreError::VectorShape(message));
    }

    let (values, query) = (
        arrays::slice(&matrix, "matrix")?,
        arrays::slice(&query, "query")?,
    );
    let mut out = vec![0.0; rows];
    let large = values.len() >= DETACH_MIN_VALUES;
    detach_if(py, large, || vector::dot_batch(values, query, &mut out))?;
    Ok(PyArray1::from_vec(py, out))
}
