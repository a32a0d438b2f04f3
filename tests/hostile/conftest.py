"""One gateway per front end with short client deadlines, so slow clients are cut in seconds.

Every test that takes `gateway` runs against both Granian and Robyn over real sockets, and
checks that the gateway still answers a normal request after (or during) the hostile one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.http.raw import post_json
from tests.support.gateway_stack import running_gateway
from tests.support.processes import ferrogate_command, free_port, running

MAX_BODY_BYTES = 256 * 1024
HEADER_TIMEOUT_S = 1
BODY_TIMEOUT_S = 1
LONG_STREAM_CHUNKS = 20_000  # ~3 MB of SSE: more than socket buffers hold
HI = [{"role": "user", "content": "hi"}]


@dataclass(frozen=True)
class Gateway:
    server: str
    url: str

    def assert_serving(self) -> None:
        """A well-behaved client is answered promptly."""
        reply = post_json(f"{self.url}/v1/chat/completions", {"model": "demo", "messages": HI})
        assert reply.status == 200, reply.body


@pytest.fixture(scope="session")
def long_stream_upstream() -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    mock = ferrogate_command(
        "mock-upstream", "--port", str(port), "--stream-chunks", str(LONG_STREAM_CHUNKS)
    )
    with running(mock, f"{url}/v1/models"):
        yield f"{url}/v1"


@pytest.fixture(scope="session", params=["granian", "robyn"])
def gateway(request, long_stream_upstream, tmp_path_factory) -> Iterator[Gateway]:
    deployments = {
        "demo": {"provider": "demo", "model": "demo"},
        "mock-gpt": {"provider": "openai", "model": "mock-gpt", "base_url": long_stream_upstream},
    }
    settings = {
        "server": {"header_timeout_s": HEADER_TIMEOUT_S, "body_timeout_s": BODY_TIMEOUT_S},
    }
    config_dir = Path(tmp_path_factory.mktemp(f"hostile-{request.param}"))
    limit = ("--max-body-bytes", str(MAX_BODY_BYTES))
    with running_gateway(deployments, config_dir, request.param, limit, settings) as url:
        yield Gateway(request.param, url)


def assert_openai_error(answer, status: int) -> dict:
    assert answer.status == status, answer.body[:300]
    error = answer.error
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error"
    return error
