"""Upstreams that accept a request and then misbehave: never answer, answer 200 with
something that is not JSON, or put garbage in the middle of a stream.

Refused and reset connections, 5xx, plain-text errors and cut streams are in
tests/http/test_upstream_failures.py; the client's byte-level handling in tests/upstream/.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.faults.misbehaving_upstream import MisbehavingUpstream
from tests.support.gateway_stack import running_gateway

TIMEOUT_S = 1.0


@pytest.fixture(scope="module")
def upstream() -> Iterator[MisbehavingUpstream]:
    with MisbehavingUpstream() as server:
        yield server


def _deployments(upstream: MisbehavingUpstream) -> dict[str, dict]:
    def openai(fault: str) -> dict:
        return {
            "provider": "openai",
            "model": "x",
            "base_url": upstream.base_url(fault),
            "timeout_s": TIMEOUT_S,
        }

    return {
        "hang": openai("hang"),
        "html200": openai("html200"),
        "openai-html200": openai("html200"),
        "openai-json200-garbage": openai("json200-garbage"),
        "garbage-stream": openai("garbage-stream"),
        "binary-stream": openai("binary-stream"),
        **{
            f"{provider}-{fault}": {
                "provider": provider,
                "model": "x",
                "base_url": upstream.base_url(fault).removesuffix("/v1") + root,
            }
            for provider, root in (("anthropic", "/v1"), ("gemini", "/v1beta"))
            for fault in ("html200", "json200-garbage")
        },
        "demo": {"provider": "demo", "model": "demo", "chunk_delay_ms": 0},
    }


@pytest.fixture(scope="module")
def gateway(upstream, tmp_path_factory) -> Iterator[str]:
    config_dir = tmp_path_factory.mktemp("faults")
    with running_gateway(_deployments(upstream), config_dir) as url:
        yield url


def _chat(url: str, model: str, **extra) -> httpx.Response:
    body = {"model": model, "messages": [{"role": "user", "content": "hi"}], **extra}
    return httpx.post(f"{url}/v1/chat/completions", json=body, timeout=30)


def _timed_chat(url: str, model: str, **extra) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    answer = _chat(url, model, **extra)
    return answer, time.monotonic() - started


def test_a_hanging_upstream_is_a_504_in_time_while_other_requests_keep_flowing(gateway, upstream):
    closed_before = upstream.hung_closed_by_client
    with ThreadPoolExecutor(max_workers=4) as pool:
        hanging = [
            pool.submit(_timed_chat, gateway, "hang", stream=stream) for stream in (False, True)
        ]
        time.sleep(0.1)  # both are waiting on the upstream now
        # Other requests for half the timeout (at least five): on a loaded machine twenty
        # in a row could outlast the timeout itself.
        others_until = time.monotonic() + TIMEOUT_S / 2
        others = [_timed_chat(gateway, "demo") for _ in range(5)]
        while time.monotonic() < others_until:
            others.append(_timed_chat(gateway, "demo"))
        assert not any(future.done() for future in hanging), "the hung calls ended too soon"
        results = [future.result() for future in hanging]

    assert all(answer.status_code == 200 for answer, _ in others)
    assert max(took for _, took in others) < 0.5, "a hung upstream slowed other requests"
    for answer, took in results:
        assert answer.status_code == 504
        assert answer.json()["error"]["code"] == "upstream_timeout"
        assert TIMEOUT_S <= took < TIMEOUT_S + 1.5
    deadline = time.monotonic() + 5.0
    while upstream.hung_closed_by_client < closed_before + 2:  # the gateway let go of them
        assert time.monotonic() < deadline, "the hung upstream connections were kept open"
        time.sleep(0.02)


@pytest.mark.parametrize("provider", ["openai", "anthropic", "gemini"])
@pytest.mark.parametrize("fault", ["html200", "json200-garbage"])
def test_a_200_that_is_not_json_is_a_502_naming_the_upstream(gateway, provider, fault):
    answer = _chat(gateway, f"{provider}-{fault}")

    assert answer.status_code == 502
    error = answer.json()["error"]
    assert error["code"] == "upstream_error"
    assert error["message"].startswith(f"{provider} answered 200 with a body that is not")


def test_a_200_page_instead_of_an_event_stream_is_a_502_not_a_500(gateway):
    answer = _chat(gateway, "html200", stream=True)

    assert answer.status_code == 502
    assert set(answer.json()["error"]) == {"message", "type", "param", "code"}


@pytest.mark.parametrize("model", ["garbage-stream", "binary-stream"])
def test_garbage_in_the_middle_of_a_stream_neither_breaks_nor_hangs_it(gateway, model):
    started = time.monotonic()
    answer = _chat(gateway, model, stream=True)
    events = [e for e in answer.content.split(b"\n\n") if e.strip()]

    assert answer.status_code == 200
    assert time.monotonic() - started < 5
    assert json.loads(events[0].removeprefix(b"data: "))["choices"][0]["delta"]["content"]
    # The garbage is not relayed (an SDK would fail parsing it): an error event ends the stream.
    last = json.loads(events[-1].removeprefix(b"data: "))
    assert last["error"]["code"] == "upstream_error"
    assert all(e.startswith(b"data: {") for e in events)
    assert _chat(gateway, "demo").status_code == 200
