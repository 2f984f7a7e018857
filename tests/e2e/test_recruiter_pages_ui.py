"""Issue 13, items 8, 9 and 5 in a real browser: the interview report a recruiter reads in a
minute (and prints), the dashboard that leads with the work waiting, and the employee's own
pages (home, availability, profile and password).

Set E2E_SHOTS=/some/dir to save screenshots of each page."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import (
    Candidate,
    CandidateStatus,
    CandidateStatusHistory,
    EmployeeAvailability,
    IntegritySignal,
    Interview,
    InterviewStatus,
    JobTemplate,
    Question,
    Verdict,
)
from interviewer.services import scoring
from interviewer.services.imports_run import IMPORT_NOTE
from tests.e2e.test_assessment_ui import (
    INDEX_ANSWER,
    INDEX_POINTS,
    INDEX_QUESTION,
    STACK_ANSWER,
    STACK_POINTS,
    STACK_QUESTION,
    _completed_interview,
    _job,
    _shot,
    _sign_in,
    console_errors,  # noqa: F401  (fixture)
)
from tests.factories import PASSWORD, make_admin, make_candidate, make_tenant

pytestmark = pytest.mark.browser


def _scored_interview(company_id: uuid.UUID, *, spent_seconds: int = 90) -> uuid.UUID:
    """A scored two-question interview the candidate finished in ``spent_seconds`` (booked: 30 min)."""
    job_id, _ = _job(company_id, [(STACK_QUESTION, STACK_POINTS), (INDEX_QUESTION, INDEX_POINTS)])
    interview_id = _completed_interview(company_id, job_id, [STACK_ANSWER, INDEX_ANSWER])
    with session_scope() as s:
        interview = s.get(Interview, interview_id)
        interview.duration_minutes = 30
        interview.completed_at = utcnow() - timedelta(minutes=5)
        interview.started_at = interview.completed_at - timedelta(seconds=spent_seconds)
        s.add(interview)
        s.add(IntegritySignal(interview_id=interview_id, kind="paste", detail={"chars": 42, "question_index": 1},
                              occurred_at=interview.started_at + timedelta(seconds=70)))
    scoring.score_interview(interview_id)
    return interview_id


def test_report_reads_like_a_recruiter_wrote_it_and_prints(harness, page: Page, console_errors):
    tenant = make_tenant("Acme")
    interview_id = _scored_interview(tenant.company.id)
    with session_scope() as s:  # a report stored with the old, engineer's wording of a gate reason
        interview = s.get(Interview, interview_id)
        report = dict(interview.ai_report)
        report["quality_gate"] = ["low speech-to-text confidence (0.66)"]
        report["verdict"] = "REVIEW"
        interview.ai_report, interview.verdict = report, Verdict.REVIEW
        s.add(interview)
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base, "hr@acme.test")
    page.goto(f"{base}/interviews/{interview_id}")
    expect(page.locator("#report-candidate")).to_contain_text("Robin Rivera")

    # The time the candidate really spent, not the 30 minutes booked.
    expect(page.locator("#report-time-spent")).to_have_text("1 min 30 s")
    expect(page.get_by_text("30 min booked")).to_be_visible()

    # The verdict, why, and every question's score at a glance, numbered from 1.
    expect(page.locator("#report-why")).to_be_visible()
    glance = page.locator("#report-glance li")
    expect(glance).to_have_count(2)
    expect(glance.nth(0)).to_contain_text("1. " + STACK_QUESTION)
    expect(glance.nth(0)).to_contain_text("/ 5")
    expect(glance.nth(1)).to_contain_text("2. " + INDEX_QUESTION)
    expect(page.locator("#quality-gate")).to_contain_text("Unclear audio")
    expect(page.locator("#quality-gate")).to_contain_text("66% sure")

    # No engineer's wording anywhere on the page.
    text = page.locator(".page-content").inner_text()
    for jargon in ("score_i", "weight_i", "conf.", "question index", "0.66", "5 × 2 / 3"):
        assert jargon not in text, jargon
    second = page.locator("#question-2")
    expect(second).to_contain_text("Key points: 2 of 3 covered")
    expect(page.locator(".report-question .q-number").first).to_have_text("1")

    # The integrity signal names the question as people count it.
    expect(page.get_by_text("during question 2")).to_be_visible()

    # Threshold labels sit under their markers, not at the ends of the bar.
    for label, mark in (("#review-label", ".score-mark:not(.score-mark--pass)"), ("#pass-label", ".score-mark--pass")):
        box, marker = page.locator(label).bounding_box(), page.locator(mark).bounding_box()
        assert box["x"] - 2 <= marker["x"] <= box["x"] + box["width"] + 2, (label, box, marker)
    track = page.locator(".score-track").bounding_box()
    pass_box = page.locator("#pass-label").bounding_box()
    assert pass_box["x"] + pass_box["width"] < track["x"] + track["width"] - 5, "pass label pinned to the end"

    # Quotes decide; the whole answer is folded away (and still there when opened).
    first = page.locator("#question-1")
    expect(first.locator(".point-row .quote").first).to_be_visible()
    expect(first.locator(".answer-box")).not_to_be_visible()
    first.get_by_text("Full answer, quoted words highlighted").click()
    expect(first.locator("mark.evidence-mark").first).to_be_visible()
    _shot(page, "report-recruiter")

    # Print: no navigation or buttons, the transcript in full.
    expect(page.locator("#report-print")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".sidebar")).to_be_hidden()
    expect(page.locator("#report-print")).to_be_hidden()
    expect(page.locator("#report-glance")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('#transcript')).maxHeight") == "none"
    _shot(page, "report-print")
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
    page.emulate_media(media="screen")
    assert console_errors == [], "\n\n".join(console_errors)


def _batch_import(company_id: uuid.UUID, n: int) -> None:
    """``n`` candidates added by one CSV import (as imports_run writes them: one moment, no user)."""
    now = utcnow() - timedelta(minutes=1)
    with session_scope() as s:
        for i in range(n):
            cand = Candidate(company_id=company_id, email=f"import{i}@example.test", name=f"Imported {i:02d}",
                             status=CandidateStatus.NEW, source=IMPORT_NOTE)
            s.add(cand)
            s.flush()
            s.add(CandidateStatusHistory(candidate_id=cand.id, from_status=None, to_status=CandidateStatus.NEW,
                                         changed_by=None, note=IMPORT_NOTE, created_at=now))


def test_dashboard_leads_with_decisions_groups_imports_and_every_card_opens_its_list(harness, page: Page,
                                                                                    console_errors):
    tenant = make_tenant("Acme")
    interview_id = _scored_interview(tenant.company.id)
    with session_scope() as s:
        verdict = s.get(Interview, interview_id).verdict
    _batch_import(tenant.company.id, 50)
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base, "hr@acme.test")

    # First on the page: the finished interview waiting for a decision, linking to its report.
    waiting = page.locator("#awaiting-review")
    expect(waiting).to_contain_text("Robin Rivera")
    expect(waiting).to_contain_text("1 finished interview")
    first_card = page.locator(".page-content .rt-Card").first
    expect(first_card).to_have_id("awaiting-review")
    _shot(page, "dashboard-hr")

    # The import is one row of activity, not fifty.
    activity = page.locator("#recent-activity .activity-row")
    expect(activity.filter(has_text="Imported 50 candidates")).to_have_count(1)
    expect(activity.filter(has_text="Imported 0")).to_have_count(0)
    assert activity.count() <= 3, activity.all_inner_texts()

    # Every KPI card opens its list, filtered.
    for name, url, check in (
            ("Candidates", r"/candidates$", None),
            ("Awaiting decision", r"/interviews\?status=awaiting$", None),
            ("Job templates", r"/jobs$", None),
            ("Upcoming interviews", r"/interviews\?status=scheduled$", None),
            ("Users", r"/users$", None)):
        page.goto(f"{base}/dashboard")
        page.locator(".stat-card").filter(has_text=name).first.click()
        expect(page).to_have_url(re.compile(url))
        if name == "Awaiting decision":  # the list opens on exactly the interviews waiting for a decision
            expect(page.get_by_role("row").filter(has_text="Robin Rivera")).to_have_count(1)
            expect(page.locator("button[role=combobox]").filter(has_text="Awaiting decision")).to_have_count(1)
    page.goto(f"{base}/dashboard")
    page.locator("#stage-new").click()
    expect(page).to_have_url(re.compile(r"/candidates\?status=new$"))
    expect(page.get_by_text(re.compile(r"^Imported \d\d$")).first).to_be_visible()
    expect(page.get_by_text("Robin Rivera")).to_have_count(0)  # interviewed, not new

    # A decision taken (the candidate moved on) empties the list.
    with session_scope() as s:
        interview = s.get(Interview, interview_id)
        cand = s.get(Candidate, interview.candidate_id)
        cand.status = CandidateStatus.OFFER if verdict == Verdict.PASS else CandidateStatus.REJECTED
        s.add(cand)
    page.goto(f"{base}/dashboard")
    expect(page.locator("#awaiting-review")).to_contain_text("Nothing is waiting")
    assert console_errors == [], "\n\n".join(console_errors)


def test_employee_home_availability_and_profile(harness, page: Page, console_errors):
    tenant = make_tenant("Acme")
    job_id, _ = _job(tenant.company.id, [(STACK_QUESTION, STACK_POINTS)])
    cand = make_candidate(tenant.company.id, "lee@example.test", name="Jordan Lee", assigned_to=tenant.employee.id)
    with session_scope() as s:
        s.add(Interview(company_id=tenant.company.id, candidate_id=cand.id, job_template_id=job_id,
                        interviewer_id=tenant.employee.id, token=uuid.uuid4().hex, status=InterviewStatus.SCHEDULED,
                        scheduled_at=utcnow() + timedelta(days=2), expires_at=utcnow() + timedelta(days=9)))
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base, "dev@acme.test")

    # Home: their interviews and availability; nothing they cannot open.
    expect(page.locator("#my-interviews")).to_contain_text("Jordan Lee")
    expect(page.locator("#my-availability")).to_contain_text("no availability set")
    expect(page.locator(".stat-card").filter(has_text="Users")).to_have_count(0)
    expect(page.locator(".stat-card").filter(has_text="Job templates")).to_have_count(0)
    expect(page.locator('a[href="/users"]')).to_have_count(0)
    expect(page.locator('a[href="/jobs"]')).to_have_count(0)
    _shot(page, "dashboard-employee")

    # Availability: add a slot tomorrow, see it listed, and it is kept.
    page.locator("#edit-availability").click()
    expect(page).to_have_url(re.compile(r"/availability$"))
    expect(page.get_by_role("heading", name="My availability")).to_be_visible()
    page.fill("#slot-start", "09:30")
    page.fill("#slot-end", "12:00")
    page.click("#slot-add")
    rows = page.locator("#slot-table .slot-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("09:30 – 12:00")
    expect(rows.first).to_contain_text("2 h 30 min")
    page.fill("#slot-start", "11:00")  # overlapping: refused with the service's reason
    page.fill("#slot-end", "13:00")
    page.click("#slot-add")
    expect(page.get_by_role("alert")).to_contain_text("overlaps")
    page.reload()
    expect(page.locator("#slot-table .slot-row")).to_have_count(1)
    with session_scope() as s:
        slots = s.exec(select(EmployeeAvailability).where(EmployeeAvailability.user_id == tenant.employee.id)).all()
        assert len(slots) == 1 and (slots[0].ends_at - slots[0].starts_at) == timedelta(hours=2, minutes=30)
    _shot(page, "availability")
    page.goto(f"{base}/dashboard")
    expect(page.locator("#my-availability")).to_contain_text("1 availability slot")

    # Profile: name and password (the current one is required).
    page.get_by_role("link", name="My profile").click()
    expect(page).to_have_url(re.compile(r"/me$"))
    page.fill("#me-name", "Alex Dev")
    page.click("#me-save-name")
    expect(page.locator(".user-name")).to_have_text("Alex Dev")
    for current in ("wrong-password", PASSWORD):
        page.fill("#me-current-password", current)
        page.fill("#me-new-password", "Fresh-Harbour-42")
        page.fill("#me-confirm", "Fresh-Harbour-42")
        page.click("#me-change-password")
        if current != PASSWORD:
            expect(page.get_by_role("alert")).to_contain_text("current password is not correct")
    expect(page.locator("#me-password-done")).to_be_visible()
    _shot(page, "me-employee")
    page.reload()  # this session stays signed in
    expect(page.locator("#me-name")).to_have_value("Alex Dev")
    page.get_by_role("button", name="Sign out").click()
    page.fill("#login-email", "dev@acme.test")
    page.fill("#login-password", "Fresh-Harbour-42")
    page.click("#login-submit")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    assert console_errors == [], "\n\n".join(console_errors)


def _titled_job(company_id: uuid.UUID, title: str) -> None:
    with session_scope() as s:
        job = JobTemplate(company_id=company_id, title=title, description="APIs in Python.")
        s.add(job)
        s.flush()
        s.add(Question(job_template_id=job.id, text=STACK_QUESTION, position=0, key_points=STACK_POINTS))


def test_leftovers_schedule_confirmation_admin_dashboard_candidate_page(harness, page: Page, console_errors):
    tenant = make_tenant("Acme")
    for title in ("Zeta Platform Engineer", "alpha Data Analyst", "Backend Engineer"):  # created out of order
        _titled_job(tenant.company.id, title)
    long_email = "maria.fernanda.lopez-garcia.recruiting-pipeline@subsidiary.example-enterprise.test"
    maria = make_candidate(tenant.company.id, long_email, name="Maria Lopez", phone="+44 20 7946 0958",
                           status=CandidateStatus.INTERVIEWED)
    make_admin()
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base, "hr@acme.test")

    # The candidate page: a long email wraps in its cell, clear of the Phone label; the pipeline
    # menu suggests the next stage forward (Offer), not a step back.
    page.goto(f"{base}/candidates/{maria.id}")
    email = page.get_by_role("link", name=long_email)
    phone_label = page.get_by_text("Phone", exact=True)
    expect(email).to_be_visible()
    e, p = email.bounding_box(), phone_label.bounding_box()
    overlap_x = e["x"] < p["x"] + p["width"] and p["x"] < e["x"] + e["width"]
    overlap_y = e["y"] < p["y"] + p["height"] and p["y"] < e["y"] + e["height"]
    assert not (overlap_x and overlap_y), (e, p)
    expect(page.locator("button[role=combobox]").filter(has_text="Offer")).to_have_count(1)
    _shot(page, "candidate-long-email")

    # The scheduler lists jobs by title; its confirmation renders without nesting errors.
    page.goto(f"{base}/interviews")
    page.click("#schedule-open")
    page.fill("#schedule-candidate-search", "mar")
    page.get_by_role("option", name="Choose Maria Lopez").click()
    page.click("#schedule-job")
    options = [o.strip() for o in page.get_by_role("option").all_inner_texts()]
    assert options == ["alpha Data Analyst", "Backend Engineer", "Zeta Platform Engineer"], options
    page.get_by_role("option", name="Backend Engineer").click()
    page.fill("#schedule-date", (utcnow() + timedelta(days=3)).date().isoformat())
    page.fill("#schedule-time", "10:30")
    page.click("#schedule-submit")
    expect(page.locator("#schedule-sent")).to_contain_text(long_email)
    _shot(page, "schedule-confirmation", dialog=True)
    page.click("#schedule-close")

    # The system admin's dashboard.
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, base, "admin@example.test")
    expect(page.get_by_text("company registration requests are waiting")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Companies \d"))).to_be_visible()
    _shot(page, "dashboard-admin")
    assert console_errors == [], "\n\n".join(console_errors)
