"""What an admitted request holds (tokens, budget) until its answer is known, then settles."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from ferrogate.limits.admission import Admission, Limiter
    from ferrogate.spend.ledger import BudgetHold, SpendLedger
    from ferrogate.spend.prices import PriceTable

log = logging.getLogger("ferrogate.gateway")


class Settlements:
    """Settles run after the answer is sent; kept here so none is lost or garbage-collected."""

    def __init__(self) -> None:
        self._running: set[asyncio.Task] = set()

    def start(self, settle: Coroutine[Any, Any, None]) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(settle)
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return task

    async def drain(self) -> None:
        while self._running:
            await asyncio.gather(*self._running, return_exceptions=True)


class Grant:
    """Settles exactly once: to the real usage, or to nothing when no answer came."""

    __slots__ = ("_admission", "_hold", "_ledger", "_limiter", "_prices", "_settled")
    __slots__ += ("_settlements", "model", "prompt_tokens")

    def __init__(
        self,
        limiter: Limiter,
        ledger: SpendLedger,
        prices: PriceTable,
        settlements: Settlements,
        admission: Admission | None,
        hold: BudgetHold,
        model: str,
        prompt_tokens: int,
    ):
        self._limiter = limiter
        self._ledger = ledger
        self._prices = prices
        self._settlements = settlements
        self._admission = admission
        self._hold = hold
        self._settled = False
        self.model = model  # the upstream model id, which the price table knows
        self.prompt_tokens = prompt_tokens  # counted at admission; used when upstream is silent

    @property
    def settled(self) -> bool:
        return self._settled

    @property
    def headers(self) -> list[tuple[str, str]]:
        return self._admission.headers if self._admission is not None else []

    async def settle(self, prompt_tokens: int, completion_tokens: int) -> None:
        if self._settled:
            return
        self._settled = True
        cost = self._prices.cost(self.model, prompt_tokens, completion_tokens)
        try:
            if self._admission is not None:
                await self._limiter.settle(self._admission, prompt_tokens + completion_tokens)
            await self._ledger.settle(self._hold, cost)
        except Exception:
            # The answer has been sent; a store that fails now must not turn it into an error.
            log.warning("could not settle usage for key %s", self._hold.key_id, exc_info=True)

    async def settle_usage(self, usage: dict | None) -> None:
        """Settle to an OpenAI `usage` object; counted prompt tokens when it is missing."""
        prompt, completion = self.prompt_tokens, 0
        if isinstance(usage, dict):
            prompt = _count(usage.get("prompt_tokens"), prompt)
            completion = _count(usage.get("completion_tokens"), 0)
        await self.settle(prompt, completion)

    async def settle_shielded(self, prompt_tokens: int, completion_tokens: int) -> None:
        """Settle even if the caller is cancelled meanwhile (a client gone, a shutdown)."""
        await asyncio.shield(self._settlements.start(self.settle(prompt_tokens, completion_tokens)))

    def settle_later(self, usage: dict | None) -> None:
        """For answers already complete: settle off the request path."""
        self._settlements.start(self.settle_usage(usage))

    def settle_answer_later(self, answer: bytes) -> None:
        """Settle to the `usage` of a complete OpenAI JSON answer (chat or embeddings)."""
        self.settle_later(usage_in(answer))

    async def release(self) -> None:
        """No answer was produced: return everything held."""
        await self.settle(0, 0)


def usage_in(answer: bytes) -> dict | None:
    """The `usage` object of a complete OpenAI JSON answer (chat or embeddings), if any."""
    try:
        usage = orjson.loads(answer).get("usage")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    return usage if isinstance(usage, dict) else None


def _count(value: object, default: int) -> int:
    return value if isinstance(value, int) and value >= 0 else default
