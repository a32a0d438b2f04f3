"""Schemathesis against live Granian gateways: no 5xx, no hang, answers as documented.

Run through its CLI (a subprocess, so its Hypothesis settings and hooks stay out of this
pytest process), bounded by examples per operation, a per-request timeout and a seed (the
same cases each run, so a red run is reproducible with the seed it prints).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx

from tests.access.keyed import MASTER_KEY
from tests.openapi.documented import documented_methods
from tests.support.processes import REPO

_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "unsupported_method",
)
_REQUEST_TIMEOUT_S = 5  # a request unanswered this long fails the run: no hangs
_RUN_LIMIT_S = 120  # the whole run, far above the ~10 s it takes


def _schemathesis(
    base_url: str, workdir: Path, headers: dict[str, str], *args: str
) -> subprocess.CompletedProcess:
    # The document as a file: loaded from its URL, schemathesis would leave out the
    # operation that serves it.
    document = workdir / "openapi.json"
    document.write_bytes(httpx.get(f"{base_url}/openapi.json", headers=headers).content)
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        *("run", str(document), "--url", base_url),
        *("--max-examples", "25", "--seed", "9", "--generation-database", "none"),
        *("--request-timeout", str(_REQUEST_TIMEOUT_S), "--continue-on-failure"),
        *("--no-color", "--output-truncate", "false"),
        *args,
    ]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.run(
        command, cwd=workdir, env=env, capture_output=True, text=True, timeout=_RUN_LIMIT_S
    )


def _assert_every_operation_tested(run: subprocess.CompletedProcess, document: dict) -> None:
    operations = sum(len(methods) for methods in documented_methods(document).values())
    assert re.search(rf"Selected: {operations}/{operations}\s+Tested: {operations}\n", run.stdout)


def test_schemathesis_finds_nothing_on_an_open_gateway(open_gateway, document, tmp_path):
    run = _schemathesis(open_gateway, tmp_path, {}, "--checks", ",".join(_CHECKS))
    assert run.returncode == 0, run.stdout + run.stderr
    _assert_every_operation_tested(run, document)  # the admin ones answer 403 here


def test_schemathesis_finds_nothing_with_a_master_key(keyed_gateway, document, tmp_path):
    # ignored_auth also sends each keyed operation without the key and with a wrong one,
    # and fails unless that is refused.
    checks = ",".join((*_CHECKS, "ignored_auth"))
    auth = {"authorization": f"Bearer {MASTER_KEY}"}
    header = f"Authorization: Bearer {MASTER_KEY}"
    run = _schemathesis(keyed_gateway.url, tmp_path, auth, "--checks", checks, "--header", header)
    assert run.returncode == 0, run.stdout + run.stderr
    _assert_every_operation_tested(run, document)
