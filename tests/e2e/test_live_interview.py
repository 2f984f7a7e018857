"""The candidate's live interview in a real browser with a real (fake) microphone.

Chromium plays a WAV as the microphone (``--use-file-for-fake-audio-capture``) and loops it: one
espeak-ng sentence followed by 20 s of silence, so every spoken answer ends by the server's
end-of-turn decision (``answer_end``) without pressing Done, even when its words are transcribed
late and the 3.5 s patience applies, and the next question opens in a long silence: the test has
time to reload before the looping sentence could answer question 2 by voice. Question 1 (and any follow-up) is
answered by voice through the audio WebSocket and the local Whisper model; the page is then
reloaded mid-interview, resumes at question 2 with answer 1 kept, and question 2 is answered
in typed mode (with a paste, an integrity signal). Then the scoring job runs: the interview has a
verdict and per-question scores, and HR sees them on /interviews/{id}. Interviews answered wholly
by voice, through Whisper and AssemblyAI, with a killed socket: test_live_interview_voice.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import (
    IntegritySignal,
    Interview,
    InterviewStatus,
    JobTemplate,
    Question,
    TranscriptEntry,
)
from interviewer.services.interviews import token_hash  # links are stored as hashes
from tests.e2e.support import sign_in
from tests.factories import make_candidate, make_tenant

SENTENCE = "A stack is last in first out, and a queue is first in first out."
TYPED = ("An index gives faster lookups because the database finds rows without scanning the whole table, "
         "but writes become slower and the index needs extra storage.")


# True when the microphone's level rises after at least a second of quiet: the sentence starts.
SENTENCE_STARTS = """() => {
  const P = window.InterviewPage, now = performance.now();
  const st = window.__onset || (window.__onset = {quietSince: null});
  if (!P) return false;
  if (P.level <= 20) { if (st.quietSince === null) st.quietSince = now; return false; }
  const onset = st.quietSince !== null && now - st.quietSince > 1000;
  st.quietSince = null;
  return onset;
}"""


@pytest.fixture(scope="module")
def answer_wav(tmp_path_factory) -> Path:
    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        pytest.skip("espeak-ng and sox are needed for the fake microphone")
    folder = tmp_path_factory.mktemp("wav")
    raw, wav = folder / "raw.wav", folder / "answer.wav"
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(raw), SENTENCE], check=True)
    # 16 kHz mono 16-bit; 0.3 s of silence before, 20 s after (far longer than the 3.5 s patience)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav), "pad", "0.3", "20"],
                   check=True)
    return wav


@pytest.fixture
def mic_page(fake_mic_page, answer_wav):
    return fake_mic_page(answer_wav)


def _interview(*, expired: bool = False) -> tuple[str, uuid.UUID]:
    tenant = make_tenant("Acme")
    candidate = make_candidate(tenant.company.id, "robin@example.test", name="Robin Rivera")
    token = uuid.uuid4().hex
    with session_scope() as s:
        job = JobTemplate(company_id=tenant.company.id, title="Backend Engineer")
        s.add(job)
        s.flush()
        s.add_all([
            Question(job_template_id=job.id, text="What is a stack and how does it differ from a queue?",
                     position=0, key_points=["last in first out", "queue is first in first out"]),
            Question(job_template_id=job.id, text="Why would you add an index to a database table?", position=1,
                     key_points=["faster lookups", "slower writes", "extra storage"]),
        ])
        now = utcnow()
        interview = Interview(company_id=tenant.company.id, candidate_id=candidate.id, job_template_id=job.id,
                              token=token_hash(token), status=InterviewStatus.SCHEDULED, scheduled_at=now - timedelta(days=3),
                              expires_at=now - timedelta(hours=1) if expired else now + timedelta(days=2),
                              duration_minutes=20)
        s.add(interview)
        s.flush()
        return token, interview.id


def _print_state(when: str, interview_id: uuid.UUID) -> None:
    with session_scope() as s:
        interview = s.get(Interview, interview_id)
        entries = s.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == interview_id)
                         .order_by(TranscriptEntry.seq)).all()
        signals = s.exec(select(IntegritySignal).where(IntegritySignal.interview_id == interview_id)).all()
        print(when, interview.status, "question", interview.current_question_index,
              [(e.kind, e.question_index, e.source, e.text[:40]) for e in entries],
              "signals", [sig.kind for sig in signals])


def test_candidate_answers_by_voice_and_typing_and_gets_a_verdict(mic_page: Page, harness, run_jobs):
    page = mic_page
    token, interview_id = _interview()
    url = harness.frontend_url.rstrip("/") + "/interview/" + token

    # Welcome: what happens, how it is scored, how data is used; consent is required.
    page.goto(url)
    expect(page.locator("#live-welcome")).to_contain_text("Backend Engineer")
    expect(page.get_by_text("audio is turned into text as you speak and is not stored")).to_be_visible()
    # the speech model and the offline judge read English: the candidate is told before starting
    expect(page.get_by_text("The interview is in English, so please answer in English.")).to_be_visible()
    expect(page.locator("#live-accept")).to_be_disabled()
    page.click("#live-consent")
    page.click("#live-accept")

    # Device check: the level meter moves; the test sentence comes back as text.
    page.wait_for_function("+(document.getElementById('live-level')?.dataset.peak || 0) > 0")
    # (the 5 s test recording starts as the looping sentence starts, not in its long silence nor
    # on its last word)
    page.wait_for_function(SENTENCE_STARTS, polling=50, timeout=60_000)
    page.click("#live-test-record")
    expect(page.locator("#live-test-transcript")).to_contain_text(re.compile(r"first", re.IGNORECASE), timeout=45_000)
    page.click("#live-speak-switch")  # no speech synthesis in the test browser
    page.click("#live-start")

    # Question 1 by voice: the live transcript fills, silence ends the answer, question 2 appears
    # (a follow-up, if the AI asks one, is answered the same way).
    expect(page.locator("#live-progress")).to_have_text("Question 1 of 2")
    # (Whisper may or may not put commas in "first in, first out": which it does depends on where
    # the audio was cut for the partials, so on the machine's speed. A partial that may go on ends
    # open - "first in first..." - and the final flashes only until the next question clears the
    # box, so the box is checked for the words heard so far; the stored answer, in full, below.)
    expect(page.locator("#live-transcript")).to_contain_text(re.compile(r"queue is first in,? first", re.IGNORECASE),
                                                             timeout=60_000)
    # The audio socket's "next" (the page script's step) is watched rather than the badge: the
    # microphone loops the answer, so on a slow machine the badge (drawn through the Reflex
    # state) could move on to question 2's own spoken answer before a poll of it saw question 2.
    page.wait_for_function("() => (window.InterviewPage.step || {}).question_index === 1",
                           polling=50, timeout=90_000)

    # What the server holds around the reload, printed for a failure's report (this test once
    # found the interview complete right after the reload when run in the whole browser suite,
    # never alone).
    _print_state("before the reload", interview_id)
    print("page step:", page.evaluate("JSON.stringify(window.InterviewPage.step)"))
    # A reload resumes at the same question; question 2 is typed.
    page.reload()
    _print_state("right after the reload", interview_id)
    expect(page.get_by_text("Welcome back")).to_be_visible()
    page.click("#live-typed-switch")
    page.click("#live-continue")
    expect(page.locator("#live-progress")).to_contain_text("question 2 of 2", ignore_case=True)
    box = page.locator("#live-typed-answer")
    # the question is on screen once the page's session has started it (signals before that have no question)
    page.wait_for_function("window.InterviewPage && window.InterviewPage.active && window.InterviewPage.step "
                           "&& window.InterviewPage.step.question_index === 1")
    box.evaluate("""(el) => { const dt = new DataTransfer(); dt.setData('text/plain', 'pasted');
                   el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true})); }""")
    for _ in range(4):  # the question, then at most the follow-ups the AI asks
        if page.locator("#live-thanks").is_visible():
            break
        box.fill(TYPED)
        page.click("#live-submit")
        expect(page.locator("#live-thanks").or_(page.locator("#live-progress"))).to_be_visible()
        page.wait_for_function("!document.querySelector('#live-submit') || "
                               "!document.querySelector('#live-submit').disabled || "
                               "document.querySelector('#live-thanks')")
        expect(page.locator("#live-typed-answer").or_(page.locator("#live-thanks"))).to_be_visible()
        page.wait_for_timeout(300)
    expect(page.locator("#live-thanks")).to_contain_text("Thank you")

    with session_scope() as s:
        interview = s.get(Interview, interview_id)
        assert interview.status == InterviewStatus.COMPLETED
        answers = s.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == interview_id,
                                                       TranscriptEntry.kind == "answer")
                         .order_by(TranscriptEntry.seq)).all()
        spoken = " ".join(a.text.lower() for a in answers if a.question_index == 0).replace(",", "")
        assert "first in first out" in spoken and all(a.source != "typed" for a in answers if a.question_index == 0)
        assert any(a.question_index == 1 and a.source == "typed" and "faster lookups" in a.text for a in answers)
        kinds = {sig.kind for sig in s.exec(select(IntegritySignal).where(IntegritySignal.interview_id == interview_id))}
        assert {"paste", "typed_mode"} <= kinds

    # The scoring job: a verdict and a score per question, for HR.
    run_jobs()
    with session_scope() as s:
        interview = s.get(Interview, interview_id)
        assert interview.verdict is not None and interview.score is not None
        questions = interview.ai_report["questions"]
        assert len(questions) == 2 and all(q["status"] == "answered" and q["score"] > 0 for q in questions)

        verdict = interview.verdict.value

    # The link is used up now.
    page.goto(url)
    expect(page.locator("#live-error")).to_contain_text("already complete")

    # HR sees the verdict and the per-question report.
    base = harness.frontend_url.rstrip("/")
    sign_in(page, base)
    page.goto(f"{base}/interviews/{interview_id}")
    expect(page.locator("#report-verdict")).to_contain_text(verdict, ignore_case=True)
    expect(page.get_by_text("Why would you add an index to a database table?").first).to_be_visible()


def test_expired_and_unknown_links_show_a_clear_message(page: Page, harness):
    token, _ = _interview(expired=True)
    base = harness.frontend_url.rstrip("/")
    page.goto(base + "/interview/" + token)
    expect(page.locator("#live-error")).to_contain_text("expired")
    expect(page.locator("#live-error")).to_contain_text("Contact the recruiter")
    page.goto(base + "/interview/no-such-link")
    expect(page.locator("#live-error")).to_contain_text("not valid")
