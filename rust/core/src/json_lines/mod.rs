//! JSON Lines written field by field into one growing buffer, for logs sent in batches.
//!
//! A usage-log line built as a Python dict and encoded by orjson cost about 7 µs a request,
//! and every line then waited in a queue as its own bytes object: together about a third of
//! the gateway core's own time per request. Here a line is appended in place, under keys
//! fixed once, and a batch leaves as one slice of whole lines.
//!
//! ```
//! use ferrogate_core::json_lines::{JsonLines, Kind};
//! let mut lines = JsonLines::new(&[("id", Kind::Value), ("took_ms", Kind::Millis)]);
//! let mut line = lines.line();
//! line.str("a").unwrap();
//! line.float(0.0012345).unwrap();
//! line.end().unwrap();
//! assert_eq!(lines.take(usize::MAX), b"{\"id\":\"a\",\"took_ms\":1.235}\n");
//! ```

mod civil_time;

use crate::{CoreError, Result};

/// How a field's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// As given: null, a boolean, an integer, a number or a string.
    Value,
    /// Seconds since the Unix epoch, as `"YYYY-MM-DDTHH:MM:SS.ffffffZ"` (UTC).
    UnixTime,
    /// Seconds, as milliseconds to the microsecond.
    Millis,
    /// An object of named durations in seconds, each as milliseconds to the microsecond.
    MillisMap,
}

impl Kind {
    /// `value`, `unix_time`, `ms` or `ms_map`.
    pub fn from_name(name: &str) -> Result<Self> {
        match name {
            "value" => Ok(Self::Value),
            "unix_time" => Ok(Self::UnixTime),
            "ms" => Ok(Self::Millis),
            "ms_map" => Ok(Self::MillisMap),
            other => Err(CoreError::InvalidArgument(format!(
                "unknown field kind {other:?}; expected value, unix_time, ms or ms_map"
            ))),
        }
    }
}

/// Lines of one JSON object each, under the same keys in the same order.
pub struct JsonLines {
    // Each key already encoded with its separator: `{"key":` for the first, `,"key":` after.
    keys: Vec<(Vec<u8>, Kind)>,
    buf: Vec<u8>,
    // Bytes before `read` were taken already; they are dropped when the buffer empties or
    // when they outgrow what is left.
    read: usize,
    lines: usize,
}

impl JsonLines {
    pub fn new(fields: &[(&str, Kind)]) -> Self {
        let keys = fields
            .iter()
            .enumerate()
            .map(|(index, (key, kind))| {
                let mut encoded = vec![if index == 0 { b'{' } else { b',' }];
                write_str(&mut encoded, key);
                encoded.push(b':');
                (encoded, *kind)
            })
            .collect();
        Self {
            keys,
            buf: Vec::new(),
            read: 0,
            lines: 0,
        }
    }

    /// Start a line; it joins the buffer only if [`Line::end`] is reached, so a value that
    /// fails part-way leaves nothing behind.
    pub fn line(&mut self) -> Line<'_> {
        let start = self.buf.len();
        Line {
            lines: self,
            start,
            next: 0,
            in_map: None,
            ended: false,
        }
    }

    /// Whole lines waiting, not yet taken.
    pub fn len(&self) -> usize {
        self.lines
    }

    pub fn is_empty(&self) -> bool {
        self.lines == 0
    }

    /// Bytes waiting, not yet taken.
    pub fn size(&self) -> usize {
        self.buf.len() - self.read
    }

    /// The oldest whole lines, each ending in `\n`, at most `max_bytes` together unless the
    /// first line alone is longer, when it comes alone. Empty when nothing waits.
    pub fn take(&mut self, max_bytes: usize) -> &[u8] {
        // What earlier takes lent out is dropped now that their borrows have ended.
        if self.read == self.buf.len() {
            self.buf.clear();
            self.read = 0;
        } else if self.read > self.buf.len() / 2 {
            self.buf.drain(..self.read);
            self.read = 0;
        }
        let waiting = &self.buf[self.read..];
        if waiting.is_empty() {
            return waiting;
        }
        let within = &waiting[..max_bytes.min(waiting.len())];
        let end = match memchr::memrchr(b'\n', within) {
            Some(last) => last + 1,
            // Every line ends in a newline, so the first one is there.
            None => memchr::memchr(b'\n', waiting).map_or(waiting.len(), |first| first + 1),
        };
        let start = self.read;
        self.read += end;
        let taken = &self.buf[start..self.read];
        self.lines -= memchr::memchr_iter(b'\n', taken).count();
        taken
    }
}

/// One line being written: one call per field, in the order of the keys, then [`Line::end`].
pub struct Line<'w> {
    lines: &'w mut JsonLines,
    start: usize,
    next: usize,
    // Entries written so far while a `MillisMap` field is open.
    in_map: Option<usize>,
    ended: bool,
}

