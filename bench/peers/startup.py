"""Start a gateway pinned to its core and time it until it first answers a chat request."""

from pathlib import Path

from contenders import Contender

from loadkit.processes import Spawned
from loadkit.routes import Route
from loadkit.startup import wait_for_answer


def start_timed(contender: Contender, workdir: Path, core: int) -> tuple[Spawned, float]:
    """The running server and the seconds from spawning it to its first 200 chat answer."""
    log_path = workdir / f"{contender.name}.log"
    server = Spawned(contender.name, contender.command, log_path, core)
    try:
        seconds = wait_for_answer(
            server, Route(contender.url), contender.headers, contender.startup_limit_s
        )
    except BaseException:
        server.stop()
        raise
    return server, seconds
