//! One handler per Anthropic event type; each writes the chunks its event becomes.

use serde_json::{Map, Value};

use super::super::json::{self, truthy};
use super::chunks::{ChunkWriter, Piece};
use super::{delta, AnthropicTranslator, StreamEnd, Target, UpstreamFailure};
use crate::{CoreError, Result, SseEvent};

type Object = Map<String, Value>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EventKind {
    MessageStart,
    BlockStart,
    BlockDelta,
    BlockStop,
    MessageDelta,
    MessageStop,
    Error,
}

impl EventKind {
    /// `None` for `ping` and for event types newer than this translator, which are skipped.
    fn named(name: &str) -> Option<Self> {
        Some(match name {
            "message_start" => Self::MessageStart,
            "content_block_start" => Self::BlockStart,
            "content_block_delta" => Self::BlockDelta,
            "content_block_stop" => Self::BlockStop,
            "message_delta" => Self::MessageDelta,
            "message_stop" => Self::MessageStop,
            "error" => Self::Error,
            _ => return None,
        })
    }
}

impl AnthropicTranslator {
    pub(super) fn translate(&mut self, event: &SseEvent, out: &mut Vec<u8>) -> Result<()> {
        let name = event.event.as_deref().filter(|name| !name.is_empty());
        if name == Some("ping") {
            return Ok(()); // keep-alives are not even parsed
        }
        if matches!(name, None | Some("content_block_delta")) {
            if let Some(delta) = delta::read(&event.data) {
                let empty = delta.piece.len() == 2; // `""`, which sends nothing
                let piece = (!empty).then_some(Piece::Json(delta.piece));
                self.piece(delta.index, piece, out);
                return Ok(());
            }
        }
        let payload = parse_object(&event.data)?;
        let name = name.or_else(|| payload.get("type").and_then(Value::as_str));
        if let Some(kind) = name.and_then(EventKind::named) {
            self.apply(kind, &payload, out);
        }
        Ok(())
    }

    fn apply(&mut self, kind: EventKind, event: &Object, out: &mut Vec<u8>) {
        match kind {
            EventKind::MessageStart => self.message_start(event, out),
            EventKind::BlockStart => self.block_start(event, out),
            EventKind::BlockDelta => self.block_delta(event, out),
            EventKind::BlockStop => self.block_stop(event, out),
            EventKind::MessageDelta => self.message_delta(event, out),
            EventKind::MessageStop => self.message_stop(out),
            EventKind::Error => self.error(event),
        }
    }

    fn message_start(&mut self, event: &Object, out: &mut Vec<u8>) {
        let message = object(event, "message");
        let id = message
            .and_then(|m| m.get("id"))
            .map_or_else(String::new, json::python_str);
        let model = message
            .and_then(|m| m.get("model"))
            .filter(|m| truthy(Some(m)));
        self.chunks.frame(&format!("chatcmpl-{id}"), model.cloned());
        self.count(message.and_then(|m| object(m, "usage")));
        self.chunks.role(out);
    }

    fn block_start(&mut self, event: &Object, out: &mut Vec<u8>) {
        let Some(block) = object(event, "content_block") else {
            return;
        };
        let kind = block.get("type").and_then(Value::as_str);
        let name = block.get("name");
        if kind == Some("text") || (kind == Some("tool_use") && self.is_json_tool(name)) {
            self.blocks.insert(index(event), Target::Text);
            if let Some(text) = block.get("text").filter(|text| truthy(Some(text))) {
                self.chunks.content(out, Piece::Value(text));
            }
            return;
        }
        if kind != Some("tool_use") {
            return; // thinking and server tool blocks have no OpenAI counterpart
        }
        let position = self.tool_calls;
        self.tool_calls += 1;
        let target = Target::Tool {
            position,
            has_arguments: false,
        };
        self.blocks.insert(index(event), target);
        let (id, name) = (block.get("id"), name.unwrap_or(&Value::Null));
        self.chunks
            .tool_call(out, position, id.unwrap_or(&Value::Null), name);
    }

    fn block_delta(&mut self, event: &Object, out: &mut Vec<u8>) {
        let delta = object(event, "delta");
        let piece = delta.and_then(|delta| delta.get(piece_field(delta)));
        let piece = piece.filter(|piece| truthy(Some(piece))).map(Piece::Value);
        self.piece(index(event), piece, out);
    }

