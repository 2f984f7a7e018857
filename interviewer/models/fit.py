"""Job fit (resume vs job template): a per-candidate resume profile computed once per resume text,
and one cached fit row per (job, candidate) that is recomputed only when its inputs change."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from interviewer.models.base import created_at_field, fk, id_field
from interviewer.models.types import JSONType


class ResumeProfile(SQLModel, table=True):
    """What the matcher needs from one candidate's resume text: its skills with context and quotes,
    and its chunk embeddings (float16), keyed by a hash of the text and the matcher's version."""

    __tablename__ = "resume_profiles"

    candidate_id: uuid.UUID = Field(foreign_key="candidates.id", ondelete="CASCADE", primary_key=True)
    company_id: uuid.UUID = fk("companies.id", nullable=False)
    text_hash: str = Field(max_length=64)
    matcher_version: str = Field(max_length=40)
    profile: dict[str, Any] = Field(sa_type=JSONType)
    embeddings: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    computed_at: datetime = created_at_field()


class JobFit(SQLModel, table=True):
    """The fit of one candidate's resume to one job template (0-100 with the reasons)."""

    __tablename__ = "job_fits"
    __table_args__ = (
        sa.UniqueConstraint("job_template_id", "candidate_id", name="uq_job_fits_job_candidate"),
        sa.Index("idx_job_fits_job_score", "job_template_id", "score"),
        sa.Index("idx_job_fits_candidate", "candidate_id"),
    )

    id: uuid.UUID = id_field()
    company_id: uuid.UUID = fk("companies.id", nullable=False)
    job_template_id: uuid.UUID = fk("job_templates.id", nullable=False)
    candidate_id: uuid.UUID = fk("candidates.id", nullable=False)
    score: float
    inputs_hash: str = Field(max_length=64)
    matcher_version: str = Field(max_length=40)
    details: dict[str, Any] = Field(sa_type=JSONType)
    computed_at: datetime = created_at_field()
