"""Scheduling in a real browser: HR opens /interviews, schedules an interview for a candidate
through the dialog (candidate search, job, date and time), gets the personal link, sees the
interview in the list, and finds the invitation email in the outbox."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlmodel import select

from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import (
    CandidateStatus,
    EmailMessage,
    Interview,
    InterviewStatus,
    JobTemplate,
    Question,
)
from interviewer.services.interviews import link_token_of
from tests.e2e.support import sign_in
from tests.factories import make_candidate, make_tenant


def _job(company_id, title: str) -> None:
    with session_scope() as s:
        job = JobTemplate(company_id=company_id, title=title, description="APIs in Python.")
        s.add(job)
        s.flush()
        s.add(Question(job_template_id=job.id, text="Explain what a database index is.", position=0,
                       key_points=["sorted lookup structure", "faster reads", "slower writes"]))


def test_hr_schedules_an_interview_and_the_invitation_is_in_the_outbox(harness, page: Page, run_jobs):
    tenant = make_tenant("Acme")
    _job(tenant.company.id, "Backend Engineer")
    make_candidate(tenant.company.id, "maria@example.test", name="Maria Lopez", status=CandidateStatus.SCREENING)
    make_candidate(tenant.company.id, "tom@example.test", name="Tom Becker", status=CandidateStatus.NEW)
    other = make_tenant("Globex")
    make_candidate(other.company.id, "mara@example.test", name="Mara Other")
    base = harness.frontend_url.rstrip("/")

    sign_in(page, base)

    page.goto(base + "/interviews")
    expect(page.get_by_text("No interviews yet")).to_be_visible()
    page.click("#schedule-open")

    # Candidate search: a prefix of the name, this company's candidates only.
    page.fill("#schedule-candidate-search", "mar")
    expect(page.get_by_role("option", name="Choose Maria Lopez")).to_be_visible()
    expect(page.get_by_role("option", name="Choose Mara Other")).to_have_count(0)
    page.get_by_role("option", name="Choose Maria Lopez").click()
    expect(page.locator("#schedule-candidate-chosen")).to_contain_text("maria@example.test")

    page.click("#schedule-job")
    page.get_by_role("option", name="Backend Engineer").click()
    day = (utcnow() + timedelta(days=2)).date().isoformat()
    page.fill("#schedule-date", day)
    page.fill("#schedule-time", "10:30")
    page.dblclick("#schedule-submit")  # a double click books (and invites) once: .one() below

    # The link and the invitation notice.
    expect(page.locator("#schedule-sent")).to_contain_text("maria@example.test")
    link = page.locator("#schedule-link")
    expect(link).to_have_value(re.compile(r"^http://testserver/interview/[A-Za-z0-9_-]{43}$"))
    with session_scope() as s:
        interview = s.exec(select(Interview)).one()
        assert interview.status == InterviewStatus.SCHEDULED
        raw = link_token_of(interview)  # the database holds only the token's hash
        assert raw and link.input_value().endswith(raw) and raw not in interview.token
        local = page.evaluate("([d, t]) => new Date(`${d}T${t}`).toISOString()", [day, "10:30"])
        assert interview.scheduled_at.isoformat().startswith(local[:16])  # the browser's 10:30, stored in UTC
    page.click("#schedule-close")
    row = page.locator("#interviews-table").get_by_role("row").filter(has_text="Maria Lopez")
    expect(row).to_contain_text("Backend Engineer")
    expect(row).to_contain_text("Scheduled")

    # The invitation is in the outbox (delivered there, no SMTP server in tests).
    run_jobs(("email",))
    with session_scope() as s:
        mail = s.exec(select(EmailMessage).where(EmailMessage.to_address == "maria@example.test")).one()
        assert raw in mail.body_text
    page.goto(base + "/outbox")
    invite = page.get_by_role("row").filter(has_text="maria@example.test")
    expect(invite).to_contain_text("Interview invitation: Backend Engineer at Acme")
    invite.get_by_text("Interview invitation: Backend Engineer at Acme").click()
    expect(page.get_by_role("dialog")).to_contain_text("/interview/" + raw)
