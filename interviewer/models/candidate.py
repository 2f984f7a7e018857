from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from interviewer.models.base import created_at_field, fk, id_field, ts_field, updated_at_field
from interviewer.models.enums import CandidateStatus
from interviewer.models.types import enum_column_type


class Candidate(SQLModel, table=True):
    __tablename__ = "candidates"
    __table_args__ = (
        sa.UniqueConstraint("company_id", "email", name="uq_candidates_company_email"),
        sa.Index("idx_candidates_company_id", "company_id"),
        sa.Index("idx_candidates_status", "status"),
        sa.Index("idx_candidates_assigned_to", "assigned_to"),
        # Keyset-friendly listing indexes (newest first, and per pipeline stage).
        sa.Index("idx_candidates_company_created", "company_id", "created_at", "id"),
        sa.Index("idx_candidates_company_status_created", "company_id", "status", "created_at", "id"),
        sa.Index("idx_candidates_user_id", "user_id"),
    )

    id: uuid.UUID = id_field()
    company_id: uuid.UUID = fk("companies.id", nullable=False)
    email: str = Field(max_length=255)
    name: str = Field(max_length=255)
    phone: str | None = Field(default=None, max_length=50)
    resume_url: str | None = Field(default=None, sa_type=sa.Text)
    resume_text: str | None = Field(default=None, sa_type=sa.Text)
    status: CandidateStatus = Field(
        default=CandidateStatus.NEW,
        sa_type=enum_column_type(CandidateStatus, "candidate_status"),
        sa_column_kwargs={"server_default": CandidateStatus.NEW.value, "nullable": False},
    )
    assigned_to: uuid.UUID | None = fk("users.id")
    job_template_id: uuid.UUID | None = fk("job_templates.id")
    source: str | None = Field(default=None, max_length=100)
    # The candidate's own account, when they have one (CANDIDATE role sees only this row).
    user_id: uuid.UUID | None = fk("users.id")
    # Latest ATS check (migration 017's intent): 0-100 and when.
    ats_score: int | None = None
    ats_checked_at: datetime | None = ts_field()
    created_at: datetime = created_at_field()
    updated_at: datetime | None = updated_at_field()


class CandidateStatusHistory(SQLModel, table=True):
    __tablename__ = "candidate_status_history"
    __table_args__ = (sa.Index("idx_candidate_status_history_candidate", "candidate_id", "created_at"),)

    id: uuid.UUID = id_field()
    candidate_id: uuid.UUID = fk("candidates.id", nullable=False)
    from_status: CandidateStatus | None = Field(
        default=None, sa_type=enum_column_type(CandidateStatus, "candidate_status_from")
    )
    to_status: CandidateStatus = Field(
        sa_type=enum_column_type(CandidateStatus, "candidate_status_to"), sa_column_kwargs={"nullable": False}
    )
    changed_by: uuid.UUID | None = fk("users.id")
    note: str | None = Field(default=None, max_length=1000)
    created_at: datetime = created_at_field()
