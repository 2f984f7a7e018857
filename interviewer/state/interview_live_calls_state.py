"""Plain service calls for the candidate's live interview page (``interview_live_state``): each
opens its own short transaction and is meant to run in a worker thread (``asyncio.to_thread``)
from a background event, so no state lock is held while the database, Whisper or the AI works."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.services import interviews as interview_service
from interviewer.services import live_interview as live
from interviewer.services.live_interview_view import INTERVIEW_NO_QUESTIONS

log = logging.getLogger("interviewer.live.page")

TEST_SENTENCE = "I am ready for my technical interview today."
TEST_RECORD_MS = 5000
MAX_TEST_AUDIO_B64 = 16000 * 2 * 8 * 4 // 3 + 16  # 8 s of PCM16, base64
ERRORS = {
    "not_found": ("This interview link is not valid",
                  "Please check that you opened the full link from your invitation email, or contact the recruiter."),
    "expired": ("This interview link has expired",
                "Contact the recruiter who invited you: they can send you a new link."),
    "cancelled": ("This interview was cancelled", "Contact the recruiter if you think this is a mistake."),
    "completed": ("This interview is already complete",
                  "Thank you, your answers were received. The hiring team will be in touch."),
    "no_questions": ("This interview is not ready yet",
                     "The interview has no questions yet. Please contact the recruiter."),
}


def reason(exc: E.DomainError) -> str:
    """Which error page a refused link gets."""
    if isinstance(exc, E.NotFoundError):
        return "not_found"
    if exc.code == INTERVIEW_NO_QUESTIONS:
        return "no_questions"
    return str(exc.extra.get("reason") or "completed")


def open_view(token: str) -> dict[str, Any]:
    with session_scope() as session:
        return dict(live.open_session(session, token))


def transcribe(pcm: bytes) -> str:
    """The device check: one short recording through the same speech-to-text service."""
    from interviewer.services.speech import get_stt

    finals: list[str] = []
    stt = get_stt().open(on_event=lambda ev: finals.append(ev.text) if ev.type == "final" else None,
                         prompt=TEST_SENTENCE)
    try:
        for i in range(0, len(pcm), 32000):
            stt.feed(pcm[i:i + 32000])
        stt.flush(30.0)
    finally:
        stt.close()
    return " ".join(t.strip() for t in finals if t.strip())


def link_info(token: str) -> dict[str, Any]:
    with session_scope() as session:
        return interview_service.validate_token(session, token)


def record_signal(token: str, kind: str, detail: dict[str, Any], occurred: datetime | None) -> None:
    """Integrity signals are best effort: a refused one (caps, unknown kind) is only logged."""
    if kind not in live.SIGNAL_KINDS:
        return
    try:
        with session_scope() as session:
            live.record_signal(session, token, kind, detail, occurred)
    except E.DomainError:
        log.info("integrity signal not stored", extra={"metadata": {"kind": kind}})


def answer_typed(token: str, index: int, attempt: int, text: str) -> dict[str, Any]:
    """A typed answer: stored as an utterance (``source="typed"``), then the answer is finished."""
    with session_scope() as session:
        live.record_utterance(session, token, index, text, source="typed")
    with session_scope() as session:
        return dict(live.finish_answer(session, token, index, attempt))


def complete(token: str) -> None:
    with session_scope() as session:
        live.complete(session, token)


def parse_when(value: Any) -> datetime | None:
    """The browser's ISO time of a signal (the service bounds it to the interview's span)."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
