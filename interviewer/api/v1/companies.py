from __future__ import annotations

import uuid
from typing import Any

from fastapi import Query, Response, status

from interviewer.api.deps import (
    FieldsQuery,
    PagingDep,
    Token,
    authed,
    cached_actor,
    page_response,
)
from interviewer.api.routing import ApiRouter
from interviewer.db import session_scope
from interviewer.models import RegistrationStatus
from interviewer.models.schemas import (
    CompanyPublic,
    CompanyRegistrationCreate,
    CompanyRegistrationPublic,
    CompanyUpdate,
    CustomRoleCreate,
    CustomRolePublic,
    CustomRoleUpdate,
    RegistrationDecision,
)
from interviewer.services import companies as company_service
from interviewer.services import roles as role_service
from interviewer.services.authz import PERMISSIONS

router = ApiRouter(tags=["companies"])


@router.get("/companies", response_model=dict[str, Any])
def list_companies(token: Token, paging: PagingDep, fields: FieldsQuery = None,
                   search: str | None = Query(default=None, max_length=100)) -> Response:
    with authed(token, readonly=True) as (session, actor):
        rows, total = company_service.list_companies(session, actor, page=paging.page,
                                                     per_page=paging.per_page, search=search)
        return page_response("companies", rows, total=total, paging=paging, fields=fields, model=CompanyPublic)


@router.get("/companies/{company_id}", response_model=CompanyPublic)
def get_company(token: Token, company_id: uuid.UUID) -> CompanyPublic:
    with authed(token) as (session, actor):
        return CompanyPublic.model_validate(company_service.get_company(session, actor, company_id))


@router.put("/companies/{company_id}", response_model=CompanyPublic)
def update_company(token: Token, company_id: uuid.UUID, body: CompanyUpdate) -> CompanyPublic:
    with authed(token) as (session, actor):
        return CompanyPublic.model_validate(company_service.update_company(session, actor, company_id, body))


@router.post("/register/company", response_model=CompanyRegistrationPublic, status_code=status.HTTP_201_CREATED,
             tags=["registration"])
def register_company(body: CompanyRegistrationCreate) -> CompanyRegistrationPublic:
    with session_scope() as session:
        return CompanyRegistrationPublic.model_validate(company_service.request_registration(session, body))


@router.get("/admin/company-requests", response_model=dict[str, Any], tags=["registration"])
def list_company_requests(token: Token, paging: PagingDep, fields: FieldsQuery = None,
                          status_filter: RegistrationStatus | None = Query(default=RegistrationStatus.PENDING,
                                                                            alias="status")) -> Response:
    with authed(token) as (session, actor):
        rows, total = company_service.list_registration_requests(
            session, actor, status=status_filter, page=paging.page, per_page=paging.per_page)
        return page_response("requests", rows, total=total, paging=paging, fields=fields,
                             model=CompanyRegistrationPublic)


@router.post("/admin/company-requests/{request_id}/approve", response_model=CompanyRegistrationPublic,
             tags=["registration"])
def approve_company_request(token: Token, request_id: uuid.UUID) -> CompanyRegistrationPublic:
    with authed(token) as (session, actor):
        return CompanyRegistrationPublic.model_validate(
            company_service.approve_registration(session, actor, request_id))


@router.post("/admin/company-requests/{request_id}/reject", response_model=CompanyRegistrationPublic,
             tags=["registration"])
def reject_company_request(token: Token, request_id: uuid.UUID,
                           body: RegistrationDecision | None = None) -> CompanyRegistrationPublic:
    with authed(token) as (session, actor):
        return CompanyRegistrationPublic.model_validate(
            company_service.reject_registration(session, actor, request_id, body.reason if body else None))


@router.get("/roles/permissions", response_model=dict[str, str], tags=["roles"])
async def list_permissions(token: Token) -> dict[str, str]:
    await cached_actor(token)  # any signed-in user; cache-only, on the event loop
    return PERMISSIONS


@router.get("/roles", response_model=list[CustomRolePublic], tags=["roles"])
def list_roles(token: Token, company_id: uuid.UUID | None = None) -> list[CustomRolePublic]:
    with authed(token) as (session, actor):
        return [CustomRolePublic.model_validate(r) for r in role_service.list_roles(session, actor, company_id=company_id)]


@router.post("/roles", response_model=CustomRolePublic, status_code=status.HTTP_201_CREATED, tags=["roles"])
def create_role(token: Token, body: CustomRoleCreate, company_id: uuid.UUID | None = None) -> CustomRolePublic:
    with authed(token) as (session, actor):
        return CustomRolePublic.model_validate(role_service.create_role(session, actor, body, company_id=company_id))


@router.put("/roles/{role_id}", response_model=CustomRolePublic, tags=["roles"])
def update_role(token: Token, role_id: uuid.UUID, body: CustomRoleUpdate) -> CustomRolePublic:
    with authed(token) as (session, actor):
        return CustomRolePublic.model_validate(role_service.update_role(session, actor, role_id, body))


@router.delete("/roles/{role_id}", status_code=status.HTTP_204_NO_CONTENT, tags=["roles"])
def delete_role(token: Token, role_id: uuid.UUID) -> None:
    with authed(token) as (session, actor):
        role_service.delete_role(session, actor, role_id)


@router.get("/retention", summary="The company's data retention periods in days (null keeps the data)")
def get_retention(token: Token, company_id: uuid.UUID | None = None) -> dict[str, Any]:
    from interviewer.services import retention

    with authed(token) as (session, actor):
        return retention.get_policy(session, actor, company_id).model_dump()


@router.put("/retention", summary="Set the company's data retention periods (30-3650 days, or null)")
def put_retention(token: Token, body: dict[str, Any], company_id: uuid.UUID | None = None) -> dict[str, Any]:
    from interviewer.services import retention

    with authed(token) as (session, actor):
        return retention.update_policy(session, actor, body, company_id).model_dump()
