"""The command-line tools the benchmark drives: wrk and nginx (installed on demand), taskset."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from loadkit.errors import BenchError
from loadkit.nginx_mock import echo_module

NGINX_PACKAGES = ("nginx", "libnginx-mod-http-echo")


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


def ensure_nginx() -> tuple[str, Path] | None:
    """nginx and its echo module (for the 50 ms answer), installed with apt-get when missing;
    None when they cannot be. Debian's packages: nginx 1.22 and the echo module 0.63 on
    Debian 12. The bench runs its own nginx process; the package's service is not used."""
    if found := _nginx_found():
        return found
    print(f"nginx not found: installing {' '.join(NGINX_PACKAGES)} with apt-get", file=sys.stderr)
    if _apt_get("install", "-y", *NGINX_PACKAGES) != 0:
        _apt_get("update")
        _apt_get("install", "-y", *NGINX_PACKAGES)
    return _nginx_found()


def _nginx_found() -> tuple[str, Path] | None:
    # Debian puts nginx in /usr/sbin, which a non-root PATH may lack.
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    module = echo_module()
    return (nginx, module) if nginx and module else None


def ensure_taskset() -> None:
    if not shutil.which("taskset"):
        raise BenchError("taskset not found; install util-linux")
