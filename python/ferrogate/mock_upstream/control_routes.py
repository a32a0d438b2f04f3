"""`/_faults` and `/_stats`: tests change a running mock's faults and read what it saw.

GET /_faults: the current faults and seed. POST /_faults: a JSON object of fault fields
(the flags' names with underscores) merged into the current ones; "seed" re-seeds.
DELETE /_faults: back to the start-up faults and seed. GET /_stats: counts (mock_stats.py).
DELETE /_stats: counts back to zero. No auth: the mock is for tests.
"""

from __future__ import annotations

import orjson
from granian.rsgi import HTTPProtocol, Scope

from .fault_injector import FaultInjector

CONTROL_PATHS = frozenset({"/_faults", "/_stats"})
_JSON = [("content-type", "application/json")]


async def handle_control(injector: FaultInjector, scope: Scope, proto: HTTPProtocol) -> None:
    route = (scope.method, scope.path)
    if route == ("POST", "/_faults"):
        try:
            changes = orjson.loads(await proto())
            if not isinstance(changes, dict):
                raise ValueError("the body must be a JSON object of fault fields")
            injector.change(changes)
        except (ValueError, TypeError) as error:  # orjson's decode error is a ValueError
            proto.response_bytes(400, _JSON, orjson.dumps({"error": str(error)}))
            return
    elif route == ("DELETE", "/_faults"):
        injector.reset()
    elif route == ("DELETE", "/_stats"):
        injector.reset_stats()
    elif route not in {("GET", "/_faults"), ("GET", "/_stats")}:
        proto.response_bytes(405, _JSON, orjson.dumps({"error": "method not allowed"}))
        return
    if scope.path == "/_stats":
        body = injector.stats.as_json()
    else:
        body = {**injector.faults.as_json(), "seed": injector.seed}
    proto.response_bytes(200, _JSON, orjson.dumps(body))
