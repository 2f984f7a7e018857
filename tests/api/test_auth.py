"""Authentication over HTTP (spec 2.3.1, 5.2, 6.1, 6.2): login, JWT claims, refresh-token rotation
with reuse detection, logout blacklist, account states, forged/expired tokens, password policy,
candidate sign-up with email verification and set-password links."""

from __future__ import annotations

import os
import re
import time
import uuid
from datetime import datetime, timedelta, timezone
from http.cookies import SimpleCookie

import jwt
import pytest
from sqlmodel import select

from interviewer.core.redis import get_redis
from interviewer.db import session_scope
from interviewer.models import EmailMessage, RefreshToken, User, UserRole
from tests.factories import PASSWORD, auth, make_admin, make_tenant, make_user

LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/auth/me"
SECRET = os.environ["SECRET_KEY"]  # the suite's key, fixed in tests/conftest.py
TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


# --- helpers ----------------------------------------------------------------------------------

def login(api, email, password=PASSWORD):
    return api.post(LOGIN, json={"email": email, "password": password})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def refresh_cookie(response) -> SimpleCookie:
    """The parsed Set-Cookie header carrying the refresh token."""
    headers = [v for k, v in response.headers.multi_items() if k.lower() == "set-cookie"]
    cookies = [h for h in headers if h.startswith("refresh_token=")]
    assert len(cookies) == 1, headers
    jar = SimpleCookie()
    jar.load(cookies[0])
    return jar


def refresh_with(api, token: str | None):
    """POST /auth/refresh presenting exactly ``token`` (the client's own jar is emptied first)."""
    api.cookies.clear()
    headers = {"Cookie": f"refresh_token={token}"} if token else {}
    return api.post(REFRESH, headers=headers)


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"]
    assert TS_RE.match(body["timestamp"]), body
    return body


def outbox(to: str, kind: str | None = None) -> list[EmailMessage]:
    with session_scope() as s:
        q = select(EmailMessage).where(EmailMessage.to_address == to)
        if kind:
            q = q.where(EmailMessage.kind == kind)
        return list(s.exec(q.order_by(EmailMessage.created_at)))


def link_token(to: str, kind: str, path: str) -> str:
    """The one-time token from the link in the newest email of ``kind`` sent to ``to``."""
    mails = outbox(to, kind)
    assert mails, f"no {kind} email to {to}"
    match = re.search(rf"http://testserver/{path}\?token=([A-Za-z0-9_\-]+)", mails[-1].body_text)
    assert match, mails[-1].body_text
    return match.group(1)


def craft(claims: dict, *, key: str = SECRET, algorithm: str = "HS256", **overrides) -> str:
    now = int(time.time())
    payload = {"iat": now, "exp": now + 600, "jti": uuid.uuid4().hex, "type": "access", **claims, **overrides}
    return jwt.encode(payload, key, algorithm=algorithm)


def claims_for(user: User) -> dict:
    return {"sub": str(user.id), "email": user.email, "role": user.role.value,
            "company_id": str(user.company_id) if user.company_id else None}


def get_user(user_id) -> User:
    with session_scope() as s:
        return s.get(User, user_id)


# --- login --------------------------------------------------------------------------------------

def test_login_response_shape(api):
    tenant = make_tenant()
    r = login(api, "hr@acme.test")
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= {"access_token", "token_type", "user"}
    assert body["token_type"] == "bearer"
    assert body["user"] == {"id": str(tenant.hr.id), "email": "hr@acme.test", "name": "Acme HR",
                            "role": "HR", "company_id": str(tenant.company.id)}
    assert "password_hash" not in r.text


def test_login_email_is_case_insensitive(api):
    make_tenant()
    r = login(api, "  HR@Acme.TEST ")
    assert r.status_code == 200, r.text
    assert r.json()["user"]["email"] == "hr@acme.test"


def test_access_token_claims(api):
    tenant = make_tenant()
    before = int(time.time())
    r = login(api, "hr@acme.test")
    after = int(time.time())
    token = r.json()["access_token"]
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "HS256"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["sub"] == str(tenant.hr.id)
    assert claims["email"] == "hr@acme.test"
    assert claims["role"] == "HR"
    assert claims["company_id"] == str(tenant.company.id)
    assert before - 1 <= claims["iat"] <= after + 1
    assert claims["exp"] - claims["iat"] == 30 * 60
    # a different key does not verify it: it really is signed with SECRET_KEY
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, SECRET + "x", algorithms=["HS256"])


