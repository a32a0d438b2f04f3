"""A fast, OpenAI-exact mock upstream for tests and load benchmarks.

Self-contained on purpose: it imports nothing else from ferrogate, so it can
serve as a neutral baseline for the gateway it is used to measure. The app
itself (Granian, numpy) loads only when serving: `ferrogate.mock_upstream.app`.

Faults for routing tests (error statuses at a rate, latency and jitter, a slow first
token, connection resets, streams cut after N events) come from flags (faults.py names
them) or at run time from `POST /_faults`; `GET /_stats` counts what the mock saw
(control_routes.py). Prompt triggers such as "[error:503]" still work (scenario.py).
"""

from .cli import main
from .settings import MockSettings

__all__ = ["MockSettings", "main"]
