"""RQ queues and the enqueue helper services may call (services never import rq themselves)."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import Any

from redis import Redis
from rq import Queue, Retry
from sqlalchemy import event
from sqlmodel import Session

from interviewer.core.redis import redis_url

# Spec 8.2: queue and timeout per task.
QUEUE_TIMEOUTS = {"high": 600, "default": 1800, "email": 60}
TASKS: dict[str, tuple[str, int]] = {
    "send_email": ("email", 60),
    "generate_questions": ("default", 300),
    "analyze_resume": ("default", 180),
    "bulk_import": ("default", 1800),
    "process_interview": ("high", 600),
    "rescore_interview": ("high", 600),
    "extract_resume": ("default", 180),
    "refresh_job_fits": ("default", 1800),
    "refresh_candidate_fit": ("default", 180),
    "purge_expired_data": ("default", 1800),
}
RETRY_INTERVALS = [10, 30, 90]


@lru_cache
def rq_connection() -> Redis:
    # RQ stores pickled payloads: it needs a connection without response decoding.
    return Redis.from_url(redis_url())


def get_queue(name: str) -> Queue:
    return Queue(name, connection=rq_connection(), default_timeout=QUEUE_TIMEOUTS[name])


def enqueue(task: str, *args: Any, job_id: str | None = None) -> str:
    queue_name, timeout = TASKS[task]
    job = get_queue(queue_name).enqueue(
        f"interviewer.jobs.tasks.{task}",
        *args,
        job_id=job_id,
        job_timeout=timeout,
        retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
        result_ttl=86400,
        failure_ttl=7 * 86400,
        meta={"task": task},
    )
    return job.id


def enqueue_after_commit(session: Session, task: str, *args: Any, job_id: str | None = None) -> None:
    """Enqueue only once the surrounding transaction has committed, so a job never sees
    rows that were rolled back (and a rollback enqueues nothing)."""

    def _after_commit(_session) -> None:
        enqueue(task, *args, job_id=job_id)

    event.listen(session, "after_commit", _after_commit, once=True)


DAILY_JOB_PREFIX = "daily-"


def schedule_daily(task: str, *, delay: timedelta = timedelta(days=1)) -> None:
    """Queue ``task`` to run in ``delay`` (the worker's scheduler runs it), once: a fixed job id
    keeps a single pending run however many workers start or runs finish."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    job_id = DAILY_JOB_PREFIX + task
    try:
        job = Job.fetch(job_id, connection=rq_connection())
        state = job.get_status(refresh=True)
        if getattr(state, "value", str(state)) in ("scheduled", "queued", "deferred"):
            return
        job.delete()
    except NoSuchJobError:
        pass
    queue_name, timeout = TASKS[task]
    get_queue(queue_name).enqueue_in(delay, f"interviewer.jobs.tasks.{task}", job_id=job_id, job_timeout=timeout,
                                     result_ttl=86400, failure_ttl=7 * 86400, meta={"task": task})


def job_info(job_id: str) -> dict[str, Any] | None:
    """State of a queued job for progress displays: status, its meta, retries left, the last
    line of a failure and the return value; None when RQ does not know the id."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        job = Job.fetch(job_id, connection=rq_connection())
    except NoSuchJobError:
        return None
    state = job.get_status(refresh=True)
    status = getattr(state, "value", str(state))
    error = ""
    if status in ("failed", "scheduled"):
        result = job.latest_result()
        lines = (result.exc_string or "").strip().splitlines() if result is not None else []
        error = lines[-1] if lines else ""
    return {"status": status, "meta": dict(job.meta), "retries_left": job.retries_left, "error": error,
            "result": job.return_value() if status == "finished" else None}
