"""Prompt token counts of chat requests, framed as OpenAI counts them, and the reservation."""

import asyncio

import msgspec
import pytest

from ferrogate.core import count_tokens
from ferrogate.limits.token_count import (
    encodings_for,
    preload,
    prompt_tokens,
    reserve_tokens,
    text_tokens,
)

# 9 tokens under cl100k_base, 8 under o200k_base: tells the two encodings apart.
BIRTHDAY = "お誕生日おめでとう"


@pytest.mark.parametrize(
    "model",
    [
        "gpt-4o",
        "gpt-4o-mini",
        "gpt-4.1-nano",
        "gpt-4.5-preview",
        "gpt-5",
        "o1",
        "o3-mini",
        "o4-mini",
        "chatgpt-4o-latest",
        "openai/gpt-4o",
    ],
)
def test_newer_openai_models_count_with_o200k_base(model):
    assert text_tokens(BIRTHDAY, model) == 8


@pytest.mark.parametrize(
    "model", ["gpt-4", "gpt-4-turbo", "gpt-3.5-turbo", "gpt-35-turbo", "text-embedding-3-small"]
)
def test_older_openai_models_count_with_cl100k_base(model):
    assert text_tokens(BIRTHDAY, model) == 9


@pytest.mark.parametrize("model", ["claude-3-5-sonnet-latest", "gemini-2.0-flash", "demo", ""])
def test_other_models_are_estimated_with_o200k_base(model):
    assert text_tokens(BIRTHDAY, model) == 8


def test_one_user_message_is_framed_as_openai_counts_it():
    body = {"messages": [{"role": "user", "content": "hello world"}]}
    # 3 per message + "user" (1) + "hello world" (2) + 3 priming the reply.
    assert prompt_tokens(body, "gpt-4o") == 9


def test_prompt_is_the_sum_of_its_messages_fields_and_framing():
    body = {
        "model": "gpt-4o",
        "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "name": "alice", "content": "What is the capital of France?"},
        ],
    }
    strings = [
        "system",
        "You are a helpful assistant.",
        "user",
        "alice",
        "What is the capital of France?",
    ]
    expected = 2 * 3 + sum(count_tokens(s) for s in strings) + 1 + 3
    assert prompt_tokens(body, "gpt-4o") == expected


def test_text_parts_count_their_text_and_images_a_fixed_85():
    body = {
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is in this picture?"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
                    {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
                ],
            }
        ]
    }
    expected = 3 + 1 + count_tokens("What is in this picture?") + 2 * 85 + 3
    assert prompt_tokens(body, "gpt-4o") == expected


def test_tool_definitions_and_tool_calls_count_as_their_json():
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]
    calls = [
        {
            "id": "c1",
            "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
        }
    ]
    body = {
        "tools": tools,
        "messages": [
            {"role": "assistant", "content": None, "tool_calls": calls},
            {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
        ],
    }
    as_json = [msgspec.json.encode(tools).decode(), msgspec.json.encode(calls).decode()]
    strings = ["assistant", "tool", "c1", "sunny", *as_json]
    expected = 2 * 3 + sum(count_tokens(s) for s in strings) + 3
    assert prompt_tokens(body, "gpt-4o") == expected


def test_long_prompt_is_counted_in_full():
    line = "The quick brown fox jumps over the lazy dog.\n"
    body = {"messages": [{"role": "user", "content": line * 100_000}]}
    assert prompt_tokens(body, "gpt-4o") == 3 + 1 + 100_000 * count_tokens(line) + 3


def test_body_without_messages_counts_only_the_reply_priming():
    assert prompt_tokens({}, "gpt-4o") == 3


@pytest.mark.parametrize(
    ("limits", "output"),
    [
        ({"max_completion_tokens": 50, "max_tokens": 70}, 50),
        ({"max_tokens": 70}, 70),
        ({}, 1024),
        ({"max_tokens": None}, 1024),
        ({"max_tokens": True}, 1024),
    ],
)
def test_reserve_adds_the_output_limit_or_the_expected_output(limits, output):
    body = {"messages": [{"role": "user", "content": "hello world"}], **limits}
    assert reserve_tokens(body, "gpt-4o", expected_output=1024) == 9 + output


def test_preload_leaves_counts_unchanged():
    preload(["gpt-4o", "gpt-4"])
    assert text_tokens(BIRTHDAY, "gpt-4o") == 8


@pytest.mark.parametrize(
    ("models", "encodings"),
    [
        (["gpt-4o-mini", "claude-sonnet-4-5", "demo"], {"o200k_base"}),
        (["gpt-4o", "text-embedding-3-small"], {"o200k_base", "cl100k_base"}),
        (["azure/gpt-35-turbo"], {"cl100k_base"}),
        ([], set()),
    ],
)
def test_only_the_encodings_the_configured_models_count_with_are_preloaded(models, encodings):
    assert encodings_for(models) == encodings


def test_a_keyed_gateway_preloads_the_encodings_of_its_deployments(tmp_path, monkeypatch):
    from ferrogate.config import parse_config
    from ferrogate.gateway import access_setup

    preloaded: list[set[str]] = []
    monkeypatch.setattr(access_setup, "preload", lambda models: preloaded.append(set(models)))
    config = parse_config(
        "models:\n"
        "  - {name: a, deployments: [{provider: demo, model: demo}]}\n"
        "  - {name: b, deployments: [{provider: openai, model: gpt-4o, api_key: x},\n"
        "                            {provider: openai, model: gpt-4, api_key: x}]}\n"
        f"keys: {{sqlite_path: {tmp_path / 'keys.sqlite3'}}}\n",
        "test",
        {},
    )
    access = access_setup.build_access(config, "mk-preload-test-key", None)
    asyncio.run(access.aclose())
    assert preloaded == [{"demo", "gpt-4o", "gpt-4"}]
