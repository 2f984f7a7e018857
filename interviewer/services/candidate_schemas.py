"""Request/response schemas of the candidate endpoints (shared by the REST API and the UI)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, computed_field

from interviewer.models import CandidateStatus, ImportMode, ImportStatus
from interviewer.models.schemas import EmailStr, Name, RequestModel

Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)]
Source = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]


class CandidateCreate(RequestModel):
    email: EmailStr
    name: Name
    phone: Phone | None = None
    source: Source | None = None
    status: CandidateStatus = CandidateStatus.NEW
    assigned_to: uuid.UUID | None = None
    job_template_id: uuid.UUID | None = None
    company_id: uuid.UUID | None = Field(default=None, description="System admin only")


class CandidateUpdate(RequestModel):
    """Status is not here: it changes only through POST /candidates/{id}/status (the pipeline)."""

    email: EmailStr | None = None
    name: Name | None = None
    phone: Phone | None = None
    source: Source | None = None
    assigned_to: uuid.UUID | None = None
    job_template_id: uuid.UUID | None = None


class CandidatePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    company_id: uuid.UUID
    name: str
    email: str
    phone: str | None = None
    status: CandidateStatus
    assigned_to: uuid.UUID | None = None
    job_template_id: uuid.UUID | None = None
    source: str | None = None
    user_id: uuid.UUID | None = None
    resume_url: str | None = Field(default=None, exclude=True)  # a private storage key: never sent
    created_at: datetime
    updated_at: datetime | None = None

    @computed_field
    @property
    def has_resume(self) -> bool:
        return bool(self.resume_url)


class CandidateDetail(CandidatePublic):
    resume_text: str | None = None


class CandidateSelf(BaseModel):
    """What a candidate sees of their own record."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    company_id: uuid.UUID
    name: str
    email: str
    phone: str | None = None
    status: CandidateStatus
    job_template_id: uuid.UUID | None = None
    created_at: datetime


class StatusChange(RequestModel):
    status: CandidateStatus
    note: Note | None = None


class AssignRequest(RequestModel):
    user_id: uuid.UUID | None


class BulkDeleteRequest(RequestModel):
    ids: list[uuid.UUID] = Field(min_length=1, max_length=1000)


class BulkDeleteResult(BaseModel):
    deleted: int
    not_found: int


class InviteResult(BaseModel):
    user_id: uuid.UUID
    outcome: str = Field(description="invited | resent | linked")


class HistoryEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    from_status: CandidateStatus | None
    to_status: CandidateStatus
    changed_by: uuid.UUID | None
    note: str | None
    created_at: datetime


class ImportJobPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    company_id: uuid.UUID
    created_by: uuid.UUID | None
    filename: str
    mode: ImportMode
    status: ImportStatus
    total_rows: int
    processed_rows: int
    created_count: int
    updated_count: int
    skipped_count: int
    error_count: int
    errors: list[dict] = Field(description="The first row errors: {row, line, email, error}")
    failure_reason: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @computed_field
    @property
    def progress(self) -> int:
        """Percent of data rows processed (100 once finished)."""
        if self.status in (ImportStatus.COMPLETED,):
            return 100
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0
