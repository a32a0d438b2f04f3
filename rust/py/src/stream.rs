//! `AnthropicStreamTranslator`: one upstream read in, the OpenAI SSE bytes for it out.

use ferrogate_core::stream::anthropic::{StreamEnd, StreamOptions};
use ferrogate_core::AnthropicTranslator;
use pyo3::prelude::*;

use crate::errors::OrRaise;
use crate::gil::detach_if;

/// Reads from this size on are translated without the GIL: at about 2 ns a byte that is 30 µs
/// of work, against well under a microsecond to release and retake the GIL. Network reads are
/// mostly far smaller.
const DETACH_MIN_BYTES: usize = 16 * 1024;

type Usage = (u64, u64, u64);
type Failure<'a> = (Option<&'a str>, Option<&'a str>);

#[pyclass(name = "AnthropicStreamTranslator", module = "ferrogate._native")]
pub(crate) struct PyAnthropicStreamTranslator(AnthropicTranslator);

#[pymethods]
impl PyAnthropicStreamTranslator {
    #[new]
    #[pyo3(signature = (model, *, include_usage, created, json_tool = None))]
    fn new(model: String, include_usage: bool, created: u64, json_tool: Option<String>) -> Self {
        Self(AnthropicTranslator::new(StreamOptions {
            model,
            include_usage,
            created,
            json_tool,
        }))
    }

    /// Returns the bytes to send and whether `usage` or `finished` changed meanwhile, so that
    /// a caller reads those only when they did: a getter is a crossing of its own, and most
    /// reads change neither.
    fn feed(&mut self, py: Python<'_>, chunk: &[u8]) -> PyResult<(Vec<u8>, bool)> {
        let before = (self.0.usage(), self.0.end().is_some());
        let translator = &mut self.0;
        // `bytes` are immutable, so the chunk can be read without the GIL.
        let out = detach_if(py, chunk.len() >= DETACH_MIN_BYTES, || {
            translator.feed(chunk)
        });
        let changed = (self.0.usage(), self.0.end().is_some()) != before;
        Ok((out.or_raise()?, changed))
    }

    #[getter]
    fn finished(&self) -> bool {
        self.0.end().is_some()
    }

    #[getter]
    fn usage(&self) -> Option<Usage> {
        let usage = self.0.usage()?;
        Some((
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.cached_tokens,
        ))
    }

    #[getter]
    fn error(&self) -> Option<Failure<'_>> {
        match self.0.end()? {
            StreamEnd::Failed(failure) => {
                Some((failure.kind.as_deref(), failure.message.as_deref()))
            }
            StreamEnd::Done => None,
        }
    }
}
