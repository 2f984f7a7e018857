from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from interviewer.models.base import created_at_field, fk, id_field, ts_field, updated_at_field
from interviewer.models.enums import UserRole
from interviewer.models.types import JSONType, UTCDateTime, enum_column_type


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (
        sa.Index("idx_users_company_id", "company_id"),
        sa.Index("idx_users_email", "email"),
    )

    id: uuid.UUID = id_field()
    company_id: uuid.UUID | None = fk("companies.id", ondelete="CASCADE")
    email: str = Field(max_length=255, sa_column_kwargs={"unique": True, "nullable": False})
    password_hash: str = Field(max_length=255)
    name: str = Field(max_length=255)
    role: UserRole = Field(sa_type=enum_column_type(UserRole, "user_role"), sa_column_kwargs={"nullable": False})
    custom_role_id: uuid.UUID | None = fk("custom_roles.id")
    manager_id: uuid.UUID | None = fk("users.id")
    department: str | None = Field(default=None, max_length=100)
    is_active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    email_verified: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # SHA-256 of the emailed token (verification or set-password); the token itself is never stored.
    verification_token: str | None = Field(default=None, max_length=255)
    verification_expires_at: datetime | None = ts_field()
    last_login_at: datetime | None = ts_field()
    # A password change ends every session signed in before it, except the one that made the
    # change (its refresh-token family): services.auth.authenticate_access_token.
    sessions_valid_after: datetime | None = ts_field()
    kept_session_family: uuid.UUID | None = None
    created_at: datetime = created_at_field()
    updated_at: datetime | None = updated_at_field()


class CustomRole(SQLModel, table=True):
    """A company-defined named set of permissions that replaces a user's default permissions."""

    __tablename__ = "custom_roles"
    __table_args__ = (sa.UniqueConstraint("company_id", "name", name="uq_custom_roles_company_name"),)

    id: uuid.UUID = id_field()
    company_id: uuid.UUID = fk("companies.id", nullable=False)
    name: str = Field(max_length=100)
    description: str | None = Field(default=None, max_length=500)
    permissions: list[str] = Field(default_factory=list, sa_type=JSONType, sa_column_kwargs={"nullable": False})
    created_at: datetime = created_at_field()
    updated_at: datetime | None = updated_at_field()


class RefreshToken(SQLModel, table=True):
    """One issued refresh token. Tokens rotated from one login share a family; reuse of a
    rotated token revokes the family."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (
        sa.Index("idx_refresh_tokens_family_id", "family_id"),
        sa.Index("idx_refresh_tokens_user_id", "user_id"),
    )

    id: uuid.UUID = id_field()  # the JWT's jti
    user_id: uuid.UUID = fk("users.id", nullable=False)
    family_id: uuid.UUID
    expires_at: datetime = Field(sa_type=UTCDateTime, sa_column_kwargs={"nullable": False})
    used_at: datetime | None = ts_field()
    revoked_at: datetime | None = ts_field()
    replaced_by: uuid.UUID | None = None
    user_agent: str | None = Field(default=None, max_length=255)
    ip_address: str | None = Field(default=None, max_length=64)
    created_at: datetime = created_at_field()


class PasswordResetToken(SQLModel, table=True):
    """A forgot-password link: single use, short-lived; only the SHA-256 of the token is stored."""

    __tablename__ = "password_reset_tokens"
    __table_args__ = (sa.Index("idx_password_reset_tokens_user_id", "user_id"),)

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = fk("users.id", nullable=False, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True, "nullable": False})
    expires_at: datetime = Field(sa_type=UTCDateTime, sa_column_kwargs={"nullable": False})
    used_at: datetime | None = ts_field()
    ip_address: str | None = Field(default=None, max_length=64)
    created_at: datetime = created_at_field()


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_logs"
    __table_args__ = (
        sa.Index("idx_audit_logs_company_created", "company_id", "created_at"),
        sa.Index("idx_audit_logs_entity", "entity_type", "entity_id"),
    )

    id: uuid.UUID = id_field()
    company_id: uuid.UUID | None = fk("companies.id")
    actor_id: uuid.UUID | None = fk("users.id")
    action: str = Field(max_length=100)
    entity_type: str = Field(max_length=50)
    entity_id: str | None = Field(default=None, max_length=64)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, sa_column_kwargs={"nullable": False})
    ip_address: str | None = Field(default=None, max_length=64)
    created_at: datetime = created_at_field()
