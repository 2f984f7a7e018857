"""Audit log: who changed what, kept for compliance and shown to admins."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session

from interviewer.models import AuditLog
from interviewer.services.authz import Actor


def entry(
    *,
    actor: Actor | None,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | str | None,
    company_id: uuid.UUID | None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The values of one audit row, however it is written: ``record`` adds it to the session;
    a service writing its new rows in one statement passes ``(AuditLog, entry(...))`` to
    ``db.insert_together`` (the model's defaults, id and time, are filled in either way)."""
    return {
        "actor_id": actor.id if actor else None,
        "company_id": company_id,
        "action": action,
        "entity_type": entity_type,
        "entity_id": str(entity_id) if entity_id else None,
        "details": details or {},
    }


def record(
    session: Session,
    *,
    actor: Actor | None,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | str | None,
    company_id: uuid.UUID | None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(AuditLog(**entry(actor=actor, action=action, entity_type=entity_type, entity_id=entity_id,
                                 company_id=company_id, details=details)))
