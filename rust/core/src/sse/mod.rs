//! Server-sent events, as the WHATWG HTML standard defines the `text/event-stream` format.

mod block;
mod event;
mod framer;
mod parser;

pub use event::SseEvent;
pub use framer::frame_event;
pub use parser::{SseParser, DEFAULT_MAX_LINE_BYTES};
