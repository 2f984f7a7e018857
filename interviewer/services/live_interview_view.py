"""Read side of the live interview: loading by token, the questions, the transcript entries,
what the candidate's page shows (:class:`LiveView`) and the next prompt (:class:`NextStep`).

Everything here is derived from the database (interview row + ``transcript_entries``), so a
reload, a reconnect or another backend worker sees exactly the same state.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal, TypedDict

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.models import Candidate, Company, Interview, InterviewStatus, JobTemplate, Question, TranscriptEntry
from interviewer.services import cache
from interviewer.services.availability import as_utc
from interviewer.services.interviews import TOKEN_NOT_FOUND, effective_status, find_by_token
from interviewer.services.question_order import job_questions

INTERVIEW_EXPIRED = "INTERVIEW_EXPIRED"
INTERVIEW_CANCELLED = "INTERVIEW_CANCELLED"
INTERVIEW_COMPLETED = "INTERVIEW_COMPLETED"
INTERVIEW_NOT_STARTED = "INTERVIEW_NOT_STARTED"
INTERVIEW_NO_QUESTIONS = "INTERVIEW_NO_QUESTIONS"
LIVE_QUESTION = "LIVE_QUESTION_409"
DEFAULT_SILENCE_SECONDS, DEFAULT_MAX_FOLLOW_UPS = 3, 2
# End-of-turn patience (interviewer.live.turn_policy): the longest silence an unfinished-sounding
# answer gets. ``settings["interview"]["patience_seconds"]``; a company that only set the older
# ``silence_seconds`` (a fixed pause rule) keeps that value as its patience.
DEFAULT_PATIENCE_SECONDS, PATIENCE_BOUNDS = 3.5, (1.0, 15.0)
CLOSING_TEXT = "Thank you, that was the last question. Your interview is complete."


class InterviewUnavailableError(E.DomainError):
    """The link can no longer be used (expired, cancelled or already completed): HTTP 410."""

    status_code = 410
    code = INTERVIEW_COMPLETED


class NextStep(TypedDict):
    kind: Literal["question", "follow_up", "done"]
    text: str
    question_index: int
    k: int  # 1-based number of the question being asked (n when done)
    n: int  # number of questions
    attempt: int  # follow-ups asked so far for this question: pass it back to finish_answer


class LiveView(TypedDict):
    interview_id: str
    status: str  # in_progress | completed
    job_title: str | None
    company_name: str | None
    candidate_first_name: str | None
    questions: list[dict[str, Any]]  # [{"index", "text"}]: never the key points
    current_question_index: int
    current: NextStep  # what to show now: the question, its pending follow-up, or done
    pending_follow_up: NextStep | None
    answers: list[list[str]]  # answers[i]: the candidate's utterances for question i, in order
    duration_minutes: int
    started_at: str | None
    time_left_seconds: int
    silence_seconds: int
    patience_seconds: float
    max_follow_ups: int
    done: bool


# --- loading ----------------------------------------------------------------------------------

def find_interview(session: Session, token: str, *, lock: bool = False) -> Interview:
    """The interview behind a link; ``lock`` takes its row lock (serialises the writers)."""
    query = find_by_token(token)
    if query is None:
        raise E.NotFoundError("This interview link is not valid.", code=TOKEN_NOT_FOUND, extra={"reason": "not_found"})
    if lock:
        query = query.with_for_update()
    interview = session.exec(query.execution_options(populate_existing=True)).first()
    if interview is None:
        raise E.NotFoundError("This interview link is not valid.", code=TOKEN_NOT_FOUND, extra={"reason": "not_found"})
    return interview


def ensure_takeable(interview: Interview) -> None:
    """Refuse links that are expired, cancelled or completed (410 with a reason)."""
    status = effective_status(interview)
    reasons = {InterviewStatus.EXPIRED: (INTERVIEW_EXPIRED, "This interview link has expired."),
               InterviewStatus.CANCELLED: (INTERVIEW_CANCELLED, "This interview was cancelled."),
               InterviewStatus.COMPLETED: (INTERVIEW_COMPLETED, "This interview has already been completed.")}
    if status in reasons:
        code, message = reasons[status]
        raise InterviewUnavailableError(message, code=code, extra={"reason": status.value})


def ensure_started(interview: Interview) -> None:
    ensure_takeable(interview)
    if interview.status != InterviewStatus.IN_PROGRESS:
        raise E.ConflictError("The interview has not been started.", code=INTERVIEW_NOT_STARTED)


def load_questions(session: Session, interview: Interview) -> list[Question]:
    """The interview's questions in the one order that asks and scores them."""
    return job_questions(session, interview.job_template_id)


