//! `count_tokens`: the token count of a text under an OpenAI encoding.

use ferrogate_core::{Encoding, Result};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::errors::OrRaise;
use crate::gil::detach_if;

/// Texts from this size on are counted without the GIL: at about 25 ns a byte that is 25 µs
/// of work, against well under a microsecond to release and retake the GIL.
const DETACH_MIN_BYTES: usize = 1024;

/// A lone surrogate (which `json.loads` lets through) counts as U+FFFD instead of raising:
/// the count is an estimate for admission, not a reason to fail the request.
#[pyfunction]
#[pyo3(signature = (text, encoding = "o200k_base"))]
pub(crate) fn count_tokens(
    py: Python<'_>,
    text: &Bound<'_, PyString>,
    encoding: &str,
) -> PyResult<usize> {
    count(py, &text.to_string_lossy(), encoding).or_raise()
}

/// The UTF-8 is borrowed from an immutable `str` (or owned), so it can be read without the GIL.
fn count(py: Python<'_>, text: &str, encoding: &str) -> Result<usize> {
    let encoding: Encoding = encoding.parse()?;
    let large = text.len() >= DETACH_MIN_BYTES;
    Ok(detach_if(py, large, || {
        ferrogate_core::count_tokens(text, encoding)
    }))
}
