"""The framework-neutral gateway core."""

from .app import DEFAULT_MAX_BODY_BYTES, Gateway
from .http import Request, Response

__all__ = ["DEFAULT_MAX_BODY_BYTES", "Gateway", "Request", "Response"]
