//! `SseParser` and `frame_event`.

use ferrogate_core::sse::DEFAULT_MAX_LINE_BYTES;
use ferrogate_core::{SseEvent, SseParser};
use pyo3::prelude::*;

use crate::args::count;
use crate::errors::OrRaise;
use crate::sse_event::PySseEvent;

// The signature below spells the default out so that Python's introspection shows it.
const _: () = assert!(DEFAULT_MAX_LINE_BYTES == 16_777_216);

#[pyclass(name = "SseParser", module = "ferrogate._native")]
pub(crate) struct PySseParser(SseParser);

#[pymethods]
impl PySseParser {
    #[new]
    #[pyo3(signature = (*, max_line_bytes = 16_777_216))]
    fn new(max_line_bytes: i64) -> PyResult<Self> {
        count("max_line_bytes", max_line_bytes)
            .and_then(SseParser::new)
            .map(Self)
            .or_raise()
    }

    fn feed(&mut self, chunk: &[u8]) -> PyResult<Vec<PySseEvent>> {
        self.0.feed(chunk).map(wrap).or_raise()
    }

    fn finish(&mut self) -> Vec<PySseEvent> {
        wrap(self.0.finish())
    }

    #[getter]
    fn truncated(&self) -> bool {
        self.0.truncated()
    }
}

#[pyfunction]
#[pyo3(signature = (data, event = None, id = None))]
pub(crate) fn frame_event(data: &[u8], event: Option<&str>, id: Option<&str>) -> PyResult<Vec<u8>> {
    ferrogate_core::frame_event(data, event, id).or_raise()
}

fn wrap(events: Vec<SseEvent>) -> Vec<PySseEvent> {
    events.into_iter().map(PySseEvent).collect()
}
