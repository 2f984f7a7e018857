"""Cross-cutting HTTP policy: security headers (6.4), CORS (6.6), gzip (12.4) and the Redis-backed
rate limits (6.5), including X-Forwarded-For handling behind trusted proxies."""

from __future__ import annotations

import time

import pytest
from sqlmodel import select

from interviewer.core.redis import get_redis
from interviewer.db import session_scope
from interviewer.models import AuditLog, RefreshToken, UserRole
from tests.factories import PASSWORD, auth, make_tenant, make_user

SPEC_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "x-xss-protection": "1; mode=block",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
}


def fresh_window(margin: float = 5.0) -> None:
    """The limits use fixed one-minute windows: don't start a burst right before a boundary."""
    into = time.time() % 60
    if into > 60 - margin:
        time.sleep(60 - into + 0.05)


def login(client, email="hr@acme.test", password=PASSWORD, **headers):
    return client.post("/api/v1/auth/login", json={"email": email, "password": password}, headers=headers)


def assert_spec_headers(response) -> None:
    for name, value in SPEC_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.status_code, dict(response.headers))


# --- security headers -------------------------------------------------------------------------------

def test_security_headers_on_success_and_error_responses(api):
    acme = make_tenant()
    h = auth(acme.hr)
    responses = [
        api.get("/health"),
        api.get("/api/v1/health"),
        api.get("/api/v1/users", headers=h),  # 200
        api.get("/api/v1/users"),  # 401
        api.get("/api/v1/companies", headers=h),  # 403
        api.get("/api/v1/nope"),  # 404
        api.post("/api/v1/users", headers=h, json={"x": 1}),  # 422
        api.post("/api/v1/users", headers={**h, "Content-Type": "application/json"}, content=b"{"),  # 400
        api.post("/api/v1/users", headers={**h, "Content-Type": "application/json"}, content=b" " * (2 << 20)),  # 413
        api.options("/api/v1/users", headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "GET"}),
        api.get("/metrics"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 401, 403, 404, 422, 400, 413, 200, 200]
    for r in responses:
        assert_spec_headers(r)
        assert r.headers.get("x-request-id")


def test_security_headers_on_429(api):
    fresh_window()
    make_tenant()
    for _ in range(5):
        login(api, password="wrong-password-1")
    r = login(api)
    assert r.status_code == 429
    assert_spec_headers(r)


def test_request_id_is_echoed_or_generated(api):
    r = api.get("/health", headers={"X-Request-ID": "req-abc-123"})
    assert r.headers["x-request-id"] == "req-abc-123"
    a, b = api.get("/health").headers["x-request-id"], api.get("/health").headers["x-request-id"]
    assert a and b and a != b
    long = api.get("/health", headers={"X-Request-ID": "r" * 500}).headers["x-request-id"]
    assert long == "r" * 64  # bounded


# --- CORS -------------------------------------------------------------------------------------------

