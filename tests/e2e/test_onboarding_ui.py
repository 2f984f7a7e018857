"""Issue 13 items 10, 11 and 13 in a real browser: a new company's getting-started checklist that
ticks itself off, a visitor registering a company, an approval that asks first and a set-password
link that signs in, "Add
candidate" with a resume, a resume uploaded the moment it is chosen, HR's wording of the ATS
advice, the "Awaiting decision" list and one Tab stop per sign-in link. Every page visited has no
console error.

Set E2E_SHOTS=/some/dir to save screenshots of each page."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import (
    Candidate,
    CandidateStatus,
    CompanyRegistrationRequest,
    EmailMessage,
    Interview,
    InterviewStatus,
    JobTemplate,
    UserRole,
    Verdict,
)
from tests.e2e.test_assessment_ui import (
    _shot,
    console_errors,  # noqa: F401  (fixture)
)
from tests.e2e.test_candidates_ui import worker  # noqa: F401  (fixture)
from tests.factories import PASSWORD, make_admin, make_company, make_user

pytestmark = pytest.mark.browser

RESUME = """Ada Lovelace
ada@example.test · London

Summary
Analyst who writes programs for the Analytical Engine; 5 years of experience.

Experience
Analyst, Engine Works, 2021 - present
- Wrote the first published algorithm for Bernoulli numbers
- Cut computation steps by 30% with loops

Education
Mathematics tutoring, University of London, 2015

