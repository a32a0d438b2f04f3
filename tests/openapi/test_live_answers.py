"""Answers of live gateways to sample requests are what the document says, status by status."""

from __future__ import annotations

import httpx

from tests.openapi.conftest import EMBEDDING_MODEL, MASTER
from tests.openapi.documented import check_answer, sse_data

HELLO = [{"role": "user", "content": "Hello!"}]


def _chat(**extra) -> dict:
    return {"model": "demo", "messages": HELLO, **extra}


def test_open_gateway_answers_match_the_document(open_gateway, document):
    with httpx.Client(base_url=open_gateway, timeout=30) as http:
        samples = [
            ("/health", http.get("/health")),
            ("/ready", http.get("/ready")),
            ("/metrics", http.get("/metrics")),
            ("/openapi.json", http.get("/openapi.json")),
            ("/v1/models", http.get("/v1/models")),
            ("/v1/chat/completions", http.post("/v1/chat/completions", json=_chat())),
            ("/v1/chat/completions", http.post("/v1/chat/completions", content=b"{")),
            ("/v1/chat/completions", http.post("/v1/chat/completions", json=_chat(model="nope"))),
            ("/v1/chat/completions", http.post("/v1/chat/completions", json=_chat(tools=[{}]))),
            ("/v1/embeddings", http.post("/v1/embeddings", json={"model": "demo", "input": "x"})),
            ("/admin/keys", http.get("/admin/keys")),
            ("/admin/cache/{namespace}", http.delete("/admin/cache/docs")),
            ("/admin/stats", http.get("/admin/stats")),  # open: no key needed
            ("/ui", http.get("/ui")),
            ("/ui/dashboard.js", http.get("/ui/dashboard.js")),
        ]
    statuses = [answer.status_code for _, answer in samples]
    assert statuses == [200, 200, 200, 200, 200, 200, 400, 404, 400, 400, 403, 403, 200, 200, 200]
    for path, answer in samples:
        check_answer(document, path, answer)


def test_streamed_chat_events_match_the_document(open_gateway, document):
    with httpx.Client(base_url=open_gateway, timeout=30) as http:
        for options in ({}, {"stream_options": {"include_usage": True}}):
            answer = http.post("/v1/chat/completions", json=_chat(stream=True, **options))
            assert answer.headers["content-type"].startswith("text/event-stream")
            check_answer(document, "/v1/chat/completions", answer)
            with_usage = '"usage":{' in answer.text
            assert with_usage == bool(options), "usage only when asked for"
            assert len(sse_data(answer.content)) > 2


def test_keyed_gateway_answers_match_the_document(keyed_gateway, document):
    http = keyed_gateway.http
    created = http.post("/admin/keys", json={"models": ["demo"], "rpm": 1}, headers=MASTER)
    key_id = created.json()["id"]
    key = {"authorization": f"Bearer {created.json()['key']}"}
    embed = {"model": EMBEDDING_MODEL, "input": ["a", "b"]}
    samples = [
        ("/admin/keys", created),
        ("/admin/keys", http.post("/admin/keys", json={"colour": "red"}, headers=MASTER)),
        ("/admin/keys", http.get("/admin/keys", headers=MASTER)),
        ("/admin/keys", http.get("/admin/keys")),
        ("/admin/keys", http.get("/admin/keys", headers=key)),
        ("/v1/models", http.get("/v1/models", headers=key)),
        ("/v1/chat/completions", http.post("/v1/chat/completions", json=_chat(), headers=key)),
        ("/v1/chat/completions", http.post("/v1/chat/completions", json=_chat(), headers=key)),
        ("/v1/chat/completions", http.post("/v1/chat/completions", json=_chat())),
        ("/v1/embeddings", http.post("/v1/embeddings", json=embed, headers=MASTER)),
        (
            "/v1/embeddings",
            http.post(
                "/v1/embeddings", json={**embed, "encoding_format": "base64"}, headers=MASTER
            ),
        ),
        ("/v1/embeddings", http.post("/v1/embeddings", json=embed, headers=key)),
        ("/admin/keys/{id}", http.get(f"/admin/keys/{key_id}", headers=MASTER)),
        (
            "/admin/keys/{id}",
            http.patch(f"/admin/keys/{key_id}", json={"rpm": None}, headers=MASTER),
        ),
        ("/admin/keys/{id}/rotate", http.post(f"/admin/keys/{key_id}/rotate", headers=MASTER)),
        ("/admin/keys/{id}", http.delete(f"/admin/keys/{key_id}", headers=MASTER)),
        ("/admin/keys/{id}", http.get(f"/admin/keys/{key_id}", headers=MASTER)),
        ("/admin/cache/{namespace}", http.delete("/admin/cache/docs", headers=MASTER)),
        ("/admin/stats", http.get("/admin/stats", headers=MASTER)),  # with a key row
        ("/admin/stats", http.get("/admin/stats", headers=key)),
    ]
    statuses = [answer.status_code for _, answer in samples]
    # The key's rpm of 1 refuses its second chat (429); it may not embed (403).
    expected = [201, 400, 200, 401, 401, 200, 200, 429, 401, 200, 200, 403, 200, 200]
    assert statuses == [*expected, 200, 200, 404, 200, 200, 401]
    for path, answer in samples:
        check_answer(document, path, answer)
