"""Interview rounds (spec 4.2.7): an ordered plan per candidate, scheduled one round at a time.

A round is scheduled through the ordinary interview scheduling (same checks, same email) and
only once the previous round is completed (or skipped). Interview completion and cancellation
keep their round in step (services/interviews.py).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from sqlalchemy.orm import object_session
from sqlmodel import Session, func, select

from interviewer.core import errors as E
from interviewer.models import Candidate, Interview, InterviewRound, JobTemplate, RoundStatus
from interviewer.services import audit, pipeline
from interviewer.services.availability import DurationMinutes
from interviewer.services.authz import Actor, get_in_tenant
from interviewer.services.interviews import InterviewCreate, link_of, schedule_interview
from interviewer.services.jobs import JOB_NOT_FOUND

ROUND_NOT_FOUND = "ROUND_404"
ROUND_ORDER = "ROUND_409"
MAX_ROUNDS = 10
KNOWN_TYPES = ("technical", "hr", "behavioral", "system_design", "culture", "final")
DONE = (RoundStatus.COMPLETED, RoundStatus.SKIPPED)

RoundType = Annotated[str, BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v),
                      StringConstraints(min_length=2, max_length=50, pattern=r"^[a-z][a-z0-9_-]*$")]


class RoundSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    round_type: RoundType = Field(description=f"One of {', '.join(KNOWN_TYPES)} or any short slug")
    job_template_id: uuid.UUID | None = Field(default=None, description="Default: the candidate's job")


class RoundPlan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rounds: list[RoundSpec] = Field(min_length=1, max_length=MAX_ROUNDS)


class RoundSchedule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scheduled_at: datetime
    duration_minutes: DurationMinutes = 30
    interviewer_id: uuid.UUID | None = None
    expires_at: datetime | None = None


class RoundPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    candidate_id: uuid.UUID
    job_template_id: uuid.UUID | None
    round_number: int
    round_type: str
    status: RoundStatus
    scheduled_at: datetime | None
    interview_link: str | None = None
    interview_id: uuid.UUID | None
    created_at: datetime


def _candidate(session: Session, actor: Actor, candidate_id: uuid.UUID, *, write: bool) -> Candidate:
    if write:
        actor.require("interviews:write")
    else:
        actor.require("interviews:read", "interviews:write")
    candidate = get_in_tenant(session, Candidate, candidate_id, actor, what="Candidate", code=pipeline.CAND_NOT_FOUND)
    sees_all = actor.is_admin or actor.can("interviews:write") or actor.can("candidates:read")
    if not sees_all and candidate.assigned_to != actor.id:
        raise E.NotFoundError("Candidate not found.", code=pipeline.CAND_NOT_FOUND)
    return candidate


def _rounds(session: Session, candidate_id: uuid.UUID) -> list[InterviewRound]:
    return list(session.exec(select(InterviewRound).where(InterviewRound.candidate_id == candidate_id)
                             .order_by(InterviewRound.round_number)))


def list_rounds(session: Session, actor: Actor, candidate_id: uuid.UUID) -> list[InterviewRound]:
    candidate = _candidate(session, actor, candidate_id, write=False)
    return _rounds(session, candidate.id)


def plan_rounds(session: Session, actor: Actor, candidate_id: uuid.UUID, plan: RoundPlan) -> list[InterviewRound]:
    """Append the given rounds, numbered after any existing ones (a new plan starts at 1)."""
    candidate = _candidate(session, actor, candidate_id, write=True)
    session.get(Candidate, candidate.id, with_for_update=True)  # serialise numbering
    existing = session.exec(select(func.max(InterviewRound.round_number))
                            .where(InterviewRound.candidate_id == candidate.id)).one() or 0
    count = session.exec(select(func.count()).select_from(InterviewRound)
                         .where(InterviewRound.candidate_id == candidate.id)).one()
    if count + len(plan.rounds) > MAX_ROUNDS:
        raise E.ConflictError(f"A candidate can have at most {MAX_ROUNDS} rounds.", code=ROUND_ORDER)
    created = []
    for offset, spec in enumerate(plan.rounds, start=1):
        job_id = spec.job_template_id or candidate.job_template_id
        if spec.job_template_id is not None:
            job = session.get(JobTemplate, spec.job_template_id)
            if job is None or job.company_id != candidate.company_id:
                raise E.NotFoundError("Job template not found.", code=JOB_NOT_FOUND)
        rnd = InterviewRound(candidate_id=candidate.id, job_template_id=job_id,
                             round_number=existing + offset, round_type=spec.round_type)
        session.add(rnd)
        created.append(rnd)
    session.flush()
    audit.record(session, actor=actor, action="rounds.plan", entity_type="candidate", entity_id=candidate.id,
                 company_id=candidate.company_id, details={"rounds": [r.round_type for r in created]})
    return _rounds(session, candidate.id)


def schedule_round(session: Session, actor: Actor, candidate_id: uuid.UUID, round_id: uuid.UUID,
                   data: RoundSchedule) -> InterviewRound:
    """Create the round's interview; refused (409) until the previous round is completed or skipped."""
    candidate = _candidate(session, actor, candidate_id, write=True)
    session.get(Candidate, candidate.id, with_for_update=True)
    rnd = session.get(InterviewRound, round_id, with_for_update=True, populate_existing=True)
    if rnd is None or rnd.candidate_id != candidate.id:
        raise E.NotFoundError("Round not found.", code=ROUND_NOT_FOUND)
    if rnd.status != RoundStatus.PENDING:
        raise E.ConflictError(f"Round {rnd.round_number} is already {rnd.status.value}.", code=ROUND_ORDER)
    earlier = [r for r in _rounds(session, candidate.id) if r.round_number < rnd.round_number]
    blocking = [r for r in earlier if r.status not in DONE]
    if blocking:
        raise E.ConflictError(
            f"Round {blocking[0].round_number} ({blocking[0].round_type}) must be completed before "
            f"round {rnd.round_number} can be scheduled.", code=ROUND_ORDER)
    job_id = rnd.job_template_id or candidate.job_template_id
    if job_id is None:
        raise E.ValidationError("This round has no job template; set one on the round or the candidate.")
    interview = schedule_interview(session, actor, InterviewCreate(
        candidate_id=candidate.id, job_template_id=job_id, interviewer_id=data.interviewer_id,
        scheduled_at=data.scheduled_at, duration_minutes=data.duration_minutes, expires_at=data.expires_at))
    rnd.status, rnd.scheduled_at = RoundStatus.SCHEDULED, interview.scheduled_at
    rnd.interview_id = interview.id
    rnd.job_template_id = job_id
    session.add(rnd)
    session.flush()
    audit.record(session, actor=actor, action="round.schedule", entity_type="interview_round", entity_id=rnd.id,
                 company_id=candidate.company_id, details={"interview_id": str(interview.id)})
    return rnd


def round_public(rnd: InterviewRound, actor: Actor) -> RoundPublic:
    """The link (it carries the candidate's token) only for those who schedule interviews."""
    out = RoundPublic.model_validate(rnd)
    session = object_session(rnd)
    interview = session.get(Interview, rnd.interview_id) if session is not None and rnd.interview_id else None
    out.interview_link = link_of(interview) if interview is not None and actor.can("interviews:write") else None
    return out
