"""The mock upstream's Anthropic Messages API: Anthropic's formats, events and errors."""

from __future__ import annotations

import json

import pytest

from tests.http.raw import Reply, post_json

KEY = {"x-api-key": "sk-ant-test", "anthropic-version": "2023-06-01"}
HI = [{"role": "user", "content": "Hi there"}]
DEFAULT_ANSWER = "Hello! It's nice to meet you."
WEATHER = {"name": "get_weather", "input_schema": {"type": "object"}}


@pytest.fixture
def mock_url(stack) -> str:
    return stack.mock_url


def _post(mock_url: str, headers=KEY, **fields) -> Reply:
    body = {"model": "claude-x", "max_tokens": 100, "messages": HI, **fields}
    return post_json(f"{mock_url}/v1/messages", body, headers)


def _events(reply: Reply) -> list[tuple[str, dict]]:
    events = []
    for block in reply.body.decode().split("\n\n"):
        if block:
            name_line, data_line = block.split("\n")
            name, data = name_line.removeprefix("event: "), json.loads(data_line[6:])
            assert data["type"] == name
            events.append((name, data))
    return events


def _anthropic_error(reply: Reply, status: int, error_type: str) -> str:
    assert reply.status == status
    assert reply.headers["content-type"] == "application/json"
    body = reply.json()
    assert body["type"] == "error"
    assert body["request_id"] == reply.headers["request-id"]
    assert body["error"]["type"] == error_type
    return body["error"]["message"]


def test_message_comes_back_in_anthropics_shape(mock_url):
    reply = _post(mock_url)

    message = reply.json()
    assert reply.status == 200
    assert reply.headers["request-id"].startswith("req_")
    assert message["id"].startswith("msg_")
    assert (message["type"], message["role"], message["model"]) == (
        "message",
        "assistant",
        "claude-x",
    )
    assert message["content"] == [{"type": "text", "text": DEFAULT_ANSWER}]
    assert (message["stop_reason"], message["stop_sequence"]) == ("end_turn", None)
    assert message["usage"]["output_tokens"] == 8


def test_missing_api_key_is_anthropics_401(mock_url):
    reply = _post(mock_url, headers={})

    assert _anthropic_error(reply, 401, "authentication_error") == "x-api-key header is required"


def test_unknown_messages_path_is_a_404(mock_url):
    reply = post_json(f"{mock_url}/v1/messages/batches", {}, KEY)

    _anthropic_error(reply, 404, "not_found_error")


@pytest.mark.parametrize(
    ("asked", "error_type"),
    [
        (400, "invalid_request_error"),
        (401, "authentication_error"),
        (429, "rate_limit_error"),
        (500, "api_error"),
        (529, "overloaded_error"),
        (418, "api_error"),
    ],
)
def test_scenario_error_is_anthropics_error_with_its_status(mock_url, asked, error_type):
    reply = _post(mock_url, messages=[{"role": "user", "content": f"[error:{asked}]"}])

    _anthropic_error(reply, asked if asked != 418 else 500, error_type)


def test_rate_limit_error_says_when_to_retry(mock_url):
    reply = _post(mock_url, messages=[{"role": "user", "content": "[error:429]"}])

    assert reply.headers["retry-after"] == "1"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"max_tokens": None}, "max_tokens: Field required"),
        ({"messages": [{"role": "system", "content": "x"}]}, "messages.0.role: Input should be"),
        ({"messages": [{"role": "user", "content": ""}]}, "messages.0: all messages must have"),
        (
            {
                "messages": [
                    *HI,
                    {
                        "role": "assistant",
                        "content": [{"type": "tool_use", "id": "t1", "name": "f", "input": {}}],
                    },
                    {"role": "user", "content": "no result"},
                ]
            },
            "messages.2: `tool_use` ids were found without `tool_result` blocks",
        ),
    ],
    ids=["no-max-tokens", "system-role", "empty-content", "unanswered-tool-use"],
)
def test_request_anthropic_would_refuse_is_a_400(mock_url, fields, message):
    body = {"model": "claude-x", "max_tokens": 100, "messages": HI, **fields}
    body = {k: v for k, v in body.items() if v is not None}

    reply = post_json(f"{mock_url}/v1/messages", body, KEY)

    assert _anthropic_error(reply, 400, "invalid_request_error").startswith(message)


