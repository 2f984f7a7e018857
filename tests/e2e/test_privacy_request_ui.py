"""Candidate rights in a real browser, without an account and on HR's side:

- from the interview link's notice to /privacy-request: ask for a link by email (the same answer
  for any address), open the emailed link, download the data, erase it after a refused and then a
  correct confirmation; the spent link and an unknown one say so;
- HR finds an accommodation request on the dashboard, answers it in the app, and the candidate
  gets the answer by email.

Zero console errors. Set E2E_SHOTS=/some/dir to save screenshots."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from interviewer.db import session_scope
from interviewer.models import (
    AccommodationRequest,
    AccommodationStatus,
    Candidate,
    EmailMessage,
    Interview,
)
from interviewer.services import accommodations, privacy_links
from tests.e2e.test_assessment_ui import _shot, _sign_in, console_errors  # noqa: F401  (fixture)
from tests.e2e.test_fairness_ui import _one_question_interview
from tests.factories import make_tenant

pytestmark = pytest.mark.browser


def _link_token(email: str) -> str:
    with session_scope() as s:
        [mail] = s.exec(select(EmailMessage).where(EmailMessage.kind == privacy_links.MAIL_KIND,
                                                   EmailMessage.to_address == email)).all()
        return re.search(r"/privacy-request\?token=(\S+)", mail.body_text).group(1)


def test_a_candidate_without_an_account_downloads_then_erases_by_link(harness, page: Page,
                                                                      console_errors):  # noqa: F811
    tenant = make_tenant("Acme")
    token, interview_id = _one_question_interview(tenant.company.id, "robin@example.test")
    base = harness.frontend_url.rstrip("/")
    page.goto(f"{base}/interview/{token}", timeout=120_000)
    expect(page.locator("#live-ai-notice")).to_contain_text("with or without an account")
    page.click("#live-privacy-link")
    expect(page).to_have_url(re.compile(r"/privacy-request$"))

    page.fill("#privacy-email", "nobody@example.test")  # unknown: the same answer, no mail
    page.click("#privacy-submit")
    answer = privacy_links.accepted_message()
    expect(page.locator("#privacy-sent")).to_contain_text(answer)
    page.get_by_role("button", name="Use another address").click()
    page.fill("#privacy-email", "Robin@example.test")
    page.click("#privacy-submit")
    expect(page.locator("#privacy-sent")).to_contain_text(answer)  # word for word the same
    with session_scope() as s:
        assert not s.exec(select(EmailMessage).where(EmailMessage.to_address == "nobody@example.test")).all()
    _shot(page, "privacy-sent")

    link = _link_token("robin@example.test")
    page.goto(f"{base}/privacy-request?token={link}")
    held = page.locator("#privacy-held")
    expect(held).to_contain_text("Applications")
    expect(page.get_by_text("keeps the following about")).to_contain_text("Acme")
    _shot(page, "privacy-held")
    with page.expect_download() as info:
        page.click("#privacy-download")
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["account"] is None and data["applications"][0]["company"] == "Acme"
    assert data["applications"][0]["name"] == "Robin Rivera"

    page.click("#privacy-erase-open")
    page.fill("#privacy-erase-confirm", "someone-else@example.test")
    page.click("#privacy-erase-submit")
    expect(page.locator("#privacy-erase-error")).to_contain_text("Type the email address")
    page.fill("#privacy-erase-confirm", "robin@example.test")
    _shot(page, "privacy-erase-dialog", dialog=True)
    page.click("#privacy-erase-submit")
    expect(page.locator("#privacy-erased")).to_contain_text("Acme no longer holds your name")
    with session_scope() as s:
        interview = s.get(Interview, interview_id)
        assert s.get(Candidate, interview.candidate_id).name == "Erased candidate"

    page.reload()  # a reload (or the socket reconnecting) keeps the result on screen
    expect(page.locator("#privacy-erased")).to_be_visible()
    page.goto(f"{base}/privacy-request?token=not-a-real-token")
    expect(page.locator("#privacy-link-error")).to_contain_text("not valid")
    page.click("#privacy-new-link")
    expect(page.locator("#privacy-email")).to_be_visible()
    page.goto(f"{base}/privacy-request?token={link}")  # the link is spent
    expect(page.locator("#privacy-link-error")).to_contain_text("already used")
    expect(page.locator("#privacy-download")).to_have_count(0)
    assert console_errors == [], "\n\n".join(console_errors)


def test_hr_answers_an_accommodation_request_from_the_dashboard(harness, page: Page, console_errors):  # noqa: F811
    tenant = make_tenant("Acme")
    token, interview_id = _one_question_interview(tenant.company.id, "robin@example.test")
    with session_scope() as s:
        accommodations.request_accommodation(s, token, accommodations.AccommodationRequestIn(
            kind="more_time", message="I read slowly; 15 more minutes would help."))
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base, "hr@acme.test")
    card = page.locator("#accommodation-requests")
    expect(card).to_contain_text("Robin Rivera")
    expect(card).to_contain_text("15 more minutes would help")
    expect(card).to_contain_text("1 open")
    _shot(page, "accommodation-card")
    card.get_by_role("button", name="Answer Robin Rivera").click()
    page.click("#accommodation-answer-send")  # empty: refused
    expect(page.get_by_text("Write the answer to send to the candidate.")).to_be_visible()
    page.fill("#accommodation-answer-text", "Of course: you will have 35 minutes. Your link stays the same.")
    _shot(page, "accommodation-answer", dialog=True)
    page.click("#accommodation-answer-send")
    expect(page.get_by_text("Answer emailed to robin@example.test.")).to_be_visible()
    expect(card).to_have_count(0)  # nothing left open
    with session_scope() as s:
        request = s.exec(select(AccommodationRequest)).one()
        assert request.status == AccommodationStatus.ANSWERED and request.interview_id == interview_id
        [mail] = s.exec(select(EmailMessage).where(EmailMessage.kind == "accommodation_answer")).all()
        assert mail.to_address == "robin@example.test" and "35 minutes" in mail.body_text
        candidate_id = s.get(Interview, interview_id).candidate_id
    # The candidate's page keeps the request and the answer with who gave it.
    page.goto(f"{base}/candidates/{candidate_id}")
    requests = page.locator("#candidate-accommodations")
    expect(requests).to_contain_text("More time")
    expect(requests).to_contain_text("15 more minutes would help")
    expect(requests).to_contain_text("Answered")
    expect(requests).to_contain_text("you will have 35 minutes")
    expect(requests).to_contain_text("by Acme HR")
    _shot(page, "candidate-accommodations")
    assert console_errors == [], "\n\n".join(console_errors)
