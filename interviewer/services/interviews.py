"""Interviews (spec 4.2.6, 5.6): scheduling, the public link, rescheduling, cancelling, completion.

The link carries an unguessable token (``secrets.token_urlsafe(32)``: 256 bits). Rescheduling
replaces the token, so an old link stops working; cancelling keeps it so the candidate is told
why. Who sees an interview: HR and admins (company-wide), and the assigned employee (the
interviewer, or the employee the candidate is assigned to); anyone else gets 404.
Invitation, update and cancellation emails carry an iCalendar attachment (services/calendar.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import and_, or_
from sqlmodel import Session, col, func, select

from interviewer.core import errors as E
from interviewer.jobs.queue import enqueue_after_commit
from interviewer.core.config import get_settings
from interviewer.core.security import derive_link_token, hash_opaque_token, utcnow
from interviewer.models import (
    AuditLog,
    Candidate,
    CandidateStatus,
    Company,
    Interview,
    InterviewRound,
    InterviewStatus,
    JobTemplate,
    RoundStatus,
    User,
    Verdict,
)
from interviewer.services import audit, cache, pipeline
from interviewer.services.authz import Actor, get_in_tenant
from interviewer.services.availability import (
    STAFF,
    DurationMinutes,
    as_utc,
    check_candidate_free,
    check_interviewer_free,
)
from interviewer.services.calendar import send_interview_email
from interviewer.services.jobs import JOB_NOT_FOUND

INTERVIEW_NOT_FOUND = "INTERVIEW_404"
INTERVIEW_STATE = "INTERVIEW_409"
TOKEN_NOT_FOUND = "INTERVIEW_TOKEN_404"
DEFAULT_LINK_DAYS = 7
MAX_LINK_DAYS = 90
PAST_GRACE = timedelta(minutes=5)
MAX_AHEAD = timedelta(days=366)  # an interview is booked within a year (a typo'd year is refused)
OPEN = (InterviewStatus.SCHEDULED, InterviewStatus.IN_PROGRESS)


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InterviewCreate(_Request):
    candidate_id: uuid.UUID
    job_template_id: uuid.UUID
    interviewer_id: uuid.UUID | None = Field(default=None, description="A human interviewer (HR or employee)")
    scheduled_at: datetime = Field(description="ISO 8601; without a zone it is taken as UTC")
    duration_minutes: DurationMinutes = 30
    expires_at: datetime | None = Field(default=None, description="Default: scheduled_at + 7 days")


class InterviewReschedule(_Request):
    scheduled_at: datetime
    duration_minutes: DurationMinutes | None = None
    expires_at: datetime | None = Field(default=None, description="Default: new scheduled_at + 7 days")


CANCEL_REASON_MIN, CANCEL_REASON_MAX = 3, 1000  # cancel_interview's rule (optional; told to the candidate)


class InterviewCancel(_Request):
    reason: str | None = Field(default=None, description="Optional, 3-1000 characters; included in the "
                                                         "candidate's cancellation email")


class InterviewComplete(_Request):
    transcript: Annotated[str, StringConstraints(max_length=500_000)] | None = None


class InterviewPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    company_id: uuid.UUID
    candidate_id: uuid.UUID
    job_template_id: uuid.UUID | None
    interviewer_id: uuid.UUID | None
    status: InterviewStatus
    scheduled_at: datetime | None
    duration_minutes: int
    expires_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    score: int | None
    verdict: Verdict | None = Field(description="The verdict that stands: HR's override when there is one, "
                                                "else the AI verdict")
    ai_verdict: Verdict | None = Field(default=None, description="The AI verdict, kept after an override")
    verdict_overridden: bool = False
    created_at: datetime
    updated_at: datetime | None = None
    interview_link: str | None = Field(default=None, description="Only for users who schedule interviews")


class TokenValidation(BaseModel):
    """Exactly what the public landing page may learn from a token."""

    valid: bool
    status: InterviewStatus
    reason: Literal["expired", "cancelled", "completed"] | None
    job_title: str | None
    company_name: str | None
    candidate_first_name: str | None
    scheduled_at: datetime | None
    expires_at: datetime | None
    duration_minutes: int


class TranscriptPublic(BaseModel):
    interview_id: uuid.UUID
    transcript: str | None
    started_at: datetime | None
    completed_at: datetime | None


INTERVIEW_FIELDS = set(InterviewPublic.model_fields)


def new_interview_token() -> str:
    """256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def interview_link(token: str) -> str:
    return get_settings().PUBLIC_URL.rstrip("/") + "/interview/" + token


