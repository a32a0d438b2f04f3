"""The one error the cache layer catches from L2, and the configuration error beneath it."""

from __future__ import annotations


class L2Unavailable(Exception):
    """Redis could not serve this L2 call: skip L2, count it, log it once per interval.

    The Redis error that caused it is chained as ``__cause__``. The next call tries again
    (and re-creates the index if Redis came back without it).
    """


class L2IndexMismatch(L2Unavailable):
    """An index with this name exists but was built for vectors of another dimension.

    A subclass of L2Unavailable so a running gateway keeps answering without L2; at
    startup ``ensure_index`` raises it so the misconfiguration is seen at once.
    """
