"""Several worker processes appending to one usage-log file never interleave their lines."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import orjson

LINES_PER_PROCESS = 400

# Lines from a few hundred bytes to well past one 64 KiB write, so batches are split across
# several writes while the other process appends too.
WRITER = """
import asyncio, os, sys, time
from ferrogate.telemetry.record import RequestRecord
from ferrogate.telemetry.usage_log import UsageLog

path, go, name, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

async def main():
    usage_log = UsageLog("file", path=path, include_text=True)
    open(f"{go}.{name}", "w").close()  # ready: imported and file opened
    while not os.path.exists(go):
        time.sleep(0.001)
    for number in range(count):
        text = name * (300 + (number * 7919) % 90_000)
        usage_log.write(RequestRecord(f"{name}-{number}", "chat", time.time(), prompt_text=text))
        if number % 10 == 0:  # spread the writes out so the two processes overlap
            await asyncio.sleep(0.002)
    await usage_log.aclose()
    assert usage_log.dropped == 0, usage_log.dropped

asyncio.run(main())
"""


def test_two_processes_appending_to_one_file_keep_every_line_whole(tmp_path: Path):
    path, go = tmp_path / "usage.jsonl", tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(go), name, str(LINES_PER_PROCESS)],
            stderr=subprocess.PIPE,
        )
        for name in ("a", "b")
    ]
    while not all(Path(f"{go}.{name}").exists() for name in ("a", "b")):
        assert all(writer.poll() is None for writer in writers), "a writer exited early"
        time.sleep(0.01)
    go.touch()  # both start writing together
    for writer in writers:
        _, stderr = writer.communicate(timeout=120)
        assert writer.returncode == 0, stderr.decode()

    lines = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    writer_order = "".join(line["request_id"][0] for line in lines)
    assert len(re.findall("a+|b+", writer_order)) > 2, "the two writers did not overlap"
    ids = {line["request_id"] for line in lines}
    assert len(lines) == 2 * LINES_PER_PROCESS
    assert ids == {f"{name}-{n}" for name in ("a", "b") for n in range(LINES_PER_PROCESS)}
    for line in lines:
        name = line["request_id"][0]
        assert set(line["prompt_text"]) == {name}