Skills
Python, SQL, algorithms, statistics
"""


def _sign_in(page: Page, base: str, email: str, landing: str = r"/dashboard$") -> None:
    page.goto(base + "/login")
    page.fill("#login-email", email)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    expect(page).to_have_url(re.compile(landing))


def _step(page: Page, key: str):
    return page.locator(f"#onboarding-{key}")


def test_new_company_hr_sees_the_checklist_tick_itself_off(harness, page: Page, worker, tmp_path: Path,  # noqa: F811
                                                            console_errors):
    company = make_company("Newco")
    make_user(UserRole.HR, company.id, "hr@newco.test", name="Nia Founder")
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base, "hr@newco.test")

    card = page.locator("#onboarding")
    expect(card).to_be_visible()
    expect(page.locator("#onboarding-progress-text")).to_have_text("0 of 5 done")
    for key in ("invite", "job", "questions", "candidates", "interview", "ai"):
        expect(_step(page, key)).to_have_attribute("data-done", "false")
    _shot(page, "onboarding-new-company")

    # Add a candidate with a resume, from the step's own link.
    page.click("#onboarding-go-candidates")
    expect(page).to_have_url(re.compile(r"/candidates$"))
    page.click("#open-add")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Resume (optional)")
    page.fill("#add-name", "Ada Lovelace")
    page.fill("#add-email", "ada@example.test")
    resume = tmp_path / "ada.txt"
    resume.write_text(RESUME)
    page.set_input_files("#add-resume-upload input[type=file]", str(resume))
    expect(dialog).to_contain_text("ada.txt")  # the chosen file is named before saving
    _shot(page, "add-candidate-with-resume", dialog=True)
    page.click("#add-save")
    expect(page).to_have_url(re.compile(r"/candidates/[0-9a-f-]{36}$"))
    expect(page.locator("#resume-text")).to_contain_text("Bernoulli numbers", timeout=60_000)  # extracted by the job
    with session_scope() as s:
        cand = s.exec(select(Candidate).where(Candidate.email == "ada@example.test")).one()
        assert cand.resume_url and cand.company_id == company.id

    # HR's ATS advice speaks about the candidate.
    page.click("#run-ats")
    expect(page.locator("#ats-result")).to_be_visible(timeout=60_000)
    improvements = page.locator("#ats-improvements")
    expect(improvements).to_contain_text("What the resume lacks")
    assert "your" not in improvements.inner_text().lower().split()
    expect(page.locator("#ats-result")).not_to_contain_text("your target role")
    expect(page.locator("#ats-result")).not_to_contain_text("Offline heuristic")
    expect(page.locator("#ats-result")).to_contain_text("ATS score")
    _shot(page, "candidate-ats-for-hr")

    # Two more steps done in the data: a colleague and a job.
    make_user(UserRole.EMPLOYEE, company.id, "dev@newco.test")
    with session_scope() as s:
        s.add(JobTemplate(company_id=company.id, title="Analyst"))
    page.goto(base + "/dashboard")
    expect(page.locator("#onboarding-progress-text")).to_have_text("3 of 5 done")
    for key, done in (("invite", "true"), ("job", "true"), ("questions", "false"), ("candidates", "true"),
                      ("interview", "false")):
        expect(_step(page, key)).to_have_attribute("data-done", done)
    expect(page.locator("#onboarding-go-questions")).to_have_attribute("href", re.compile(r"/jobs/[0-9a-f-]{36}$"))
    _shot(page, "onboarding-three-done")

    # Hidden for the company once dismissed, also after a reload.
    page.click("#onboarding-dismiss")
    expect(card).to_have_count(0)
    page.reload()
    expect(page.locator("#stage-heading")).to_be_visible()
    expect(card).to_have_count(0)
    assert console_errors == [], "\n\n".join(console_errors)


def test_choosing_a_file_on_the_candidate_page_uploads_it_at_once(harness, page: Page, worker, tmp_path: Path,  # noqa: F811
                                                                  console_errors):
    company = make_company("Acme")
    make_user(UserRole.HR, company.id, "hr@acme.test")
    with session_scope() as s:
        cand = Candidate(company_id=company.id, name="Grace Hopper", email="grace@example.test")
        s.add(cand)
        s.flush()
        cid = cand.id
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base, "hr@acme.test")
    page.goto(f"{base}/candidates/{cid}")
    expect(page.get_by_text("No resume yet.")).to_be_visible()
    expect(page.locator("#resume-upload-button")).to_have_count(0)  # no second button to press
    resume = tmp_path / "grace.txt"
    resume.write_text(RESUME.replace("Ada Lovelace", "Grace Hopper").replace("Bernoulli numbers", "COBOL compilers"))
    page.set_input_files("#resume-upload input[type=file]", str(resume))
    expect(page.locator("#resume-text")).to_contain_text("COBOL compilers", timeout=60_000)
    with session_scope() as s:
        assert s.get(Candidate, cid).resume_url
    _shot(page, "resume-uploaded-on-choice")
    # A file the app refuses is reported and not kept as "chosen".
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    page.get_by_text("Replace the resume").click()
    page.set_input_files("#resume-upload input[type=file]", str(bad))
    expect(page.locator("#resume-error")).to_be_visible()
    expect(page.locator("#resume-text")).to_contain_text("COBOL compilers")  # the stored resume is unchanged
    assert console_errors == [], "\n\n".join(console_errors)


def _mails_to(address: str) -> list[EmailMessage]:
    with session_scope() as s:
        return list(s.exec(select(EmailMessage).where(EmailMessage.to_address == address)
                           .order_by(EmailMessage.created_at)))


def test_a_visitor_registers_a_company_the_admin_approves_and_the_set_password_link_signs_in(
        harness, page: Page, console_errors):
    make_admin()
    base = harness.frontend_url.rstrip("/")

    # A visitor finds "Register your company" on the sign-in page and sends the form.
    page.goto(base + "/login")
    page.click("#register-company-link")
    expect(page).to_have_url(re.compile(r"/register-company$"))
    expect(page.get_by_role("heading", name="Register your company")).to_be_visible()
    form = page.locator("form")
    form.locator("input[name=company_name]").fill("Brightco")
    form.locator("input[name=domain]").fill("brightco.test")
    form.locator("input[name=contact_name]").fill("Bea Bright")
    form.locator("input[name=contact_email]").fill("Bea@Brightco.test")
    form.locator("textarea[name=message]").fill("Hiring two backend engineers.")
    _shot(page, "register-company-filled")
    form.get_by_role("button", name="Send registration request").click()
    done = page.get_by_text("Request received")
    expect(done).to_be_visible()
    expect(page.get_by_text(re.compile(r"review the registration of Brightco\. We will write to "
                                       r"bea@brightco\.test when it is decided"))).to_be_visible()
    expect(page.locator("form")).to_have_count(0)  # the form is gone: no second request by accident
    _shot(page, "register-company-received")
    with session_scope() as s:
        req = s.exec(select(CompanyRegistrationRequest)
                     .where(CompanyRegistrationRequest.contact_email == "bea@brightco.test")).one()
        assert (req.company_name, req.contact_name, req.domain, req.message, req.status.value) == (
            "Brightco", "Bea Bright", "brightco.test", "Hiring two backend engineers.", "pending")
    assert [m.kind for m in _mails_to("bea@brightco.test")] == ["registration_received"]

    # The system admin sees the request, is asked before approving, and approves it.
    _sign_in(page, base, "admin@example.test")
    page.goto(base + "/admin/company-requests")
    row = page.locator(".registration-request", has_text="Brightco")
    expect(row).to_contain_text("Bea Bright")
    expect(row).to_contain_text("bea@brightco.test")
    expect(row).to_contain_text("brightco.test")
    expect(row).to_contain_text("Hiring two backend engineers.")
    row.locator(".approve-request").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Approve Brightco?")
    expect(dialog).to_contain_text("bea@brightco.test")
    _shot(page, "approve-confirmation")
    dialog.get_by_role("button", name="Cancel").click()
    # nothing happened yet: still pending, no mail beyond the receipt
    assert [m.kind for m in _mails_to("bea@brightco.test")] == ["registration_received"]
    with session_scope() as s:
        assert s.get(CompanyRegistrationRequest, req.id).status.value == "pending"
    row.locator(".approve-request").click()
    page.click("#approve-confirm")
    expect(page.get_by_text("Brightco approved")).to_be_visible()
    mails = [m for m in _mails_to("bea@brightco.test") if m.kind != "registration_received"]
    assert len(mails) == 1
    mail = mails[0]
    assert "approved" in mail.subject and "was approved" in mail.body_text
    link = re.search(r"(/set-password\?token=[\w-]+)", mail.body_text).group(1)

    page.context.clear_cookies()  # sign out: forget the session cookie
    page.goto(base + link)
    page.fill("#set-password-new", "bright-morning-story-8")
    page.fill("#set-password-confirm", "bright-morning-story-8")
    page.click("#set-password-submit")
    expect(page).to_have_url(re.compile(r"/dashboard$"))  # signed in, not sent back to sign in
    expect(page.locator("#dashboard-company")).to_have_text("Brightco")
    expect(page.locator("#onboarding")).to_be_visible()
    _shot(page, "set-password-signed-in")
    assert console_errors == [], "\n\n".join(console_errors)


def test_each_sign_in_link_is_one_tab_stop(harness, page: Page, console_errors):
    base = harness.frontend_url.rstrip("/")
    page.goto(base + "/login")
    expect(page.locator("#login-email")).to_be_visible()
    page.focus("#login-submit")
    stops = []
    for _ in range(3):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("() => document.activeElement.id || document.activeElement.tagName"))
    assert stops[:2] == ["register-company-link", "signup-link"], stops  # one stop each, in order
    for link_id in ("register-company-link", "signup-link"):
        tag = page.evaluate(f"() => document.getElementById('{link_id}').tagName")
        nested = page.evaluate(f"() => document.getElementById('{link_id}').querySelectorAll('button, a').length")
        assert (tag, nested) == ("A", 0)
    assert console_errors == [], "\n\n".join(console_errors)


def test_the_awaiting_decision_card_opens_the_exact_list(harness, page: Page, console_errors):
    from tests.e2e.test_journeys_ui import _scored_interview

    company = make_company("Acme")
    make_user(UserRole.HR, company.id, "hr@acme.test")
    waiting = _scored_interview(company.id)
    with session_scope() as s:  # finished too, but decided: the candidate has an offer
        olga = Candidate(company_id=company.id, name="Olga Offered", email="olga@example.test",
                         status=CandidateStatus.OFFER)
        s.add(olga)
        s.flush()
        s.add(Interview(company_id=company.id, candidate_id=olga.id, token=uuid.uuid4().hex,
                        status=InterviewStatus.COMPLETED, scheduled_at=utcnow(), completed_at=utcnow(),
                        verdict=Verdict.PASS, score=80))
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base, "hr@acme.test")
    page.locator("#awaiting-review").get_by_role("link", name=re.compile("finished interview")).click()
    expect(page).to_have_url(re.compile(r"/interviews\?status=awaiting$"))
    expect(page.get_by_text("Robin Rivera")).to_be_visible()
    expect(page.get_by_text("Olga Offered")).to_have_count(0)
    page.goto(base + "/interviews?status=completed")  # "completed" alone lists both
    expect(page.get_by_text("Olga Offered")).to_be_visible()
    page.goto(base + "/interviews?status=awaiting")
    expect(page.get_by_text("Robin Rivera")).to_be_visible()
    expect(page.get_by_role("combobox").first).to_contain_text("Awaiting decision")  # the filter shown
    _shot(page, "interviews-awaiting")
    assert uuid.UUID(str(waiting))
    assert console_errors == [], "\n\n".join(console_errors)