impl Line<'_> {
    /// The kind of the field the next call writes; `None` once every field is written.
    pub fn next_kind(&self) -> Option<Kind> {
        self.lines.keys.get(self.next).map(|(_, kind)| *kind)
    }

    pub fn null(&mut self) -> Result<()> {
        self.key(&[Kind::Value, Kind::UnixTime, Kind::Millis, Kind::MillisMap])?;
        self.lines.buf.extend_from_slice(b"null");
        Ok(())
    }

    pub fn bool(&mut self, value: bool) -> Result<()> {
        self.key(&[Kind::Value])?;
        let text: &[u8] = if value { b"true" } else { b"false" };
        self.lines.buf.extend_from_slice(text);
        Ok(())
    }

    pub fn int(&mut self, value: i64) -> Result<()> {
        match self.key(&[Kind::Value, Kind::UnixTime, Kind::Millis])? {
            Kind::Value => write_int(&mut self.lines.buf, value),
            kind => self.write_seconds(kind, value as f64),
        }
        Ok(())
    }

    /// A number; under `UnixTime` or `Millis`, seconds. A NaN or an infinity is `null`.
    pub fn float(&mut self, value: f64) -> Result<()> {
        match self.key(&[Kind::Value, Kind::UnixTime, Kind::Millis])? {
            Kind::Value => write_float(&mut self.lines.buf, value),
            kind => self.write_seconds(kind, value),
        }
        Ok(())
    }

    pub fn str(&mut self, value: &str) -> Result<()> {
        self.key(&[Kind::Value])?;
        write_str(&mut self.lines.buf, value);
        Ok(())
    }

    /// Open a `MillisMap` field; [`Line::entry`] adds to it, [`Line::close_map`] closes it.
    pub fn open_map(&mut self) -> Result<()> {
        self.key(&[Kind::MillisMap])?;
        self.lines.buf.push(b'{');
        self.in_map = Some(0);
        Ok(())
    }

    pub fn entry(&mut self, name: &str, seconds: f64) -> Result<()> {
        let Some(entries) = self.in_map.as_mut() else {
            return Err(invalid("an entry needs an open map"));
        };
        if *entries > 0 {
            self.lines.buf.push(b',');
        }
        *entries += 1;
        write_str(&mut self.lines.buf, name);
        self.lines.buf.push(b':');
        write_millis(&mut self.lines.buf, seconds);
        Ok(())
    }

    pub fn close_map(&mut self) -> Result<()> {
        if self.in_map.take().is_none() {
            return Err(invalid("no map is open"));
        }
        self.lines.buf.push(b'}');
        Ok(())
    }

    /// Finish the line: every field must have been written.
    pub fn end(mut self) -> Result<()> {
        if self.next != self.lines.keys.len() || self.in_map.is_some() {
            return Err(invalid(format!(
                "a line needs {} fields, got {}",
                self.lines.keys.len(),
                self.next
            )));
        }
        if self.next == 0 {
            self.lines.buf.push(b'{');
        }
        self.lines.buf.extend_from_slice(b"}\n");
        self.lines.lines += 1;
        self.ended = true;
        Ok(())
    }

    /// Write the next key, checking that its kind is one of `allowed`; its kind.
    fn key(&mut self, allowed: &[Kind]) -> Result<Kind> {
        if self.in_map.is_some() {
            return Err(invalid("a map is still open"));
        }
        let Some((encoded, kind)) = self.lines.keys.get(self.next) else {
            return Err(invalid(format!(
                "a line has only {} fields",
                self.lines.keys.len()
            )));
        };
        if !allowed.contains(kind) {
            return Err(invalid(format!(
                "field {} is {kind:?} and cannot take this value",
                String::from_utf8_lossy(&encoded[1..encoded.len() - 1])
            )));
        }
        let kind = *kind;
        self.lines.buf.extend_from_slice(encoded);
        self.next += 1;
        Ok(kind)
    }

    fn write_seconds(&mut self, kind: Kind, seconds: f64) {
        match kind {
            Kind::UnixTime => civil_time::write_utc(&mut self.lines.buf, seconds),
            _ => write_millis(&mut self.lines.buf, seconds),
        }
    }
}

impl Drop for Line<'_> {
    fn drop(&mut self) {
        if !self.ended {
            self.lines.buf.truncate(self.start);
        }
    }
}

/// Milliseconds to the whole microsecond: finer digits are clock noise and only lengthen
/// the line.
fn write_millis(buf: &mut Vec<u8>, seconds: f64) {
    let micros = (seconds * 1_000_000.0).round(); // half away from zero, negatives too
    write_float(buf, micros / 1000.0);
}

// serde_json writes numbers as short as round-trips allow (a NaN or an infinity as null)
// and escapes strings; writing to a Vec cannot fail.

fn write_str(buf: &mut Vec<u8>, text: &str) {
    // Ids, names and codes seldom hold anything to escape: copied at once, they cost a
    // third of serde_json's byte-by-byte escaping.
    // A fold without a short cut, so the compiler checks many bytes a step.
    let plain = !text.bytes().fold(false, |escape, byte| {
        escape | (byte < 0x20) | (byte == b'"') | (byte == b'\\')
    });
    if plain {
        buf.reserve(text.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(text.as_bytes());
        buf.push(b'"');
    } else {
        serde_json::to_writer(buf, text).expect("a string serialises to a Vec");
    }
}

fn write_int(buf: &mut Vec<u8>, value: i64) {
    serde_json::to_writer(buf, &value).expect("an integer serialises to a Vec");
}

fn write_float(buf: &mut Vec<u8>, value: f64) {
    serde_json::to_writer(buf, &value).expect("a float serialises to a Vec");
}

fn invalid(message: impl Into<String>) -> CoreError {
    CoreError::InvalidArgument(message.into())
}
