"""Plain service calls for the candidate's live interview page (``interview_live_state``): each
opens its own short transaction and is meant to run in a worker thread (``asyncio.to_thread``)
from a background event, so no state lock is held while the database, Whisper or the AI works."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.live import store as live_store
from interviewer.services import device_check
from interviewer.services import interviews as interview_service
from interviewer.services import live_interview as live
from interviewer.services.live_interview_view import INTERVIEW_NO_QUESTIONS

log = logging.getLogger("interviewer.live.page")

TEST_SENTENCE = device_check.TEST_SENTENCE
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


def authorize_device_check(token: str) -> None:
    """The link must still be usable and the interview have device checks left (raises)."""
    with session_scope() as session:
        device_check.authorize(session, token)


def transcribe(pcm: bytes, on_busy: Callable[[int], None] | None = None) -> str:
    """The device check's recording as text (the speech pool's low-priority path, retried while
    it is busy; ``device_check.SpeechBusy`` when it stays busy)."""
    return device_check.transcribe(pcm, on_busy=on_busy)


def assess(pcm: bytes, heard: str) -> dict[str, Any]:
    return device_check.assess(device_check.measure_level(pcm), heard).to_dict()


# The live interview's actions go through interviewer.live (one LiveSession per call, state in
# the database): the same code as the audio socket's, so the two channels cannot disagree.

def answer_so_far(token: str) -> dict[str, Any]:
    """The current prompt and the stored utterances of its answer so far (spoken or typed), in
    order: what a candidate who switches between voice and typing mid-answer has already said."""
    return live_store.said_so_far(token)


def speech_being_saved(token: str) -> bool:
    """Whether a closed audio connection of this interview is still transcribing and storing
    what was said (the live session's flush flag); False when that cannot be told."""
    return live_store.being_saved(token)


def save_draft(token: str, index: int, text: str) -> None:
    """Typed words kept as part of the open answer (``source="typed"``) without ending it: the
    candidate switched back to answering by voice."""
    live_store.keep_typed(token, index, text)


def link_info(token: str) -> dict[str, Any]:
    with session_scope() as session:
        return interview_service.validate_token(session, token)


def record_signal(token: str, kind: str, detail: dict[str, Any], occurred: datetime | None) -> None:
    """Integrity signals are best effort: a refused one (caps, unknown kind) is only logged."""
    if kind not in live.SIGNAL_KINDS:
        return
    if not live_store.signal(token, kind, detail, occurred):
        log.info("integrity signal not stored", extra={"metadata": {"kind": kind}})


def answer_typed(token: str, index: int, attempt: int, text: str) -> dict[str, Any]:
    """A typed answer: stored as an utterance (``source="typed"``), after any spoken words of the
    same answer still being saved, then the answer is finished."""
    return dict(live_store.typed_answer(token, index, attempt, text))


def complete(token: str) -> None:
    live_store.complete(token)


def parse_when(value: Any) -> datetime | None:
    """The browser's ISO time of a signal (the service bounds it to the interview's span)."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
