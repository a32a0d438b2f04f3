"""Runs drive_dashboard.mjs (playwright-core, Debian's Chromium) and returns what it saw."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.processes import REPO

HERE = Path(__file__).parent
CHROMIUM = Path("/usr/bin/chromium")
# Each scenario takes about 15 s; a hung browser must not hold the suite.
DRIVER_TIMEOUT_S = 50


def output_dir() -> Path:
    """Where screenshots go: $FERROGATE_TEST_OUTPUT, else test-output/ at the repo root."""
    root = Path(os.environ.get("FERROGATE_TEST_OUTPUT") or REPO / "test-output")
    folder = root / "dashboard"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _ready() -> str:
    node = shutil.which("node")
    missing = [
        what
        for what, present in (
            ("node on PATH", node is not None),
            (str(CHROMIUM), CHROMIUM.exists()),
            ("tests/dashboard/node_modules", (HERE / "node_modules" / "playwright-core").is_dir()),
        )
        if not present
    ]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run `make browser-deps` (as root)")
    return node  # type: ignore[return-value]


def drive(**options) -> dict:
    """Run one scenario; fails the test with the driver's output if it did not finish."""
    node = _ready()
    result = subprocess.run(
        [node, str(HERE / "drive_dashboard.mjs"), json.dumps(options)],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=DRIVER_TIMEOUT_S,
    )
    lines = result.stdout.strip().splitlines()
    try:
        report = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        pytest.fail(
            f"no report from the driver ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    assert "error" not in report, (
        f"{report['error']}\nsteps done: {report['steps']}\n{result.stderr}"
    )
    assert not report.get("figuresTimedOut"), (
        f"the page never showed {options.get('waitFor')}: {report}"
    )
    return report
