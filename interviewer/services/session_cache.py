"""The user-session cache (spec 12.3: user sessions, 15 minutes, invalidated on logout/changes).

Resolving a bearer token needs the token's blacklist entry, the user (active? role? company?)
and their custom role. Those are kept in Redis so an authenticated request costs one Redis round
trip and no database query. Correctness does not depend on the TTL: any committed change to a
user, a custom role or a company drops the affected entries (SQLAlchemy session events, so no
service can forget to do it).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import redis
from sqlalchemy import event
from sqlmodel import Session

from interviewer.core.redis import get_async_redis, get_redis
from interviewer.models import Company, CustomRole, User

TTL_SECONDS = 15 * 60
BLACKLIST_PREFIX = "auth:blacklist:"
_ACTOR = "auth:actor:"
_VERSION = "auth:ver:"


def actor_key(user_id: uuid.UUID | str) -> str:
    return f"{_ACTOR}{user_id}"


def version_key(company_id: uuid.UUID | str | None) -> str:
    return f"{_VERSION}{company_id or 'none'}"


def _keys(jti: str, user_id: str, company_id: str | None) -> tuple[str, str, str]:
    return BLACKLIST_PREFIX + jti, actor_key(user_id), version_key(company_id)


def lookup(jti: str, user_id: str, company_id: str | None) -> tuple[bool, dict[str, Any] | None, str | None]:
    """One round trip: (blacklisted, cached entry if still current, current company version)."""
    return _current(*get_redis().mget(*_keys(jti, user_id, company_id)), company_id)


async def lookup_async(jti: str, user_id: str, company_id: str | None) -> tuple[bool, dict[str, Any] | None, str | None]:
    """:func:`lookup` for code on the event loop (async endpoints): the same round trip, not blocking."""
    return _current(*await get_async_redis().mget(*_keys(jti, user_id, company_id)), company_id)


def _current(blacklisted: str | None, raw: str | None, version: str | None,
             company_id: str | None) -> tuple[bool, dict[str, Any] | None, str | None]:
    entry = None
    if raw:
        entry = json.loads(raw)
        if entry.get("version") != version or entry.get("company_id") != company_id:
            entry = None
    return bool(blacklisted), entry, version


def store(entry: dict[str, Any], version: str | None) -> None:
    try:
        get_redis().set(actor_key(entry["id"]), json.dumps({**entry, "version": version}), ex=TTL_SECONDS)
    except redis.RedisError:
        pass  # a cache that cannot be written only costs the next request a query


def _pending(session: Session) -> tuple[set[str], set[str]]:
    users = session.info.setdefault("session_cache_users", set())
    companies = session.info.setdefault("session_cache_companies", set())
    return users, companies


@event.listens_for(Session, "after_flush")
def _collect_changes(session: Session, _ctx) -> None:
    users, companies = _pending(session)
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, User):
            users.add(str(obj.id))
        elif isinstance(obj, CustomRole | Company):
            companies.add(str(obj.company_id if isinstance(obj, CustomRole) else obj.id))


@event.listens_for(Session, "after_commit")
def _invalidate(session: Session) -> None:
    users = session.info.pop("session_cache_users", set())
    companies = session.info.pop("session_cache_companies", set())
    if not users and not companies:
        return
    try:
        pipe = get_redis().pipeline()
        for user_id in users:
            pipe.delete(actor_key(user_id))
        for company_id in companies:
            pipe.incr(version_key(company_id))
            pipe.expire(version_key(company_id), 2 * TTL_SECONDS)
        pipe.execute()
    except redis.RedisError:
        pass  # entries then expire by TTL; login/refresh still re-check the database


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop("session_cache_users", None)
    session.info.pop("session_cache_companies", None)
