"""Candidate endpoints (spec 5.4): thin wrappers around services.candidates / pipeline / imports.

Static paths (``/me``, ``/bulk-import``, ``/imports``, ``/bulk-delete``) are declared before
``/{candidate_id}`` so they are never parsed as an id.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import File, Form, Query, Response, UploadFile, status
from pydantic import BaseModel

from interviewer.api.deps import FieldsQuery, PagingDep, Token, authed, model_response, page_response
from interviewer.api.routing import ApiRouter
from interviewer.core.config import get_settings
from interviewer.core.errors import PayloadTooLargeError
from interviewer.models import CandidateStatus, ImportMode
from interviewer.services import candidates as service
from interviewer.services import imports as import_service
from interviewer.services import job_fit
from interviewer.services.candidate_schemas import (
    AssignRequest,
    BulkDeleteRequest,
    BulkDeleteResult,
    CandidateCreate,
    CandidateDetail,
    CandidatePublic,
    CandidateSelf,
    CandidateUpdate,
    HistoryEntry,
    ImportJobPublic,
    InviteResult,
    StatusChange,
)

router = ApiRouter(prefix="/candidates", tags=["candidates"])
CANDIDATE_FIELDS = (set(CandidatePublic.model_fields) - {"resume_url"}) | {"has_resume", "fit_score"}
UploadDep = Annotated[UploadFile, File(description="The file (multipart/form-data)")]


def _read_upload(upload: UploadFile) -> bytes:
    limit = get_settings().MAX_UPLOAD_BYTES
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLargeError(f"The file is larger than {limit // 1_048_576} MB.", code="FILE_002")
    return data


def _csv_response(content: bytes, filename: str) -> Response:
    return Response(content, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("", response_model=dict[str, Any], summary="List candidates (paginated, filtered, searched)")
def list_candidates(
    token: Token, paging: PagingDep, fields: FieldsQuery = None,
    status_: Annotated[CandidateStatus | None, Query(alias="status")] = None,
    job_template_id: uuid.UUID | None = None, assigned_to: uuid.UUID | None = None,
    created_from: datetime | None = None,
    created_to: Annotated[datetime | None, Query(description="exclusive")] = None,
    search: Annotated[str | None, Query(max_length=100, description=(
        "any part of the name or email, case-insensitive; 1-2 characters: the start of a word of the "
        "name, of the email or of its domain"))] = None,
    sort: Annotated[str, Query(pattern="^(name|email|created_at|status|fit)$")] = "created_at",
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc",
    company_id: Annotated[uuid.UUID | None, Query(description="system admin only")] = None,
) -> Response:
    with authed(token, readonly=True) as (session, actor):
        rows, total = service.list_candidates(
            session, actor, page=paging.page, per_page=paging.per_page, status=status_,
            job_template_id=job_template_id, assigned_to=assigned_to, created_from=created_from,
            created_to=created_to, search=search, sort=sort, descending=order == "desc", company_id=company_id)
        fits = job_fit.scores_for(session, [c.id for c in rows])
        items = [CandidatePublic.model_validate(c).model_dump(mode="json") | {"fit_score": fits.get(c.id)}
                 for c in rows]
        return page_response("candidates", items, total=total, paging=paging, fields=fields, allowed=CANDIDATE_FIELDS)


@router.post("", response_model=CandidateDetail, status_code=status.HTTP_201_CREATED)
def create_candidate(token: Token, body: CandidateCreate) -> Response:
    with authed(token) as (session, actor):
        return model_response(CandidateDetail.model_validate(service.create_candidate(session, actor, body)),
                              status.HTTP_201_CREATED)


@router.get("/me", response_model=dict[str, list[CandidateSelf]], summary="A candidate's own records")
def my_candidates(token: Token) -> dict[str, list[CandidateSelf]]:
    with authed(token) as (session, actor):
        return {"candidates": [CandidateSelf.model_validate(c) for c in service.list_my_candidates(session, actor)]}


class EraseRequest(BaseModel):
    confirm_email: str


@router.get("/me/data", response_model=dict[str, Any],
            summary="A candidate's copy of everything kept about them (all companies)")
def my_data(token: Token) -> dict[str, Any]:
    from interviewer.services import candidate_rights

    with authed(token) as (session, actor):
        return candidate_rights.export_my_data(session, actor)


@router.post("/me/erase", response_model=dict[str, int],
             summary="Erase the candidate's personal data everywhere and close the account (verdicts stay, anonymous)")
def erase_me(token: Token, body: EraseRequest) -> dict[str, int]:
    from interviewer.services import candidate_rights

    with authed(token) as (session, actor):
        return candidate_rights.erase_me(session, actor, confirm_email=body.confirm_email)


@router.post("/bulk-import", response_model=dict[str, Any], status_code=status.HTTP_202_ACCEPTED,
             summary="Import candidates from a CSV file (processed in the background)")
def bulk_import(token: Token, file: UploadDep, mode: Annotated[ImportMode, Form()] = ImportMode.SKIP,
                company_id: Annotated[uuid.UUID | None, Form(description="system admin only")] = None) -> dict[str, Any]:
    with authed(token) as (session, actor):
        job, layout = import_service.start_import(session, actor, _read_upload(file), file.filename, mode,
                                                  company_id=company_id)
        body = ImportJobPublic.model_validate(job).model_dump(mode="json")
    return body | {"ignored_columns": layout.ignored}


@router.get("/imports", response_model=dict[str, Any], summary="Recent imports of the company")
def list_imports(token: Token, paging: PagingDep, company_id: uuid.UUID | None = None) -> Response:
    with authed(token) as (session, actor):
        rows, total = import_service.list_imports(session, actor, page=paging.page, per_page=paging.per_page,
                                                  company_id=company_id)
        return page_response("imports", rows, total=total, paging=paging, fields=None, model=ImportJobPublic)


@router.get("/imports/{import_id}", response_model=ImportJobPublic)
def get_import(token: Token, import_id: uuid.UUID) -> ImportJobPublic:
    with authed(token) as (session, actor):
        return ImportJobPublic.model_validate(import_service.get_import(session, actor, import_id))


@router.get("/imports/{import_id}/report.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}}, summary="Per-row result: row, line, email, result, error")
def import_report(token: Token, import_id: uuid.UUID) -> Response:
    with authed(token) as (session, actor):
        content, filename = import_service.read_report(session, actor, import_id)
    return _csv_response(content, filename)


@router.delete("/bulk-delete", response_model=BulkDeleteResult, summary="Delete up to 1000 candidates")
def bulk_delete(token: Token, body: BulkDeleteRequest) -> BulkDeleteResult:
    with authed(token) as (session, actor):
        deleted, not_found = service.bulk_delete(session, actor, body.ids)
    return BulkDeleteResult(deleted=deleted, not_found=not_found)


@router.get("/{candidate_id}", response_model=CandidateDetail)
def get_candidate(token: Token, candidate_id: uuid.UUID) -> Response:
    with authed(token) as (session, actor):
        return model_response(CandidateDetail.model_validate(service.get_candidate(session, actor, candidate_id)))


@router.get("/{candidate_id}/fit", response_model=dict[str, Any] | None,
            summary="The candidate's resume fit to their job, with the reasons (null when not computed)")
def candidate_fit(token: Token, candidate_id: uuid.UUID) -> dict[str, Any] | None:
    with authed(token) as (session, actor):
        return job_fit.fit_for_candidate(session, actor, candidate_id)


@router.put("/{candidate_id}", response_model=CandidateDetail)
def update_candidate(token: Token, candidate_id: uuid.UUID, body: CandidateUpdate) -> Response:
    with authed(token) as (session, actor):
        return model_response(CandidateDetail.model_validate(
            service.update_candidate(session, actor, candidate_id, body)))


@router.delete("/{candidate_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def delete_candidate(token: Token, candidate_id: uuid.UUID) -> Response:
    with authed(token) as (session, actor):
        service.delete_candidate(session, actor, candidate_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{candidate_id}/status", response_model=CandidateDetail, summary="Move along the pipeline")
def change_status(token: Token, candidate_id: uuid.UUID, body: StatusChange) -> CandidateDetail:
    with authed(token) as (session, actor):
        cand = service.change_status(session, actor, candidate_id, body.status, body.note)
        return CandidateDetail.model_validate(cand)


@router.get("/{candidate_id}/history", response_model=dict[str, list[HistoryEntry]])
def status_history(token: Token, candidate_id: uuid.UUID) -> dict[str, list[HistoryEntry]]:
    with authed(token) as (session, actor):
        return {"history": [HistoryEntry.model_validate(h) for h in service.history(session, actor, candidate_id)]}


@router.post("/{candidate_id}/assign", response_model=CandidateDetail)
def assign_candidate(token: Token, candidate_id: uuid.UUID, body: AssignRequest) -> CandidateDetail:
    with authed(token) as (session, actor):
        return CandidateDetail.model_validate(service.assign_candidate(session, actor, candidate_id, body.user_id))


@router.post("/{candidate_id}/invite", response_model=InviteResult, summary="Create/link the candidate's login")
def invite_candidate(token: Token, candidate_id: uuid.UUID) -> InviteResult:
    with authed(token) as (session, actor):
        user, outcome = service.invite_candidate(session, actor, candidate_id)
        return InviteResult(user_id=user.id, outcome=outcome)


@router.post("/{candidate_id}/resume", response_model=CandidateDetail, status_code=status.HTTP_202_ACCEPTED,
             summary="Upload a resume (PDF, DOCX or TXT, at most 10 MB); its text is extracted in the background")
def upload_resume(token: Token, candidate_id: uuid.UUID, file: UploadDep) -> CandidateDetail:
    with authed(token) as (session, actor):
        cand = service.attach_resume(session, actor, candidate_id, _read_upload(file), file.filename or "")
        return CandidateDetail.model_validate(cand)


@router.get("/{candidate_id}/resume", response_class=Response, summary="Download the resume")
def download_resume(token: Token, candidate_id: uuid.UUID) -> Response:
    with authed(token) as (session, actor):
        content, media_type, filename = service.read_resume(session, actor, candidate_id)
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "private, no-store"})
