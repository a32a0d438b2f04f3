use ferrogate_core::{CoreError, SseEvent, SseParser};

fn data(text: &str) -> SseEvent {
    SseEvent {
        data: text.as_bytes().to_vec(),
        ..SseEvent::default()
    }
}

fn parse(stream: &[u8]) -> Vec<SseEvent> {
    SseParser::default().feed(stream).unwrap()
}

/// Feeds `stream` cut at every pair of points, checking each gives the one-feed events.
fn assert_split_invariant(stream: &[u8]) {
    let whole = parse(stream);
    for i in 0..=stream.len() {
        for j in i..=stream.len() {
            let mut parser = SseParser::default();
            let mut events = parser.feed(&stream[..i]).unwrap();
            events.extend(parser.feed(&stream[i..j]).unwrap());
            events.extend(parser.feed(&stream[j..]).unwrap());
            assert_eq!(events, whole, "cut at {i} and {j}");
        }
    }
}

#[test]
fn each_line_ending_style_ends_lines() {
    for stream in [
        "data: a\n\n",
        "data: a\r\n\r\n",
        "data: a\r\r",
        "data: a\r\n\n",
        "data: a\n\r",
    ] {
        assert_eq!(parse(stream.as_bytes()), [data("a")], "{stream:?}");
    }
}

#[test]
fn crlf_split_across_chunks_is_one_line_ending() {
    let mut parser = SseParser::default();
    assert!(parser.feed(b"data: a\r").unwrap().is_empty());
    assert!(
        parser.feed(b"\n").unwrap().is_empty(),
        "the LF belongs to the CR before it"
    );
    assert_eq!(parser.feed(b"\r\n").unwrap(), [data("a")]);
}

#[test]
fn any_split_gives_the_same_events() {
    assert_split_invariant(b"\xEF\xBB\xBFdata: a\r\n: note\r\nevent: e\r\ndata:b\r\r\n\nid: 7\nda");
    assert_split_invariant(b"retry: 10\r\rdata\r\ndata: x\n\rdata: y\r\n\r\n");
}

#[test]
fn multi_line_data_is_joined_with_newlines() {
    assert_eq!(parse(b"data: a\ndata:\ndata: b\n\n"), [data("a\n\nb")]);
}

#[test]
fn only_one_space_after_the_colon_is_stripped() {
    assert_eq!(parse(b"data:  a \n\n"), [data(" a ")]);
    assert_eq!(parse(b"data:a\n\n"), [data("a")]);
}

#[test]
fn field_without_colon_has_empty_value() {
    assert_eq!(parse(b"data\n\n"), [data("")]);
}

#[test]
fn comments_and_unknown_fields_are_ignored() {
    assert_eq!(
        parse(b": keep-alive\nfoo: bar\ndata: x\n: more\n\n"),
        [data("x")]
    );
}

#[test]
fn event_id_and_retry_fields_are_kept() {
    let expected = SseEvent {
        data: b"d".to_vec(),
        event: Some("delta".into()),
        id: Some("42".into()),
        retry: Some(1500),
    };
    assert_eq!(
        parse(b"event: delta\nid: 42\nretry: 1500\ndata: d\n\n"),
        [expected]
    );
}

#[test]
fn retry_must_be_ascii_digits() {
    for bad in [
        "retry: 1.5",
        "retry: -1",
        "retry: +5",
        "retry: ",
        "retry: 99999999999999999999",
    ] {
        let stream = format!("{bad}\ndata: d\n\n");
        assert_eq!(parse(stream.as_bytes())[0].retry, None, "{bad}");
    }
}

#[test]
fn id_containing_nul_is_ignored() {
    assert_eq!(parse(b"id: a\0b\ndata: d\n\n")[0].id, None);
}

#[test]
fn fields_do_not_carry_over_to_the_next_event() {
    let events = parse(b"event: e\nid: 1\ndata: a\n\ndata: b\n\n");
    assert_eq!(events[1], data("b"));
}

#[test]
fn block_without_data_is_not_dispatched() {
    assert_eq!(parse(b"event: e\nid: 1\n\ndata: x\n\n"), [data("x")]);
}

#[test]
fn leading_bom_is_ignored_once() {
    assert_eq!(parse(b"\xEF\xBB\xBFdata: a\n\n"), [data("a")]);
    let doubled = parse(b"\xEF\xBB\xBF\xEF\xBB\xBFdata: a\n\ndata: b\n\n");
    assert_eq!(
        doubled,
        [data("b")],
        "a second BOM is part of the first field name"
    );
}

#[test]
fn bom_split_across_chunks_is_ignored() {
    let mut parser = SseParser::default();
    assert!(parser.feed(b"\xEF").unwrap().is_empty());
    assert!(parser.feed(b"\xBB").unwrap().is_empty());
    assert_eq!(parser.feed(b"\xBFdata: a\n\n").unwrap(), [data("a")]);
}

#[test]
fn non_utf8_data_is_kept_as_bytes() {
    assert_eq!(parse(b"data: \xFF\xFE\n\n")[0].data, b"\xFF\xFE");
}

#[test]
fn finish_discards_unterminated_event_and_reports_it() {
    let mut parser = SseParser::default();
    assert_eq!(parser.feed(b"data: a\n\ndata: b\n").unwrap(), [data("a")]);
    assert!(parser.finish().is_empty());
    assert!(parser.truncated());
}

#[test]
fn finish_after_complete_events_is_clean() {
    let mut parser = SseParser::default();
    parser.feed(b"data: a\n\n: bye\n").unwrap();
    assert!(parser.finish().is_empty());
    assert!(!parser.truncated());
}

#[test]
fn finish_reports_partial_line() {
    let mut parser = SseParser::default();
    parser.feed(b"data: a\n\nda").unwrap();
    parser.finish();
    assert!(parser.truncated());
}

#[test]
fn parser_is_reusable_after_finish() {
    let mut parser = SseParser::default();
    parser.feed(b"data: lost").unwrap();
    parser.finish();
    assert_eq!(
        parser.feed(b"\xEF\xBB\xBFdata: a\n\n").unwrap(),
        [data("a")]
    );
}

#[test]
fn overlong_line_is_an_error_even_across_chunks() {
    let mut parser = SseParser::new(8).unwrap();
    parser.feed(b"data: ").unwrap();
    assert!(matches!(parser.feed(b"123"), Err(CoreError::Sse(_))));
}

#[test]
fn overlong_event_data_is_an_error() {
    let mut parser = SseParser::new(8).unwrap();
    assert!(matches!(
        parser.feed(b"data: 1234\ndata: 5678\n"),
        Err(CoreError::Sse(_))
    ));
}

#[test]
fn line_at_the_limit_passes() {
    let mut parser = SseParser::new(8).unwrap();
    assert_eq!(parser.feed(b"data: 12\n\n").unwrap(), [data("12")]);
}
