"""Request helpers shared by the routers: the bearer token, the acting user, pagination."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from interviewer.core.config import get_settings
from interviewer.core.errors import ValidationError
from interviewer.core.logging import bind_user
from interviewer.db import session_scope
from interviewer.services.auth import (
    authenticate_access_token,
    authenticate_access_token_cached,
)
from interviewer.services.authz import Actor

_bearer = HTTPBearer(auto_error=False, description="Access token from POST /auth/login")


# Dependencies that do no I/O are ``async def``: FastAPI runs a plain ``def`` dependency in a
# worker thread, a hop every request would pay for nothing.
async def bearer_token(creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str | None:
    return creds.credentials if creds else None


Token = Annotated[str | None, Depends(bearer_token)]
REFRESH_COOKIE = "refresh_token"


@contextmanager
def authed(token: str | None, *, readonly: bool = False) -> Iterator[tuple[Session, Actor]]:
    """One unit of work for an authenticated request: resolve the user, then do the work,
    committing at the end (or rolling everything back on error). ``readonly`` for listings."""
    with session_scope(readonly=readonly) as session:
        actor, _ = authenticate_access_token(session, token)
        bind_user(str(actor.id))
        yield session, actor


async def cached_actor(token: str | None) -> Actor:
    """The acting user for an ``async`` endpoint that needs no database (cache-only reads): the
    session cache answers without blocking the event loop; only when it holds no current entry
    does the full check (:func:`authed`) run in a worker thread."""
    found = await authenticate_access_token_cached(token)
    if found is None:
        return await run_in_threadpool(_actor_from_database, token)
    bind_user(str(found[0].id))
    return found[0]


def _actor_from_database(token: str | None) -> Actor:
    with authed(token) as (_session, actor):
        return actor


class Paging(BaseModel):
    page: int
    per_page: int


async def paging(page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                 per_page: Annotated[int, Query(ge=1, le=100)] = 20) -> Paging:
    return Paging(page=page, per_page=per_page)


PagingDep = Annotated[Paging, Depends(paging)]
FieldsQuery = Annotated[str | None, Query(max_length=500, description="Comma-separated fields to return")]


def select_fields(items: list[dict[str, Any]], fields: str | None, allowed: set[str]) -> list[dict[str, Any]]:
    """The ``fields=`` filter of list endpoints (spec 12.4)."""
    if not fields:
        return items
    wanted = [f.strip() for f in fields.split(",") if f.strip()]
    unknown = sorted(set(wanted) - allowed)
    if unknown:
        raise ValidationError(f"Unknown field(s) in fields=: {', '.join(unknown)}.", code="VAL_002")
    return [{k: item[k] for k in wanted} for item in items]


def client_meta(request: Request) -> tuple[str | None, str | None]:
    from interviewer.api.middleware import client_ip

    ip = client_ip(request.scope, dict(request.scope.get("headers") or []), get_settings().TRUSTED_PROXIES)
    return ip, request.headers.get("user-agent")
