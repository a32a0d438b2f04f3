"""L2 semantic tier: Redis Stack vector search shared by every gateway instance."""

from ferrogate.cache.l2.client import connect
from ferrogate.cache.l2.errors import L2IndexMismatch, L2Unavailable
from ferrogate.cache.l2.store import L2Store

__all__ = ["L2IndexMismatch", "L2Store", "L2Unavailable", "connect"]
