"""LiteLLM's proxy from PyPI, in a venv of its own under .bench-peers/."""

import shutil
import subprocess
import sys
from pathlib import Path

from installed import PEERS_ROOT, Installed

from loadkit.errors import BenchError

# Pinned to what PyPI served when this bench was written, so that runs compare like with like;
# raise it on purpose, and say so next to the figures.
LITELLM_VERSION = "1.108.7"
PIP_TIMEOUT_S = 1800
LOG_TAIL_CHARS = 3000


def install_litellm(root: Path = PEERS_ROOT) -> Installed:
    """Reuse the venv when it holds the pinned version, else create it and pip install."""
    venv = root / "litellm-venv"
    python = venv / "bin" / "python"
    if _installed_version(python) != LITELLM_VERSION:
        _pip_install(venv, root / "litellm-install.log")
    version = _installed_version(python)
    if version != LITELLM_VERSION:
        raise BenchError(f"litellm {LITELLM_VERSION} wanted in {venv}, found {version}")
    runtime = subprocess.run(
        [str(python), "--version"], capture_output=True, text=True, check=False
    )
    version = f"{version} ({runtime.stdout.strip().replace('Python ', 'py ')})"
    return Installed("litellm", version, (str(venv / "bin" / "litellm"),))


def _installed_version(python: Path) -> str | None:
    if not python.exists():
        return None
    query = "import importlib.metadata as m; print(m.version('litellm'))"
    done = subprocess.run(
        [str(python), "-c", query], capture_output=True, text=True, timeout=60, check=False
    )
    return done.stdout.strip() if done.returncode == 0 else None


def _pip_install(venv: Path, log_path: Path) -> None:
    # LiteLLM's proxy needs Python 3.9 to 3.13; 3.11 is the project's own.
    interpreter = shutil.which("python3.11")
    if interpreter is None:
        raise BenchError("python3.11 not found: it is needed for LiteLLM's venv")
    requirement = f"litellm[proxy]=={LITELLM_VERSION}"
    print(f"installing {requirement} into {venv} (a few minutes)", file=sys.stderr)
    venv.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        for command in (
            [interpreter, "-m", "venv", str(venv)],
            [
                str(venv / "bin" / "pip"),
                "install",
                "-q",
                "--disable-pip-version-check",
                requirement,
            ],
        ):
            done = subprocess.run(
                command, stdout=log, stderr=subprocess.STDOUT, timeout=PIP_TIMEOUT_S, check=False
            )
            if done.returncode != 0:
                tail = log_path.read_text(errors="replace")[-LOG_TAIL_CHARS:]
                raise BenchError(f"{' '.join(command)} failed ({done.returncode}):\n{tail}")
