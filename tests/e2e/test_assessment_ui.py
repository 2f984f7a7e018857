"""One judgement per key point, in a real browser.

(a) HR opens a job and uses "Try an answer" on a question: a good answer and a keyword list are
    judged key point by key point (status, the quote from the typed answer, the reason) and the
    good answer scores higher; the keyword list gets a plain-language note.
(b) The report of a scored interview shows per-point rows whose quotes are verbatim in the answer,
    who scored it, and "Score again" with a reason: after the RQ job runs, the page shows report
    version 2 and lists version 1 in its history.
(c) A report stored before per-point judgements (covered/missed lists only) still renders.

Set E2E_SHOTS=/some/dir to save screenshots of the dialog and the report."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from interviewer.core.config import get_settings
from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import (
    Interview,
    InterviewScore,
    InterviewStatus,
    JobTemplate,
    Question,
    TranscriptEntry,
    Verdict,
)
from interviewer.services import scoring
from interviewer.services.ai.offline.answer_scoring import SCORER_VERSION
from tests.e2e.support import sign_in as _sign_in  # the name the other browser tests import
from tests.factories import make_candidate, make_tenant

INDEX_QUESTION = "Why would you add an index to a database table?"
INDEX_POINTS = ["Lookups get faster because the database finds rows without scanning the whole table",
                "Writes become slower because every insert or update must also update the index",
                "The index takes extra storage space"]
GOOD = ("An index lets the database find rows without scanning the whole table, so lookups are much faster. "
        "The cost is that inserts and updates get slower, because the index has to be updated as well, "
        "and it takes extra disk space.")
SALAD = "Index, B-tree, lookups, writes, storage, performance."
WRONG = ("An index lets the database find rows without scanning the whole table, so lookups are faster. "
         "Inserts and updates get faster with an index.")
# right on every point, but "can't just touch the table" reads as a bare negation of the writes point
DOUBTED = ("An index lets the database find rows without scanning the whole table, so lookups are faster. "
           "An insert or update can't just touch the table, it must update the index as well, so writes get "
           "slower. It takes extra disk space too.")

STACK_QUESTION = "What is a stack and how does it differ from a queue?"
STACK_POINTS = ["A stack is last in, first out", "A queue is first in, first out",
                "Typical uses, such as undo history for a stack and job scheduling for a queue"]
STACK_ANSWER = ("A stack is last in first out, you always take the newest item first. A queue is first in "
                "first out, like people waiting in a line at a shop. I used a stack to keep the undo history "
                "of a text editor.")
INDEX_ANSWER = ("With an index the database finds rows without scanning the whole table, so lookups get much "
                "faster. Nothing is free though: it takes extra storage on disk.")

pytestmark = pytest.mark.browser


@pytest.fixture
def console_errors(page: Page):
    """Console errors and uncaught exceptions of the page; the test asserts there are none."""
    errors: list[str] = []

    def _console(msg) -> None:
        if msg.type == "error":
            try:  # React logs a template and its arguments: keep both to say what went wrong
                errors.append(" ".join(str(arg.json_value()) for arg in msg.args) or msg.text)
            except Exception:  # noqa: BLE001 - the page may have navigated away meanwhile
                errors.append(msg.text)

    page.on("console", _console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _shot(page: Page, name: str, *, dialog: bool = False) -> None:
    folder = os.environ.get("E2E_SHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    if dialog:  # a dialog scrolls inside the viewport: make the viewport as tall as its content
        height = page.evaluate("document.querySelector('[role=dialog]').scrollHeight")
        page.set_viewport_size({"width": size["width"], "height": height + 100})
        page.wait_for_timeout(300)
    page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=not dialog)
    if dialog:
        page.set_viewport_size(size)


def _job(company_id: uuid.UUID, questions: list[tuple[str, list[str]]]) -> tuple[uuid.UUID, list[uuid.UUID]]:
    with session_scope() as s:
        job = JobTemplate(company_id=company_id, title="Backend Engineer", description="APIs in Python.")
        s.add(job)
        s.flush()
        rows = [Question(job_template_id=job.id, text=text, position=i, key_points=points)
                for i, (text, points) in enumerate(questions)]
        s.add_all(rows)
        s.flush()
        return job.id, [q.id for q in rows]


def _completed_interview(company_id: uuid.UUID, job_id: uuid.UUID, answers: list[str]) -> uuid.UUID:
    """A completed interview with typed answers to every question of the job (not scored yet)."""
    candidate = make_candidate(company_id, "robin@example.test", name="Robin Rivera")
    now = utcnow()
    with session_scope() as s:
        questions = s.exec(select(Question).where(Question.job_template_id == job_id)
                           .order_by(Question.position)).all()
        interview = Interview(company_id=company_id, candidate_id=candidate.id, job_template_id=job_id,
                              token=uuid.uuid4().hex, status=InterviewStatus.COMPLETED,
                              scheduled_at=now - timedelta(hours=1), started_at=now - timedelta(minutes=20),
                              completed_at=now - timedelta(minutes=5), scoring_status="queued")
        s.add(interview)
        s.flush()
        seq = 0
        for index, (question, answer) in enumerate(zip(questions, answers, strict=True)):
            s.add(TranscriptEntry(interview_id=interview.id, seq=seq, question_id=question.id, question_index=index,
                                  kind="question", speaker="interviewer", text=question.text,
                                  started_ms=index * 120_000, ended_ms=index * 120_000 + 5_000, source="tts"))
            s.add(TranscriptEntry(interview_id=interview.id, seq=seq + 1, question_id=question.id,
                                  question_index=index, kind="answer", speaker="candidate", text=answer,
                                  started_ms=index * 120_000 + 8_000, ended_ms=index * 120_000 + 60_000,
                                  source="typed"))
            seq += 2
        return interview.id


def test_hr_tries_a_good_answer_and_a_keyword_list_on_a_question(harness, page: Page, console_errors, monkeypatch):
    tenant = make_tenant("Acme")
    job_id, _ = _job(tenant.company.id, [(STACK_QUESTION, STACK_POINTS), (INDEX_QUESTION, INDEX_POINTS),
                                         ("Tell us about a project you are proud of.", [])])
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base, "hr@acme.test")

    page.goto(f"{base}/jobs/{job_id}")
    expect(page.locator("#job-heading")).to_have_text("Backend Engineer")
    _shot(page, "job-editor")
    page.get_by_role("button", name="Try an answer to question 2").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(INDEX_QUESTION)
    for point in INDEX_POINTS:
        expect(dialog).to_contain_text(point)

    # A good answer: every key point covered, each with a quote from the typed answer.
    page.fill("#try-answer-text", GOOD)
    page.click("#try-answer-score")
    rows = page.locator("#try-points .point-row")
    expect(rows).to_have_count(3)
    expect(page.locator("#try-result")).to_contain_text("offline analysis")
    expect(page.locator("#try-result")).to_contain_text("3 of 3 covered: 5 × 3 / 3 = 5")
    expect(rows.first).to_contain_text("Covered")
    quote = rows.first.locator(".quote").first.inner_text().strip("“”")
    assert quote and quote in GOOD
    good = float(page.locator("#try-score").inner_text())
    _shot(page, "try-answer-good", dialog=True)

    # A keyword list: nothing stated, so nothing covered, and a note says why.
    page.fill("#try-answer-text", SALAD)
    page.click("#try-answer-score")
    expect(page.locator("#try-result")).to_contain_text("Lists terms without stating anything about them")
    expect(page.locator("#try-points .point-row[data-status='covered']")).to_have_count(0)
    salad = float(page.locator("#try-score").inner_text())
    assert good > salad, (good, salad)
    expect(page.locator("#try-error")).to_have_count(0)
    _shot(page, "try-answer-keywords", dialog=True)

    # A wrong statement contradicts its key point, which costs half a point.
    page.fill("#try-answer-text", WRONG)
    page.click("#try-answer-score")
    wrong = page.locator("#try-points .point-row[data-status='contradicted']")
    expect(wrong).to_contain_text("Contradicted")
    expect(wrong).to_contain_text("Inserts and updates get faster with an index.")
    expect(page.locator("#try-result")).to_contain_text("1 contradicted: 5 × (1 ")
    expect(page.locator("#try-result")).to_contain_text("− 0.5) / 3 = ")
    assert float(page.locator("#try-score").inner_text()) < good
    _shot(page, "try-answer-contradiction", dialog=True)

    # A contradiction read only from a bare negation is doubted: partly covered, with its quote and a
    # note that says so (here the answer is right: an update "can't just touch the table").
    page.fill("#try-answer-text", DOUBTED)
    page.click("#try-answer-score")
    doubted = page.locator("#try-points .point-row[data-status='partial']")
    expect(doubted).to_contain_text("Partly covered")
    expect(doubted).to_contain_text("Doubtful: the answer seems to say the opposite of this point, but only "
                                    "through a negation")
    expect(doubted.locator(".quote")).to_contain_text("can't just touch the table")
    expect(page.locator("#try-points .point-row[data-status='contradicted']")).to_have_count(0)
    expect(page.locator("#try-result")).to_contain_text("2 of 3 covered, 1 partly: 5 × (2 + 0.5) / 3 = 4.2")
    _shot(page, "try-answer-doubtful", dialog=True)

    # Too many tries: the AI rate limit is a message in the dialog, the last result stays.
    monkeypatch.setattr(get_settings(), "RATE_LIMIT_AI", "1/3600")
    page.fill("#try-answer-text", GOOD)
    page.click("#try-answer-score")
    expect(page.locator("#try-result")).to_contain_text("3 of 3 covered")
    page.click("#try-answer-score")
    expect(page.locator("#try-error")).to_contain_text("Please wait")
    expect(page.locator("#try-result")).to_contain_text("3 of 3 covered")
    _shot(page, "try-answer-rate-limited", dialog=True)

    # A question without key points: the dialog says there is nothing to score against.
    page.get_by_role("button", name="Close").click()
    page.get_by_role("button", name="Try an answer to question 3").click()
    expect(page.get_by_role("dialog")).to_contain_text("no key points yet")
    expect(page.locator("#try-result")).to_have_count(0)
    expect(page.locator("#try-answer-score")).to_be_disabled()
    _shot(page, "try-answer-no-key-points", dialog=True)
    assert console_errors == [], "\n\n".join(console_errors)


def test_report_shows_point_judgements_and_score_again_keeps_the_history(harness, page: Page, run_jobs,
                                                                         console_errors):
    tenant = make_tenant("Acme")
    # Question 2's key points ask for something the answer does not say: HR corrects them later.
    job_id, question_ids = _job(tenant.company.id, [
        (STACK_QUESTION, STACK_POINTS),
        (INDEX_QUESTION, [INDEX_POINTS[0], "A composite index serves queries on its leading columns",
                          INDEX_POINTS[2]]),
    ])
    interview_id = _completed_interview(tenant.company.id, job_id, [STACK_ANSWER, INDEX_ANSWER])
    scoring.score_interview(interview_id)
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base, "hr@acme.test")

    page.goto(f"{base}/interviews/{interview_id}")
    expect(page.locator("#report-candidate")).to_contain_text("Robin Rivera")
    cards = page.locator(".report-question")
    expect(cards).to_have_count(2)
    first = cards.nth(0)
    expect(first.locator(".point-row")).to_have_count(3)
    expect(first.locator(".point-row[data-status='covered']").first).to_contain_text("Covered")
    quotes = [q.strip("“”") for q in first.locator(".point-row .quote").all_inner_texts()]
    assert quotes and all(q in STACK_ANSWER for q in quotes), quotes
    first.get_by_text("Full answer, quoted words highlighted").click()  # the answer is folded away
    expect(first.locator("mark.evidence-mark").first).to_be_visible()  # the answer, quotes highlighted
    second = cards.nth(1)
    expect(second.locator(".point-row[data-status='missed']")).to_contain_text("A composite index")
    expect(second).to_contain_text("Key points: 2 of 3 covered")
    expect(second).to_contain_text("3.3")

    # Who scored it, and one report so far.
    card = page.locator("#scoring-card")
    expect(card).to_contain_text("offline analysis")
    expect(card).to_contain_text("offline-judge")
    expect(page.locator("#report-version")).to_have_text("version 1")
    expect(page.locator("#score-history")).to_contain_text("only report so far")
    expect(page.locator("#offline-limit")).to_contain_text("a fluent, confidently wrong answer often counts")
    _shot(page, "report-version-1")

    # HR corrects question 2's key points and scores the interview again.
    with session_scope() as s:
        question = s.get(Question, question_ids[1])
        question.key_points = list(INDEX_POINTS[::2])
        s.add(question)
    page.click("#rescore-open")
    page.click("#rescore-save")
    expect(page.get_by_role("dialog")).to_contain_text("at least 5 characters")
    page.fill("#rescore-reason", "Key points of question 2 corrected.")
    page.click("#rescore-save")
    expect(page.locator("#rescore-pending")).to_contain_text("Scoring again")
    expect(page.locator("#rescore-open")).to_be_disabled()
    run_jobs(("high",))

    expect(page.locator("#report-version")).to_have_text("version 2")
    expect(page.locator("#rescore-pending")).to_have_count(0)
    expect(card).to_contain_text("Key points of question 2 corrected.")
    history = page.locator("#score-history .history-row")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("current")
    expect(history.nth(0)).to_contain_text("Key points of question 2 corrected.")
    expect(page.locator("#score-history .history-row[data-version='1']")).to_contain_text("First scoring")
    # each report names the scorer version that made it
    expect(page.locator("#score-history .history-row[data-version='1'] .history-meta")).to_contain_text(
        SCORER_VERSION)
    expect(cards.nth(1).locator(".point-row")).to_have_count(2)
    expect(cards.nth(1).locator(".point-row[data-status='missed']")).to_have_count(0)
    with session_scope() as s:
        versions = s.exec(select(InterviewScore.version).where(InterviewScore.interview_id == interview_id)).all()
        assert sorted(versions) == [1, 2]
    _shot(page, "report-version-2")
    assert console_errors == [], "\n\n".join(console_errors)


def test_a_report_stored_before_point_judgements_still_renders(harness, page: Page, console_errors):
    tenant = make_tenant("Acme")
    job_id, _ = _job(tenant.company.id, [(INDEX_QUESTION, INDEX_POINTS)])
    interview_id = _completed_interview(tenant.company.id, job_id, [INDEX_ANSWER])
    old_report = {
        "score": 67, "verdict": "REVIEW", "provider": "offline", "analysis_label": "offline analysis",
        "thresholds": {"pass": 70, "review": 50}, "quality_gate": [],
        "formula": "sum(score_i / 5 * weight_i) / sum(weight_i) * 100",
        "questions": [{"index": 0, "question": INDEX_QUESTION, "weight": 1, "status": "answered", "score": 3.3,
                       "answer": INDEX_ANSWER, "covered_points": INDEX_POINTS[::2], "missed_points": [INDEX_POINTS[1]],
                       "evidence": ["it takes extra storage on disk"], "flags": [], "rationale": ""}],
    }
    with session_scope() as s:
        interview = s.get(Interview, interview_id)
        interview.ai_report, interview.score, interview.verdict = old_report, 67, Verdict.REVIEW
        interview.scoring_status = "completed"
        s.add(interview)
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base, "hr@acme.test")

    page.goto(f"{base}/interviews/{interview_id}")
    card = page.locator(".report-question")
    expect(card.locator(".point-row[data-status='covered']")).to_have_count(2)
    expect(card.locator(".point-row[data-status='missed']")).to_contain_text("Writes become slower")
    expect(card).to_contain_text("3.3")
    expect(card).to_contain_text("it takes extra storage on disk")  # the evidence list of old reports
    expect(page.locator("#report-version")).to_have_text("version 1")
    _shot(page, "report-stored-before-points")
    assert console_errors == [], "\n\n".join(console_errors)


FEEDBACK_QUESTION = "Tell me about a time you received critical feedback. How did you respond?"
FEEDBACK_POINTS = ["Situation: the feedback and who gave it", "Response: listened without getting defensive",
                   "Action: concrete changes made"]
FEEDBACK_STORY = ("In my first review my manager told me my pull requests were too big and hard to review. I asked "
                  "her for examples instead of arguing. After that I split my work into small pull requests with a "
                  "clear description, and review times dropped from days to hours.")
FEEDBACK_GENERAL = "I always listen to feedback without getting defensive and make concrete changes."


def test_a_story_is_left_to_hr_in_the_playground_and_the_report(harness, page: Page, console_errors):
    """Offline, a real story to a question about the candidate's own experience reads "Not judged"
    with the reason, in the playground and in the report, and the report's total leaves it out;
    general statements to the same question meet no point."""
    tenant = make_tenant("Acme")
    job_id, _ = _job(tenant.company.id, [(STACK_QUESTION, STACK_POINTS), (FEEDBACK_QUESTION, FEEDBACK_POINTS)])
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base, "hr@acme.test")

    page.goto(f"{base}/jobs/{job_id}")
    # the job editor marks the story question before any candidate answers it (offline provider)
    cards = page.locator(".q-card")
    expect(cards.nth(1).locator(".story-badge")).to_contain_text("Story: you read the answer")
    expect(cards.nth(0).locator(".story-badge")).to_have_count(0)
    _shot(page, "job-editor-story")
    page.get_by_role("button", name="Try an answer to question 2").click()
    page.fill("#try-answer-text", FEEDBACK_STORY)
    page.click("#try-answer-score")
    rows = page.locator("#try-points .point-row")
    expect(rows).to_have_count(3)
    for i in range(3):
        expect(rows.nth(i)).to_contain_text("Not judged")
    expect(page.locator("#try-score")).to_have_text("–")
    expect(page.locator("#try-result")).to_contain_text("tells a story from the candidate's own experience")
    _shot(page, "try-answer-story", dialog=True)
    page.fill("#try-answer-text", FEEDBACK_GENERAL)
    page.click("#try-answer-score")
    expect(page.locator("#try-score")).to_have_text("0")
    expect(page.locator("#try-points .point-row[data-status='missed']")).to_have_count(3)
    expect(page.locator("#try-result")).to_contain_text("the answer tells none")
    page.get_by_role("button", name="Close").click()

    interview_id = _completed_interview(tenant.company.id, job_id, [STACK_ANSWER, FEEDBACK_STORY])
    report = scoring.score_interview(interview_id)
    assert report["verdict"] == "REVIEW"
    assert report["score"] == round(100 * report["questions"][0]["score"] / 5)  # the story is not in the total
    page.goto(f"{base}/interviews/{interview_id}")
    cards = page.locator(".report-question")
    expect(cards).to_have_count(2)
    story = cards.nth(1)
    expect(story.locator(".point-row")).to_have_count(3)
    expect(story.locator(".point-row").first).to_contain_text("Not judged")
    expect(story).to_contain_text("Not judged: a person reads this answer")
    expect(page.locator("#report-score-scope")).to_have_text("without question 2, not judged")
    expect(page.locator("body")).to_contain_text("read it yourself")  # the REVIEW reason
    _shot(page, "report-story")
    assert console_errors == [], "\n\n".join(console_errors)


def test_hr_lists_a_wrong_idea_and_the_playground_doubts_an_answer_that_states_it(harness, page: Page,
                                                                                   console_errors):
    from tests.ai.test_red_flags import IDEAS, WRONG as FLUENT_WRONG, WRONG_SENTENCE

    tenant = make_tenant("Acme")
    job_id, (_, index_id) = _job(tenant.company.id, [(STACK_QUESTION, STACK_POINTS), (INDEX_QUESTION, INDEX_POINTS)])
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base, "hr@acme.test")
    page.goto(f"{base}/jobs/{job_id}")
    expect(page.locator("#job-heading")).to_have_text("Backend Engineer")

    page.get_by_role("button", name="Edit question 2").click()
    page.fill("#question-red-flags", f"{IDEAS[0]}\n\n  {IDEAS[1]}  \n")
    _shot(page, "question-wrong-ideas", dialog=True)
    page.click("#question-save")
    card = page.locator(".q-red-flags")
    expect(card).to_contain_text("Wrong ideas to watch for:")
    expect(card).to_contain_text(IDEAS[0])
    _shot(page, "job-editor-wrong-ideas")
    with session_scope() as s:
        assert s.get(Question, index_id).red_flags == IDEAS  # blank lines dropped, each line stripped

    page.get_by_role("button", name="Try an answer to question 2").click()
    expect(page.locator("#try-red-flags")).to_contain_text(IDEAS[1])  # the list the answer is judged with
    page.fill("#try-answer-text", FLUENT_WRONG)
    page.click("#try-answer-score")
    writes = page.locator("#try-points .point-row").nth(1)
    expect(writes).to_contain_text("Doubtful: the quoted sentence resembles a wrong idea you listed")
    expect(writes).to_contain_text(IDEAS[0])
    expect(writes.locator(".quote")).to_contain_text(WRONG_SENTENCE)
    expect(writes).to_have_attribute("data-status", "missed")
    _shot(page, "try-answer-wrong-idea", dialog=True)

    # The same answer in an interview: the report quotes the sentence, names the idea, and a person decides.
    interview_id = _completed_interview(tenant.company.id, job_id, [STACK_ANSWER, FLUENT_WRONG])
    report = scoring.score_interview(interview_id)
    assert report["verdict"] == "REVIEW"
    page.goto(f"{base}/interviews/{interview_id}")
    card = page.locator(".report-question").nth(1)
    expect(card.locator(".point-row").nth(1)).to_contain_text("resembles a wrong idea you listed")
    expect(card).to_contain_text("rests on a doubtful reading of a sentence like a wrong idea you listed")
    expect(card.locator(".report-red-flags")).to_contain_text(IDEAS[1])  # every idea it was judged with
    expect(page.locator(".report-question").nth(0).locator(".report-red-flags")).to_have_count(0)
    expect(page.get_by_text("doubtful reading(s) of a sentence like a wrong idea you listed").first).to_be_visible()
    _shot(page, "report-wrong-idea")
    assert console_errors == [], "\n\n".join(console_errors)


def test_hr_asks_for_suggested_wrong_ideas_and_edits_them_before_saving(harness, page: Page, console_errors):
    from interviewer.services.ai.question_bank import BANK
    from interviewer.services.rubric_playground import NO_OFFLINE_IDEAS

    bank = BANK[0]
    tenant = make_tenant("Acme")
    job_id, (bank_id, _) = _job(tenant.company.id, [(bank.text, list(bank.key_points)),
                                                    ("How do you plan a team offsite for forty people?",
                                                     ["Budget: agree it first", "Venue: book early"])])
    base = harness.frontend_url.rstrip("/")
    _sign_in(page, base, "hr@acme.test")
    page.goto(f"{base}/jobs/{job_id}")
    expect(page.locator("#job-heading")).to_have_text("Backend Engineer")

    # A question like one of the offline bank's: its list is suggested into the box, not saved yet.
    page.get_by_role("button", name="Edit question 1").click()
    page.click("#question-suggest-flags")
    expect(page.locator("#question-flags-note")).to_contain_text(f"{len(bank.red_flags)} suggestions added")
    expect(page.locator("#question-red-flags")).to_have_value("\n".join(bank.red_flags))
    with session_scope() as s:
        assert s.get(Question, bank_id).red_flags == []
    page.fill("#question-red-flags", "\n".join(bank.red_flags[:2]))  # HR keeps two
    _shot(page, "question-suggested-wrong-ideas", dialog=True)
    page.click("#question-save")
    expect(page.locator(".q-red-flags").first).to_contain_text(bank.red_flags[0])
    with session_scope() as s:
        assert s.get(Question, bank_id).red_flags == list(bank.red_flags[:2])

    # Any other question: the offline analysis says what it cannot do, and the box stays as it was.
    page.get_by_role("button", name="Edit question 2").click()
    page.click("#question-suggest-flags")
    expect(page.locator("#question-flags-note")).to_have_text(NO_OFFLINE_IDEAS)
    expect(page.locator("#question-red-flags")).to_have_value("")
    assert console_errors == [], "\n\n".join(console_errors)
