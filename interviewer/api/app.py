"""create_api(): the FastAPI application (REST /api/v1, health, metrics) that Reflex mounts."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import Response

from interviewer.api import metrics, ws
from interviewer.api.errors import install_error_handlers
from interviewer.api.middleware import HttpPolicyMiddleware
from interviewer.api.v1 import ai, auth, candidates, companies, health, interviews, jobs, ops, users
from interviewer.core.config import get_settings
from interviewer.core.logging import configure_logging

API_PREFIX = "/api/v1"


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
    )
    install_error_handlers(api)
    v1 = APIRouter(prefix=API_PREFIX)
    for module in (auth, users, companies, candidates, jobs, interviews, ai, ops):
        v1.include_router(module.router)
    v1.include_router(health.router)
    v1.include_router(ws.router)
    api.include_router(v1)
    api.add_api_websocket_route("/ws/interview/{token}", ws.interview_audio_ws)
    api.include_router(health.router)

    @api.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> Response:
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    api.add_middleware(GZipMiddleware, minimum_size=1024)
    if with_cors:
        api.add_middleware(CORSMiddleware, allow_origins=settings.CORS_ORIGINS, allow_credentials=True,
                           allow_methods=["*"], allow_headers=["*"], expose_headers=["Retry-After", "X-Request-ID"])
    api.add_middleware(HttpPolicyMiddleware)
    return api
