"""How each gateway is started in front of the mock, and what every request to it carries."""

import importlib.metadata
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

from installed import Installed

from loadkit.targets import (
    MOCK_API_KEY,
    base_url,
    chat_url,
    free_port,
    gateway_executable,
    write_gateway_config,
)

REPO = Path(__file__).resolve().parents[2]
STARTUP_LIMIT_S = 60.0
# LiteLLM imports a great deal before it listens: 8 s on a free machine, more on one core.
LITELLM_STARTUP_LIMIT_S = 300.0


@dataclass(frozen=True)
class Contender:
    name: str
    version: str
    command: list[str]
    url: str  # the chat completions endpoint
    headers: dict[str, str]  # sent with every request
    startup_limit_s: float = STARTUP_LIMIT_S


def ferrogate(workdir: Path, mock_port: int) -> Contender:
    """On Granian, with the default config (metrics on) and the bench model on the mock."""
    port = free_port()
    config = write_gateway_config(workdir, mock_port)
    command = [str(gateway_executable()), "serve", "--server", "granian"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--config", str(config)]
    return Contender("ferrogate", _ferrogate_version(), command, chat_url(port), {})


def litellm(installed: Installed, workdir: Path, mock_port: int) -> Contender:
    """One model on the mock's OpenAI API, no database, errors-only logging.

    LiteLLM refuses to start without a master key, so it gets a random one and every request
    sends it: a string comparison, with no database behind it.
    """
    port = free_port()
    master_key = f"sk-{secrets.token_hex(24)}"
    config = workdir / "litellm.yaml"
    config.write_text(
        "model_list:\n"
        "  - model_name: bench-model\n"
        "    litellm_params:\n"
        "      model: openai/bench-model\n"
        f"      api_base: {base_url(mock_port)}/v1\n"
        f"      api_key: {MOCK_API_KEY}\n"
        "general_settings:\n"
        f"  master_key: {master_key}\n"
    )
    # The cost map is otherwise fetched from GitHub at start-up, three tries 3 s apart where
    # there is no network: that would be measured as start-up time. DATABASE_URL would turn
    # on Prisma and spend logs.
    environment = ["env", "-u", "DATABASE_URL", "LITELLM_LOG=ERROR"]
    environment += ["LITELLM_LOCAL_MODEL_COST_MAP=True"]
    command = [*environment, *installed.program, "--config", str(config)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--num_workers", "1"]
    headers = {"Authorization": f"Bearer {master_key}"}
    return Contender(
        "litellm", installed.version, command, chat_url(port), headers, LITELLM_STARTUP_LIMIT_S
    )


def portkey(installed: Installed, workdir: Path, mock_port: int) -> Contender:
    """Configured by headers, as its docs show: the OpenAI provider with the mock as custom
    host (127.0.0.1 is on its default list of trusted custom hosts), the mock's key passed on.
    It needs no file, so `workdir` goes unused."""
    port = free_port()
    command = [*installed.program, f"--port={port}", "--headless"]
    headers = {
        "x-portkey-provider": "openai",
        "x-portkey-custom-host": f"{base_url(mock_port)}/v1",
        "Authorization": f"Bearer {MOCK_API_KEY}",
    }
    return Contender("portkey", installed.version, command, chat_url(port), headers)


def _ferrogate_version() -> str:
    version = importlib.metadata.version("ferrogate")
    done = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return f"{version} ({done.stdout.strip()})" if done.returncode == 0 else version
