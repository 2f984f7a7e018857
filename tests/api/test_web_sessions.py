"""The UI's browser session (services.web_sessions): tokens stay on the server, the browser gets an
HttpOnly SameSite cookie through a one-time hand-over, refreshes are serialised per session."""

from __future__ import annotations

from interviewer.core.redis import get_redis
from interviewer.db import session_scope
from interviewer.services import auth as auth_service
from interviewer.services import web_sessions
from tests.factories import PASSWORD, make_tenant


def _pair(email="hr@acme.test"):
    with session_scope() as session:
        return auth_service.login(session, email=email, password=PASSWORD, ip="127.0.0.1", user_agent="test")


def _cookie(response) -> str:
    return response.headers.get("set-cookie", "")


def test_hand_over_sets_an_httponly_samesite_cookie_once(api):
    make_tenant("Acme")
    pair = _pair()
    code = web_sessions.start(pair)
    r = api.get("/api/v1/auth/web-session", params={"code": code, "next": "http://testserver/dashboard"},
                follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "http://testserver/dashboard"
    cookie = _cookie(r)
    assert cookie.startswith(f"{web_sessions.COOKIE_NAME}=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/" in cookie and "Secure" not in cookie  # plain HTTP (dev); HTTPS below
    session_id = cookie.split(";")[0].split("=", 1)[1]
    web = web_sessions.load(session_id)
    assert web.access_token == pair.access_token and web.refresh_token == pair.refresh_token
    # the tokens are not in the cookie, and nothing in Redis is keyed by the raw session id
    assert pair.access_token not in cookie and not get_redis().keys(f"*{session_id}*")

    again = api.get("/api/v1/auth/web-session", params={"code": code, "next": "/dashboard"}, follow_redirects=False)
    assert again.status_code == 303 and _cookie(again) == ""  # the code works once


def test_hand_over_is_secure_behind_https_and_never_redirects_elsewhere(api):
    make_tenant("Acme")
    code = web_sessions.start(_pair())
    r = api.get("/api/v1/auth/web-session", params={"code": code, "next": "https://evil.example/x"},
                headers={"X-Forwarded-Proto": "https"}, follow_redirects=False)
    assert "Secure" in _cookie(r) and r.headers["location"] == "/"
    for evil in ("//evil.example/", "javascript:alert(1)"):
        r = api.get("/api/v1/auth/web-session", params={"code": "x" * 40, "next": evil}, follow_redirects=False)
        assert r.headers["location"] == "/" and _cookie(r) == ""


def test_cookie_parsing():
    sid = "a" * 43
    assert web_sessions.session_id_from_cookie(f"theme=dark; {web_sessions.COOKIE_NAME}={sid}") == sid
    assert web_sessions.session_id_from_cookie("theme=dark") is None
    assert web_sessions.session_id_from_cookie(f"{web_sessions.COOKIE_NAME}=short") is None
    assert web_sessions.session_id_from_cookie(None) is None


def test_two_tabs_refreshing_at_once_do_not_revoke_the_session():
    make_tenant("Acme")
    code = web_sessions.start(_pair())
    session_id = web_sessions.redeem(code)
    stale = web_sessions.load(session_id)  # both tabs read the same pair
    with session_scope() as db:
        first = web_sessions.refresh(db, stale, ip=None, user_agent=None)
    with session_scope() as db:
        second = web_sessions.refresh(db, stale, ip=None, user_agent=None)  # sees the rotation, no reuse
    assert first.refresh_token != stale.refresh_token and second.refresh_token == first.refresh_token
    with session_scope() as db:
        auth_service.authenticate_access_token(db, second.access_token)  # still a live session
    web_sessions.end(session_id)
    assert web_sessions.load(session_id) is None