# Link tokens are stored only as SHA-256 hashes (``interviews.token``) next to a random salt; the
# raw token is re-derived from SECRET_KEY when staff ask for the link (core.security.derive_link_token).

def token_hash(token: str) -> str:
    return hash_opaque_token(token)


def issue_link_token(interview: Interview) -> str:
    """A new link for ``interview`` (the previous one stops working); returns the raw token."""
    salt = secrets.token_hex(16)
    raw = derive_link_token("interview", str(interview.id), salt)
    interview.token, interview.token_salt = token_hash(raw), salt
    return raw


def link_token_of(interview: Interview) -> str | None:
    """The raw token of the interview's current link, when the server can re-create it (not for
    links issued before tokens were hashed, nor after SECRET_KEY changed)."""
    if not interview.token_salt:
        return None
    raw = derive_link_token("interview", str(interview.id), interview.token_salt)
    return raw if hmac.compare_digest(token_hash(raw), interview.token) else None


def link_of(interview: Interview) -> str | None:
    raw = link_token_of(interview)
    return interview_link(raw) if raw else None


def find_by_token(token: str | None):
    """The query for the interview behind a raw link token (None for an empty token)."""
    return select(Interview).where(Interview.token == token_hash(token)) if token else None


def internal_token_for(interview_id: uuid.UUID | str) -> str:
    """The ``X-Internal-Token`` with which the interview runner may complete this interview."""
    key = get_settings().SECRET_KEY.encode()
    return hmac.new(key, f"interview-complete:{interview_id}".encode(), hashlib.sha256).hexdigest()


def effective_status(interview: Interview, now: datetime | None = None) -> InterviewStatus:
    """A scheduled interview whose link has run out is reported as expired."""
    now = now or utcnow()
    if interview.status == InterviewStatus.SCHEDULED and interview.expires_at and now > as_utc(interview.expires_at):
        return InterviewStatus.EXPIRED
    return interview.status


def effective_verdict(interview: Interview) -> Verdict | None:
    """The verdict that stands everywhere (lists, candidate page, report, API, mail): HR's
    override when there is one, else the AI verdict."""
    if interview.verdict is None:
        return None
    return interview.verdict_override or interview.verdict


# --- reading ------------------------------------------------------------------------------------

def _sees_company(actor: Actor) -> bool:
    return actor.is_admin or actor.can("interviews:write") or actor.can("candidates:read")


def sees_company_interviews(actor: Actor) -> bool:
    """Every interview of the company (HR, admins), or only one's own and one's candidates' (employees)."""
    return _sees_company(actor)


def get_interview(session: Session, actor: Actor, interview_id: uuid.UUID) -> Interview:
    actor.require("interviews:read", "interviews:write")
    interview = get_in_tenant(session, Interview, interview_id, actor, what="Interview", code=INTERVIEW_NOT_FOUND)
    if _sees_company(actor) or interview.interviewer_id == actor.id:
        return interview
    candidate = session.get(Candidate, interview.candidate_id)
    if candidate is not None and candidate.assigned_to == actor.id:
        return interview
    raise E.NotFoundError("Interview not found.", code=INTERVIEW_NOT_FOUND)


def interview_public(interview: Interview, actor: Actor | None) -> InterviewPublic:
    out = InterviewPublic.model_validate(interview)
    out.status = effective_status(interview)
    out.verdict, out.ai_verdict = effective_verdict(interview), interview.verdict
    out.verdict_overridden = interview.verdict is not None and interview.verdict_override is not None
    if actor is None or actor.can("interviews:write"):
        out.interview_link = link_of(interview)
    return out


# Candidate stages in which nobody has decided on the candidate yet: an interview result waits for a person.
UNDECIDED_STAGES = (CandidateStatus.NEW, CandidateStatus.SCREENING, CandidateStatus.INTERVIEW_SCHEDULED,
                    CandidateStatus.INTERVIEWED)


def awaiting_decision_filter():
    """Finished, scored interviews no person has decided on: the verdict is not overridden and the
    candidate has not been moved on (offer, hired, rejected, withdrawn). One SQL condition on Interview."""
    undecided = select(Candidate.id).where(Candidate.id == Interview.candidate_id,
                                           col(Candidate.status).in_(UNDECIDED_STAGES)).correlate(Interview).exists()
    return and_(Interview.status == InterviewStatus.COMPLETED, col(Interview.verdict).is_not(None),
                col(Interview.verdict_override).is_(None), undecided)


