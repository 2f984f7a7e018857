"""Read-only queries the hiring pages need beyond the domain services: question-generation
progress, display names for interview rows, an interviewer's free time on one day and which
analysis provider the company resolves to. Every function takes the Actor and stays inside its
tenant; nothing here writes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from rq.exceptions import NoSuchJobError
from rq.job import Job
from sqlmodel import Session, col, select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.jobs.queue import rq_connection
from interviewer.models import Candidate, Interview, JobTemplate, User
from interviewer.services import availability
from interviewer.services import jobs as job_service
from interviewer.services.ai.provider import AIConfigError
from interviewer.services.ai_config import provider_for_company
from interviewer.services.authz import Actor

TASK_NOT_FOUND = "TASK_404"


def _job_of_task(task_id: str) -> uuid.UUID:
    """``qgen-<job uuid>-<suffix>``: the job template a generation task belongs to."""
    parts = task_id.split("-")
    if len(parts) < 7 or parts[0] != "qgen":
        raise E.NotFoundError("Task not found.", code=TASK_NOT_FOUND)
    try:
        return uuid.UUID("-".join(parts[1:6]))
    except ValueError:
        raise E.NotFoundError("Task not found.", code=TASK_NOT_FOUND) from None


def generation_progress(session: Session, actor: Actor, task_id: str) -> dict[str, Any]:
    """The state of a question-generation task (the RQ job and the stage it reports in its meta):
    ``status`` queued / started / scheduled (waiting to retry) / finished / failed, ``stage``,
    ``created`` (questions added) and ``created_ids``, ``provider`` and ``error`` (the last line of the failure)."""
    job_service.get_job(session, actor, _job_of_task(task_id))  # tenancy and jobs:read
    try:
        job = Job.fetch(task_id, connection=rq_connection())
    except NoSuchJobError:
        raise E.NotFoundError("Task not found.", code=TASK_NOT_FOUND) from None
    state = job.get_status(refresh=True)
    status = getattr(state, "value", str(state))
    info: dict[str, Any] = {"task_id": task_id, "status": status, "stage": job.meta.get("stage") or "",
                            "created": job.meta.get("created"), "provider": job.meta.get("provider") or "",
                            "error": "", "retries_left": job.retries_left}
    if status in ("failed", "scheduled"):
        result = job.latest_result()
        lines = (result.exc_string or "").strip().splitlines() if result is not None else []
        info["error"] = lines[-1] if lines else ""
    if status == "finished":
        info["created_ids"] = [str(x) for x in (job.return_value() or [])]
    return info


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
