"""Feedback letters in a real browser: HR turns them on, opens a report, edits the drafted letter
and sends it; the outbox holds what HR wrote, addressed to the candidate."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from interviewer.db import session_scope
from interviewer.models import EmailMessage
from tests.e2e.support import sign_in
from tests.e2e.test_assessment_ui import _shot, console_errors  # noqa: F401  (fixture)
from tests.services.test_feedback import _world

pytestmark = pytest.mark.browser


def test_hr_edits_and_sends_a_feedback_letter(harness, page: Page, console_errors):  # noqa: F811
    _, interview = _world()
    base = harness.frontend_url.rstrip("/")
    sign_in(page, base)

    page.goto(f"{base}/interviews/{interview.id}")
    expect(page.locator("#override-open")).to_be_visible()
    expect(page.locator("#feedback-open")).to_have_count(0)  # off until the company turns letters on
    page.goto(base + "/settings/ai")
    page.locator("#feedback-switch").click()
    expect(page.get_by_text("Feedback letters are on.")).to_be_visible()

    page.goto(f"{base}/interviews/{interview.id}")
    page.locator("#feedback-open").click()
    body = page.locator("#feedback-body")
    expect(body).to_have_value(re.compile(r"You explained faster lookups on the indexed columns"))
    expect(body).not_to_have_value(re.compile(r"FAIL|41"))
    body.fill(body.input_value().replace("Kind regards,", "Good luck with your search,"))
    _shot(page, "feedback-letter", dialog=True)
    page.locator("#feedback-send").click()
    expect(page.get_by_text("Feedback letter sent to robin@example.test.")).to_be_visible()
    with session_scope() as s:
        mail = s.exec(select(EmailMessage).where(EmailMessage.kind == "feedback_letter")).one()
        assert mail.to_address == "robin@example.test" and "Good luck with your search," in mail.body_text
    assert console_errors == [], "\n\n".join(console_errors)
