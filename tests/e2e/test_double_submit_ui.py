"""A form sent twice by a double click (the second click is queued behind the first on the event
socket) saves once: a job, a question, a user. The scheduling dialog's double click is in
``test_hiring_ui``; the service's refusal of a second booking in ``tests/api``."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlmodel import select

from interviewer.db import session_scope
from interviewer.models import JobTemplate, Question, User
from tests.e2e.support import sign_in
from tests.e2e.test_assessment_ui import console_errors  # noqa: F401  (fixture)
from tests.factories import make_tenant


def test_a_double_click_on_a_create_button_saves_once(harness, page: Page, console_errors):  # noqa: F811
    tenant = make_tenant("Acme")
    base = harness.frontend_url.rstrip("/")
    sign_in(page, base)

    page.goto(base + "/jobs")
    page.get_by_role("button", name="New job").first.click()
    page.fill("#job-title", "Site Reliability Engineer")
    page.dblclick("#job-create")
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", name="Site Reliability Engineer")).to_be_visible()
    page.wait_for_timeout(1000)  # time for a second event to land, were it to create anything
    with session_scope() as s:
        jobs = s.exec(select(JobTemplate).where(JobTemplate.company_id == tenant.company.id)).all()
        assert [j.title for j in jobs] == ["Site Reliability Engineer"]
        job_id = jobs[0].id

    page.get_by_role("button", name="Add question").first.click()
    page.fill("#question-text", "How would you find the cause of a sudden rise in error rates?")
    page.fill("#question-point", "Signals: look at metrics and recent deploys")
    page.dblclick("#question-save")
    expect(page.locator("#question-list")).to_contain_text("sudden rise in error rates")
    page.wait_for_timeout(1000)
    with session_scope() as s:
        questions = s.exec(select(Question).where(Question.job_template_id == job_id)).all()
        assert len(questions) == 1 and questions[0].key_points == ["Signals: look at metrics and recent deploys"]

    page.goto(base + "/users")
    page.get_by_role("button", name="Add user").first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Full name").fill("Robin Reviewer")
    dialog.get_by_label("Email").fill("robin@acme.test")
    page.dblclick("#user-save")
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("robin@acme.test")).to_be_visible()
    page.wait_for_timeout(1000)
    with session_scope() as s:
        assert len(s.exec(select(User).where(User.email == "robin@acme.test")).all()) == 1
    assert not page.get_by_text("already", exact=False).is_visible()  # no error toast from a second save
    assert console_errors == [], "\n\n".join(console_errors)
