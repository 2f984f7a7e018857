"""A candidate's request for an alternative format or an accommodation, made from the interview
link before (or during) the interview, and HR's answer.

* The request is stored (``accommodation_requests``, status ``open``): a task for the company's HR,
  listed on the dashboard ("Accommodation requests") and by ``GET /fairness/accommodation-requests``.
  Every active HR user of the company is also emailed (outbox), and the audit log records it.
  The interview itself is not changed, so the candidate may still take it as it is.
* HR answers in the app: the answer is emailed to the candidate (outbox), the request becomes
  ``answered`` (who, when, the text) and the audit log records it. Only users who may schedule
  interviews (``interviews:write``: HR, system admins) of the request's company see or answer
  requests; another company's request is "not found".

Abuse guard: at most ``MAX_REQUESTS`` per interview link."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, func, select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.models import (
    AccommodationRequest,
    AccommodationStatus,
    Candidate,
    Company,
    Interview,
    JobTemplate,
    User,
    UserRole,
)
from interviewer.services import audit
from interviewer.services.authz import Actor, get_in_tenant
from interviewer.services.pipeline import CAND_NOT_FOUND
from interviewer.services.email import queue_email
from interviewer.services.live_interview_view import ensure_takeable, find_interview
from interviewer.services.mail_render import app_url, privacy_footer

KINDS: dict[str, str] = {
    "more_time": "More time",
    "typing_only": "Typing my answers only (no microphone)",
    "another_format": "Another format (for example, a conversation with a person)",
    "other": "Something else",
}
MAX_REQUESTS = 3
MAX_MESSAGE = 2000
MAX_ANSWER = 4000
ACTION = "accommodation.request"
ANSWERED_ACTION = "accommodation.answered"
TOO_MANY = "FAIR_429"
NOT_FOUND = "ACCOM_404"
ALREADY_ANSWERED = "ACCOM_409"
BAD_ANSWER = "ACCOM_422"
PERMISSION = "interviews:write"


class AccommodationRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["more_time", "typing_only", "another_format", "other"]
    message: str = Field(default="", max_length=MAX_MESSAGE)


class AccommodationAnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: str = Field(min_length=1, max_length=MAX_ANSWER, description="Emailed to the candidate as written")


class AccommodationRequestPublic(BaseModel):
    id: uuid.UUID
    interview_id: uuid.UUID
    candidate_id: uuid.UUID
    candidate_name: str
    candidate_email: str
    job_title: str
    kind: str
    kind_label: str
    message: str
    status: AccommodationStatus
    answer: str | None = None
    answered_by_name: str | None = None
    answered_at: datetime | None = None
    created_at: datetime


def _one_line(text: str, limit: int) -> str:
    return " ".join(line.strip() for line in (text or "").splitlines() if line.strip())[:limit]


def request_accommodation(session: Session, token: str, data: AccommodationRequestIn) -> int:
    """Store the request as an open task for the company's HR, email every active HR user of the
    company (the outbox) and record it; returns how many HR users were told. Refused for links
    that are used up, expired or cancelled."""
    interview = find_interview(session, token, lock=True)
    ensure_takeable(interview)
    earlier = session.exec(select(func.count()).select_from(AccommodationRequest)
                           .where(AccommodationRequest.interview_id == interview.id)).one()
    if earlier >= MAX_REQUESTS:
        raise E.ConflictError("Your requests were already sent; the hiring team will answer you by email.",
                              code=TOO_MANY)
    candidate = session.get(Candidate, interview.candidate_id)
    company = session.get(Company, interview.company_id)
    job = session.get(JobTemplate, interview.job_template_id) if interview.job_template_id else None
    message = _one_line(data.message, MAX_MESSAGE)
    request = AccommodationRequest(company_id=interview.company_id, interview_id=interview.id,
                                   candidate_id=interview.candidate_id, kind=data.kind, message=message)
    session.add(request)
    session.flush()
    hr = session.exec(select(User).where(User.company_id == interview.company_id, User.role == UserRole.HR,
                                         col(User.is_active).is_(True)).order_by(User.email)).all()
    name = candidate.name if candidate else "A candidate"
    subject = f"Accommodation request: {name}, {job.title if job else 'interview'}"
    body = (f"{name} ({candidate.email if candidate else 'no email'}) asks, before their AI interview"
            f"{' for ' + job.title if job else ''} at {company.name if company else 'your company'}, for:\n\n"
            f"  {KINDS[data.kind]}\n\n"
            + (f"Their words: \"{message}\"\n\n" if message else "")
            + "Answer it in the app (the answer is emailed to the candidate) from the dashboard's "
            f"\"Accommodation requests\":\n{app_url('/dashboard')}\n\n"
            "Change or reschedule the interview there if needed:\n"
            f"{app_url(f'/interviews/{interview.id}')}\n\n"
            "The interview link still works as it is until you change it.\n")
    for user in hr:
        queue_email(session, to=user.email, subject=subject, body_text=body, kind="accommodation_request",
                    company_id=interview.company_id)
    # The candidate's own words live on the request (erased with it), not in the audit log.
    audit.record(session, actor=None, action=ACTION, entity_type="interview", entity_id=interview.id,
                 company_id=interview.company_id,
                 details={"kind": data.kind, "request_id": str(request.id), "notified": [u.email for u in hr]})
    return len(hr)


def _scope(actor: Actor, company_id: uuid.UUID | None) -> uuid.UUID | None:
    actor.require(PERMISSION)
    return actor.company_param(company_id)  # None: a system admin looking at every company


def _public(session: Session, rows: list[AccommodationRequest]) -> list[AccommodationRequestPublic]:
    if not rows:
        return []
    candidates = {c.id: c for c in session.exec(select(Candidate).where(
        col(Candidate.id).in_({r.candidate_id for r in rows})))}
    interviews = {i.id: i for i in session.exec(select(Interview).where(
        col(Interview.id).in_({r.interview_id for r in rows})))}
    job_ids = {i.job_template_id for i in interviews.values() if i.job_template_id}
    jobs = {j.id: j.title for j in session.exec(select(JobTemplate).where(col(JobTemplate.id).in_(job_ids)))} \
        if job_ids else {}
    user_ids = {r.answered_by for r in rows if r.answered_by}
    users = {u.id: u.name for u in session.exec(select(User).where(col(User.id).in_(user_ids)))} if user_ids else {}
    out = []
    for r in rows:
        cand, interview = candidates.get(r.candidate_id), interviews.get(r.interview_id)
        out.append(AccommodationRequestPublic(
            id=r.id, interview_id=r.interview_id, candidate_id=r.candidate_id,
            candidate_name=cand.name if cand else "", candidate_email=cand.email if cand else "",
            job_title=jobs.get(interview.job_template_id, "") if interview and interview.job_template_id else "",
            kind=r.kind, kind_label=KINDS.get(r.kind, r.kind), message=r.message, status=r.status, answer=r.answer,
            answered_by_name=users.get(r.answered_by) if r.answered_by else None, answered_at=r.answered_at,
            created_at=r.created_at))
    return out


def list_requests(session: Session, actor: Actor, *, status: AccommodationStatus | None = AccommodationStatus.OPEN,
                  company_id: uuid.UUID | None = None, candidate_id: uuid.UUID | None = None,
                  limit: int = 50) -> list[AccommodationRequestPublic]:
    """The company's requests (``candidate_id``: one candidate's, who must be in the actor's
    company), oldest open first (answered ones, or open and answered together: newest first)."""
    company = _scope(actor, company_id)
    query = select(AccommodationRequest)
    if company is not None:
        query = query.where(AccommodationRequest.company_id == company)
    if candidate_id is not None:
        get_in_tenant(session, Candidate, candidate_id, actor, what="Candidate", code=CAND_NOT_FOUND)
        query = query.where(AccommodationRequest.candidate_id == candidate_id)
    if status is not None:
        query = query.where(AccommodationRequest.status == status)
    order = col(AccommodationRequest.created_at)
    query = query.order_by(order.asc() if status == AccommodationStatus.OPEN else order.desc())
    return _public(session, list(session.exec(query.limit(max(1, min(limit, 200))))))


def count_open(session: Session, actor: Actor) -> int | None:
    """Open requests for the dashboard; None when the actor may not see them."""
    if not actor.can(PERMISSION):
        return None
    query = select(func.count()).select_from(AccommodationRequest).where(
        AccommodationRequest.status == AccommodationStatus.OPEN)
    if not actor.is_admin:
        query = query.where(AccommodationRequest.company_id == actor.company_id)
    return session.exec(query).one()


def answer_request(session: Session, actor: Actor, request_id: uuid.UUID,
                   data: AccommodationAnswerIn) -> AccommodationRequestPublic:
    """Email ``data.answer`` to the candidate, mark the request answered, record it. An answered
    request cannot be answered again (409): a second, different mail would confuse the candidate."""
    actor.require(PERMISSION)
    request = get_in_tenant(session, AccommodationRequest, request_id, actor, what="Accommodation request",
                            code=NOT_FOUND)
    session.refresh(request, with_for_update=True)  # two HR users answering at once: one wins
    if request.status == AccommodationStatus.ANSWERED:
        raise E.ConflictError("This request was already answered.", code=ALREADY_ANSWERED)
    answer = (data.answer or "").strip()
    if not answer:
        raise E.ValidationError("Write the answer to send to the candidate.", code=BAD_ANSWER)
    candidate = session.get(Candidate, request.candidate_id)
    interview = session.get(Interview, request.interview_id)
    company = session.get(Company, request.company_id)
    job = session.get(JobTemplate, interview.job_template_id) if interview and interview.job_template_id else None
    company_name = company.name if company else "the hiring team"
    first_name = (candidate.name.split() or [candidate.name])[0] if candidate and candidate.name else "there"
    subject = f"Your request for your interview{' for ' + job.title if job else ''} at {company_name}"
    body = (f"Hello {first_name},\n\nYou asked for: {KINDS.get(request.kind, request.kind)}.\n\n"
            f"The hiring team at {company_name} answers:\n\n{answer}\n\n"
            "Your interview link keeps working unless the team has told you otherwise above.\n"
            + privacy_footer(company_name))
    message = queue_email(session, to=candidate.email, subject=subject, body_text=body,
                          kind="accommodation_answer", company_id=request.company_id)
    request.status, request.answer = AccommodationStatus.ANSWERED, answer
    request.answered_by, request.answered_at = actor.id, utcnow()
    session.add(request)
    audit.record(session, actor=actor, action=ANSWERED_ACTION, entity_type="interview",
                 entity_id=request.interview_id, company_id=request.company_id,
                 details={"kind": request.kind, "request_id": str(request.id), "message_id": str(message.id)})
    session.flush()
    return _public(session, [request])[0]