    /// A delta's piece, `None` when it has none or an empty one, goes where its block goes.
    fn piece(&mut self, index: i64, piece: Option<Piece<'_>>, out: &mut Vec<u8>) {
        let Some(piece) = piece else {
            return;
        };
        match self.blocks.get_mut(&index) {
            None => {}
            Some(Target::Text) => self.chunks.content(out, piece),
            Some(Target::Tool {
                position,
                has_arguments,
            }) => {
                *has_arguments = true;
                self.chunks.arguments(out, *position, piece);
            }
        }
    }

    fn block_stop(&mut self, event: &Object, out: &mut Vec<u8>) {
        let Some(Target::Tool {
            position,
            has_arguments,
        }) = self.blocks.get_mut(&index(event))
        else {
            return;
        };
        if !*has_arguments {
            // A tool without parameters streams no JSON; OpenAI clients expect "{}" to parse.
            *has_arguments = true;
            self.chunks
                .arguments(out, *position, Piece::Json(br#""{}""#));
        }
    }

    fn message_delta(&mut self, event: &Object, out: &mut Vec<u8>) {
        self.count(object(event, "usage"));
        let stop_reason = object(event, "delta").and_then(|delta| delta.get("stop_reason"));
        if truthy(stop_reason) && !self.finish_sent {
            self.finish(stop_reason.and_then(Value::as_str), out);
        }
    }

    fn message_stop(&mut self, out: &mut Vec<u8>) {
        self.end = Some(StreamEnd::Done);
        if !self.finish_sent {
            self.finish(None, out);
        }
        if self.chunks.includes_usage() {
            self.chunks.usage(out, self.counts.openai());
        }
        ChunkWriter::done(out);
    }

    fn error(&mut self, event: &Object) {
        let error = object(event, "error");
        let text = |name| error.and_then(|e| e.get(name)).and_then(Value::as_str);
        self.end = Some(StreamEnd::Failed(UpstreamFailure {
            kind: text("type").map(str::to_owned),
            message: text("message").map(str::to_owned),
        }));
    }

    fn finish(&mut self, stop_reason: Option<&str>, out: &mut Vec<u8>) {
        self.finish_sent = true;
        let reason = finish_reason(stop_reason, self.tool_calls > 0);
        self.chunks.finish(out, reason);
    }

    fn count(&mut self, usage: Option<&Object>) {
        if let Some(usage) = usage {
            self.counts.update(usage);
        }
        self.usage = Some(self.counts.openai());
    }
}

/// Anthropic's stop reason in OpenAI's terms.
fn finish_reason(stop_reason: Option<&str>, called_tools: bool) -> &'static str {
    match stop_reason {
        Some("max_tokens" | "model_context_window_exceeded") => "length",
        // Without a client tool call, tool_use was the JSON tool: an answer, not a call.
        Some("tool_use") if called_tools => "tool_calls",
        Some("refusal") => "content_filter",
        // end_turn, stop_sequence, pause_turn (a server tool paused a long turn; the text so
        // far is whole), and reasons newer than this translator
        _ => "stop",
    }
}

/// The field of a delta that holds its piece: text, or a fragment of a tool's JSON input.
fn piece_field(delta: &Object) -> &'static str {
    match delta.get("type").and_then(Value::as_str) {
        Some("text_delta") => "text",
        Some("input_json_delta") => "partial_json",
        _ => "", // thinking and signature deltas have no OpenAI counterpart
    }
}

fn index(event: &Object) -> i64 {
    event.get("index").and_then(Value::as_i64).unwrap_or(0)
}

fn object<'v>(parent: &'v Object, name: &str) -> Option<&'v Object> {
    parent.get(name).and_then(Value::as_object)
}

fn parse_object(data: &[u8]) -> Result<Object> {
    match serde_json::from_slice(data) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(CoreError::StreamEvent(
            "an Anthropic event's data must be a JSON object".into(),
        )),
        Err(err) => Err(CoreError::StreamEvent(format!(
            "an Anthropic event's data is not JSON: {err}"
        ))),
    }
}
