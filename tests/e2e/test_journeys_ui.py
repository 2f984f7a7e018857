"""Issue 13 journeys in a real browser: the styled 404 page with a way back, a deep link kept
across sign-in (and no open redirect), a verdict override reflected on the candidate's page, and
an outbox whose links can be clicked and whose calendar file can be downloaded.

Set E2E_SHOTS=/some/dir to save screenshots of each page."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from interviewer.db import session_scope
from interviewer.models import Interview, User, Verdict
from interviewer.services import interviews as interview_service
from interviewer.services import scoring
from interviewer.services.authz import actor_for
from interviewer.services.interviews import InterviewCreate
from tests.api.test_interviews_support import future
from tests.e2e.test_assessment_ui import (INDEX_ANSWER, INDEX_POINTS, INDEX_QUESTION, STACK_ANSWER, STACK_POINTS,
                                          STACK_QUESTION, _completed_interview, _job, _shot)
from tests.e2e.test_assessment_ui import console_errors  # noqa: F401  (fixture)
from tests.factories import PASSWORD, make_candidate, make_tenant

pytestmark = pytest.mark.browser


def _fill_sign_in(page: Page, email: str) -> None:
    page.fill("#login-email", email)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")


def _scored_interview(company_id: uuid.UUID) -> uuid.UUID:
    job_id, _ = _job(company_id, [(STACK_QUESTION, STACK_POINTS), (INDEX_QUESTION, INDEX_POINTS)])
    interview_id = _completed_interview(company_id, job_id, [STACK_ANSWER, INDEX_ANSWER])
    scoring.score_interview(interview_id)
    return interview_id


def test_unknown_address_shows_a_styled_not_found_page_with_a_way_back(harness, page: Page, console_errors):
    base = harness.frontend_url.rstrip("/")
    page.goto(base + "/login")
    expect(page.locator("#login-email")).to_be_visible()
    page.goto(base + "/no-such-page/at-all")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.locator("#not-found")).to_contain_text("We could not find this page")
    expect(page).to_have_title(re.compile("Page not found"))
    _shot(page, "not-found")
    page.click("#not-found-back")  # back to where the visitor came from
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto(base + "/interviews/x/y/z")
    page.click("#not-found-home")  # home: a signed-out visitor lands on sign-in
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.locator("#login-email")).to_be_visible()
    assert console_errors == [], "\n\n".join(console_errors)


def test_deep_link_survives_sign_in_and_foreign_next_is_ignored(harness, page: Page, console_errors):
    tenant = make_tenant("Acme")
    interview_id = _scored_interview(tenant.company.id)
    base = harness.frontend_url.rstrip("/")

    page.goto(f"{base}/interviews/{interview_id}?tab=report")  # signed out
    expect(page).to_have_url(re.compile(r"/login\?next=" + re.escape(quote(f"/interviews/{interview_id}?tab=report",
                                                                            safe="/"))))
    _shot(page, "login-with-next")
    _fill_sign_in(page, "hr@acme.test")
    expect(page).to_have_url(re.compile(rf"/interviews/{interview_id}\?tab=report$"))
    expect(page.locator("#report-candidate")).to_contain_text("Robin Rivera")

    # A crafted link to another site is not followed: the user goes home instead.
    page.context.clear_cookies()  # sign out: forget the session cookie
    for evil in ("//evil.example/phish", "https://evil.example/", "/\\evil.example"):
        page.goto(f"{base}/login?next={quote(evil, safe='')}")
        _fill_sign_in(page, "hr@acme.test")
        expect(page).to_have_url(re.compile(r"/dashboard$"))
        assert "evil.example" not in page.url
        page.context.clear_cookies()  # sign out: forget the session cookie
    assert console_errors == [], "\n\n".join(console_errors)


def test_override_dialog_and_candidate_page_show_the_decision(harness, page: Page, console_errors):
    tenant = make_tenant("Acme")
    interview_id = _scored_interview(tenant.company.id)
    with session_scope() as s:
        interview = s.get(Interview, interview_id)
        ai_verdict, candidate_id = interview.verdict, interview.candidate_id
    new = Verdict.FAIL if ai_verdict != Verdict.FAIL else Verdict.REVIEW
    base = harness.frontend_url.rstrip("/")
    page.goto(f"{base}/interviews/{interview_id}")
    _fill_sign_in(page, "hr@acme.test")
    expect(page.locator("#report-verdict")).to_contain_text("AI verdict")

    page.click("#override-open")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Override the verdict")
    expect(dialog.locator("[role=radio][data-state=checked]")).to_have_count(0)  # nothing pre-selected
    current = dialog.locator(f"#override-choice-{ai_verdict.value.lower()}")
    expect(current).to_be_disabled()  # the verdict that stands cannot be chosen again
    expect(dialog).to_contain_text("(current)")
    page.fill("#override-reason", "Panel interview showed gaps in data modelling.")
    page.click("#override-save")
    expect(dialog).to_contain_text("Choose the new verdict")
    _shot(page, "override-dialog", dialog=True)
    dialog.locator(f"#override-choice-{new.value.lower()}").click()
    page.click("#override-save")
    expect(page.locator("#override-note")).to_contain_text("Panel interview showed gaps")
    expect(page.locator("#report-verdict")).to_contain_text("Final (overridden)")

    page.goto(f"{base}/candidates/{candidate_id}")
    verdict_cell = page.locator(".interview-verdict")
    expect(verdict_cell).to_contain_text("overridden")
    expect(verdict_cell).not_to_contain_text(ai_verdict.value.capitalize())
    _shot(page, "candidate-interviews-overridden")
    with session_scope() as s:
        assert s.get(Interview, interview_id).verdict_override == new
    assert console_errors == [], "\n\n".join(console_errors)


def test_outbox_links_are_clickable_and_the_calendar_file_downloads(harness, page: Page, console_errors):
    tenant = make_tenant("Acme")
    candidate = make_candidate(tenant.company.id, "casey@example.test", name="Casey Jones")
    job_id, _ = _job(tenant.company.id, [(STACK_QUESTION, STACK_POINTS)])
    start = future(50, minute=35)
    with session_scope() as s:
        actor = actor_for(s, s.get(User, tenant.hr.id))
        interview = interview_service.schedule_interview(
            s, actor, InterviewCreate(candidate_id=candidate.id, job_template_id=job_id, scheduled_at=start))
        link = interview_service.interview_public(interview, actor).interview_link
    base = harness.frontend_url.rstrip("/")
    page.goto(f"{base}/outbox")
    _fill_sign_in(page, "hr@acme.test")
    expect(page).to_have_url(re.compile(r"/outbox$"))
    row = page.get_by_role("row").filter(has_text="Interview invitation")
    expect(row.get_by_label("Has an attachment")).to_be_visible()
    row.get_by_role("link", name=re.compile("Interview invitation")).click()

    body = page.locator("#mail-body")
    expect(body).to_contain_text(f"{start:%a} {start.day} {start:%b %Y, %H:%M} UTC")  # a date a person reads
    anchor = body.get_by_role("link", name=link)
    expect(anchor).to_have_attribute("href", link)  # a real, absolute link
    expect(page.locator("#mail-attachments")).to_contain_text("invite.ics")
    expect(page.locator("#mail-attachments")).to_contain_text("Calendar file (.ics)")
    _shot(page, "outbox-mail", dialog=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download invite.ics").click()
    assert download.value.suggested_filename == "invite.ics"
    ics = Path(download.value.path()).read_text()
    assert "BEGIN:VCALENDAR" in ics and "METHOD:REQUEST" in ics and link in ics.replace("\r\n ", "")
    expect(anchor).to_have_attribute("target", "_blank")  # opens beside the outbox
    assert console_errors == [], "\n\n".join(console_errors)
