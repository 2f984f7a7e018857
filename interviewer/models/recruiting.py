"""Tables that support the recruiting pipeline: CSV imports and employee availability."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from interviewer.models.base import created_at_field, fk, id_field, ts_field
from interviewer.models.types import JSONType, UTCDateTime, enum_column_type


class ImportStatus(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class ImportMode(str, enum.Enum):
    SKIP = "skip"  # existing emails are left alone
    UPDATE = "update"  # existing emails are updated from the file


class ImportJob(SQLModel, table=True):
    """One CSV bulk import (migration 005's intent): progress, counts and per-row errors."""

    __tablename__ = "import_jobs"
    __table_args__ = (sa.Index("idx_import_jobs_company_created", "company_id", "created_at"),)

    id: uuid.UUID = id_field()
    company_id: uuid.UUID = fk("companies.id", nullable=False)
    created_by: uuid.UUID | None = fk("users.id")
    filename: str = Field(max_length=255)
    file_path: str = Field(sa_type=sa.Text)
    mode: ImportMode = Field(
        default=ImportMode.SKIP, sa_type=enum_column_type(ImportMode, "import_mode"),
        sa_column_kwargs={"server_default": ImportMode.SKIP.value, "nullable": False},
    )
    status: ImportStatus = Field(
        default=ImportStatus.QUEUED, sa_type=enum_column_type(ImportStatus, "import_status"),
        sa_column_kwargs={"server_default": ImportStatus.QUEUED.value, "nullable": False},
    )
    total_rows: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    processed_rows: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    updated_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    skipped_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    error_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # [{"row": 12, "email": "...", "error": "..."}] (capped; the CSV report lists them all)
    errors: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONType, sa_column_kwargs={"nullable": False})
    failure_reason: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = created_at_field()
    started_at: datetime | None = ts_field()
    finished_at: datetime | None = ts_field()


class EmployeeAvailability(SQLModel, table=True):
    """A slot in which an employee can run an interview (migration 013's intent)."""

    __tablename__ = "employee_availability"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="slot_order"),
        sa.Index("idx_employee_availability_user_start", "user_id", "starts_at"),
        sa.Index("idx_employee_availability_company", "company_id"),
    )

    id: uuid.UUID = id_field()
    company_id: uuid.UUID = fk("companies.id", nullable=False)
    user_id: uuid.UUID = fk("users.id", nullable=False)
    starts_at: datetime = Field(sa_type=UTCDateTime, sa_column_kwargs={"nullable": False})
    ends_at: datetime = Field(sa_type=UTCDateTime, sa_column_kwargs={"nullable": False})
    created_at: datetime = created_at_field()
