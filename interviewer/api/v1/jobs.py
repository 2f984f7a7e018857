"""Job templates and questions (spec 5.5). Thin: every rule lives in services/jobs.py."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Query, Response, status

from interviewer.api.deps import FieldsQuery, PagingDep, Token, authed, page_response
from interviewer.api.routing import ApiRouter
from interviewer.services import jobs as job_service
from interviewer.services.jobs import (
    JOB_FIELDS,
    JobCreate,
    JobPublic,
    JobUpdate,
    QuestionCreate,
    QuestionPublic,
    QuestionReorder,
    QuestionUpdate,
)

router = ApiRouter(prefix="/jobs", tags=["jobs"])


@router.get("", response_model=dict[str, Any], summary="List job templates (company-scoped, cached 5 min)")
def list_jobs(token: Token, paging: PagingDep, fields: FieldsQuery = None,
              search: str | None = Query(default=None, max_length=100, description="Matches the title"),
              company_id: uuid.UUID | None = Query(default=None, description="System admin only")) -> Response:
    with authed(token, readonly=True) as (session, actor):
        result = job_service.list_jobs(session, actor, page=paging.page, per_page=paging.per_page,
                                       search=search, company_id=company_id)
    return page_response("jobs", result["jobs"], total=result["total"], paging=paging, fields=fields,
                         allowed=JOB_FIELDS)


@router.post("", response_model=JobPublic, status_code=status.HTTP_201_CREATED)
def create_job(token: Token, body: JobCreate) -> JobPublic:
    with authed(token) as (session, actor):
        return job_service.job_public(session, job_service.create_job(session, actor, body))


@router.get("/{job_id}", response_model=JobPublic)
def get_job(token: Token, job_id: uuid.UUID) -> JobPublic:
    with authed(token) as (session, actor):
        return job_service.job_public(session, job_service.get_job(session, actor, job_id))


@router.put("/{job_id}", response_model=JobPublic)
def update_job(token: Token, job_id: uuid.UUID, body: JobUpdate) -> JobPublic:
    with authed(token) as (session, actor):
        return job_service.job_public(session, job_service.update_job(session, actor, job_id, body))


@router.delete("/{job_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
               summary="Delete a job template and its questions (409 while interviews are scheduled)")
def delete_job(token: Token, job_id: uuid.UUID) -> Response:
    with authed(token) as (session, actor):
        job_service.delete_job(session, actor, job_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{job_id}/fit", response_model=dict[str, Any],
            summary="The job's candidates ranked by resume fit, with the reasons (a screening aid)")
def rank_by_fit(token: Token, job_id: uuid.UUID, limit: int = Query(50, ge=1, le=500),
                offset: int = Query(0, ge=0)) -> dict[str, Any]:
    from interviewer.services import job_fit

    with authed(token) as (session, actor):
        return job_fit.rank_for_job(session, actor, job_id, limit=limit, offset=offset)


@router.get("/{job_id}/questions", response_model=list[QuestionPublic], summary="Questions, ordered by position")
def list_questions(token: Token, job_id: uuid.UUID) -> list[QuestionPublic]:
    with authed(token) as (session, actor):
        return [QuestionPublic.model_validate(q) for q in job_service.list_questions(session, actor, job_id)]


@router.post("/{job_id}/questions", response_model=QuestionPublic, status_code=status.HTTP_201_CREATED)
def add_question(token: Token, job_id: uuid.UUID, body: QuestionCreate) -> QuestionPublic:
    with authed(token) as (session, actor):
        return QuestionPublic.model_validate(job_service.add_question(session, actor, job_id, body))


@router.post("/{job_id}/questions/reorder", response_model=list[QuestionPublic],
             summary="Set the question order; ids must be exactly the job's question ids")
def reorder_questions(token: Token, job_id: uuid.UUID, body: QuestionReorder) -> list[QuestionPublic]:
    with authed(token) as (session, actor):
        return [QuestionPublic.model_validate(q)
                for q in job_service.reorder_questions(session, actor, job_id, body.ids)]


@router.put("/{job_id}/questions/{question_id}", response_model=QuestionPublic)
def update_question(token: Token, job_id: uuid.UUID, question_id: uuid.UUID, body: QuestionUpdate) -> QuestionPublic:
    with authed(token) as (session, actor):
        return QuestionPublic.model_validate(
            job_service.update_question(session, actor, job_id, question_id, body))


@router.delete("/{job_id}/questions/{question_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def delete_question(token: Token, job_id: uuid.UUID, question_id: uuid.UUID) -> Response:
    with authed(token) as (session, actor):
        job_service.delete_question(session, actor, job_id, question_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
