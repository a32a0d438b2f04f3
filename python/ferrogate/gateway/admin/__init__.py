"""`/admin/*`: key management and cache control, for the master key only."""

from .router import AdminApi

__all__ = ["AdminApi"]
