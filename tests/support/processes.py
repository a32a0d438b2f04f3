"""Real servers as subprocesses on free loopback ports, always stopped afterwards."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STARTUP_LIMIT_S = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ferrogate_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "ferrogate", *args]


@contextmanager
def running(
    command: Sequence[str], probe_url: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen]:
    """Start `command`, wait until `probe_url` answers, stop it (TERM, then KILL) on exit."""
    with tempfile.NamedTemporaryFile(prefix="ferrogate-test-", suffix=".log") as log:
        process = subprocess.Popen(
            command,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )
        process.log_path = Path(log.name)  # type: ignore[attr-defined]  # for tests that read it
        try:
            _wait_for(process, probe_url, Path(log.name))
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen, grace_s: float = 10) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def _wait_for(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # an error status still means the server is answering
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{process.args} did not answer {url} in {STARTUP_LIMIT_S}s:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-30:])
