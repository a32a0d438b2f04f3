"""What every fuzzed call must do: give a result, or fail with the gateway's own error."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import orjson

from ferrogate.errors import GatewayError


def assert_client_error(exc: BaseException) -> None:
    """A refusal the client can act on: a 4xx in OpenAI's error shape, with a message."""
    assert isinstance(exc, GatewayError), f"{type(exc).__name__} escaped: {exc!r}"
    assert 400 <= exc.status < 500, exc.status
    _assert_renders(exc)


def assert_upstream_error(exc: BaseException) -> None:
    """A failure blamed on the upstream: a gateway error the client sees with a message."""
    assert isinstance(exc, GatewayError), f"{type(exc).__name__} escaped: {exc!r}"
    assert 400 <= exc.status < 600, exc.status
    _assert_renders(exc)


def _assert_renders(exc: GatewayError) -> None:
    assert isinstance(exc.message, str) and exc.message.strip()
    error = orjson.loads(exc.body())["error"]
    assert error["message"] == exc.message


def outcome(call: Callable[[], Any], allowed: Callable[[BaseException], None]) -> Any:
    """The call's result, or None once `allowed` has accepted what it raised."""
    try:
        return call()
    except Exception as exc:  # every kind, so that `allowed` names what escaped
        allowed(exc)
        return None


class ScriptedUpstream:
    """Stands where `ferrogate.upstream.UpstreamStream` stands: given reads, then the end."""

    def __init__(self, reads: list[bytes]):
        self._reads = reads
        self.closed = False

    async def chunks(self):
        for read in self._reads:
            yield read

    async def close(self) -> None:
        self.closed = True


def relayed(make_relay: Callable[[ScriptedUpstream], Any], reads: list[bytes]) -> list[bytes]:
    """Everything a relay yields for `reads`, checked to be whole OpenAI SSE events."""
    upstream = ScriptedUpstream(reads)

    async def collect() -> list[bytes]:
        return [out async for out in make_relay(upstream)]

    outputs = asyncio.run(collect())
    assert upstream.closed, "the relay left the upstream open"
    assert outputs, "the relay ended without a word"
    events = [event for out in outputs for event in _events(out)]
    last = events[-1]
    assert last == b"[DONE]" or "error" in orjson.loads(last), last
    for event in events[:-1]:
        assert "error" not in orjson.loads(event), "an error event must end the stream"
    return events


def _events(out: bytes) -> list[bytes]:
    assert out.endswith(b"\n\n"), out
    events = []
    for block in out[:-2].split(b"\n\n"):
        assert block.startswith(b"data: ") and b"\n" not in block, block
        events.append(block[len(b"data: ") :])
    return events
