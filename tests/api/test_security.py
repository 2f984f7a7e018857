"""Issue 12 (security hardening), on PostgreSQL: write-only encrypted AI keys, link tokens out of
the logs, password change and policy, the per-account sign-in throttle, forgot password, and the
lesser items (/metrics, no-store, NUL characters, company_id from non-admins, private files)."""

from __future__ import annotations

import json
import logging
import re
import time

import pytest
from sqlmodel import select

from interviewer.core import crypto
from interviewer.core.config import get_settings, new_encryption_key, reset_settings_cache
from interviewer.core.redis import get_redis
from interviewer.db import session_scope
from interviewer.models import AuditLog, Company, EmailMessage, PasswordResetToken
from interviewer.services import ai_config
from interviewer.services.cache import company_settings
from tests.api.test_health_metrics import json_log_client, log_entries  # noqa: F401  (fixture)
from tests.factories import PASSWORD, auth, environment, make_admin, make_tenant

KEY = "AIzaSy-super-secret-company-key-0042"
LOGIN = "/api/v1/auth/login"


def login(client, email="hr@acme.test", password=PASSWORD, **headers):
    return client.post(LOGIN, json={"email": email, "password": password}, headers=headers)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def captured_logs():
    """Every record of the app's loggers (all levels), formatted with its metadata."""
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage() + " " + json.dumps(getattr(record, "metadata", {}), default=str))

    handler = Collect(level=logging.DEBUG)
    root = logging.getLogger("interviewer")
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield records
    root.removeHandler(handler)
    root.setLevel(old_level)


# --- 1. company AI keys: write-only, encrypted at rest --------------------------------------------

def test_ai_key_is_write_only_everywhere_and_encrypted_at_rest(api, captured_logs):
    t = make_tenant()
    admin = auth(make_admin())
    r = api.put("/api/v1/ai/config", headers=auth(t.hr), json={"provider": "gemini", "api_key": KEY})
    assert r.status_code == 200 and r.json()["api_key_set"] is True
    answers = [r,
               api.get("/api/v1/ai/config", headers=auth(t.hr)),
               api.get("/api/v1/companies", headers=admin),
               api.get(f"/api/v1/companies/{t.company.id}", headers=admin),
               api.put(f"/api/v1/companies/{t.company.id}", headers=admin, json={"name": "Acme Inc"})]
    for answer in answers:
        assert answer.status_code == 200, answer.text
        assert KEY not in answer.text and "api_key_enc" not in answer.text
    company = answers[3].json()
    assert company["settings"]["ai"]["api_key_set"] is True and "api_key" not in company["settings"]["ai"]
    with session_scope() as s:
        stored = s.get(Company, t.company.id).settings["ai"]
        audit = s.exec(select(AuditLog)).all()
        # the provider the jobs use still gets the real key
        assert ai_config.config_for_company(s, t.company.id).api_key.get_secret_value() == KEY
    assert "api_key" not in stored and crypto.decrypt_secret(stored["api_key_enc"]) == KEY
    assert all(KEY not in json.dumps(a.details) for a in audit) and audit
    cached = [get_redis().get(k) for k in get_redis().keys("cache:*")]
    assert cached and all(KEY not in (v or "") for v in cached)  # the settings cache holds ciphertext only
    assert captured_logs and all(KEY not in line for line in captured_logs)


def test_admin_writing_settings_ai_directly_is_validated_encrypted_and_redacted(api):
    t = make_tenant()
    admin = auth(make_admin())
    r = api.put(f"/api/v1/companies/{t.company.id}", headers=admin,
                json={"settings": {"ai": {"provider": "gemini", "api_key": KEY}, "interview_link_days": 3}})
    assert r.status_code == 200 and KEY not in r.text and r.json()["settings"]["ai"]["api_key_set"] is True
    assert r.json()["settings"]["interview_link_days"] == 3
    forged = api.put(f"/api/v1/companies/{t.company.id}", headers=admin,
                     json={"settings": {"ai": {"api_key_enc": "gAAAA-not-yours"}}})
    assert forged.status_code == 422 and forged.json()["error_code"] == "AI_422"
    bad = api.put(f"/api/v1/companies/{t.company.id}", headers=admin,
                  json={"settings": {"ai": {"provider": "skynet"}}})
    assert bad.status_code == 422
    with session_scope() as s:
        assert crypto.decrypt_secret(s.get(Company, t.company.id).settings["ai"]["api_key_enc"]) == KEY
        details = [a.details for a in s.exec(select(AuditLog).where(AuditLog.action == "company.update"))]
    assert details and KEY not in json.dumps(details)


