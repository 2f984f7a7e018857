"""The live interview service on PostgreSQL: link states, the append-only transcript (also
under concurrent writers), follow-ups with the offline provider, idempotency, reloads,
the time limit, integrity signals and completion (process_interview enqueued once)."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.models import (
    Candidate,
    CandidateStatus,
    Company,
    IntegritySignal,
    Interview,
    InterviewStatus,
    JobTemplate,
    Question,
    TranscriptEntry,
)
from interviewer.services import cache
from interviewer.services import live_interview as live
from interviewer.services.interviews import issue_link_token
from interviewer.services.availability import as_utc
from tests.factories import make_candidate, make_company

Q0 = "How would you count how often each word appears in a large text file?"
KEY_POINTS = ["Use a hash map (dictionary) from word to count",
              "Stream the file line by line instead of loading it all",
              "Normalize case and strip punctuation", "Sort by count to report the most frequent words"]
Q1 = "Tell me about a project you are proud of."
Q2 = "What is the difference between a process and a thread?"


@dataclass
class LiveWorld:
    token: str
    interview_id: uuid.UUID
    company_id: uuid.UUID
    candidate_id: uuid.UUID


def make_live_interview(*, company_name: str = "Acme", interview_settings: dict | None = None,
                        duration_minutes: int = 30, **interview_fields) -> LiveWorld:
    company = make_company(company_name)
    if interview_settings is not None:
        with session_scope() as s:
            row = s.get(Company, company.id)
            row.settings = {"interview": interview_settings}
            s.add(row)
        cache.invalidate_company_settings(company.id)
    cand = make_candidate(company.id, email=f"casey-{uuid.uuid4().hex[:6]}@example.test",
                          status=CandidateStatus.INTERVIEW_SCHEDULED)
    now = datetime.now(timezone.utc)
    with session_scope() as s:
        job = JobTemplate(company_id=company.id, title="Backend Engineer")
        s.add(job)
        s.flush()
        for i, (text, points) in enumerate(((Q0, KEY_POINTS), (Q1, []), (Q2, []))):
            s.add(Question(job_template_id=job.id, text=text, key_points=points, position=i))
        interview = Interview(company_id=company.id, candidate_id=cand.id, job_template_id=job.id,
                              scheduled_at=now, duration_minutes=duration_minutes,
                              expires_at=now + timedelta(days=7), **interview_fields)
        raw_token = issue_link_token(interview)  # the database keeps only its hash
        s.add(interview)
        s.flush()
        return LiveWorld(raw_token, interview.id, company.id, cand.id)


def call(fn, *args, **kwargs):
    with session_scope() as s:
        return fn(s, *args, **kwargs)


def entries(interview_id) -> list[TranscriptEntry]:
    with session_scope() as s:
        return list(s.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == interview_id)
                           .order_by(TranscriptEntry.seq)).all())


def update(interview_id, **fields) -> None:
    with session_scope() as s:
        row = s.get(Interview, interview_id)
        for k, v in fields.items():
            setattr(row, k, v)
        s.add(row)


def high_queue_jobs() -> list[str]:
    from interviewer.jobs.queue import get_queue

    return [job.func_name for job in get_queue("high").get_jobs()]


def say(w: LiveWorld, index: int, text: str, start: int = 0) -> dict:
    return call(live.record_utterance, w.token, index, text, start, start + 1500, 0.9, "whisper")


# --- open_session --------------------------------------------------------------------------------

def test_open_session_starts_once_and_returns_the_page_view():
    w = make_live_interview()
    view = call(live.open_session, w.token)
    assert view["status"] == "in_progress" and view["started_at"] and not view["done"]
    assert (view["job_title"], view["company_name"], view["candidate_first_name"]) == ("Backend Engineer", "Acme",
                                                                                       "Casey")
    assert view["questions"] == [{"index": 0, "text": Q0}, {"index": 1, "text": Q1}, {"index": 2, "text": Q2}]
    assert "key_points" not in str(view) and "Stream the file" not in str(view)
    assert view["current"] == {"kind": "question", "text": Q0, "question_index": 0, "k": 1, "n": 3, "attempt": 0}
    assert view["pending_follow_up"] is None and view["answers"] == [[], [], []]
    assert (view["silence_seconds"], view["max_follow_ups"], view["duration_minutes"]) == (3, 2, 30)
    assert 29 * 60 < view["time_left_seconds"] <= 30 * 60
    again = call(live.open_session, w.token)
    assert again["started_at"] == view["started_at"]
    assert [(e.seq, e.kind, e.question_index) for e in entries(w.interview_id)] == [(1, "question", 0)]


def test_company_interview_settings_are_used():
    w = make_live_interview(interview_settings={"silence_seconds": 5, "max_follow_ups": 0})
    view = call(live.open_session, w.token)
    assert (view["silence_seconds"], view["max_follow_ups"]) == (5, 0)
    say(w, 0, "I would use a hash map to count the words")
    assert call(live.finish_answer, w.token, 0, 0)["kind"] == "question"  # no follow-ups allowed


@pytest.mark.parametrize("state, code", [
    ("expired", live.InterviewUnavailableError), ("cancelled", live.InterviewUnavailableError),
    ("completed", live.InterviewUnavailableError), ("unknown", E.NotFoundError)])
def test_open_session_refuses_unusable_links(state, code):
    w = make_live_interview()
    now = datetime.now(timezone.utc)
    token = w.token
    if state == "expired":
        update(w.interview_id, expires_at=now - timedelta(seconds=1))
    elif state == "cancelled":
        update(w.interview_id, status=InterviewStatus.CANCELLED, cancelled_at=now)
    elif state == "completed":
        update(w.interview_id, status=InterviewStatus.COMPLETED, completed_at=now, started_at=now)
    else:
        token = "x" * 43
    with pytest.raises(code) as info:
        call(live.open_session, token)
    expected = {"expired": "INTERVIEW_EXPIRED", "cancelled": "INTERVIEW_CANCELLED",
                "completed": "INTERVIEW_COMPLETED", "unknown": "INTERVIEW_TOKEN_404"}[state]
    assert info.value.code == expected
    assert entries(w.interview_id) == []


# --- record_utterance ---------------------------------------------------------------------------

def test_record_utterance_appends_with_increasing_seq():
    w = make_live_interview()
    with pytest.raises(E.ConflictError):
        say(w, 0, "too early")  # not opened yet
    call(live.open_session, w.token)
    first, second = say(w, 0, "I would use a hash map", 1000), say(w, 0, "  to count   the words ", 3000)
    assert (first["seq"], second["seq"]) == (2, 3) and second["text"] == "to count the words"
    assert second["start_ms"] == 3000 and second["source"] == "whisper"
    with pytest.raises(E.ConflictError):
        say(w, 1, "an answer to a question not asked yet")
    with pytest.raises(E.ValidationError):
        say(w, 0, "   ")
    assert [e.kind for e in entries(w.interview_id)] == ["question", "answer", "answer"]
    assert second["speech_ratio"] is None  # no VAD figure given: unknown, not zero
    third = call(live.record_utterance, w.token, 0, "and evict old keys", 5000, 7000, 0.8, "assemblyai", 0.6234)
    assert third["speech_ratio"] == 0.623 and entries(w.interview_id)[-1].speech_ratio == 0.623


def test_a_resumed_recogniser_rewrites_the_cut_utterance_in_place_and_nothing_else():
    w = make_live_interview()
    call(live.open_session, w.token)
    kept, cut = say(w, 0, "I would use a stack", 1000), say(w, 0, "a stack is last in first", 3000)
    context = call(live.answer_context, w.token)
    assert context["last_said"]["seq"] == cut["seq"] and context["last_said"]["start_ms"] == 3000
    assert context["last_end_ms"] == cut["end_ms"] == 4500
    again = call(live.record_utterance, w.token, 0, "a stack is last in first out", 3000, 5200, 0.8, "whisper",
                 0.7, cut["seq"])
    assert again["seq"] == cut["seq"] and again["replaced_text"] == "a stack is last in first"
    rows = [e for e in entries(w.interview_id) if e.kind == "answer"]
    assert [(e.seq, e.text, e.started_ms, e.ended_ms) for e in rows] == [
        (kept["seq"], "I would use a stack", 1000, 2500), (cut["seq"], "a stack is last in first out", 3000, 5200)]
    retried = call(live.record_utterance, w.token, 0, "a stack is last in first out", 3000, 5200, 0.8, "whisper",
                   0.7, cut["seq"])  # a retried write whose commit did land: the same row, nothing added
    assert retried["seq"] == cut["seq"] and len([e for e in entries(w.interview_id) if e.kind == "answer"]) == 2
    # typed words are never rewritten: the final is appended instead
    typed = call(live.record_utterance, w.token, 0, "typed words", source="typed")
    assert call(live.answer_context, w.token)["last_said"] is None  # the last utterance has no audio span
    appended = call(live.record_utterance, w.token, 0, "spoken again", 6000, 7000, 0.8, "whisper", 0.7, typed["seq"])
    assert appended["seq"] > typed["seq"] and "replaced_text" not in appended
    # an answer before a follow-up, or to an earlier question, is never rewritten
    step = call(live.finish_answer, w.token, 0, 0)
    assert step["kind"] == "follow_up"
    after = call(live.record_utterance, w.token, 0, "for the follow-up", 9000, 9800, 0.8, "whisper", 0.7, kept["seq"])
    assert after["seq"] > appended["seq"] and "replaced_text" not in after
    assert [e.text for e in entries(w.interview_id) if e.seq == kept["seq"]] == ["I would use a stack"]


def test_concurrent_writers_never_collide_and_lose_nothing():
    w = make_live_interview()
    call(live.open_session, w.token)
    errors: list[Exception] = []
    barrier = threading.Barrier(4)

    def writer(n: int) -> None:
        barrier.wait()
        for i in range(10):
            try:
                say(w, 0, f"writer {n} utterance {i}", i * 100)
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = entries(w.interview_id)
    assert [e.seq for e in rows] == list(range(1, 42))
    assert len({e.text for e in rows if e.kind == "answer"}) == 40


# --- finish_answer ------------------------------------------------------------------------------

def test_follow_ups_when_key_points_are_missed_at_most_max_and_idempotent():
    w = make_live_interview()
    call(live.open_session, w.token)
    say(w, 0, "I would use a hash map to count the words")
    step = call(live.finish_answer, w.token, 0, 0)
    assert step["kind"] == "follow_up" and step["question_index"] == 0 and step["attempt"] == 1
    # about a point not covered, without reading the free-form key point out to the candidate
    assert "stream the file" not in step["text"].lower() and step["text"].endswith("?")
    # a repeated Done (same attempt, or without attempt and no new utterance) changes nothing
    assert call(live.finish_answer, w.token, 0, 0) == step
    assert call(live.finish_answer, w.token, 0) == step
    assert [e.kind for e in entries(w.interview_id)].count("follow_up") == 1

    say(w, 0, "I would stream the file line by line instead of loading it all")
    second = call(live.finish_answer, w.token, 0, 1)
    assert second["kind"] == "follow_up" and second["attempt"] == 2 and second["text"] != step["text"]
    say(w, 0, "And I would lowercase the words")
    moved = call(live.finish_answer, w.token, 0, 2)  # max_follow_ups (2) reached: next question
    assert moved == {"kind": "question", "text": Q1, "question_index": 1, "k": 2, "n": 3, "attempt": 0}
    assert call(live.finish_answer, w.token, 0, 2) == moved  # a late repeat never skips question 1
    kinds = [(e.kind, e.question_index, e.speaker) for e in entries(w.interview_id)]
    assert kinds == [("question", 0, "interviewer"), ("answer", 0, "candidate"), ("follow_up", 0, "interviewer"),
                     ("answer", 0, "candidate"), ("follow_up", 0, "interviewer"), ("answer", 0, "candidate"),
                     ("question", 1, "interviewer")]
    with pytest.raises(E.ConflictError):
        call(live.finish_answer, w.token, 2, 0)  # not asked yet
    with session_scope() as s:
        transcript = s.get(Interview, w.interview_id).transcript
    assert "Interviewer (Q1): " + Q0 in transcript and "Candidate: I would use a hash map" in transcript


def test_reload_in_the_middle_returns_the_same_place():
    w = make_live_interview()
    call(live.open_session, w.token)
    say(w, 0, "I would use a hash map to count the words")
    follow_up = call(live.finish_answer, w.token, 0, 0)
    say(w, 0, "Reading line by line")
    view = call(live.open_session, w.token)  # the page reloads
    assert view["current_question_index"] == 0
    assert view["current"] == follow_up and view["pending_follow_up"] == follow_up
    assert view["answers"] == [["I would use a hash map to count the words", "Reading line by line"], [], []]
    assert [e.kind for e in entries(w.interview_id)].count("question") == 1


def test_last_answer_completes_and_enqueues_process_interview_once():
    w = make_live_interview(interview_settings={"max_follow_ups": 0})
    call(live.open_session, w.token)
    for index in range(3):
        say(w, index, f"answer number {index}")
        step = call(live.finish_answer, w.token, index, 0)
    assert step["kind"] == "done" and step["k"] == step["n"] == 3
    assert call(live.finish_answer, w.token, 2, 0)["kind"] == "done"  # repeat after the end
    assert call(live.complete, w.token)["status"] == "completed"  # idempotent
    assert high_queue_jobs() == ["interviewer.jobs.tasks.process_interview"]
    with session_scope() as s:
        interview = s.get(Interview, w.interview_id)
        assert interview.status == InterviewStatus.COMPLETED and interview.completed_at is not None
        assert "Candidate: answer number 2" in interview.transcript
        assert s.get(Candidate, w.candidate_id).status == CandidateStatus.INTERVIEWED
    with pytest.raises(live.InterviewUnavailableError) as info:
        call(live.open_session, w.token)
    assert info.value.code == "INTERVIEW_COMPLETED"


def test_complete_directly_then_no_second_session():
    w = make_live_interview()
    call(live.open_session, w.token)
    say(w, 0, "partial answer before leaving")
    first = call(live.complete, w.token)
    assert call(live.complete, w.token) == first
    assert high_queue_jobs() == ["interviewer.jobs.tasks.process_interview"]
    with pytest.raises(live.InterviewUnavailableError):
        call(live.open_session, w.token)
    assert len(entries(w.interview_id)) == 2  # nothing lost


def test_rollback_enqueues_nothing():
    w = make_live_interview()
    call(live.open_session, w.token)
    with pytest.raises(RuntimeError), session_scope() as s:
        live.complete(s, w.token)
        raise RuntimeError("the request failed after completing")
    assert high_queue_jobs() == []
    assert call(live.open_session, w.token)["status"] == "in_progress"


def test_time_up_finishes_with_done():
    w = make_live_interview(duration_minutes=15)
    call(live.open_session, w.token)
    say(w, 0, "I would use a hash map")
    update(w.interview_id, started_at=datetime.now(timezone.utc) - timedelta(minutes=16))
    step = call(live.finish_answer, w.token, 0, 0)
    assert step["kind"] == "done"
    assert high_queue_jobs() == ["interviewer.jobs.tasks.process_interview"]
    with pytest.raises(live.InterviewUnavailableError):
        call(live.open_session, w.token)


def test_reopening_after_the_time_limit_completes():
    w = make_live_interview(duration_minutes=15)
    call(live.open_session, w.token)
    update(w.interview_id, started_at=datetime.now(timezone.utc) - timedelta(minutes=20))
    view = call(live.open_session, w.token)
    assert view["done"] and view["status"] == "completed" and view["time_left_seconds"] == 0


# --- record_signal ------------------------------------------------------------------------------

def test_signals_are_validated_and_rate_capped():
    w = make_live_interview()
    call(live.open_session, w.token)
    assert call(live.record_signal, w.token, "tab_hidden", {"ms": 4000}, datetime.now(timezone.utc)) is True
    with pytest.raises(E.ValidationError):
        call(live.record_signal, w.token, "drop_table", {})
    cap = live.MAX_SIGNALS_PER_KIND_PER_MINUTE
    stored = [call(live.record_signal, w.token, "paste", {"chars": 10}) for _ in range(cap + 5)]
    assert stored.count(True) == live.MAX_SIGNALS_PER_KIND_PER_MINUTE and stored[-1] is False
    assert call(live.record_signal, w.token, "window_blur", {"x": "y" * 5000}) is True  # big details truncated
    future = datetime.now(timezone.utc) + timedelta(days=2)
    assert call(live.record_signal, w.token, "mic_failed", {}, future) is True
    # a client time with no UTC equivalent ("0001-01-01T00:00+14:00" from a page's clock): stored at now
    nowhere = datetime.fromisoformat("0001-01-01T00:00:00+14:00")
    assert call(live.record_signal, w.token, "tab_hidden", {"title": "x\x00y", "l": ["\x00", "\\u0000"]},
                nowhere) is True  # a NUL (JSONB refuses it) in the page's strings is dropped
    with session_scope() as s:
        rows = s.exec(select(IntegritySignal).where(IntegritySignal.interview_id == w.interview_id)).all()
        assert len(rows) == 1 + live.MAX_SIGNALS_PER_KIND_PER_MINUTE + 3
        assert next(r for r in rows if r.kind == "window_blur").detail == {"truncated": True}
        assert next(r for r in rows if r.kind == "mic_failed").occurred_at < future - timedelta(days=1)
        hidden = sorted((r for r in rows if r.kind == "tab_hidden"), key=lambda r: as_utc(r.occurred_at))
        assert as_utc(hidden[-1].occurred_at) > datetime.now(timezone.utc) - timedelta(minutes=1)
        assert hidden[-1].detail == {"title": "xy", "l": ["", "\\u0000"]}


def test_a_typed_answer_with_a_nul_character_is_stored_without_it():
    """A NUL pasted with a PDF's text: PostgreSQL cannot store it, and the answer must not be lost
    over a character nobody can see (it was a DataError: the typed answer failed)."""
    from interviewer.live import store

    w = make_live_interview()
    call(live.open_session, w.token)
    store.keep_typed(w.token, 0, "I would use a hash\x00 map\x07 to count")
    with session_scope() as s:
        [entry] = s.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == w.interview_id,
                                                       TranscriptEntry.kind == "answer")).all()
        assert entry.text == "I would use a hash map to count"


def test_a_nul_refused_by_the_database_is_recognised():
    from sqlalchemy import exc as sa_exc

    from interviewer.db import is_nul_error

    w = make_live_interview()
    with pytest.raises(sa_exc.DataError) as refused, session_scope() as s:
        s.add(TranscriptEntry(interview_id=w.interview_id, seq=1, kind="answer", speaker="candidate", text="a\x00b"))
        s.flush()
    assert is_nul_error(refused.value)
    assert not is_nul_error(ValueError("NUL"))


STORY_Q = "Tell me about a time you received critical feedback. How did you respond?"
STORY_POINTS = ["Situation: the feedback and who gave it", "Response: listened without getting defensive"]
FEEDBACK_STORY = ("In my first review my manager told me my pull requests were too big and hard to review. I asked "
                  "her for examples, split my work into small pull requests, and review times dropped from days "
                  "to hours.")


def _story_world() -> LiveWorld:
    w = make_live_interview(interview_settings={"max_follow_ups": 1})
    with session_scope() as s:
        job_id = s.get(Interview, w.interview_id).job_template_id
        q = s.exec(select(Question).where(Question.job_template_id == job_id, Question.position == 1)).one()
        q.text, q.key_points = STORY_Q, STORY_POINTS
        s.add(q)
    call(live.open_session, w.token)
    say(w, 0, "I would use a hash map from word to count and stream the file line by line.")
    step = call(live.finish_answer, w.token, 0, 0)
    if step["kind"] == "follow_up":
        say(w, 0, "And I would lowercase the words and sort by count.")
        step = call(live.finish_answer, w.token, 0, 1)
    assert step["kind"] == "question" and step["question_index"] == 1 and step["text"] == STORY_Q
    return w


def test_a_story_question_asks_for_a_real_example_once_and_never_follows_up_a_story():
    """Offline, a story is left to a person: there is nothing to ask about. General statements to
    a question about the candidate's own experience get one follow-up asking for a real example."""
    from interviewer.services.ai.offline_provider import STORY_FOLLOW_UPS

    w = _story_world()
    say(w, 1, "I always listen to feedback without getting defensive.")
    ask = call(live.finish_answer, w.token, 1, 0)
    assert ask["kind"] == "follow_up" and ask["text"] in STORY_FOLLOW_UPS
    say(w, 1, FEEDBACK_STORY)
    assert call(live.finish_answer, w.token, 1, 1)["question_index"] == 2

    told = _story_world()
    say(told, 1, FEEDBACK_STORY)
    step = call(live.finish_answer, told.token, 1, 0)
    assert step["kind"] == "question" and step["question_index"] == 2  # no follow-up after a story


def test_the_live_follow_up_reads_the_questions_wrong_ideas():
    """The interview's follow-up is decided with the question's list of wrong ideas: a fluent answer
    that states one is asked about that point (the candidate's reply can settle the doubt)."""
    from interviewer.services.ai.offline_provider import OfflineProvider
    from tests.ai.test_red_flags import IDEAS, POINTS, QUESTION, WRONG

    w = make_live_interview()
    with session_scope() as s:
        first = s.exec(select(Question).join(Interview, Interview.job_template_id == Question.job_template_id)
                       .where(Interview.id == w.interview_id, Question.position == 0)).one()
        first.text, first.key_points, first.red_flags = QUESTION, list(POINTS), list(IDEAS)
        s.add(first)
    call(live.open_session, w.token)
    say(w, 0, WRONG)
    step = call(live.finish_answer, w.token, 0, 0)
    assert step["kind"] == "follow_up"
    assert step["text"] == OfflineProvider().follow_up(QUESTION, POINTS, WRONG, IDEAS)
    assert step["text"] != OfflineProvider().follow_up(QUESTION, POINTS, WRONG)
