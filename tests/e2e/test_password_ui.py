"""Passwords in a real browser (issue 12): "Forgot password?" on the sign-in page, the emailed
single-use reset link, the policy's reason shown, and the signed-in password change that needs the
current password and ends the other sessions."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from interviewer.core.errors import AuthenticationError
from interviewer.db import session_scope
from interviewer.models import EmailMessage
from interviewer.services.auth import authenticate_access_token
from tests.factories import PASSWORD, make_tenant, token_for


def _reset_link(email: str) -> str:
    with session_scope() as s:
        mail = s.exec(select(EmailMessage).where(EmailMessage.to_address == email,
                                                 EmailMessage.kind == "password_reset")).one()
    return re.search(r"(/reset-password\?token=[\w-]+)", mail.body_text).group(1)


def _sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.fill("#login-email", email)
    page.fill("#login-password", password)
    page.click("#login-submit")


def test_forgot_password_from_the_sign_in_page_to_a_new_password(harness, page: Page):
    make_tenant("Acme")
    base = harness.frontend_url.rstrip("/")
    page.goto(base + "/login")
    page.click("#forgot-password-link")
    expect(page).to_have_url(re.compile(r"/forgot-password$"))
    page.fill("#forgot-email", "dev@acme.test")
    page.click("#forgot-submit")
    expect(page.locator("#forgot-sent")).to_contain_text("If an account exists for this address")

    page.goto(base + _reset_link("dev@acme.test"))
    page.fill("#reset-password", "fresh-start-story-5")
    page.fill("#reset-confirm", "fresh-start-story-6")
    page.click("#reset-submit")
    expect(page.locator("#reset-error")).to_contain_text("The two passwords do not match.")
    page.fill("#reset-password", "aaaaaaaa")
    page.fill("#reset-confirm", "aaaaaaaa")
    page.click("#reset-submit")
    expect(page.locator("#reset-error")).to_contain_text("repeated")  # the reason is shown
    page.fill("#reset-password", "fresh-start-story-5")
    page.fill("#reset-confirm", "fresh-start-story-5")
    page.click("#reset-submit")
    expect(page.locator("#reset-done")).to_contain_text("Password changed")

    _sign_in(page, base, "dev@acme.test", PASSWORD)  # the old password is gone
    expect(page.locator("#login-error")).to_contain_text("Invalid email or password.")
    page.fill("#login-password", "fresh-start-story-5")
    page.click("#login-submit")
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def test_change_password_needs_the_current_one_and_ends_other_sessions(harness, page: Page):
    tenant = make_tenant("Acme")
    base = harness.frontend_url.rstrip("/")
    other_session = token_for(tenant.hr)  # e.g. a stolen token on another machine
    _sign_in(page, base, "hr@acme.test", PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.click("#change-password-link")
    expect(page).to_have_url(re.compile(r"/account/password$"))

    page.fill("#current-password", "not-my-password")
    page.fill("#new-password", "brighter-morning-41")
    page.fill("#confirm-password", "brighter-morning-41")
    page.click("#change-password-submit")
    expect(page.locator("#change-password-error")).to_contain_text("current password is not correct")

    page.fill("#current-password", PASSWORD)
    page.fill("#new-password", "qwertyuiop")
    page.fill("#confirm-password", "qwertyuiop")
    page.click("#change-password-submit")
    expect(page.locator("#change-password-error")).to_contain_text("keyboard pattern")

    page.fill("#current-password", PASSWORD)
    page.fill("#new-password", "brighter-morning-41")
    page.fill("#confirm-password", "brighter-morning-41")
    page.click("#change-password-submit")
    expect(page.locator("#change-password-done")).to_be_visible()

    with session_scope() as s, pytest.raises(AuthenticationError):
        authenticate_access_token(s, other_session)  # the other session has ended
    page.goto(base + "/dashboard")  # this browser's session goes on
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_text("Acme HR", exact=True)).to_be_visible()
