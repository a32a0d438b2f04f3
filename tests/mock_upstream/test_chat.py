import json

from openai.types.chat import ChatCompletionChunk

MESSAGES = [{"role": "user", "content": "Say hello in one short sentence."}]


def _stream(client, **options) -> list[ChatCompletionChunk]:
    stream = client.chat.completions.create(
        model="bench-model", messages=MESSAGES, stream=True, **options
    )
    return list(stream)


def _content(chunks: list[ChatCompletionChunk]) -> str:
    return "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)


def test_completion_echoes_model_and_reports_consistent_usage(client):
    completion = client.chat.completions.create(model="my-model", messages=MESSAGES)

    assert completion.id.startswith("chatcmpl-")
    assert completion.object == "chat.completion"
    assert completion.model == "my-model"
    assert completion.system_fingerprint
    choice = completion.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content
    assert choice.message.refusal is None
    assert choice.finish_reason == "stop"
    usage = completion.usage
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    assert usage.prompt_tokens_details.cached_tokens == 0
    assert usage.completion_tokens_details.reasoning_tokens == 0


def test_completion_ids_differ_between_requests(client):
    first = client.chat.completions.create(model="m", messages=MESSAGES)
    second = client.chat.completions.create(model="m", messages=MESSAGES)

    assert first.id != second.id


def test_stream_reassembles_to_the_non_streamed_content(client):
    completion = client.chat.completions.create(model="m", messages=MESSAGES)
    chunks = _stream(client, stream_options={"include_usage": True})

    assert _content(chunks) == completion.choices[0].message.content
    assert {chunk.id for chunk in chunks} == {chunks[0].id}
    assert all(chunk.object == "chat.completion.chunk" for chunk in chunks)
    assert all(chunk.model == "bench-model" for chunk in chunks)


def test_stream_opens_with_role_and_closes_with_finish_reason(client):
    chunks = _stream(client)

    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[0].choices[0].delta.content == ""
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(chunk.choices[0].finish_reason is None for chunk in chunks[:-1])


def test_stream_with_include_usage_ends_with_a_usage_only_chunk(client):
    chunks = _stream(client, stream_options={"include_usage": True})

    last = chunks[-1]
    assert last.choices == []
    assert last.usage.completion_tokens == len(chunks) - 3  # role, finish and usage chunks
    assert last.usage.total_tokens == last.usage.prompt_tokens + last.usage.completion_tokens
    assert all(chunk.usage is None for chunk in chunks[:-1])


def test_stream_without_include_usage_has_no_usage_chunk(client):
    chunks = _stream(client)

    assert all(chunk.choices for chunk in chunks)
    assert all(chunk.usage is None for chunk in chunks)


def test_stream_wire_format_is_data_events_ending_with_done(mock_url, raw_http, auth_headers):
    body = json.dumps({"model": "m", "messages": MESSAGES, "stream": True}).encode()
    response = raw_http(f"{mock_url}/v1/chat/completions", body, auth_headers)

    assert response.status == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = response.body.decode().split("\n\n")
    assert events[-2:] == ["data: [DONE]", ""]
    assert all(event.startswith("data: {") for event in events[:-2])
    assert all(json.loads(event[len("data: ") :]) for event in events[:-2])


def test_stream_chunks_setting_from_env_sets_content_chunk_count(three_chunk_mock_url, make_client):
    client = make_client(three_chunk_mock_url)
    chunks = _stream(client, stream_options={"include_usage": True})

    content_chunks = [c for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(content_chunks) == 3
    assert chunks[-1].usage.completion_tokens == 3
    completion = client.chat.completions.create(model="m", messages=MESSAGES)
    assert completion.choices[0].message.content == _content(chunks)
