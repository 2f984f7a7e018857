"""The error format (spec 5.9) for every class of error, and hostile or malformed input that must be
refused without writing anything (spec 5.10)."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from interviewer.api.app import create_api
from interviewer.db import session_scope
from interviewer.models import AuditLog, Company, CompanyRegistrationRequest, CustomRole, EmailMessage, User
from tests.factories import auth, make_admin, make_tenant

TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
MB = 1024 * 1024


def check_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert {"detail", "error_code", "timestamp"} <= set(body), body
    assert set(body) - {"detail", "error_code", "timestamp"} <= {"errors"}, body
    assert body["error_code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"].strip()
    assert TS_RE.match(body["timestamp"]), body["timestamp"]
    stamp = datetime.strptime(body["timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert abs((datetime.now(timezone.utc) - stamp).total_seconds()) < 60
    return body


def snapshot() -> dict[str, int]:
    with session_scope() as s:
        return {m.__tablename__: s.exec(select(func.count()).select_from(m)).one()
                for m in (User, Company, EmailMessage, AuditLog, CompanyRegistrationRequest, CustomRole)}


# --- one test per error class --------------------------------------------------------------------

def test_400_malformed_json(api):
    acme = make_tenant()
    headers = {**auth(acme.hr), "Content-Type": "application/json"}
    before = snapshot()
    for raw in (b'{"email": "x@acme.test", "name": ', b"{'single': 'quotes'}", b"\xff\xfe\x00garbage", b"[1, 2,]"):
        r = api.post("/api/v1/users", content=raw, headers=headers)
        check_error(r, 400, "REQ_002")
    r = api.post("/api/v1/auth/login", content=b"{not json", headers={"Content-Type": "application/json"})
    check_error(r, 400, "REQ_002")
    assert snapshot() == before


def test_401(api):
    r = api.get("/api/v1/users")
    check_error(r, 401, "AUTH_009")
    assert r.headers["www-authenticate"] == "Bearer"


def test_403(api):
    acme = make_tenant()
    check_error(api.get("/api/v1/companies", headers=auth(acme.hr)), 403, "PERM_001")


def test_404_resource_and_route(api):
    acme = make_tenant()
    check_error(api.get(f"/api/v1/users/{uuid.uuid4()}", headers=auth(acme.hr)), 404, "USER_404")
    body = check_error(api.get("/api/v1/no-such-thing"), 404, "NOT_FOUND")
    assert body["detail"] == "No such endpoint."


def test_405(api):
    check_error(api.patch("/api/v1/auth/login", json={}), 405, "METHOD_NOT_ALLOWED")


def test_409(api):
    acme = make_tenant()
    r = api.post("/api/v1/users", headers=auth(acme.hr), json={"email": "dev@acme.test", "name": "D", "role": "EMPLOYEE"})
    check_error(r, 409, "USER_001")


def test_422_lists_the_fields(api):
    acme = make_tenant()
    r = api.post("/api/v1/users", headers=auth(acme.hr), json={"email": "bad", "name": "", "role": "KING"})
    body = check_error(r, 422, "VAL_001")
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"email", "name", "role"}


def test_500_is_formatted_and_leaks_nothing(monkeypatch):
    from interviewer.services import users as user_service

    def boom(*_a, **_k):
        raise RuntimeError("database password is hunter2")

    acme = make_tenant()
    headers = auth(acme.hr)
    monkeypatch.setattr(user_service, "list_user_rows", boom)
    with TestClient(create_api(), raise_server_exceptions=False) as client:
        r = client.get("/api/v1/users", headers=headers)
    body = check_error(r, 500, "INTERNAL_001")
    assert "hunter2" not in r.text and "RuntimeError" not in r.text
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers.get("x-request-id")
    assert body


# --- hostile input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("payload", [
    {"email": 12345, "name": "N", "role": "EMPLOYEE"},
    {"email": "n@acme.test", "name": ["N"], "role": "EMPLOYEE"},
    {"email": "n@acme.test", "name": "N", "role": "EMPLOYEE", "password": 12345678},
    {"email": "n@acme.test", "name": "N", "role": "EMPLOYEE", "manager_id": "not-a-uuid"},
    {"email": "n@acme.test", "name": "N", "role": "EMPLOYEE", "department": {"a": 1}},
    {"email": "n@acme.test", "name": "N", "role": "EMPLOYEE", "is_admin": True},
    {"email": "n@acme.test", "name": "N", "role": "EMPLOYEE", "password_hash": "$2b$04$abc"},
    {"email": "n@acme.test", "name": "x" * 10_000, "role": "EMPLOYEE"},
    {"email": ("x" * 10_000) + "@acme.test", "name": "N", "role": "EMPLOYEE"},
    {"email": "n@acme.test", "name": "N", "role": "EMPLOYEE", "password": "p" * 10_000},
    {"email": "n@acme.test", "name": "N", "role": "EMPLOYEE", "department": "d" * 101},
    ["a", "list"],
    "a string",
    None,
])
def test_bad_user_payloads_are_422_and_write_nothing(api, payload):
    acme = make_tenant()
    headers = auth(acme.hr)
    before = snapshot()
    r = api.post("/api/v1/users", headers={**headers, "Content-Type": "application/json"}, content=json.dumps(payload))
    check_error(r, 422, "VAL_001")
    assert snapshot() == before


@pytest.mark.parametrize("path,payload", [
    ("/api/v1/auth/signup", {"name": "x" * 10_000, "email": "c@example.test", "password": "a-fine-passphrase"}),
    ("/api/v1/auth/signup", {"name": "C", "email": "c@example.test", "password": "a-fine-passphrase", "extra": 1}),
    ("/api/v1/register/company", {"company_name": "x" * 10_000, "contact_name": "C", "contact_email": "c@x.test"}),
    ("/api/v1/register/company", {"company_name": "N", "contact_name": "C", "contact_email": "c@x.test",
                                  "message": "m" * 10_000}),
    ("/api/v1/auth/login", {"email": "a@b.test", "password": "p" * 10_000}),
    ("/api/v1/auth/set-password", {"token": "t" * 10_000, "password": "a-fine-passphrase"}),
])
def test_long_strings_and_unknown_fields_on_public_endpoints(api, path, payload):
    before = snapshot()
    check_error(api.post(path, json=payload), 422, "VAL_001")
    assert snapshot() == before


def test_long_strings_on_update_write_nothing(api):
    acme = make_tenant()
    hr = auth(acme.hr)
    before = snapshot()
    r = api.put(f"/api/v1/users/{acme.employee.id}", headers=hr, json={"name": "x" * 10_000})
    check_error(r, 422, "VAL_001")
    r = api.post("/api/v1/roles", headers=hr, json={"name": "r" * 10_000, "permissions": []})
    check_error(r, 422, "VAL_001")
    r = api.post("/api/v1/roles", headers=hr, json={"name": "r", "permissions": ["users:read"] * 51})
    check_error(r, 422, "VAL_001")
    assert snapshot() == before
    with session_scope() as s:
        assert s.get(User, acme.employee.id).name == "Acme Dev"


@pytest.mark.parametrize("method,path", [
    ("GET", "/api/v1/users/not-a-uuid"),
    ("PUT", "/api/v1/users/123"),
    ("DELETE", "/api/v1/users/%27%20OR%201=1--"),
    ("GET", "/api/v1/companies/../../etc/passwd"),
    ("POST", "/api/v1/admin/company-requests/xyz/approve"),
    ("PUT", "/api/v1/roles/00000000-0000-0000-0000-00000000000g"),
])
def test_non_uuid_path_ids_are_422(api, method, path):
    make_tenant()
    admin = auth(make_admin())
    before = snapshot()
    r = api.request(method, path, headers=admin, json={"name": "X"} if method == "PUT" else None)
    if path.endswith("passwd"):  # the client normalises the dots away: no route matches
        assert r.status_code in (404, 422)
        assert r.json()["error_code"] in ("NOT_FOUND", "VAL_001")
    else:
        body = check_error(r, 422, "VAL_001")
        assert body["errors"][0]["type"] == "uuid_parsing"
    assert snapshot() == before


# --- body size ------------------------------------------------------------------------------------

def test_413_with_content_length(api):
    acme = make_tenant()
    headers = {**auth(acme.hr), "Content-Type": "application/json"}
    before = snapshot()
    big = json.dumps({"email": "n@acme.test", "name": "N", "role": "EMPLOYEE", "department": "d" * (MB + 10)})
    r = api.post("/api/v1/users", headers=headers, content=big)
    check_error(r, 413, "REQ_413")
    assert r.headers["x-frame-options"] == "DENY"
    assert snapshot() == before
    # the limit applies to public endpoints too, before any parsing
    r = api.post("/api/v1/register/company", headers={"Content-Type": "application/json"}, content=b"{" * (MB + 1))
    check_error(r, 413, "REQ_413")


def test_just_under_the_limit_is_parsed(api):
    acme = make_tenant()
    body = json.dumps({"email": "n@acme.test", "name": "N", "role": "EMPLOYEE", "pad": "p" * (MB - 200)})
    assert len(body) < MB
    r = api.post("/api/v1/users", headers={**auth(acme.hr), "Content-Type": "application/json"}, content=body)
    check_error(r, 422, "VAL_001")  # read and validated (unknown field), not refused for its size


def test_413_with_chunked_generator_body(api):
    acme = make_tenant()
    headers = {**auth(acme.hr), "Content-Type": "application/json"}
    before = snapshot()

    def chunks():
        yield b'{"email": "n@acme.test", "name": "N", "role": "EMPLOYEE", "department": "'
        for _ in range(40):
            yield b"d" * 32_768
        yield b'"}'

    r = api.post("/api/v1/users", headers=headers, content=chunks())
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert r.request.headers.get("transfer-encoding") == "chunked"
    check_error(r, 413, "REQ_413")
    assert snapshot() == before


def _asgi_post(app, path: str, headers: list[tuple[bytes, bytes]], chunks: list[bytes]):
    """Drive the ASGI app directly, delivering the body in many ``http.request`` messages."""
    sent: list[dict] = []
    pending = list(chunks)

    async def receive():
        if pending:
            chunk = pending.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(pending)}
        await asyncio.sleep(3600)  # never disconnects while the app is working
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
             "headers": [(b"host", b"testserver"), *headers], "client": ("127.0.0.1", 40000),
             "server": ("testserver", 80)}
    asyncio.run(asyncio.wait_for(app(scope, receive, send), 30))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), json.loads(body)


def test_413_when_streamed_in_many_messages_without_content_length():
    acme = make_tenant()
    token = auth(acme.hr)["Authorization"]
    before = snapshot()
    head = b'{"email": "n@acme.test", "name": "N", "role": "EMPLOYEE", "department": "'
    chunks = [head] + [b"d" * 65_536] * 20 + [b'"}']
    status, headers, body = _asgi_post(create_api(), "/api/v1/users",
                                       [(b"content-type", b"application/json"), (b"authorization", token.encode()),
                                        (b"transfer-encoding", b"chunked")], chunks)
    assert status == 413 and body["error_code"] == "REQ_413", body
    assert headers[b"x-content-type-options"] == b"nosniff"
    assert snapshot() == before


def test_lying_content_length_is_caught_while_reading():
    """A small declared Content-Length followed by a huge body is still cut off at the limit."""
    acme = make_tenant()
    token = auth(acme.hr)["Authorization"]
    before = snapshot()
    chunks = [b'{"email": "n@acme.test", "name": "N", "role": "EMPLOYEE", "department": "'] + [b"d" * 65_536] * 20 + [b'"}']
    status, _headers, body = _asgi_post(create_api(), "/api/v1/users",
                                        [(b"content-type", b"application/json"), (b"authorization", token.encode()),
                                         (b"content-length", b"20")], chunks)
    assert status == 413 and body["error_code"] == "REQ_413"
    assert snapshot() == before


def test_invalid_content_length_header():
    status, _h, body = _asgi_post(create_api(), "/api/v1/auth/login",
                                  [(b"content-type", b"application/json"), (b"content-length", b"abc")], [b"{}"])
    assert status == 400 and body["error_code"] == "REQ_001"


def test_database_outage_answers_503_with_retry_after(api, monkeypatch):
    """A restart of PostgreSQL must not look like a server bug: 503 + Retry-After, spec format."""
    import sqlalchemy as sa

    from interviewer.services import users as user_service
    from tests.factories import auth, make_tenant

    tenant = make_tenant()
    headers = auth(tenant.hr)

    def broken(*_args, **_kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(user_service, "list_user_rows", broken)
    r = api.get("/api/v1/users", headers=headers)
    assert r.status_code == 503
    assert r.headers["Retry-After"] == "2"
    assert r.json()["error_code"] == "SVC_001" and set(r.json()) >= {"detail", "error_code", "timestamp"}