def load_entries(session: Session, interview_id: uuid.UUID) -> list[TranscriptEntry]:
    return list(session.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == interview_id)
                             .order_by(TranscriptEntry.seq)).all())


def interview_settings(session: Session, company_id: uuid.UUID) -> dict[str, Any]:
    """``companies.settings["interview"]`` with defaults and sane bounds; also the AI config."""
    settings = cache.company_settings(session, company_id)
    raw = settings.get("interview") if isinstance(settings.get("interview"), dict) else {}

    def bounded(name: str, default: int, low: int, high: int) -> int:
        value = raw.get(name, default)
        return value if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high else default

    patience = raw.get("patience_seconds", raw.get("silence_seconds", DEFAULT_PATIENCE_SECONDS))
    low, high = PATIENCE_BOUNDS
    if isinstance(patience, bool) or not isinstance(patience, (int, float)) or not low <= patience <= high:
        patience = DEFAULT_PATIENCE_SECONDS
    return {"silence_seconds": bounded("silence_seconds", DEFAULT_SILENCE_SECONDS, 1, 60),
            "patience_seconds": float(patience),
            "max_follow_ups": bounded("max_follow_ups", DEFAULT_MAX_FOLLOW_UPS, 0, 5),
            "ai": settings.get("ai")}


# --- time -------------------------------------------------------------------------------------

def ms_since_start(interview: Interview, now: datetime | None = None) -> int:
    if interview.started_at is None:
        return 0
    return max(0, int(((now or utcnow()) - as_utc(interview.started_at)).total_seconds() * 1000))