def test_system_admin_token_has_null_company(api):
    admin = make_admin()
    r = login(api, admin.email)
    assert r.status_code == 200
    claims = jwt.decode(r.json()["access_token"], SECRET, algorithms=["HS256"])
    assert claims["role"] == "SYSTEM_ADMIN" and claims["company_id"] is None
    assert r.json()["user"]["company_id"] is None


def test_refresh_cookie_attributes(api):
    make_tenant()
    r = login(api, "hr@acme.test")
    jar = refresh_cookie(r)
    morsel = jar["refresh_token"]
    assert morsel.value
    assert morsel["httponly"] is True
    assert morsel["samesite"].lower() == "strict"
    assert morsel["path"] == "/api/v1/auth"
    assert int(morsel["max-age"]) == 7 * 24 * 3600
    # not marked Secure outside production (so http://localhost works)...
    assert not morsel["secure"]
    claims = jwt.decode(morsel.value, SECRET, algorithms=["HS256"])
    assert claims["type"] == "refresh" and claims["sub"] == r.json()["user"]["id"]
    assert claims["exp"] - claims["iat"] == 7 * 24 * 3600


def test_refresh_cookie_is_secure_in_production(api, monkeypatch):
    """In production the cookie is only sent over HTTPS."""
    from interviewer.core.config import get_settings

    make_tenant()
    monkeypatch.setattr(get_settings(), "ENVIRONMENT", "production")
    r = login(api, "hr@acme.test")
    assert r.status_code == 200
    assert refresh_cookie(r)["refresh_token"]["secure"]


def test_refresh_token_is_not_an_access_token(api):
    make_tenant()
    r = login(api, "hr@acme.test")
    refresh_token = refresh_cookie(r)["refresh_token"].value
    assert_error(api.get(ME, headers=bearer(refresh_token)), 401, "AUTH_002")


def test_wrong_password_and_unknown_email_look_the_same(api):
    make_tenant()
    wrong = login(api, "hr@acme.test", "not-the-password-1")
    unknown = login(api, "nobody@acme.test", "not-the-password-1")
    b1 = assert_error(wrong, 401, "AUTH_001")
    b2 = assert_error(unknown, 401, "AUTH_001")
    assert b1["detail"] == b2["detail"]
    assert "set-cookie" not in wrong.headers and "set-cookie" not in unknown.headers


def test_login_validation_errors(api):
    assert_error(api.post(LOGIN, json={"email": "not-an-email", "password": "x"}), 422, "VAL_001")
    assert_error(api.post(LOGIN, json={"email": "a@b.test"}), 422, "VAL_001")
    assert_error(api.post(LOGIN, json={"email": "a@b.test", "password": "x", "remember": True}), 422, "VAL_001")


# --- refresh rotation and reuse detection -------------------------------------------------------

def test_refresh_rotates_and_reuse_revokes_the_family(api):
    tenant = make_tenant()
    r = login(api, "hr@acme.test")
    first = refresh_cookie(r)["refresh_token"].value

    r2 = refresh_with(api, first)
    assert r2.status_code == 200, r2.text
    second = refresh_cookie(r2)["refresh_token"].value
    assert second != first
    assert r2.json()["user"]["id"] == str(tenant.hr.id)
    new_access = r2.json()["access_token"]
    assert api.get(ME, headers=bearer(new_access)).status_code == 200

    # the rotated token is presented again (stolen copy): refused, and the whole family dies
    assert_error(refresh_with(api, first), 401, "AUTH_008")
    assert refresh_with(api, second).status_code == 401

    with session_scope() as s:
        rows = s.exec(select(RefreshToken).where(RefreshToken.user_id == tenant.hr.id)).all()
    assert len(rows) == 2 and all(row.revoked_at is not None for row in rows)
    assert len({row.family_id for row in rows}) == 1


def test_refresh_family_revocation_does_not_touch_other_sessions(api):
    make_tenant()
    laptop = refresh_cookie(login(api, "hr@acme.test"))["refresh_token"].value
    phone = refresh_cookie(login(api, "hr@acme.test"))["refresh_token"].value
    rotated = refresh_cookie(refresh_with(api, laptop))["refresh_token"].value
    assert refresh_with(api, laptop).status_code == 401  # reuse: laptop family revoked
    assert refresh_with(api, rotated).status_code == 401
    assert refresh_with(api, phone).status_code == 200  # a separate login is unaffected


