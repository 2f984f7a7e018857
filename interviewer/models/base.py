"""Shared helpers for table models."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from interviewer.models.types import UTCDateTime

# Constraint names that are stable across PostgreSQL and SQLite (Alembic batch mode needs names).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def id_field() -> Any:
    return Field(default_factory=uuid.uuid4, primary_key=True)


def created_at_field() -> Any:
    return Field(
        default_factory=utcnow,
        sa_type=UTCDateTime,
        sa_column_kwargs={"server_default": sa.func.now(), "nullable": False},
    )


def updated_at_field() -> Any:
    return Field(
        default=None,
        sa_type=UTCDateTime,
        sa_column_kwargs={"onupdate": utcnow, "nullable": True},
    )


def ts_field(**kw: Any) -> Any:
    return Field(default=None, sa_type=UTCDateTime, **kw)


def fk(target: str, *, nullable: bool = True, ondelete: str = "SET NULL") -> Any:
    """A UUID foreign key; nullable ones are cleared when the target row is deleted."""
    if nullable:
        return Field(default=None, foreign_key=target, ondelete=ondelete, nullable=True)
    return Field(foreign_key=target, ondelete="CASCADE" if ondelete == "SET NULL" else ondelete, nullable=False)
