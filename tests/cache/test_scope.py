"""Which requests may share a cached answer."""

from __future__ import annotations

import orjson
import pytest

from ferrogate.cache.scope import scope_of


def _scope(namespace="default", **body):
    request = {"model": "gpt", "messages": [{"role": "user", "content": "What is 2+2?"}], **body}
    return scope_of(request, orjson.dumps(request), namespace)


def test_same_request_same_scope_and_exact_key():
    assert _scope() == _scope()


def test_only_the_wording_of_the_last_user_turn_is_left_out_of_the_scope():
    first = _scope(messages=[{"role": "user", "content": "What is 2+2?"}])
    second = _scope(messages=[{"role": "user", "content": "What's two plus two?"}])

    assert first.key == second.key
    assert first.exact_key != second.exact_key
    assert second.user_turn == "What's two plus two?"


@pytest.mark.parametrize(
    "change",
    [
        {"model": "other"},
        {"temperature": 0.2},
        {"tools": [{"type": "function", "function": {"name": "f"}}]},
        {"response_format": {"type": "json_object"}},
        {"messages": [{"role": "system", "content": "Be terse"}, {"role": "user", "content": "x"}]},
    ],
)
def test_context_changes_change_the_scope(change):
    assert _scope(**change).key != _scope().key


def test_namespaces_never_share_a_scope():
    assert _scope("team-a").key != _scope("team-b").key


def test_key_order_and_stream_flag_do_not_split_the_scope():
    request = {"messages": [{"role": "user", "content": "hi"}], "model": "gpt", "stream": True}
    reordered = {"model": "gpt", "messages": [{"role": "user", "content": "hi"}]}

    a = scope_of(request, orjson.dumps(request), "ns")
    b = scope_of(reordered, orjson.dumps(reordered), "ns")
    assert a.key == b.key and a.exact_key == b.exact_key


@pytest.mark.parametrize(
    "body",
    [
        {"temperature": 0.9},
        {"n": 2},
        {"messages": [{"role": "assistant", "content": "x"}]},
        {
            "messages": [
                {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "u"}}]}
            ]
        },
    ],
)
def test_nondeterministic_or_non_text_requests_bypass(body):
    assert _scope(**body) is None


def test_text_parts_are_joined_into_the_user_turn():
    parts = [{"type": "text", "text": "hello"}, {"type": "text", "text": "there"}]

    assert _scope(messages=[{"role": "user", "content": parts}]).user_turn == "hello there"
