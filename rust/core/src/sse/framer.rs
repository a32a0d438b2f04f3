//! Framing outgoing events so that any standard parser reads back the same event.

use memchr::memchr2;

use crate::{CoreError, Result};

/// Frames one event: `event:` and `id:` lines when given, one `data:` line per line of `data`
/// (split at CRLF, LF or CR), and the blank line that dispatches it.
pub fn frame_event(data: &[u8], event: Option<&str>, id: Option<&str>) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() + 16);
    if let Some(name) = event {
        write_field(&mut out, b"event", checked("event", name)?);
    }
    if let Some(id) = id {
        // A parser ignores an id holding NUL, so it could not be read back.
        if id.contains('\0') {
            return Err(CoreError::Sse("SSE id must not contain NUL".into()));
        }
        write_field(&mut out, b"id", checked("id", id)?);
    }
    for_each_line(data, |line| write_field(&mut out, b"data", line));
    out.push(b'\n');
    Ok(out)
}

fn checked<'v>(field: &str, value: &'v str) -> Result<&'v [u8]> {
    if value.contains(['\r', '\n']) {
        return Err(CoreError::Sse(format!(
            "SSE {field} must not contain a line break"
        )));
    }
    Ok(value.as_bytes())
}

fn write_field(out: &mut Vec<u8>, name: &[u8], value: &[u8]) {
    out.extend_from_slice(name);
    out.extend_from_slice(b": ");
    out.extend_from_slice(value);
    out.push(b'\n');
}

fn for_each_line(data: &[u8], mut visit: impl FnMut(&[u8])) {
    let mut rest = data;
    while let Some(end) = memchr2(b'\r', b'\n', rest) {
        visit(&rest[..end]);
        let ending = if rest[end..].starts_with(b"\r\n") {
            2
        } else {
            1
        };
        rest = &rest[end + ending..];
    }
    visit(rest);
}
