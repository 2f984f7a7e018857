"""Every error leaves the API in the spec's format (5.9): detail, error_code, timestamp."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

import redis
from fastapi import FastAPI, Request
from sqlalchemy import exc as sa_exc
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from interviewer.core.errors import REQ_NUL_CHARACTER, DomainError, RateLimitedError
from interviewer.db import is_nul_error

log = logging.getLogger("interviewer.api")

HTTP_CODES = {400: "REQ_001", 401: "AUTH_009", 403: "PERM_001", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED",
              409: "CONFLICT", 413: "REQ_413", 415: "FILE_001", 422: "VAL_001", 429: "RATE_001"}


def error_body(detail: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "error_code": code,
            "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), **extra}


def error_response(status: int, detail: str, code: str, headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse(error_body(detail, code, **extra), status_code=status, headers=headers)


def _loc(loc: tuple) -> str:
    return ".".join(str(p) for p in loc if p not in ("body",)) or "body"


async def domain_error_handler(_request: Request, exc: DomainError) -> JSONResponse:
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimitedError) else None
    if exc.status_code == 401:
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    return error_response(exc.status_code, exc.message, exc.code, headers=headers, **exc.extra)


async def validation_error_handler(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(400, "The request body is not valid JSON.", "REQ_002")
    fields = [{"field": _loc(tuple(e.get("loc", ()))), "message": e.get("msg", "invalid"), "type": e.get("type")}
              for e in errors]
    summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
    return error_response(422, f"Validation failed: {summary}", "VAL_001", errors=fields)


async def http_error_handler(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else "Request failed."
    if exc.status_code == 404 and detail == "Not Found":
        detail = "No such endpoint."
    return error_response(exc.status_code, detail, HTTP_CODES.get(exc.status_code, f"HTTP_{exc.status_code}"),
                          headers=getattr(exc, "headers", None))


async def backend_unavailable_handler(_request: Request, exc: Exception) -> JSONResponse:
    """The database or Redis is unreachable (a restart, a failover): nothing was written, so the
    client may simply retry."""
    log.warning("backing service unavailable: %s", type(exc).__name__)
    return error_response(503, "A backing service is briefly unavailable; please retry.", "SVC_001",
                          headers={"Retry-After": "2"})


async def data_error_handler(request: Request, exc: sa_exc.DataError) -> JSONResponse:
    """PostgreSQL cannot store a NUL character in text or JSONB: the client sent it, so a 400."""
    if is_nul_error(exc):
        return error_response(400, "Text must not contain NUL characters (\\u0000).", REQ_NUL_CHARACTER)
    return await unhandled_error_handler(request, exc)


def _constraint(exc: sa_exc.IntegrityError) -> str:
    """``foreign_key`` / ``unique`` / '' from the driver's error (PostgreSQL SQLSTATE, SQLite text)."""
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None) or ""
    text = str(orig or exc).upper()
    if state == "23503" or "FOREIGN KEY" in text:
        return "foreign_key"
    if state == "23505" or "UNIQUE" in text:
        return "unique"
    return ""


async def integrity_error_handler(request: Request, exc: sa_exc.IntegrityError) -> JSONResponse:
    """A write the database refused although the service let it through: a record the request
    names is missing (404) or a duplicate slipped past a check in a race (409). Logged, since the
    service should have said so itself; never a 500 for the client's data."""
    kind = _constraint(exc)
    if not kind:
        return await unhandled_error_handler(request, exc)
    log.warning("database refused a write (%s constraint) on %s", kind, request.url.path)
    if kind == "foreign_key":
        return error_response(404, "A record this request refers to does not exist.", "NOT_FOUND")
    return error_response(409, "This conflicts with an existing record.", "CONFLICT")


async def unhandled_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    if not getattr(exc, "_interviewer_logged", False):  # HttpPolicyMiddleware logs it with the request id
        log.error("unhandled error", exc_info=exc)
    return error_response(500, "Internal server error; it has been logged.", "INTERNAL_001")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(sa_exc.DataError, data_error_handler)
    app.add_exception_handler(sa_exc.IntegrityError, integrity_error_handler)
    app.add_exception_handler(sa_exc.OperationalError, backend_unavailable_handler)
    app.add_exception_handler(sa_exc.InterfaceError, backend_unavailable_handler)
    app.add_exception_handler(redis.ConnectionError, backend_unavailable_handler)
    app.add_exception_handler(redis.TimeoutError, backend_unavailable_handler)
    app.add_exception_handler(Exception, unhandled_error_handler)
