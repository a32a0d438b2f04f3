"""Chat requests built field by field: the right members, each of a right or a wrong kind.

Edited samples (json_values.edited) rarely reach a field three levels down; here every
message, content part, tool call and tool is drawn, so each may be subtly wrong.
"""

from __future__ import annotations

from hypothesis import strategies as st

from .json_values import integers_64, json_values

_URLS = st.sampled_from(
    [
        "https://example.com/cat.png",
        "http://example.com/photo",
        "data:image/png;base64,iVBORw0KGgo=",
        "data:image/gif;base64,R0lGODlh",
        "data:image/tiff;base64,SUkqAA==",
        "data:text/plain;base64,aGk=",
        "data:image/png,raw",
        "data:;base64,",
        "file:///etc/passwd",
        "",
    ]
)
_ARGUMENTS = st.sampled_from(['{"city": "Paris"}', "{}", "", "[]", "1", "{", "null"])
_CALL_IDS = st.sampled_from(["call_1", "call_1__sig__c2ln", "call_2", ""])


def _sometimes_wrong(right: st.SearchStrategy) -> st.SearchStrategy:
    return right | right | right | json_values


_PART = st.fixed_dictionaries(
    {"type": _sometimes_wrong(st.sampled_from(["text", "image_url", "input_audio", "file"]))},
    optional={
        "text": _sometimes_wrong(st.text(max_size=10)),
        "image_url": _sometimes_wrong(
            st.fixed_dictionaries({"url": _sometimes_wrong(_URLS)}) | _URLS
        ),
    },
)
_CONTENT = _sometimes_wrong(st.text(max_size=10) | st.none() | st.lists(_PART, max_size=3))
_FUNCTION_CALL = st.fixed_dictionaries(
    {},
    optional={
        "name": _sometimes_wrong(st.sampled_from(["get_weather", "lookup", ""])),
        "arguments": _sometimes_wrong(_ARGUMENTS),
    },
)
_TOOL_CALL = st.fixed_dictionaries(
    {},
    optional={
        "id": _sometimes_wrong(_CALL_IDS),
        "type": _sometimes_wrong(st.just("function")),
        "function": _sometimes_wrong(_FUNCTION_CALL),
    },
)
_MESSAGE = st.fixed_dictionaries(
    {"role": st.sampled_from(["system", "developer", "user", "assistant", "tool", "function"])},
    optional={
        "content": _CONTENT,
        "tool_calls": _sometimes_wrong(st.lists(_TOOL_CALL, max_size=3)),
        "tool_call_id": _sometimes_wrong(_CALL_IDS),
        "name": _sometimes_wrong(st.text(max_size=5)),
    },
)
_TOOL = st.fixed_dictionaries(
    {"type": _sometimes_wrong(st.just("function"))},
    optional={
        "function": _sometimes_wrong(
            st.fixed_dictionaries(
                {"name": _sometimes_wrong(st.sampled_from(["get_weather", "lookup"]))},
                optional={
                    "description": json_values,
                    "parameters": _sometimes_wrong(st.just({"type": "object"})),
                },
            )
        )
    },
)
_TOOL_CHOICE = _sometimes_wrong(
    st.sampled_from(["auto", "none", "required", "any"])
    | st.fixed_dictionaries(
        {"type": st.just("function"), "function": _sometimes_wrong(_FUNCTION_CALL)}
    )
)
_RESPONSE_FORMAT = _sometimes_wrong(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["text", "json_object", "json_schema", "yaml"])},
        optional={
            "json_schema": _sometimes_wrong(
                st.fixed_dictionaries(
                    {"name": st.just("answer")},
                    optional={"schema": json_values, "description": json_values},
                )
            )
        },
    )
)
_SMALL_NUMBERS = st.integers(-2, 5) | st.floats(-1, 3, allow_nan=False)

chat_requests = st.fixed_dictionaries(
    {"model": st.just("m"), "messages": st.lists(_MESSAGE, min_size=1, max_size=5)},
    optional={
        "tools": _sometimes_wrong(st.lists(_TOOL, max_size=3)),
        "tool_choice": _TOOL_CHOICE,
        "parallel_tool_calls": _sometimes_wrong(st.booleans()),
        "response_format": _RESPONSE_FORMAT,
        "stop": _sometimes_wrong(st.text(max_size=3) | st.lists(st.text(max_size=3), max_size=3)),
        "n": _sometimes_wrong(_SMALL_NUMBERS),
        "logprobs": _sometimes_wrong(st.booleans()),
        "top_logprobs": _sometimes_wrong(_SMALL_NUMBERS),
        "temperature": _sometimes_wrong(_SMALL_NUMBERS),
        "top_p": _sometimes_wrong(_SMALL_NUMBERS),
        "seed": _sometimes_wrong(integers_64),
        "max_tokens": _sometimes_wrong(st.integers(-1, 10_000)),
        "max_completion_tokens": _sometimes_wrong(st.integers(-1, 10_000)),
        "user": _sometimes_wrong(st.text(max_size=5)),
        "audio": json_values,
    },
)
