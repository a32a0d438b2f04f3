"""The Redis tiers: L2 vector search and the exact tier's shared half, on one connection."""

from ferrogate.cache.l2.client import connect
from ferrogate.cache.l2.errors import L2IndexMismatch, L2Unavailable
from ferrogate.cache.l2.exact import ExactRedis
from ferrogate.cache.l2.store import L2Store, index_names

__all__ = ["ExactRedis", "L2IndexMismatch", "L2Store", "L2Unavailable", "connect", "index_names"]
