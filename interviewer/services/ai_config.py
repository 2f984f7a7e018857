"""Per-company AI configuration (migration 014's intent): provider, model, custom prompt,
verdict thresholds. Stored in ``companies.settings["ai"]``; read through the 1-hour settings cache."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.models import Company
from interviewer.services import audit
from interviewer.services.ai.provider import AIConfig, FairProvider, get_provider, load_ai_config
from interviewer.services.authz import Actor
from interviewer.services.cache import company_settings, invalidate_company_settings


def config_for_company(session: Session, company_id: uuid.UUID | None) -> AIConfig:
    if company_id is None:
        return AIConfig()
    return load_ai_config(company_settings(session, company_id).get("ai"))


def provider_for_company(session: Session, company_id: uuid.UUID | None) -> FairProvider:
    return get_provider(config_for_company(session, company_id))


def _target_company(actor: Actor, company_id: uuid.UUID | None) -> uuid.UUID:
    target = company_id if actor.is_admin and company_id else actor.company_id
    if target is None:
        raise E.ValidationError("company_id is required.")
    return target


def get_ai_config(session: Session, actor: Actor, company_id: uuid.UUID | None = None) -> dict[str, Any]:
    actor.require("company:settings", "jobs:write")
    return config_for_company(session, _target_company(actor, company_id)).public_dict()


def update_ai_config(session: Session, actor: Actor, changes: dict[str, Any],
                     company_id: uuid.UUID | None = None) -> dict[str, Any]:
    """Merge ``changes`` into the company's AI config. ``api_key``: a new key, "" to remove it,
    absent to keep the stored one."""
    actor.require("company:settings")
    target = _target_company(actor, company_id)
    company = session.get(Company, target, with_for_update=True)
    if company is None:
        raise E.NotFoundError("Company not found.", code=E.COMPANY_NOT_FOUND)
    current = dict((company.settings or {}).get("ai") or {})
    merged = {**current, **changes}
    if merged.get("api_key") == "":
        merged.pop("api_key")
    try:
        config = AIConfig.model_validate(merged)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        raise E.ValidationError(f"AI configuration: {'.'.join(map(str, first['loc']))}: {first['msg']}",
                                code="AI_422")
    stored = config.model_dump(mode="json", by_alias=True, exclude={"api_key"})
    if config.api_key is not None:
        stored["api_key"] = config.api_key.get_secret_value()
    company.settings = {**(company.settings or {}), "ai": stored}
    session.add(company)
    invalidate_company_settings(target, session)
    audit.record(session, actor=actor, action="ai_config.update", entity_type="company", entity_id=target,
                 company_id=target, details={k: ("***" if k == "api_key" else v) for k, v in changes.items()})
    return config.public_dict()
