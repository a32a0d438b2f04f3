//! The fields of the event being assembled, one complete line at a time.

use super::SseEvent;

#[derive(Debug, Default)]
pub(super) struct Block {
    event: SseEvent,
    has_data: bool,
    has_fields: bool,
}

impl Block {
    /// Applies one line without its terminator; a blank line ends the block and yields its
    /// event if the block had any `data` line.
    pub(super) fn apply(&mut self, line: &[u8]) -> Option<SseEvent> {
        match line.first() {
            None => self.dispatch(),
            Some(b':') => None,
            Some(_) => {
                let (name, value) = split_field(line);
                self.set_field(name, value);
                None
            }
        }
    }

    /// True once a field line arrived that no blank line has closed yet.
    pub(super) fn is_open(&self) -> bool {
        self.has_fields
    }

    pub(super) fn data_len(&self) -> usize {
        self.event.data.len()
    }

    fn set_field(&mut self, name: &[u8], value: &[u8]) {
        self.has_fields = true;
        match name {
            b"data" => self.push_data(value),
            b"event" => self.event.event = Some(text(value)),
            b"id" if !value.contains(&0) => self.event.id = Some(text(value)),
            b"retry" => self.event.retry = parse_retry(value).or(self.event.retry),
            _ => {}
        }
    }

    fn push_data(&mut self, value: &[u8]) {
        if self.has_data {
            self.event.data.push(b'\n');
        }
        self.event.data.extend_from_slice(value);
        self.has_data = true;
    }

    fn dispatch(&mut self) -> Option<SseEvent> {
        let block = std::mem::take(self);
        block.has_data.then_some(block.event)
    }
}

/// Splits `name:value`, dropping one space after the colon; a line without a colon is a field
/// name with an empty value.
fn split_field(line: &[u8]) -> (&[u8], &[u8]) {
    let Some(colon) = memchr::memchr(b':', line) else {
        return (line, b"");
    };
    let value = &line[colon + 1..];
    (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
}

/// The standard accepts only ASCII digits; anything else leaves the retry unset.
fn parse_retry(value: &[u8]) -> Option<u64> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(value).ok()?.parse().ok()
}

fn text(value: &[u8]) -> String {
    String::from_utf8_lossy(value).into_owned()
}
