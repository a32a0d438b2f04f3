"""The soak's two virtual keys, made through the admin API as a user would."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from gateway_config import MODELS

from loadkit.errors import BenchError
from loadkit.keys import UNLIMITED_KEY

# A tenth of the traffic uses the limited key (traffic.MIX): at 300 req/s that is ~1,800 a
# minute against 300 allowed, so once its first minute's burst is spent (in ~12 s) it is
# refused about five times in six and admitted the rest.
LIMITED_RPM = 300


@dataclass(frozen=True)
class SoakKeys:
    roomy: str  # never refused
    limited: str  # refused part of the time


def create_keys(base_url: str, master_key: str) -> SoakKeys:
    limited = {**UNLIMITED_KEY, "rpm": LIMITED_RPM}
    return SoakKeys(
        roomy=_create(base_url, master_key, {**UNLIMITED_KEY, "models": list(MODELS)}),
        limited=_create(base_url, master_key, {**limited, "models": list(MODELS)}),
    )


def _create(base_url: str, master_key: str, body: dict) -> str:
    request = urllib.request.Request(
        f"{base_url}/admin/keys",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {master_key}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, answer = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, answer = error.code, error.read()
    except OSError as error:
        raise BenchError(f"POST {base_url}/admin/keys failed: {error}") from error
    if status != 201:
        raise BenchError(f"creating a virtual key answered {status}: {answer[:500]!r}")
    return json.loads(answer)["key"]
