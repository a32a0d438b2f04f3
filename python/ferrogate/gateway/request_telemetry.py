"""Start a request's record, and hand the finished record to every telemetry sink.

Sinks take a record and return at once (counters, a queue); whatever is slow runs in
their own background tasks. With every sink off this costs one small object a request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from ferrogate.telemetry import RequestRecord

from .http import Request

log = logging.getLogger("ferrogate.gateway")
access_log = logging.getLogger("ferrogate.access")

Sink = Callable[[RequestRecord], None]
_ROUTES = {"/v1/chat/completions": "chat", "/v1/embeddings": "embeddings", "/v1/models": "models"}


class RequestTelemetry:
    def __init__(self, sinks: Sequence[Sink] = (), *, access: bool = False):
        self._sinks = list(sinks)
        if access:
            self._sinks.append(_access_line)

    def begin(self, request: Request, request_id: str) -> RequestRecord:
        path = request.path.rstrip("/") or "/"
        route = _ROUTES.get(path) or ("admin" if path.startswith("/admin/") else "other")
        return RequestRecord(request_id, route, time.time())

    def finish(self, record: RequestRecord) -> None:
        for sink in self._sinks:
            try:
                sink(record)
            except Exception:  # telemetry never fails a request
                log.warning("a telemetry sink failed", exc_info=True)


def _access_line(record: RequestRecord) -> None:
    # No prompt text, no key material: the key id is public, the rest is bookkeeping.
    access_log.info(
        "%s %s %s %d %s %.1fms cache=%s attempts=%d tokens=%d+%d",
        record.request_id,
        record.route,
        record.model or "-",
        record.status,
        record.outcome,
        record.duration_s * 1000,
        record.cache or "-",
        record.attempts,
        record.prompt_tokens,
        record.completion_tokens,
    )
