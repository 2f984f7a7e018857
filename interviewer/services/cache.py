"""Redis read-through cache (spec 12.3): job listings 5 minutes, company settings 1 hour.

Values are JSON. Company-scoped listings are keyed by a per-company *version* number, so a
write invalidates every cached page and query of that company with one ``INCR`` (old keys
simply expire). Invalidation happens both immediately and again after the writing transaction
commits, so a reader that filled the cache from the pre-commit snapshot cannot leave stale data
behind. When Redis is unavailable the cache is bypassed: reads go to the database.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

import redis
from sqlalchemy import event
from sqlmodel import Session

from interviewer.core.crypto import seal_secrets
from interviewer.core.redis import get_redis
from interviewer.models import Company

log = logging.getLogger("interviewer.cache")

JOB_LIST_TTL = 5 * 60
COMPANY_SETTINGS_TTL = 60 * 60
PREFIX = "cache:"
# A version key outlives every entry it versions, so an expired version never revives old entries.
VERSION_TTL = 24 * 60 * 60


def _version_key(namespace: str, company_id: uuid.UUID | str) -> str:
    return f"{PREFIX}ver:{namespace}:{company_id}"


def company_version(namespace: str, company_id: uuid.UUID | str) -> int:
    try:
        value = get_redis().get(_version_key(namespace, company_id))
    except redis.RedisError:
        return -1
    return int(value or 0)


def bump_version(namespace: str, company_id: uuid.UUID | str) -> None:
    key = _version_key(namespace, company_id)
    try:
        pipe = get_redis().pipeline()
        pipe.incr(key)
        pipe.expire(key, VERSION_TTL)
        pipe.execute()
    except redis.RedisError:
        log.warning("cache invalidation failed", extra={"metadata": {"key": key}})


def bump_version_on_commit(session: Session, namespace: str, company_id: uuid.UUID) -> None:
    """Invalidate now and once more after the surrounding transaction commits."""
    bump_version(namespace, company_id)
    event.listen(session, "after_commit", lambda _s: bump_version(namespace, company_id), once=True)


def versioned_key(namespace: str, company_id: uuid.UUID | str, params: dict[str, Any]) -> str | None:
    """The key for one query of one company, or None when the cache is unavailable."""
    version = company_version(namespace, company_id)
    if version < 0:
        return None
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return f"{PREFIX}{namespace}:{company_id}:v{version}:{digest}"


def get_or_set(key: str | None, ttl: int, produce: Callable[[], Any]) -> Any:
    """Return the cached JSON value for ``key`` or compute, store and return it."""
    if key is None:
        return produce()
    client = get_redis()
    try:
        cached = client.get(key)
    except redis.RedisError:
        return produce()
    if cached is not None:
        return json.loads(cached)
    value = produce()
    try:
        client.set(key, json.dumps(value, default=str), ex=ttl)
    except redis.RedisError:
        log.warning("cache store failed", extra={"metadata": {"key": key}})
    return value


def delete(key: str) -> None:
    try:
        get_redis().delete(key)
    except redis.RedisError:
        log.warning("cache delete failed", extra={"metadata": {"key": key}})


# --- job listings ------------------------------------------------------------------------------

JOBS_NAMESPACE = "jobs"


def invalidate_jobs(session: Session, company_id: uuid.UUID) -> None:
    bump_version_on_commit(session, JOBS_NAMESPACE, company_id)


# --- company settings ---------------------------------------------------------------------------

def _settings_key(company_id: uuid.UUID | str) -> str:
    return f"{PREFIX}company_settings:{company_id}"


def company_settings(session: Session, company_id: uuid.UUID) -> dict[str, Any]:
    """A company's ``settings`` JSON, cached for an hour ({} for an unknown company)."""

    def load() -> dict[str, Any]:
        company = session.get(Company, company_id)
        settings = dict(company.settings or {}) if company is not None else {}
        if isinstance(settings.get("ai"), dict):  # a plaintext key of an older version never reaches Redis
            settings["ai"] = seal_secrets(settings["ai"])
        return settings

    return get_or_set(_settings_key(company_id), COMPANY_SETTINGS_TTL, load)


def invalidate_company_settings(company_id: uuid.UUID | str, session: Session | None = None) -> None:
    """Call when a company's settings change; with ``session``, again once it commits."""
    key = _settings_key(company_id)
    delete(key)
    if session is not None:
        event.listen(session, "after_commit", lambda _s: delete(key), once=True)
