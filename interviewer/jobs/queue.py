"""RQ queues and the enqueue helper services may call (services never import rq themselves)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import lru_cache
from typing import Any

from redis import Redis
from rq import Queue, Retry
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
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
    return enqueue_all([(task, args, job_id)])[0]


def enqueue_all(jobs: Sequence[tuple[str, tuple[Any, ...], str | None]]) -> list[str]:
    """Put each ``(task, args, job_id)`` on its queue in one Redis round trip: RQ writes every
    job (its hash, the queue push, the registry of queues) into one transaction pipeline, which
    runs once. Left to itself, RQ's ``enqueue`` spends two round trips on each job."""
    pipe = rq_connection().pipeline()
    ids = []
    for task, args, job_id in jobs:
        queue_name, timeout = TASKS[task]
        ids.append(get_queue(queue_name).enqueue(
            f"interviewer.jobs.tasks.{task}",
            *args,
            job_id=job_id,
            job_timeout=timeout,
            retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
            result_ttl=86400,
            failure_ttl=7 * 86400,
            meta={"task": task},
            pipeline=pipe,
        ).id)
    pipe.execute()
    return ids


_AFTER_COMMIT = "jobs_after_commit"


def enqueue_after_commit(session: Session, task: str, *args: Any, job_id: str | None = None) -> None:
    """Enqueue only once the surrounding transaction has committed, so a job never sees
    rows that were rolled back (and a rollback enqueues nothing). The jobs of one transaction
    are enqueued together, in one Redis round trip, after its outermost commit (releasing a
    savepoint is not that commit)."""
    session.info.setdefault(_AFTER_COMMIT, []).append((task, args, job_id))


@event.listens_for(OrmSession, "after_commit")
def _enqueue_committed(session: OrmSession) -> None:
    if session.in_nested_transaction() or _AFTER_COMMIT not in session.info:
        return
    enqueue_all(session.info.pop(_AFTER_COMMIT))


@event.listens_for(OrmSession, "after_transaction_end")
def _forget_rolled_back(session: OrmSession, transaction: SessionTransaction) -> None:
    """The outermost transaction ended without its commit (rolled back, or the session closed):
    its jobs are dropped."""
    if transaction.parent is None:
        session.info.pop(_AFTER_COMMIT, None)


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
