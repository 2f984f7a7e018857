"""Request/response schemas (not tables). Request bodies forbid unknown fields and bound lengths."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from interviewer.core.crypto import redact_secrets
from interviewer.models.enums import RegistrationStatus, UserRole



def _email(value: str) -> str:
    """Syntax check only (no DNS); ``.test`` domains are allowed for demos and tests."""
    try:
        return validate_email(value, check_deliverability=False, test_environment=True).normalized.lower()
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from None


EmailStr = Annotated[str, StringConstraints(strip_whitespace=True, max_length=255), AfterValidator(_email)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
Password = Annotated[str, StringConstraints(min_length=1, max_length=128)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginRequest(RequestModel):
    email: EmailStr
    password: Password


class UserBrief(BaseModel):
    id: uuid.UUID
    email: str
    name: str
    role: UserRole
    company_id: uuid.UUID | None


class UserPublic(UserBrief):
    model_config = ConfigDict(from_attributes=True)

    custom_role_id: uuid.UUID | None = None
    manager_id: uuid.UUID | None = None
    department: str | None = None
    is_active: bool
    email_verified: bool
    created_at: datetime
    updated_at: datetime | None = None


class MeResponse(UserPublic):
    permissions: list[str]
    custom_role_name: str | None = None
    company_name: str | None = None


class LoginResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    user: UserBrief


class UserCreate(RequestModel):
    email: EmailStr
    name: Name
    role: UserRole
    password: Password | None = Field(default=None, description="Omit to email a set-password link")
    company_id: uuid.UUID | None = Field(default=None, description="System admin only")
    custom_role_id: uuid.UUID | None = None
    manager_id: uuid.UUID | None = None
    department: ShortText | None = None


class UserUpdate(RequestModel):
    name: Name | None = None
    email: EmailStr | None = None
    role: UserRole | None = None
    custom_role_id: uuid.UUID | None = None
    manager_id: uuid.UUID | None = None
    department: ShortText | None = None
    is_active: bool | None = None
    password: Password | None = None
    current_password: Password | None = Field(
        default=None, description="required when changing your own password")


class UserList(BaseModel):
    users: list[UserPublic]
    total: int
    page: int
    per_page: int
    pages: int


class CandidateSignup(RequestModel):
    name: Name
    email: EmailStr
    password: Password


class TokenRequest(RequestModel):
    token: Annotated[str, StringConstraints(min_length=10, max_length=255)]


class SetPasswordRequest(TokenRequest):
    password: Password


class ForgotPasswordRequest(RequestModel):
    email: EmailStr


class MessageResponse(BaseModel):
    detail: str


class CompanyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    domain: str | None
    is_active: bool
    settings: dict
    created_at: datetime

    @field_validator("settings", mode="after")
    @classmethod
    def _no_secrets(cls, value: dict) -> dict:
        """Secrets (the AI key) are write-only: answers show ``api_key_set`` instead."""
        return redact_secrets(value)


class CompanyUpdate(RequestModel):
    name: Name | None = None
    domain: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] | None = None
    is_active: bool | None = None
    settings: dict | None = None


class CompanyList(BaseModel):
    companies: list[CompanyPublic]
    total: int
    page: int
    per_page: int
    pages: int


class CompanyRegistrationCreate(RequestModel):
    company_name: Name
    domain: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] | None = None
    contact_name: Name
    contact_email: EmailStr
    message: Annotated[str, StringConstraints(max_length=2000)] | None = None


class CompanyRegistrationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    company_name: str
    domain: str | None
    contact_name: str
    contact_email: str
    message: str | None
    status: RegistrationStatus
    decision_reason: str | None
    reviewed_at: datetime | None
    company_id: uuid.UUID | None
    created_at: datetime


class RegistrationDecision(RequestModel):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class CompanyRequestList(BaseModel):
    requests: list[CompanyRegistrationPublic]
    total: int
    page: int
    per_page: int
    pages: int


class CustomRoleCreate(RequestModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    description: Annotated[str, StringConstraints(max_length=500)] | None = None
    permissions: list[Annotated[str, StringConstraints(max_length=64)]] = Field(max_length=50)


class CustomRoleUpdate(RequestModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None
    description: Annotated[str, StringConstraints(max_length=500)] | None = None
    permissions: list[Annotated[str, StringConstraints(max_length=64)]] | None = Field(default=None, max_length=50)


class CustomRolePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    company_id: uuid.UUID
    name: str
    description: str | None
    permissions: list[str]
    created_at: datetime


def pages_for(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page)) if per_page else 1
