"""Per-company AI configuration (migration 014's intent): provider, model, custom prompt,
verdict thresholds. Stored in ``companies.settings["ai"]``; read through the 1-hour settings cache."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlmodel import Session, select

from interviewer.core import errors as E
from interviewer.core.crypto import SecretDecryptError, encrypt_secret, redact_secrets, rotate_secret, seal_secrets
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
    target = actor.company_param(company_id)
    if target is None:
        raise E.ValidationError("company_id is required.")
    return target


def get_ai_config(session: Session, actor: Actor, company_id: uuid.UUID | None = None) -> dict[str, Any]:
    actor.require("company:settings", "jobs:write")
    return config_for_company(session, _target_company(actor, company_id)).public_dict()


def merge_ai_settings(current: dict[str, Any] | None, changes: dict[str, Any]) -> tuple[dict[str, Any], AIConfig]:
    """The stored form of ``current`` (a stored ``settings["ai"]``) updated with ``changes``:
    validated, with the API key encrypted (``api_key_enc``). ``api_key``: a new key, "" to remove
    it, absent to keep the stored one. Every writer of ``settings["ai"]`` goes through here."""
    if "api_key_enc" in changes:
        raise E.ValidationError("AI configuration: api_key_enc cannot be set; send api_key.", code="AI_422")
    merged = {**(current or {}), **changes}
    if "api_key" in changes:
        merged.pop("api_key_enc", None)
        if changes["api_key"] in ("", None):
            merged.pop("api_key")
    try:
        config = AIConfig.model_validate(merged)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        raise E.ValidationError(f"AI configuration: {'.'.join(map(str, first['loc']))}: {first['msg']}",
                                code="AI_422")
    stored = config.model_dump(mode="json", by_alias=True, exclude={"api_key"})
    if config.api_key is not None:
        stored["api_key_enc"] = encrypt_secret(config.api_key.get_secret_value())
    return stored, config


def update_ai_config(session: Session, actor: Actor, changes: dict[str, Any],
                     company_id: uuid.UUID | None = None) -> dict[str, Any]:
    """Merge ``changes`` into the company's AI config (see :func:`merge_ai_settings`)."""
    actor.require("company:settings")
    target = _target_company(actor, company_id)
    company = session.get(Company, target, with_for_update=True)
    if company is None:
        raise E.NotFoundError("Company not found.", code=E.COMPANY_NOT_FOUND)
    stored, config = merge_ai_settings((company.settings or {}).get("ai"), changes)
    company.settings = {**(company.settings or {}), "ai": stored}
    session.add(company)
    invalidate_company_settings(target, session)
    audit.record(session, actor=actor, action="ai_config.update", entity_type="company", entity_id=target,
                 company_id=target, details=redact_secrets(changes))
    return config.public_dict()


def reencrypt_company_secrets(session: Session) -> dict[str, int]:
    """Key rotation: every stored company secret re-encrypted under the current ENCRYPTION_KEY
    (plaintext ones from older versions encrypted). Secrets no configured key can decrypt are
    counted and left as they are."""
    counts = {"companies": 0, "reencrypted": 0, "encrypted_plaintext": 0, "unreadable": 0}
    for company in session.exec(select(Company).with_for_update()).all():
        counts["companies"] += 1
        ai = dict((company.settings or {}).get("ai") or {})
        if isinstance(ai.get("api_key"), str):
            ai = seal_secrets(ai)
            counts["encrypted_plaintext"] += 1
        elif isinstance(ai.get("api_key_enc"), str):
            try:
                ai["api_key_enc"] = rotate_secret(ai["api_key_enc"])
            except SecretDecryptError:
                counts["unreadable"] += 1
                continue
            counts["reencrypted"] += 1
        else:
            continue
        company.settings = {**(company.settings or {}), "ai": ai}
        session.add(company)
        invalidate_company_settings(company.id, session)
    return counts
