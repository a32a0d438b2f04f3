"""The mock upstream of a run: canned nginx (the default, as in issue 8's method) or Python."""

import sys
from dataclasses import dataclass
from pathlib import Path

from loadkit.errors import BenchError
from loadkit.nginx_mock import PREFIXES as NGINX_PREFIXES
from loadkit.nginx_mock import start_nginx
from loadkit.processes import Spawned
from loadkit.routes import PYTHON_PREFIXES
from loadkit.targets import free_port, start_mock
from loadkit.tools import ensure_nginx

CHOICES = ("auto", "nginx", "python")


@dataclass(frozen=True)
class Upstream:
    name: str  # "nginx" or "python"
    server: Spawned
    port: int
    prefixes: dict[str, str]  # kind of answer -> base path (loadkit.routes)


def start_upstream(wanted: str, workdir: Path, core: int) -> Upstream:
    """`auto`: nginx when it is or can be installed, else the Python mock, said on stderr."""
    nginx = ensure_nginx() if wanted in ("auto", "nginx") else None
    if nginx is None and wanted == "nginx":
        raise BenchError(
            "nginx with its echo module could not be installed; run `apt-get install -y "
            "nginx libnginx-mod-http-echo` as root, or pass --upstream python"
        )
    if nginx is None:
        if wanted == "auto":
            print(
                "note: nginx could not be installed; the Python mock upstream answers instead "
                "(a lower ceiling, and no 50 ms scenario)",
                file=sys.stderr,
            )
        server, port = start_mock(workdir, core)
        return Upstream("python", server, port, dict(PYTHON_PREFIXES))
    port = free_port()
    server = start_nginx(*nginx, workdir, port, core)
    return Upstream("nginx", server, port, dict(NGINX_PREFIXES))
