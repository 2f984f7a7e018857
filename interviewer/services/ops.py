"""Operations for system admins: the job-queue dashboard (queue counts, workers, failed jobs with
their error) and retrying a failed job. RQ is read through ``interviewer.jobs.admin``."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.jobs import admin as job_admin
from interviewer.services import audit
from interviewer.services.authz import Actor

MAX_FAILED = 200
# what RQ accepts as a job id (it raises on anything else), within the audit log's entity_id
_JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def queue_dashboard(actor: Actor) -> dict[str, Any]:
    """Counts per queue and the workers that are alive."""
    actor.require("system:admin")
    return {"queues": job_admin.queue_counts(), "workers": job_admin.worker_list()}


def list_failed_jobs(actor: Actor, *, queue: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    actor.require("system:admin")
    if queue is not None and queue not in job_admin.QUEUE_NAMES:
        raise E.ValidationError(f"Unknown queue {queue!r}; queues: {', '.join(job_admin.QUEUE_NAMES)}.",
                                code="OPS_422")
    return job_admin.failed_jobs(queue, limit=max(1, min(limit, MAX_FAILED)))


def retry_failed_job(session: Session, actor: Actor, job_id: str) -> dict[str, Any]:
    """Requeue one failed job; jobs are idempotent, so a retry never doubles a result."""
    actor.require("system:admin")
    if not _JOB_ID.fullmatch(job_id or ""):
        raise E.ValidationError("A job id has 1-64 letters, digits, underscores or dashes.", code="OPS_422")
    outcome = job_admin.retry_failed_job(job_id)
    if outcome is None:
        raise E.NotFoundError("No failed job with this id.", code="OPS_404")
    audit.record(session, actor=actor, action="job.retried", entity_type="job", entity_id=job_id,
                 company_id=None, details={"queue": outcome["queue"], "task": outcome["task"]})
    return outcome
