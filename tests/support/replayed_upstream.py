"""An upstream stream replayed from recorded bytes, for unit tests of stream relays.

It stands where `ferrogate.upstream.UpstreamStream` stands (chunks(), close()), so a
relay can be driven read by read without a server; the end-to-end tests use real ones.
"""

from __future__ import annotations


class ReplayedUpstream:
    def __init__(self, pieces: list[bytes], fail: Exception | None = None):
        self._pieces, self._fail = pieces, fail
        self.closed = False

    @classmethod
    def split(cls, body: bytes, piece: int | None = None, fail: Exception | None = None):
        """`body` delivered in reads of `piece` bytes (one read when None)."""
        pieces = [body[i : i + piece] for i in range(0, len(body), piece)] if piece else [body]
        return cls(pieces, fail)

    async def chunks(self):
        for piece in self._pieces:
            yield piece
        if self._fail is not None:
            raise self._fail

    async def close(self) -> None:
        self.closed = True
