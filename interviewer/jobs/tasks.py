"""RQ job functions: plain arguments (IDs), their own DB session, idempotent."""

from __future__ import annotations

import logging
import uuid

from interviewer.db import session_scope
from interviewer.services import email as email_service

log = logging.getLogger("interviewer.jobs")


def send_email(message_id: str) -> str:
    with session_scope() as session:
        status = email_service.deliver(session, uuid.UUID(message_id))
    log.info("email delivered", extra={"metadata": {"message_id": message_id, "status": status.value}})
    return status.value
