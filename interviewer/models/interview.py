from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from interviewer.models.base import created_at_field, fk, id_field, ts_field, updated_at_field
from interviewer.models.enums import InterviewStatus, RoundStatus, Verdict
from interviewer.models.types import JSONType, enum_column_type


class Interview(SQLModel, table=True):
    __tablename__ = "interviews"
    __table_args__ = (
        sa.Index("idx_interviews_candidate_id", "candidate_id"),
        sa.Index("idx_interviews_token", "token"),
        sa.Index("idx_interviews_company_scheduled", "company_id", "scheduled_at"),
        sa.Index("idx_interviews_interviewer_id", "interviewer_id"),
    )

    id: uuid.UUID = id_field()
    company_id: uuid.UUID = fk("companies.id", nullable=False)
    candidate_id: uuid.UUID = fk("candidates.id", nullable=False)
    job_template_id: uuid.UUID | None = fk("job_templates.id")
    interviewer_id: uuid.UUID | None = fk("users.id")
    # SHA-256 (hex) of the link token, never the token itself; with token_salt the server can
    # re-derive the link for staff (services.interviews.link_token_of).
    token: str = Field(max_length=255, sa_column_kwargs={"unique": True, "nullable": False})
    token_salt: str | None = Field(default=None, max_length=64)
    status: InterviewStatus = Field(
        default=InterviewStatus.SCHEDULED,
        sa_type=enum_column_type(InterviewStatus, "interview_status"),
        sa_column_kwargs={"server_default": InterviewStatus.SCHEDULED.value, "nullable": False},
    )
    scheduled_at: datetime | None = ts_field()
    duration_minutes: int = Field(default=30, sa_column_kwargs={"server_default": "30"})
    expires_at: datetime | None = ts_field()
    started_at: datetime | None = ts_field()
    completed_at: datetime | None = ts_field()
    cancelled_at: datetime | None = ts_field()
    transcript: str | None = Field(default=None, sa_type=sa.Text)
    score: int | None = None
    verdict: Verdict | None = Field(default=None, sa_type=enum_column_type(Verdict, "verdict"))
    ai_report: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    # Scoring job state (process_interview) and HR's override of the AI verdict.
    scoring_status: str | None = Field(default=None, max_length=20)
    scoring_error: str | None = Field(default=None, sa_type=sa.Text)
    verdict_override: Verdict | None = Field(default=None, sa_type=enum_column_type(Verdict, "verdict_override"))
    override_reason: str | None = Field(default=None, sa_type=sa.Text)
    overridden_by: uuid.UUID | None = fk("users.id")
    overridden_at: datetime | None = ts_field()
    # Live-interview progress: where a reopened link resumes.
    current_question_index: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = created_at_field()
    updated_at: datetime | None = updated_at_field()


class InterviewRound(SQLModel, table=True):
    __tablename__ = "interview_rounds"
    __table_args__ = (
        sa.UniqueConstraint("candidate_id", "round_number", name="uq_interview_rounds_candidate_round"),
        sa.Index("idx_interview_rounds_candidate_id", "candidate_id"),
    )

    id: uuid.UUID = id_field()
    candidate_id: uuid.UUID = fk("candidates.id", nullable=False)
    job_template_id: uuid.UUID | None = fk("job_templates.id")
    round_number: int
    round_type: str = Field(max_length=50)
    status: RoundStatus = Field(
        default=RoundStatus.PENDING,
        sa_type=enum_column_type(RoundStatus, "round_status"),
        sa_column_kwargs={"server_default": RoundStatus.PENDING.value, "nullable": False},
    )
    scheduled_at: datetime | None = ts_field()
    interview_id: uuid.UUID | None = fk("interviews.id")
    created_at: datetime = created_at_field()


class InterviewScore(SQLModel, table=True):
    """Every report the scorer produced for an interview, oldest first: the first scoring and each
    re-score HR asked for. ``interviews.ai_report`` is the newest; earlier ones stay here."""

    __tablename__ = "interview_scores"
    __table_args__ = (
        sa.UniqueConstraint("interview_id", "version", name="uq_interview_scores_version"),
        sa.Index("idx_interview_scores_interview", "interview_id"),
    )

    id: uuid.UUID = id_field()
    interview_id: uuid.UUID = fk("interviews.id", nullable=False)
    company_id: uuid.UUID = fk("companies.id", nullable=False)
    version: int
    score: int
    verdict: Verdict = Field(sa_type=enum_column_type(Verdict, "interview_score_verdict"))
    provider: str = Field(max_length=50)
    model: str = Field(max_length=100)
    scorer_version: str = Field(max_length=50)
    report: dict[str, Any] = Field(sa_type=JSONType)
    reason: str | None = Field(default=None, sa_type=sa.Text)  # why HR re-scored
    request_id: str | None = Field(default=None, max_length=64)  # the re-score request (a redelivered job writes once)
    requested_by: uuid.UUID | None = fk("users.id")
    created_at: datetime = created_at_field()