def list_interviews(session: Session, actor: Actor, *, page: int = 1, per_page: int = 20,
                    status: InterviewStatus | None = None, awaiting_decision: bool = False,
                    candidate_id: uuid.UUID | None = None,
                    job_template_id: uuid.UUID | None = None, interviewer_id: uuid.UUID | None = None,
                    scheduled_from: datetime | None = None, scheduled_to: datetime | None = None,
                    company_id: uuid.UUID | None = None, descending: bool = False) -> tuple[list[Interview], int]:
    actor.require("interviews:read", "interviews:write")
    query = select(Interview)
    filters: list[Any] = []
    company_id = actor.company_param(company_id)
    if not actor.is_admin:
        filters.append(Interview.company_id == actor.company_id)
    elif company_id is not None:
        filters.append(Interview.company_id == company_id)
    if not _sees_company(actor):  # an employee: their own interviews and their candidates'
        query = query.join(Candidate, Candidate.id == Interview.candidate_id)
        filters.append(or_(Interview.interviewer_id == actor.id, Candidate.assigned_to == actor.id))
    now = utcnow()
    if status == InterviewStatus.EXPIRED:
        filters.append(or_(Interview.status == InterviewStatus.EXPIRED,
                           and_(Interview.status == InterviewStatus.SCHEDULED, col(Interview.expires_at) < now)))
    elif status == InterviewStatus.SCHEDULED:
        filters.append(and_(Interview.status == status,
                            or_(col(Interview.expires_at).is_(None), col(Interview.expires_at) >= now)))
    elif status is not None:
        filters.append(Interview.status == status)
    if awaiting_decision:  # the dashboard's "Awaiting decision": completed and nobody decided yet
        filters.append(awaiting_decision_filter())
    for column, value in ((Interview.candidate_id, candidate_id), (Interview.job_template_id, job_template_id),
                          (Interview.interviewer_id, interviewer_id)):
        if value is not None:
            filters.append(column == value)
    if scheduled_from is not None:
        filters.append(col(Interview.scheduled_at) >= as_utc(scheduled_from))
    if scheduled_to is not None:
        filters.append(col(Interview.scheduled_at) < as_utc(scheduled_to))
    query = query.where(*filters)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    order = col(Interview.scheduled_at).desc() if descending else col(Interview.scheduled_at).asc()
    rows = session.exec(query.order_by(order, Interview.id).offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def get_transcript(session: Session, actor: Actor, interview_id: uuid.UUID) -> dict[str, Any]:
    interview = get_interview(session, actor, interview_id)
    return {"interview_id": interview.id, "transcript": interview.transcript,
            "started_at": interview.started_at, "completed_at": interview.completed_at}


def validate_token(session: Session, token: str) -> dict[str, Any]:
    """The public link check: only what the candidate's landing page needs, nothing else."""
    interview = session.exec(find_by_token(token)).first() if token else None
    if interview is None:
        raise E.NotFoundError("This interview link is not valid.", code=TOKEN_NOT_FOUND,
                              extra={"valid": False, "reason": "not_found"})
    status = effective_status(interview)
    reason = {InterviewStatus.EXPIRED: "expired", InterviewStatus.CANCELLED: "cancelled",
              InterviewStatus.COMPLETED: "completed"}.get(status)
    candidate = session.get(Candidate, interview.candidate_id)
    job = session.get(JobTemplate, interview.job_template_id) if interview.job_template_id else None
    company = session.get(Company, interview.company_id)
    return {"valid": reason is None, "status": status.value, "reason": reason,
            "job_title": job.title if job else None, "company_name": company.name if company else None,
            "candidate_first_name": (candidate.name.split() or [None])[0] if candidate else None,
            "scheduled_at": interview.scheduled_at, "expires_at": interview.expires_at,
            "duration_minutes": interview.duration_minutes}


# --- scheduling ---------------------------------------------------------------------------------

def _link_days(session: Session, company_id: uuid.UUID) -> int:
    value = cache.company_settings(session, company_id).get("interview_link_days")
    return value if isinstance(value, int) and 1 <= value <= MAX_LINK_DAYS else DEFAULT_LINK_DAYS


def _check_times(session: Session, company_id: uuid.UUID, scheduled_at: datetime,
                 expires_at: datetime | None) -> tuple[datetime, datetime]:
    start = as_utc(scheduled_at)
    if start < utcnow() - PAST_GRACE:
        raise E.ValidationError("scheduled_at must not be in the past.")
    if start > utcnow() + MAX_AHEAD:
        raise E.ValidationError("scheduled_at must be within a year from now.")
    expires = as_utc(expires_at) if expires_at else start + timedelta(days=_link_days(session, company_id))
    if expires <= start:
        raise E.ValidationError("expires_at must be after scheduled_at.")
    if expires - start > timedelta(days=MAX_LINK_DAYS):
        raise E.ValidationError(f"expires_at must be within {MAX_LINK_DAYS} days of scheduled_at.")
    return start, expires


def _interviewer(session: Session, user_id: uuid.UUID, company_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None or user.company_id != company_id or user.role not in STAFF or not user.is_active:
        raise E.NotFoundError("Interviewer not found in this company.", code=E.USER_NOT_FOUND)
    return user


def schedule_interview(session: Session, actor: Actor, data: InterviewCreate) -> Interview:
    """Create the interview, move the candidate to interview_scheduled and email the invitation."""
    actor.require("interviews:write")
    candidate = get_in_tenant(session, Candidate, data.candidate_id, actor, what="Candidate",
                              code=pipeline.CAND_NOT_FOUND)
    job = session.get(JobTemplate, data.job_template_id)
    if job is None or job.company_id != candidate.company_id or not actor.in_company(job.company_id):
        raise E.NotFoundError("Job template not found.", code=JOB_NOT_FOUND)
    start, expires = _check_times(session, candidate.company_id, data.scheduled_at, data.expires_at)
    check_candidate_free(session, candidate, start, data.duration_minutes)
    interviewer = None
    if data.interviewer_id is not None:
        interviewer = _interviewer(session, data.interviewer_id, candidate.company_id)
        check_interviewer_free(session, interviewer, start, data.duration_minutes)
    pipeline.change_status(session, None, candidate.id, CandidateStatus.INTERVIEW_SCHEDULED,
                           note=f"Interview scheduled for {start:%Y-%m-%d %H:%M} UTC ({job.title})")
    interview = Interview(company_id=candidate.company_id, candidate_id=candidate.id, job_template_id=job.id,
                          interviewer_id=interviewer.id if interviewer else None,
                          scheduled_at=start, duration_minutes=data.duration_minutes, expires_at=expires)
    raw_token = issue_link_token(interview)
    session.add(interview)
    session.flush()
    audit.record(session, actor=actor, action="interview.schedule", entity_type="interview", entity_id=interview.id,
                 company_id=interview.company_id,
                 details={"candidate_id": str(candidate.id), "scheduled_at": start.isoformat()})
    send_interview_email(session, interview, link=interview_link(raw_token), sequence=0)
    return interview


def _writable(session: Session, actor: Actor, interview_id: uuid.UUID) -> Interview:
    actor.require("interviews:write")
    get_in_tenant(session, Interview, interview_id, actor, what="Interview", code=INTERVIEW_NOT_FOUND)
    return session.get(Interview, interview_id, with_for_update=True, populate_existing=True)


def ics_sequence(session: Session, interview_id: uuid.UUID) -> int:
    """How many times the invitation was revised (reschedules and a cancellation), from the audit log."""
    return session.exec(select(func.count()).select_from(AuditLog).where(
        AuditLog.entity_type == "interview", AuditLog.entity_id == str(interview_id),
        col(AuditLog.action).in_(("interview.reschedule", "interview.cancel")))).one()


def reschedule_interview(session: Session, actor: Actor, interview_id: uuid.UUID,
                         data: InterviewReschedule) -> Interview:
    """New time and a new token (the old link stops working); the candidate gets an updated invite."""
    interview = _writable(session, actor, interview_id)
    if interview.status != InterviewStatus.SCHEDULED:
        raise E.ConflictError(f"An interview that is {interview.status.value} cannot be rescheduled.",
                              code=INTERVIEW_STATE)
    start, expires = _check_times(session, interview.company_id, data.scheduled_at, data.expires_at)
    duration = data.duration_minutes or interview.duration_minutes
    check_candidate_free(session, session.get(Candidate, interview.candidate_id), start, duration,
                         exclude=interview.id)
    if interview.interviewer_id is not None:
        interviewer = session.get(User, interview.interviewer_id)
        check_interviewer_free(session, interviewer, start, duration, exclude=interview.id)
    previous = interview.scheduled_at
    interview.scheduled_at, interview.expires_at, interview.duration_minutes = start, expires, duration
    raw_token = issue_link_token(interview)
    session.add(interview)
    for rnd in session.exec(select(InterviewRound).where(InterviewRound.interview_id == interview.id)):
        rnd.scheduled_at = start
        session.add(rnd)
    audit.record(session, actor=actor, action="interview.reschedule", entity_type="interview",
                 entity_id=interview.id, company_id=interview.company_id,
                 details={"from": previous.isoformat() if previous else None, "to": start.isoformat()})
    session.flush()
    send_interview_email(session, interview, link=interview_link(raw_token),
                         sequence=ics_sequence(session, interview.id), update=True)
    return interview


def cancel_interview(session: Session, actor: Actor, interview_id: uuid.UUID, reason: str | None = None) -> Interview:
    """Cancel (idempotent); the link then reports ``cancelled`` and a METHOD:CANCEL email goes out.
    A round that used this interview returns to pending so it can be scheduled again."""
    reason = (reason or "").strip() or None
    if reason is not None and not CANCEL_REASON_MIN <= len(reason) <= CANCEL_REASON_MAX:
        raise E.ValidationError(f"The reason goes into the candidate's email: write {CANCEL_REASON_MIN} to "
                                f"{CANCEL_REASON_MAX} characters, or leave it empty.", code="VAL_001")
    interview = _writable(session, actor, interview_id)
    if interview.status == InterviewStatus.CANCELLED:
        return interview
    if interview.status == InterviewStatus.COMPLETED:
        raise E.ConflictError("A completed interview cannot be cancelled.", code=INTERVIEW_STATE)
    interview.status, interview.cancelled_at = InterviewStatus.CANCELLED, utcnow()
    session.add(interview)
    for rnd in session.exec(select(InterviewRound).where(InterviewRound.interview_id == interview.id)):
        rnd.status, rnd.scheduled_at, rnd.interview_id = RoundStatus.PENDING, None, None
        session.add(rnd)
    audit.record(session, actor=actor, action="interview.cancel", entity_type="interview", entity_id=interview.id,
                 company_id=interview.company_id, details={"reason": reason} if reason else {})
    session.flush()
    send_interview_email(session, interview, link=link_of(interview) or get_settings().PUBLIC_URL.rstrip("/"),
                         sequence=ics_sequence(session, interview.id), cancel=True, reason=reason)
    return interview


def complete_interview(session: Session, interview_id: uuid.UUID, *, actor: Actor | None = None,
                       internal_token: str | None = None, transcript: str | None = None) -> Interview:
    """The "System" role: a system admin, or the runner holding ``internal_token_for(interview_id)``.
    Idempotent; the candidate moves to interviewed (once no other interview is open) and the
    interview's round becomes completed."""
    if internal_token is not None:
        if not hmac.compare_digest(internal_token.encode(), internal_token_for(interview_id).encode()):
            raise E.PermissionDeniedError("Invalid internal token.", code=E.PERM_DENIED)
    elif actor is not None:
        actor.require("system:admin")
    else:
        raise E.AuthenticationError("Not authenticated.", code=E.AUTH_NOT_AUTHENTICATED)
    interview = session.get(Interview, interview_id, with_for_update=True, populate_existing=True)
    if interview is None:
        raise E.NotFoundError("Interview not found.", code=INTERVIEW_NOT_FOUND)
    if interview.status == InterviewStatus.COMPLETED:
        return interview
    if interview.status == InterviewStatus.CANCELLED:
        raise E.ConflictError("A cancelled interview cannot be completed.", code=INTERVIEW_STATE)
    now = utcnow()
    interview.status, interview.completed_at = InterviewStatus.COMPLETED, now
    interview.started_at = interview.started_at or now
    if transcript is not None:
        interview.transcript = transcript
    session.add(interview)
    for rnd in session.exec(select(InterviewRound).where(InterviewRound.interview_id == interview.id)):
        rnd.status = RoundStatus.COMPLETED
        session.add(rnd)
    session.flush()
    still_open = session.exec(select(func.count()).select_from(Interview).where(
        Interview.candidate_id == interview.candidate_id, col(Interview.status).in_(OPEN))).one()
    candidate = session.get(Candidate, interview.candidate_id)
    if not still_open and pipeline.can_transition(candidate.status, CandidateStatus.INTERVIEWED):
        pipeline.change_status(session, None, candidate.id, CandidateStatus.INTERVIEWED, note="Interview completed")
    audit.record(session, actor=actor, action="interview.complete", entity_type="interview", entity_id=interview.id,
                 company_id=interview.company_id, details={"by": "system" if actor is None else "admin"})
    # The verdict job (high queue); its fixed id keeps a repeated enqueue from scoring twice.
    enqueue_after_commit(session, "process_interview", str(interview.id), job_id=f"score-{interview.id}")
    return interview
