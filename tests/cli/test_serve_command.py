"""`ferrogate serve` as a user runs it: help, bad config, start and stop on both servers."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import openai
import pytest

from tests.support.processes import ferrogate_command, free_port, running

HI = [{"role": "user", "content": "hi"}]
FLAGS = ("server", "host", "port", "workers", "config", "max-body-bytes", "redis-url", "log-level")


def test_help_shows_every_flag_with_its_env_variable_and_default():
    out = subprocess.run(
        ferrogate_command("serve", "--help"), capture_output=True, text=True, check=True
    ).stdout

    flat = " ".join(out.split())
    for flag in FLAGS:
        env = "FERROGATE_" + flag.upper().replace("-", "_")
        assert f"--{flag}" in flat and f"env {env}; default:" in flat


def test_environment_variable_sets_a_flag(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("models: [{name: a, deployments: [{provider: nope, model: x}]}]")

    result = subprocess.run(
        ferrogate_command("serve"),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "FERROGATE_CONFIG": str(bad)},
    )

    assert result.returncode == 2
    assert "bad.yaml" in result.stderr


def test_invalid_config_stops_start_with_file_and_field(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text(
        "models: [{name: a, deployments: [{provider: openai, model: x, timeout_s: soon}]}]"
    )

    result = subprocess.run(
        ferrogate_command("serve", "--config", str(bad)), capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 2
    assert "broken.yaml" in result.stderr and "timeout_s" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("server", ["granian", "robyn"])
def test_embedded_default_serves_demo_to_the_sdk_and_stops_on_sigterm(server):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = ferrogate_command("serve", "--server", server, "--port", str(port))
    env = {"FERROGATE_DEMO_CHUNK_DELAY_MS": "1", "OPENAI_API_KEY": ""}
    with running(command, f"{url}/health", env) as process:
        client = openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0)
        whole = client.chat.completions.create(model="demo", messages=HI).choices[0].message.content
        streamed = client.chat.completions.create(model="demo", messages=HI, stream=True)
        assert "".join(c.choices[0].delta.content or "" for c in streamed) == whole

        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)

    assert time.monotonic() - started < 15


def test_an_empty_environment_variable_counts_as_unset():
    # FERROGATE_CONFIG= in a compose file or a shell must mean the embedded default.
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {"FERROGATE_CONFIG": "", "FERROGATE_PORT": str(port), "FERROGATE_WORKERS": ""}
    with running(ferrogate_command("serve"), f"{url}/health", env):
        client = openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0)
        assert client.chat.completions.create(model="demo", messages=HI).choices[0].message.content
