//! The layout Anthropic writes every content delta in, read without building a JSON tree.
//!
//! NOTE: parsing each event into a `serde_json::Value` (a tree of maps and owned strings, only
//! to copy one string out again) made a 200-delta stream cost about 670 ns a delta in Rust;
//! reading deltas here brings it to about 145 ns (`cargo bench -p ferrogate-core -- anthropic`,
//! the `_spaced` stream takes the general path). Deltas are nearly every event of a stream and
//! Anthropic writes them all in one compact layout, so a delta in exactly that layout is
//! matched byte for byte and its string copied through untouched. Anything else (spacing,
//! another key order, `\u` or `\/` escapes) takes the general path, which writes the same chunk.

const HEAD: &[u8] = br#"{"type":"content_block_delta","index":"#;
const TEXT: &[u8] = br#","delta":{"type":"text_delta","text":"#;
const JSON: &[u8] = br#","delta":{"type":"input_json_delta","partial_json":"#;
const TAIL: &[u8] = b"}}";

/// A text or input JSON delta.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Delta<'d> {
    pub(super) index: i64,
    /// The piece as a JSON string token, quotes included, already as a chunk writes it.
    pub(super) piece: &'d [u8],
}

/// The delta in `data`, if `data` is one in Anthropic's own layout.
pub(super) fn read(data: &[u8]) -> Option<Delta<'_>> {
    let rest = data.strip_prefix(HEAD)?;
    let digits = rest.iter().take_while(|byte| byte.is_ascii_digit()).count();
    let index = parse_index(&rest[..digits])?;
    let rest = &rest[digits..];
    let rest = rest
        .strip_prefix(TEXT)
        .or_else(|| rest.strip_prefix(JSON))?;
    let piece = rest.strip_suffix(TAIL)?;
    is_canonical_string(piece).then_some(Delta { index, piece })
}

/// JSON forbids leading zeros; an index too long to be sure it fits takes the general path.
fn parse_index(digits: &[u8]) -> Option<i64> {
    if digits.is_empty() || digits.len() > 18 || (digits.len() > 1 && digits[0] == b'0') {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// True for a valid JSON string token that serialising its value would write back unchanged:
/// UTF-8, no control characters, and no escapes but `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`.
fn is_canonical_string(token: &[u8]) -> bool {
    let Some(body) = token
        .strip_prefix(b"\"")
        .and_then(|t| t.strip_suffix(b"\""))
    else {
        return false;
    };
    let mut bytes = body.iter();
    while let Some(&byte) = bytes.next() {
        let valid = match byte {
            b'\\' => matches!(
                bytes.next(),
                Some(b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't')
            ),
            b'"' | 0..=0x1f => false,
            _ => true,
        };
        if !valid {
            return false;
        }
    }
    std::str::from_utf8(body).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_delta(index: &str, token: &str) -> Vec<u8> {
        [HEAD, index.as_bytes(), TEXT, token.as_bytes(), TAIL].concat()
    }

    #[test]
    fn reads_text_and_json_deltas_in_anthropic_layout() {
        let data = text_delta("12", r#""Hi \"you\"\n""#);
        let delta = Delta {
            index: 12,
            piece: br#""Hi \"you\"\n""#,
        };
        assert_eq!(read(&data), Some(delta));
        let json = [HEAD, b"0", JSON, br#""{\"a\":""#, TAIL].concat();
        assert_eq!(
            read(&json).map(|delta| delta.piece),
            Some(&br#""{\"a\":""#[..])
        );
    }

    #[test]
    fn leaves_every_other_spelling_to_the_general_path() {
        let others = [
            text_delta("0", r#""\u00e9""#), // a \u escape: written back as the character
            text_delta("0", r#""a\/b""#),   // an escaped solidus: written back bare
            text_delta("01", r#""a""#),     // not JSON
            text_delta("", r#""a""#),       // no index
            text_delta("0", "\"a\u{1}\""),  // a raw control character: not JSON
            text_delta("0", r#""a\""#),     // an unterminated string
            text_delta("0", r#""a"b""#),    // not one string
            text_delta("0", r#""a" "#),     // trailing space
            br#"{"type": "content_block_delta", "index": 0}"#.to_vec(),
        ];
        for data in others {
            assert_eq!(read(&data), None, "{}", String::from_utf8_lossy(&data));
        }
        assert_eq!(
            read(&text_delta("0", "\"\u{e9}\u{7f}\"")).map(|d| d.index),
            Some(0)
        );
    }

    #[test]
    fn invalid_utf8_is_left_to_the_general_path() {
        let mut data = text_delta("0", "\"ab\"");
        let at = data.len() - 4;
        data[at] = 0xff;
        assert_eq!(read(&data), None);
    }
}
