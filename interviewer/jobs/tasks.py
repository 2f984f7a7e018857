"""RQ job functions: plain arguments (IDs), their own DB session, idempotent."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import redis
from rq import get_current_job

from interviewer.core.redis import get_redis
from interviewer.db import session_scope
from interviewer.services import candidates as candidate_service
from interviewer.services import email as email_service
from interviewer.services import imports_run

log = logging.getLogger("interviewer.jobs")

# rq_jobs_total{task,state} lives in this Redis hash (field "task|state") because jobs run in the
# worker process while the web process serves /metrics: the web side reads the hash.
METRICS_KEY = "metrics:rq_jobs_total"
F = TypeVar("F", bound=Callable[..., Any])


def count_job(task: str, state: str) -> None:
    try:
        get_redis().hincrby(METRICS_KEY, f"{task}|{state}", 1)
    except redis.RedisError:  # metrics must never fail a job
        log.warning("could not record job metric", extra={"metadata": {"task": task, "state": state}})


def metered(task: str) -> Callable[[F], F]:
    """Count each run's final state: ``finished``, ``failed`` (no retry left) or ``retrying``."""

    def decorate(func: F) -> F:
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                result = func(*args, **kwargs)
            except Exception:
                job = get_current_job()
                retries_left = getattr(job, "retries_left", None) or 0
                count_job(task, "retrying" if retries_left > 0 else "failed")
                raise
            count_job(task, "finished")
            return result

        return wrapper  # type: ignore[return-value]

    return decorate


@metered("send_email")
def send_email(message_id: str) -> str:
    with session_scope() as session:
        status = email_service.deliver(session, uuid.UUID(message_id))
    log.info("email delivered", extra={"metadata": {"message_id": message_id, "status": status.value}})
    return status.value


@metered("bulk_import")
def bulk_import(import_id: str) -> dict[str, Any]:
    """Import the rows of one CSV ImportJob (resumes after a crash; a completed one is a no-op)."""
    job_id = uuid.UUID(import_id)
    try:
        with session_scope() as session:
            job = imports_run.run_import(session, job_id)
            summary = {"status": job.status.value if job else "gone"}
            if job is not None:
                summary |= {"created": job.created_count, "updated": job.updated_count,
                            "skipped": job.skipped_count, "errors": job.error_count}
    except Exception as exc:
        with session_scope() as session:
            imports_run.mark_failed(session, job_id, f"{type(exc).__name__}: {exc}")
        raise
    log.info("import finished", extra={"metadata": {"import_id": import_id, **summary}})
    return summary


@metered("extract_resume")
def extract_resume(candidate_id: str) -> str:
    """Fill a candidate's resume_text from the stored file."""
    with session_scope() as session:
        outcome = candidate_service.extract_resume_text(session, uuid.UUID(candidate_id))
    log.info("resume extracted", extra={"metadata": {"candidate_id": candidate_id, "outcome": outcome}})
    return outcome


@metered("refresh_job_fits")
def refresh_job_fits(job_id: str) -> dict[str, int]:
    """Recompute the job fits of a job's candidates whose inputs changed (idempotent)."""
    from interviewer.services import job_fit

    with session_scope() as session:
        counts = job_fit.refresh_job(session, uuid.UUID(job_id))
    log.info("job fits refreshed", extra={"metadata": {"job_id": job_id, **counts}})
    return counts


@metered("refresh_candidate_fit")
def refresh_candidate_fit(candidate_id: str) -> str:
    """Recompute one candidate's job fit after a new resume or a move to another job."""
    from interviewer.services import job_fit

    with session_scope() as session:
        return job_fit.refresh_candidate(session, uuid.UUID(candidate_id))


@metered("purge_expired_data")
def purge_expired_data() -> dict[str, dict[str, int]]:
    """Daily: purge what each company's retention policy says has expired (audit-logged per
    company), then queue the next run in a day."""
    from interviewer.jobs.queue import schedule_daily
    from interviewer.services import retention

    with session_scope() as session:
        companies = retention.companies_with_policy(session)
    purged = {}
    for company_id in companies:
        with session_scope() as session:  # one transaction per company: one failure does not undo the others
            counts = retention.purge_company(session, company_id)
        if any(counts.values()):
            purged[str(company_id)] = counts
    log.info("retention purge", extra={"metadata": {"companies": len(companies), "purged": purged}})
    schedule_daily("purge_expired_data")
    return purged


@metered("analyze_resume")
def analyze_resume(check_id: str) -> str:
    """Run the ATS analysis of one resume check (idempotent: a completed check is left alone)."""
    from interviewer.services import resume_checks
    from interviewer.services.ai.provider import AIProviderError

    cid = uuid.UUID(check_id)
    with session_scope() as session:
        inputs = resume_checks.start(session, cid)
    if inputs is None:
        return "skipped"
    text, job_description, company_id, names = inputs
    try:
        with session_scope() as session:
            outcome = resume_checks.analyze(session, cid, text, job_description, company_id, names)
    except AIProviderError as exc:
        with session_scope() as session:
            resume_checks.finish(session, cid, None, exc)
        raise
    with session_scope() as session:
        resume_checks.finish(session, cid, outcome, None)
    return "completed"


@metered("generate_questions")
def generate_questions(job_id: str, count: int, actor_id: str) -> list[str]:
    """Generate ``count`` questions for a job template and append the new ones."""
    from rq import get_current_job

    from interviewer.services import question_generation as qgen

    jid, uid = uuid.UUID(job_id), uuid.UUID(actor_id)
    job = get_current_job()

    def progress(stage: str, **extra) -> None:
        if job is not None:
            job.meta.update({"stage": stage, **extra})
            job.save_meta()

    from interviewer.core.errors import DomainError

    try:
        progress("preparing")
        with session_scope() as session:
            context = qgen.prepare(session, jid, uid)
        progress("generating")
        with session_scope() as session:
            outcome = qgen.generate(session, context, count)
        progress("saving")
        with session_scope() as session:
            created = qgen.save(session, jid, uid, outcome)
    except DomainError as exc:
        if exc.status_code >= 500 and exc.code != "AI_503":
            raise  # provider trouble: RQ retries with backoff
        # A permanent problem (no key configured, permission gone, job deleted): retrying cannot help.
        progress("failed", error=exc.message, error_code=exc.code)
        return []
    progress("done", created=len(created), provider=outcome["provider"])
    return created


@metered("process_interview")
def process_interview(interview_id: str) -> str:
    """Score a completed interview into a verdict (idempotent)."""
    from interviewer.services import scoring

    report = scoring.score_interview(uuid.UUID(interview_id))
    return report["verdict"] if report else "skipped"


@metered("rescore_interview")
def rescore_interview(interview_id: str, reason: str, requested_by: str, request_id: str | None = None) -> str:
    """Score a scored interview again at HR's request; the earlier report stays in its history.
    ``request_id`` makes a redelivered job a no-op."""
    from interviewer.services import scoring

    report = scoring.score_interview(uuid.UUID(interview_id), rescore_reason=reason,
                                     requested_by=uuid.UUID(requested_by) if requested_by else None,
                                     request_id=request_id)
    return report["verdict"] if report else "skipped"
