"""Companies (tenants) and the public company-registration flow with admin approval (spec 5.8)."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, func, select

from interviewer.core import errors as E
from interviewer.core.crypto import redact_secrets
from interviewer.db import escape_like
from interviewer.core.security import utcnow
from interviewer.models import Company, CompanyRegistrationRequest, RegistrationStatus, User, UserRole
from interviewer.models.schemas import CompanyRegistrationCreate, CompanyUpdate
from interviewer.services import audit
from interviewer.services.ai_config import merge_ai_settings
from interviewer.services.auth import (
    find_user_by_email,
    issue_account_link,
    normalize_email,
    notify_existing_account,
    unusable_password_hash,
)
from interviewer.services.authz import Actor
from interviewer.services.cache import invalidate_company_settings
from interviewer.services.email import queue_email


def get_company(session: Session, actor: Actor, company_id: uuid.UUID) -> Company:
    """A company's record: system admins only (spec 5.x, ``GET /companies/{id}``); members learn
    their company's name from their session."""
    actor.require("system:admin")
    company = session.get(Company, company_id)
    if company is None or not actor.in_company(company_id):
        raise E.NotFoundError("Company not found.", code=E.COMPANY_NOT_FOUND)
    return company


def list_companies(session: Session, actor: Actor, *, page: int = 1, per_page: int = 20,
                   search: str | None = None) -> tuple[list[Company], int]:
    actor.require("system:admin")
    filters = []
    if search:
        filters.append(func.lower(Company.name).like(f"%{escape_like(search.strip().lower())}%", escape="\\"))
    total = session.exec(select(func.count()).select_from(Company).where(*filters)).one()
    rows = session.exec(select(Company).where(*filters).order_by(Company.name, Company.id)
                        .offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def company_choices(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """(id, name) of the companies a system admin picks from in a form or a filter, by name."""
    companies, _ = list_companies(session, actor, per_page=500)
    return [(str(c.id), c.name) for c in companies]


def update_company(session: Session, actor: Actor, company_id: uuid.UUID, data: CompanyUpdate) -> Company:
    actor.require("system:admin")
    company = get_company(session, actor, company_id)
    changes = data.model_dump(exclude_unset=True)
    for key, value in changes.items():
        if value is None and key in ("name", "is_active", "settings"):
            continue
        if key == "settings":  # merged per top-level key, so e.g. the AI configuration survives
            current = company.settings or {}
            value = {**current, **value}
            if "ai" in changes["settings"]:  # validated and its key encrypted, as PUT /ai/config does
                if not isinstance(changes["settings"]["ai"], dict):
                    raise E.ValidationError("settings.ai must be an object.", code="AI_422")
                value["ai"], _ = merge_ai_settings(current.get("ai"), changes["settings"]["ai"])
        setattr(company, key, value)
    session.add(company)
    invalidate_company_settings(company.id, session)
    session.flush()  # applies updated_at (onupdate), so the caller's response shows it
    audit.record(session, actor=actor, action="company.update", entity_type="company", entity_id=company.id,
                 company_id=company.id, details={k: str(v) for k, v in redact_secrets(changes).items()})
    return company


def request_registration(session: Session, data: CompanyRegistrationCreate) -> CompanyRegistrationRequest:
    """Enumeration-safe: the answer (a pending request) is the same whether or not the contact
    email already has an account or a pending request; in those cases nothing is stored (the
    returned request is transient) and the contact is told the truth by email."""
    email = normalize_email(data.contact_email)
    req = CompanyRegistrationRequest(company_name=data.company_name, domain=data.domain or None,
                                     contact_name=data.contact_name, contact_email=email, message=data.message,
                                     created_at=utcnow())
    existing = find_user_by_email(session, email)
    if existing is not None:
        notify_existing_account(session, existing, attempted=f"register the company {data.company_name}")
        return req
    pending = session.exec(
        select(CompanyRegistrationRequest).where(
            CompanyRegistrationRequest.contact_email == email,
            CompanyRegistrationRequest.status == RegistrationStatus.PENDING,
        )
    ).first()
    if pending:
        queue_email(session, to=email, subject="Your company registration is already waiting for review",
                    body_text=(f"Hello {pending.contact_name},\n\nA request to register {pending.company_name} from "
                               "this address is already waiting for an administrator; you will get an email "
                               "when it is decided. No second request was recorded.\n"),
                    kind="registration_duplicate")
        return req
    session.add(req)
    session.flush()
    queue_email(session, to=email, subject="We received your company registration",
                body_text=(f"Hello {req.contact_name},\n\nThank you for registering {req.company_name}. "
                           "An administrator will review your request; you will get an email when it is decided.\n"),
                kind="registration_received")
    return req


def list_registration_requests(session: Session, actor: Actor, *, status: RegistrationStatus | None = RegistrationStatus.PENDING,
                               page: int = 1, per_page: int = 20) -> tuple[list[CompanyRegistrationRequest], int]:
    actor.require("system:admin")
    filters = [CompanyRegistrationRequest.status == status] if status else []
    total = session.exec(select(func.count()).select_from(CompanyRegistrationRequest).where(*filters)).one()
    rows = session.exec(select(CompanyRegistrationRequest).where(*filters)
                        .order_by(col(CompanyRegistrationRequest.created_at).asc(), CompanyRegistrationRequest.id)
                        .offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def _pending_request(session: Session, request_id: uuid.UUID) -> CompanyRegistrationRequest:
    req = session.exec(select(CompanyRegistrationRequest)
                       .where(CompanyRegistrationRequest.id == request_id).with_for_update()).first()
    if req is None:
        raise E.NotFoundError("Registration request not found.", code=E.COMPANY_REQUEST_NOT_FOUND)
    if req.status != RegistrationStatus.PENDING:
        raise E.ConflictError(f"This request was already {req.status.value}.", code=E.COMPANY_REQUEST_DECIDED)
    return req


def approve_registration(session: Session, actor: Actor, request_id: uuid.UUID) -> CompanyRegistrationRequest:
    """Creates the company and its first HR user, who gets a set-password link by email."""
    actor.require("system:admin")
    req = _pending_request(session, request_id)
    if find_user_by_email(session, req.contact_email):
        raise E.ConflictError("An account with the contact email already exists.", code=E.USER_EMAIL_TAKEN)
    company = Company(name=req.company_name, domain=req.domain)
    session.add(company)
    session.flush()
    hr = User(email=req.contact_email, name=req.contact_name, role=UserRole.HR, company_id=company.id,
              password_hash=unusable_password_hash(), email_verified=False)
    session.add(hr)
    session.flush()
    issue_account_link(session, hr, purpose="set_password", approved_company=company.name)
    req.status = RegistrationStatus.APPROVED
    req.reviewed_by = actor.id
    req.reviewed_at = utcnow()
    req.company_id = company.id
    session.add(req)
    audit.record(session, actor=actor, action="company_request.approve", entity_type="company_request",
                 entity_id=req.id, company_id=company.id, details={"company": company.name})
    return req


def reject_registration(session: Session, actor: Actor, request_id: uuid.UUID, reason: str | None) -> CompanyRegistrationRequest:
    actor.require("system:admin")
    req = _pending_request(session, request_id)
    req.status = RegistrationStatus.REJECTED
    req.reviewed_by = actor.id
    req.reviewed_at = utcnow()
    req.decision_reason = reason
    session.add(req)
    queue_email(session, to=req.contact_email, subject="Your company registration",
                body_text=(f"Hello {req.contact_name},\n\nYour request to register {req.company_name} was not approved."
                           + (f"\nReason: {reason}" if reason else "") + "\n"),
                kind="registration_rejected")
    audit.record(session, actor=actor, action="company_request.reject", entity_type="company_request",
                 entity_id=req.id, company_id=None, details={"reason": reason})
    return req
