"""`embedder: openai`: the cache embeds through a gateway model's deployment, checked at start.

The gateway core runs in process (`Gateway` built around `build_cache_stage`, as
`Gateway.from_config` does); the embeddings deployment is the real mock upstream, behind a
pass-through that records what the cache asked of it. The mock's vectors are seeded by the
text, so the same user turn in a request of another shape is an L1 hit at similarity 1.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import orjson
import pytest
import yaml

from ferrogate.config import ConfigError, parse_config
from ferrogate.gateway.app import Gateway
from ferrogate.gateway.cache_setup import build_cache_stage
from ferrogate.gateway.http import Request, Response
from ferrogate.routing import ModelRegistry
from tests.cache.gateway_fixtures import CACHE_HEADER, FILL_WAIT_S, SIMILARITY_HEADER
from tests.cache.recording_upstream import Recorder, recording
from tests.support.gateway_stack import MOCK_KEY, running_mock

pytestmark = pytest.mark.anyio
EMBEDDINGS = "/v1/embeddings"
QUESTION = "How can I cancel my subscription?"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def upstream() -> Iterator[Recorder]:
    with running_mock() as mock_url, recording(mock_url) as recorder:
        yield recorder


def config_for(embeddings_url: str, **cache):
    embed = {"provider": "openai", "model": "text-embedding-3-small", "api_key": MOCK_KEY}
    document = {
        "cache": {"enabled": True, "embedder": "openai", "embedding_model": "embed"} | cache,
        "models": [
            {"name": "demo", "deployments": [{"provider": "demo", "model": "demo"}]},
            {"name": "embed", "deployments": [embed | {"base_url": f"{embeddings_url}/v1"}]},
        ],
    }
    return parse_config(yaml.safe_dump(document), "test-config.yaml", {})


@pytest.fixture
async def gateway(upstream: Recorder) -> AsyncIterator[Gateway]:
    config = config_for(upstream.url)
    registry = ModelRegistry.from_config(config)
    built = Gateway(registry, cache=build_cache_stage(config.cache, None, registry))
    yield built
    await built.aclose()


async def chat(gateway: Gateway, content, headers: dict[str, str] | None = None) -> Response:
    body = {"model": "demo", "messages": [{"role": "user", "content": content}]}
    request = Request("POST", "/v1/chat/completions", headers or {}, orjson.dumps(body))
    response = await gateway.handle(request)
    assert response.status == 200, response.body
    return response


def state(response: Response) -> str | None:
    return dict(response.headers).get(CACHE_HEADER)


async def until_cached(gateway: Gateway, content) -> Response:
    """Repeat without storing until the exact tier answers (fills run after the answer)."""
    deadline = time.monotonic() + FILL_WAIT_S
    while True:
        reply = await chat(gateway, content, {"cache-control": "no-store"})
        if state(reply) == "hit-exact" or time.monotonic() > deadline:
            return reply
        await asyncio.sleep(0.05)


async def test_the_cache_embeds_through_the_configured_deployment(gateway, upstream):
    before = upstream.count(EMBEDDINGS)

    first = await chat(gateway, QUESTION)

    assert state(first) == "miss"
    assert upstream.count(EMBEDDINGS) > before


async def test_the_same_turn_in_another_request_shape_is_an_l1_hit(gateway):
    first = await chat(gateway, QUESTION)
    assert state(await until_cached(gateway, QUESTION)) == "hit-exact"

    reply = await chat(gateway, [{"type": "text", "text": QUESTION}])

    assert state(reply) == "hit-l1"
    assert float(dict(reply.headers)[SIMILARITY_HEADER]) == pytest.approx(1.0, abs=1e-4)
    assert reply.body == first.body


async def test_another_turn_is_a_miss(gateway):
    await chat(gateway, QUESTION)
    await until_cached(gateway, QUESTION)

    assert state(await chat(gateway, "Where is my parcel?")) == "miss"


def test_an_embedding_model_the_gateway_does_not_serve_is_a_config_error():
    config = config_for("http://127.0.0.1:9", embedding_model="missing")
    registry = ModelRegistry.from_config(config)

    with pytest.raises(ConfigError, match=r"cache\.embedding_model: .*`missing`"):
        build_cache_stage(config.cache, None, registry)


def test_an_embedding_model_whose_provider_cannot_embed_is_a_config_error():
    config = config_for("http://127.0.0.1:9", embedding_model="demo")
    registry = ModelRegistry.from_config(config)

    with pytest.raises(ConfigError, match=r"cache\.embedding_model: .*does not support embeddings"):
        build_cache_stage(config.cache, None, registry)


def test_embedder_openai_without_an_embedding_model_is_a_config_error():
    with pytest.raises(ConfigError, match="embedding_model"):
        config_for("http://127.0.0.1:9", embedding_model="")
