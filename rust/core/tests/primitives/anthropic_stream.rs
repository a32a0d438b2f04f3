use ferrogate_core::stream::anthropic::{StreamEnd, StreamOptions, UpstreamFailure, Usage};
use ferrogate_core::{AnthropicTranslator, CoreError};

const CREATED: u64 = 1_700_000_000;
const HEAD: &str = r#"data: {"id":"chatcmpl-msg_1","object":"chat.completion.chunk","created":1700000000,"model":"claude-x","choices":[{"index":0,"delta":"#;
const FINISH: &str = r#","logprobs":null,"finish_reason":"#;
const DONE: &str = "data: [DONE]\n\n";

fn translator(include_usage: bool) -> AnthropicTranslator {
    AnthropicTranslator::new(StreamOptions {
        model: "claude-deployment".into(),
        include_usage,
        created: CREATED,
        json_tool: Some("json_response".into()),
    })
}

fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

fn start() -> String {
    let message = r#"{"type":"message_start","message":{"id":"msg_1","model":"claude-x","usage":{"input_tokens":25,"cache_read_input_tokens":5,"output_tokens":1}}}"#;
    event("message_start", message)
}

fn block_start(index: u32, block: &str) -> String {
    let data =
        format!(r#"{{"type":"content_block_start","index":{index},"content_block":{block}}}"#);
    event("content_block_start", &data)
}

fn text_delta(index: u32, text: &str) -> String {
    let delta = format!(
        r#"{{"type":"text_delta","text":{}}}"#,
        serde_json::json!(text)
    );
    let data = format!(r#"{{"type":"content_block_delta","index":{index},"delta":{delta}}}"#);
    event("content_block_delta", &data)
}

fn json_delta(index: u32, piece: &str) -> String {
    let delta = format!(
        r#"{{"type":"input_json_delta","partial_json":{}}}"#,
        serde_json::json!(piece)
    );
    let data = format!(r#"{{"type":"content_block_delta","index":{index},"delta":{delta}}}"#);
    event("content_block_delta", &data)
}

fn block_stop(index: u32) -> String {
    let data = format!(r#"{{"type":"content_block_stop","index":{index}}}"#);
    event("content_block_stop", &data)
}

fn end(stop_reason: &str, output_tokens: u32) -> String {
    let data = format!(
        r#"{{"type":"message_delta","delta":{{"stop_reason":"{stop_reason}"}},"usage":{{"output_tokens":{output_tokens}}}}}"#
    );
    event("message_delta", &data) + &event("message_stop", r#"{"type":"message_stop"}"#)
}

fn tool(index: u32, name: &str) -> String {
    let block =
        format!(r#"{{"type":"tool_use","id":"toolu_{index}","name":"{name}","input":{{}}}}"#);
    block_start(index, &block)
}

fn chunk(delta: &str, finish: &str) -> String {
    format!("{HEAD}{delta}{FINISH}{finish}}}]}}\n\n")
}

fn translate(stream: &str) -> String {
    let out = translator(false).feed(stream.as_bytes()).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn text_stream_becomes_role_content_finish_and_done() {
    let text = [r#"{"type":"text","text":""}"#];
    let stream = start()
        + &block_start(0, text[0])
        + &text_delta(0, "Hel\"lo\n")
        + &text_delta(0, "é!")
        + &block_stop(0)
        + &end("end_turn", 15);

    let expected = [
        chunk(r#"{"role":"assistant","content":""}"#, "null"),
        chunk(r#"{"content":"Hel\"lo\n"}"#, "null"),
        chunk(r#"{"content":"é!"}"#, "null"),
        chunk("{}", "\"stop\""),
        DONE.to_owned(),
    ];
    assert_eq!(translate(&stream), expected.concat());
}

#[test]
fn usage_is_captured_and_sent_last_when_asked() {
    let stream = start() + &end("end_turn", 15);
    let mut translator = translator(true);

    let out = String::from_utf8(translator.feed(stream.as_bytes()).unwrap()).unwrap();

    let usage = Usage {
        prompt_tokens: 30,
        completion_tokens: 15,
        cached_tokens: 5,
    };
    assert_eq!(translator.usage(), Some(usage));
    assert!(out.contains(r#""finish_reason":null}],"usage":null}"#));
    let usage_chunk = r#""choices":[],"usage":{"prompt_tokens":30,"completion_tokens":15,"total_tokens":45,"prompt_tokens_details":{"cached_tokens":5}}}"#;
    assert!(out.ends_with(&format!("{usage_chunk}\n\n{DONE}")), "{out}");
    assert_eq!(translator.end(), Some(&StreamEnd::Done));
}

#[test]
fn tool_use_becomes_a_tool_call_then_argument_pieces() {
    let stream = start()
        + &tool(1, "get_weather")
        + &json_delta(1, "")
        + &json_delta(1, r#"{"city":"#)
        + &json_delta(1, r#" "Paris"}"#)
        + &block_stop(1)
        + &end("tool_use", 9);

    let opening = r#"{"tool_calls":[{"index":0,"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":""}}]}"#;
    let expected = [
        chunk(r#"{"role":"assistant","content":""}"#, "null"),
        chunk(opening, "null"),
        chunk(
            r#"{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}"#,
            "null",
        ),
        chunk(
            r#"{"tool_calls":[{"index":0,"function":{"arguments":" \"Paris\"}"}}]}"#,
            "null",
        ),
        chunk("{}", "\"tool_calls\""),
        DONE.to_owned(),
    ];
    assert_eq!(translate(&stream), expected.concat());
}

#[test]
fn each_tool_gets_the_next_position_and_an_empty_tool_gets_braces() {
    let stream = start()
        + &tool(0, "now")
        + &block_stop(0)
        + &tool(1, "b")
        + &json_delta(1, "{}")
        + &block_stop(1);

    let out = translate(&stream);

    let braces = r#"{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}"#;
    assert!(out.contains(&chunk(braces, "null")), "{out}");
    assert!(
        out.contains(r#"{"tool_calls":[{"index":1,"id":"toolu_1""#),
        "{out}"
    );
    assert_eq!(
        out.matches("arguments\":\"{}\"").count(),
        2,
        "one each: {out}"
    );
}

#[test]
fn json_tool_pieces_stream_as_content_and_finish_as_stop() {
    let stream = start()
        + &tool(0, "json_response")
        + &json_delta(0, r#"{"a": 1}"#)
        + &block_stop(0)
        + &end("tool_use", 3);

    let out = translate(&stream);

    assert!(
        out.contains(&chunk(r#"{"content":"{\"a\": 1}"}"#, "null")),
        "{out}"
    );
    assert!(out.contains(&chunk("{}", "\"stop\"")), "{out}");
    assert!(!out.contains("tool_calls"), "{out}");
}

#[test]
fn ping_thinking_and_unknown_events_give_nothing() {
    let thinking = block_start(0, r#"{"type":"thinking","thinking":""}"#)
        + &event(
            "content_block_delta",
            r#"{"index":0,"delta":{"type":"thinking_delta","thinking":"hm"}}"#,
        )
        + &block_stop(0);
    let quiet = event("ping", "not even json") + &thinking + &event("future_event", "{}");

    let mut translator = translator(false);
    translator.feed(start().as_bytes()).unwrap();

    assert!(translator.feed(quiet.as_bytes()).unwrap().is_empty());
}

#[test]
fn event_type_falls_back_to_the_data_when_the_event_has_no_name() {
    let unnamed = format!("data: {}\n\n", r#"{"type":"message_stop"}"#);

    let out = translate(&(start() + &unnamed));

    assert!(out.ends_with(DONE), "{out}");
}

#[test]
fn finish_reasons_read_in_openai_terms() {
    let cases = [
        ("end_turn", "stop"),
        ("stop_sequence", "stop"),
        ("max_tokens", "length"),
        ("model_context_window_exceeded", "length"),
        ("refusal", "content_filter"),
        ("pause_turn", "stop"),
        ("tool_use", "stop"), // no client tool was called: the JSON tool answered
        ("something_new", "stop"),
    ];
    for (stop_reason, finish) in cases {
        let out = translate(&(start() + &end(stop_reason, 1)));
        assert!(
            out.contains(&chunk("{}", &format!("\"{finish}\""))),
            "{stop_reason}: {out}"
        );
    }
}

#[test]
fn stream_split_at_every_byte_translates_the_same() {
    let stream = start()
        + &block_start(0, r#"{"type":"text","text":""}"#)
        + &text_delta(0, "日本\r\n")
        + &block_stop(0)
        + &tool(1, "f")
        + &json_delta(1, "{}")
        + &end("tool_use", 4);
    let whole = translate(&stream);

    let mut translator = translator(false);
    let mut out = Vec::new();
    for byte in stream.as_bytes() {
        out.extend(translator.feed(std::slice::from_ref(byte)).unwrap());
    }

    assert_eq!(String::from_utf8(out).unwrap(), whole);
}

#[test]
fn error_event_ends_the_stream_and_reports_the_failure() {
    let error = r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
    let stream = start() + &event("error", error) + &end("end_turn", 1);
    let mut translator = translator(false);

    let out = String::from_utf8(translator.feed(stream.as_bytes()).unwrap()).unwrap();

    assert_eq!(out, chunk(r#"{"role":"assistant","content":""}"#, "null"));
    let failure = UpstreamFailure {
        kind: Some("overloaded_error".into()),
        message: Some("Overloaded".into()),
    };
    assert_eq!(translator.end(), Some(&StreamEnd::Failed(failure)));
    assert!(translator.feed(start().as_bytes()).unwrap().is_empty());
}

#[test]
fn events_after_message_stop_are_dropped() {
    let stream = start() + &end("end_turn", 1) + &text_delta(0, "late") + "data: {broken\n\n";

    assert!(translate(&stream).ends_with(DONE));
}

#[test]
fn data_that_is_not_a_json_object_is_an_error() {
    for data in ["{not json", "[1]", "\"text\""] {
        let result = translator(false).feed(event("content_block_delta", data).as_bytes());
        assert!(
            matches!(result, Err(CoreError::StreamEvent(_))),
            "{data}: {result:?}"
        );
    }
}

#[test]
fn chunks_before_message_start_name_the_deployment() {
    let out = translate(&text_delta(0, "x"));
    assert!(out.is_empty());

    let block = block_start(0, r#"{"type":"text","text":"early"}"#);
    let out = translate(&block);
    let pending = r#""id":"chatcmpl-pending","object":"chat.completion.chunk","created":1700000000,"model":"claude-deployment""#;
    assert!(out.contains(pending), "{out}");
}
