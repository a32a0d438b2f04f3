"""OpenAI chat requests -> Anthropic Messages requests."""

from __future__ import annotations

import pytest

from ferrogate.errors import InvalidRequest
from ferrogate.providers.anthropic.request import DEFAULT_MAX_TOKENS, to_anthropic
from ferrogate.providers.anthropic.tools import JSON_TOOL

HI = {"role": "user", "content": "Hi"}
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


def _map(messages=(HI,), **params) -> dict:
    return to_anthropic({"model": "alias", "messages": list(messages), **params}, "claude-x")


def _refused(messages=(HI,), **params) -> InvalidRequest:
    with pytest.raises(InvalidRequest) as caught:
        _map(messages, **params)
    return caught.value


def test_plain_request_names_the_deployment_model_and_a_default_max_tokens():
    assert _map() == {
        "model": "claude-x",
        "max_tokens": DEFAULT_MAX_TOKENS,
        "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi"}]}],
    }


def test_system_and_developer_messages_become_the_top_level_system_text():
    messages = [
        {"role": "system", "content": "Be brief."},
        HI,
        {"role": "developer", "content": [{"type": "text", "text": "Use metric units."}]},
    ]

    request = _map(messages)

    assert request["system"] == "Be brief.\n\nUse metric units."
    assert [turn["role"] for turn in request["messages"]] == ["user"]


def test_consecutive_turns_of_one_role_are_merged():
    messages = [HI, {"role": "user", "content": "again"}, {"role": "assistant", "content": "Yes"}]

    request = _map(messages)

    assert request["messages"] == [
        {
            "role": "user",
            "content": [{"type": "text", "text": "Hi"}, {"type": "text", "text": "again"}],
        },
        {"role": "assistant", "content": [{"type": "text", "text": "Yes"}]},
    ]


def test_tool_calls_and_their_results_become_tool_use_and_one_user_turn_of_results():
    calls = [
        {
            "id": "call_1",
            "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
        },
        {"id": "call_2", "type": "function", "function": {"name": "get_weather", "arguments": ""}},
    ]
    messages = [
        HI,
        {"role": "assistant", "content": "", "tool_calls": calls},
        {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
        {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "windy"}]},
        {"role": "user", "content": "And tomorrow?"},
    ]

    assistant, results = _map(messages)["messages"][1:]

    assert assistant == {
        "role": "assistant",
        "content": [
            {"type": "tool_use", "id": "call_1", "name": "get_weather", "input": {"city": "Paris"}},
            {"type": "tool_use", "id": "call_2", "name": "get_weather", "input": {}},
        ],
    }
    assert results == {
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": "call_1", "content": "sunny"},
            {"type": "tool_result", "tool_use_id": "call_2", "content": "windy"},
            {"type": "text", "text": "And tomorrow?"},
        ],
    }


def test_images_from_data_urls_and_web_urls_become_base64_and_url_sources():
    parts = [
        {"type": "text", "text": "Compare"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg", "detail": "low"}},
    ]

    (turn,) = _map([{"role": "user", "content": parts}])["messages"]

    assert turn["content"][1:] == [
        {
            "type": "image",
            "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="},
        },
        {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}},
    ]


@pytest.mark.parametrize(
    "url",
    ["data:image/bmp;base64,Qk0=", "data:image/png,notbase64", "ftp://example.com/cat.png"],
    ids=["bmp", "not-base64", "ftp"],
)
def test_image_anthropic_cannot_read_is_refused_naming_the_part(url):
    parts = [{"type": "image_url", "image_url": {"url": url}}]

    error = _refused([{"role": "user", "content": parts}])

    assert error.param == "messages[0].content[0].image_url.url"


@pytest.mark.parametrize(
    ("message", "param"),
    [
        (
            {"role": "user", "content": [{"type": "input_audio", "input_audio": {}}]},
            "messages[0].content[0]",
        ),
        ({"role": "function", "name": "f", "content": "x"}, "messages[0].role"),
        ({"role": "tool", "content": "x"}, "messages[0].tool_call_id"),
        ({"role": "system", "content": [{"type": "image_url"}]}, "messages[0].content[0]"),
        (
            {
                "role": "assistant",
                "tool_calls": [{"id": "c", "function": {"name": "f", "arguments": "[1]"}}],
            },
            "messages[0].tool_calls[0].function.arguments",
        ),
    ],
    ids=[
        "audio-part",
        "function-role",
        "tool-without-id",
        "image-in-system",
        "arguments-not-object",
    ],
)
def test_message_anthropic_cannot_take_is_refused_naming_the_field(message, param):
    assert _refused([message]).param == param


