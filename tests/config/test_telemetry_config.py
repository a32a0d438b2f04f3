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
