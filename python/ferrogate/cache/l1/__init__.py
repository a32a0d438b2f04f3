"""L1, the in-process semantic tier: one index per scope under one LRU and TTL."""

from ferrogate.cache.l1.index import L1Index

__all__ = ["L1Index"]
