"""OpenAI chat requests as Gemini GenerateContentRequests."""

from __future__ import annotations

import pytest

from ferrogate.errors import InvalidRequest
from ferrogate.providers.gemini.request import gemini_request
from ferrogate.providers.gemini.tools import new_call_id

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


def _request(messages, **fields):
    return gemini_request({"model": "m", "messages": messages, **fields})


def test_system_and_developer_messages_become_the_system_instruction():
    request = _request(
        [
            {"role": "system", "content": "Be brief."},
            {"role": "developer", "content": [{"type": "text", "text": "Use French."}]},
            {"role": "user", "content": "Hi"},
        ]
    )

    assert request["systemInstruction"] == {
        "parts": [{"text": "Be brief."}, {"text": "Use French."}]
    }
    assert request["contents"] == [{"role": "user", "parts": [{"text": "Hi"}]}]


def test_assistant_turns_use_the_model_role():
    request = _request(
        [
            {"role": "user", "content": "a"},
            {"role": "assistant", "content": "b"},
            {"role": "user", "content": "c"},
        ]
    )

    assert [c["role"] for c in request["contents"]] == ["user", "model", "user"]
    assert "systemInstruction" not in request


def test_data_url_image_becomes_inline_data():
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    request = _request([{"role": "user", "content": [{"type": "text", "text": "?"}, image]}])

    assert request["contents"][0]["parts"] == [
        {"text": "?"},
        {"inlineData": {"mimeType": "image/png", "data": "AAAA"}},
    ]


@pytest.mark.parametrize(
    ("url", "mime_type"),
    [
        ("https://example.com/cat.png", "image/png"),
        ("https://example.com/a/photo.webp?size=2", "image/webp"),
        ("https://cdn.example.com/thumb", "image/jpeg"),
    ],
)
def test_http_image_becomes_file_data_with_type_from_the_extension(url, mime_type):
    image = {"type": "image_url", "image_url": {"url": url, "detail": "low"}}
    request = _request([{"role": "user", "content": [image]}])

    assert request["contents"][0]["parts"] == [
        {"fileData": {"mimeType": mime_type, "fileUri": url}}
    ]


def test_unsupported_image_url_is_refused_with_the_param_named():
    image = {"type": "image_url", "image_url": {"url": "ftp://example.com/a.png"}}

    with pytest.raises(InvalidRequest) as caught:
        _request([{"role": "user", "content": [image]}])

    assert caught.value.param == "messages[0].content[0].image_url.url"


def test_sampling_fields_map_to_generation_config():
    request = _request(
        [{"role": "user", "content": "x"}],
        temperature=0.2,
        top_p=0.9,
        max_tokens=50,
        stop="END",
        seed=7,
        presence_penalty=0.1,
        frequency_penalty=0.3,
    )

    assert request["generationConfig"] == {
        "temperature": 0.2,
        "topP": 0.9,
        "seed": 7,
        "presencePenalty": 0.1,
        "frequencyPenalty": 0.3,
        "maxOutputTokens": 50,
        "stopSequences": ["END"],
    }


def test_max_completion_tokens_wins_over_max_tokens():
    request = _request(
        [{"role": "user", "content": "x"}], max_tokens=50, max_completion_tokens=20, stop=["a", "b"]
    )

    assert request["generationConfig"] == {"maxOutputTokens": 20, "stopSequences": ["a", "b"]}


def test_plain_request_has_no_generation_config():
    assert "generationConfig" not in _request([{"role": "user", "content": "x"}])


def test_json_object_asks_for_json_mime_type():
    request = _request([{"role": "user", "content": "x"}], response_format={"type": "json_object"})

    assert request["generationConfig"] == {"responseMimeType": "application/json"}


def test_json_schema_is_sent_as_a_json_schema():
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "additionalProperties": False,
    }
    response_format = {"type": "json_schema", "json_schema": {"name": "r", "schema": schema}}

    request = _request([{"role": "user", "content": "x"}], response_format=response_format)

    assert request["generationConfig"] == {
        "responseMimeType": "application/json",
        "responseJsonSchema": schema,
    }


def test_unknown_response_format_is_refused():
    with pytest.raises(InvalidRequest) as caught:
        _request([{"role": "user", "content": "x"}], response_format={"type": "yaml"})

    assert caught.value.param == "response_format"


