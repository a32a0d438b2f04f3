//! Hot-path primitives of the Ferrogate gateway, free of any Python dependency.
//!
//! - [`limiter`]: GCRA rate limiting, one bucket or many keyed buckets.
//! - [`vector`]: L2 normalisation and dot products over `f32` slices.
//! - [`hash`]: a canonical hash of the cache-relevant fields of a chat request.
//! - [`json_lines`]: JSON Lines written field by field into one buffer, taken in batches.
//! - [`sse`]: an incremental server-sent-events parser and a framer.
//! - [`stream`]: provider event streams rewritten as OpenAI chunk streams, a read at a time.
//! - [`tokens`]: token counts of text under OpenAI's cl100k_base and o200k_base encodings.
//!
//! Every fallible call returns [`CoreError`]; the Python bindings map its kinds to exceptions.

mod error;
pub mod hash;
pub mod json_lines;
pub mod limiter;
pub mod sse;
pub mod stream;
pub mod tokens;
pub mod vector;

pub use error::{CoreError, Result};
pub use hash::request_hash;
pub use limiter::{Decision, Gcra, KeyedLimiter, Policy};
pub use sse::{frame_event, SseEvent, SseParser};
pub use stream::anthropic::AnthropicTranslator;
pub use tokens::{count_tokens, Encoding};
