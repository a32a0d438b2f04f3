"""The chat stage's use of the response cache: look up first, answer hits, fill after misses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from ferrogate.cache.assemble import StreamAssembler
from ferrogate.cache.controls import CacheControls, controls_from
from ferrogate.cache.replay import replay_as_stream
from ferrogate.cache.scope import CacheScope, scope_of
from ferrogate.cache.service import Lookup, ResponseCache
from ferrogate.config import CacheConfig

from .http import Request


@dataclass(frozen=True, slots=True)
class CacheTicket:
    outcome: str  # what the x-ferrogate-cache header says
    scope: CacheScope | None = None
    controls: CacheControls | None = None
    lookup: Lookup | None = None

    @property
    def hit(self) -> bool:
        return self.lookup is not None and self.lookup.answer is not None

    def headers(self) -> list[tuple[str, str]]:
        headers = [("x-ferrogate-cache", self.outcome)]
        if self.hit and self.outcome != "hit-exact":
            headers.append(("x-ferrogate-cache-similarity", f"{self.lookup.similarity:.4f}"))
        return headers


class CacheStage:
    def __init__(self, cache: ResponseCache, config: CacheConfig):
        self._cache = cache
        self._config = config

    async def lookup(
        self, request: Request, body: dict[str, Any], key_id: str | None = None
    ) -> CacheTicket:
        """`key_id`: the caller's virtual key; without a named namespace it scopes the cache."""
        ttl_s = self._config.ttl_by_model.get(body["model"], self._config.ttl_s)
        controls = controls_from(request.headers, ttl_s, self._config.threshold, key_id)
        if not controls.read and not controls.write:
            return CacheTicket("bypass")  # neither read nor written: no scope worth hashing
        scope = scope_of(body, request.body, controls.namespace, self._config.max_temperature)
        if scope is None:
            return CacheTicket("bypass")
        if not controls.read:
            return CacheTicket("miss", scope, controls)
        lookup = await self._cache.lookup(scope, controls)
        return CacheTicket(lookup.outcome, scope, controls, lookup)

    def remember(self, ticket: CacheTicket, body: bytes) -> None:
        if ticket.scope is None or not ticket.controls.write:
            return
        vector = ticket.lookup.vector if ticket.lookup is not None else None
        self._cache.remember(ticket.scope, ticket.controls, vector, body)

    async def remembering(
        self, ticket: CacheTicket, chunks: AsyncIterator[bytes]
    ) -> AsyncIterator[bytes]:
        """Pass the stream through; cache it once it has ended cleanly."""
        assembler = StreamAssembler()
        async for chunk in chunks:
            assembler.feed(chunk)
            yield chunk
        completion = assembler.completion()
        if completion is not None:
            self.remember(ticket, completion)

    async def flush_namespace(self, namespace: str) -> dict[str, int | None]:
        """Remove every answer of ``namespace``: entries removed per tier.

        Keys: ``exact`` and ``l1`` (this process), ``exact_redis`` and ``l2`` (shared).
        ``None`` means Redis was unreachable and that tier still holds the namespace.
        """
        return await self._cache.flush_namespace(namespace)

    @staticmethod
    async def replay(answer_body: bytes, include_usage: bool) -> AsyncIterator[bytes]:
        for event in replay_as_stream(answer_body, include_usage):
            yield event

    async def aclose(self) -> None:
        await self._cache.aclose()