def test_sampling_stop_and_user_are_carried_over():
    request = _map(temperature=0.2, top_p=0.9, stop="END", user="user-42", max_tokens=50)

    assert request["temperature"] == 0.2
    assert request["top_p"] == 0.9
    assert request["stop_sequences"] == ["END"]
    assert request["metadata"] == {"user_id": "user-42"}
    assert request["max_tokens"] == 50


def test_max_completion_tokens_wins_over_the_older_max_tokens():
    assert _map(max_tokens=50, max_completion_tokens=70)["max_tokens"] == 70


def test_stop_list_becomes_stop_sequences():
    assert _map(stop=["a", "b"])["stop_sequences"] == ["a", "b"]


@pytest.mark.parametrize(
    ("params", "param"),
    [({"n": 2}, "n"), ({"logprobs": True}, "logprobs"), ({"audio": {"voice": "x"}}, "audio")],
)
def test_parameters_that_change_the_answers_shape_are_refused(params, param):
    error = _refused(**params)

    assert (error.param, error.code) == (param, "unsupported_parameter")


def test_tools_become_anthropic_tools_with_an_input_schema():
    bare = {"type": "function", "function": {"name": "now"}}

    request = _map(tools=[WEATHER, bare])

    assert request["tools"] == [
        {
            "name": "get_weather",
            "input_schema": WEATHER["function"]["parameters"],
            "description": "Weather for a city",
        },
        {"name": "now", "input_schema": {"type": "object", "properties": {}}},
    ]
    assert "tool_choice" not in request


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("auto", {"type": "auto"}),
        ("none", {"type": "none"}),
        ("required", {"type": "any"}),
        (
            {"type": "function", "function": {"name": "get_weather"}},
            {"type": "tool", "name": "get_weather"},
        ),
    ],
    ids=["auto", "none", "required", "named"],
)
def test_tool_choice_maps_to_anthropics(choice, expected):
    assert _map(tools=[WEATHER], tool_choice=choice)["tool_choice"] == expected


def test_no_parallel_tool_calls_disables_parallel_tool_use():
    request = _map(tools=[WEATHER], parallel_tool_calls=False)

    assert request["tool_choice"] == {"type": "auto", "disable_parallel_tool_use": True}


def test_tool_choice_without_tools_is_left_out():
    assert "tool_choice" not in _map(tool_choice="none")


def test_unknown_tool_choice_is_refused():
    assert _refused(tools=[WEATHER], tool_choice="sometimes").param == "tool_choice"


def test_json_object_output_forces_the_json_tool_with_any_object():
    request = _map(response_format={"type": "json_object"})

    (tool,) = request["tools"]
    assert (tool["name"], tool["input_schema"]) == (JSON_TOOL, {"type": "object"})
    assert request["tool_choice"] == {"type": "tool", "name": JSON_TOOL}


def test_json_schema_output_uses_the_schema_as_the_tools_input_schema():
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}}
    response_format = {"type": "json_schema", "json_schema": {"name": "reply", "schema": schema}}

    (tool,) = _map(response_format=response_format)["tools"]

    assert tool["input_schema"] == schema


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (None, {"type": "any"}),
        ("none", {"type": "tool", "name": JSON_TOOL}),
        (
            {"type": "function", "function": {"name": "get_weather"}},
            {"type": "tool", "name": "get_weather"},
        ),
    ],
    ids=["auto", "none", "forced-client-tool"],
)
def test_json_output_beside_client_tools_keeps_the_clients_choice_possible(choice, expected):
    params = {"tool_choice": choice} if choice else {}

    request = _map(tools=[WEATHER], response_format={"type": "json_object"}, **params)

    assert [tool["name"] for tool in request["tools"]] == ["get_weather", JSON_TOOL]
    assert request["tool_choice"] == expected


def test_text_response_format_adds_nothing():
    assert "tools" not in _map(response_format={"type": "text"})


def test_unknown_response_format_is_refused():
    assert _refused(response_format={"type": "yaml"}).param == "response_format"