def test_stream_has_anthropics_event_sequence_with_text_in_several_deltas(mock_url):
    events = _events(_post(mock_url, stream=True))

    names = [name for name, _ in events]
    assert names[:3] == ["message_start", "content_block_start", "ping"]
    assert names[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    pieces = [data["delta"]["text"] for name, data in events if name == "content_block_delta"]
    assert len(pieces) == 8 and "".join(pieces) == DEFAULT_ANSWER
    message_delta = events[-2][1]
    assert message_delta["delta"] == {"stop_reason": "end_turn", "stop_sequence": None}
    assert message_delta["usage"]["output_tokens"] == 8


def test_streamed_tool_use_sends_its_input_in_several_json_pieces(mock_url):
    events = _events(_post(mock_url, stream=True, tools=[WEATHER]))

    start = events[1][1]["content_block"]
    assert (start["type"], start["name"], start["input"]) == ("tool_use", "get_weather", {})
    pieces = [d["delta"]["partial_json"] for name, d in events if name == "content_block_delta"]
    assert len([p for p in pieces if p]) > 2
    assert json.loads("".join(pieces)) == {"location": "Paris", "unit": "celsius"}
    assert events[-2][1]["delta"]["stop_reason"] == "tool_use"


def test_midstream_error_is_an_overloaded_error_event_after_three_tokens(mock_url):
    events = _events(
        _post(mock_url, stream=True, messages=[{"role": "user", "content": "[midstream-error]"}])
    )

    assert len([name for name, _ in events if name == "content_block_delta"]) == 3
    assert events[-1] == (
        "error",
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
    )


def test_forced_json_tool_answers_with_the_json_as_tool_input(mock_url):
    json_tool = {"name": "json_response", "input_schema": {"type": "object"}}
    choice = {"type": "tool", "name": "json_response"}

    message = _post(mock_url, tools=[json_tool], tool_choice=choice).json()

    (block,) = message["content"]
    assert (block["type"], block["name"]) == ("tool_use", "json_response")
    assert block["input"] == {"answer": DEFAULT_ANSWER}
    assert message["stop_reason"] == "tool_use"


def test_stop_sequence_is_named_when_it_ends_the_answer(mock_url):
    message = _post(mock_url, stop_sequences=["zzz", " nice"]).json()

    assert message["content"][0]["text"] == "Hello! It's"
    assert (message["stop_reason"], message["stop_sequence"]) == ("stop_sequence", " nice")


def test_max_tokens_reached_stops_with_max_tokens(mock_url):
    message = _post(mock_url, max_tokens=3).json()

    assert message["stop_reason"] == "max_tokens"
    assert message["usage"]["output_tokens"] == 3


def test_safety_refusal_has_no_content(mock_url):
    message = _post(mock_url, messages=[{"role": "user", "content": "[safety] x"}]).json()

    assert (message["content"], message["stop_reason"]) == ([], "refusal")


def test_tool_result_blocks_reach_the_scenario(mock_url):
    tool_use = {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}}
    text = [{"type": "text", "text": "18C"}]
    result = {"type": "tool_result", "tool_use_id": "toolu_1", "content": text}
    messages = [
        *HI,
        {"role": "assistant", "content": [tool_use]},
        {"role": "user", "content": [result]},
    ]

    message = _post(mock_url, messages=messages, tools=[WEATHER]).json()

    assert message["content"][0]["text"] == "The tool said: 18C"


def test_system_given_as_text_blocks_reaches_the_scenario(mock_url):
    system = [{"type": "text", "text": "Be brief"}]
    messages = [{"role": "user", "content": "[echo] why?"}]

    message = _post(mock_url, system=system, messages=messages).json()

    assert message["content"][0]["text"] == "system=Be brief; turns=1; last=why?"
