"""The mock upstream speaks Gemini's wire format, errors and auth included."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from ferrogate.core import SseParser
from tests.http.raw import Reply, post_json
from tests.support.gateway_stack import running_mock

KEY = {"x-goog-api-key": "AIza-test"}
HI = {"contents": [{"role": "user", "parts": [{"text": "Hi"}]}]}


@pytest.fixture(scope="module")
def mock() -> Iterator[str]:
    with running_mock() as url:
        yield url


def _call(mock: str, method: str, body, headers=KEY, query: str = "") -> Reply:
    return post_json(f"{mock}/v1beta/models/gemini-test:{method}{query}", body, headers)


def _asking(text: str, **request) -> dict:
    return {"contents": [{"role": "user", "parts": [{"text": text}]}], **request}


def _sse(reply: Reply) -> list[dict]:
    return [json.loads(event.data) for event in SseParser().feed(reply.body)]


def test_missing_key_is_refused_as_an_unregistered_caller(mock):
    reply = _call(mock, "generateContent", HI, headers={})

    assert reply.status == 403
    assert reply.error["status"] == "PERMISSION_DENIED"
    assert "unregistered callers" in reply.error["message"]


def test_key_in_the_query_is_accepted(mock):
    assert _call(mock, "generateContent", HI, headers={}, query="?key=AIza-test").status == 200


def test_answer_has_geminis_shape(mock):
    answer = _call(mock, "generateContent", HI).json()

    (candidate,) = answer["candidates"]
    assert candidate["content"] == {
        "parts": [{"text": "Hello! It's nice to meet you."}],
        "role": "model",
    }
    assert candidate["finishReason"] == "STOP"
    assert answer["usageMetadata"]["promptTokenCount"] == 14
    assert answer["usageMetadata"]["candidatesTokenCount"] == 8
    assert answer["usageMetadata"]["totalTokenCount"] == 22
    assert answer["modelVersion"] == "gemini-test"
    assert len(answer["responseId"]) == 23


def test_sse_stream_sends_a_piece_per_event_and_finishes_on_the_last(mock):
    reply = _call(mock, "streamGenerateContent", HI, query="?alt=sse")
    events = _sse(reply)

    assert reply.headers["content-type"].startswith("text/event-stream")
    assert b"\r\n\r\n" in reply.body
    texts = [e["candidates"][0]["content"]["parts"][0]["text"] for e in events]
    assert "".join(texts) == "Hello! It's nice to meet you." and len(texts) == 8
    assert [e["candidates"][0].get("finishReason") for e in events][-2:] == [None, "STOP"]
    assert events[-1]["usageMetadata"]["candidatesTokenCount"] == 8
    assert len({e["responseId"] for e in events}) == 1


def test_stream_without_alt_sse_is_one_json_array(mock):
    reply = _call(mock, "streamGenerateContent", HI)

    assert reply.headers["content-type"].startswith("application/json")
    assert len(reply.json()) == 8


def test_mid_stream_failure_sends_three_events_then_googles_bare_error(mock):
    reply = _call(mock, "streamGenerateContent", _asking("[midstream-error] go"), query="?alt=sse")

    events = _sse(reply)
    assert len(events) == 3
    assert not any(e["candidates"][0].get("finishReason") for e in events)
    tail = reply.body.rsplit(b"\r\n\r\n", 1)[1]
    assert json.loads(tail)["error"]["status"] == "UNAVAILABLE"


def test_safety_stop_carries_safety_ratings_and_no_content(mock):
    (candidate,) = _call(mock, "generateContent", _asking("[safety] x")).json()["candidates"]

    assert candidate["finishReason"] == "SAFETY"
    assert "content" not in candidate
    assert any(rating.get("blocked") for rating in candidate["safetyRatings"])


def test_function_call_comes_whole_and_signed(mock):
    tools = [{"functionDeclarations": [{"name": "get_weather"}]}]
    reply = _call(mock, "streamGenerateContent", {**HI, "tools": tools}, query="?alt=sse")

    (event,) = _sse(reply)
    (part,) = event["candidates"][0]["content"]["parts"]
    assert part["functionCall"] == {
        "name": "get_weather",
        "args": {"location": "Paris", "unit": "celsius"},
    }
    assert part["thoughtSignature"]


def test_follow_up_without_the_calls_signature_is_refused(mock):
    call = {"functionCall": {"name": "get_weather", "args": {}}}
    result = {"functionResponse": {"name": "get_weather", "response": {"output": "sun"}}}
    contents = [
        *HI["contents"],
        {"role": "model", "parts": [call]},
        {"role": "user", "parts": [result]},
    ]

    unsigned = _call(mock, "generateContent", {"contents": contents})
    call["thoughtSignature"] = "c2ln"
    signed = _call(mock, "generateContent", {"contents": contents})

    assert (unsigned.status, unsigned.error["status"]) == (400, "INVALID_ARGUMENT")
    assert "thought_signature" in unsigned.error["message"]
    answer = signed.json()["candidates"][0]["content"]["parts"][0]["text"]
    assert answer == "The tool said: sun"


@pytest.mark.parametrize(
    ("asked", "status", "google_status"),
    [
        (400, 400, "INVALID_ARGUMENT"),
        (401, 400, "INVALID_ARGUMENT"),
        (429, 429, "RESOURCE_EXHAUSTED"),
        (500, 500, "INTERNAL"),
        (529, 503, "UNAVAILABLE"),
    ],
)
def test_scenario_errors_come_as_gemini_sends_them(mock, asked, status, google_status):
    reply = _call(mock, "generateContent", _asking(f"[error:{asked}]"))

    assert reply.status == status
    assert reply.error["code"] == status and reply.error["status"] == google_status


def test_bad_key_answer_names_the_reason(mock):
    reply = _call(mock, "generateContent", _asking("[error:401]"))

    assert reply.error["details"][0]["reason"] == "API_KEY_INVALID"


def test_unknown_method_is_not_found(mock):
    reply = _call(mock, "countTokens", HI)

    assert (reply.status, reply.error["status"]) == (404, "NOT_FOUND")


def test_body_that_is_not_json_is_an_invalid_argument(mock):
    reply = _call(mock, "generateContent", b"{nope")

    assert (reply.status, reply.error["status"]) == (400, "INVALID_ARGUMENT")


def test_embeddings_are_the_openai_routes_vectors_for_the_same_text(mock):
    content = {"content": {"parts": [{"text": "hello"}]}}
    single = _call(mock, "embedContent", content).json()
    openai = post_json(
        f"{mock}/v1/embeddings",
        {"model": "e", "input": "hello", "dimensions": 768},
        {"authorization": "Bearer k"},
    ).json()

    assert single["embedding"]["values"] == pytest.approx(openai["data"][0]["embedding"])
    assert single["usageMetadata"] == {"promptTokenCount": 1}


def test_batch_embeddings_honour_output_dimensionality_and_the_url_model(mock):
    request = {"model": "models/gemini-test", "content": {"parts": [{"text": "a"}]}}
    good = _call(mock, "batchEmbedContents", {"requests": [{**request, "outputDimensionality": 5}]})
    wrong = _call(mock, "batchEmbedContents", {"requests": [{**request, "model": "models/x"}]})

    assert [len(e["values"]) for e in good.json()["embeddings"]] == [5]
    assert (wrong.status, wrong.error["status"]) == (400, "INVALID_ARGUMENT")
