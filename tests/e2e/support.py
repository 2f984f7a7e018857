"""Steps many browser tests share."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def sign_in(page: Page, base: str, email: str = "hr@acme.test") -> None:
    """Sign in through the login form as a staff user and land on the dashboard."""
    page.goto(base + "/login")
    page.fill("#login-email", email)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
