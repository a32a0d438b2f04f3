//! Anthropic's Messages event stream as OpenAI `chat.completion.chunk` events.
//!
//! Anthropic sends `message_start`, then per content block a start, deltas and a stop, then
//! `message_delta` (stop reason, cumulative usage) and `message_stop`; `ping` anywhere, and an
//! `error` event instead of the rest when it fails mid-stream. OpenAI clients get a role chunk,
//! `content` and `tool_calls` deltas, a finish chunk, a usage chunk if asked, then `[DONE]`.
//! An `error` event ends the translation and is reported in [`StreamEnd::Failed`]: how an
//! upstream's error maps to an OpenAI one is the caller's policy, not the translator's.
//!
//! The chunks match, byte for byte, the ones the gateway's Python translator wrote before this
//! one replaced it (`ferrogate.providers.anthropic.stream_reference`), for every stream that
//! follows Anthropic's schema. A field of the wrong JSON type counts as absent here.

mod chunks;
mod delta;
mod events;
mod usage;

use std::collections::HashMap;

use serde_json::Value;

use crate::{Result, SseParser};
use chunks::ChunkWriter;
use usage::Counts;
pub use usage::Usage;

/// What a translator needs before the first event arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamOptions {
    /// The model chunks name until `message_start` names the one that answers.
    pub model: String,
    /// The client asked for usage: every chunk carries `"usage":null` and a usage chunk comes
    /// before `[DONE]`.
    pub include_usage: bool,
    /// Unix seconds, the `created` of every chunk.
    pub created: u64,
    /// A forced tool whose input is the answer itself (JSON mode): its argument pieces stream
    /// as message content, and calling it is not a tool call.
    pub json_tool: Option<String>,
}

/// How the upstream stream ended; after either, further input is ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamEnd {
    /// `message_stop` arrived and the output ended with `data: [DONE]`.
    Done,
    /// An `error` event arrived; the output so far ends without `[DONE]`.
    Failed(UpstreamFailure),
}

/// The `error` object of Anthropic's `error` event; fields that are not strings are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpstreamFailure {
    /// Anthropic's error type, such as `overloaded_error`.
    pub kind: Option<String>,
    pub message: Option<String>,
}

/// Turns one Anthropic stream into OpenAI chunks, one network read at a time.
#[derive(Debug)]
pub struct AnthropicTranslator {
    parser: SseParser,
    chunks: ChunkWriter,
    json_tool: Option<String>,
    blocks: HashMap<i64, Target>,
    tool_calls: u64,
    finish_sent: bool,
    counts: Counts,
    usage: Option<Usage>,
    end: Option<StreamEnd>,
}

/// Where the deltas of one content block go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// Message content: a text block, or the JSON tool's input.
    Text,
    /// The arguments of the client's tool call at `position`.
    Tool { position: u64, has_arguments: bool },
}

impl AnthropicTranslator {
    pub fn new(options: StreamOptions) -> Self {
        let chunks = ChunkWriter::new(options.model, options.created, options.include_usage);
        Self {
            parser: SseParser::default(),
            chunks,
            json_tool: options.json_tool,
            blocks: HashMap::new(),
            tool_calls: 0,
            finish_sent: false,
            counts: Counts::default(),
            usage: None,
            end: None,
        }
    }

    /// Translates the events that `chunk` completes, returning the OpenAI SSE bytes to send.
    ///
    /// Events after the one that ends the stream are dropped, as is all input after it. On an
    /// error (an event that is not SSE, or data that is not a JSON object) nothing of this
    /// chunk's output is returned and the stream cannot go on.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Vec<u8>> {
        if self.end.is_some() {
            return Ok(Vec::new());
        }
        // Chunks run longer than the events they come from; reserving for them at once saves
        // the vector's growth steps, which were about a quarter of a delta's time.
        let mut out = Vec::with_capacity(2 * chunk.len() + 256);
        for event in self.parser.feed(chunk)? {
            self.translate(&event, &mut out)?;
            if self.end.is_some() {
                break;
            }
        }
        Ok(out)
    }

    /// How the stream ended, or `None` while it is still going.
    pub fn end(&self) -> Option<&StreamEnd> {
        self.end.as_ref()
    }

    /// Usage so far in OpenAI's terms; `None` until `message_start` or `message_delta`.
    pub fn usage(&self) -> Option<Usage> {
        self.usage
    }

    fn is_json_tool(&self, name: Option<&Value>) -> bool {
        let name = name.and_then(Value::as_str);
        name.is_some() && name == self.json_tool.as_deref()
    }
}
