"""One wrk run against a target, its numbers read back as JSON."""

import json
import subprocess
from pathlib import Path

from loadkit.chat import request_body, request_headers
from loadkit.errors import BenchError
from loadkit.plan import Scenario
from loadkit.targets import Target

WRK_MARKER = "FERROGATE_WRK "

# wrk calls done() once at the end; printing the numbers as JSON spares parsing its report.
WRK_LUA = """
wrk.method = "POST"
wrk.body = [==[{body}]==]
{headers}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{marker}{{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,'
    .. '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def write_lua(workdir: Path, target: Target, scenario: Scenario) -> Path:
    request = scenario.request
    headers = {"Content-Type": "application/json", **target.headers, **request_headers(request)}
    header_lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    body = request_body(scenario.stream, request, target.route(scenario.kind).model)
    script = WRK_LUA.format(body=body.decode(), headers=header_lines, marker=WRK_MARKER)
    path = workdir / f"{target.name}-{request}-{scenario.kind}.lua"
    path.write_text(script)
    return path


def run_wrk(
    wrk: str, url: str, lua: Path, concurrency: int, seconds: int, core: int
) -> dict[str, int]:
    command = ["taskset", "-c", str(core), wrk, "-t1", f"-c{concurrency}"]
    command += [f"-d{seconds}s", "--timeout", "10s", "-s", str(lua), url]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith(WRK_MARKER):
            return json.loads(line.removeprefix(WRK_MARKER))
    raise BenchError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
