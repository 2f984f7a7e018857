"""Browser sessions of the Reflex UI: the tokens stay on the server, the browser holds only an
HttpOnly cookie (issue 12: script on the page cannot steal a session).

- Signing in (``start``) stores the token pair under a random session id (256 bits) in Redis,
  ``websess:<sha256(id)>``, for as long as the refresh token lives, and issues a one-time
  hand-over code (60 s). The UI sends the browser to ``GET /api/v1/auth/web-session?code=…``,
  which trades the code for the cookie (``set_cookie_header``: HttpOnly, SameSite=Lax, Secure
  on HTTPS, Path=/) and redirects back. JavaScript never sees the session id or a token.
- Every UI event reads the cookie from its socket's handshake and the pair from Redis
  (``load``); an expired access token is refreshed under a per-session lock (``refresh``), so
  two tabs never spend the same refresh token (which would revoke the family).
- Signing out, or a session that can no longer be refreshed, deletes the record (``end``): every
  tab of that browser is signed out at its next event.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie

from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.core.redis import get_redis
from interviewer.core.security import utcnow
from interviewer.services import auth as auth_service

COOKIE_NAME = "ai_session"
CODE_TTL_SECONDS = 60
LOCK_SECONDS = 10
_PREFIX, _CODE_PREFIX, _LOCK_PREFIX = "websess:", "webcode:", "websess-lock:"


@dataclass
class WebSession:
    id: str
    access_token: str
    refresh_token: str


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _ttl(pair: auth_service.TokenPair) -> int:
    return max(60, int((pair.refresh_expires_at - utcnow()).total_seconds()))


def start(pair: auth_service.TokenPair) -> str:
    """A new session for a fresh sign-in: returns the one-time hand-over code."""
    session_id = secrets.token_urlsafe(32)
    redis = get_redis()
    redis.set(_PREFIX + _digest(session_id), json.dumps({"access": pair.access_token, "refresh": pair.refresh_token}),
              ex=_ttl(pair))
    code = secrets.token_urlsafe(32)
    redis.set(_CODE_PREFIX + _digest(code), session_id, ex=CODE_TTL_SECONDS)
    return code


def redeem(code: str) -> str | None:
    """The session id of a hand-over code, once; None when unknown, used or expired."""
    if not code or len(code) > 100:
        return None
    value = get_redis().getdel(_CODE_PREFIX + _digest(code))
    return value if isinstance(value, str) else (value.decode() if value else None)


def session_id_from_cookie(cookie_header: str | None) -> str | None:
    if not cookie_header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except Exception:  # noqa: BLE001 - a malformed Cookie header is no session
        return None
    morsel = jar.get(COOKIE_NAME)
    value = morsel.value if morsel else ""
    return value if 20 <= len(value) <= 100 else None


def load(session_id: str | None) -> WebSession | None:
    if not session_id:
        return None
    raw = get_redis().get(_PREFIX + _digest(session_id))
    if not raw:
        return None
    data = json.loads(raw)
    return WebSession(session_id, data.get("access", ""), data.get("refresh", ""))


def replace_tokens(session_id: str, access_token: str, refresh_token: str | None = None) -> None:
    """Tests and tools: put other tokens into a session (e.g. an expired access token)."""
    key = _PREFIX + _digest(session_id)
    redis = get_redis()
    data = json.loads(redis.get(key) or "{}")
    data["access"] = access_token
    if refresh_token is not None:
        data["refresh"] = refresh_token
    redis.set(key, json.dumps(data), keepttl=True)


def refresh(db: Session, web: WebSession, *, ip: str | None, user_agent: str | None) -> WebSession:
    """Rotate the session's refresh token (auth.refresh: reuse detection, revocation) under a
    lock; a tab that finds the pair already rotated by another tab uses the new pair."""
    redis = get_redis()
    digest = _digest(web.id)
    lock = _LOCK_PREFIX + digest
    deadline = time.monotonic() + LOCK_SECONDS
    while not redis.set(lock, "1", nx=True, ex=LOCK_SECONDS):
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    try:
        current = load(web.id)
        if current is None:
            raise E.AuthenticationError("Your session ended.", code=E.AUTH_NOT_AUTHENTICATED)
        if current.refresh_token != web.refresh_token:
            return current  # another tab rotated meanwhile
        pair = auth_service.refresh(db, current.refresh_token, ip=ip, user_agent=user_agent)
        redis.set(_PREFIX + digest, json.dumps({"access": pair.access_token, "refresh": pair.refresh_token}),
                  ex=_ttl(pair))
        return WebSession(web.id, pair.access_token, pair.refresh_token)
    finally:
        redis.delete(lock)


def end(session_id: str | None) -> None:
    if session_id:
        get_redis().delete(_PREFIX + _digest(session_id))


def set_cookie_header(session_id: str, *, secure: bool, max_age: int) -> str:
    """The Set-Cookie value: HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site
    subrequests, so another site cannot open the UI's event socket as the user), Secure on HTTPS."""
    parts = [f"{COOKIE_NAME}={session_id}", "Path=/", "HttpOnly", "SameSite=Lax", f"Max-Age={max_age}"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)
