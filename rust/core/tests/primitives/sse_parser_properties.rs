//! Property tests of the SSE parser against the standard's algorithm run over a whole stream.
//!
//! The oracle below reads a complete stream at once, line by line, the plain way the WHATWG
//! standard describes it; the incremental parser must give the same events however the
//! stream is cut into chunks, lose no data byte, and refuse exactly the streams whose lines
//! or event data exceed its limit.

use ferrogate_core::{frame_event, CoreError, SseEvent, SseParser};
use proptest::prelude::*;

use crate::property_config;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What the whole stream holds: its events, whether it ends inside an event, and the longest
/// line and longest event data a parser has to buffer along the way.
#[derive(Debug, Default)]
struct Oracle {
    events: Vec<SseEvent>,
    truncated: bool,
    longest_line: usize,
    longest_data: usize,
}

#[derive(Default)]
struct OracleBlock {
    event: SseEvent,
    has_data: bool,
    has_fields: bool,
}

fn oracle(stream: &[u8]) -> Oracle {
    let mut found = Oracle::default();
    if !stream.is_empty() && BOM.starts_with(stream) && stream.len() < BOM.len() {
        found.truncated = true; // a byte order mark cut short: no line has begun
        return found;
    }
    let mut rest = stream.strip_prefix(BOM).unwrap_or(stream);
    let mut block = OracleBlock::default();
    while let Some(end) = rest.iter().position(|&b| b == b'\r' || b == b'\n') {
        let line = &rest[..end];
        found.longest_line = found.longest_line.max(line.len());
        apply_line(&mut block, line, &mut found.events);
        found.longest_data = found.longest_data.max(block.event.data.len());
        let ending = if rest[end..].starts_with(b"\r\n") {
            2
        } else {
            1
        };
        rest = &rest[end + ending..];
    }
    found.longest_line = found.longest_line.max(rest.len());
    found.truncated = !rest.is_empty() || block.has_fields;
    found
}

fn apply_line(block: &mut OracleBlock, line: &[u8], events: &mut Vec<SseEvent>) {
    if line.is_empty() {
        let done = std::mem::take(block);
        if done.has_data {
            events.push(done.event);
        }
        return;
    }
    if line[0] == b':' {
        return;
    }
    block.has_fields = true;
    let (name, value) = match line.iter().position(|&b| b == b':') {
        Some(colon) => (&line[..colon], &line[colon + 1..]),
        None => (line, &b""[..]),
    };
    let value = value.strip_prefix(b" ").unwrap_or(value);
    let text = || String::from_utf8_lossy(value).into_owned();
    match name {
        b"data" => {
            if block.has_data {
                block.event.data.push(b'\n');
            }
            block.event.data.extend_from_slice(value);
            block.has_data = true;
        }
        b"event" => block.event.event = Some(text()),
        b"id" if !value.contains(&0) => block.event.id = Some(text()),
        b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
            if let Ok(ms) = text().parse() {
                block.event.retry = Some(ms);
            }
        }
        _ => {}
    }
}

/// Streams built mostly from the pieces SSE is made of, so that fields, comments, every
/// line-ending style and byte order marks meet in every order; any byte may appear.
fn sse_like_stream() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        3 => Just(b"data".to_vec()),
        1 => Just(b"event".to_vec()),
        1 => Just(b"id".to_vec()),
        1 => Just(b"retry".to_vec()),
        3 => Just(b":".to_vec()),
        2 => Just(b" ".to_vec()),
        3 => Just(b"\n".to_vec()),
        2 => Just(b"\r".to_vec()),
        2 => Just(b"\r\n".to_vec()),
        1 => Just(BOM.to_vec()),
        1 => Just(b"\0".to_vec()),
        2 => (0u32..100_000).prop_map(|n| n.to_string().into_bytes()),
        2 => prop::collection::vec(any::<u8>(), 1..4),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn any_stream() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => sse_like_stream(),
        1 => prop::collection::vec(any::<u8>(), 0..200),
    ]
}

/// A stream and the places to cut it into chunks (empty chunks included).
fn cut_stream() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    any_stream().prop_flat_map(|stream| {
        let len = stream.len();
        (
            Just(stream),
            prop::collection::vec(0..=len, 0..8).prop_map(|mut cuts| {
                cuts.sort_unstable();
                cuts
            }),
        )
    })
}

