"""The upstream client against a peer that frames, reuses, stalls and breaks on purpose."""

from __future__ import annotations

import asyncio

import pytest

from ferrogate.errors import UpstreamTimeout, UpstreamUnreachable
from ferrogate.upstream import UpstreamClient
from tests.upstream.scripted_server import answer, scripted_server, until_the_client_leaves

pytestmark = pytest.mark.anyio
BODY = b'{"model":"m"}'


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def client(timeout_s: float = 5.0) -> UpstreamClient:
    return UpstreamClient(
        provider="openai",
        headers={"authorization": "Bearer k", "content-type": "application/json"},
        timeout_s=timeout_s,
        connect_timeout_s=1.0,
    )


async def test_answers_are_read_by_length_and_the_connection_is_kept():
    async def script(number, connection, reader, writer):
        writer.write(answer(200, b'{"n":%d}' % number))

    async with scripted_server(script) as server:
        upstream = client()
        replies = [await upstream.post(server.url, BODY) for _ in range(3)]
        await upstream.aclose()

    assert [(r.status, r.body) for r in replies] == [
        (200, b'{"n":1}'),
        (200, b'{"n":2}'),
        (200, b'{"n":3}'),
    ]
    assert server.connections == 1


async def test_a_chunked_stream_arrives_chunk_by_chunk_not_at_the_end():
    release = asyncio.Event()

    async def script(number, connection, reader, writer):
        writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n")
        await writer.drain()
        await release.wait()  # the second chunk waits until the first was read
        writer.write(b"6\r\nsecond\r\n0\r\n\r\n")

    async with scripted_server(script) as server:
        upstream = client()
        stream = await upstream.open_stream(server.url, BODY)
        chunks = stream.chunks()
        first = await asyncio.wait_for(anext(chunks), 2)
        release.set()
        rest = [chunk async for chunk in chunks]
        await stream.close()
        again = await upstream.post(server.url, BODY)  # a chunked answer read to its end
        await upstream.aclose()

    assert (stream.status, first, b"".join(rest)) == (200, b"first", b"second")
    assert (again.status, server.connections) == (200, 1)


