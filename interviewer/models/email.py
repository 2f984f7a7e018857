from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from interviewer.models.base import created_at_field, fk, id_field, ts_field
from interviewer.models.enums import EmailStatus
from interviewer.models.types import JSONType, enum_column_type


class EmailMessage(SQLModel, table=True):
    """Every email the platform sends. Without SMTP it stays here as the development outbox."""

    __tablename__ = "email_outbox"
    __table_args__ = (
        sa.Index("idx_email_outbox_status", "status", "created_at"),
        sa.Index("idx_email_outbox_company", "company_id", "created_at"),
        sa.Index("idx_email_outbox_to", "to_address"),
    )

    id: uuid.UUID = id_field()
    company_id: uuid.UUID | None = fk("companies.id")
    kind: str = Field(max_length=50)
    to_address: str = Field(max_length=255)
    subject: str = Field(max_length=500)
    body_text: str = Field(sa_type=sa.Text)
    body_html: str | None = Field(default=None, sa_type=sa.Text)
    # [{"filename": ..., "content_type": ..., "content": <text>}]
    attachments: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONType, sa_column_kwargs={"nullable": False})
    status: EmailStatus = Field(
        default=EmailStatus.PENDING,
        sa_type=enum_column_type(EmailStatus, "email_status"),
        sa_column_kwargs={"server_default": EmailStatus.PENDING.value, "nullable": False},
    )
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = ts_field()
