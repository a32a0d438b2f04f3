"""The HTTP client the gateway uses to reach providers."""

from .client import UpstreamClient, UpstreamReply, UpstreamStream

__all__ = ["UpstreamClient", "UpstreamReply", "UpstreamStream"]
