from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from interviewer.core.redis import get_redis
from interviewer.db import get_engine

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict:
    # Liveness, answered on the event loop: a plain ``def`` would cost a worker-thread hop.
    return {"status": "ok"}


@router.get("/health/db")
def health_db() -> JSONResponse:
    try:
        with get_engine().connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return JSONResponse({"status": "ok", "database": get_engine().dialect.name})
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return JSONResponse({"status": "error", "detail": type(exc).__name__}, status_code=503)


@router.get("/health/redis")
def health_redis() -> JSONResponse:
    try:
        get_redis().ping()
        return JSONResponse({"status": "ok"})
    except Exception as exc:  # noqa: BLE001
        return JSONResponse({"status": "error", "detail": type(exc).__name__}, status_code=503)
