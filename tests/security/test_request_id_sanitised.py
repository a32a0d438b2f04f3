"""A client's x-request-id reaches the logs and the echoed header only when it is harmless.

The id is written into every access line, so CR/LF could forge a line, ANSI escapes could
recolour a terminal, a space could forge fields, and 10 KB would bloat every record.
"""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from ferrogate.gateway.request_id import request_id_for
from tests.support.processes import ferrogate_command, free_port, running

MARK = "FORGEDLINE"  # in every hostile id: if any reached the log, this would be there
FRESH_ID = re.compile(r"req_[0-9a-f]{24}")
BODY = json.dumps({"model": "demo", "messages": [{"role": "user", "content": "hi"}]}).encode()

HOSTILE = {
    "crlf": f"a\r\n{MARK} chat demo 200 completed".encode(),
    "lf": f"a\n{MARK}".encode(),
    "ansi": f"\x1b[31m{MARK}\x1b[0m".encode(),
    "space": f"ok {MARK} 200 completed".encode(),
    "ten_kb": (MARK + "a" * 10_240).encode(),
    "non_ascii": f"{MARK}-café-ünï".encode(),
    "non_ascii_raw_bytes": MARK.encode() + b"-caf\xe9\xff",
    "quote": f'"{MARK}"'.encode(),
}
KEPT = ["trace-42", "9f1c2d4e-8a6b-4c3d-9e2f-0a1b2c3d4e5f", "Root=1-5759e988;Sampled=1", "a+b/c=="]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_id_is_replaced_by_a_fresh_one(name):
    given = HOSTILE[name].decode("latin-1")

    assert FRESH_ID.fullmatch(request_id_for({"x-request-id": given}))


@pytest.mark.parametrize("given", KEPT)
def test_ordinary_ids_are_kept(given):
    assert request_id_for({"x-request-id": given}) == given


def _raw_post(url: str, request_id: bytes) -> tuple[int, dict[str, str]]:
    """Status and headers for a chat request sent byte for byte (no library checks)."""
    host, port = url.removeprefix("http://").split(":")
    head = (
        b"POST /v1/chat/completions HTTP/1.1\r\nhost: gateway\r\nconnection: close\r\n"
        b"content-type: application/json\r\ncontent-length: %d\r\nx-request-id: %s\r\n\r\n"
    ) % (len(BODY), request_id)
    received = b""
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head + BODY)
        while chunk := sock.recv(65536):
            received += chunk
    lines = received.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines[0] else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


@pytest.fixture(params=["granian", "robyn"])
def access_logged_gateway(request, tmp_path) -> Iterator[tuple[str, Path]]:
    config = tmp_path / "config.yaml"
    demo = {"provider": "demo", "model": "demo", "chunk_delay_ms": 0}
    config.write_text(
        yaml.safe_dump(
            {
                "models": [{"name": "demo", "deployments": [demo]}],
                "telemetry": {"access_log": True},
            }
        )
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = ferrogate_command(
        *("serve", "--server", request.param, "--port", str(port), "--config", str(config)),
        *("--log-level", "info"),
    )
    with running(serve, f"{url}/health", {"FERROGATE_MASTER_KEY": ""}) as process:
        yield url, process.log_path


def _log_once_it_has(log_path: Path, text: str) -> str:
    deadline = time.monotonic() + 5.0
    while text not in (log := log_path.read_text(errors="replace")):
        assert time.monotonic() < deadline, f"{text!r} never reached the log"
        time.sleep(0.05)
    return log


def test_hostile_ids_reach_neither_the_access_log_nor_the_echoed_header(access_logged_gateway):
    url, log_path = access_logged_gateway
    answers = {name: _raw_post(url, raw) for name, raw in HOSTILE.items()}
    assert _raw_post(url, b"sentinel-last")[0] == 200
    log = _log_once_it_has(log_path, "sentinel-last chat demo 200")

    served = 0
    for name, (status, headers) in answers.items():
        # The HTTP layer may refuse control characters itself (a bare 400, no id): either
        # way nothing raw comes back.
        assert status in (200, 400), name
        if status == 200:
            served += 1
            assert FRESH_ID.fullmatch(headers["x-request-id"]), name
        assert MARK not in json.dumps(headers), name
    assert served >= 5, "the ids the HTTP layer lets through were served, not refused"
    assert MARK not in log
    access_lines = [line for line in log.splitlines() if "ferrogate.access" in line]
    assert not any("\x1b" in line for line in access_lines)  # Robyn colours its own lines
    chats = [line for line in access_lines if re.search(rf"{FRESH_ID.pattern} chat demo ", line)]
    assert len(chats) == served, "one access line per served request, none split"
