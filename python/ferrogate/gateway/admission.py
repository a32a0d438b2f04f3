"""Admit a keyed request: budget first, then request and token buckets, as one `Grant`.

Tokens reserved are the prompt's, counted with a real tokenizer, plus the most the answer
may use (`max_tokens`, or the configured expectation); the grant settles them to the real
usage when the answer ends. Callers without a key (open gateway, master key) are not
metered and get no grant.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ferrogate.config import LimitsConfig
from ferrogate.keys.admin_bodies import period_seconds
from ferrogate.limits.policy import KeyLimits
from ferrogate.limits.token_count import prompt_tokens, text_tokens

from .grant import Grant

if TYPE_CHECKING:
    from ferrogate.keys.record import KeyRecord
    from ferrogate.limits.admission import Limiter
    from ferrogate.spend.ledger import SpendLedger
    from ferrogate.spend.prices import PriceTable

log = logging.getLogger("ferrogate.gateway")


class KeyAdmission:
    def __init__(
        self, limiter: Limiter, ledger: SpendLedger, prices: PriceTable, config: LimitsConfig
    ):
        self._limiter = limiter
        self._ledger = ledger
        self._prices = prices
        self._expected_output = config.expected_output_tokens
        self._unpriced: set[str] = set()  # models already warned about

    async def admit_chat(self, key: KeyRecord, body: dict[str, Any], model: str) -> Grant:
        prompt = prompt_tokens(body, model)
        output = body.get("max_completion_tokens") or body.get("max_tokens")
        output = output if isinstance(output, int) and output > 0 else self._expected_output
        return await self._admit(key, model, prompt, output)

    async def admit_embeddings(self, key: KeyRecord, body: dict[str, Any], model: str) -> Grant:
        return await self._admit(key, model, _embedding_input_tokens(body["input"], model), 0)

    async def _admit(self, key: KeyRecord, model: str, prompt: int, output: int) -> Grant:
        if not self._prices.knows(model) and model not in self._unpriced:
            self._unpriced.add(model)
            log.warning("no price for model %s: its spend counts as $0 (add it to prices)", model)
        period_s = period_seconds(key.budget_period) if key.budget_period else None
        estimate = self._prices.cost(model, prompt, output)
        hold = await self._ledger.hold(key.id, key.max_budget_usd, period_s, estimate)
        admission = None
        if key.rpm is not None or key.tpm is not None:
            try:
                limits = KeyLimits(key.id, key.rpm, key.tpm)
                admission = await self._limiter.admit(limits, prompt + output)
            except BaseException:
                self._ledger.settle(hold, 0.0)
                raise
        return Grant(
            self._limiter,
            self._ledger,
            self._prices,
            admission,
            hold,
            model,
            prompt,
        )

    async def aclose(self) -> None:
        for store in (self._limiter, self._ledger):
            await store.aclose()


def _embedding_input_tokens(inputs: Any, model: str) -> int:
    """Strings are counted; token arrays are their length."""
    if isinstance(inputs, str):
        return text_tokens(inputs, model)
    total = 0
    for item in inputs:
        if isinstance(item, str):
            total += text_tokens(item, model)
        elif isinstance(item, list):
            total += len(item)
        else:
            total += 1
    return total
