"""Data export and erasure by emailed link, for candidates without an account (issue 14).

Public: the link's token is the credential. Thin: the rules live in services/privacy_links.py
(which shares services/candidate_rights.py with ``/candidates/me/data`` and ``/candidates/me/erase``).
``POST /privacy-requests`` counts against the per-client auth limit (``RATE_LIMIT_AUTH``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Path, Request, status
from pydantic import BaseModel

from interviewer.api.deps import client_meta
from interviewer.api.routing import ApiRouter
from interviewer.db import session_scope
from interviewer.models.schemas import EmailStr, MessageResponse, RequestModel
from interviewer.services import privacy_links

router = ApiRouter(prefix="/privacy-requests", tags=["candidate rights"])
LinkToken = Annotated[str, Path(min_length=1, max_length=255, description="The token of the emailed link")]
GONE = {410: {"description": "The link was already used for an erasure, or has expired (PRIVACY_410, `reason`)."}}


class PrivacyRequestIn(RequestModel):
    email: EmailStr


class LinkErasureIn(RequestModel):
    confirm_email: str


class LinkSummaryPublic(BaseModel):
    company: str
    email: str
    expires_at: datetime
    applications: int
    interviews: int
    emails: int


@router.post("", response_model=MessageResponse, status_code=status.HTTP_202_ACCEPTED,
             summary="Email a link to each company's data about an address (the same answer whether or not it is known)")
def request_privacy_links(body: PrivacyRequestIn, request: Request) -> MessageResponse:
    ip, _ = client_meta(request)
    with session_scope() as session:
        return MessageResponse(detail=privacy_links.request_links(session, email=str(body.email), ip=ip))


@router.get("/{token}", response_model=LinkSummaryPublic, responses=GONE,
            summary="What an emailed link opens: the company, the address and how much is held")
def link_summary(token: LinkToken) -> LinkSummaryPublic:
    with session_scope(readonly=True) as session:
        return LinkSummaryPublic(**vars(privacy_links.summary(session, token)))


@router.get("/{token}/data", response_model=dict[str, Any], responses=GONE,
            summary="The company's data about the address (the same document as /candidates/me/data)")
def link_data(token: LinkToken) -> dict[str, Any]:
    with session_scope() as session:
        return privacy_links.export_data(session, token)


@router.post("/{token}/erase", response_model=dict[str, int], responses=GONE,
             summary="Erase the company's data about the address (verdicts stay, anonymous); spends the link")
def link_erase(token: LinkToken, body: LinkErasureIn) -> dict[str, int]:
    with session_scope() as session:
        return privacy_links.erase(session, token, confirm_email=body.confirm_email)
