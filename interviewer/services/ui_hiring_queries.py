"""Read-only queries the hiring pages need beyond the domain services: question-generation
progress, display names for interview rows, an interviewer's free time on one day and which
analysis provider the company resolves to. Every function takes the Actor and stays inside its
tenant; nothing here writes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from interviewer.core.security import utcnow
from interviewer.models import Candidate, Interview, JobTemplate, User
from interviewer.services import availability, question_generation
from interviewer.services.ai.provider import AIConfigError
from interviewer.services.ai_config import provider_for_company
from interviewer.services.authz import Actor

def generation_progress(session: Session, actor: Actor, task_id: str) -> dict[str, Any]:
    """The state of a question-generation task (see services.question_generation.task_progress)."""
    return question_generation.task_progress(session, actor, task_id)


def interview_labels(session: Session, actor: Actor, interviews: list[Interview]) -> dict[uuid.UUID, dict[str, str]]:
    """Candidate name and email, job title and interviewer name of interviews the actor was
    already allowed to read (services.interviews.list_interviews / get_interview)."""
    interviews = [iv for iv in interviews if actor.in_company(iv.company_id)]
    if not interviews:
        return {}
    cand_ids = {iv.candidate_id for iv in interviews}
    job_ids = {iv.job_template_id for iv in interviews if iv.job_template_id}
    user_ids = {iv.interviewer_id for iv in interviews if iv.interviewer_id}
    companies = {iv.company_id for iv in interviews}
    candidates = {c.id: c for c in session.exec(select(Candidate).where(
        col(Candidate.id).in_(cand_ids), col(Candidate.company_id).in_(companies)))}
    jobs = {j.id: j.title for j in session.exec(select(JobTemplate).where(
        col(JobTemplate.id).in_(job_ids), col(JobTemplate.company_id).in_(companies)))} if job_ids else {}
    users = {u.id: u.name for u in session.exec(select(User).where(
        col(User.id).in_(user_ids), col(User.company_id).in_(companies)))} if user_ids else {}
    out = {}
    for iv in interviews:
        cand = candidates.get(iv.candidate_id)
        out[iv.id] = {"candidate": cand.name if cand else "", "candidate_email": cand.email if cand else "",
                      "job": jobs.get(iv.job_template_id, ""), "interviewer": users.get(iv.interviewer_id, "")}
    return out


def user_name(session: Session, actor: Actor, user_id: uuid.UUID | str | None) -> str:
    """The name of a user of the actor's company ('' when unknown or elsewhere)."""
    if not user_id:
        return ""
    try:
        user = session.get(User, uuid.UUID(str(user_id)))
    except ValueError:
        return ""
    return user.name if user is not None and actor.in_company(user.company_id) else ""


def interviewer_day(session: Session, actor: Actor, user_id: uuid.UUID, start: datetime, end: datetime,
                    duration_minutes: int) -> dict[str, Any]:
    """An interviewer's free slots in [start, end) long enough for ``duration_minutes``, and whether
    they keep an availability calendar at all (without one, any time without a clash is bookable)."""
    actor.require("interviews:write")
    free = availability.free_slots(session, actor, user_id=user_id, start=start, end=end,
                                   duration_minutes=duration_minutes)
    keeps = bool(availability.list_slots(session, actor, user_id=user_id, start=utcnow()))
    return {"free": free, "keeps_calendar": keeps}


def analysis_provider(session: Session, actor: Actor, company_id: uuid.UUID | None = None) -> str:
    """The provider the company's AI configuration resolves to: "offline", "gemini", or
    "unavailable" (Gemini chosen without any key)."""
    actor.require("jobs:read", "jobs:write", "interviews:read", "interviews:write")
    target = company_id if actor.is_admin and company_id else actor.company_id
    if target is None:
        return "offline"
    try:
        with provider_for_company(session, target) as provider:
            return provider.name
    except AIConfigError:
        return "unavailable"
