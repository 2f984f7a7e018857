"""Voluntary self-identification, the candidate's side: after the interview is complete, the
candidate may tell us their sex and race/ethnicity for the company's bias audit, or skip it.

What this module guarantees (and tests/services/test_self_identification.py checks):

* Only the interview link (the candidate's credential) writes an answer, and only once the
  interview is complete (it is never asked before or during the interview, so it cannot
  influence it) and for ``ANSWER_WINDOW`` after that.
* Nothing is required: every field may be left out, "prefer not to say" is an answer.
* The answer is stored in ``self_identifications`` keyed by the interview, with no name, email or
  candidate id; one answer per candidate (a newer one, after another interview, replaces it).
* No function here returns an answer. Nobody reads one person's answer back: the only reader is
  ``services/fairness.py``, which counts people per category for ``compliance:read``.
* No AI provider, prompt or report reads this table (nothing under services/ai, scoring or the
  live interview imports it).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, delete, select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.models import Interview, InterviewStatus
from interviewer.models.fairness import (
    RACE_LABELS,
    SEX_LABELS,
    RaceCategory,
    SelfIdentification,
    SexCategory,
)
from interviewer.services.availability import as_utc
from interviewer.services.live_interview_view import find_interview

ANSWER_WINDOW = timedelta(days=7)
SELF_ID_NOT_OPEN = "FAIR_409"  # the interview is not complete yet
SELF_ID_CLOSED = "FAIR_410"  # the answer window after the interview has passed


class SelfIdentificationIn(BaseModel):
    """What the candidate chose; ``None`` leaves a question unanswered."""

    model_config = ConfigDict(extra="forbid")

    sex: SexCategory | None = None
    race_ethnicity: RaceCategory | None = None


def categories() -> dict[str, list[dict[str, str]]]:
    """The choices as shown to candidates (value + label), in the order they are shown."""
    return {"sex": [{"value": k, "label": v} for k, v in SEX_LABELS.items()],
            "race_ethnicity": [{"value": k, "label": v} for k, v in RACE_LABELS.items()]}


def _answerable(interview: Interview) -> None:
    if interview.status != InterviewStatus.COMPLETED or interview.completed_at is None:
        raise E.ConflictError("These optional questions open once the interview is complete.", code=SELF_ID_NOT_OPEN)
    if utcnow() - as_utc(interview.completed_at) > ANSWER_WINDOW:
        raise E.ConflictError("The optional questions for this interview are closed.", code=SELF_ID_CLOSED)


def record_self_identification(session: Session, token: str, data: SelfIdentificationIn) -> bool:
    """Store the candidate's answer for the interview behind ``token``. Returns False (and stores
    nothing) when both questions were left unanswered, which is the same as skipping."""
    interview = find_interview(session, token, lock=True)
    _answerable(interview)
    if data.sex is None and data.race_ethnicity is None:
        return False
    same_candidate = select(Interview.id).where(Interview.candidate_id == interview.candidate_id)
    session.exec(delete(SelfIdentification).where(col(SelfIdentification.interview_id).in_(same_candidate)))
    session.add(SelfIdentification(interview_id=interview.id, company_id=interview.company_id, sex=data.sex,
                                   race_ethnicity=data.race_ethnicity))
    session.flush()
    return True


def form_state(session: Session, token: str) -> dict[str, Any]:
    """Whether the link may still answer (for the page); never the answer itself."""
    interview = find_interview(session, token)
    try:
        _answerable(interview)
    except E.ConflictError as exc:
        return {"open": False, "reason": exc.code}
    return {"open": True, "reason": ""}