def time_left_seconds(interview: Interview, now: datetime | None = None) -> int:
    if interview.started_at is None:
        return interview.duration_minutes * 60
    return max(0, interview.duration_minutes * 60 - ms_since_start(interview, now) // 1000)


# --- transcript entries -------------------------------------------------------------------------

def append_entry(session: Session, interview_id: uuid.UUID, **fields: Any) -> TranscriptEntry:
    """Append with the next ``seq``. Callers hold the interview's row lock, so writers queue up;
    the savepoint retry covers databases without row locks (SQLite) all the same."""
    for _ in range(8):
        last = session.exec(select(func.max(TranscriptEntry.seq))
                            .where(TranscriptEntry.interview_id == interview_id)).one()
        entry = TranscriptEntry(interview_id=interview_id, seq=(last or 0) + 1, **fields)
        try:
            with session.begin_nested():
                session.add(entry)
            return entry
        except IntegrityError:
            continue
    raise E.ConflictError("The transcript is busy; please retry.", code="LIVE_SEQ_409")


def ensure_question_entry(session: Session, interview: Interview, questions: list[Question], index: int) -> None:
    """Record a question in the transcript the first time it is asked."""
    if not 0 <= index < len(questions):
        return
    exists = session.exec(select(func.count()).select_from(TranscriptEntry).where(
        TranscriptEntry.interview_id == interview.id, TranscriptEntry.kind == "question",
        TranscriptEntry.question_index == index)).one()
    if not exists:
        now_ms = ms_since_start(interview)
        append_entry(session, interview.id, question_id=questions[index].id, question_index=index, kind="question",
                     speaker="interviewer", text=questions[index].text, started_ms=now_ms, ended_ms=now_ms,
                     source="system")


def transcript_text(entries: list[TranscriptEntry]) -> str:
    """The readable transcript (``interviews.transcript``): consecutive utterances of the
    candidate within one question form one paragraph."""
    lines: list[str] = []
    previous: TranscriptEntry | None = None
    for entry in entries:
        if entry.kind == "answer" and previous is not None and previous.kind == "answer" \
                and previous.question_index == entry.question_index:
            lines[-1] += " " + entry.text.strip()
        elif entry.kind == "question":
            lines.append(f"Interviewer (Q{entry.question_index + 1}): {entry.text.strip()}")
        elif entry.kind == "follow_up":
            lines.append(f"Interviewer (follow-up): {entry.text.strip()}")
        elif entry.kind == "answer":
            lines.append(f"Candidate: {entry.text.strip()}")
        else:
            continue
        previous = entry
    return "\n".join(lines)


# --- what to show --------------------------------------------------------------------------------

def follow_ups_for(entries: list[TranscriptEntry], index: int) -> list[TranscriptEntry]:
    return [e for e in entries if e.kind == "follow_up" and e.question_index == index]


def current_step(interview: Interview, questions: list[Question], entries: list[TranscriptEntry]) -> NextStep:
    n, index = len(questions), interview.current_question_index
    if interview.status == InterviewStatus.COMPLETED or index >= n:
        return question_step(questions, n)
    follow_ups = follow_ups_for(entries, index)
    if follow_ups:
        return follow_up_step(questions, index, follow_ups[-1].text, len(follow_ups))
    return question_step(questions, index)


def question_step(questions: list[Question], index: int) -> NextStep:
    """Question ``index`` asked as such, or "done" past the last one."""
    n = len(questions)
    if index >= n:
        return {"kind": "done", "text": CLOSING_TEXT, "question_index": n, "k": n, "n": n, "attempt": 0}
    return {"kind": "question", "text": questions[index].text, "question_index": index, "k": index + 1, "n": n,
            "attempt": 0}


def follow_up_step(questions: list[Question], index: int, text: str, attempt: int) -> NextStep:
    """The ``attempt``-th follow-up on question ``index``."""
    return {"kind": "follow_up", "text": text, "question_index": index, "k": index + 1, "n": len(questions),
            "attempt": attempt}


def build_view(session: Session, interview: Interview, questions: list[Question]) -> LiveView:
    entries = load_entries(session, interview.id)
    settings = interview_settings(session, interview.company_id)
    candidate = session.get(Candidate, interview.candidate_id)
    job = session.get(JobTemplate, interview.job_template_id) if interview.job_template_id else None
    company = session.get(Company, interview.company_id)
    answers: list[list[str]] = [[] for _ in questions]
    for entry in entries:
        if entry.kind == "answer" and 0 <= entry.question_index < len(answers):
            answers[entry.question_index].append(entry.text)
    step = current_step(interview, questions, entries)
    done = step["kind"] == "done"
    return {
        "interview_id": str(interview.id),
        "status": interview.status.value,
        "job_title": job.title if job else None,
        "company_name": company.name if company else None,
        "candidate_first_name": (candidate.name.split() or [None])[0] if candidate else None,
        "questions": [{"index": i, "text": q.text} for i, q in enumerate(questions)],
        "current_question_index": min(interview.current_question_index, len(questions)),
        "current": step,
        "pending_follow_up": step if step["kind"] == "follow_up" else None,
        "answers": answers,
        "duration_minutes": interview.duration_minutes,
        "started_at": as_utc(interview.started_at).isoformat() if interview.started_at else None,
        "time_left_seconds": 0 if done else time_left_seconds(interview),
        "silence_seconds": settings["silence_seconds"],
        "patience_seconds": settings["patience_seconds"],
        "max_follow_ups": settings["max_follow_ups"],
        "done": done,
    }


def answers_since(entries: list[TranscriptEntry], index: int, after_seq: int = 0) -> list[TranscriptEntry]:
    return [e for e in entries if e.kind == "answer" and e.question_index == index and e.seq > after_seq]


def signal_count(session: Session, model: Any, interview_id: uuid.UUID, *filters: Any) -> int:
    return session.exec(select(func.count()).select_from(model).where(
        col(model.interview_id) == interview_id, *filters)).one()
