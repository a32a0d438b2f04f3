//! Incremental parsing: chunks may split the stream anywhere, even between the CR and LF of
//! one line ending, or inside a leading byte order mark.

use memchr::memchr2;

use super::block::Block;
use super::SseEvent;
use crate::{CoreError, Result};

/// Longest line, and longest event data, a parser buffers unless told otherwise.
pub const DEFAULT_MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Debug)]
pub struct SseParser {
    /// The start of a line whose end has not arrived yet.
    partial: Vec<u8>,
    /// The last chunk ended in CR, so an LF starting the next one ends no further line.
    after_cr: bool,
    /// Bytes of a leading byte order mark matched so far; `None` once past the stream's start.
    bom_matched: Option<usize>,
    block: Block,
    max_line_bytes: usize,
    truncated: bool,
}

impl Default for SseParser {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_LINE_BYTES).expect("the default limit is valid")
    }
}

impl SseParser {
    pub fn new(max_line_bytes: usize) -> Result<Self> {
        if max_line_bytes == 0 {
            return Err(CoreError::InvalidArgument(
                "max_line_bytes must be at least 1".into(),
            ));
        }
        let (partial, block) = (Vec::new(), Block::default());
        let bom_matched = Some(0);
        Ok(Self {
            partial,
            after_cr: false,
            bom_matched,
            block,
            max_line_bytes,
            truncated: false,
        })
    }

    /// True when the last [`finish`](Self::finish) discarded an incomplete event.
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// Parses the next chunk, returning the events it completes.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Vec<SseEvent>> {
        let mut events = Vec::new();
        let result = self.feed_into(chunk, &mut events);
        if result.is_err() {
            self.discard_pending();
        }
        result.map(|()| events)
    }

    /// Ends the stream. An event without its closing blank line is discarded, as the standard
    /// says, and [`truncated`](Self::truncated) reports it; the parser is then ready for a new
    /// stream. Returns no events under the standard's rules; it returns a list so that callers
    /// treat the end like any chunk.
    pub fn finish(&mut self) -> Vec<SseEvent> {
        let bom_pending = matches!(self.bom_matched, Some(matched) if matched > 0);
        self.truncated = !self.partial.is_empty() || self.block.is_open() || bom_pending;
        self.discard_pending();
        Vec::new()
    }

    fn feed_into(&mut self, chunk: &[u8], events: &mut Vec<SseEvent>) -> Result<()> {
        let after_bom = self.skip_bom(chunk);
        let mut rest = self.skip_lf_after_cr(after_bom);
        while let Some(end) = memchr2(b'\r', b'\n', rest) {
            self.end_line(&rest[..end], events)?;
            rest = self.after_line_ending(rest, end);
        }
        self.check_len(self.partial.len() + rest.len())?;
        self.partial.extend_from_slice(rest);
        Ok(())
    }

    fn end_line(&mut self, tail: &[u8], events: &mut Vec<SseEvent>) -> Result<()> {
        self.check_len(self.partial.len() + tail.len())?;
        let event = if self.partial.is_empty() {
            self.block.apply(tail)
        } else {
            self.partial.extend_from_slice(tail);
            let event = self.block.apply(&self.partial);
            self.partial.clear();
            event
        };
        events.extend(event);
        self.check_len(self.block.data_len())
    }

    /// What follows the line ending that starts at `rest[end]`.
    fn after_line_ending<'c>(&mut self, rest: &'c [u8], end: usize) -> &'c [u8] {
        match (rest[end], rest.get(end + 1)) {
            (b'\r', Some(b'\n')) => &rest[end + 2..],
            (b'\r', None) => {
                self.after_cr = true;
                &rest[end + 1..]
            }
            _ => &rest[end + 1..],
        }
    }

    fn skip_lf_after_cr<'c>(&mut self, chunk: &'c [u8]) -> &'c [u8] {
        if chunk.is_empty() || !std::mem::take(&mut self.after_cr) {
            return chunk;
        }
        chunk.strip_prefix(b"\n").unwrap_or(chunk)
    }

    fn skip_bom<'c>(&mut self, chunk: &'c [u8]) -> &'c [u8] {
        let Some(matched) = self.bom_matched else {
            return chunk;
        };
        let take = (BOM.len() - matched).min(chunk.len());
        if chunk[..take] != BOM[matched..matched + take] {
            // Not a byte order mark after all: the bytes held back start the first line.
            self.partial.extend_from_slice(&BOM[..matched]);
            self.bom_matched = None;
            return chunk;
        }
        let matched = matched + take;
        self.bom_matched = (matched < BOM.len()).then_some(matched);
        &chunk[take..]
    }

    fn check_len(&self, len: usize) -> Result<()> {
        if len <= self.max_line_bytes {
            return Ok(());
        }
        let limit = self.max_line_bytes;
        Err(CoreError::Sse(format!(
            "SSE line or event data exceeds max_line_bytes ({limit})"
        )))
    }

    fn discard_pending(&mut self) {
        self.partial.clear();
        self.block = Block::default();
        self.after_cr = false;
        self.bom_matched = Some(0);
    }
}
