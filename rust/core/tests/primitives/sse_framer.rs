use ferrogate_core::{frame_event, CoreError, SseEvent, SseParser};

fn frame(data: &[u8], event: Option<&str>, id: Option<&str>) -> Vec<u8> {
    frame_event(data, event, id).unwrap()
}

#[test]
fn frames_fields_then_data_then_blank_line() {
    let framed = frame(b"{\"a\":1}", Some("delta"), Some("7"));
    assert_eq!(framed, b"event: delta\nid: 7\ndata: {\"a\":1}\n\n");
}

#[test]
fn each_data_line_gets_its_own_field() {
    assert_eq!(
        frame(b"a\r\nb\nc\rd", None, None),
        b"data: a\ndata: b\ndata: c\ndata: d\n\n"
    );
    assert_eq!(frame(b"", None, None), b"data: \n\n");
    assert_eq!(frame(b"a\n", None, None), b"data: a\ndata: \n\n");
}

#[test]
fn framed_event_parses_back() {
    let cases: [(&[u8], Option<&str>, Option<&str>); 4] = [
        (b" leading space", Some(" spaced"), Some("")),
        (b"x\n\ny", Some("a:b"), None),
        (b"", None, Some("id")),
        (b":not a comment", Some(""), None),
    ];
    for (data, event, id) in cases {
        let parsed = SseParser::default().feed(&frame(data, event, id)).unwrap();
        let expected = SseEvent {
            data: data.to_vec(),
            event: event.map(Into::into),
            id: id.map(Into::into),
            retry: None,
        };
        assert_eq!(parsed, [expected]);
    }
}

#[test]
fn line_breaks_in_event_or_id_are_rejected() {
    assert!(matches!(
        frame_event(b"", Some("a\nb"), None),
        Err(CoreError::Sse(_))
    ));
    assert!(matches!(
        frame_event(b"", None, Some("a\rb")),
        Err(CoreError::Sse(_))
    ));
    assert!(matches!(
        frame_event(b"", None, Some("a\0b")),
        Err(CoreError::Sse(_))
    ));
}
