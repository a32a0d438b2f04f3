"""Start a gateway pinned to its core and time it until it first answers a chat request."""

import time
import urllib.error
import urllib.request
from pathlib import Path

from contenders import Contender

from loadkit.chat import request_body
from loadkit.errors import BenchError
from loadkit.processes import Spawned

POLL_INTERVAL_S = 0.02


def start_timed(contender: Contender, workdir: Path, core: int) -> tuple[Spawned, float]:
    """The running server and the seconds from spawning it to its first 200 chat answer.

    A chat answer, not a health check: it also counts whatever a gateway sets up lazily on
    its first request (an upstream client, a route table).
    """
    started = time.monotonic()
    log_path = workdir / f"{contender.name}.log"
    server = Spawned(contender.name, contender.command, log_path, core)
    try:
        _wait_for_answer(server, contender, started + contender.startup_limit_s)
    except BaseException:
        server.stop()
        raise
    return server, time.monotonic() - started


def _wait_for_answer(server: Spawned, contender: Contender, deadline: float) -> None:
    last = "no answer"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise _not_up(server, f"exited with status {server.process.returncode}")
        status, body = _post_chat(contender)
        if status == 200:
            return
        if status is not None:
            last = f"{status}: {body[:300]!r}"
        time.sleep(POLL_INTERVAL_S)
    raise _not_up(server, f"gave no 200 within {contender.startup_limit_s:.0f}s (last: {last})")


def _post_chat(contender: Contender) -> tuple[int | None, bytes]:
    headers = {**contender.headers, "Content-Type": "application/json"}
    request = urllib.request.Request(contender.url, data=request_body(False), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return None, b""


def _not_up(server: Spawned, why: str) -> BenchError:
    return BenchError(f"{server.name} {why}; last lines of {server.log_path}:\n{server.log_tail()}")
