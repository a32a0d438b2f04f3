"""Model prices in USD per million tokens, and the lookup that turns usage into cost.

`DEFAULT_PRICES` are the providers' public list prices as of late 2025, for standard
(not batch, not cached-input) tokens. They go stale: the `prices` section of the config
overrides them model by model, and is the place to put negotiated or newer prices.
"""

from __future__ import annotations

from ferrogate.config.schema import Price

DEFAULT_PRICES: dict[str, Price] = {
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40),
    "o3": Price(2.00, 8.00),
    "o3-mini": Price(1.10, 4.40),
    "o4-mini": Price(1.10, 4.40),
    "gpt-5": Price(1.25, 10.00),
    "gpt-5-mini": Price(0.25, 2.00),
    "gpt-5-nano": Price(0.05, 0.40),
    "claude-sonnet-4-5": Price(3.00, 15.00),
    "claude-haiku-4-5": Price(1.00, 5.00),
    "claude-opus-4-1": Price(15.00, 75.00),
    "gemini-2.5-pro": Price(1.25, 10.00),
    "gemini-2.5-flash": Price(0.30, 2.50),
    "text-embedding-3-small": Price(0.02, 0.0),
    "text-embedding-3-large": Price(0.13, 0.0),
    "demo": Price(0.0, 0.0),
}

_PER_TOKEN = 1e-6  # prices are per million tokens
_RESOLVED_LIMIT = 4096


class PriceTable:
    """Configured prices merged over the defaults; immutable once built."""

    def __init__(self, configured: dict[str, Price]):
        self._prices = {**DEFAULT_PRICES, **configured}
        # Longest first, so `gpt-4o-mini-2024-07-18` finds gpt-4o-mini before gpt-4o.
        self._by_length = sorted(self._prices, key=len, reverse=True)
        self._resolved: dict[str, Price | None] = {}

    def price(self, model: str) -> Price | None:
        """The exact id's price, else the longest known id that `model` extends with `-`.

        Dated snapshots (`gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`) cost what their
        family costs. The `-` boundary keeps `o3` from pricing an unrelated `o3x`.
        """
        if model in self._resolved:
            return self._resolved[model]
        found = self._prices.get(model)
        if found is None:
            found = next(
                (self._prices[known] for known in self._by_length if model.startswith(known + "-")),
                None,
            )
        # Every answered request is priced: remember each id's answer instead of scanning
        # every known id again (bounded: ids come from upstream answers).
        if len(self._resolved) < _RESOLVED_LIMIT:
            self._resolved[model] = found
        return found

    def knows(self, model: str) -> bool:
        return self.price(model) is not None

    def cost(self, model: str, prompt_tokens: int, completion_tokens: int) -> float:
        """USD for this usage; 0 for a model without a price (the caller logs that once)."""
        price = self.price(model)
        if price is None:
            return 0.0
        return (
            prompt_tokens * price.input_per_mtok + completion_tokens * price.output_per_mtok
        ) * _PER_TOKEN
