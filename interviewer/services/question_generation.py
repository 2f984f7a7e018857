"""AI question generation for a job template (spec 7.2): queued as ``generate_questions``
(default queue, 5 min); the results are appended to the job's questions, never near-duplicates
of the ones it already has, each with the points a good answer covers."""

from __future__ import annotations

import uuid
from typing import Any

from rapidfuzz import fuzz
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.jobs.queue import enqueue_after_commit, job_info
from interviewer.models import JobTemplate, User
from interviewer.services import jobs as job_service
from interviewer.services.ai_config import provider_for_company
from interviewer.services.authz import Actor, actor_for

MAX_COUNT = 15
DUPLICATE_SIMILARITY = 85  # rapidfuzz token_set_ratio; at or above, a question counts as a repeat


def request_generation(session: Session, actor: Actor, job_id: uuid.UUID, count: int = 5) -> dict[str, Any]:
    actor.require("jobs:write")
    if not 1 <= count <= MAX_COUNT:
        raise E.ValidationError(f"count must be between 1 and {MAX_COUNT}.")
    job = job_service.get_job(session, actor, job_id)
    task_id = f"qgen-{job.id}-{uuid.uuid4().hex[:12]}"
    enqueue_after_commit(session, "generate_questions", str(job.id), count, str(actor.id), job_id=task_id)
    return {"task_id": task_id, "status": "queued", "job_template_id": str(job.id), "count": count}


def is_near_duplicate(text: str, existing: list[str]) -> bool:
    return any(fuzz.token_set_ratio(text.lower(), other.lower()) >= DUPLICATE_SIMILARITY for other in existing)


def prepare(session: Session, job_id: uuid.UUID, actor_id: uuid.UUID) -> dict[str, Any]:
    """Job step 1: what the provider needs, checked against the requester's current permissions."""
    user = session.get(User, actor_id)
    if user is None or not user.is_active:
        raise E.PermissionDeniedError("The requesting user is no longer active.")
    actor = actor_for(session, user)
    job = job_service.get_job(session, actor, job_id)
    actor.require("jobs:write")
    existing = [q.text for q in job_service.list_questions(session, actor, job.id)]
    return {"title": job.title, "description": job.description or "", "ai_prompt": job.ai_prompt,
            "company_id": job.company_id, "existing": existing}


def generate(session: Session, context: dict[str, Any], count: int) -> dict[str, Any]:
    """Job step 2: call the provider (no locks held)."""
    provider = provider_for_company(session, context["company_id"])
    outcome = provider.generate_questions(context["title"], context["description"], None,
                                          context["existing"], count, custom_prompt=context["ai_prompt"])
    return outcome.to_dict()


def save(session: Session, job_id: uuid.UUID, actor_id: uuid.UUID, outcome: dict[str, Any]) -> list[str]:
    """Job step 3: append the new questions (skipping any near-duplicate of what the job has now)."""
    actor = actor_for(session, session.get(User, actor_id))
    job = session.get(JobTemplate, job_id)
    current = [q.text for q in job_service.list_questions(session, actor, job.id)]
    created = []
    for item in outcome["result"]:
        if is_near_duplicate(item["text"], current):
            continue
        question = job_service.add_question(
            session, actor, job.id,
            job_service.QuestionCreate(text=item["text"], weight=2 if item["difficulty"] == "advanced" else 1,
                                       key_points=item["key_points"][:10],
                                       red_flags=[f.strip()[:300] for f in item.get("red_flags") or []
                                                  if isinstance(f, str) and f.strip()][:10]))
        question.kind, question.difficulty, question.source = item["kind"], item["difficulty"], "ai"
        session.add(question)
        current.append(item["text"])
        created.append(str(question.id))
    return created


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


def task_progress(session: Session, actor: Actor, task_id: str) -> dict[str, Any]:
    """A generation task's state: ``status`` queued / started / scheduled (waiting to retry) /
    finished / failed, ``stage``, ``created`` and ``created_ids``, ``provider``, ``error``."""
    job_service.get_job(session, actor, _job_of_task(task_id))  # tenancy and jobs:read
    info = job_info(task_id)
    if info is None:
        raise E.NotFoundError("Task not found.", code=TASK_NOT_FOUND)
    meta = info["meta"]
    progress = {"task_id": task_id, "status": info["status"], "stage": meta.get("stage") or "",
                "created": meta.get("created"), "provider": meta.get("provider") or "",
                "error": info["error"], "retries_left": info["retries_left"], "created_ids": []}
    if progress["stage"] == "failed":  # a permanent failure the job reported without retrying
        progress["status"], progress["error"] = "failed", meta.get("error") or "The task failed."
    elif info["status"] == "finished":
        progress["created_ids"] = [str(x) for x in (info["result"] or [])]
    return progress
