"""Pytest plugin: a Redis Stack server shared by the whole test session.

Set FERROGATE_TEST_REDIS_URL to use an already running Redis Stack instead of
starting one. ``redis_client`` runs FLUSHALL before every test, on that server too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis

from tests.infra.redis_stack import RedisStack

REDIS_URL_ENV = "FERROGATE_TEST_REDIS_URL"


@pytest.fixture(scope="session")
def redis_stack_url() -> Iterator[str]:
    """``redis://127.0.0.1:PORT/0`` of a Redis Stack with search, JSON and bloom."""
    external_url = os.environ.get(REDIS_URL_ENV)
    if external_url:
        yield external_url
        return
    with RedisStack() as server:
        yield server.url


@pytest.fixture
def redis_client(redis_stack_url: str) -> Iterator[redis.Redis]:
    """A sync client (bytes responses) on an empty database."""
    client = redis.Redis.from_url(redis_stack_url)
    client.flushall()
    try:
        yield client
    finally:
        client.close()
