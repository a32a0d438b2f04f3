//! `ferrogate._native`: thin Python bindings over `ferrogate-core`.
//!
//! Every binding is one call into a helper; errors become Python exceptions only in
//! [`errors`]. The public face is `ferrogate.core`, which re-exports this module.

mod args;
mod arrays;
mod errors;
mod gil;
mod hash;
mod json_lines;
mod limiter;
mod sse;
mod sse_event;
mod stream;
mod tokens;
mod vector;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.setattr("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    m.add_class::<json_lines::PyJsonLines>()?;
    m.add_class::<limiter::PyGcra>()?;
    m.add_class::<limiter::PyKeyedLimiter>()?;
    m.add_class::<sse_event::PySseEvent>()?;
    m.add_class::<sse::PySseParser>()?;
    m.add_class::<stream::PyAnthropicStreamTranslator>()?;
    m.add_function(wrap_pyfunction!(vector::normalize, m)?)?;
    m.add_function(wrap_pyfunction!(vector::dot, m)?)?;
    m.add_function(wrap_pyfunction!(vector::cosine, m)?)?;
    m.add_function(wrap_pyfunction!(vector::dot_batch, m)?)?;
    m.add_function(wrap_pyfunction!(hash::request_hash, m)?)?;
    m.add_function(wrap_pyfunction!(sse::frame_event, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::count_tokens, m)?)?;
    Ok(())
}