def test_a_plaintext_key_of_an_older_version_keeps_working_and_never_reaches_the_cache(api):
    t = make_tenant()
    with session_scope() as s:
        s.get(Company, t.company.id).settings = {"ai": {"provider": "gemini", "api_key": KEY}}
    with session_scope() as s:
        assert ai_config.config_for_company(s, t.company.id).api_key.get_secret_value() == KEY
        assert KEY not in json.dumps(company_settings(s, t.company.id))
    r = api.get("/api/v1/ai/config", headers=auth(t.hr))
    assert r.json()["api_key_set"] is True and KEY not in r.text
    with session_scope() as s:  # the re-encrypt command seals it in the database too
        assert ai_config.reencrypt_company_secrets(s)["encrypted_plaintext"] == 1
    with session_scope() as s:
        stored = s.get(Company, t.company.id).settings["ai"]
    assert "api_key" not in stored and crypto.decrypt_secret(stored["api_key_enc"]) == KEY


def test_key_rotation_old_keys_decrypt_and_reencrypt_moves_everything_to_the_new_key(api):
    t = make_tenant()
    old_key = get_settings().ENCRYPTION_KEY
    api.put("/api/v1/ai/config", headers=auth(t.hr), json={"api_key": KEY})
    new_key = new_encryption_key()
    with environment(ENCRYPTION_KEY=new_key):  # the new key alone cannot read the old ciphertext
        with session_scope() as s:
            with pytest.raises(Exception, match="cannot be decrypted"):
                ai_config.config_for_company(s, t.company.id)
    with environment(ENCRYPTION_KEY=new_key, ENCRYPTION_KEYS_OLD=old_key):
        with session_scope() as s:  # during rotation both are accepted
            assert ai_config.config_for_company(s, t.company.id).api_key.get_secret_value() == KEY
        from interviewer.__main__ import main

        assert main(["reencrypt"]) == 0
    with environment(ENCRYPTION_KEY=new_key):  # after re-encryption the old key can go
        with session_scope() as s:
            get_redis().flushdb()
            assert ai_config.config_for_company(s, t.company.id).api_key.get_secret_value() == KEY
    reset_settings_cache()


# --- 2. link tokens never logged ------------------------------------------------------------------

def test_access_log_records_route_templates_not_link_tokens(json_log_client):  # noqa: F811
    client, buf = json_log_client
    token = "secret-link-token-that-must-never-be-logged-123"
    client.get(f"/api/v1/interviews/validate/{token}")
    client.post(f"/api/v1/interviews/live/{token}/ticket")
    entries = log_entries(buf)
    assert token not in buf.getvalue()
    messages = [e["message"] for e in entries]
    assert "GET /api/v1/interviews/validate/{token} 404" in messages
    assert any(m.startswith("POST /api/v1/interviews/live/{token}/ticket") for m in messages)


# --- 3. password change ---------------------------------------------------------------------------

def test_own_password_change_needs_the_current_password_and_ends_every_other_session(api):
    t = make_tenant()
    mine = login(api, "dev@acme.test").json()["access_token"]
    api.cookies.clear()
    other = login(api, "dev@acme.test")
    other_access, other_refresh = other.json()["access_token"], other.cookies["refresh_token"]
    api.cookies.clear()
    url = f"/api/v1/users/{t.employee.id}"
    for body in ({"password": "brand-new-pass-1"}, {"password": "brand-new-pass-1", "current_password": "wrong-one-1"}):
        r = api.put(url, headers=bearer(mine), json=body)
        assert r.status_code == 422 and r.json()["error_code"] == "AUTH_012", r.text
    assert api.get("/api/v1/auth/me", headers=bearer(other_access)).status_code == 200  # nothing changed yet
    r = api.put(url, headers=bearer(mine), json={"password": "brand-new-pass-1", "current_password": PASSWORD})
    assert r.status_code == 200, r.text
    assert api.get("/api/v1/auth/me", headers=bearer(mine)).status_code == 200  # this session goes on
    gone = api.get("/api/v1/auth/me", headers=bearer(other_access))
    assert gone.status_code == 401 and gone.json()["error_code"] == "AUTH_004"
    api.cookies.set("refresh_token", other_refresh, path="/api/v1/auth")
    assert api.post("/api/v1/auth/refresh").status_code == 401
    api.cookies.clear()
    assert login(api, "dev@acme.test").status_code == 401
    assert login(api, "dev@acme.test", "brand-new-pass-1").status_code == 200


