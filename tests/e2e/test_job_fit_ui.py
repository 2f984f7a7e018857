"""Job fit in a real browser: HR opens a job, a real RQ worker computes the fits the page asked for,
the page shows the ranking with its reasons; the candidates list sorts by fit; the candidate page
shows the same fit with the same evidence."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from interviewer.db import session_scope
from interviewer.models import JobTemplate
from tests import fit_fixtures as F
from tests.e2e.test_assessment_ui import _shot, console_errors  # noqa: F401  (fixture)
from tests.e2e.test_candidates_ui import worker  # noqa: F401  (fixture)
from tests.factories import PASSWORD, make_candidate, make_tenant

pytestmark = pytest.mark.browser


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.fill("#login-email", email)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def test_hr_ranks_a_jobs_candidates_by_fit(harness, page: Page, worker, console_errors):  # noqa: F811
    tenant = make_tenant("Acme")
    with session_scope() as s:
        job = JobTemplate(company_id=tenant.company.id, title=F.JAVA_JOB_TITLE, description=F.JAVA_JOB)
        s.add(job)
        s.flush()
    people = {"java": "Priya Raman", "python": "Tomas Ortega", "hr": "Alicia Gomez", "listed_only": "Sam Carter"}
    for key, name in people.items():
        make_candidate(tenant.company.id, f"{key}@example.test", name=name, resume_text=F.RESUMES[key],
                       job_template_id=job.id)
    make_candidate(tenant.company.id, "new@example.test", name="Nora Noresume", job_template_id=job.id)
    other = make_tenant("Globex")
    make_candidate(other.company.id, "zed@example.test", name="Zed Other", resume_text=F.JAVA_RESUME)
    base = harness.frontend_url.rstrip("/")

    _sign_in(page, base, "hr@acme.test")
    page.goto(f"{base}/jobs/{job.id}")
    ranking = page.locator("#job-fit")
    expect(ranking).to_contain_text("screening aid")
    # The worker computes what the page asked for; the page polls and fills in the ranking.
    rows = page.locator("#fit-ranking .fit-row")
    expect(rows.first.locator(".fit-name")).to_have_text("Priya Raman", timeout=60_000)
    expect(page.locator("#fit-pending")).to_have_count(0)
    expect(rows).to_have_count(5)
    expect(rows.nth(4)).to_contain_text("Nora Noresume")
    expect(rows.nth(4)).to_contain_text("No resume text yet")
    expect(ranking).not_to_contain_text("Zed Other")
    names = [rows.nth(i).locator(".fit-name").inner_text() for i in range(4)]
    assert names.index("Priya Raman") < names.index("Sam Carter") < names.index("Alicia Gomez")
    expect(rows.first.locator(".fit-score")).to_have_text(re.compile(r"^\d+$"))
    expect(rows.first).to_contain_text("Strong fit")

    # Why: the evidence, then how the number is made from it.
    rows.first.locator(".fit-why").click()
    reasons = rows.first.locator(".fit-reasons")
    expect(reasons).to_contain_text("Skills of the job the resume shows in its work")
    # Quotes of the three most-weighted skills the resume shows in its work (Java, APIs, Hibernate: since
    # fit-4 Hibernate is a skill of its own, asked by the posting, no longer a name for Spring).
    expect(reasons).to_contain_text("Developed order management microservices with Spring Boot, Hibernate and MySQL")
    expect(reasons).to_contain_text("The job asks for 5+ years")
    expect(reasons.locator(".fit-formula")).to_contain_text("25% skills of the job found")
    listed = rows.filter(has_text="Sam Carter")
    listed.locator(".fit-why").click()
    expect(listed.locator(".fit-reasons")).to_contain_text("Only listed, not shown in any work described")
    _shot(page, "job-fit-ranking")

    # The candidates list: a Fit column that sorts best first.
    page.goto(base + "/candidates")
    page.get_by_role("button", name="Sort by fit").click()
    table = page.locator("#candidates-table")
    expect(table.locator("tbody tr").first).to_contain_text("Priya Raman")
    expect(table.locator("tbody tr").first.locator(".fit-badge")).to_have_text(re.compile(r"^\d+$"))

    # The candidate page: the same fit, the same evidence.
    top_score = None
    page.goto(f"{base}/jobs/{job.id}")
    top_score = page.locator("#fit-ranking .fit-row").first.locator(".fit-score").inner_text()
    page.locator("#fit-ranking .fit-name", has_text="Priya Raman").click()
    card = page.locator("#candidate-fit")
    expect(card).to_contain_text("Fit to their job")
    expect(card.locator(".fit-score")).to_have_text(top_score)
    expect(card).to_contain_text("Developed order management microservices with Spring Boot, Hibernate and MySQL")
    _shot(page, "candidate-fit-card")
    assert console_errors == [], "\n\n".join(console_errors)


def test_candidate_sees_format_and_fit_apart_on_the_resume_check(harness, page: Page, worker, tmp_path,  # noqa: F811
                                                                 console_errors):  # noqa: F811
    from interviewer.models import UserRole
    from tests.factories import make_user

    make_user(UserRole.CANDIDATE, None, "casey@example.test", name="Casey Candidate")
    base = harness.frontend_url.rstrip("/")
    resume = tmp_path / "resume.txt"
    resume.write_text(F.JAVA_RESUME, encoding="utf-8")
    page.goto(base + "/login")
    page.fill("#login-email", "casey@example.test")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    expect(page).not_to_have_url(re.compile(r"/login"))
    page.goto(base + "/me/ats")
    page.set_input_files("#ats-upload input[type=file]", str(resume))
    page.fill("#ats-jd", F.JAVA_JOB_TITLE + "\n" + F.JAVA_JOB)
    page.click("#ats-submit")
    expect(page.locator("#ats-result")).to_be_visible(timeout=60_000)
    expect(page.locator("#ats-format")).to_contain_text("Format and readability")
    expect(page.locator("#ats-format-score")).to_have_text(re.compile(r"^\d+/100$"))
    fit = page.locator("#ats-fit")
    expect(fit).to_contain_text("Fit to the posting")
    expect(page.locator("#ats-fit-score")).to_have_text(re.compile(r"^\d+/100$"))
    expect(fit).to_contain_text("Strong fit")
    expect(fit).to_contain_text("Developed order management microservices with Spring Boot, Hibernate and MySQL")
    expect(page.locator("#ats-keywords")).to_contain_text("The posting's skills found")
    _shot(page, "ats-format-and-fit")
    assert console_errors == [], "\n\n".join(console_errors)
