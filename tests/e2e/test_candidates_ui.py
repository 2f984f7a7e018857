"""Candidates in a real browser: HR imports a CSV through the dialog (a real RQ worker runs the
import job while the dialog polls its progress), sees the report counts and the new rows, opens a
candidate, moves them along the pipeline and sees the history entry."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from interviewer.models import CandidateStatus
from tests.e2e.conftest import ROOT
from tests.factories import PASSWORD, make_candidate, make_tenant

CSV = (
    "Full Name,E-mail,Phone,Source\n"
    "Lara Croft,lara.croft@example.test,+44 20 7946 0001,referral\n"
    "Nathan Drake,nathan.drake@example.test,,linkedin\n"
    "No Email,not-an-email,,linkedin\n"
    "Ana Existing,ana@example.test,,agency\n"
)


@pytest.fixture
def worker():
    """A real RQ worker process on the suite's Redis and database (inherits the test env)."""
    proc = subprocess.Popen([sys.executable, "-m", "interviewer", "worker", "--queues", "default"], cwd=ROOT,
                            env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.fill("#login-email", email)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def test_hr_imports_csv_and_moves_a_candidate(harness, page: Page, worker, tmp_path: Path):
    tenant = make_tenant("Acme")
    make_candidate(tenant.company.id, "ana@example.test", name="Ana Existing", status=CandidateStatus.NEW)
    other = make_tenant("Globex")
    make_candidate(other.company.id, "zed@example.test", name="Zed Other", status=CandidateStatus.NEW)
    base = harness.frontend_url.rstrip("/")
    csv_file = tmp_path / "candidates.csv"
    csv_file.write_text(CSV, encoding="utf-8")

    _sign_in(page, base, "hr@acme.test")
    page.goto(base + "/candidates")
    table = page.locator("#candidates-table")
    expect(table).to_contain_text("Ana Existing")
    expect(table).not_to_contain_text("Zed Other")  # another company's candidate never shows

    # A file that is not a candidate list is refused inline, before anything is written.
    page.click("#open-import")
    bad = tmp_path / "bad.csv"
    bad.write_text("first;second\n1;2\n", encoding="utf-8")
    page.set_input_files("#csv-upload input[type=file]", str(bad))
    expect(page.locator("#import-chosen")).to_have_text("bad.csv")
    page.click("#import-start")
    expect(page.locator("#import-dialog [role=alert]")).to_contain_text("separated by semicolons")

    # The real file: progress, then the report with the counts and the problem row.
    page.set_input_files("#csv-upload input[type=file]", str(csv_file))
    expect(page.locator("#import-chosen")).to_have_text("candidates.csv")
    page.click("#import-start")
    expect(page.locator("#import-done")).to_contain_text("candidates.csv", timeout=45_000)
    expect(page.locator("#import-created")).to_have_text("2")
    expect(page.locator("#import-skipped")).to_have_text("1")
    expect(page.locator("#import-errors")).to_have_text("1")
    expect(page.locator("#import-dialog")).to_contain_text("not-an-email")
    with page.expect_download() as download:
        page.click("#import-report")
    assert b"lara.croft@example.test,created" in Path(download.value.path()).read_bytes()
    page.click("#import-close")
    expect(table).to_contain_text("Lara Croft")
    expect(page.locator("#candidates-total")).to_contain_text("3 candidates")

    # Search narrows the list (any part of the name or email).
    page.fill("#candidate-search", "nath")
    expect(table).to_contain_text("Nathan Drake")
    expect(table).not_to_contain_text("Lara Croft")

    # Open a candidate and move them to screening with a note: the history shows who, what and why.
    page.get_by_role("link", name="Nathan Drake").click()
    expect(page).to_have_url(re.compile(r"/candidates/[0-9a-f-]{36}$"))
    expect(page.locator("#candidate-name")).to_have_text("Nathan Drake")
    expect(page.locator("#candidate-status")).to_have_text("New")
    history = page.locator("#status-history")
    expect(history).to_contain_text("CSV import")
    # a NUL pasted with a PDF's text: the database refuses it; the page says so and nothing moves
    page.fill("#status-note", "Phone\x00 screen")
    page.click("#status-submit")
    expect(page.get_by_text("invisible NUL character")).to_be_visible()
    expect(page.locator("#candidate-status")).to_have_text("New")
    page.fill("#status-note", "Phone screen booked")
    page.click("#status-submit")  # the first allowed next stage, Screening, is preselected
    expect(page.locator("#candidate-status")).to_have_text("Screening")
    expect(history.locator(".timeline-item").first).to_contain_text("Screening")
    expect(history.locator(".timeline-item").first).to_contain_text("Phone screen booked")
    expect(history.locator(".timeline-item").first).to_contain_text("Acme HR")
    expect(history.locator(".timeline-item")).to_have_count(2)

    # The change is real: a reload shows the same.
    page.reload()
    expect(page.locator("#candidate-status")).to_have_text("Screening")
    expect(page.locator("#status-history .timeline-item")).to_have_count(2)
