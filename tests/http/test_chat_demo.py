"""The built-in demo model through the official OpenAI SDK, on both front ends."""

from __future__ import annotations

HELLO = [{"role": "user", "content": "Say hello to the gateway"}]


def test_demo_answers_through_the_openai_sdk(gateway):
    completion = gateway.client().chat.completions.create(model="demo", messages=HELLO)

    assert completion.object == "chat.completion"
    assert "Say hello to the gateway" in completion.choices[0].message.content
    assert completion.choices[0].finish_reason == "stop"
    assert (
        completion.usage.total_tokens
        == completion.usage.prompt_tokens + completion.usage.completion_tokens
    )


def test_demo_answer_is_deterministic(gateway):
    client = gateway.client()
    first = client.chat.completions.create(model="demo", messages=HELLO)
    second = client.chat.completions.create(model="demo", messages=HELLO)

    assert first.choices[0].message.content == second.choices[0].message.content


def test_demo_streams_word_by_word_and_matches_the_whole_answer(gateway):
    client = gateway.client()
    whole = client.chat.completions.create(model="demo", messages=HELLO).choices[0].message.content

    chunks = list(
        client.chat.completions.create(
            model="demo", messages=HELLO, stream=True, stream_options={"include_usage": True}
        )
    )

    deltas = [
        c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content
    ]
    assert len(deltas) == len(whole.split(" "))
    assert "".join(deltas) == whole
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens > 0
