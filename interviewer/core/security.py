"""Password hashing (bcrypt), password policy and JWT encoding (PyJWT, HS256)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from collections.abc import Iterable
from typing import Any

import bcrypt
import jwt

from interviewer.core.config import get_settings
from interviewer.core.password_policy import MAX_BYTES, MIN_LENGTH, password_problems
from interviewer.core.errors import (
    AUTH_PASSWORD_POLICY,
    AUTH_TOKEN_EXPIRED,
    AUTH_TOKEN_INVALID,
    AuthenticationError,
    ValidationError,
)

MIN_PASSWORD_LENGTH = MIN_LENGTH
MAX_PASSWORD_BYTES = MAX_BYTES


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def check_password_policy(password: str, *, email: str | None = None, names: Iterable[str | None] = ()) -> None:
    """Refuse a weak password with every reason (core.password_policy); ``names``: the person's
    and their company's names, which the password must not be built from."""
    problems = password_problems(password, email=email, names=names)
    if problems:
        raise ValidationError("Password must be " + "; ".join(problems) + ".", code=AUTH_PASSWORD_POLICY)


def hash_password(password: str, *, rounds: int | None = None) -> str:
    rounds = rounds or get_settings().BCRYPT_ROUNDS
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=rounds)).decode()


_DUMMY_HASH: str | None = None
# bcrypt checks run at most one per core at a time: a burst of sign-ins queues behind itself instead
# of taking every core from the pages and interviews served by the same process (bcrypt releases
# the GIL, so without a bound 20 sign-ins would run 20 hashes at once).
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
_BCRYPT_SLOTS = threading.BoundedSemaphore(max(1, _CORES))  # the cores this process may run on


def _checkpw(password: str, password_hash: str) -> bool:
    with _BCRYPT_SLOTS:
        return bcrypt.checkpw(password.encode()[:MAX_PASSWORD_BYTES], password_hash.encode())


def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant-work check: an unknown user still costs one bcrypt, so timing reveals nothing."""
    global _DUMMY_HASH
    if not password_hash:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
        _checkpw(password, _DUMMY_HASH)
        return False
    try:
        return _checkpw(password, password_hash)
    except ValueError:
        return False


def needs_rehash(password_hash: str | None) -> bool:
    """True when a stored bcrypt hash uses another cost than ``BCRYPT_ROUNDS`` (the setting changed)."""
    parts = (password_hash or "").split("$")
    return len(parts) > 3 and parts[1] in ("2a", "2b", "2y") and parts[2].isdigit() \
        and int(parts[2]) != get_settings().BCRYPT_ROUNDS


def create_token(claims: dict[str, Any], *, expires_in: timedelta, token_type: str) -> tuple[str, str, datetime]:
    """Returns (encoded token, jti, expiry)."""
    settings = get_settings()
    now = utcnow()
    exp = now + expires_in
    jti = uuid.uuid4().hex
    payload = {**claims, "iat": int(now.timestamp()), "exp": int(exp.timestamp()), "jti": jti, "type": token_type}
    return jwt.encode(payload, settings.SECRET_KEY, algorithm=settings.JWT_ALGORITHM), jti, exp


# Access tokens already verified by this process, with their claims: every authenticated request
# presents one, and PyJWT's verification costs tens of microseconds each time. Only a token that
# passed verification under the current SECRET_KEY is kept; its expiry and type are checked again on
# every use (revocation is the session store's business, checked per request as before). Bounded:
# emptied when full.
_verified_access: dict[str, dict[str, Any]] = {}
_verified_under: list[str] = [""]  # the SECRET_KEY the entries were verified with
VERIFIED_ACCESS_MAX = 4096


def decode_token(token: str, *, token_type: str) -> dict[str, Any]:
    settings = get_settings()
    if _verified_under[0] != settings.SECRET_KEY:
        _verified_access.clear()
        _verified_under[0] = settings.SECRET_KEY
    known = _verified_access.get(token) if token_type == "access" else None
    if known is not None and known["exp"] > time.time():
        return dict(known)
    try:
        payload = jwt.decode(
            token,
            settings.SECRET_KEY,
            algorithms=[settings.JWT_ALGORITHM],
            options={"require": ["exp", "iat", "sub", "jti", "type"]},
        )
    except jwt.ExpiredSignatureError:
        _verified_access.pop(token, None)
        raise AuthenticationError("Your session has expired; please sign in again.", code=AUTH_TOKEN_EXPIRED)
    except jwt.PyJWTError:
        raise AuthenticationError("Invalid authentication token.", code=AUTH_TOKEN_INVALID)
    if payload.get("type") != token_type:
        raise AuthenticationError("Invalid authentication token.", code=AUTH_TOKEN_INVALID)
    if token_type == "access":
        if len(_verified_access) >= VERIFIED_ACCESS_MAX:
            _verified_access.clear()
        _verified_access[token] = dict(payload)
    return payload


def new_opaque_token(nbytes: int = 32) -> str:
    """URL-safe random token (default 256 bits) for links sent by email."""
    return secrets.token_urlsafe(nbytes)


def hash_opaque_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def derive_link_token(purpose: str, subject: str, salt: str) -> str:
    """A link token the server can re-create but the database cannot reveal: HMAC-SHA256 under a
    key derived from SECRET_KEY, over (subject, per-link random salt); 256 bits, URL-safe. The
    database keeps only ``hash_opaque_token`` of it (plus the salt), so a database dump or backup
    holds no working link, while staff can still be shown the link they sent."""
    key = hmac.new(get_settings().SECRET_KEY.encode(), f"link-token:{purpose}".encode(), hashlib.sha256).digest()
    digest = hmac.new(key, f"{subject}:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