def test_password_set_by_hr_ends_all_of_that_users_sessions(api):
    t = make_tenant()
    dev_token = login(api, "dev@acme.test").json()["access_token"]
    r = api.put(f"/api/v1/users/{t.employee.id}", headers=auth(t.hr), json={"password": "reset-by-hr-77"})
    assert r.status_code == 200
    assert api.get("/api/v1/auth/me", headers=bearer(dev_token)).json()["error_code"] == "AUTH_004"


@pytest.mark.parametrize("password,reason", [
    ("aaaaaaaa", "repeated"), ("abcdefgh", "sequence"), ("20242025", "digits"), ("qwertyuiop", "keyboard"),
    ("1qaz2wsx", "keyboard"), ("87654321", "digits"), ("Summer2024!", "common word"), ("P@ssw0rd1", "common word"),
    ("acme2024!", "company"), ("acmedev99", "name"), ("dev@acme.test", "email"),
])
def test_password_policy_refuses_common_and_pattern_passwords_with_the_reason(api, password, reason):
    t = make_tenant()
    r = api.put(f"/api/v1/users/{t.employee.id}", headers=auth(t.employee),
                json={"password": password, "current_password": PASSWORD})
    assert r.status_code == 422 and r.json()["error_code"] == "AUTH_010"
    assert reason in r.json()["detail"], r.json()["detail"]


# --- 4. per-account sign-in throttle --------------------------------------------------------------

def test_guesses_spread_over_many_addresses_are_throttled_per_account(app_with_env):
    make_tenant()
    client = app_with_env(TRUSTED_PROXY_HOPS="1")
    codes = [login(client, password="wrong-password-1", **{"X-Forwarded-For": f"203.0.{i}.9"}).status_code
             for i in range(8)]
    free = get_settings().LOGIN_FREE_FAILURES
    assert codes == [401] * free + [429] * (8 - free)  # each address tried once: no per-IP limit involved
    r = login(client, **{"X-Forwarded-For": "198.18.7.7"})  # the right password, from a ninth address
    assert r.status_code == 429 and r.json()["error_code"] == "AUTH_013"
    assert 0 < int(r.headers["Retry-After"]) <= get_settings().LOGIN_DELAY_CAP_SECONDS
    # an unknown email is throttled exactly the same way (no account enumeration)
    for i in range(8):
        login(client, "ghost@acme.test", "wrong-password-1", **{"X-Forwarded-For": f"203.1.{i}.9"})
    ghost = login(client, "ghost@acme.test", "wrong-password-1", **{"X-Forwarded-For": "198.18.7.8"})
    assert ghost.status_code == 429 and ghost.json()["error_code"] == "AUTH_013"


def test_the_real_user_on_a_known_device_is_never_locked_out(app_with_env):
    make_tenant()
    client = app_with_env(TRUSTED_PROXY_HOPS="1")
    home = {"X-Forwarded-For": "198.51.100.23", "User-Agent": "RealBrowser/1.0"}
    assert login(client, **home).status_code == 200  # the device becomes known
    for i in range(12):
        login(client, password="wrong-password-1", **{"X-Forwarded-For": f"203.0.{i}.9", "User-Agent": "bot"})
    assert login(client, **{"X-Forwarded-For": "198.18.0.1"}).status_code == 429  # a new device waits
    assert login(client, **home).status_code == 200  # the known device signs in at once