async def test_a_body_ended_by_closing_is_read_whole_and_the_connection_not_reused():
    async def script(number, connection, reader, writer):
        writer.write(b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nuntil the end")
        writer.close()

    async with scripted_server(script) as server:
        upstream = client()
        replies = [await upstream.post(server.url, BODY) for _ in range(2)]
        await upstream.aclose()

    assert [r.body for r in replies] == [b"until the end"] * 2
    assert server.connections == 2


async def test_an_idle_connection_the_upstream_dropped_is_replaced_without_an_error():
    async def script(number, connection, reader, writer):
        if number == 2:
            writer.close()  # the keep-alive connection ends just as it is reused
            return
        writer.write(answer(200, b"ok"))

    async with scripted_server(script) as server:
        upstream = client()
        first = await upstream.post(server.url, BODY)
        second = await upstream.post(server.url, BODY)
        await upstream.aclose()

    assert (first.status, second.status, server.connections, server.requests) == (200, 200, 2, 3)


async def test_a_connection_broken_mid_answer_is_a_502_and_not_sent_again():
    async def script(number, connection, reader, writer):
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial")
        await writer.drain()
        writer.close()

    async with scripted_server(script) as server:
        upstream = client()
        with pytest.raises(UpstreamUnreachable, match="refused or reset"):
            await upstream.post(server.url, BODY)
        await upstream.aclose()

    assert server.requests == 1


async def test_an_upstream_that_never_answers_times_out():
    async def script(number, connection, reader, writer):
        await asyncio.sleep(10)

    async with scripted_server(script) as server:
        upstream = client(timeout_s=0.2)
        with pytest.raises(UpstreamTimeout, match="did not answer in time"):
            await upstream.post(server.url, BODY)
        await upstream.aclose()


async def test_a_stream_silent_past_the_read_timeout_times_out():
    async def script(number, connection, reader, writer):
        writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n")
        await asyncio.sleep(10)

    async with scripted_server(script) as server:
        upstream = client(timeout_s=0.2)
        stream = await upstream.open_stream(server.url, BODY)
        with pytest.raises(UpstreamTimeout):
            _ = [chunk async for chunk in stream.chunks()]
        await stream.close()
        await upstream.aclose()


async def test_garbage_instead_of_http_is_a_502():
    async def script(number, connection, reader, writer):
        writer.write(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")

    async with scripted_server(script) as server:
        upstream = client()
        with pytest.raises(UpstreamUnreachable, match="not HTTP"):
            await upstream.post(server.url, BODY)
        await upstream.aclose()


async def test_a_refused_connection_is_a_502():
    async with scripted_server(lambda *args: asyncio.sleep(0)) as server:
        url = server.url
    with pytest.raises(UpstreamUnreachable, match="could not be reached"):
        await client().post(url, BODY)


async def test_a_stream_cut_mid_body_ends_as_stream_interrupted():
    async def script(number, connection, reader, writer):
        writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n")
        await writer.drain()
        writer.transport.abort()

    async with scripted_server(script) as server:
        upstream = client()
        stream = await upstream.open_stream(server.url, BODY)
        with pytest.raises(UpstreamUnreachable) as caught:
            _ = [chunk async for chunk in stream.chunks()]
        await upstream.aclose()

    assert caught.value.code == "stream_interrupted"


async def test_a_cancelled_request_drops_its_connection_so_the_upstream_sees_it():
    async def script(number, connection, reader, writer):
        await until_the_client_leaves(reader, server)

    async with scripted_server(script) as server:
        upstream = client()
        task = asyncio.ensure_future(upstream.post(server.url, BODY))
        await asyncio.sleep(0.1)
        task.cancel()
        await asyncio.wait_for(server.closed_by_client.wait(), 2)
        await upstream.aclose()


async def test_closing_a_stream_early_drops_its_connection():
    async def script(number, connection, reader, writer):
        writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n")
        await until_the_client_leaves(reader, server)

    async with scripted_server(script) as server:
        upstream = client()
        stream = await upstream.open_stream(server.url, BODY)
        await anext(stream.chunks())
        await stream.close()
        await asyncio.wait_for(server.closed_by_client.wait(), 2)
        await upstream.aclose()


async def test_retry_after_headers_of_an_error_are_kept():
    async def script(number, connection, reader, writer):
        writer.write(answer(429, b"{}", "Retry-After: 7", "retry-after-ms: 6500"))

    async with scripted_server(script) as server:
        upstream = client()
        reply = await upstream.post(server.url, BODY)
        await upstream.aclose()

    assert (reply.status, reply.retry_hints) == (
        429,
        [("retry-after", "7"), ("retry-after-ms", "6500")],
    )


async def test_the_request_carries_the_fixed_headers_and_an_exact_length():
    seen: list[bytes] = []

    async def script(number, connection, reader, writer):
        writer.write(answer(200, b"{}"))

    async def capture(reader, writer):
        from tests.upstream.scripted_server import read_request

        seen.append(await read_request(reader))
        writer.write(answer(200, b"{}"))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(capture, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    upstream = client()
    await upstream.post(f"http://127.0.0.1:{port}/v1/chat/completions?api-version=1", BODY)
    await upstream.aclose()
    server.close()

    head, _, body = seen[0].partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"POST /v1/chat/completions?api-version=1 HTTP/1.1"
    assert {b"host: 127.0.0.1:%d" % port, b"authorization: Bearer k"} <= set(lines)
    assert (b"content-length: %d" % len(BODY), body) == (lines[-1], BODY)


async def test_a_large_stream_read_slowly_arrives_whole():
    piece = b"x" * 65536

    async def script(number, connection, reader, writer):
        writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
        for _ in range(32):  # 2 MiB, well past the point where reading pauses
            writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            await writer.drain()
        writer.write(b"0\r\n\r\n")

    async with scripted_server(script) as server:
        upstream = client()
        stream = await upstream.open_stream(server.url, BODY)
        received = 0
        async for chunk in stream.chunks():
            received += len(chunk)
            await asyncio.sleep(0.001)
        await upstream.aclose()

    assert received == 32 * len(piece)


async def test_a_stream_closed_after_its_whole_answer_arrived_keeps_the_connection():
    async def script(number, connection, reader, writer):
        body = b"data: {}\n\ndata: [DONE]\n\n"
        writer.write(answer(200, body, "content-type: text/event-stream"))

    async with scripted_server(script) as server:
        upstream = client()
        for _ in range(3):
            stream = await upstream.open_stream(server.url, BODY)
            await anext(stream.chunks())  # a reader that stops at [DONE], not at the end
            await asyncio.sleep(0.05)
            await stream.close()
        await upstream.aclose()

    assert server.connections == 1


async def test_connections_a_burst_opened_are_closed_once_idle_past_the_limit(monkeypatch):
    from ferrogate.upstream import pool

    async def script(number, connection, reader, writer):
        await asyncio.sleep(0.1)  # long enough for the burst to need a connection each
        writer.write(answer(200, b"ok"))

    monkeypatch.setattr(pool, "IDLE_LIMIT_S", 0.3)
    async with scripted_server(script) as server:
        upstream = client()
        await asyncio.gather(*(upstream.post(server.url, BODY) for _ in range(5)))
        for _ in range(6):  # steady traffic after the burst: one connection kept busy
            await asyncio.sleep(0.1)
            await upstream.post(server.url, BODY)
        await asyncio.sleep(0.05)
        closed_after_idle = server.client_closes
        await upstream.aclose()

    assert server.connections == 5
    assert closed_after_idle == 4
