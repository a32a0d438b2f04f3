"""The gateway core: one entry point from request value to response value.

Routes are a table built once; every failure leaves through `_error_response`,
so clients always get OpenAI's error shape and never a traceback.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from time import perf_counter
from typing import TYPE_CHECKING

from ferrogate.config import Config
from ferrogate.errors import (
    BudgetExceeded,
    GatewayError,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    RateLimited,
)
from ferrogate.routing import ModelRegistry
from ferrogate.telemetry import RequestRecord

from .admin import AdminApi
from .admin.stats_route import StatsRoute
from .auth import OPEN, Authenticator
from .chat import ChatCompletions
from .context import RequestContext
from .dashboard import DASHBOARD_PATHS, dashboard_routes
from .embeddings import CreateEmbeddings
from .http import Request, Response
from .info_routes import ListModels, Metrics, health
from .openapi import OpenApiJson
from .readiness import Readiness
from .request_id import request_id_for
from .request_telemetry import RequestTelemetry
from .stream_guard import guarded
from .timing import overhead_header

if TYPE_CHECKING:  # the cache and keys load hnswlib, onnxruntime, redis: only when enabled
    from ferrogate.stats import StatsRecorder

    from .access_setup import Access
    from .cache_stage import CacheStage

log = logging.getLogger("ferrogate.gateway")

Handler = Callable[[Request, RequestContext], Awaitable[Response]]
DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
# Scrapers carry no key; /metrics holds counts and model names, never keys or text.
# The API's own description is public, as the routes it describes are: clients and SDK
# generators fetch it before they have a key.
# The dashboard's page and scripts hold no figures (those come from /admin/stats, behind the
# master key): a browser loads them before the operator has typed the key.
_UNAUTHENTICATED = frozenset({"/health", "/ready", "/metrics", "/openapi.json", *DASHBOARD_PATHS})


class Gateway:
    def __init__(
        self,
        registry: ModelRegistry,
        *,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        redis_url: str | None = None,
        cache: CacheStage | None = None,
        access: Access | None = None,
        telemetry: RequestTelemetry | None = None,
        stream_idle_timeout_s: float | None = None,
        stream_max_duration_s: float | None = None,
        metrics=None,
        metrics_dir: str | None = None,
        stats: StatsRecorder | None = None,
    ):
        self.max_body_bytes = max_body_bytes
        self._telemetry = telemetry or RequestTelemetry()
        self._idle_timeout_s = stream_idle_timeout_s
        self._max_duration_s = stream_max_duration_s
        self._registry = registry
        self._readiness = Readiness(redis_url)
        self._cache = cache
        self._access = access
        self._authenticator = access.authenticator if access else Authenticator()
        admission = access.admission if access else None
        self._routes: dict[str, dict[str, Handler]] = {
            "/v1/chat/completions": {"POST": ChatCompletions(registry, cache, admission)},
            "/v1/embeddings": {"POST": CreateEmbeddings(registry, admission)},
            "/v1/models": {"GET": ListModels(registry)},
            "/health": {"GET": health},
            "/ready": {"GET": self._readiness},
            "/openapi.json": {"GET": OpenApiJson()},
            **dashboard_routes(),
        }
        if metrics is not None:
            self._routes["/metrics"] = {"GET": Metrics(metrics, metrics_dir, self._telemetry.drain)}
        keys_admin = access.keys_admin if access else None
        stats_route = None
        if stats is not None:
            stats_route = StatsRoute(stats, registry, keys_admin, catch_up=self._telemetry.drain)
        self._admin = AdminApi(self._authenticator, keys_admin, cache, stats_route)

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        redis_url: str | None = None,
        master_key: str | None = None,
        **options,
    ) -> Gateway:
        """`master_key` None: the config's, else FERROGATE_MASTER_KEY; empty: open."""
        if master_key is None:
            master_key = config.keys.master_key or os.environ.get("FERROGATE_MASTER_KEY", "")
        registry = ModelRegistry.from_config(config, redis_url)
        cache = None
        if config.cache.enabled:
            from .cache_setup import build_cache_stage  # loads the embedder only when used

            cache = build_cache_stage(config.cache, redis_url, registry)
        access = None
        if master_key:
            from .access_setup import build_access

            access = build_access(config, master_key, redis_url)
        from .telemetry_setup import build_telemetry, metrics_dir

        telemetry = build_telemetry(config, redis_url, registry.aliases())
        return cls(
            registry,
            redis_url=redis_url,
            cache=cache,
            access=access,
            telemetry=telemetry.stage,
            stream_idle_timeout_s=config.streaming.idle_timeout_s,
            stream_max_duration_s=config.streaming.max_duration_s,
            metrics=telemetry.metrics,
            metrics_dir=metrics_dir(),
            stats=telemetry.stats,
            **options,
        )

    @property
    def open(self) -> bool:
        """No master key: nothing is authenticated and the admin API is off."""
        return self._authenticator.open

    async def handle(self, request: Request) -> Response:
        started = perf_counter()
        request_id = request_id_for(request.headers)
        record = self._telemetry.begin(request, request_id)
        try:
            response = await self._dispatch(request, request_id, started, record)
        except GatewayError as exc:
            response = _error_response(exc, started)
            _note_refusal(record, exc)
        except Exception:
            log.exception(
                "unhandled error on %s %s (request %s)", request.method, request.path, request_id
            )
            error = GatewayError("The server had an error processing your request.")
            response = _error_response(error, started)
            _note_refusal(record, error)
        response.headers.append(("x-request-id", request_id))
        record.status = response.status
        record.overhead_s = max(0.0, perf_counter() - started - record.upstream_s)
        if response.stream is None:
            record.duration_s = perf_counter() - started
            self._telemetry.finish(record)
        else:
            response.stream = guarded(
                response.stream,
                record,
                self._idle_timeout_s,
                self._stream_ended(started),
                max_duration_s=self._max_duration_s,
            )
        return response

    def _stream_ended(self, started: float):
        def ended(record: RequestRecord) -> None:
            record.duration_s = perf_counter() - started
            self._telemetry.finish(record)

        return ended

    def describe(self) -> str:
        served = ", ".join(self._registry.aliases()) or "none"
        disabled = ", ".join(self._registry.disabled_aliases())
        return f"models served: {served}" + (
            f"; without an API key: {disabled}" if disabled else ""
        )

    def error_response(self, request: Request, error: GatewayError) -> Response:
        """For front ends that refuse a request before the core sees it (e.g. body too large)."""
        response = _error_response(error, perf_counter())
        response.headers.append(("x-request-id", request_id_for(request.headers)))
        return response

    async def _dispatch(
        self, request: Request, request_id: str, started: float, record: RequestRecord
    ) -> Response:
        path = request.path.rstrip("/") or "/"
        if path.startswith("/admin/"):
            handler: Handler = self._admin
        else:
            methods = self._routes.get(path)
            if methods is None:
                raise NotFound(f"Unknown request URL: {request.method} {request.path}.")
            handler = methods.get(request.method)
            if handler is None:
                error = MethodNotAllowed(
                    f"Method {request.method} is not allowed on {request.path}."
                )
                error.headers.append(("allow", ", ".join(sorted(methods))))
                raise error
        if len(request.body) > self.max_body_bytes:
            raise PayloadTooLarge(self.body_too_large_message())
        caller = OPEN
        if path not in _UNAUTHENTICATED and handler is not self._admin:
            auth_started = perf_counter()
            caller = await self._authenticator.caller(request.headers)
            record.stage("auth", auth_started)
            record.key_id = caller.key.id if caller.key is not None else None
        return await handler(request, RequestContext(request_id, started, caller, record))

    def body_too_large_message(self) -> str:
        return f"The request body is larger than the limit of {self.max_body_bytes} bytes."

    async def aclose(self) -> None:
        await self._registry.aclose()
        await self._readiness.aclose()
        if self._cache is not None:
            await self._cache.aclose()
        if self._access is not None:
            await self._access.aclose()
        await self._telemetry.aclose()


def _note_refusal(record: RequestRecord, error: GatewayError) -> None:
    record.outcome = "failed"
    record.error_code = error.code
    if error.attempts:
        record.attempts = error.attempts
        record.attempt_log = error.attempt_log
    if isinstance(error, BudgetExceeded):
        record.rate_limited = "budget"
    elif isinstance(error, RateLimited):
        record.rate_limited = error.type


def _error_response(error: GatewayError, started: float) -> Response:
    headers = [("content-type", "application/json"), overhead_header(started, 0.0), *error.headers]
    return Response(error.status, headers, error.body())
