"""Start-up to first answer: the seconds from spawning a server to its first 200 chat answer.

A chat answer, not a health check: it also counts whatever a gateway sets up lazily on its
first request (an upstream client, a route table). Used by bench/load.py's gateways and by
bench/peers for every contender.
"""

import time
import urllib.error
import urllib.request

from loadkit.chat import request_body
from loadkit.errors import BenchError
from loadkit.processes import Spawned
from loadkit.routes import Route

POLL_INTERVAL_S = 0.02


def wait_for_answer(
    server: Spawned, route: Route, headers: dict[str, str], limit_s: float
) -> float:
    """Seconds from `server`'s spawn to its first 200 on `route`; BenchError past `limit_s`."""
    deadline = server.started + limit_s
    last = "no answer"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise _not_up(server, f"exited with status {server.process.returncode}")
        status, body = _post_chat(route, headers)
        if status == 200:
            return time.monotonic() - server.started
        if status is not None:
            last = f"{status}: {body[:300]!r}"
        time.sleep(POLL_INTERVAL_S)
    raise _not_up(server, f"gave no 200 within {limit_s:.0f}s (last: {last})")


def _post_chat(route: Route, headers: dict[str, str]) -> tuple[int | None, bytes]:
    headers = {**headers, "Content-Type": "application/json"}
    body = request_body(False, model=route.model)
    request = urllib.request.Request(route.url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return None, b""


def _not_up(server: Spawned, why: str) -> BenchError:
    return BenchError(f"{server.name} {why}; last lines of {server.log_path}:\n{server.log_tail()}")