def test_tools_become_function_declarations_with_a_json_schema():
    request = _request([{"role": "user", "content": "x"}], tools=[WEATHER])

    assert request["tools"] == [
        {
            "functionDeclarations": [
                {
                    "name": "get_weather",
                    "description": "Weather for a city",
                    "parametersJsonSchema": WEATHER["function"]["parameters"],
                }
            ]
        }
    ]


@pytest.mark.parametrize(
    ("choice", "config"),
    [
        ("auto", {"mode": "AUTO"}),
        ("none", {"mode": "NONE"}),
        ("required", {"mode": "ANY"}),
        (
            {"type": "function", "function": {"name": "get_weather"}},
            {"mode": "ANY", "allowedFunctionNames": ["get_weather"]},
        ),
    ],
)
def test_tool_choice_becomes_a_function_calling_mode(choice, config):
    request = _request([{"role": "user", "content": "x"}], tools=[WEATHER], tool_choice=choice)

    assert request["toolConfig"] == {"functionCallingConfig": config}


def test_non_function_tools_are_refused():
    with pytest.raises(InvalidRequest) as caught:
        _request([{"role": "user", "content": "x"}], tools=[{"type": "web_search"}])

    assert caught.value.param == "tools[0].type"


def _tool_round(call_id: str, results: list[dict]) -> list[dict]:
    call = {
        "id": call_id,
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
    }
    return [
        {"role": "user", "content": "Weather?"},
        {"role": "assistant", "content": None, "tool_calls": [call]},
        *results,
    ]


def test_tool_round_trip_becomes_function_call_and_function_response_parts():
    messages = _tool_round("call_1", [{"role": "tool", "tool_call_id": "call_1", "content": "18C"}])

    contents = _request(messages)["contents"]

    assert contents[1] == {
        "role": "model",
        "parts": [{"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}}],
    }
    assert contents[2] == {
        "role": "user",
        "parts": [{"functionResponse": {"name": "get_weather", "response": {"output": "18C"}}}],
    }


def test_json_object_tool_result_is_the_response_itself():
    result = {"role": "tool", "tool_call_id": "c", "content": '{"temp": 18}'}

    contents = _request(_tool_round("c", [result]))["contents"]

    assert contents[2]["parts"][0]["functionResponse"]["response"] == {"temp": 18}


def test_results_of_parallel_calls_share_one_user_turn():
    results = [
        {"role": "tool", "tool_call_id": "c", "content": "one"},
        {"role": "tool", "tool_call_id": "c", "content": "[1, 2]"},
    ]

    contents = _request(_tool_round("c", results))["contents"]

    assert len(contents) == 3
    responses = [p["functionResponse"]["response"] for p in contents[2]["parts"]]
    assert responses == [{"output": "one"}, {"output": [1, 2]}]


def test_thought_signature_carried_in_the_call_id_goes_back_with_the_call():
    call_id = new_call_id("c2lnbmF0dXJl+/=")
    messages = _tool_round(call_id, [{"role": "tool", "tool_call_id": call_id, "content": "ok"}])

    part = _request(messages)["contents"][1]["parts"][0]

    assert part["thoughtSignature"] == "c2lnbmF0dXJl+/="
    assert part["functionCall"]["name"] == "get_weather"


def test_tool_result_for_an_unknown_call_is_refused():
    messages = _tool_round("c", [{"role": "tool", "tool_call_id": "other", "content": "x"}])

    with pytest.raises(InvalidRequest) as caught:
        _request(messages)

    assert caught.value.param == "messages[2].tool_call_id"


def test_tool_call_arguments_that_are_not_an_object_are_refused():
    messages = _tool_round("c", [])
    messages[1]["tool_calls"][0]["function"]["arguments"] = "[1]"

    with pytest.raises(InvalidRequest) as caught:
        _request(messages)

    assert caught.value.param == "messages[1].tool_calls[0].function.arguments"


def test_empty_assistant_text_is_left_out():
    request = _request(
        [
            {"role": "user", "content": "a"},
            {"role": "assistant", "content": ""},
            {"role": "user", "content": "b"},
        ]
    )

    assert [c["role"] for c in request["contents"]] == ["user", "user"]


def test_legacy_function_messages_are_refused():
    messages = [{"role": "user", "content": "a"}, {"role": "function", "name": "f", "content": "x"}]

    with pytest.raises(InvalidRequest) as caught:
        _request(messages)

    assert caught.value.param == "messages[1].role"
