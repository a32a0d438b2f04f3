"""Memory of a process and its descendants, read from /proc."""

from dataclasses import dataclass
from pathlib import Path

KIB_PER_MIB = 1024


@dataclass(frozen=True)
class TreeMemory:
    # Summed over the processes: pages shared between them (a Granian worker forked from its
    # parent) count once per process, as `ps` shows them.
    rss_mib: float
    # Shared pages split between the processes that share them: the honest total of a
    # multi-process server, and equal to RSS for a single process that shares little.
    pss_mib: float


def _parent_of(pid: int) -> int | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and parentheses; the parent pid follows the last ')'.
    return int(text[text.rindex(")") + 2 :].split()[1])


def _rss_pss_kib(pid: int) -> tuple[int, int]:
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0, 0  # gone, or a kernel thread
    fields = dict(line.split()[:2] for line in lines[1:] if line.endswith("kB"))
    return int(fields.get("Rss:", 0)), int(fields.get("Pss:", 0))


def tree_memory(root: int) -> TreeMemory:
    """RSS and PSS of `root` and every live descendant."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (parent := _parent_of(int(entry.name))) is not None:
            children.setdefault(parent, []).append(int(entry.name))
    pending, rss, pss = [root], 0, 0
    while pending:
        pid = pending.pop()
        process_rss, process_pss = _rss_pss_kib(pid)
        rss, pss = rss + process_rss, pss + process_pss
        pending.extend(children.get(pid, []))
    return TreeMemory(rss / KIB_PER_MIB, pss / KIB_PER_MIB)
