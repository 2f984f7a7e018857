"""Read and act on RQ's own bookkeeping for the admin queue dashboard (services call these;
they never import rq themselves)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rq import Queue, Worker
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry

from interviewer.jobs.queue import QUEUE_TIMEOUTS, get_queue, rq_connection

QUEUE_NAMES = tuple(QUEUE_TIMEOUTS)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def queue_counts() -> list[dict[str, Any]]:
    """Per queue: waiting, running, failed, scheduled (retry backoff), deferred and finished jobs."""
    rows = []
    for name in QUEUE_NAMES:
        q = get_queue(name)
        rows.append({"name": name, "queued": q.count, "started": q.started_job_registry.count,
                     "failed": q.failed_job_registry.count, "scheduled": q.scheduled_job_registry.count,
                     "deferred": q.deferred_job_registry.count, "finished": q.finished_job_registry.count})
    return rows


def worker_list() -> list[dict[str, Any]]:
    rows = []
    for w in Worker.all(connection=rq_connection()):
        job = w.get_current_job()
        state = w.get_state()
        rows.append({"name": w.name, "queues": w.queue_names(), "state": getattr(state, "value", str(state)),
                     "current_job": job.id if job else None, "last_heartbeat": _iso(w.last_heartbeat),
                     "successful_jobs": w.successful_job_count, "failed_jobs": w.failed_job_count})
    return sorted(rows, key=lambda r: r["name"])


def _error_of(job: Job) -> tuple[str, str]:
    """(last line, full traceback) of the job's latest failure."""
    result = job.latest_result()
    text = (result.exc_string if result is not None else None) or job.exc_info or ""
    lines = text.strip().splitlines()
    return (lines[-1] if lines else ""), text


def failed_jobs(queue: str | None = None, *, limit: int = 50) -> list[dict[str, Any]]:
    """Failed jobs (no retry left), newest first, with the error that ended them."""
    names = [queue] if queue else list(QUEUE_NAMES)
    rows: list[dict[str, Any]] = []
    for name in names:
        registry = FailedJobRegistry(queue=get_queue(name))
        ids = registry.get_job_ids(0, limit - 1, desc=True)
        for job in Job.fetch_many(ids, connection=rq_connection()):
            if job is None:  # expired between the two reads
                continue
            error, trace = _error_of(job)
            rows.append({"id": job.id, "queue": name, "task": job.meta.get("task") or job.func_name,
                         "args": [str(a) for a in job.args], "error": error, "traceback": trace[-4000:],
                         "enqueued_at": _iso(job.enqueued_at), "ended_at": _iso(job.ended_at)})
    rows.sort(key=lambda r: r["ended_at"] or "", reverse=True)
    return rows[:limit]


def retry_failed_job(job_id: str) -> dict[str, Any] | None:
    """Put a failed job back on its queue (RQ's requeue); None when it is not a failed job."""
    try:
        job = Job.fetch(job_id, connection=rq_connection())
    except NoSuchJobError:
        return None
    if job.origin not in QUEUE_NAMES:
        return None
    registry = FailedJobRegistry(queue=Queue(job.origin, connection=rq_connection()))
    if job.id not in registry:
        return None
    try:
        registry.requeue(job)
    except InvalidJobOperation:
        return None
    return {"id": job.id, "queue": job.origin, "task": job.meta.get("task") or job.func_name, "status": "queued"}

