//! `SseEvent`: an immutable, hashable event whose `data` stays bytes.

use ferrogate_core::SseEvent;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

#[pyclass(frozen, eq, hash, name = "SseEvent", module = "ferrogate._native")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct PySseEvent(pub(crate) SseEvent);

#[pymethods]
impl PySseEvent {
    #[new]
    #[pyo3(signature = (data, event = None, id = None, retry = None))]
    fn new(data: &[u8], event: Option<String>, id: Option<String>, retry: Option<u64>) -> Self {
        Self(SseEvent {
            data: data.to_vec(),
            event,
            id,
            retry,
        })
    }

    #[getter]
    fn data(&self) -> &[u8] {
        &self.0.data
    }

    #[getter]
    fn event(&self) -> Option<&str> {
        self.0.event.as_deref()
    }

    #[getter]
    fn id(&self) -> Option<&str> {
        self.0.id.as_deref()
    }

    #[getter]
    fn retry(&self) -> Option<u64> {
        self.0.retry
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        event_repr(py, &self.0)
    }
}

/// Spelled like a Python constructor call, with Python's own reprs of bytes and strings.
fn event_repr(py: Python<'_>, event: &SseEvent) -> PyResult<String> {
    let data = PyBytes::new(py, &event.data).repr()?;
    let name = event.event.as_deref().into_pyobject(py)?.repr()?;
    let id = event.id.as_deref().into_pyobject(py)?.repr()?;
    let retry = event
        .retry
        .map_or_else(|| "None".to_owned(), |ms| ms.to_string());
    Ok(format!(
        "SseEvent(data={data}, event={name}, id={id}, retry={retry})"
    ))
}
