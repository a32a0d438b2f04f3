"""The public face of the core: complete exports, stubs true to the binary, no server imports."""

import subprocess
import sys
from pathlib import Path

import ferrogate._native as native
import ferrogate.core as core

REPO = Path(__file__).resolve().parents[2]


def test_all_is_sorted_and_lists_every_public_native_name():
    public = {name for name in dir(native) if not name.startswith("_")}
    assert core.__all__ == sorted(core.__all__)
    assert set(core.__all__) == public
    assert all(getattr(core, name) is getattr(native, name) for name in core.__all__)


def test_specific_errors_are_core_errors_and_value_errors():
    assert issubclass(core.CoreError, Exception)
    specific = (core.InvalidJsonError, core.VectorShapeError, core.SseError, core.StreamEventError)
    for error in specific:
        assert issubclass(error, core.CoreError)
        assert issubclass(error, ValueError)
        assert error.__module__ == "ferrogate._native"


def test_stubs_match_compiled_module():
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "ferrogate._native"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_core_loads_no_server_or_storage_code():
    heavy = ["granian", "robyn", "redis", "httptools", "aiohttp", "yaml"]
    script = f"import sys, ferrogate.core; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
