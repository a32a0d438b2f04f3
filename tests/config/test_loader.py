"""Config files: interpolation, validation errors that name file and field, the default."""

from __future__ import annotations

import pytest

from ferrogate.config import DEFAULT_SOURCE, ConfigError, load_config, parse_config

MINIMAL = """
models:
  - name: gpt
    deployments:
      - provider: openai
        model: gpt-4o
        base_url: ${BASE:-https://example.test/v1}
        api_key: ${KEY}
"""


def test_variables_and_defaults_are_interpolated():
    config = parse_config(MINIMAL, "c.yaml", {"KEY": "sk-1"})

    deployment = config.models[0].deployments[0]
    assert deployment.api_key == "sk-1"
    assert deployment.base_url == "https://example.test/v1"


def test_set_variable_wins_over_default():
    config = parse_config(MINIMAL, "c.yaml", {"KEY": "k", "BASE": "http://local:1/v1"})

    assert config.models[0].deployments[0].base_url == "http://local:1/v1"


def test_unset_key_disables_the_deployment():
    config = parse_config(MINIMAL, "c.yaml", {})

    assert config.models[0].deployments[0].enabled is False


def test_double_dollar_is_a_literal_dollar():
    text = MINIMAL.replace("${KEY}", "pa$$word")

    assert parse_config(text, "c.yaml", {}).models[0].deployments[0].api_key == "pa$word"


def test_environment_values_cannot_inject_yaml():
    config = parse_config(MINIMAL, "c.yaml", {"KEY": "x\nmodels: []"})

    assert config.models[0].deployments[0].api_key == "x\nmodels: []"


def test_numbers_may_come_from_variables():
    text = MINIMAL + "        timeout_s: ${TIMEOUT:-2.5}\n"

    assert parse_config(text, "c.yaml", {"KEY": "k"}).models[0].deployments[0].timeout_s == 2.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "models: [{name: a, deployments: [{provider: nope, model: x}]}]",
            "models[0].deployments[0].provider",
        ),
        (
            "models: [{name: a, deployments: [{provider: openai, model: x, timeout_s: soon}]}]",
            "models[0].deployments[0].timeout_s",
        ),
        ("models: [{name: a, deployments: [{provider: openai, model: x, colour: red}]}]", "colour"),
        ("models: [{name: a, deployments: []}]", "models[0].deployments"),
        (
            "models: [{name: a, deployments: [{provider: openai, model: x, base_url: ftp://h}]}]",
            "models[0].deployments[0].base_url",
        ),
        (
            "models: [{name: a, deployments: [{provider: azure, model: x}]}]",
            "models[0].deployments[0].base_url",
        ),
        (
            "models: [{name: a, deployments: [{provider: demo, model: x}]},"
            " {name: a, deployments: [{provider: demo, model: y}]}]",
            "models[1].name",
        ),
        (
            "models: [{name: a, deployments: [{provider: demo, model: '${X'}]}]",
            "models[0].deployments[0].model",
        ),
        ("models: [oops", "not valid YAML"),
        ("- just a list", "top level"),
    ],
)
def test_errors_name_the_file_and_the_field(text, expected):
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "my.yaml", {})

    assert str(caught.value).startswith("my.yaml: ")
    assert expected in str(caught.value)


def test_missing_file_is_a_config_error_naming_it(tmp_path):
    missing = tmp_path / "absent.yaml"

    with pytest.raises(ConfigError, match=r"absent\.yaml"):
        load_config(missing)


def test_embedded_default_serves_demo_without_any_keys():
    config = load_config(None, {})

    enabled = {m.name for m in config.models if any(d.enabled for d in m.deployments)}
    assert enabled == {"demo"}


def test_embedded_default_enables_openai_when_its_key_is_set():
    config = load_config(None, {"OPENAI_API_KEY": "sk-real"})

    gpt = next(m for m in config.models if m.name == "gpt-4o")
    assert gpt.deployments[0].enabled
    assert gpt.deployments[0].base_url == "https://api.openai.com/v1"


def test_default_source_is_named_in_errors():
    assert DEFAULT_SOURCE == "<embedded default>"
