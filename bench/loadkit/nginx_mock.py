"""The canned nginx upstream: issue 8's reference mock, and far faster than the Python one.

The Python mock answers 11-20k requests a second while it shares a core with wrk: too close
to the gateway's 10k goal for the mock row to be a ceiling. nginx answers the same bytes
(loadkit.canned) from memory. It runs as one process (`master_process off`), in the
foreground, pinned to the load core, with its config, pid, logs and temp folders in the
run's folder: no system service is started, used or changed.

nginx does not read a body to choose a location, so the kind of answer is in the path:
    /v1/chat/completions         the chat completion JSON
    /stream/v1/chat/completions  the 11-chunk SSE stream
    /slow/v1/chat/completions    the chat completion JSON after 50 ms (echo module's
                                 echo_sleep: a timer, the process goes on serving others)
and each prefix answers GET .../v1/models. The gateway's config gives each kind a model of
its own whose deployment has that prefix as base URL (loadkit.routes).
"""

from pathlib import Path

from loadkit import canned
from loadkit.processes import Spawned, wait_until_up

PREFIXES = {"chat": "/v1", "stream": "/stream/v1", "slow": "/slow/v1"}
SLOW_S = 0.05
ECHO_MODULE_PATHS = (
    Path("/usr/share/nginx/modules/ngx_http_echo_module.so"),
    Path("/usr/lib/nginx/modules/ngx_http_echo_module.so"),
)


def _quoted(text: str) -> str:
    # A literal in single quotes: newlines may stay as they are; `$` would be a variable.
    if "$" in text:
        raise ValueError("a canned body may not hold `$` (nginx would read a variable)")
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def echo_module() -> Path | None:
    return next((path for path in ECHO_MODULE_PATHS if path.exists()), None)


def write_config(folder: Path, port: int, module: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    temp = "".join(
        f"  {kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    path = folder / "nginx.conf"
    path.write_text(
        f"load_module {module};\n"
        "daemon off;\n"
        "master_process off;\n"
        "worker_processes 1;\n"
        f"pid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 8192; }\n"
        "http {\n"
        "  access_log off;\n"
        + temp
        + "  # wrk and the gateway's pool keep their connections for the whole run.\n"
        "  keepalive_requests 10000000;\n"
        "  keepalive_timeout 300s;\n"
        "  server {\n"
        f"    listen 127.0.0.1:{port};\n"
        "    location = /v1/chat/completions {\n"
        "      default_type application/json;\n"
        f"      return 200 {_quoted(canned.chat_completion())};\n"
        "    }\n"
        "    location = /stream/v1/chat/completions {\n"
        "      default_type text/event-stream;\n"
        f"      return 200 {_quoted(canned.chat_stream())};\n"
        "    }\n"
        "    location = /slow/v1/chat/completions {\n"
        f"      echo_sleep {SLOW_S};\n"
        "      echo_exec /v1/chat/completions;\n"
        "    }\n"
        "    location ~ ^(/stream|/slow)?/v1/models$ {\n"
        "      default_type application/json;\n"
        f"      return 200 {_quoted(canned.model_list())};\n"
        "    }\n"
        "  }\n"
        "}\n"
    )
    return path


def start_nginx(nginx: str, module: Path, workdir: Path, port: int, core: int) -> Spawned:
    folder = workdir / "nginx"
    config = write_config(folder, port, module)
    # -e: the error log before the config is read, else nginx opens /var/log/nginx's.
    command = [nginx, "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")]
    server = Spawned("nginx upstream", command, workdir / "nginx.log", core)
    wait_until_up(server, f"http://127.0.0.1:{port}/v1/models", {})
    return server
