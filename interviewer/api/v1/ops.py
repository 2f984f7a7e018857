"""Admin-only operations endpoints: the job-queue dashboard and retrying failed jobs."""

from __future__ import annotations

from typing import Any

from fastapi import Query

from interviewer.api.deps import Token, authed
from interviewer.api.routing import ApiRouter
from interviewer.services import ops as ops_service

router = ApiRouter(prefix="/admin/queues", tags=["operations"])


@router.get("", response_model=dict[str, Any])
def queue_dashboard(token: Token) -> dict[str, Any]:
    with authed(token) as (_session, actor):
        return ops_service.queue_dashboard(actor)


@router.get("/failed", response_model=dict[str, Any])
def failed_jobs(token: Token, queue: str | None = Query(default=None, max_length=20),
                limit: int = Query(default=50, ge=1, le=ops_service.MAX_FAILED)) -> dict[str, Any]:
    with authed(token) as (_session, actor):
        jobs = ops_service.list_failed_jobs(actor, queue=queue, limit=limit)
    return {"jobs": jobs, "total": len(jobs)}


@router.post("/failed/{job_id}/retry", response_model=dict[str, Any])
def retry_failed_job(token: Token, job_id: str) -> dict[str, Any]:
    with authed(token) as (session, actor):
        return ops_service.retry_failed_job(session, actor, job_id)
