"""Routing settings: model names, fallbacks and deployment ids are checked at start."""

from __future__ import annotations

import pytest

from ferrogate.config import ConfigError, parse_config


def _config(models: str) -> str:
    return "models:\n" + models


DEMO = "    deployments: [{provider: demo, model: demo}]\n"


def test_routing_fields_have_defaults_and_ids():
    config = parse_config(
        _config(
            "  - name: a\n    deployments: [{provider: demo, model: demo}, "
            "{provider: demo, model: demo, id: spare, weight: 3}]\n"
        ),
        "c.yaml",
        {},
    )
    model = config.models[0]
    assert model.strategy == "fallback" and model.fallbacks == [] and model.hedge_after_ms is None
    assert [model.deployment_id(i) for i in range(2)] == ["a#0", "spare"]
    assert model.deployments[1].weight == 3 and model.deployments[0].max_retries == 2
    assert config.routing.cooldown_s == 30.0


@pytest.mark.parametrize(
    ("models", "message"),
    [
        ("  - name: a\n" + DEMO + "    fallbacks: [b]\n", r"fallbacks: 'b' is not another model"),
        ("  - name: a\n" + DEMO + "    fallbacks: [a]\n", r"fallbacks: 'a' is not another model"),
        (
            "  - name: a\n" + DEMO + "  - name: b\n" + DEMO + "    aliases: [a]\n",
            r"models\[1\]\.aliases: model name 'a' is used twice",
        ),
        (
            "  - name: a\n    deployments: [{provider: demo, model: demo, id: x}, "
            "{provider: demo, model: demo, id: x}]\n",
            r"deployments\[1\]\.id: deployment id 'x' is used twice",
        ),
        (
            "  - name: a\n    deployments: [{provider: demo, model: demo, weight: -1}]\n",
            r"deployments\[0\]\.weight",
        ),
        ("  - name: a\n" + DEMO + "    strategy: fastest\n", "strategy"),
    ],
)
def test_bad_routing_is_refused_with_the_reason(models, message):
    with pytest.raises(ConfigError, match=message):
        parse_config(_config(models), "c.yaml", {})
