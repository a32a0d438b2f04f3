"""Passthrough to an OpenAI-compatible upstream (the mock), streaming and not."""

from __future__ import annotations

from .raw import post_json

ASK = [{"role": "user", "content": "What is a gateway?"}]


def test_completion_from_upstream_reaches_the_client_unchanged(gateway, mock_upstream_url):
    body = {"model": "mock-gpt", "messages": ASK}
    direct = post_json(
        f"{mock_upstream_url}/chat/completions", body, {"authorization": "Bearer k"}
    ).json()

    through = post_json(f"{gateway.url}/v1/chat/completions", body)

    assert through.status == 200
    answer = through.json()
    assert answer["choices"] == direct["choices"]
    assert answer["usage"] == direct["usage"]
    assert answer["model"] == "mock-gpt"


def test_alias_is_sent_upstream_as_the_deployment_model(gateway):
    completion = gateway.client().chat.completions.create(model="mock-alias", messages=ASK)

    assert completion.model == "upstream-model-id"  # the mock echoes the model it was asked for


def test_stream_from_upstream_passes_through_intact_with_usage(gateway):
    client = gateway.client()
    whole = client.chat.completions.create(model="mock-gpt", messages=ASK)

    chunks = list(
        client.chat.completions.create(
            model="mock-gpt", messages=ASK, stream=True, stream_options={"include_usage": True}
        )
    )

    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].choices == []
    assert chunks[-1].usage.total_tokens == whole.usage.total_tokens


def test_stream_without_include_usage_gets_no_usage_chunk(gateway):
    raw = post_json(
        f"{gateway.url}/v1/chat/completions", {"model": "mock-gpt", "messages": ASK, "stream": True}
    )

    events = [line for line in raw.body.decode().split("\n\n") if line]
    assert raw.headers["content-type"].startswith("text/event-stream")
    assert events[-1] == "data: [DONE]"
    assert all('"choices":[]' not in event for event in events)
    assert len(events) > 3
