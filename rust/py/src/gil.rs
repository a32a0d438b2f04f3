//! Releasing the GIL around long work, so other Python threads run meanwhile.

use pyo3::marker::Ungil;
use pyo3::prelude::*;

/// Runs `work` without the GIL when `large`; releasing and retaking it costs more than small
/// work itself (see the thresholds where this is called).
pub(crate) fn detach_if<T, F>(py: Python<'_>, large: bool, work: F) -> T
where
    F: Ungil + FnOnce() -> T,
    T: Ungil,
{
    if large {
        py.detach(work)
    } else {
        work()
    }
}
