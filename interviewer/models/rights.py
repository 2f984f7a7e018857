"""Candidates' rights (issue 14): accommodation requests HR answers in the app, and the emailed
links through which a candidate without an account sees, downloads or erases what one company
keeps about them."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from interviewer.models.base import created_at_field, fk, id_field, ts_field
from interviewer.models.types import UTCDateTime, enum_column_type


class AccommodationStatus(str, enum.Enum):
    OPEN = "open"
    ANSWERED = "answered"


class AccommodationRequest(SQLModel, table=True):
    """A candidate's request for more time, typing only or another format, made from the interview
    link: a task for the company's HR until someone answers it (the answer is emailed)."""

    __tablename__ = "accommodation_requests"
    __table_args__ = (
        sa.Index("idx_accommodation_requests_company_status", "company_id", "status", "created_at"),
        sa.Index("idx_accommodation_requests_interview", "interview_id"),
    )

    id: uuid.UUID = id_field()
    company_id: uuid.UUID = fk("companies.id", nullable=False)
    # Deleting the interview or the candidate deletes the request (it is their personal data).
    interview_id: uuid.UUID = fk("interviews.id", nullable=False)
    candidate_id: uuid.UUID = fk("candidates.id", nullable=False)
    kind: str = Field(max_length=32)
    message: str = Field(default="", sa_type=sa.Text, sa_column_kwargs={"nullable": False})
    status: AccommodationStatus = Field(default=AccommodationStatus.OPEN,
                                        sa_type=enum_column_type(AccommodationStatus, "accommodation_status"),
                                        sa_column_kwargs={"nullable": False})
    answer: str | None = Field(default=None, sa_type=sa.Text)
    answered_by: uuid.UUID | None = fk("users.id")
    answered_at: datetime | None = ts_field()
    created_at: datetime = created_at_field()


class PrivacyLink(SQLModel, table=True):
    """An emailed link to one company's data about one email address: short-lived, spent by the
    erasure it carries out; only the SHA-256 of the token is stored."""

    __tablename__ = "privacy_links"
    __table_args__ = (sa.Index("idx_privacy_links_company_email", "company_id", "email"),)

    id: uuid.UUID = id_field()
    company_id: uuid.UUID = fk("companies.id", nullable=False)
    email: str = Field(max_length=255)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True, "nullable": False})
    expires_at: datetime = Field(sa_type=UTCDateTime, sa_column_kwargs={"nullable": False})
    used_at: datetime | None = ts_field()
    ip_address: str | None = Field(default=None, max_length=64)
    created_at: datetime = created_at_field()
