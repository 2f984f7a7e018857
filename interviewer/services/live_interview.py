"""The live interview, candidate side: used by the audio WebSocket (api/ws.py) and the Reflex
candidate pages. Sync functions, session first; the caller owns the transaction (one short
``session_scope()`` per call) and runs them off the event loop (``asyncio.to_thread``).

* :func:`open_session` - validate the link, start the clock once, return the page's view.
* :func:`record_utterance` - append one finalised utterance to ``transcript_entries`` at once.
* :func:`finish_answer` - end an answer: a follow-up (missed key points, fewer than
  ``max_follow_ups``) or the next question or done. Idempotent (reloads, reconnects, repeats).
  In two steps for the live session: :func:`plan_answer_end` decides without writing,
  :func:`apply_answer_end` writes once the answer is settled.
* :func:`record_signal` - integrity signals (validated kinds, rate-capped).
* :func:`record_turn_latency` - a spoken turn's latency budget, on its last utterance.
* :func:`complete` - complete once (``process_interview`` is enqueued after commit); idempotent.

Writers take the interview's row lock first, so transcript ``seq`` numbers never collide.
Nothing is kept in memory between calls: the database is the state.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.models import Candidate, IntegritySignal, Interview, InterviewStatus, TranscriptEntry
from interviewer.services import interviews as interview_service
from interviewer.services.ai.provider import get_provider
from interviewer.services.availability import as_utc

from .live_interview_view import (
    INTERVIEW_NO_QUESTIONS,
    LIVE_QUESTION,
    InterviewUnavailableError,
    LiveView,
    NextStep,
    answers_since,
    append_entry,
    build_view,
    current_step,
    ensure_question_entry,
    ensure_started,
    ensure_takeable,
    find_interview,
    follow_up_step,
    follow_ups_for,
    interview_settings,
    load_entries,
    load_questions,
    ms_since_start,
    question_step,
    signal_count,
    time_left_seconds,
    transcript_text,
)

log = logging.getLogger("interviewer.live")

SIGNAL_KINDS = frozenset({"tab_hidden", "window_blur", "paste", "long_silence", "mic_failed", "typed_mode"})
MAX_SIGNALS_PER_INTERVIEW = 300
MAX_SIGNALS_PER_KIND_PER_MINUTE = 20
MAX_SIGNAL_DETAIL_CHARS = 2000
MAX_UTTERANCE_CHARS = 5000
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SOURCES = frozenset({"whisper", "assemblyai", "typed", "stt"})

__all__ = ["InterviewUnavailableError", "LiveView", "NextStep", "SIGNAL_KINDS", "answer_context", "apply_answer_end",
           "complete", "finish_answer", "open_session", "plan_answer_end", "record_signal", "record_turn_latency",
           "record_utterance"]


def open_session(session: Session, token: str) -> LiveView:
    """Validate the link (404 not found; 410 expired / cancelled / completed), start the interview
    the first time (``started_at``, ``in_progress``), record the current question in the
    transcript, and return everything the candidate's page needs. When the time limit has
    passed, the interview is completed and the view says ``done``."""
    interview = find_interview(session, token, lock=True)
    ensure_takeable(interview)
    questions = load_questions(session, interview)
    if not questions:
        raise E.ConflictError("This interview has no questions yet; please contact the recruiter.",
                              code=INTERVIEW_NO_QUESTIONS)
    if interview.status == InterviewStatus.SCHEDULED:
        interview.status, interview.started_at = InterviewStatus.IN_PROGRESS, utcnow()
        session.add(interview)
        session.flush()
    if time_left_seconds(interview) <= 0 or interview.current_question_index >= len(questions):
        complete(session, token)
        interview = find_interview(session, token)
    else:
        ensure_question_entry(session, interview, questions, interview.current_question_index)
    return build_view(session, interview, questions)


def record_utterance(session: Session, token: str, question_index: int, text: str, start_ms: int | None = None,
                     end_ms: int | None = None, confidence: float | None = None,
                     source: str = "stt", speech_ratio: float | None = None,
                     replaces: int | None = None) -> dict[str, Any]:
    """Append one finalised utterance of the candidate (``kind="answer"``) immediately.
    ``start_ms``/``end_ms`` are milliseconds from the interview start (None for typed text);
    ``speech_ratio`` is the voiced share of that span (0..1) as the speech-to-text's VAD saw it.

    ``replaces``: the ``seq`` of a spoken utterance of the same question that this one hears again
    (a connection dropped mid-word: the resumed recogniser re-transcribes the cut utterance from its
    start). That row is rewritten in place, in this one write, keeping its ``seq``; the result then
    carries ``replaced_text``, the words it had. A ``replaces`` that names no such row appends."""
    interview = find_interview(session, token, lock=True)
    ensure_started(interview)
    # control characters (a NUL pasted with a PDF's text) are dropped: PostgreSQL cannot store a
    # NUL, and the answer must not be lost over a character nobody can see
    text = " ".join(_CONTROL_CHARS.sub("", text or "").split())[:MAX_UTTERANCE_CHARS]
    if not text:
        raise E.ValidationError("An utterance needs some text.")
    if not 0 <= question_index <= interview.current_question_index:
        raise E.ConflictError("That question has not been asked yet.", code=LIVE_QUESTION,
                              extra={"current_question_index": interview.current_question_index})
    if source not in SOURCES:
        raise E.ValidationError(f"Unknown source; use one of {', '.join(sorted(SOURCES))}.")
    started, confidence = _ms(start_ms), round(float(confidence), 3) if confidence is not None else None
    same = session.exec(select(TranscriptEntry).where(  # a retried write whose commit did land
        TranscriptEntry.interview_id == interview.id, TranscriptEntry.kind == "answer",
        TranscriptEntry.question_index == question_index, TranscriptEntry.started_ms == started,
        TranscriptEntry.text == text, TranscriptEntry.source == source)).first() if started is not None else None
    if same is not None:
        return _utterance(same)
    cut = _cut_utterance(session, interview, question_index, replaces) if started is not None else None
    if cut is not None:
        old_text, cut.text = cut.text, text
        cut.started_ms, cut.ended_ms = min(cut.started_ms, started), max(cut.ended_ms or 0, _ms(end_ms) or 0)
        cut.confidence, cut.source = confidence, source
        if speech_ratio is not None:
            cut.speech_ratio = round(min(1.0, max(0.0, float(speech_ratio))), 3)
        session.add(cut)
        session.flush()
        return {**_utterance(cut), "replaced_text": old_text}
    questions = load_questions(session, interview)
    entry = append_entry(
        session, interview.id, question_id=questions[question_index].id if question_index < len(questions) else None,
        question_index=question_index, kind="answer", speaker="candidate", text=text,
        started_ms=started, ended_ms=_ms(end_ms), confidence=confidence, source=source,
        speech_ratio=round(min(1.0, max(0.0, float(speech_ratio))), 3) if speech_ratio is not None else None)
    return _utterance(entry)


def _cut_utterance(session: Session, interview: Interview, question_index: int,
                   seq: int | None) -> TranscriptEntry | None:
    """The spoken utterance ``seq`` of the open answer to the current question, which a resumed
    recogniser may rewrite; None for anything else (typed text, an earlier question, or an answer
    to an earlier prompt of this question, before a follow-up)."""
    if seq is None or question_index != interview.current_question_index:
        return None
    cut = session.exec(select(TranscriptEntry).where(
        TranscriptEntry.interview_id == interview.id, TranscriptEntry.seq == int(seq),
        TranscriptEntry.kind == "answer", TranscriptEntry.question_index == question_index,
        col(TranscriptEntry.started_ms).is_not(None))).first()
    if cut is None or any(f.seq > cut.seq for f in follow_ups_for(load_entries(session, interview.id), question_index)):
        return None
    return cut


def _utterance(entry: TranscriptEntry) -> dict[str, Any]:
    return {"seq": entry.seq, "question_index": entry.question_index, "text": entry.text,
            "start_ms": entry.started_ms, "end_ms": entry.ended_ms, "confidence": entry.confidence,
            "source": entry.source, "speech_ratio": entry.speech_ratio}


def finish_answer(session: Session, token: str, question_index: int, attempt: int | None = None) -> NextStep:
    """The candidate finished answering the prompt shown for ``question_index``.

    ``attempt`` is ``NextStep["attempt"]`` of that prompt (follow-ups already asked): a call whose
    answer was already handled returns the current step unchanged, so repeats never skip a
    question nor duplicate a follow-up. Without ``attempt``, a prompt that got no new utterance
    counts as handled. The AI call runs without any lock held; the write re-checks the state.
    When the time is up, or after the last question, the interview is completed (``done``).

    The same as :func:`apply_answer_end` of :func:`plan_answer_end`, in one transaction."""
    return apply_answer_end(session, token, plan_answer_end(session, token, question_index, attempt)["plan"])


def plan_answer_end(session: Session, token: str, question_index: int, attempt: int | None = None) -> dict[str, Any]:
    """What finishing the answer would do, decided now and written nothing: ``{"plan": ...,
    "step": NextStep}``, the step being the prompt the candidate would see next. The live session
    shows that step at once and applies the plan (:func:`apply_answer_end`) only when the answer
    is settled, so an answer that goes on after all is taken back without undoing any write, and
    the follow-up applied is the one that was shown (a model asked twice may word it otherwise)."""
    interview = find_interview(session, token)
    if interview.status == InterviewStatus.COMPLETED:
        return {"plan": {"action": "none"}, "step": current_step(interview, load_questions(session, interview), [])}
    ensure_started(interview)
    questions = load_questions(session, interview)
    entries = load_entries(session, interview.id)
    current, n = interview.current_question_index, len(questions)
    if time_left_seconds(interview) <= 0 or current >= n:
        return {"plan": {"action": "complete"}, "step": question_step(questions, n)}
    if question_index < current:
        return {"plan": {"action": "none"}, "step": current_step(interview, questions, entries)}
    if question_index > current:
        raise E.ConflictError("That question has not been asked yet.", code=LIVE_QUESTION,
                              extra={"current": current_step(interview, questions, entries)})
    follow_ups = follow_ups_for(entries, current)
    asked = len(follow_ups)
    last_prompt_seq = follow_ups[-1].seq if follow_ups else 0
    if (attempt is not None and attempt < asked) or \
            (attempt is None and asked and not answers_since(entries, current, last_prompt_seq)):
        return {"plan": {"action": "none"}, "step": current_step(interview, questions, entries)}
    settings = interview_settings(session, interview.company_id)
    follow_up, provider = None, "none"
    if asked < settings["max_follow_ups"]:
        answer = " ".join(e.text for e in answers_since(entries, current))
        follow_up, provider = _ask_follow_up(session, interview, questions[current], answer, settings["ai"])
        if follow_up and follow_up.strip().lower() in {f.text.strip().lower() for f in follow_ups}:
            follow_up = None  # the same probe again would not help: move on
    basis = {"current": current, "asked": asked}
    if follow_up:
        text = follow_up.strip()[:2000]
        return {"plan": {"action": "follow_up", "text": text, "source": f"ai:{provider}"[:30], **basis},
                "step": follow_up_step(questions, current, text, asked + 1)}
    return {"plan": {"action": "advance", **basis}, "step": question_step(questions, current + 1)}


def apply_answer_end(session: Session, token: str, plan: dict[str, Any]) -> NextStep:
    """Write what :func:`plan_answer_end` decided, if the interview is still where it was then
    (else nothing is written and the current step is returned). A plan applied after the time
    ran out completes the interview instead."""
    action = plan.get("action") if isinstance(plan, dict) else None
    interview = find_interview(session, token)
    if interview.status == InterviewStatus.COMPLETED:
        return current_step(interview, load_questions(session, interview), [])
    questions = load_questions(session, interview)
    if action == "complete" or (action in ("follow_up", "advance") and time_left_seconds(interview) <= 0):
        ensure_started(interview)
        return _complete_step(session, token)
    if action not in ("follow_up", "advance"):
        return current_step(interview, questions, load_entries(session, interview.id))
    current, asked = int(plan["current"]), int(plan["asked"])
    interview = find_interview(session, token, lock=True)
    entries = load_entries(session, interview.id)
    if interview.status != InterviewStatus.IN_PROGRESS or interview.current_question_index != current \
            or len(follow_ups_for(entries, current)) != asked or current >= len(questions):
        return current_step(interview, questions, entries)  # another request handled it meanwhile
    if action == "follow_up":
        now_ms = ms_since_start(interview)
        append_entry(session, interview.id, question_id=questions[current].id, question_index=current,
                     kind="follow_up", speaker="interviewer", text=str(plan["text"])[:2000], started_ms=now_ms,
                     ended_ms=now_ms, source=str(plan.get("source") or "ai")[:30])
    else:
        interview.current_question_index = current + 1
        session.add(interview)
        session.flush()
        if interview.current_question_index >= len(questions):
            return _complete_step(session, token)
        ensure_question_entry(session, interview, questions, interview.current_question_index)
    entries = load_entries(session, interview.id)
    interview.transcript = transcript_text(entries)
    session.add(interview)
    return current_step(interview, questions, entries)


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(str(k)): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    return value


def record_signal(session: Session, token: str, kind: str, detail: dict[str, Any] | None = None,
                  occurred_at: datetime | None = None) -> bool:
    """Store an integrity signal. Returns False (stored nothing) once the caps are reached:
    ``MAX_SIGNALS_PER_KIND_PER_MINUTE`` per kind and ``MAX_SIGNALS_PER_INTERVIEW`` in all."""
    if kind not in SIGNAL_KINDS:
        raise E.ValidationError(f"Unknown signal kind; use one of {', '.join(sorted(SIGNAL_KINDS))}.")
    interview = find_interview(session, token)
    ensure_started(interview)
    now = utcnow()
    if signal_count(session, IntegritySignal, interview.id) >= MAX_SIGNALS_PER_INTERVIEW:
        return False
    recent = signal_count(session, IntegritySignal, interview.id, IntegritySignal.kind == kind,
                          col(IntegritySignal.created_at) >= now - timedelta(minutes=1))
    if recent >= MAX_SIGNALS_PER_KIND_PER_MINUTE:
        return False
    detail = detail if isinstance(detail, dict) else {}
    encoded = json.dumps(detail, default=str)
    if len(encoded) > MAX_SIGNAL_DETAIL_CHARS:
        detail = {"truncated": True}
    elif "\\u0000" in encoded:  # PostgreSQL's JSONB refuses NUL characters; the page's strings may hold one
        detail = _without_nul(detail)
    try:
        when = as_utc(occurred_at) if isinstance(occurred_at, datetime) else now
    except E.ValidationError:  # "0001-01-01T00:00+14:00": no UTC time exists
        when = now
    start = as_utc(interview.started_at) if interview.started_at else now
    if not start - timedelta(minutes=1) <= when <= now + timedelta(seconds=5):
        when = now  # the client's clock is not trusted beyond the interview's own span
    session.add(IntegritySignal(interview_id=interview.id, kind=kind, detail=detail, occurred_at=when))
    session.flush()
    return True


LATENCY_KEYS = frozenset({"endpoint_ms", "transcript_ms", "decision_ms", "send_ms", "total_ms", "reason", "stt",
                          "show_ms", "speak_ms", "shown_total_ms", "spoken_total_ms",
                          "question_index", "attempt", "taken_back"})


def record_turn_latency(session: Session, token: str, question_index: int, attempt: int,
                        latency: dict[str, Any]) -> bool:
    """Store a turn's latency budget (``interviewer.live.latency``) on the last utterance of the
    answer to prompt ``attempt`` (0: the question, n: its n-th follow-up) of ``question_index``.
    False when that answer has no utterance (nothing said: nothing to time)."""
    interview = find_interview(session, token)
    entries = load_entries(session, interview.id)
    prompts = [0] + [e.seq for e in follow_ups_for(entries, question_index)]
    after = prompts[attempt] if 0 <= attempt < len(prompts) else None
    if after is None:
        return False
    before = prompts[attempt + 1] if attempt + 1 < len(prompts) else None
    answered = [e for e in answers_since(entries, question_index, after) if before is None or e.seq < before]
    if not answered:
        return False
    entry = answered[-1]
    entry.latency = {k: v for k, v in latency.items() if k in LATENCY_KEYS}
    session.add(entry)
    return True


def complete(session: Session, token: str) -> dict[str, Any]:
    """Complete the interview through ``interviews.complete_interview`` (status,
    ``completed_at``, transcript text, candidate -> interviewed, its round, and
    ``process_interview`` enqueued once the transaction commits).
    Idempotent: a completed interview returns as it is and enqueues nothing again."""
    interview = find_interview(session, token, lock=True)
    if interview.status != InterviewStatus.COMPLETED:
        ensure_takeable(interview)
        text = transcript_text(load_entries(session, interview.id))
        interview = interview_service.complete_interview(
            session, interview.id, internal_token=interview_service.internal_token_for(interview.id),
            transcript=text)
        session.flush()  # complete_interview enqueues process_interview (after commit, fixed job id)
        log.info("live interview completed", extra={"metadata": {"interview_id": str(interview.id)}})
    return {"interview_id": str(interview.id), "status": interview.status.value,
            "completed_at": as_utc(interview.completed_at).isoformat() if interview.completed_at else None}


def answer_context(session: Session, token: str) -> dict[str, Any]:
    """For a transport resuming an answer: the current step, the interview clock (ms since
    start), time left, and where the stored utterances of the current prompt's answer end."""
    interview = find_interview(session, token)
    ensure_started(interview)
    questions, entries = load_questions(session, interview), load_entries(session, interview.id)
    step = current_step(interview, questions, entries)
    follow_ups = follow_ups_for(entries, step["question_index"])
    stored = answers_since(entries, step["question_index"], follow_ups[-1].seq if follow_ups else 0)
    ends = [e.ended_ms for e in stored if e.ended_ms is not None]
    last = stored[-1] if stored else None
    settings = interview_settings(session, interview.company_id)
    return {"interview_id": str(interview.id), "current": step, "interview_ms": ms_since_start(interview),
            "time_left_seconds": time_left_seconds(interview), "last_end_ms": max(ends) if ends else None,
            "last_said": _utterance(last) if last is not None and last.started_ms is not None else None,
            "silence_seconds": settings["silence_seconds"], "patience_seconds": settings["patience_seconds"]}


# --- helpers ------------------------------------------------------------------------------------

def _ms(value: int | None) -> int | None:
    return max(0, int(value)) if value is not None else None


def _complete_step(session: Session, token: str) -> NextStep:
    complete(session, token)
    interview = find_interview(session, token)
    return current_step(interview, load_questions(session, interview), [])


def _ask_follow_up(session: Session, interview: Interview, question: Any, answer: str,
                   ai_config: Any) -> tuple[str | None, str]:
    """The provider's follow-up, or None. AI trouble never blocks the interview: it moves on."""
    if not answer.strip() or not question.key_points:
        return None, "none"
    candidate = session.get(Candidate, interview.candidate_id)
    names = [candidate.name] if candidate and candidate.name else []
    try:
        try:
            provider = get_provider(ai_config)
        except E.DomainError:  # e.g. Gemini chosen without a key: the offline provider still works
            provider = get_provider({"provider": "offline"})
        with provider:
            result = provider.follow_up(question.text, list(question.key_points), answer, candidate_names=names,
                                        red_flags=list(question.red_flags or []))
        return result.result, result.provider
    except Exception:
        log.exception("follow-up generation failed", extra={"metadata": {"interview_id": str(interview.id)}})
        return None, "error"

