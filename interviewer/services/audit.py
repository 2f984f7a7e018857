"""Audit log: who changed what, kept for compliance and shown to admins."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session

from interviewer.models import AuditLog
from interviewer.services.authz import Actor


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
    session.add(
        AuditLog(
            actor_id=actor.id if actor else None,
            company_id=company_id,
            action=action,
            entity_type=entity_type,
            entity_id=str(entity_id) if entity_id else None,
            details=details or {},
        )
    )
