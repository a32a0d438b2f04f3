"""A raw TCP server on loopback that answers each request as a test scripts it.

The upstream client's behaviour at the byte level (framing, reuse, resets, garbage) can
only be shown by a peer that can misbehave on purpose, which the mock upstream cannot.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

# (request number over the server's life, connection number, reader, writer) -> None
Script = Callable[[int, int, asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@dataclass
class ScriptedServer:
    url: str
    connections: int = 0
    requests: int = 0
    closed_by_client: asyncio.Event = field(default_factory=asyncio.Event)
    client_closes: int = 0  # connections the client closed between requests


async def read_request(reader: asyncio.StreamReader) -> bytes:
    """One request's head and body (by content-length); b'' when the client closed."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return head + await reader.readexactly(length)


async def until_the_client_leaves(reader: asyncio.StreamReader, server: ScriptedServer) -> None:
    """Wait without answering; note when the client drops the connection."""
    if await reader.read(1) == b"":
        server.closed_by_client.set()


def answer(status: int, body: bytes, *headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status} X", f"content-length: {len(body)}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@asynccontextmanager
async def scripted_server(script: Script) -> AsyncIterator[ScriptedServer]:
    server_state = ScriptedServer(url="")

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server_state.connections += 1
        number = server_state.connections
        try:
            while True:
                try:
                    await read_request(reader)
                except (asyncio.IncompleteReadError, ConnectionError):
                    server_state.client_closes += 1
                    server_state.closed_by_client.set()
                    return
                server_state.requests += 1
                await script(server_state.requests, number, reader, writer)
                if writer.is_closing():
                    return
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server_state.url = f"http://127.0.0.1:{port}/v1/chat/completions"
    try:
        yield server_state
    finally:
        server.close()
