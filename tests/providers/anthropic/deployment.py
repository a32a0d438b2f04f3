"""The Anthropic deployment the gateway under test serves, against the mock upstream."""

MODEL = "claude"  # the alias clients send
UPSTREAM_MODEL = "claude-test"


def deployments(mock_url: str) -> dict:
    anthropic = {"provider": "anthropic", "model": UPSTREAM_MODEL, "base_url": f"{mock_url}/v1"}
    return {MODEL: anthropic}