fn chunks<'s>(stream: &'s [u8], cuts: &[usize]) -> Vec<&'s [u8]> {
    let mut bounds = vec![0];
    bounds.extend_from_slice(cuts);
    bounds.push(stream.len());
    bounds.windows(2).map(|w| &stream[w[0]..w[1]]).collect()
}

/// Feeds the chunks in order, stopping at the first error as a relay would.
fn feed_all(parser: &mut SseParser, parts: &[&[u8]]) -> Result<Vec<SseEvent>, CoreError> {
    let mut events = Vec::new();
    for part in parts {
        events.extend(parser.feed(part)?);
    }
    Ok(events)
}

/// Data written the way `frame_event` writes it: every line ending becomes one LF.
fn normalised_line_endings(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut bytes = data.iter().peekable();
    while let Some(&byte) = bytes.next() {
        if byte == b'\r' {
            bytes.next_if_eq(&&b'\n');
            out.push(b'\n');
        } else {
            out.push(byte);
        }
    }
    out
}

/// Event names and ids `frame_event` accepts: no line break, and no NUL in an id.
fn field_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(
        prop::collection::vec(any::<char>(), 0..6).prop_map(|chars| {
            chars
                .into_iter()
                .filter(|c| !"\r\n\0".contains(*c))
                .collect()
        }),
    )
}

fn framed_event() -> impl Strategy<Value = SseEvent> {
    let data = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..40),
        sse_like_stream(), // data that looks like SSE itself must survive too
    ];
    (data, field_text(), field_text()).prop_map(|(data, event, id)| SseEvent {
        data,
        event,
        id,
        retry: None,
    })
}

proptest! {
    #![proptest_config(property_config::cases(512))]

    #[test]
    fn any_split_into_chunks_gives_the_events_of_one_feed((stream, cuts) in cut_stream()) {
        let mut whole = SseParser::default();
        let expected = whole.feed(&stream).unwrap();
        whole.finish();

        let mut chunked = SseParser::default();
        let events = feed_all(&mut chunked, &chunks(&stream, &cuts)).unwrap();
        chunked.finish();
        prop_assert_eq!(events, expected);
        prop_assert_eq!(chunked.truncated(), whole.truncated());
    }

    #[test]
    fn any_bytes_give_the_standards_events((stream, cuts) in cut_stream()) {
        let expected = oracle(&stream);
        let mut parser = SseParser::default();
        let events = feed_all(&mut parser, &chunks(&stream, &cuts)).unwrap();
        parser.finish();
        prop_assert_eq!(events, expected.events);
        prop_assert_eq!(parser.truncated(), expected.truncated);
    }

    #[test]
    fn framed_events_come_back_whole(
        sent in prop::collection::vec(framed_event(), 0..5),
        cut_seed in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        let mut stream = Vec::new();
        for event in &sent {
            let framed = frame_event(&event.data, event.event.as_deref(), event.id.as_deref());
            stream.extend(framed.unwrap());
        }
        let mut cuts: Vec<usize> = cut_seed.iter().map(|i| i.index(stream.len() + 1)).collect();
        cuts.sort_unstable();

        let mut parser = SseParser::default();
        let received = feed_all(&mut parser, &chunks(&stream, &cuts)).unwrap();
        parser.finish();
        let expected: Vec<SseEvent> = sent
            .into_iter()
            .map(|e| SseEvent { data: normalised_line_endings(&e.data), ..e })
            .collect();
        prop_assert_eq!(received, expected);
        prop_assert!(!parser.truncated());
    }

    #[test]
    fn a_limit_refuses_exactly_the_streams_that_exceed_it(
        (stream, cuts) in cut_stream(),
        limit in 1usize..48,
    ) {
        let expected = oracle(&stream);
        let fits = expected.longest_line <= limit && expected.longest_data <= limit;

        let whole = SseParser::new(limit).unwrap().feed(&stream);
        let chunked = feed_all(&mut SseParser::new(limit).unwrap(), &chunks(&stream, &cuts));
        for result in [whole, chunked] {
            match result {
                Ok(events) => {
                    prop_assert!(fits, "accepted a line or data over {} bytes", limit);
                    prop_assert_eq!(&events, &expected.events);
                }
                Err(CoreError::Sse(message)) => {
                    prop_assert!(!fits, "refused a stream within {} bytes: {}", limit, message);
                    prop_assert!(message.contains("max_line_bytes"), "{}", message);
                }
                Err(other) => prop_assert!(false, "unexpected error kind {:?}", other),
            }
        }
    }
}
