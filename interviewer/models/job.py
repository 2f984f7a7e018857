from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from interviewer.models.base import created_at_field, fk, id_field, updated_at_field
from interviewer.models.types import JSONType

DEFAULT_AI_MODEL = "gemini-2.5-flash"


class JobTemplate(SQLModel, table=True):
    __tablename__ = "job_templates"
    __table_args__ = (sa.Index("idx_job_templates_company_id", "company_id"),)

    id: uuid.UUID = id_field()
    company_id: uuid.UUID = fk("companies.id", nullable=False)
    created_by: uuid.UUID | None = fk("users.id")
    title: str = Field(max_length=255)
    description: str | None = Field(default=None, sa_type=sa.Text)
    ai_prompt: str | None = Field(default=None, sa_type=sa.Text)
    ai_model: str = Field(
        default=DEFAULT_AI_MODEL, max_length=100, sa_column_kwargs={"server_default": DEFAULT_AI_MODEL}
    )
    created_at: datetime = created_at_field()
    updated_at: datetime | None = updated_at_field()


class Question(SQLModel, table=True):
    __tablename__ = "questions"
    __table_args__ = (sa.Index("idx_questions_job_template_id", "job_template_id"),)

    id: uuid.UUID = id_field()
    job_template_id: uuid.UUID = fk("job_templates.id", nullable=False)
    text: str = Field(sa_type=sa.Text)
    created_by: uuid.UUID | None = fk("users.id")
    weight: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    position: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Points a good answer covers: used for scoring and follow-up questions.
    key_points: list[str] = Field(default_factory=list, sa_type=JSONType, sa_column_kwargs={"nullable": False})
    # Common wrong ideas about those points, listed by HR: the scorers weigh an answer that states one.
    red_flags: list[str] = Field(default_factory=list, sa_type=JSONType,
                                 sa_column_kwargs={"nullable": False, "server_default": "[]"})
    kind: str | None = Field(default=None, max_length=20)  # theory | practice
    difficulty: str | None = Field(default=None, max_length=20)  # intermediate | advanced
    source: str = Field(default="manual", max_length=20, sa_column_kwargs={"server_default": "manual"})  # manual | ai
    created_at: datetime = created_at_field()
    updated_at: datetime | None = updated_at_field()