def test_the_wait_grows_then_is_capped_and_ends(app_with_env):
    make_tenant()
    client = app_with_env(TRUSTED_PROXY_HOPS="1", LOGIN_DELAY_CAP_SECONDS="40", RATE_LIMIT_AUTH="1000/60")
    waits = []
    for i in range(9):
        r = login(client, password="wrong-password-1", **{"X-Forwarded-For": f"203.0.113.{i}"})
        if r.status_code == 429:
            waits.append(int(r.headers["Retry-After"]))
            # let the wait pass (the counters keep the time of the last failure)
            for key in get_redis().keys("auth:throttle:*"):
                if get_redis().type(key) == "hash":
                    get_redis().hset(key, "last", time.time() - 3600)
    assert login(client, **{"X-Forwarded-For": "198.18.0.1"}).status_code in (200, 429)
    for key in get_redis().keys("auth:throttle:*"):
        if get_redis().type(key) == "hash":
            get_redis().hset(key, "last", time.time() - 3600)
    assert login(client, **{"X-Forwarded-For": "198.18.0.1"}).status_code == 200  # never locked for good
    assert not waits or max(waits) <= 40


def test_trusted_proxy_hops_give_the_real_client_address(app_with_env):
    make_tenant()
    client = app_with_env(TRUSTED_PROXY_HOPS="1", client=("10.0.0.2", 5000))
    # the left-most entry is whatever the client claims; the proxy appended the real one
    assert login(client, **{"X-Forwarded-For": "6.6.6.6, 203.0.113.77"}).status_code == 200
    with session_scope() as s:
        assert [a.details["ip"] for a in s.exec(select(AuditLog).where(AuditLog.action == "auth.login"))] == \
            ["203.0.113.77"]
    from interviewer.core.netaddr import resolve_client_ip

    assert resolve_client_ip("10.0.0.2", "1.1.1.1, 2.2.2.2, 3.3.3.3", trusted=[], hops=2) == "2.2.2.2"
    assert resolve_client_ip("10.0.0.2", None, trusted=[], hops=1) == "10.0.0.2"
    assert resolve_client_ip("10.0.0.2", "garbage", trusted=[], hops=1) == "10.0.0.2"


# --- 6. forgot password ---------------------------------------------------------------------------

def _reset_mails(to: str) -> list[EmailMessage]:
    with session_scope() as s:
        return list(s.exec(select(EmailMessage).where(EmailMessage.to_address == to,
                                                       EmailMessage.kind == "password_reset")))


def _token(mail: EmailMessage) -> str:
    return re.search(r"/reset-password\?token=([\w-]+)", mail.body_text).group(1)


@pytest.fixture
def client(app_with_env):
    """The API with a generous per-IP auth limit: these tests make many auth calls from one address."""
    return app_with_env(RATE_LIMIT_AUTH="1000/60")


def test_forgot_password_answers_the_same_for_unknown_emails_and_mails_a_single_use_link(client):
    api = client
    t = make_tenant()
    dev_session = login(api, "dev@acme.test").json()["access_token"]
    known = api.post("/api/v1/auth/forgot-password", json={"email": "DEV@acme.test"})
    unknown = api.post("/api/v1/auth/forgot-password", json={"email": "nobody@acme.test"})
    assert known.status_code == unknown.status_code == 202 and known.json() == unknown.json()
    assert _reset_mails("nobody@acme.test") == []
    [mail] = _reset_mails("dev@acme.test")
    token = _token(mail)
    with session_scope() as s:
        row = s.exec(select(PasswordResetToken)).one()
    assert row.token_hash != token and token not in row.token_hash and len(row.token_hash) == 64
    weak = api.post("/api/v1/auth/reset-password", json={"token": token, "password": "aaaaaaaa"})
    assert weak.status_code == 422 and weak.json()["error_code"] == "AUTH_010" and "repeated" in weak.json()["detail"]
    ok = api.post("/api/v1/auth/reset-password", json={"token": token, "password": "fresh-start-story-5"})
    assert ok.status_code == 200, ok.text
    again = api.post("/api/v1/auth/reset-password", json={"token": token, "password": "another-story-6"})
    assert again.status_code == 400 and again.json()["error_code"] == "AUTH_014"
    assert api.get("/api/v1/auth/me", headers=bearer(dev_session)).status_code == 401  # sessions ended
    assert login(api, "dev@acme.test", "fresh-start-story-5").status_code == 200
    assert login(api, "dev@acme.test").status_code == 401
    assert t.employee.id


