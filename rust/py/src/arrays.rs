//! Borrowing numpy `float32` arrays as Rust slices without copying. Anything else, including
//! other dtypes and non-contiguous views, is a `VectorShape` error: copying silently would
//! hide a slow path from the caller.
//!
//! NOTE: tried and dropped: reading arrays with the unsafe `as_slice` instead of through
//! rust-numpy's borrow tracker saves about 115 ns a call (dot of 1536: 285 ns to 168 ns), but
//! then a call racing a detached `normalize` on an overlapping view would read torn values
//! instead of raising.

use ferrogate_core::{CoreError, Result};
use numpy::ndarray::Dimension;
use numpy::{
    PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray, PyReadonlyArray1, PyReadonlyArray2,
    PyReadwriteArray1, PyUntypedArray, PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::type_object::PyTypeCheck;

pub(crate) fn vector<'py>(
    obj: &Bound<'py, PyAny>,
    name: &str,
) -> Result<PyReadonlyArray1<'py, f32>> {
    let array = cast::<PyArray1<f32>>(obj, name, "a 1-D float32 numpy array")?;
    array
        .try_readonly()
        .map_err(|_| shape(format!("{name} is being written elsewhere")))
}

pub(crate) fn vector_mut<'py>(
    obj: &Bound<'py, PyAny>,
    name: &str,
) -> Result<PyReadwriteArray1<'py, f32>> {
    let array = cast::<PyArray1<f32>>(obj, name, "a 1-D float32 numpy array")?;
    let message = || {
        shape(format!(
            "{name} must be writeable and not borrowed elsewhere"
        ))
    };
    array.try_readwrite().map_err(|_| message())
}

pub(crate) fn matrix<'py>(
    obj: &Bound<'py, PyAny>,
    name: &str,
) -> Result<PyReadonlyArray2<'py, f32>> {
    let array = cast::<PyArray2<f32>>(obj, name, "a 2-D float32 numpy array")?;
    // A Fortran-ordered array is contiguous too, but its values run down the columns.
    if !array.is_c_contiguous() {
        return Err(shape(format!("{name} must be C-contiguous (row-major)")));
    }
    array
        .try_readonly()
        .map_err(|_| shape(format!("{name} is being written elsewhere")))
}

pub(crate) fn slice<'a, D: Dimension>(
    array: &'a PyReadonlyArray<'_, f32, D>,
    name: &str,
) -> Result<&'a [f32]> {
    array
        .as_slice()
        .map_err(|_| shape(format!("{name} must be contiguous")))
}

pub(crate) fn slice_mut<'a>(
    array: &'a mut PyReadwriteArray1<'_, f32>,
    name: &str,
) -> Result<&'a mut [f32]> {
    array
        .as_slice_mut()
        .map_err(|_| shape(format!("{name} must be contiguous")))
}

fn cast<'a, 'py, T: PyTypeCheck>(
    obj: &'a Bound<'py, PyAny>,
    name: &str,
    wanted: &str,
) -> Result<&'a Bound<'py, T>> {
    obj.cast::<T>()
        .map_err(|_| shape(format!("{name} must be {wanted}, got {}", describe(obj))))
}

fn describe(obj: &Bound<'_, PyAny>) -> String {
    match obj.cast::<PyUntypedArray>() {
        Ok(array) => format!("a {}-D {} array", array.ndim(), array.dtype()),
        Err(_) => obj.get_type().to_string(),
    }
}

fn shape(message: String) -> CoreError {
    CoreError::VectorShape(message)
}
