"""The semantic cache end to end: real gateways on both front ends, the demo model behind them.

Each test gets a fresh gateway, so no answer cached by one test can serve another.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cache.gateway_fixtures import (
    CACHE_HEADER,
    FILL_WAIT_S,
    NAMESPACE_HEADER,
    NO_CACHE,
    NO_STORE,
    SERVERS,
    SIMILARITY_HEADER,
    CacheGateway,
    answer_of,
    cache_state,
    quoting,
    running_cache_gateway,
)
from tests.support.processes import free_port

CANCEL = "How can I cancel my subscription?"
CANCEL_PARAPHRASE = "I want to stop my subscription, how do I do that?"
THRESHOLD = 0.84


@pytest.fixture(params=SERVERS)
def server(request) -> str:
    return request.param


@pytest.fixture
def gateway(server, tmp_path) -> Iterator[CacheGateway]:
    with running_cache_gateway(tmp_path, server) as running:
        yield running


def test_exact_repeat_is_served_from_the_exact_tier(gateway):
    prompt = "Say hello to the gateway"
    first = gateway.chat(prompt)

    repeat = gateway.wait_for_fill(prompt)

    assert cache_state(first) == "miss"
    assert answer_of(repeat) == answer_of(first)


def test_paraphrase_is_served_the_original_answer_from_l1(gateway):
    original = answer_of(gateway.chat(CANCEL))
    gateway.wait_for_fill(CANCEL)

    reply = gateway.chat(CANCEL_PARAPHRASE)

    assert cache_state(reply) == "hit-l1"
    assert float(reply.headers[SIMILARITY_HEADER]) >= THRESHOLD
    assert answer_of(reply) == original
    assert quoting(CANCEL) in original


def test_guard_refuses_a_near_neighbour_with_a_different_number(gateway):
    gateway.chat("What is 15% of 80?")
    gateway.wait_for_fill("What is 15% of 80?")

    reply = gateway.chat("What is 20% of 80?")

    assert cache_state(reply) == "miss"
    assert quoting("What is 20% of 80?") in answer_of(reply)


def test_a_different_system_prompt_is_a_different_scope(gateway):
    gateway.chat(CANCEL, system="You are a billing assistant.")
    gateway.wait_for_fill(CANCEL, system="You are a billing assistant.")

    reply = gateway.chat(CANCEL, system="You are a pirate.")

    assert cache_state(reply) == "miss"


def test_a_different_namespace_is_a_different_scope(gateway):
    gateway.chat(CANCEL, headers={NAMESPACE_HEADER: "tenant-a"})
    gateway.wait_for_fill(CANCEL, headers={NAMESPACE_HEADER: "tenant-a"})

    other = gateway.chat(CANCEL, headers={NAMESPACE_HEADER: "tenant-b"})
    unnamed = gateway.chat(CANCEL)

    assert cache_state(other) == "miss"
    assert cache_state(unnamed) == "miss"


def test_high_temperature_bypasses_the_cache(gateway):
    gateway.chat(CANCEL, temperature=0.9)

    again = gateway.chat(CANCEL, temperature=0.9)

    assert cache_state(again) == "bypass"


def test_no_cache_answers_afresh_even_when_cached(gateway):
    gateway.chat(CANCEL)
    gateway.wait_for_fill(CANCEL)

    reply = gateway.chat(CANCEL, headers=NO_CACHE)

    assert cache_state(reply) == "miss"
    assert quoting(CANCEL) in answer_of(reply)


def test_no_store_leaves_nothing_to_hit(gateway):
    gateway.chat(CANCEL, headers=NO_STORE)
    # Fills are queued in order: once a later request is cached, the first had its turn.
    gateway.chat("Say hello to the gateway")
    gateway.wait_for_fill("Say hello to the gateway")

    repeat = gateway.chat(CANCEL)

    assert cache_state(repeat) == "miss"


def test_no_cache_and_no_store_together_bypass_the_cache(gateway):
    gateway.chat(CANCEL)
    gateway.wait_for_fill(CANCEL)

    reply = gateway.chat(CANCEL, headers={"cache-control": "no-cache, no-store"})

    assert cache_state(reply) == "bypass"
    assert quoting(CANCEL) in answer_of(reply)


def test_cached_answer_replays_as_a_stream_through_the_sdk(gateway):
    original = answer_of(gateway.chat(CANCEL))
    gateway.wait_for_fill(CANCEL)
    messages = [{"role": "user", "content": CANCEL}]

    raw = gateway.client().chat.completions.with_raw_response.create(
        model="demo", messages=messages, stream=True, stream_options={"include_usage": True}
    )
    chunks = list(raw.parse())

    assert raw.headers.get(CACHE_HEADER) == "hit-exact"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == original
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == "stop"
    assert chunks[-1].choices == []
    assert chunks[-1].usage.completion_tokens > 0


def test_streamed_miss_is_cached_once_complete(gateway):
    messages = [{"role": "user", "content": CANCEL}]
    stream = gateway.client().chat.completions.create(model="demo", messages=messages, stream=True)
    streamed = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)

    repeat = gateway.wait_for_fill(CANCEL)

    assert answer_of(repeat) == streamed
    assert quoting(CANCEL) in streamed


def test_l2_on_redis_is_shared_between_gateways(server, tmp_path, redis_stack_url, redis_client):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        running_cache_gateway(tmp_path / "a", server, redis_stack_url) as first,
        running_cache_gateway(tmp_path / "b", server, redis_stack_url) as second,
    ):
        original = answer_of(first.chat(CANCEL))
        first.wait_for_fill(CANCEL)

        # no-store: a miss on the second gateway must not fill it and hit its own L1 later
        reply = second.chat_until({"hit-l2"}, CANCEL_PARAPHRASE, headers=NO_STORE)

        assert cache_state(reply) == "hit-l2", f"no L2 hit within {FILL_WAIT_S}s"
        assert float(reply.headers[SIMILARITY_HEADER]) >= THRESHOLD
        assert answer_of(reply) == original
        assert quoting(CANCEL) in answer_of(reply)


def test_exact_tier_on_redis_is_shared_between_gateways(
    server, tmp_path, redis_stack_url, redis_client
):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        running_cache_gateway(tmp_path / "a", server, redis_stack_url) as first,
        running_cache_gateway(tmp_path / "b", server, redis_stack_url) as second,
    ):
        original = answer_of(first.chat(CANCEL))
        first.wait_for_fill(CANCEL)

        reply = second.chat_until({"hit-exact"}, CANCEL, headers=NO_STORE)

        assert cache_state(reply) == "hit-exact", f"no exact hit within {FILL_WAIT_S}s"
        assert answer_of(reply) == original


def test_ttl_by_model_expires_that_models_answers_and_the_ttl_header_wins(server, tmp_path):
    keep = {"x-ferrogate-cache-ttl": "3600"}
    with running_cache_gateway(tmp_path, server, ttl_by_model={"demo": 2}) as gateway:
        gateway.chat("A short-lived question")
        gateway.chat("A long-lived question", headers=keep)
        gateway.wait_for_fill("A short-lived question")
        gateway.wait_for_fill("A long-lived question", headers=keep)

        expired = gateway.chat_until({"miss"}, "A short-lived question")
        kept = gateway.chat("A long-lived question", headers={**keep, **NO_STORE})

        assert cache_state(expired) == "miss", f"not expired within {FILL_WAIT_S}s"
        assert cache_state(kept) == "hit-exact"


def test_local_tiers_keep_serving_when_redis_is_down(server, tmp_path):
    dead_url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    with running_cache_gateway(tmp_path, server, dead_url) as gateway:
        first = gateway.chat(CANCEL)
        repeat = gateway.chat_until({"hit-exact", "hit-l1"}, CANCEL)

        assert cache_state(first) == "miss"
        assert quoting(CANCEL) in answer_of(first)
        assert cache_state(repeat) in {"hit-exact", "hit-l1"}
        assert answer_of(repeat) == answer_of(first)


def test_bad_cache_header_is_a_400_naming_it(gateway):
    reply = gateway.chat(CANCEL, headers={"x-ferrogate-cache-threshold": "2.5"})

    assert reply.status == 400
    assert reply.error["param"] == "x-ferrogate-cache-threshold"


def test_per_request_threshold_above_the_similarity_turns_a_paraphrase_into_a_miss(gateway):
    gateway.chat(CANCEL)
    gateway.wait_for_fill(CANCEL)

    reply = gateway.chat(CANCEL_PARAPHRASE, headers={"x-ferrogate-cache-threshold": "0.99"})

    assert cache_state(reply) == "miss"
