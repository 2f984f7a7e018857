"""A candidate's data rights in a real browser: download a copy of their data from /me, then erase
it; the account is closed and the notice says so."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from interviewer.models import UserRole
from tests.e2e.test_assessment_ui import _shot, console_errors  # noqa: F401  (fixture)
from tests.factories import PASSWORD, make_candidate, make_tenant, make_user

pytestmark = pytest.mark.browser


def _sign_in(page: Page, base: str) -> None:
    page.goto(base + "/login")
    page.fill("#login-email", "robin@example.test")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")


def test_candidate_downloads_then_erases_their_data(harness, page: Page, console_errors):  # noqa: F811
    acme = make_tenant("Acme")
    user = make_user(UserRole.CANDIDATE, None, "robin@example.test", name="Robin Rivera")
    make_candidate(acme.company.id, "robin@example.test", name="Robin Rivera", user_id=user.id,
                   resume_text="Robin Rivera\nBackend engineer")
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base)
    expect(page).not_to_have_url(re.compile(r"/login"))
    page.goto(base + "/me")
    card = page.locator("#your-data")
    expect(card).to_contain_text("Download a copy of everything")
    with page.expect_download() as info:
        page.click("#data-download")
    data = json.loads(open(info.value.path(), encoding="utf-8").read())
    assert data["account"]["email"] == "robin@example.test"
    assert data["applications"][0]["company"] == "Acme"

    page.click("#erase-open")
    page.fill("#erase-confirm", "someone-else@example.test")
    page.click("#erase-submit")
    expect(page.get_by_text("Type your account's email address")).to_be_visible()  # refused, nothing erased
    page.fill("#erase-confirm", "robin@example.test")
    _shot(page, "erase-dialog")
    page.click("#erase-submit")
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_text("Your personal data was erased and your account closed.")).to_be_visible()
    _sign_in(page, base)
    expect(page.locator("#login-error, [role=alert]").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login"))
    assert console_errors == [], "\n\n".join(console_errors)
