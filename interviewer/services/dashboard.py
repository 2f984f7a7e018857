"""Read models for the home screens: the staff dashboard summary and the candidate's own profile.

Tenancy: company users count only their company's rows; an employee who may read only assigned
candidates counts only those; system admins count every company. A candidate sees only the
candidate records linked to their own account (``candidates.user_id == actor.id``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, func, select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.models import (
    Candidate,
    CandidateStatus,
    Company,
    CompanyRegistrationRequest,
    Interview,
    InterviewStatus,
    JobTemplate,
    RegistrationStatus,
    User,
    UserRole,
)
from interviewer.services.authz import Actor

PIPELINE = tuple(CandidateStatus)


@dataclass(frozen=True)
class DashboardSummary:
    """Counts for the dashboard. ``None`` means "not visible to this actor" (not zero)."""

    scope: str  # "company" | "assigned" | "all" | "none": which candidates the counts cover
    candidates_by_status: dict[str, int] = field(default_factory=dict)  # every pipeline stage, in order
    candidates_total: int = 0
    users_total: int | None = None
    users_active: int | None = None
    jobs_total: int | None = None
    interviews_upcoming: int | None = None
    pending_company_requests: int | None = None
    companies_total: int | None = None


@dataclass(frozen=True)
class CandidateRecord:
    company_name: str
    job_title: str | None
    status: CandidateStatus
    created_at: datetime


@dataclass(frozen=True)
class CandidateProfile:
    user_id: uuid.UUID
    name: str
    email: str
    records: list[CandidateRecord]


def _candidate_filters(actor: Actor) -> tuple[str, list]:
    """Which candidates the actor may count, as SQL filters (and a label for the UI)."""
    if actor.is_admin:
        return "all", []
    if actor.can("candidates:read") or actor.can("candidates:write"):
        return "company", [Candidate.company_id == actor.company_id]
    if actor.can("candidates:read_assigned"):
        return "assigned", [Candidate.company_id == actor.company_id, Candidate.assigned_to == actor.id]
    return "none", []


def _count(session: Session, model: type, *filters) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(*filters)).one())


def summary(session: Session, actor: Actor) -> DashboardSummary:
    """The dashboard numbers for a staff member (system admin, HR, employee)."""
    if actor.role == UserRole.CANDIDATE:
        raise E.PermissionDeniedError("The dashboard is for company staff.", code=E.PERM_DENIED)
    scope, cand_filters = _candidate_filters(actor)
    by_status = {s.value: 0 for s in PIPELINE}
    if scope != "none":
        rows = session.exec(
            select(Candidate.status, func.count()).where(*cand_filters).group_by(Candidate.status)
        ).all()
        for status, count in rows:
            by_status[CandidateStatus(status).value] = int(count)
    tenant = [] if actor.is_admin else [User.company_id == actor.company_id]

    users_total = users_active = None
    if actor.can("users:read") or actor.can("users:write"):
        staff = [*tenant, User.role != UserRole.CANDIDATE]
        users_total = _count(session, User, *staff)
        users_active = _count(session, User, *staff, User.is_active.is_(True))

    jobs_total = None
    if actor.can("jobs:read") or actor.can("jobs:write"):
        jobs_total = _count(session, JobTemplate,
                            *([] if actor.is_admin else [JobTemplate.company_id == actor.company_id]))

    interviews_upcoming = None
    if actor.can("interviews:read") or actor.can("interviews:write"):
        filters = [Interview.status == InterviewStatus.SCHEDULED,
                   or_(Interview.scheduled_at.is_(None), Interview.scheduled_at >= utcnow())]
        if not actor.is_admin:
            filters.append(Interview.company_id == actor.company_id)
            if scope != "company":  # employees: the interviews they run or of candidates assigned to them
                assigned = select(Candidate.id).where(Candidate.assigned_to == actor.id)
                filters.append(or_(Interview.interviewer_id == actor.id, Interview.candidate_id.in_(assigned)))
        interviews_upcoming = _count(session, Interview, *filters)

    pending = companies = None
    if actor.can("system:admin"):
        pending = _count(session, CompanyRegistrationRequest,
                         CompanyRegistrationRequest.status == RegistrationStatus.PENDING)
        companies = _count(session, Company)

    return DashboardSummary(
        scope=scope,
        candidates_by_status=by_status,
        candidates_total=sum(by_status.values()),
        users_total=users_total,
        users_active=users_active,
        jobs_total=jobs_total,
        interviews_upcoming=interviews_upcoming,
        pending_company_requests=pending,
        companies_total=companies,
    )


def candidate_profile(session: Session, actor: Actor) -> CandidateProfile:
    """A candidate's own account and the applications linked to it (never anyone else's)."""
    actor.require_role(UserRole.CANDIDATE)
    user = session.get(User, actor.id)
    if user is None:
        raise E.NotFoundError("User not found.", code=E.USER_NOT_FOUND)
    rows = session.exec(
        select(Candidate, Company.name, JobTemplate.title)
        .join(Company, Company.id == Candidate.company_id)
        .outerjoin(JobTemplate, JobTemplate.id == Candidate.job_template_id)
        .where(Candidate.user_id == actor.id)
        .order_by(Candidate.created_at.desc(), Candidate.id)
    ).all()
    records = [CandidateRecord(company_name=company, job_title=title, status=cand.status, created_at=cand.created_at)
               for cand, company, title in rows]
    return CandidateProfile(user_id=user.id, name=user.name, email=user.email, records=records)
