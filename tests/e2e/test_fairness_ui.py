"""Fairness in a real browser: the candidate's optional self-identification after the interview
(answered, and skipped), and the compliance user's adverse-impact report (the four-fifths flag,
the chart, the CSV download, the printable summary); HR has no way in. Zero console errors.

Set E2E_SHOTS=/some/dir to save screenshots of each page."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import Company, Interview, InterviewStatus, JobTemplate, Question
from interviewer.models.fairness import SelfIdentification
from interviewer.services import cache
from interviewer.services.interviews import token_hash
from tests.e2e.test_assessment_ui import (
    _shot,
    _sign_in,
    console_errors,  # noqa: F401  (fixture)
)
from tests.factories import make_admin, make_candidate, make_tenant
from tests.fairness_fixtures import seed_population
from tests.services.test_fairness_report import compliance_user

pytestmark = pytest.mark.browser
ANSWER = "An index gives faster lookups, but writes become slower and the index needs extra storage."


def _one_question_interview(company_id: uuid.UUID, email: str) -> tuple[str, uuid.UUID]:
    candidate = make_candidate(company_id, email, name="Robin Rivera")
    token = uuid.uuid4().hex
    with session_scope() as s:
        job = s.exec(select(JobTemplate).where(JobTemplate.company_id == company_id)).first()
        if job is None:
            job = JobTemplate(company_id=company_id, title="Backend Engineer")
            s.add(job)
            s.flush()
            s.add(Question(job_template_id=job.id, text="Why would you add an index to a database table?",
                           position=0, key_points=["faster lookups", "slower writes", "extra storage"]))
        now = utcnow()
        interview = Interview(company_id=company_id, candidate_id=candidate.id, job_template_id=job.id,
                              token=token_hash(token), status=InterviewStatus.SCHEDULED, scheduled_at=now,
                              expires_at=now + timedelta(days=2), duration_minutes=20)
        s.add(interview)
        s.flush()
        return token, interview.id


def _take_interview(page: Page, url: str) -> None:
    page.goto(url, timeout=120_000)  # the dev server compiles a route on its first visit
    expect(page.locator("#live-welcome")).to_contain_text("Backend Engineer")
    page.click("#live-consent")
    page.click("#live-accept")
    expect(page.locator("#live-start")).to_be_visible()
    if page.locator("#live-typed-switch").get_attribute("data-state") != "checked":
        page.click("#live-typed-switch")  # no microphone needed
    expect(page.locator("#live-start")).to_be_enabled()
    page.click("#live-start")
    page.fill("#live-typed-answer", ANSWER)
    page.click("#live-submit")
    expect(page.locator("#live-thanks")).to_contain_text("Thank you", timeout=30_000)


def _answers() -> list[tuple[uuid.UUID, str | None, str | None]]:
    with session_scope() as s:
        return [(r.interview_id, r.sex and r.sex.value, r.race_ethnicity and r.race_ethnicity.value)
                for r in s.exec(select(SelfIdentification)).all()]


def test_candidate_answers_or_skips_the_optional_questions(harness, page: Page, console_errors):
    tenant = make_tenant("Acme")
    with session_scope() as s:
        company = s.get(Company, tenant.company.id)
        company.settings = {"interview": {"max_follow_ups": 0}}
        s.add(company)
    cache.invalidate_company_settings(tenant.company.id)
    base = harness.frontend_url.rstrip("/")

    token, interview_id = _one_question_interview(tenant.company.id, "robin@example.test")
    _take_interview(page, f"{base}/interview/{token}")
    form = page.locator("#selfid-form")
    expect(form).to_contain_text("optional")
    expect(form).to_contain_text("never given to the AI")
    expect(page.locator("#selfid-submit")).to_be_disabled()  # nothing chosen yet
    expect(page.locator("#selfid-race")).to_contain_text("Two or more races")
    page.locator("#selfid-sex").get_by_text("Female", exact=True).click()
    page.locator("#selfid-race").get_by_text("Asian", exact=True).click()
    _shot(page, "selfid-form")
    page.click("#selfid-submit")
    expect(page.locator("#selfid-saved")).to_contain_text("saved for the fairness audit only")
    _shot(page, "selfid-saved")
    assert _answers() == [(interview_id, "female", "asian")]

    # Another candidate skips: nothing is stored for them.
    token2, _ = _one_question_interview(tenant.company.id, "sam@example.test")
    _take_interview(page, f"{base}/interview/{token2}")
    expect(page.locator("#selfid-form")).to_be_visible()  # asked again for the new link
    page.click("#selfid-skip")
    expect(page.locator("#selfid-skipped")).to_contain_text("nothing was recorded")
    assert [row[0] for row in _answers()] == [interview_id]
    assert console_errors == [], "\n\n".join(console_errors)


def test_compliance_user_reads_the_report_and_downloads_the_csv(harness, page: Page, console_errors):
    tenant = make_tenant("Acme")
    seed_population(tenant.company.id)
    officer = compliance_user(tenant.company.id)
    base = harness.frontend_url.rstrip("/")

    page.goto(base + "/fairness", timeout=120_000)  # compile the route before timing anything
    _sign_in(page, base, officer.email)
    nav = page.locator(".sidebar")
    expect(nav.get_by_role("link", name="Fairness audit")).to_be_visible()
    nav.get_by_role("link", name="Fairness audit").click()
    expect(page).to_have_url(re.compile(r"/fairness$"))
    expect(page.locator("#fair-summary-applicants")).to_contain_text("52")  # the last year, every job
    page.fill("#fair-from", "2026-03-01")
    page.fill("#fair-to", "2026-06-30")
    page.click("#fair-run")
    page.click("#fair-job")
    page.get_by_role("option", name="Backend Engineer").click()
    expect(page.locator("#fair-summary-applicants")).to_contain_text("50")

    table = page.locator("#fair-table")
    female = table.get_by_role("row").filter(has_text="Female")
    expect(female).to_contain_text("34.8%")
    expect(female).to_contain_text("0.61")
    expect(female.locator(".fair-flag")).to_have_text("Below 4/5")
    expect(table.get_by_role("row").filter(has_text=re.compile(r"^Male"))).to_contain_text("highest")
    expect(page.locator("#fair-chart .recharts-bar-rectangle")).to_have_count(2)
    expect(page.locator("#fair-chart .recharts-reference-line")).to_have_count(1)
    page.locator("#fair-dimension").get_by_role("radio", name="Race/ethnicity", exact=True).click()
    expect(table.get_by_role("row").filter(has_text="Black or African American")).to_contain_text("Too few to judge")
    expect(table.get_by_role("row").filter(has_text="Asian")).to_contain_text("0.80")
    expect(page.locator("#fair-unknown")).to_contain_text("Prefer not to say")
    expect(page.locator("#fair-summary")).to_contain_text("Number of applicants: 50")
    _shot(page, "fairness-report")

    # Printed, only the summary remains (no menu, filters, chart or buttons).
    page.emulate_media(media="print")
    expect(page.locator("#fair-summary")).to_be_visible()
    for hidden in (".sidebar", "#fair-run", "#fair-chart", "#fair-print", "#fair-csv"):
        expect(page.locator(hidden)).to_be_hidden()
    _shot(page, "fairness-print")
    page.emulate_media(media="screen")

    with page.expect_download() as info:
        page.click("#fair-csv")
    download = info.value
    assert download.suggested_filename == "impact-report-2026-03-01-2026-06-30.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "selection,ai_pass,sex,Female,23,8,0.3478,0.6087,,,,yes" in text.splitlines()
    assert console_errors == [], "\n\n".join(console_errors)


def test_a_system_admin_chooses_the_company_to_audit(harness, page: Page, console_errors):
    """The admin audits any company (as the REST API's company_id allows): the page asks which
    one, instead of waiting forever on a report no company was chosen for."""
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    seed_population(acme.company.id)
    admin = make_admin()
    base = harness.frontend_url.rstrip("/")
    page.goto(base + "/fairness", timeout=120_000)
    _sign_in(page, base, admin.email)
    nav = page.locator(".sidebar")
    nav.get_by_role("link", name="Fairness audit").click()
    expect(page).to_have_url(re.compile(r"/fairness$"))
    choice = page.locator("#fair-company")
    expect(choice).to_have_text("Acme")  # the first company by name
    expect(page.locator("#fair-summary-applicants")).to_contain_text("52")
    choice.click()
    page.get_by_role("option", name="Globex").click()
    expect(choice).to_have_text("Globex")
    expect(page.locator("#fair-summary-applicants")).to_have_text(re.compile(r"applicants: 0$"))
    page.click("#fair-job")
    expect(page.get_by_role("option", name="Backend Engineer")).to_have_count(0)  # Acme's job is not Globex's
    page.keyboard.press("Escape")
    assert globex.company.id != acme.company.id
    # The pages of one company's own settings say so and send the admin home instead of hanging.
    for path, what in (("/roles", "Custom roles belong to a company"), ("/settings/ai", "AI settings belong to")):
        page.goto(base + path)
        expect(page).to_have_url(re.compile(r"/dashboard$"))
        expect(page.get_by_text(what)).to_be_visible()
    assert console_errors == [], "\n\n".join(console_errors)


def test_hr_has_no_fairness_page(harness, page: Page, console_errors):
    make_tenant("Acme")
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base, "hr@acme.test")
    nav = page.locator(".sidebar")
    expect(nav.get_by_role("link", name="Candidates", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Fairness audit")).to_have_count(0)
    page.goto(base + "/fairness")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.locator("#fair-summary")).to_have_count(0)


def test_notice_before_consent_and_an_accommodation_request_reaches_hr(harness, page: Page, console_errors):
    from interviewer.models import EmailMessage

    tenant = make_tenant("Acme")
    token, interview_id = _one_question_interview(tenant.company.id, "robin@example.test")
    base = harness.frontend_url.rstrip("/")
    page.goto(f"{base}/interview/{token}", timeout=120_000)
    notice = page.locator("#live-ai-notice")
    expect(notice).to_contain_text("AI evaluates your answers")
    expect(notice).to_contain_text("The audio itself is not stored")
    expect(notice).to_contain_text("Acme keeps this for its retention period")
    expect(notice).to_contain_text("People on the hiring team review every result")
    expect(page.locator("#live-accept")).to_be_disabled()  # the notice comes before consent
    _shot(page, "notice")

    page.click("#live-accommodation-open")
    page.locator("#live-accommodation-kind").get_by_text("More time", exact=True).click()
    page.fill("#live-accommodation-message", "I read slowly; 15 more minutes would help.")
    _shot(page, "accommodation-dialog", dialog=True)
    page.click("#live-accommodation-send")
    expect(page.locator("#live-accommodation-sent")).to_contain_text("answer you by email")
    with session_scope() as s:
        [mail] = s.exec(select(EmailMessage).where(EmailMessage.kind == "accommodation_request")).all()
        assert mail.to_address == "hr@acme.test" and "15 more minutes" in mail.body_text
        assert f"/interviews/{interview_id}" in mail.body_text

    # HR finds it in the outbox, with the interview to open.
    page.context.clear_cookies()  # sign out: forget the session cookie
    _sign_in(page, base, "hr@acme.test")
    page.goto(base + "/outbox")
    expect(page.get_by_text("Accommodation request: Robin Rivera, Backend Engineer")).to_be_visible()
    assert console_errors == [], "\n\n".join(console_errors)
