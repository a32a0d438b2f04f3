"""The master key a keyed gateway starts with, and the virtual key every request sends."""

import json
import secrets
import urllib.error
import urllib.request

from loadkit.errors import BenchError

# Far beyond what a run can spend, so nothing is refused: the rows measure the cost of
# checking and booking, not of answering 429.
UNLIMITED_KEY = {
    "rpm": 100_000_000,
    "tpm": 10_000_000_000,
    "max_budget_usd": 1_000_000_000.0,
    "budget_period": "30d",
}


def new_master_key() -> str:
    return "mk-bench-" + secrets.token_urlsafe(16)


def create_virtual_key(base_url: str, master_key: str) -> str:
    """POST /admin/keys with the master key; the new key's secret, shown only once."""
    request = urllib.request.Request(
        f"{base_url}/admin/keys",
        data=json.dumps(UNLIMITED_KEY).encode(),
        headers={"Authorization": f"Bearer {master_key}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    except OSError as error:
        raise BenchError(f"POST {base_url}/admin/keys failed: {error}") from error
    if status != 201:
        raise BenchError(f"creating a virtual key answered {status}: {body[:500]!r}")
    return json.loads(body)["key"]