def test_refresh_without_or_with_garbage_cookie(api):
    assert_error(refresh_with(api, None), 401, "AUTH_007")
    assert_error(refresh_with(api, "garbage.token.value"), 401, "AUTH_007")
    # a correctly signed refresh token that the server never issued
    forged = craft({"sub": str(uuid.uuid4()), "fam": str(uuid.uuid4())}, type="refresh")
    assert_error(refresh_with(api, forged), 401, "AUTH_007")
    # an access token is not a refresh token
    user = make_user(UserRole.EMPLOYEE, make_tenant().company.id)
    access = login(api, user.email).json()["access_token"]
    assert_error(refresh_with(api, access), 401, "AUTH_007")


def test_expired_refresh_token_is_refused(api):
    tenant = make_tenant()
    r = login(api, "hr@acme.test")
    claims = jwt.decode(refresh_cookie(r)["refresh_token"].value, SECRET, algorithms=["HS256"])
    past = int(time.time()) - 10
    expired = craft({"sub": claims["sub"], "fam": claims["fam"]}, type="refresh", jti=claims["jti"],
                    iat=past - 7 * 86400, exp=past)
    assert_error(refresh_with(api, expired), 401, "AUTH_007")
    assert tenant  # the user still exists; only the token's age matters


# --- logout ---------------------------------------------------------------------------------------

def test_logout_blacklists_access_token_until_it_expires(api):
    make_tenant()
    r = login(api, "hr@acme.test")
    access = r.json()["access_token"]
    refresh_token = refresh_cookie(r)["refresh_token"].value
    claims = jwt.decode(access, SECRET, algorithms=["HS256"])

    api.cookies.clear()
    out = api.post(LOGOUT, headers={**bearer(access), "Cookie": f"refresh_token={refresh_token}"})
    assert out.status_code == 204, out.text
    assert out.content == b""
    # the response clears the cookie
    cleared = refresh_cookie(out)["refresh_token"]
    assert cleared.value in ("", '""') and int(cleared["max-age"]) == 0

    key = f"auth:blacklist:{claims['jti']}"
    ttl = get_redis().ttl(key)
    remaining = claims["exp"] - time.time()
    assert get_redis().exists(key)
    assert remaining - 5 <= ttl <= remaining + 1, (ttl, remaining)

    assert_error(api.get(ME, headers=bearer(access)), 401, "AUTH_004")
    # the refresh token went with it
    assert refresh_with(api, refresh_token).status_code == 401


def test_logout_requires_authentication(api):
    assert_error(api.post(LOGOUT), 401, "AUTH_009")


def test_logout_of_one_session_keeps_the_other(api):
    make_tenant()
    a = login(api, "hr@acme.test").json()["access_token"]
    b = login(api, "hr@acme.test").json()["access_token"]
    api.cookies.clear()
    assert api.post(LOGOUT, headers=bearer(a)).status_code == 204
    assert api.get(ME, headers=bearer(a)).status_code == 401
    assert api.get(ME, headers=bearer(b)).status_code == 200


# --- account states -----------------------------------------------------------------------------

def test_deactivated_user_cannot_log_in_and_old_token_stops_working(api):
    tenant = make_tenant()
    admin = make_admin()
    r = login(api, "dev@acme.test")
    access = r.json()["access_token"]
    refresh_token = refresh_cookie(r)["refresh_token"].value
    assert api.get(ME, headers=bearer(access)).status_code == 200

    d = api.delete(f"/api/v1/users/{tenant.employee.id}", headers=auth(admin))
    assert d.status_code in (200, 204), d.text

    assert_error(api.get(ME, headers=bearer(access)), 401, "AUTH_005")
    assert_error(login(api, "dev@acme.test"), 401, "AUTH_005")
    assert refresh_with(api, refresh_token).status_code == 401


def test_unverified_candidate_cannot_log_in(api):
    make_user(UserRole.CANDIDATE, None, "cand@example.test", verified=False)
    body = assert_error(login(api, "cand@example.test"), 403, "AUTH_006")
    assert "verify" in body["detail"].lower()
    # but a wrong password does not reveal that the account exists and is unverified
    assert_error(login(api, "cand@example.test", "wrong-password-1"), 401, "AUTH_001")


