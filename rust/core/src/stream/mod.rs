//! Provider event streams rewritten as OpenAI `chat.completion.chunk` streams.
//!
//! A translator is built once per upstream stream and fed the upstream's raw bytes, one network
//! read at a time; each feed returns the OpenAI SSE bytes to send for that read. Parsing the
//! upstream's SSE, its JSON and writing the chunks all happen in one call, so a binding crosses
//! the language boundary once per read rather than once per event.

pub mod anthropic;
mod json;
