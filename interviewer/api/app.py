"""create_api(): the FastAPI application (REST /api/v1, health, metrics) that Reflex mounts."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response

from interviewer.api import metrics, ws
from interviewer.api.compression import Compression
from interviewer.api.errors import error_response, install_error_handlers
from interviewer.api.middleware import HttpPolicyMiddleware
from interviewer.api.openapi import install_openapi
from interviewer.api.routing import API_PREFIX
from interviewer.api.v1 import (
    ai,
    auth,
    candidates,
    companies,
    fairness,
    health,
    interviews,
    jobs,
    ops,
    privacy,
    users,
)
from interviewer.core.config import get_settings
from interviewer.core.logging import configure_logging
from interviewer.core.redis import close_async_redis

@contextlib.asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    yield
    await close_async_redis()


# The web process's garbage collector, tuned once per process:
# - young collections far less often: a request allocates and frees thousands of objects, nearly all
#   freed by reference counting; at Python's default (a collection every 700 net allocations) the
#   objects of requests in flight were promoted so fast that a full collection (~170 ms over the
#   app's ~250,000 objects) ran about once a second under load: a cached read's p95 was 140 ms;
# - what exists once the app is built (modules, routes, schemas) is moved out of the collector's
#   sight (gc.freeze), so a full collection only walks what came after.
GC_THRESHOLDS = (20_000, 50, 100)
_gc_tuned: list[bool] = []


def tune_gc() -> None:
    if _gc_tuned:
        return
    _gc_tuned.append(True)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


_UNCONFIGURED_OTEL = {"ProxyTracerProvider", "_ProxyMeterProvider", "ProxyLoggerProvider"}


def _framework_telemetry() -> dict[str, bool]:
    """FastAPI's own OpenTelemetry hooks ask on every request whether a provider has been
    configured. This app configures none (metrics: Prometheus, logs: JSON lines), so the question
    is answered once here: the hooks stay on only if a provider is configured before the app is
    built, or FASTAPI_OTEL_AUTO_CONFIGURE asks FastAPI to configure one."""
    from opentelemetry import _logs, trace
    from opentelemetry import metrics as otel_metrics

    if os.getenv("FASTAPI_OTEL_AUTO_CONFIGURE", "").lower() == "true":
        return {}
    providers = (trace.get_tracer_provider(), otel_metrics.get_meter_provider(), _logs.get_logger_provider())
    if any(type(p).__name__ not in _UNCONFIGURED_OTEL for p in providers):
        return {}
    return {"tracing": False, "metrics": False, "logs": False}


def create_api(*, with_cors: bool = True) -> FastAPI:
    """``with_cors=False`` when Reflex mounts the app (Reflex adds its own CORS middleware
    from rxconfig's ``cors_allowed_origins``, which is fed from the same setting)."""
    settings = get_settings()
    configure_logging(settings.LOG_LEVEL, json_logs=settings.LOG_JSON)
    api = FastAPI(
        title="AI Interviewer API",
        version="1.0.0",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=_lifespan,
        telemetry=_framework_telemetry(),
    )
    install_error_handlers(api)
    install_openapi(api)  # the project's error format and every error status, on every operation
    # Routes are matched in order, one regular expression at a time, and each level of included
    # routers matches twice: the probes come first, and every /api/v1 router is included directly
    # (one level) rather than through an /api/v1 router of routers.
    api.include_router(health.router)

    @api.get("/metrics", include_in_schema=False)
    def prometheus_metrics(request: Request) -> Response:
        if not metrics.scrape_allowed(request.client.host if request.client else None,
                                      request.headers.get("authorization"), request.headers.get("x-forwarded-for")):
            return error_response(403, "Metrics need the METRICS_TOKEN bearer token or a private address.",
                                  "PERM_001")
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    for module in (auth, users, companies, candidates, jobs, interviews, ai, ops, fairness, privacy, health, ws):
        api.include_router(module.router, prefix=API_PREFIX)
    api.add_api_websocket_route("/ws/interview/{token}", ws.interview_audio_ws)

    api.add_middleware(Compression, minimum_size=1024)
    if with_cors:
        api.add_middleware(CORSMiddleware, allow_origins=settings.CORS_ORIGINS, allow_credentials=True,
                           allow_methods=["*"], allow_headers=["*"], expose_headers=["Retry-After", "X-Request-ID"])
    api.add_middleware(HttpPolicyMiddleware)
    tune_gc()
    return api
