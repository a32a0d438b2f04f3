"""The Vercel AI SDK (Node), unmodified, against Ferrogate: runs tests/clients/node with node:test.

The npm packages are installed here, by `npm ci` from the committed lockfile, on the first
run and again only when package.json or package-lock.json change (a stamp in node_modules
records what was installed; `npm ci` deletes node_modules first, so a broken install leaves
no stamp and is redone).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

NODE_PROJECT = Path(__file__).parent / "node"
STAMP = NODE_PROJECT / "node_modules" / ".ferrogate-installed"
NPM_CI_TIMEOUT_S = 240
NODE_TEST_TIMEOUT_S = 120


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` is not on PATH; the client tests need Node.js 20 or later")
    return path


def _manifest_digest() -> str:
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((NODE_PROJECT / name).read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def node_project() -> Path:
    """tests/clients/node with its node_modules matching the lockfile."""
    wanted = _manifest_digest()
    if STAMP.is_file() and STAMP.read_text() == wanted:
        return NODE_PROJECT
    result = subprocess.run(
        [_tool("npm"), "ci", "--no-audit", "--no-fund"],
        cwd=NODE_PROJECT,
        capture_output=True,
        text=True,
        timeout=NPM_CI_TIMEOUT_S,
    )
    if result.returncode != 0:
        pytest.fail(f"npm ci failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    STAMP.write_text(wanted)
    return NODE_PROJECT


def test_vercel_ai_sdk_chat_stream_and_tools_pass(node_project, gateway_v1):
    result = subprocess.run(
        [_tool("node"), "--test", "--test-reporter=tap"],
        cwd=node_project,
        env={**os.environ, "FERROGATE_BASE_URL": gateway_v1},
        capture_output=True,
        text=True,
        timeout=NODE_TEST_TIMEOUT_S,
    )

    output = f"{result.stdout}\n{result.stderr}"
    assert result.returncode == 0, output
    counts = dict(re.findall(r"^# (tests|pass|fail) (\d+)$", result.stdout, re.MULTILINE))
    assert int(counts["tests"]) > 0 and counts["fail"] == "0", output
    assert counts["pass"] == counts["tests"], output
