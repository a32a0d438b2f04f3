"""Portkey's open-source gateway from npm, in a folder of its own under .bench-peers/."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from installed import PEERS_ROOT, Installed

from loadkit.errors import BenchError

# Pinned to what npm served when this bench was written.
PORTKEY_VERSION = "1.15.2"
# The gateway appends its x-portkey-* headers to the response it relays. From
# @hono/node-server 1.14.2 on, a relayed stream keeps fetch's immutable headers, and every
# streaming request then fails with "TypeError: immutable" and a 500 "Something went wrong"
# (Portkey-AI/gateway issues 1389 and 1550). 1.14.1, inside the gateway's own range (^1.3.3),
# copies the headers: pinning it is the fix its users apply, and leaves the gateway's code as is.
HONO_NODE_SERVER_VERSION = "1.14.1"
NPM_TIMEOUT_S = 600
LOG_TAIL_CHARS = 3000


def install_portkey(root: Path = PEERS_ROOT) -> Installed:
    """Reuse the folder when it holds the pinned versions, else npm install them."""
    folder = root / "portkey"
    node = shutil.which("node")
    if node is None:
        raise BenchError("node not found: it is needed for Portkey's gateway")
    if _versions(folder) != (PORTKEY_VERSION, HONO_NODE_SERVER_VERSION):
        _npm_install(folder, root / "portkey-install.log")
    found = _versions(folder)
    if found != (PORTKEY_VERSION, HONO_NODE_SERVER_VERSION):
        raise BenchError(f"portkey {PORTKEY_VERSION} wanted in {folder}, found {found}")
    script = folder / "node_modules" / "@portkey-ai" / "gateway" / "build" / "start-server.js"
    runtime = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    version = f"{PORTKEY_VERSION} (node {runtime.stdout.strip().removeprefix('v')})"
    return Installed("portkey", version, (node, str(script)))


def _versions(folder: Path) -> tuple[str | None, str | None]:
    modules = folder / "node_modules"
    return (
        _package_version(modules / "@portkey-ai" / "gateway"),
        _package_version(modules / "@hono" / "node-server"),
    )


def _package_version(package: Path) -> str | None:
    try:
        return json.loads((package / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def _npm_install(folder: Path, log_path: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise BenchError("npm not found: it is needed to install Portkey's gateway")
    print(f"installing @portkey-ai/gateway@{PORTKEY_VERSION} into {folder}", file=sys.stderr)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {
        "private": True,
        "dependencies": {"@portkey-ai/gateway": PORTKEY_VERSION},
        "overrides": {"@hono/node-server": HONO_NODE_SERVER_VERSION},
    }
    (folder / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    command = [npm, "install", "--no-audit", "--no-fund", "--prefix", str(folder)]
    with log_path.open("w") as log:
        done = subprocess.run(
            command, stdout=log, stderr=subprocess.STDOUT, timeout=NPM_TIMEOUT_S, check=False
        )
    if done.returncode != 0:
        tail = log_path.read_text(errors="replace")[-LOG_TAIL_CHARS:]
        raise BenchError(f"npm install failed ({done.returncode}):\n{tail}")