def test_me_returns_profile_and_permissions(api):
    tenant = make_tenant()
    r = api.get(ME, headers=auth(tenant.employee))
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == str(tenant.employee.id) and body["role"] == "EMPLOYEE"
    assert body["company_name"] == "Acme"
    assert "users:read" in body["permissions"] and "users:write" not in body["permissions"]
    assert "password_hash" not in body and "verification_token" not in body


# --- forged and expired access tokens -----------------------------------------------------------

def test_crafted_valid_token_is_accepted(api):
    """Control for the tests below: a token built with PyJWT and the suite's key works."""
    tenant = make_tenant()
    r = api.get(ME, headers=bearer(craft(claims_for(tenant.hr))))
    assert r.status_code == 200 and r.json()["id"] == str(tenant.hr.id)


def test_expired_access_token(api):
    tenant = make_tenant()
    now = int(time.time())
    token = craft(claims_for(tenant.hr), iat=now - 31 * 60, exp=now - 60)
    body = assert_error(api.get(ME, headers=bearer(token)), 401, "AUTH_003")
    assert "expired" in body["detail"].lower()
    assert api.get(ME, headers=bearer(token)).headers.get("www-authenticate") == "Bearer"


@pytest.mark.parametrize("case", ["wrong_key", "wrong_type", "hs512", "alg_none", "garbage", "no_jti",
                                  "tampered", "bad_sub"])
def test_invalid_access_tokens(api, case):
    tenant = make_tenant()
    claims = claims_for(tenant.hr)
    if case == "wrong_key":
        token = craft(claims, key="another-secret-key-of-sufficient-length-0123")
    elif case == "wrong_type":
        token = craft(claims, type="refresh")
    elif case == "hs512":
        token = craft(claims, algorithm="HS512")
    elif case == "alg_none":
        token = jwt.encode({**claims, "iat": int(time.time()), "exp": int(time.time()) + 600,
                            "jti": "x", "type": "access"}, None, algorithm="none")
    elif case == "garbage":
        token = "not-a-jwt"
    elif case == "no_jti":
        now = int(time.time())
        token = jwt.encode({**claims, "iat": now, "exp": now + 600, "type": "access"}, SECRET, algorithm="HS256")
    elif case == "tampered":
        good = craft(claims)
        head, payload, sig = good.split(".")
        evil = craft({**claims, "role": "SYSTEM_ADMIN"}).split(".")[1]
        token = ".".join([head, evil, sig])
        assert api.get(ME, headers=bearer(good)).status_code == 200
    else:  # bad_sub
        token = craft({**claims, "sub": "not-a-uuid"})
    assert_error(api.get(ME, headers=bearer(token)), 401, "AUTH_002")


def test_token_of_a_deleted_user_is_refused(api):
    ghost = {"sub": str(uuid.uuid4()), "email": "ghost@x.test", "role": "SYSTEM_ADMIN", "company_id": None}
    assert_error(api.get("/api/v1/users", headers=bearer(craft(ghost))), 401, "AUTH_005")


def test_missing_and_malformed_authorization_header(api):
    assert_error(api.get(ME), 401, "AUTH_009")
    assert_error(api.get(ME, headers={"Authorization": "Basic dXNlcjpwYXNz"}), 401, "AUTH_009")


# --- password policy ----------------------------------------------------------------------------

@pytest.mark.parametrize("password", ["Sh0rt!", "1234567", "cand@example.test", "CAND@EXAMPLE.TEST", "cand",
                                      "password123", "Password1", "qwertyuiop", "x" * 73])
def test_password_policy_on_signup(api, password):
    r = api.post("/api/v1/auth/signup", json={"name": "Cand", "email": "cand@example.test", "password": password})
    body = assert_error(r, 422, "AUTH_010")
    assert "password" in body["detail"].lower()
    with session_scope() as s:
        assert s.exec(select(User)).all() == []
        assert s.exec(select(EmailMessage)).all() == []