def test_cors_preflight_from_the_frontend_is_allowed(api):
    r = api.options("/api/v1/auth/login", headers={"Origin": "http://localhost:3000",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type,authorization"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert r.headers["access-control-allow-credentials"] == "true"
    assert "POST" in r.headers["access-control-allow-methods"]
    allowed_headers = r.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed_headers and "content-type" in allowed_headers


@pytest.mark.parametrize("origin", ["http://evil.example", "http://localhost:3000.evil.example", "null",
                                    "https://localhost:3000"])
def test_cors_preflight_from_other_origins_is_refused(api, origin):
    r = api.options("/api/v1/auth/login", headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in r.headers
    assert r.status_code >= 400
    simple = api.get("/api/v1/health", headers={"Origin": origin})
    assert simple.status_code == 200 and "access-control-allow-origin" not in simple.headers


def test_cors_simple_request_exposes_headers(api):
    r = api.get("/api/v1/health", headers={"Origin": "http://localhost:3001"})
    assert r.headers["access-control-allow-origin"] == "http://localhost:3001"
    exposed = r.headers["access-control-expose-headers"].lower()
    assert "retry-after" in exposed and "x-request-id" in exposed


def test_cors_origins_come_from_settings(app_with_env):
    client = app_with_env(CORS_ORIGINS="https://app.example.test, https://admin.example.test")
    ok = client.options("/api/v1/users", headers={"Origin": "https://admin.example.test",
                                                  "Access-Control-Request-Method": "GET"})
    assert ok.headers.get("access-control-allow-origin") == "https://admin.example.test"
    old = client.options("/api/v1/users", headers={"Origin": "http://localhost:3000",
                                                   "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in old.headers


# --- gzip -------------------------------------------------------------------------------------------

def _hr_of_a_company_of_32() -> dict:
    """Headers of an HR user whose company lists 32 users: a page of them passes gzip's 1 KiB."""
    acme = make_tenant()
    for i in range(30):
        make_user(UserRole.EMPLOYEE, acme.company.id, f"person{i:02d}@acme.test", name=f"Person {i:02d}")
    return auth(acme.hr)


def test_large_list_responses_are_gzipped(api):
    h = _hr_of_a_company_of_32()
    r = api.get("/api/v1/users", headers={**h, "Accept-Encoding": "gzip"}, params={"per_page": 100})
    assert r.status_code == 200
    assert r.headers.get("content-encoding") == "gzip"
    assert "accept-encoding" in r.headers.get("vary", "").lower()
    decoded = len(r.content)
    assert decoded > 1024 and r.num_bytes_downloaded < decoded / 2
    assert r.json()["total"] == 32
    assert_spec_headers(r)

    plain = api.get("/api/v1/users", headers={**h, "Accept-Encoding": "identity"}, params={"per_page": 100})
    assert "content-encoding" not in plain.headers and plain.json() == r.json()


def test_small_responses_are_not_gzipped(api):
    r = api.get("/health", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and len(r.content) < 1024
    assert "content-encoding" not in r.headers


def test_answers_to_clients_without_gzip_vary_on_accept_encoding_where_gzip_would_apply(api):
    h = _hr_of_a_company_of_32()
    plain = api.get("/api/v1/users", headers={**h, "Accept-Encoding": "identity"}, params={"per_page": 100})
    assert plain.status_code == 200 and len(plain.content) > 1024
    assert "content-encoding" not in plain.headers
    assert "accept-encoding" in plain.headers.get("vary", "").lower()  # a shared cache keeps the two apart
    assert_spec_headers(plain)
    small = api.get("/health", headers={"Accept-Encoding": "identity"})
    assert "accept-encoding" not in small.headers.get("vary", "").lower()  # too small to be compressed anyway


def test_compression_passes_other_clients_through_and_merges_an_existing_vary():
    import asyncio

    from interviewer.api.compression import Compression

    def run(headers: list, request_headers: list) -> list:
        sent: list = []

        async def app(scope, receive, send):
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b"x" * 2000})

        async def send(message):
            sent.append(message)

        async def receive():
            return {"type": "http.request", "body": b""}

        asyncio.run(Compression(app)({"type": "http", "method": "GET", "path": "/", "headers": request_headers},
                                     receive, send))
        return sent

    big = [(b"content-type", b"text/plain"), (b"content-length", b"2000")]
    start, body = run([*big, (b"vary", b"Origin")], [])
    assert dict(start["headers"])[b"vary"] == b"Origin, Accept-Encoding" and body["body"] == b"x" * 2000
    start, _ = run([*big, (b"content-encoding", b"br")], [])
    assert b"vary" not in dict(start["headers"])  # already encoded: nothing for gzip to do
    start, body = run(big, [(b"accept-encoding", b"gzip, deflate")])
    assert dict(start["headers"])[b"content-encoding"] == b"gzip" and len(body["body"]) < 200


# --- rate limits ------------------------------------------------------------------------------------

def test_sixth_login_in_a_minute_is_429_with_retry_after(api):
    fresh_window()
    make_tenant()
    statuses = [login(api, password="wrong-password-1").status_code for _ in range(5)]
    assert statuses == [401] * 5
    started = time.time()
    r = login(api)  # even the right password
    assert r.status_code == 429, r.text
    body = r.json()
    assert body["error_code"] == "RATE_001" and set(body) == {"detail", "error_code", "timestamp"}
    retry = r.headers["retry-after"]
    assert retry.isdigit()
    assert 1 <= int(retry) <= 60
    assert abs(int(retry) - (60 - started % 60)) <= 2

    keys = get_redis().keys("rl:auth:testclient:*")
    assert len(keys) == 1
    assert get_redis().get(keys[0]) == "6"
    assert 0 < get_redis().ttl(keys[0]) <= 61
    # nothing was logged in: no refresh token issued on the refused attempt
    with session_scope() as s:
        assert s.exec(select(RefreshToken)).all() == []
    # other endpoint categories are unaffected
    assert api.get("/api/v1/health").status_code == 200


def test_other_public_auth_endpoints_share_the_auth_limit(api):
    fresh_window()
    for i in range(5):
        api.post("/api/v1/auth/signup", json={"name": "C", "email": f"c{i}@x.test", "password": "short"})
    r = api.post("/api/v1/register/company", json={"company_name": "N", "contact_name": "C",
                                                   "contact_email": "c@x.test"})
    assert r.status_code == 429


def test_x_forwarded_for_does_not_bypass_the_limit(api):
    fresh_window()
    make_tenant()
    for i in range(5):
        assert login(api, password="wrong-password-1", **{"X-Forwarded-For": f"203.0.113.{i}"}).status_code == 401
    r = login(api, **{"X-Forwarded-For": "198.51.100.99"})
    assert r.status_code == 429
    assert get_redis().keys("rl:auth:203.0.113.*") == []


def test_untrusted_peer_xff_is_ignored_even_with_trusted_proxies_set(app_with_env):
    fresh_window()
    make_tenant()
    client = app_with_env(TRUSTED_PROXIES="10.0.0.0/8", client=("198.51.100.7", 40000))
    for i in range(5):
        login(client, password="wrong-password-1", **{"X-Forwarded-For": f"203.0.113.{i}"})
    assert login(client, **{"X-Forwarded-For": "203.0.113.200"}).status_code == 429
    assert len(get_redis().keys("rl:auth:198.51.100.7:*")) == 1


def test_trusted_proxy_gives_each_client_its_own_bucket(app_with_env):
    fresh_window()
    make_tenant()
    proxy = app_with_env(TRUSTED_PROXIES="10.0.0.0/8, 192.168.0.1", client=("10.1.2.3", 40000))
    alice = {"X-Forwarded-For": "203.0.113.10"}
    for _ in range(5):
        assert login(proxy, password="wrong-password-1", **alice).status_code == 401
    assert login(proxy, **alice).status_code == 429
    # another client behind the same proxy has its own allowance (another account: Alice's failures
    # also hold her account back for unknown devices, see test_login_throttle.py)
    r = login(proxy, email="dev@acme.test", **{"X-Forwarded-For": "203.0.113.20"})
    assert r.status_code == 200, r.text
    # a forged left-most hop does not earn Alice a new bucket: the right-most untrusted hop counts
    assert login(proxy, **{"X-Forwarded-For": "1.2.3.4, 203.0.113.10"}).status_code == 429
    # hops added by trusted proxies are skipped
    assert login(proxy, **{"X-Forwarded-For": "203.0.113.10, 10.9.9.9, 192.168.0.1"}).status_code == 429
    keys = {k.split(":")[2] for k in get_redis().keys("rl:auth:*")}
    assert keys == {"203.0.113.10", "203.0.113.20"}
    # the client address is what gets recorded for the successful login
    with session_scope() as s:
        logins = s.exec(select(AuditLog).where(AuditLog.action == "auth.login")).all()
        tokens = s.exec(select(RefreshToken)).all()
    assert [a.details["ip"] for a in logins] == ["203.0.113.20"]
    assert [t.ip_address for t in tokens] == ["203.0.113.20"]


def test_without_a_trusted_proxy_the_peer_address_is_recorded(app_with_env):
    make_tenant()
    client = app_with_env(client=("198.51.100.7", 40000))
    assert login(client, **{"X-Forwarded-For": "203.0.113.10"}).status_code == 200
    with session_scope() as s:
        assert s.exec(select(RefreshToken)).one().ip_address == "198.51.100.7"


def test_general_api_limit_is_100_per_minute(api):
    fresh_window(margin=10)
    statuses = [api.get("/api/v1/health").status_code for _ in range(101)]
    assert statuses[:100] == [200] * 100
    assert statuses[100] == 429
    # the probes outside /api are never limited
    assert api.get("/health").status_code == 200
    assert len(get_redis().keys("rl:api:testclient:*")) == 1


def test_rate_limit_can_be_disabled(app_with_env):
    make_tenant()
    client = app_with_env(RATE_LIMIT_ENABLED="false")
    assert [login(client, password="wrong-password-1").status_code for _ in range(7)] == [401] * 7
    assert get_redis().keys("rl:*") == []


@pytest.mark.parametrize("path,method,content_type,category", [
    ("/api/v1/auth/login", "POST", "application/json", "auth"),
    ("/api/v1/auth/signup", "POST", "application/json", "auth"),
    ("/api/v1/register/company", "POST", "application/json", "auth"),
    ("/api/v1/auth/me", "GET", "", "api"),
    ("/api/v1/users", "GET", "", "api"),
    ("/api/v1/ai/ats-check", "POST", "application/json", "ai"),
    ("/api/v1/jobs/123/generate-questions", "POST", "application/json", "ai"),
    ("/api/v1/candidates/import", "POST", "multipart/form-data; boundary=x", "upload"),
    ("/health", "GET", "", None),
    ("/metrics", "GET", "", None),
])
def test_rate_limit_categories(path, method, content_type, category):
    """Which spec 6.5 bucket a request draws from (AI: 10/min, uploads: 10 per 5 min)."""
    from interviewer.api.middleware import rate_category

    assert rate_category(path, method, content_type) == category
