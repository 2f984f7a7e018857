"""Tables of the AI layer and the live interview: resume checks, transcript entries, signals."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from interviewer.models.base import created_at_field, fk, id_field, ts_field
from interviewer.models.types import JSONType, UTCDateTime, enum_column_type


class JobRunStatus(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class ResumeCheck(SQLModel, table=True):
    """One ATS check of a resume (spec 2.3.3): by a candidate for themself, or by HR for a candidate."""

    __tablename__ = "resume_checks"
    __table_args__ = (
        sa.Index("idx_resume_checks_user_created", "user_id", "created_at"),
        sa.Index("idx_resume_checks_candidate", "candidate_id"),
    )

    id: uuid.UUID = id_field()
    user_id: uuid.UUID | None = fk("users.id")  # who asked for it
    candidate_id: uuid.UUID | None = fk("candidates.id", ondelete="CASCADE")
    company_id: uuid.UUID | None = fk("companies.id", ondelete="CASCADE")
    filename: str = Field(max_length=255)
    file_path: str = Field(sa_type=sa.Text)
    job_description: str | None = Field(default=None, sa_type=sa.Text)
    status: JobRunStatus = Field(
        default=JobRunStatus.QUEUED, sa_type=enum_column_type(JobRunStatus, "resume_check_status"),
        sa_column_kwargs={"server_default": JobRunStatus.QUEUED.value, "nullable": False},
    )
    provider: str | None = Field(default=None, max_length=50)
    result: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    # Two numbers the overall score mixes, kept apart: format/readability (no job needed) and fit to
    # the posting given (the job-fit matcher); see resume_checks.measures.
    measures: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    score: int | None = None
    error_code: str | None = Field(default=None, max_length=50)
    error: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = created_at_field()
    completed_at: datetime | None = ts_field()


class TranscriptEntry(SQLModel, table=True):
    """Append-only interview transcript: every question asked and every finalised utterance."""

    __tablename__ = "transcript_entries"
    __table_args__ = (
        sa.UniqueConstraint("interview_id", "seq", name="uq_transcript_entries_interview_seq"),
        sa.Index("idx_transcript_entries_interview", "interview_id", "seq"),
    )

    id: uuid.UUID = id_field()
    interview_id: uuid.UUID = fk("interviews.id", nullable=False)
    seq: int
    question_id: uuid.UUID | None = fk("questions.id")
    question_index: int = Field(default=0)
    kind: str = Field(max_length=20)  # question | follow_up | answer | note
    speaker: str = Field(max_length=20)  # interviewer | candidate
    text: str = Field(sa_type=sa.Text)
    started_ms: int | None = None  # offset from the interview start
    ended_ms: int | None = None
    confidence: float | None = None
    speech_ratio: float | None = None  # voiced share of the utterance's span (energy VAD); None when typed
    source: str | None = Field(default=None, max_length=30)  # whisper | assemblyai | typed | tts
    # On the last utterance of a spoken answer: the turn's latency budget (interviewer.live.latency)
    latency: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    created_at: datetime = created_at_field()


class IntegritySignal(SQLModel, table=True):
    """Tab switches, window blur, paste, long silences: shown to HR, never a verdict on their own."""

    __tablename__ = "integrity_signals"
    __table_args__ = (sa.Index("idx_integrity_signals_interview", "interview_id", "occurred_at"),)

    id: uuid.UUID = id_field()
    interview_id: uuid.UUID = fk("interviews.id", nullable=False)
    kind: str = Field(max_length=30)
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, sa_column_kwargs={"nullable": False})
    occurred_at: datetime = Field(sa_type=UTCDateTime, sa_column_kwargs={"nullable": False})
    created_at: datetime = created_at_field()
