"""The rubric playground: HR tries an answer on a question before it goes live and sees exactly what
the scorer would report (score, per-point judgement, quotes, the rule). Same code path as scoring a
real interview (the company's provider behind the fairness redaction), nothing is stored.

Used by ``POST /api/v1/ai/score-answer`` and the job editor's "Try an answer" dialog; both obey the
AI rate limit per user here, in the service, so the UI cannot bypass it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.models import Question
from interviewer.services.ai.judgement import SCORE_RULE, review_reasons
from interviewer.services.ai_config import provider_for_company
from interviewer.services.authz import Actor

MAX_ANSWER_CHARS = 8000
PLAYGROUND_QUESTION_NOT_FOUND = "QUESTION_404"

PointText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class TryAnswer(BaseModel):
    """Either ``question_id`` (a question of your company) or ``question`` + ``key_points``."""

    model_config = ConfigDict(extra="forbid")

    question_id: uuid.UUID | None = None
    question: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None
    key_points: list[PointText] | None = Field(default=None, max_length=10)
    red_flags: list[PointText] | None = Field(
        default=None, max_length=10,
        description="Wrong ideas to watch for; with question_id, the question's own list is used unless given")
    answer: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ANSWER_CHARS)]

    @model_validator(mode="after")
    def _one_source(self) -> TryAnswer:
        if self.question_id is None and not (self.question and self.key_points):
            raise ValueError("give question_id, or question and at least one key point")
        if self.question_id is not None and (self.question or self.key_points):
            raise ValueError("give question_id or question + key_points, not both")
        return self


def _rate_limit(actor: Actor) -> None:
    from interviewer.core.config import get_settings
    from interviewer.core.ratelimit import Limit, hit

    settings = get_settings()
    if not settings.RATE_LIMIT_ENABLED:
        return
    allowed, _, retry_after = hit("ai-user", str(actor.id), Limit.parse(settings.RATE_LIMIT_AI))
    if not allowed:
        raise E.RateLimitedError("Too many AI requests; try again shortly.", retry_after=retry_after)


def _with_company_provider(session: Session, actor: Actor, no_company: str, call: Callable[[Any], Any]) -> Any:
    """``call`` with the actor's company's AI provider, under the AI rate limit; nothing is written, so
    the connection goes back to the pool while the provider works."""
    if actor.company_id is None:
        raise E.ValidationError(no_company)
    _rate_limit(actor)
    provider = provider_for_company(session, actor.company_id)
    session.rollback()
    with provider:
        return call(provider)


def try_answer(session: Session, actor: Actor, data: TryAnswer) -> dict[str, Any]:
    """Judge ``data.answer`` as the interview scorer would; returns the judgement, nothing stored."""
    actor.require("jobs:write")
    if data.question_id is not None:
        from interviewer.services.jobs import get_job

        question = session.get(Question, data.question_id)
        if question is not None:
            try:
                get_job(session, actor, question.job_template_id)  # tenancy
            except E.NotFoundError:
                question = None  # another company's question answers exactly like a missing one
        if question is None:
            raise E.NotFoundError("Question not found.", code=PLAYGROUND_QUESTION_NOT_FOUND)
        text, key_points = question.text, [kp for kp in question.key_points if kp.strip()]
        red_flags = list(data.red_flags) if data.red_flags is not None else list(question.red_flags or [])
        if not key_points:
            raise E.ValidationError("This question has no key points yet: add some before trying an answer.",
                                    code="QUESTION_422")
    else:
        text, key_points = data.question or "", list(data.key_points or [])
        red_flags = list(data.red_flags or [])
    outcome = _with_company_provider(
        session, actor, "The playground scores with a company's AI settings; sign in as company staff.",
        lambda provider: provider.score_answer(text, key_points, data.answer, red_flags=red_flags))
    result = outcome.result
    return {
        "score": result.score,
        "score_rule": SCORE_RULE,
        "points": [p.model_dump() for p in result.points],
        "covered_points": result.covered_points, "partial_points": result.partial_points,
        "missed_points": result.missed_points, "evidence_quotes": result.evidence_quotes,
        "flags": result.flags, "rationale": result.rationale,
        "review_reasons": review_reasons(result),  # what would send a real interview to REVIEW
        "provider": outcome.provider, "model": outcome.model, "fallback_reason": outcome.fallback_reason,
        "question": text, "key_points": key_points, "red_flags": red_flags,
    }


class SuggestIdeas(BaseModel):
    """A question and its key points (saved or not) to suggest wrong ideas for."""

    model_config = ConfigDict(extra="forbid")

    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    key_points: list[PointText] = Field(min_length=1, max_length=10)


NO_OFFLINE_IDEAS = ("The offline analysis can suggest wrong ideas only for questions like those of its own bank. "
                    "Write your own (common mistakes, as a candidate would say them), or choose an AI provider in "
                    "AI settings.")


def suggest_wrong_ideas(session: Session, actor: Actor, data: SuggestIdeas) -> dict[str, Any]:
    """Wrong ideas to watch for, suggested by the company's AI provider for HR to edit; nothing stored."""
    actor.require("jobs:write")
    outcome = _with_company_provider(
        session, actor, "Suggestions use a company's AI settings; sign in as company staff.",
        lambda provider: provider.suggest_red_flags(data.question, list(data.key_points)))
    ideas = list(outcome.result)
    note = ""
    if not ideas:
        note = NO_OFFLINE_IDEAS if outcome.provider == "offline" else "The AI suggested none for this question."
    return {"red_flags": ideas, "note": note, "provider": outcome.provider, "model": outcome.model,
            "fallback_reason": outcome.fallback_reason}
