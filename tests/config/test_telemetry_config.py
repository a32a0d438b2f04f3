"""Telemetry settings as YAML spells them."""

from __future__ import annotations

import pytest

from ferrogate.config import ConfigError, parse_config

MODELS = "models:\n  - name: a\n    deployments: [{provider: demo, model: demo}]\n"


@pytest.mark.parametrize(("written", "sink"), [("off", "off"), ("'off'", "off"), ("file", "file")])
def test_a_bare_off_for_the_usage_log_means_off(written, sink):
    config = parse_config(MODELS + f"telemetry: {{usage_log: {written}}}\n", "c.yaml", {})
    assert config.telemetry.usage_log_sink == sink


def test_a_usage_log_turned_on_without_a_sink_is_refused():
    with pytest.raises(ConfigError, match="usage_log"):
        parse_config(MODELS + "telemetry: {usage_log: on}\n", "c.yaml", {})


@pytest.mark.parametrize("seconds", [0, -1])
def test_an_idle_timeout_that_would_end_every_stream_at_once_is_refused(seconds):
    text = f"streaming: {{idle_timeout_s: {seconds}}}\n" + MODELS
    with pytest.raises(ConfigError, match=r"c.yaml: streaming.idle_timeout_s: must be more than 0"):
        parse_config(text, "c.yaml", {})
