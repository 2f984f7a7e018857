"""Read models for the home screens: the staff dashboard summary and the candidate's own profile.

Tenancy: company users count only their company's rows; an employee who may read only assigned
candidates counts only those; system admins count every company. A candidate sees only the
candidate records linked to their own account (``candidates.user_id == actor.id``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, or_
from sqlmodel import Session, col, func, select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.models import (
    Candidate,
    CandidateStatus,
    CandidateStatusHistory,
    Company,
    CompanyRegistrationRequest,
    Interview,
    InterviewStatus,
    JobTemplate,
    RegistrationStatus,
    User,
    UserRole,
    Verdict,
)
from interviewer.services import interviews as interview_service
from interviewer.services.authz import Actor
from interviewer.services.imports_run import IMPORT_NOTE

PIPELINE = tuple(CandidateStatus)


@dataclass(frozen=True)
class DashboardSummary:
    """Counts for the dashboard. ``None`` means "not visible to this actor" (not zero)."""

    scope: str  # "company" | "assigned" | "all" | "none": which candidates the counts cover
    candidates_by_status: dict[str, int] = field(default_factory=dict)  # every pipeline stage, in order
    candidates_total: int = 0
    awaiting_review: int | None = None  # finished interviews no person has decided on yet
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
    # Counted only for those who manage users / jobs: an employee may read names through the API
    # but has no Users or Jobs page to open, so a card counting them would lead nowhere.
    if actor.can("users:write"):
        staff = [*tenant, User.role != UserRole.CANDIDATE]
        users_total = _count(session, User, *staff)
        users_active = _count(session, User, *staff, User.is_active.is_(True))

    jobs_total = None
    if actor.can("jobs:write"):
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
    awaiting = _awaiting_query(actor)
    awaiting_total = None if awaiting is None else int(
        session.exec(select(func.count()).select_from(awaiting.subquery())).one())

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
        awaiting_review=awaiting_total,
        pending_company_requests=pending,
        companies_total=companies,
    )


UNDECIDED = interview_service.UNDECIDED_STAGES


def _awaiting_query(actor: Actor):
    """Finished, scored interviews no person has decided on (``interviews.awaiting_decision_filter``,
    the rule the interviews list's "Awaiting decision" filter uses too). None without interview access."""
    if not (actor.can("interviews:read") or actor.can("interviews:write")):
        return None
    query = (select(Interview.id).join(Candidate, Candidate.id == Interview.candidate_id)
             .where(interview_service.awaiting_decision_filter()))
    if not actor.is_admin:
        query = query.where(Interview.company_id == actor.company_id)
        if not interview_service.sees_company_interviews(actor):  # employees: theirs and their candidates'
            query = query.where(or_(Interview.interviewer_id == actor.id, Candidate.assigned_to == actor.id))
    return query


def awaiting_review(session: Session, actor: Actor, *, limit: int = 8) -> list[dict]:
    """The finished interviews waiting for a decision: REVIEW verdicts first, then the longest waiting."""
    if actor.role == UserRole.CANDIDATE:
        raise E.PermissionDeniedError("The dashboard is for company staff.", code=E.PERM_DENIED)
    query = _awaiting_query(actor)
    if query is None:
        return []
    rows = session.exec(
        select(Interview, Candidate.name, JobTemplate.title)
        .join(Candidate, Candidate.id == Interview.candidate_id)
        .outerjoin(JobTemplate, JobTemplate.id == Interview.job_template_id)
        .where(col(Interview.id).in_(query))
        .order_by(case((Interview.verdict == Verdict.REVIEW, 0), else_=1), col(Interview.completed_at).asc(),
                  Interview.id)
        .limit(limit)
    ).all()
    return [{"id": str(i.id), "candidate_id": str(i.candidate_id), "candidate_name": name, "job_title": title or "",
             "verdict": i.verdict.value, "score": i.score, "completed_at": i.completed_at}
            for i, name, title in rows]


ACTIVITY_BATCH_GAP = timedelta(minutes=2)  # moves of one kind closer together than this are one batch
ACTIVITY_SCAN = 500  # history rows read to fill the list (an import of thousands is still one row)


def recent_activity(session: Session, actor: Actor, *, limit: int = 10) -> list[dict]:
    """The latest pipeline moves, newest first, with a batch (the same move by the same person or
    import, moments apart: a CSV import, a bulk action) folded into one row that counts them.

    Each row: ``count``, ``candidate_id``/``candidate_name`` (of the newest move in the row),
    ``from_status``, ``to_status`` ('' when the candidate was added), ``by``, ``note``, ``at``,
    ``first_at`` and ``import_batch`` (the row is a CSV import)."""
    scope, filters = _candidate_filters(actor)
    if scope == "none" or actor.role == UserRole.CANDIDATE:
        return []
    history = session.exec(
        select(CandidateStatusHistory, Candidate.name)
        .join(Candidate, Candidate.id == CandidateStatusHistory.candidate_id)
        .where(*filters)
        .order_by(col(CandidateStatusHistory.created_at).desc(), col(CandidateStatusHistory.id).desc())
        .limit(ACTIVITY_SCAN)
    ).all()
    rows: list[dict] = []
    for h, name in history:
        key = (h.changed_by, h.from_status, h.to_status, h.note or "")
        last = rows[-1] if rows else None
        if last is not None and last["key"] == key and last["first_at"] - h.created_at <= ACTIVITY_BATCH_GAP:
            last["count"] += 1
            last["first_at"] = h.created_at
            continue
        if len(rows) == limit:
            break
        rows.append({"key": key, "count": 1, "candidate_id": str(h.candidate_id), "candidate_name": name,
                     "from_status": h.from_status.value if h.from_status else "", "to_status": h.to_status.value,
                     "changed_by": h.changed_by, "note": h.note or "", "at": h.created_at, "first_at": h.created_at,
                     "import_batch": (h.note or "") == IMPORT_NOTE})
    user_ids = {r["changed_by"] for r in rows if r["changed_by"]}
    names = dict(session.exec(select(User.id, User.name).where(col(User.id).in_(user_ids))).all()) if user_ids else {}
    for row in rows:
        row.pop("key")
        row["by"] = names.get(row.pop("changed_by"), "")
    return rows


@dataclass(frozen=True)
class EmployeeHome:
    """What an employee's home adds to the dashboard: their availability ahead."""

    slots_ahead: int  # availability slots in the next AVAILABILITY_AHEAD
    next_slot: datetime | None  # when the next (or current) slot starts


AVAILABILITY_AHEAD = timedelta(days=14)


def employee_home(session: Session, actor: Actor) -> EmployeeHome:
    from interviewer.services import availability

    now = utcnow()
    slots = availability.list_slots(session, actor, start=now, end=now + AVAILABILITY_AHEAD)
    return EmployeeHome(slots_ahead=len(slots), next_slot=slots[0].starts_at if slots else None)


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
