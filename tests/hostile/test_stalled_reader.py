"""A client that starts a stream and never reads it neither stalls others nor grows memory
beyond what the answer itself holds."""

from __future__ import annotations

import json
import time

from .conftest import LONG_STREAM_CHUNKS
from .process_memory import rss_bytes, server_pids
from .wire import connect, request_bytes

READERS = 4
SSE_BYTES_PER_CHUNK = 250  # an OpenAI chunk event as the mock frames it, rounded up


def test_clients_that_never_read_their_streams_do_not_stall_others(gateway):
    port = int(gateway.url.rsplit(":", 1)[1])
    pids = server_pids(port)
    assert pids, "the gateway's processes were not found"
    body = json.dumps(
        {"model": "mock-gpt", "stream": True, "messages": [{"role": "user", "content": "hi"}]}
    ).encode()
    before = rss_bytes(pids)

    sockets = [connect(gateway.url, 10) for _ in range(READERS)]
    try:
        for sock in sockets:
            sock.sendall(request_bytes(body))
        deadline = time.monotonic() + 3  # the mock sends the whole answer in well under this
        while time.monotonic() < deadline:
            gateway.assert_serving()
            time.sleep(0.2)
        grown = rss_bytes(pids) - before
    finally:
        for sock in sockets:
            sock.close()

    answers = READERS * LONG_STREAM_CHUNKS * SSE_BYTES_PER_CHUNK
    assert grown < answers + 64 * 1024 * 1024, f"grew {grown / 2**20:.0f} MiB"
    gateway.assert_serving()
