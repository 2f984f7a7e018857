"""Fairness (issue 14): the candidate's optional self-identification and accommodation requests
(public, by interview link), HR's answers to those requests (``interviews:write``) and the
adverse-impact report for ``compliance:read``. Thin: the rules live in
services/self_identification.py, services/accommodations.py and services/fairness.py."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import Path, Query, Response, status

from interviewer.api.deps import Token, authed
from interviewer.api.routing import ApiRouter
from interviewer.db import session_scope
from interviewer.models import AccommodationStatus
from interviewer.services import accommodations, fairness
from interviewer.services import self_identification as selfid
from interviewer.services.accommodations import (
    AccommodationAnswerIn,
    AccommodationRequestIn,
    AccommodationRequestPublic,
)
from interviewer.services.fairness import ImpactReport, ReportJob
from interviewer.services.self_identification import SelfIdentificationIn

router = ApiRouter(prefix="/fairness", tags=["fairness"])
LinkToken = Annotated[str, Path(min_length=1, max_length=255)]


@router.get("/self-identification/categories", summary="The optional self-identification choices (public)")
async def self_identification_categories() -> dict[str, list[dict[str, str]]]:
    return selfid.categories()  # constants: no worker thread


@router.post("/self-identification/{token}", status_code=status.HTTP_204_NO_CONTENT,
             summary="The candidate's optional answer after the interview (by interview link)")
def record_self_identification(token: LinkToken, body: SelfIdentificationIn) -> Response:
    with session_scope() as session:
        selfid.record_self_identification(session, token, body)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/accommodation-request/{token}", response_model=dict[str, int], status_code=status.HTTP_201_CREATED,
             summary="The candidate asks for an alternative or an accommodation (by interview link); HR is emailed")
def request_accommodation(token: LinkToken, body: AccommodationRequestIn) -> dict[str, int]:
    with session_scope() as session:
        return {"notified": accommodations.request_accommodation(session, token, body)}


@router.get("/accommodation-requests", response_model=dict[str, list[AccommodationRequestPublic]],
            summary="The company's accommodation requests (HR's task list; open ones by default, oldest first)")
def list_accommodation_requests(
        token: Token, status_: Annotated[AccommodationStatus | None, Query(alias="status")] = AccommodationStatus.OPEN,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        company_id: uuid.UUID | None = Query(default=None, description="System admin only")):
    with authed(token, readonly=True) as (session, actor):
        return {"requests": accommodations.list_requests(session, actor, status=status_, company_id=company_id,
                                                         limit=limit)}


@router.post("/accommodation-requests/{request_id}/answer", response_model=AccommodationRequestPublic,
             summary="Answer an accommodation request: the answer is emailed to the candidate")
def answer_accommodation_request(token: Token, request_id: uuid.UUID,
                                 body: AccommodationAnswerIn) -> AccommodationRequestPublic:
    with authed(token) as (session, actor):
        return accommodations.answer_request(session, actor, request_id, body)


@router.get("/jobs", response_model=list[ReportJob], summary="Jobs the report can be narrowed to")
def report_jobs(token: Token, company_id: uuid.UUID | None = Query(default=None, description="System admin only")):
    with authed(token, readonly=True) as (session, actor):
        return fairness.list_report_jobs(session, actor, company_id=company_id)


def _report(token: str | None, company_id, job_template_id, date_from, date_to) -> ImpactReport:
    with authed(token, readonly=True) as (session, actor):
        return fairness.impact_report(session, actor, company_id=company_id, job_template_id=job_template_id,
                                      date_from=date_from, date_to=date_to)


@router.get("/impact-report", response_model=ImpactReport,
            summary="Adverse-impact report: selection rates and impact ratios by sex and race/ethnicity")
def impact_report(token: Token, job_template_id: uuid.UUID | None = None, date_from: date | None = None,
                  date_to: date | None = None,
                  company_id: uuid.UUID | None = Query(default=None, description="System admin only")) -> ImpactReport:
    return _report(token, company_id, job_template_id, date_from, date_to)


@router.get("/impact-report.csv", response_class=Response, summary="The adverse-impact report as CSV")
def impact_report_csv(token: Token, job_template_id: uuid.UUID | None = None, date_from: date | None = None,
                      date_to: date | None = None,
                      company_id: uuid.UUID | None = Query(default=None, description="System admin only")) -> Response:
    report = _report(token, company_id, job_template_id, date_from, date_to)
    name = f"impact-report-{report.date_from}-{report.date_to}.csv"
    return Response(fairness.report_csv(report), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
