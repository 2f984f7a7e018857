"""Test data builders that go through the real models (and services where rules matter)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from interviewer.core.config import reset_settings_cache
from interviewer.core.security import hash_password
from interviewer.db import session_scope
from interviewer.models import Candidate, Company, User, UserRole
from interviewer.services.auth import login

PASSWORD = "correct-horse-42"


@dataclass
class Tenant:
    company: Company
    hr: User
    employee: User


def make_company(name: str = "Acme") -> Company:
    with session_scope() as s:
        company = Company(name=name, domain=f"{name.lower()}.test")
        s.add(company)
        s.flush()
        return company


def make_user(role: UserRole, company_id: uuid.UUID | None, email: str | None = None, *,
              name: str | None = None, verified: bool = True, active: bool = True,
              password: str = PASSWORD, custom_role_id: uuid.UUID | None = None) -> User:
    with session_scope() as s:
        user = User(email=email or f"{role.value.lower()}-{uuid.uuid4().hex[:8]}@example.test",
                    name=name or f"{role.value.title()} User", role=role, company_id=company_id,
                    password_hash=hash_password(password), email_verified=verified, is_active=active,
                    custom_role_id=custom_role_id)
        s.add(user)
        s.flush()
        return user


def make_tenant(name: str = "Acme") -> Tenant:
    company = make_company(name)
    return Tenant(company, make_user(UserRole.HR, company.id, f"hr@{name.lower()}.test", name=f"{name} HR"),
                  make_user(UserRole.EMPLOYEE, company.id, f"dev@{name.lower()}.test", name=f"{name} Dev"))


def make_admin() -> User:
    return make_user(UserRole.SYSTEM_ADMIN, None, "admin@example.test", name="Root Admin")


def make_candidate(company_id: uuid.UUID, email: str = "cand@example.test", **kw) -> Candidate:
    with session_scope() as s:
        cand = Candidate(company_id=company_id, email=email, name=kw.pop("name", "Casey Candidate"), **kw)
        s.add(cand)
        s.flush()
        return cand


def token_for(user: User, password: str = PASSWORD) -> str:
    with session_scope() as s:
        return login(s, email=user.email, password=password).access_token


def auth(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(user)}"}


def restore_environment(saved: dict[str, str | None]) -> None:
    """Put environment variables back (None: unset) and reload the settings."""
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    reset_settings_cache()


@contextmanager
def environment(**values: str) -> Iterator[None]:
    """Settings from these environment variables inside the block; the old ones after it."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    reset_settings_cache()
    try:
        yield
    finally:
        restore_environment(saved)
