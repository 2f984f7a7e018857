"""Every form control a user reaches on the main pages has an accessible name (a tied label or an
aria-label), and the candidate's own controls answer a click on their visible label: on the
interview's device check, a click on "I prefer to type my answers" flips the switch."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import CandidateStatus, Interview, JobTemplate, Question
from interviewer.services.interviews import issue_link_token
from tests.e2e.support import sign_in
from tests.factories import make_candidate, make_tenant

CONTROLS = ("input:not([type=hidden]):not([type=file]), textarea, button[role=combobox], "
            "button[role=checkbox], button[role=switch]")
UNNAMED = """els => els.filter(e => e.offsetParent !== null)
                   .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                                && !e.getAttribute('aria-labelledby'))
                   .map(e => e.outerHTML.slice(0, 160))"""


def _unnamed(page: Page) -> list[str]:
    page.wait_for_timeout(500)  # the page's last controls mount after its data arrives
    return page.eval_on_selector_all(CONTROLS, UNNAMED)


def _dialog_unnamed(page: Page) -> list[str]:
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    page.wait_for_timeout(300)
    return dialog.locator(CONTROLS).evaluate_all(UNNAMED)


def test_controls_of_the_main_pages_have_accessible_names(harness, page: Page):
    tenant = make_tenant("Acme")
    with session_scope() as s:
        job = JobTemplate(company_id=tenant.company.id, title="Backend Engineer", description="APIs in Python.")
        s.add(job)
        s.flush()
        job_id = job.id
        s.add(Question(job_template_id=job.id, text="Explain what a database index is.", position=0, weight=2,
                       key_points=["Structure: a sorted lookup structure"]))
    cand = make_candidate(tenant.company.id, "riley@example.test", name="Riley Stone")
    base = harness.frontend_url.rstrip("/")
    for path, ready in (("/signup", "Create a candidate account"), ("/register-company", "Register your company"),
                        ("/login", "Sign in")):
        page.goto(base + path)
        expect(page.get_by_role("heading", name=ready)).to_be_visible()
        assert _unnamed(page) == [], path
    sign_in(page, base)
    for path, ready in (("/candidates", "Candidates"), ("/jobs", "Jobs"), ("/users", "Users"),
                        ("/settings/ai", "AI settings"), ("/interviews", "Interviews")):
        page.goto(base + path)
        expect(page.get_by_role("heading", name=ready, exact=True)).to_be_visible()
        assert _unnamed(page) == [], path
    # the dialogs that create things (their selects are named on their triggers)
    for path, opener in (("/users", "Add user"), ("/candidates", "Add candidate"),
                         ("/interviews", "Schedule interview"), ("/jobs", "New job"),
                         (f"/jobs/{job_id}", "Add question")):
        page.goto(base + path)
        page.get_by_role("button", name=opener).first.click()
        assert _dialog_unnamed(page) == [], opener
        if path == f"/jobs/{job_id}":
            expect(page.get_by_label("Key points")).to_be_visible()  # the label names the point's input
        page.keyboard.press("Escape")
    page.goto(base + f"/jobs/{job_id}")
    expect(page.get_by_role("heading", name="Backend Engineer")).to_be_visible()
    assert _unnamed(page) == [], "job page"
    # the icon buttons of a question say which question they act on
    for name in ("Increase the weight of question 1", "Decrease the weight of question 1", "Edit question 1"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    # a candidate's page: the pipeline's stage select and note, the resume and ATS controls
    page.goto(base + f"/candidates/{cand.id}")
    expect(page.get_by_role("heading", name="Riley Stone")).to_be_visible()
    assert _unnamed(page) == [], "candidate page"
    expect(page.get_by_role("combobox", name="Move to stage")).to_be_visible()
    expect(page.get_by_role("textbox", name="Note on the stage change")).to_be_visible()


def test_the_candidate_flips_the_typing_switch_by_its_label(harness, page: Page):
    tenant = make_tenant("Acme")
    cand = make_candidate(tenant.company.id, "casey@example.test", name="Casey Morgan",
                          status=CandidateStatus.INTERVIEW_SCHEDULED)
    now = utcnow()
    with session_scope() as s:
        job = JobTemplate(company_id=tenant.company.id, title="Backend Engineer")
        s.add(job)
        s.flush()
        s.add(Question(job_template_id=job.id, text="Explain what a database index is.", position=0,
                       key_points=["Structure: a sorted lookup structure"]))
        interview = Interview(company_id=tenant.company.id, candidate_id=cand.id, job_template_id=job.id,
                              scheduled_at=now, duration_minutes=30, expires_at=now + timedelta(days=7))
        token = issue_link_token(interview)
        s.add(interview)
    page.goto(harness.frontend_url.rstrip("/") + f"/interview/{token}")
    consent = page.locator("#live-consent")
    expect(consent).to_have_attribute("aria-checked", "false")
    page.get_by_text("I have read how the interview works").click()  # the label, not the box
    expect(consent).to_have_attribute("aria-checked", "true")
    # this test is about the label and the switch, not the microphone: the page's microphone start
    # becomes a no-op that never settles (two CI runs saw Chromium's fake device fail to start, and
    # then typing takes over again after every flip to voice, which is the product's fallback)
    page.wait_for_function("() => window.InterviewPage && window.InterviewPage.startMic")
    page.evaluate("() => { window.InterviewPage.startMic = () => new Promise(() => {}); }")
    page.get_by_role("button", name="Continue to the microphone check").click()
    switch = page.locator("#live-typed-switch")
    expect(switch).to_have_attribute("aria-checked", "false")
    expect(page.get_by_text("Waiting for the microphone")).to_be_visible()
    page.get_by_text("I prefer to type my answers").click()  # the label, not the switch
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(page.locator("#live-start")).to_be_enabled()  # typing needs no microphone
    page.get_by_text("I prefer to type my answers").click()
    expect(switch).to_have_attribute("aria-checked", "false")
    expect(page.locator("#live-start")).to_be_disabled()  # voice waits for the microphone again
    assert _unnamed(page) == []
