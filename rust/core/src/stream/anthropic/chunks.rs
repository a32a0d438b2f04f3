//! Writing OpenAI chunks: each is the envelope built at `message_start` around a small delta.
//!
//! The envelope (`data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…,`) is
//! serialised once per stream; a chunk is then a few slice copies and one JSON string. The
//! layout is the Python gateway's, key for key: `choices`, then `usage` only when asked.

use serde_json::Value;

use super::super::json;
use super::Usage;

const CHOICE: &[u8] = br#""choices":[{"index":0,"delta":"#;
const FINISH: &[u8] = br#","logprobs":null,"finish_reason":"#;
const CLOSE: &[u8] = b"}]}\n\n";
const CLOSE_WITH_USAGE: &[u8] = b"}],\"usage\":null}\n\n";
const DONE: &[u8] = b"data: [DONE]\n\n";

/// A delta's text or argument piece.
#[derive(Debug, Clone, Copy)]
pub(super) enum Piece<'a> {
    /// As parsed from the event: usually a string, but whatever JSON the upstream sent.
    Value(&'a Value),
    /// A JSON string token exactly as it is to be written.
    Json(&'a [u8]),
}

impl Piece<'_> {
    fn write(self, out: &mut Vec<u8>) {
        match self {
            Piece::Value(value) => json::write(out, value),
            Piece::Json(token) => out.extend_from_slice(token),
        }
    }
}

#[derive(Debug)]
pub(super) struct ChunkWriter {
    /// `data: ` and the chunk object up to and including the comma after `model`.
    envelope: Vec<u8>,
    model: Value,
    created: u64,
    include_usage: bool,
}

impl ChunkWriter {
    pub(super) fn new(model: String, created: u64, include_usage: bool) -> Self {
        let (envelope, model) = (Vec::new(), Value::String(model));
        let mut writer = Self {
            envelope,
            model,
            created,
            include_usage,
        };
        writer.frame("chatcmpl-pending", None); // until message_start gives the real id
        writer
    }

    /// Starts using `id` and, when given, `model` in every chunk.
    pub(super) fn frame(&mut self, id: &str, model: Option<Value>) {
        if let Some(model) = model {
            self.model = model;
        }
        let envelope = &mut self.envelope;
        envelope.clear();
        envelope.extend_from_slice(b"data: {\"id\":");
        json::write_str(envelope, id);
        envelope.extend_from_slice(b",\"object\":\"chat.completion.chunk\",\"created\":");
        envelope.extend_from_slice(self.created.to_string().as_bytes());
        envelope.extend_from_slice(b",\"model\":");
        json::write(envelope, &self.model);
        envelope.push(b',');
    }

    pub(super) fn includes_usage(&self) -> bool {
        self.include_usage
    }

    pub(super) fn role(&self, out: &mut Vec<u8>) {
        self.chunk(out, br#"{"role":"assistant","content":""}"#, b"null");
    }

    pub(super) fn content(&self, out: &mut Vec<u8>, text: Piece<'_>) {
        self.open(out);
        out.extend_from_slice(b"{\"content\":");
        text.write(out);
        out.push(b'}');
        self.close(out, b"null");
    }

    /// The first chunk of a tool call: its id and name, with empty arguments.
    pub(super) fn tool_call(&self, out: &mut Vec<u8>, position: u64, id: &Value, name: &Value) {
        self.open(out);
        out.extend_from_slice(b"{\"tool_calls\":[{\"index\":");
        out.extend_from_slice(position.to_string().as_bytes());
        out.extend_from_slice(b",\"id\":");
        json::write(out, id);
        out.extend_from_slice(b",\"type\":\"function\",\"function\":{\"name\":");
        json::write(out, name);
        out.extend_from_slice(b",\"arguments\":\"\"}}]}");
        self.close(out, b"null");
    }

    /// A piece of the arguments of the tool call at `position`.
    pub(super) fn arguments(&self, out: &mut Vec<u8>, position: u64, piece: Piece<'_>) {
        self.open(out);
        out.extend_from_slice(b"{\"tool_calls\":[{\"index\":");
        out.extend_from_slice(position.to_string().as_bytes());
        out.extend_from_slice(b",\"function\":{\"arguments\":");
        piece.write(out);
        out.extend_from_slice(b"}}]}");
        self.close(out, b"null");
    }

    pub(super) fn finish(&self, out: &mut Vec<u8>, reason: &str) {
        self.open(out);
        out.extend_from_slice(b"{}");
        self.close(out, format!("\"{reason}\"").as_bytes());
    }

    /// The usage chunk: no choices, and the counts where other chunks have `null`.
    pub(super) fn usage(&self, out: &mut Vec<u8>, usage: Usage) {
        out.extend_from_slice(&self.envelope);
        let (prompt, completion) = (usage.prompt_tokens, usage.completion_tokens);
        let (total, cached) = (usage.total_tokens(), usage.cached_tokens);
        let counts = format!(
            "\"choices\":[],\"usage\":{{\"prompt_tokens\":{prompt},\"completion_tokens\":\
             {completion},\"total_tokens\":{total},\"prompt_tokens_details\":\
             {{\"cached_tokens\":{cached}}}}}}}\n\n"
        );
        out.extend_from_slice(counts.as_bytes());
    }

    pub(super) fn done(out: &mut Vec<u8>) {
        out.extend_from_slice(DONE);
    }

    fn chunk(&self, out: &mut Vec<u8>, delta: &[u8], finish: &[u8]) {
        self.open(out);
        out.extend_from_slice(delta);
        self.close(out, finish);
    }

    fn open(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.envelope);
        out.extend_from_slice(CHOICE);
    }

    fn close(&self, out: &mut Vec<u8>, finish: &[u8]) {
        out.extend_from_slice(FINISH);
        out.extend_from_slice(finish);
        out.extend_from_slice(if self.include_usage {
            CLOSE_WITH_USAGE
        } else {
            CLOSE
        });
    }
}
