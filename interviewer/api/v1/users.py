from __future__ import annotations

import uuid
from typing import Any

from fastapi import Query, Response, status

from interviewer.api.deps import FieldsQuery, PagingDep, Token, authed, model_response, page_response
from interviewer.api.routing import ApiRouter
from interviewer.models import UserRole
from interviewer.models.schemas import UserCreate, UserPublic, UserUpdate
from interviewer.services import users as user_service

router = ApiRouter(prefix="/users", tags=["users"])


@router.get("", response_model=dict[str, Any], summary="List users (company-scoped)")
def list_users(token: Token, paging: PagingDep, fields: FieldsQuery = None,
               search: str | None = Query(default=None, max_length=100),
               role: UserRole | None = None, is_active: bool | None = None,
               company_id: uuid.UUID | None = None,
               sort: str = Query(default="name", pattern="^(name|email|created_at|role)$"),
               order: str = Query(default="asc", pattern="^(asc|desc)$")) -> Response:
    with authed(token, readonly=True) as (session, actor):
        rows, total = user_service.list_user_rows(
            session, actor, page=paging.page, per_page=paging.per_page, search=search, role=role,
            is_active=is_active, company_id=company_id, sort=sort, descending=order == "desc")
        return page_response("users", rows, total=total, paging=paging, fields=fields, model=UserPublic,
                             typed_rows=True)


@router.post("", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
def create_user(token: Token, body: UserCreate) -> Response:
    with authed(token) as (session, actor):
        return model_response(UserPublic.model_validate(user_service.create_user(session, actor, body)),
                              status.HTTP_201_CREATED)


@router.get("/{user_id}", response_model=UserPublic)
def get_user(token: Token, user_id: uuid.UUID) -> Response:
    with authed(token) as (session, actor):
        return model_response(UserPublic.model_validate(user_service.get_user(session, actor, user_id)))


@router.put("/{user_id}", response_model=UserPublic)
def update_user(token: Token, user_id: uuid.UUID, body: UserUpdate) -> Response:
    with authed(token) as (session, actor):
        return model_response(UserPublic.model_validate(user_service.update_user(session, actor, user_id, body)))


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Deactivate user (system admin)")
def deactivate_user(token: Token, user_id: uuid.UUID) -> None:
    """Spec 5.10: a successful DELETE answers 204 No Content (the user is deactivated, not erased)."""
    with authed(token) as (session, actor):
        user_service.deactivate_user(session, actor, user_id)
