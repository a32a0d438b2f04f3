"""A fast, OpenAI-exact mock upstream for tests and load benchmarks.

Self-contained on purpose: it imports nothing else from ferrogate, so it can
serve as a neutral baseline for the gateway it is used to measure. The app
itself (Granian, numpy) loads only when serving: `ferrogate.mock_upstream.app`.
"""

from .cli import main
from .settings import MockSettings

__all__ = ["MockSettings", "main"]
