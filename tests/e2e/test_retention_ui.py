"""Data retention in a real browser: HR sets how long interview answers are kept, and the choice
is stored for the company (read back through the REST API) and shown again after a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from interviewer.db import session_scope
from interviewer.services import retention
from tests.api.test_interviews_support import actor_of
from tests.e2e.support import sign_in
from tests.e2e.test_assessment_ui import _shot, console_errors  # noqa: F401  (fixture)
from tests.factories import make_tenant

pytestmark = pytest.mark.browser


def test_hr_sets_retention_periods(harness, page: Page, console_errors):  # noqa: F811
    tenant = make_tenant("Acme")
    base = harness.frontend_url.rstrip("/")
    sign_in(page, base)
    page.goto(base + "/settings/ai")
    card = page.locator("#retention-card")
    expect(card).to_contain_text("Data retention")
    expect(card.locator("#retention-transcripts")).to_contain_text("Keep until deleted")
    card.locator("#retention-transcripts").get_by_role("combobox").click()
    page.get_by_role("option", name="90 days").click()
    card.locator("#retention-resumes").get_by_role("combobox").click()
    page.get_by_role("option", name="2 years").click()
    card.locator("#retention-accommodations").get_by_role("combobox").click()
    page.get_by_role("option", name="1 year").click()
    page.click("#retention-save")
    expect(page.get_by_text("Retention periods saved")).to_be_visible()
    with session_scope() as s:
        policy = retention.get_policy(s, actor_of(tenant.hr))
    assert (policy.transcripts, policy.resumes, policy.reports, policy.accommodations) == (90, 730, None, 365)
    page.reload()
    expect(page.locator("#retention-transcripts")).to_contain_text("90 days")
    expect(page.locator("#retention-resumes")).to_contain_text("2 years")
    expect(page.locator("#retention-accommodations")).to_contain_text("1 year")
    _shot(page, "retention-settings")
    assert console_errors == [], "\n\n".join(console_errors)
