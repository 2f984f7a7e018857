"""Sign-in to dashboard in a real browser: wrong password, dashboard content, reload, silent
refresh of an expired access token, reuse detection of a rotated refresh token, sign-out. The
session is an HttpOnly cookie; no token is ever in the page's reach (services.web_sessions)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from interviewer.core.errors import AuthenticationError
from interviewer.core.security import create_token
from interviewer.db import session_scope
from interviewer.models import CandidateStatus
from interviewer.services import web_sessions
from interviewer.services.auth import authenticate_access_token
from tests.factories import PASSWORD, make_candidate, make_tenant


def _session_cookie(page: Page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == web_sessions.COOKIE_NAME), None)


def _web(page: Page) -> web_sessions.WebSession | None:
    cookie = _session_cookie(page)
    return web_sessions.load(cookie["value"]) if cookie else None


def _page_storage(page: Page) -> str:
    """Everything script on the page can read: both storages and document.cookie."""
    return page.evaluate("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie")


def _expired_access_token(user) -> str:
    token, _, _ = create_token({"sub": str(user.id), "email": user.email, "role": user.role.value,
                                "company_id": str(user.company_id)},
                               expires_in=timedelta(seconds=-60), token_type="access")
    return token


def _sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.fill("#login-email", email)
    page.fill("#login-password", password)
    page.click("#login-submit")


def _expect_dashboard(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.locator("#stage-heading")).to_have_text("Candidates by pipeline stage")
    expect(page.locator("#dashboard-company")).to_have_text("Acme")


def test_hr_signs_in_sees_dashboard_and_stays_signed_in(harness, page: Page):
    tenant = make_tenant("Acme")
    make_candidate(tenant.company.id, "ana@example.test", name="Ana", status=CandidateStatus.NEW)
    make_candidate(tenant.company.id, "ben@example.test", name="Ben", status=CandidateStatus.SCREENING)
    make_candidate(tenant.company.id, "cid@example.test", name="Cid", status=CandidateStatus.SCREENING)
    other = make_tenant("Globex")
    make_candidate(other.company.id, "zed@example.test", name="Zed", status=CandidateStatus.SCREENING)
    base = harness.frontend_url.rstrip("/")

    # A wrong password is refused inline, on the sign-in page.
    _sign_in(page, base, "hr@acme.test", "not-the-password")
    expect(page.locator("#login-error")).to_contain_text("Invalid email or password.")
    expect(page).to_have_url(re.compile(r"/login$"))

    # The right one opens the dashboard: the company, the user and this tenant's stage counts only.
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    _expect_dashboard(page)
    expect(page.get_by_text("Acme HR", exact=True)).to_be_visible()
    expect(page.locator("#stage-screening")).to_contain_text("2")
    expect(page.locator("#stage-new")).to_contain_text("1")
    expect(page.get_by_role("link", name="Roles")).to_be_visible()
    expect(page.get_by_role("link", name="Company requests")).to_have_count(0)

    # A reload keeps the session.
    page.reload()
    _expect_dashboard(page)

    # The session is an HttpOnly, SameSite cookie: script on the page sees no token at all.
    cookie = _session_cookie(page)
    assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    web = _web(page)
    assert web and web.access_token and web.refresh_token
    readable = _page_storage(page)
    assert cookie["value"] not in readable and web.access_token not in readable
    assert web.refresh_token not in readable and "eyJ" not in readable  # no JWT anywhere

    # An expired access token is refreshed silently; the refresh token rotates.
    first_refresh = web.refresh_token
    web_sessions.replace_tokens(cookie["value"], _expired_access_token(tenant.hr))
    page.reload()
    _expect_dashboard(page)
    rotated = _web(page)
    assert rotated and rotated.refresh_token != first_refresh

    # Replaying the rotated refresh token revokes the family: back to sign-in with a message.
    web_sessions.replace_tokens(cookie["value"], _expired_access_token(tenant.hr), first_refresh)
    page.reload()
    # Back to sign-in, remembering the page to return to afterwards.
    expect(page).to_have_url(re.compile(r"/login\?next=(/|%2F)dashboard$"))
    expect(page.get_by_text("Your session expired, please sign in again.")).to_be_visible()
    assert _web(page) is None  # the server forgot the session

    # Sign in again, then sign out: the access token stops working and storage is cleared.
    page.fill("#login-email", "hr@acme.test")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    _expect_dashboard(page)
    token = _web(page).access_token
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    assert _web(page) is None
    with session_scope() as session, pytest.raises(AuthenticationError):
        authenticate_access_token(session, token)
