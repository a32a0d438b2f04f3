"""The command-line tools the benchmark drives: wrk (installed on demand) and taskset."""

import os
import shutil
import subprocess
import sys

from loadkit.errors import BenchError


def _privileged(command: list[str]) -> list[str]:
    if os.geteuid() == 0 or not shutil.which("sudo"):
        return command
    return ["sudo", "-n", *command]


def _apt_get(*args: str) -> int:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = _privileged(["apt-get", "-q", *args])
    return subprocess.run(command, env=env, timeout=600, check=False).returncode


def ensure_wrk() -> str:
    if path := shutil.which("wrk"):
        return path
    print("wrk not found: installing it with apt-get", file=sys.stderr)
    if _apt_get("install", "-y", "wrk") != 0:
        _apt_get("update")
        _apt_get("install", "-y", "wrk")
    if path := shutil.which("wrk"):
        return path
    raise BenchError("could not install wrk; run `apt-get install -y wrk` as root and retry")


def ensure_taskset() -> None:
    if not shutil.which("taskset"):
        raise BenchError("taskset not found; install util-linux")
