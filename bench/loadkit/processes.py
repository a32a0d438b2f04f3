"""Servers started pinned to a core, waited for until they answer, and stopped whole."""

import contextlib
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from loadkit.errors import BenchError

REPO = Path(__file__).resolve().parents[2]
STARTUP_LIMIT_S = 60
STOP_GRACE_S = 10
LOG_TAIL_LINES = 40


class Spawned:
    """A server started in its own session, so that stopping it reaches its workers too."""

    def __init__(self, name: str, command: list[str], log_path: Path, core: int | str) -> None:
        """`core`: a CPU number, or a taskset list such as "0,1"."""
        self.name = name
        self.log_path = log_path
        # Every setting is given by flag or config file, so FERROGATE_* variables of the
        # caller's shell (a master key, a Redis URL) cannot turn a plain row into another.
        env = {k: v for k, v in os.environ.items() if not k.startswith("FERROGATE_")}
        env["PYTHONPATH"] = _python_path()
        self.started = time.monotonic()  # start-up is timed from here (loadkit.startup)
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(
                ["taskset", "-c", str(core), *command],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.process.pid  # taskset execs the command, so this is the server itself

    def log_tail(self) -> str:
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-LOG_TAIL_LINES:]) or "(empty log)"

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait(timeout=STOP_GRACE_S)

    def _signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)


def _python_path() -> str:
    paths = [str(REPO / "python"), os.environ.get("PYTHONPATH", "")]
    return os.pathsep.join(path for path in paths if path)


def _get_status(url: str, headers: dict[str, str]) -> int | None:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_until_up(server: Spawned, url: str, headers: dict[str, str]) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise _not_up(server, f"exited with status {server.process.returncode}")
        if _get_status(url, headers) == 200:
            return
        time.sleep(0.1)
    raise _not_up(server, f"did not answer 200 on {url} within {STARTUP_LIMIT_S}s")


def _not_up(server: Spawned, why: str) -> BenchError:
    return BenchError(f"{server.name} {why}; last lines of {server.log_path}:\n{server.log_tail()}")
