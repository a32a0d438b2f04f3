"""What an installer hands back: the peer's pinned version and how to run it."""

from dataclasses import dataclass
from pathlib import Path

# At the repo root, beside .venv: big (LiteLLM's venv is about 750 MiB) and reused across
# runs, so a second run starts measuring at once.
PEERS_ROOT = Path(__file__).resolve().parents[2] / ".bench-peers"


@dataclass(frozen=True)
class Installed:
    name: str
    version: str  # as installed (checked against the pin), and the runtime it runs on
    program: tuple[str, ...]  # the argv the server's own flags are appended to
