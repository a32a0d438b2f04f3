"""Prometheus metrics shared by several worker processes.

prometheus_client picks its storage when it is first imported: with the environment variable
``PROMETHEUS_MULTIPROC_DIR`` set, every worker writes its values to its own files in that
directory and ``/metrics`` in any worker sums all of them. So the directory must exist, empty,
and the variable be exported *before* the workers start and import prometheus_client;
setting it later in a worker that already imported it silently keeps values in memory.
"""

from __future__ import annotations

import glob
import os
import tempfile

from prometheus_client import CollectorRegistry, multiprocess, values

ENV_VAR = "PROMETHEUS_MULTIPROC_DIR"


def prepare_multiprocess_dir(path: str | None = None) -> str:
    """An empty directory for the workers' metric files: a new temporary one, or ``path``
    emptied of a previous run's files (counters start again from zero with the gateway).
    Export the result as PROMETHEUS_MULTIPROC_DIR before starting the workers."""
    if path is None:
        return tempfile.mkdtemp(prefix="ferrogate-metrics-")
    os.makedirs(path, exist_ok=True)
    for stale in glob.glob(os.path.join(path, "*.db")):
        os.remove(stale)
    return path


def multiprocess_storage() -> bool:
    """Whether this process's prometheus_client writes values to the shared directory."""
    return bool(getattr(values.ValueClass, "_multiprocess", False))


def check_storage() -> None:
    """Fail loudly when the variable is set but came too late for this process, which would
    otherwise leave this worker's traffic out of /metrics without a word."""
    if os.environ.get(ENV_VAR) and not multiprocess_storage():
        raise RuntimeError(
            f"{ENV_VAR} is set but prometheus_client was imported before it was: "
            "export it before the worker processes start"
        )


def aggregated_registry(directory: str) -> CollectorRegistry:
    """A registry that reads every worker's files in ``directory``, summed, on each collect."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)
    return registry
