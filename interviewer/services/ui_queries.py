"""Read-only helpers for the recruiting screens: display names, select options, the dashboard's
activity feed and upcoming interviews.

Every function takes the ``Actor`` and stays inside what the candidate services let that actor
see (``candidates.scope_filters``): a company user only ever gets names and rows of their own
company, an employee only rows about the candidates assigned to them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlmodel import Session, col, select

from interviewer.core.security import utcnow
from interviewer.models import (
    Candidate,
    Company,
    InterviewStatus,
    JobTemplate,
    User,
    UserRole,
)
from interviewer.services import interviews as interview_service
from interviewer.services.authz import Actor
from interviewer.services.candidates import ASSIGNABLE_ROLES, get_candidate, scope_filters


@dataclass
class Names:
    users: dict[uuid.UUID, str] = field(default_factory=dict)
    jobs: dict[uuid.UUID, str] = field(default_factory=dict)
    companies: dict[uuid.UUID, str] = field(default_factory=dict)


def _ids(values: Iterable[uuid.UUID | None]) -> list[uuid.UUID]:
    return list({v for v in values if v is not None})


def _company_filter(actor: Actor, column, company_id: uuid.UUID | None = None) -> list:
    if actor.is_admin:
        return [column == company_id] if company_id else []
    return [column == actor.company_id]


def lookup_names(session: Session, actor: Actor, *, user_ids: Iterable[uuid.UUID | None] = (),
                 job_ids: Iterable[uuid.UUID | None] = (),
                 company_ids: Iterable[uuid.UUID | None] = ()) -> Names:
    """Names of users (of the actor's company, plus platform admins), jobs and companies."""
    scope_filters(actor)  # 403 for anyone who may not see candidates
    names = Names()
    if users := _ids(user_ids):
        tenant = [] if actor.is_admin else [or_(User.company_id == actor.company_id,
                                                User.role == UserRole.SYSTEM_ADMIN)]
        names.users = dict(session.exec(select(User.id, User.name).where(col(User.id).in_(users), *tenant)).all())
    if jobs := _ids(job_ids):
        names.jobs = dict(session.exec(select(JobTemplate.id, JobTemplate.title)
                                       .where(col(JobTemplate.id).in_(jobs),
                                              *_company_filter(actor, JobTemplate.company_id))).all())
    if companies := _ids(company_ids):
        names.companies = dict(session.exec(select(Company.id, Company.name)
                                            .where(col(Company.id).in_(companies),
                                                   *_company_filter(actor, Company.id))).all())
    return names


def job_options(session: Session, actor: Actor, company_id: uuid.UUID | None = None) -> list[dict]:
    """The jobs candidates can be filtered by or linked to: [{id, title, company_id}]."""
    scope_filters(actor)
    rows = session.exec(select(JobTemplate.id, JobTemplate.title, JobTemplate.company_id)
                        .where(*_company_filter(actor, JobTemplate.company_id, company_id))
                        .order_by(JobTemplate.title).limit(500)).all()
    return [{"id": str(i), "title": t, "company_id": str(c)} for i, t, c in rows]


def assignee_options(session: Session, actor: Actor, company_id: uuid.UUID | None = None) -> list[dict]:
    """Active HR and employee users a candidate may be assigned to: [{id, name, email, company_id}]."""
    scope_filters(actor)
    rows = session.exec(select(User.id, User.name, User.email, User.company_id)
                        .where(col(User.role).in_(ASSIGNABLE_ROLES), User.is_active.is_(True),
                               *_company_filter(actor, User.company_id, company_id))
                        .order_by(User.name).limit(500)).all()
    return [{"id": str(i), "name": n, "email": e, "company_id": str(c)} for i, n, e, c in rows]


def candidate_context(session: Session, actor: Actor, candidate_id: uuid.UUID) -> dict:
    """What the detail page shows next to the candidate row: job title and description, the
    assignee's and company's names (the candidate itself comes from ``candidates.get_candidate``)."""
    cand = get_candidate(session, actor, candidate_id)
    job = session.get(JobTemplate, cand.job_template_id) if cand.job_template_id else None
    if job is not None and job.company_id != cand.company_id:
        job = None
    names = lookup_names(session, actor, user_ids=[cand.assigned_to], company_ids=[cand.company_id])
    return {"job_title": job.title if job else "", "job_description": (job.description or "") if job else "",
            "assignee_name": names.users.get(cand.assigned_to, "") if cand.assigned_to else "",
            "company_name": names.companies.get(cand.company_id, "")}


def interview_rows(session: Session, actor: Actor, interviews: list) -> list[dict]:
    """Interviews (already authorised by the interview service) with candidate and job names."""
    cand_ids = _ids(i.candidate_id for i in interviews)
    candidates = dict(session.exec(select(Candidate.id, Candidate.name)
                                   .where(col(Candidate.id).in_(cand_ids),
                                          *_company_filter(actor, Candidate.company_id))).all()) if cand_ids else {}
    names = lookup_names(session, actor, user_ids=[i.interviewer_id for i in interviews],
                         job_ids=[i.job_template_id for i in interviews])
    out = []
    for i in interviews:
        public = interview_service.interview_public(i, actor)
        out.append({"id": str(i.id), "candidate_id": str(i.candidate_id),
                    "candidate_name": candidates.get(i.candidate_id, ""),
                    "job_title": names.jobs.get(i.job_template_id, "") if i.job_template_id else "",
                    "interviewer": names.users.get(i.interviewer_id, "") if i.interviewer_id else "",
                    "status": public.status.value, "scheduled_at": i.scheduled_at,
                    "duration_minutes": i.duration_minutes, "score": i.score,
                    "verdict": public.verdict.value if public.verdict else "",
                    "verdict_overridden": public.verdict_overridden})
    return out


def upcoming_interviews(session: Session, actor: Actor, *, limit: int = 5) -> list[dict]:
    """The next scheduled interviews the actor may see (soonest first); [] without interview access."""
    if not (actor.can("interviews:read") or actor.can("interviews:write")):
        return []
    rows, _ = interview_service.list_interviews(session, actor, per_page=limit, status=InterviewStatus.SCHEDULED,
                                                scheduled_from=utcnow())
    return interview_rows(session, actor, rows)


def candidate_interviews(session: Session, actor: Actor, candidate_id: uuid.UUID) -> list[dict]:
    """Every interview of one candidate, newest first; [] without interview access."""
    get_candidate(session, actor, candidate_id)
    if not (actor.can("interviews:read") or actor.can("interviews:write")):
        return []
    rows, _ = interview_service.list_interviews(session, actor, per_page=100, candidate_id=candidate_id,
                                                descending=True)
    return interview_rows(session, actor, rows)

