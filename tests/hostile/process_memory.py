"""Resident memory of a server and its worker processes, read from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path


def server_pids(port: int) -> list[int]:
    """The process started with `--port <port>` and all its descendants."""
    parents: dict[int, int] = {}
    roots = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # gone meanwhile
        pid = int(entry.name)
        parents[pid] = int(stat.rpartition(")")[2].split()[1])
        if b"serve" in argv and b"--port" in argv and str(port).encode() in argv:
            roots.append(pid)
    tree = set(roots)
    grew = True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= children
        grew = bool(children)
    return sorted(tree)


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total