def test_reset_links_expire_and_requests_are_rate_limited_per_account(client):
    api = client
    make_tenant()
    first = api.post("/api/v1/auth/forgot-password", json={"email": "hr@acme.test"})
    for _ in range(4):  # RATE_LIMIT_PASSWORD_RESET 3/900: the answer never changes, the mails stop
        r = api.post("/api/v1/auth/forgot-password", json={"email": "hr@acme.test"})
        assert r.status_code == 202 and r.json() == first.json()
    assert len(_reset_mails("hr@acme.test")) == 3
    token = _token(_reset_mails("hr@acme.test")[0])
    from datetime import timedelta

    from interviewer.core.security import utcnow

    with session_scope() as s:
        for row in s.exec(select(PasswordResetToken)):
            row.expires_at = utcnow() - timedelta(seconds=1)
            s.add(row)
    expired = api.post("/api/v1/auth/reset-password", json={"token": token, "password": "fresh-start-story-5"})
    assert expired.status_code == 400 and expired.json()["error_code"] == "AUTH_014"
    bogus = api.post("/api/v1/auth/reset-password", json={"token": "x" * 43, "password": "fresh-start-story-5"})
    assert bogus.status_code == 400 and bogus.json()["error_code"] == "AUTH_014"


def test_forgot_password_works_for_every_role(client):
    api = client
    t = make_tenant()
    admin = make_admin()
    from tests.factories import make_user
    from interviewer.models import UserRole

    cand = make_user(UserRole.CANDIDATE, None, "cand-reset@example.test", name="Cand Reset")
    for user in (admin, t.hr, t.employee, cand):
        api.post("/api/v1/auth/forgot-password", json={"email": user.email})
        token = _token(_reset_mails(user.email)[0])
        assert api.post("/api/v1/auth/reset-password",
                        json={"token": token, "password": "fresh-start-story-5"}).status_code == 200
        assert login(api, user.email, "fresh-start-story-5").status_code == 200, user.role


# --- 7. lesser ------------------------------------------------------------------------------------

def test_metrics_need_a_token_or_a_private_direct_request(app_with_env):
    public = app_with_env(client=("8.8.8.8", 4000))
    assert public.get("/metrics").status_code == 403
    private = app_with_env(client=("10.0.0.5", 4000))
    assert private.get("/metrics").status_code == 200
    assert private.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403  # via the proxy
    tokened = app_with_env(METRICS_TOKEN="scrape-me-please", client=("8.8.8.8", 4000))
    assert tokened.get("/metrics").status_code == 403
    assert tokened.get("/metrics", headers=bearer("wrong")).status_code == 403
    r = tokened.get("/metrics", headers=bearer("scrape-me-please"))
    assert r.status_code == 200 and "http_requests_total" in r.text


def test_authenticated_api_answers_are_no_store(api):
    t = make_tenant()
    for r in (api.get("/api/v1/auth/me", headers=auth(t.hr)), api.get("/api/v1/users", headers=auth(t.hr)),
              login(api)):
        assert r.status_code == 200 and r.headers["cache-control"] == "no-store"


def test_a_nul_character_is_a_clear_400_not_a_500(api):
    t = make_tenant()
    h = auth(t.hr)
    r = api.post("/api/v1/jobs", headers=h, json={"title": "Backend\u0000Engineer"})
    assert r.status_code == 400 and r.json()["error_code"] == "REQ_003", r.text
    r = api.get("/api/v1/users", headers=h, params={"search": "a\x00b"})
    assert r.status_code == 400 and r.json()["error_code"] == "REQ_003", r.text
    r = api.put("/api/v1/ai/config", headers=h, json={"custom_prompt": "be kind\u0000"})
    assert r.status_code == 400 and r.json()["error_code"] == "REQ_003", r.text


def test_company_id_from_a_non_admin_is_refused(api):
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    h = auth(acme.hr)
    other = str(globex.company.id)
    for r in (api.get("/api/v1/users", headers=h, params={"company_id": other}),
              api.get("/api/v1/ai/config", headers=h, params={"company_id": other}),
              api.get("/api/v1/jobs", headers=h, params={"company_id": other}),
              api.get("/api/v1/interviews", headers=h, params={"company_id": other}),
              api.get("/api/v1/candidates", headers=h, params={"company_id": other}),
              api.post("/api/v1/candidates", headers=h, json={"name": "X", "email": "x@x.test", "company_id": other})):
        assert r.status_code == 403 and r.json()["error_code"] == "PERM_003", (r.request.url, r.text)


def test_files_the_app_writes_are_private(tmp_path):
    from interviewer.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    with engine.connect():
        pass
    engine.dispose()
    assert (tmp_path / "app.db").stat().st_mode & 0o777 == 0o600
