from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from interviewer.models.base import created_at_field, fk, id_field, ts_field, updated_at_field
from interviewer.models.enums import RegistrationStatus
from interviewer.models.types import JSONType, enum_column_type


class Company(SQLModel, table=True):
    __tablename__ = "companies"

    id: uuid.UUID = id_field()
    name: str = Field(max_length=255)
    domain: str | None = Field(default=None, max_length=255)
    is_active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    settings: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSONType, sa_column_kwargs={"server_default": "{}", "nullable": False}
    )
    created_at: datetime = created_at_field()
    updated_at: datetime | None = updated_at_field()


class CompanyRegistrationRequest(SQLModel, table=True):
    """A public "register your company" request, approved or rejected by a system admin."""

    __tablename__ = "company_registration_requests"
    __table_args__ = (
        sa.Index("idx_company_requests_status", "status", "created_at"),
        sa.Index("idx_company_requests_contact_email", "contact_email"),
    )

    id: uuid.UUID = id_field()
    company_name: str = Field(max_length=255)
    domain: str | None = Field(default=None, max_length=255)
    contact_name: str = Field(max_length=255)
    contact_email: str = Field(max_length=255)
    message: str | None = Field(default=None, max_length=2000)
    status: RegistrationStatus = Field(
        default=RegistrationStatus.PENDING,
        sa_type=enum_column_type(RegistrationStatus, "registration_status"),
        sa_column_kwargs={"server_default": RegistrationStatus.PENDING.value, "nullable": False},
    )
    decision_reason: str | None = Field(default=None, max_length=2000)
    reviewed_by: uuid.UUID | None = fk("users.id")
    reviewed_at: datetime | None = ts_field()
    company_id: uuid.UUID | None = fk("companies.id")
    created_at: datetime = created_at_field()
