"""The job editor's "Try an answer" dialog (the rubric playground): HR types an answer to one
question and sees what the interview scorer would report: the score with its rule in words, one
row per key point with the quotes that decide it, and the flags. Nothing is stored.

Scoring runs in a background event and a worker thread: the state lock is held only to read the
form and to write the result, so the page stays responsive while the model loads or Gemini
answers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import pydantic
import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.services import auth as auth_service
from interviewer.services import rubric_playground
from interviewer.services.authz import Actor
from interviewer.state.assessment_view import NOT_JUDGED_RULE, not_judged, shown_score
from interviewer.state.assessment_view import PointRow, analysis_label, flag_notes, point_rows, rule_in_words
from interviewer.state.auth_state import validation_message
from interviewer.state.interviews_common_state import HiringState

MAX_ANSWER_CHARS = rubric_playground.MAX_ANSWER_CHARS
T = TypeVar("T")


class SignInAgain(Exception):
    """The access token stopped working between the check and the call."""


def as_signed_in(token: str, work: Callable[[Session, Actor], T]) -> T:
    """In a worker thread: ``work`` as the signed-in user, in a short transaction of its own."""
    with session_scope() as session:
        try:
            actor, _ = auth_service.authenticate_access_token(session, token)
        except E.AuthenticationError as exc:
            raise SignInAgain(exc.message) from exc
        return work(session, actor)


def _judge(token: str, question_id: str, answer: str) -> dict[str, Any]:
    data = rubric_playground.TryAnswer(question_id=uuid.UUID(question_id), answer=answer)
    return as_signed_in(token, lambda session, actor: rubric_playground.try_answer(session, actor, data))


def _wait_text(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"about {round(seconds / 60)} minutes"


def _error_text(exc: E.DomainError) -> str:
    if isinstance(exc, E.RateLimitedError) and exc.retry_after:
        return (f"You have tried many answers in a short time. Please wait {_wait_text(int(exc.retry_after))} "
                "and try again.")
    return exc.message


class PlaygroundState(HiringState):
    open: bool = False
    question_id: str = ""
    number: int = 0
    question: str = ""
    key_points: list[str] = []
    red_flags: list[str] = []  # the wrong ideas HR listed for the question
    answer: str = ""
    running: bool = False
    error: str = ""

    has_result: bool = False
    scored_answer: str = ""
    score: str = ""
    score_pct: int = 0
    rule: str = ""
    score_rule: str = ""
    points: list[PointRow] = []
    notes: list[str] = []
    analysis: str = ""
    fallback: str = ""
    rationale: str = ""

    _generation: int = 0

    def _clear_result(self) -> None:
        self.has_result, self.scored_answer, self.score, self.score_pct = False, "", "", 0
        self.rule, self.score_rule, self.points, self.notes = "", "", [], []
        self.analysis, self.fallback, self.rationale = "", "", ""

    @rx.event
    def open_for(self, question_id: str, number: int, question: str, key_points: list[str],
                 red_flags: list[str] | None = None):
        self._generation += 1  # a result still on its way belongs to the previous question
        self.question_id, self.number, self.question = question_id, int(number or 0), question
        self.key_points = [p for p in key_points or [] if str(p).strip()]
        self.red_flags = [f for f in red_flags or [] if str(f).strip()]
        self.answer, self.error, self.running = "", "", False
        self._clear_result()
        self.open = True

    @rx.event
    def set_open(self, value: bool):
        self.open = value
        if not value:
            self._generation += 1
            self.running = False

    @rx.event
    def set_answer(self, value: str):
        self.answer = value

    def _show(self, result: dict[str, Any]) -> None:
        rows = point_rows(result)
        self.points, self.has_result = rows, True
        flags = result.get("flags")
        self.score, self.score_pct = shown_score(result["score"], flags)
        self.rule = NOT_JUDGED_RULE if not_judged(flags) else rule_in_words(rows, result["score"])
        self.score_rule = result.get("score_rule") or ""
        self.notes = flag_notes(list(result.get("flags") or []))
        self.analysis = analysis_label(result.get("provider"))
        self.fallback = result.get("fallback_reason") or ""
        # The offline rationale restates the rule and the flags shown above; an AI's summary adds to them.
        self.rationale = "" if result.get("provider") == "offline" else (result.get("rationale") or "")
        if result.get("key_points"):
            self.key_points = list(result["key_points"])
        self.red_flags = list(result.get("red_flags") or [])  # the list the answer was judged with

    @rx.event(background=True)
    async def score_it(self):
        async with self:
            if self.running or not self.question_id:
                return
            answer = self.answer.strip()
            if not answer:
                self.error = "Type an answer first."
                return
            if len(answer) > MAX_ANSWER_CHARS:
                self.error = f"The answer is too long: at most {MAX_ANSWER_CHARS} characters."
                return
            if message := self._rate_limited("try_answer"):  # the REST AI limit, same counter
                self.error = message
                return
            if (token := self._fresh_token()) is None:
                yield self._end_session()
                return
            self.running, self.error = True, ""
            self._generation += 1
            generation, question_id = self._generation, self.question_id
        result, error, ended = None, "", False
        try:
            result = await asyncio.to_thread(_judge, token, question_id, answer)
        except SignInAgain:
            ended = True
        except E.DomainError as exc:
            error = _error_text(exc)
        except pydantic.ValidationError as exc:
            error = validation_message(exc)
        async with self:
            if generation != self._generation:
                return  # closed, or opened for another question meanwhile
            self.running = False
            if ended:
                yield self._end_session()
                return
            self.error = error
            if result is not None:
                self._show(result)
                self.scored_answer = answer