def test_password_policy_on_user_creation_and_update(api):
    tenant = make_tenant()
    h = auth(tenant.hr)
    r = api.post("/api/v1/users", headers=h,
                 json={"email": "new@acme.test", "name": "New", "role": "EMPLOYEE", "password": "short"})
    assert_error(r, 422, "AUTH_010")
    r = api.put(f"/api/v1/users/{tenant.employee.id}", headers=h, json={"password": "dev@acme.test"})
    assert_error(r, 422, "AUTH_010")
    assert login(api, "dev@acme.test").status_code == 200  # old password untouched


def test_bcrypt_rounds_in_the_suite_are_four(api):
    from interviewer.core.config import get_settings

    assert get_settings().BCRYPT_ROUNDS == 4
    r = api.post("/api/v1/auth/signup", json={"name": "Cand", "email": "c4@example.test",
                                              "password": "a-fine-passphrase"})
    assert r.status_code == 201
    with session_scope() as s:
        user = s.exec(select(User).where(User.email == "c4@example.test")).one()
    assert user.password_hash.startswith("$2b$04$")
    assert "a-fine-passphrase" not in user.password_hash


# --- candidate sign-up and verification ---------------------------------------------------------

def test_candidate_signup_verify_then_login(api):
    r = api.post("/api/v1/auth/signup", json={"name": "  Casey  ", "email": "Casey@Example.TEST",
                                              "password": "a-fine-passphrase"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["email"] == "casey@example.test" and body["name"] == "Casey"
    assert body["role"] == "CANDIDATE" and body["company_id"] is None
    assert body["email_verified"] is False

    assert_error(login(api, "casey@example.test", "a-fine-passphrase"), 403, "AUTH_006")

    token = link_token("casey@example.test", "account_verify", "verify-email")
    with session_scope() as s:
        stored = s.exec(select(User).where(User.email == "casey@example.test")).one()
        assert stored.verification_token and stored.verification_token != token  # only a hash is stored
        remaining = stored.verification_expires_at - datetime.now(timezone.utc)
        assert timedelta(hours=47) < remaining <= timedelta(hours=48)

    v = api.post("/api/v1/auth/verify-email", json={"token": token})
    assert v.status_code == 200, v.text
    assert v.json()["email_verified"] is True

    r = login(api, "casey@example.test", "a-fine-passphrase")
    assert r.status_code == 200 and r.json()["user"]["role"] == "CANDIDATE"


def test_verify_link_is_single_use(api):
    assert api.post("/api/v1/auth/signup", json={"name": "C", "email": "c@example.test",
                                                 "password": "a-fine-passphrase"}).status_code == 201
    token = link_token("c@example.test", "account_verify", "verify-email")
    assert api.post("/api/v1/auth/verify-email", json={"token": token}).status_code == 200
    assert_error(api.post("/api/v1/auth/verify-email", json={"token": token}), 400, "AUTH_011")


def test_signup_with_a_taken_email_answers_as_for_a_new_one_and_tells_the_owner_by_email(api):
    """Enumeration-safe: the same status and body shape either way; the truth goes by email."""
    make_tenant()
    fresh = api.post("/api/v1/auth/signup", json={"name": "X", "email": "new@example.test",
                                                  "password": "a-fine-passphrase"})
    taken = api.post("/api/v1/auth/signup", json={"name": "X", "email": "HR@acme.test",
                                                  "password": "a-fine-passphrase"})
    assert fresh.status_code == taken.status_code == 201
    assert set(fresh.json()) == set(taken.json())
    assert {k: v for k, v in taken.json().items() if k not in ("id", "email", "created_at", "updated_at")} == \
        {k: v for k, v in fresh.json().items() if k not in ("id", "email", "created_at", "updated_at")}
    with session_scope() as s:
        assert len(s.exec(select(User)).all()) == 3  # the two staff accounts and the new candidate
        hr = s.exec(select(User).where(User.email == "hr@acme.test")).one()
        assert hr.role == UserRole.HR and str(hr.id) != taken.json()["id"]
        notice = s.exec(select(EmailMessage).where(EmailMessage.to_address == "hr@acme.test")).one()
    assert notice.kind == "account_exists" and "/forgot-password" in notice.body_text
    # a weak password is refused the same way whether or not the email is taken
    weak = api.post("/api/v1/auth/signup", json={"name": "X", "email": "hr@acme.test", "password": "aaaaaaaa"})
    assert_error(weak, 422, "AUTH_010")


def test_signup_cannot_choose_a_role(api):
    r = api.post("/api/v1/auth/signup", json={"name": "X", "email": "x@example.test",
                                              "password": "a-fine-passphrase", "role": "SYSTEM_ADMIN"})
    assert_error(r, 422, "VAL_001")
    with session_scope() as s:
        assert s.exec(select(User)).all() == []


def test_invalid_and_expired_verification_tokens(api):
    assert_error(api.post("/api/v1/auth/verify-email", json={"token": "x" * 43}), 400, "AUTH_011")
    assert_error(api.post("/api/v1/auth/verify-email", json={"token": "short"}), 422, "VAL_001")

    assert api.post("/api/v1/auth/signup", json={"name": "C", "email": "late@example.test",
                                                 "password": "a-fine-passphrase"}).status_code == 201
    token = link_token("late@example.test", "account_verify", "verify-email")
    with session_scope() as s:
        user = s.exec(select(User).where(User.email == "late@example.test")).one()
        user.verification_expires_at = datetime.now(timezone.utc) - timedelta(minutes=1)
        s.add(user)
    assert_error(api.post("/api/v1/auth/verify-email", json={"token": token}), 400, "AUTH_011")
    with session_scope() as s:
        assert s.exec(select(User).where(User.email == "late@example.test")).one().email_verified is False


# --- set-password links -------------------------------------------------------------------------

def test_hr_created_user_without_password_sets_it_from_the_email_link(api):
    tenant = make_tenant()
    r = api.post("/api/v1/users", headers=auth(tenant.hr),
                 json={"email": "newbie@acme.test", "name": "Newbie", "role": "EMPLOYEE"})
    assert r.status_code == 201, r.text
    assert r.json()["email_verified"] is False
    mails = outbox("newbie@acme.test", "account_set_password")
    assert len(mails) == 1 and mails[0].company_id == tenant.company.id

    # no password works before the link is followed
    assert_error(login(api, "newbie@acme.test", "anything-at-all-1"), 401, "AUTH_001")

    token = link_token("newbie@acme.test", "account_set_password", "set-password")
    # policy is enforced and a refused password leaves the link usable
    assert_error(api.post("/api/v1/auth/set-password", json={"token": token, "password": "short"}), 422, "AUTH_010")
    ok = api.post("/api/v1/auth/set-password", json={"token": token, "password": "newbie-pass-2024"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["email_verified"] is True

    r = login(api, "newbie@acme.test", "newbie-pass-2024")
    assert r.status_code == 200 and r.json()["user"]["company_id"] == str(tenant.company.id)
    # the link is single-use
    assert_error(api.post("/api/v1/auth/set-password", json={"token": token, "password": "other-pass-2024"}),
                 400, "AUTH_011")


def test_set_password_with_invalid_or_expired_token(api):
    tenant = make_tenant()
    assert_error(api.post("/api/v1/auth/set-password", json={"token": "y" * 43, "password": "a-fine-passphrase"}),
                 400, "AUTH_011")
    api.post("/api/v1/users", headers=auth(tenant.hr), json={"email": "n@acme.test", "name": "N", "role": "HR"})
    token = link_token("n@acme.test", "account_set_password", "set-password")
    with session_scope() as s:
        user = s.exec(select(User).where(User.email == "n@acme.test")).one()
        user.verification_expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
        s.add(user)
        old_hash = user.password_hash
    assert_error(api.post("/api/v1/auth/set-password", json={"token": token, "password": "a-fine-passphrase"}),
                 400, "AUTH_011")
    with session_scope() as s:
        assert s.exec(select(User).where(User.email == "n@acme.test")).one().password_hash == old_hash


def test_set_password_revokes_existing_sessions(api):
    """Setting a password through a link (e.g. a reset) ends the sessions opened before."""
    tenant = make_tenant()
    r = login(api, "dev@acme.test")
    old_refresh = refresh_cookie(r)["refresh_token"].value
    from interviewer.services.auth import issue_account_link

    with session_scope() as s:
        token = issue_account_link(s, s.get(User, tenant.employee.id), purpose="set_password")
    assert api.post("/api/v1/auth/set-password", json={"token": token, "password": "brand-new-pass-1"}).status_code == 200
    assert refresh_with(api, old_refresh).status_code == 401
    assert login(api, "dev@acme.test").status_code == 401
    assert login(api, "dev@acme.test", "brand-new-pass-1").status_code == 200
