"""Who may do what: the acting user, permissions per role, and tenant scoping.

Every service function takes an ``Actor`` and checks it here, so the REST API and the Reflex UI
enforce exactly the same rules.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TypeVar

from sqlmodel import Session, SQLModel

from interviewer.core.errors import PERM_COMPANY_SCOPE, PERM_DENIED, NotFoundError, PermissionDeniedError
from interviewer.models import CustomRole, User, UserRole

# The permission catalogue. Custom roles choose from ASSIGNABLE_PERMISSIONS.
PERMISSIONS: dict[str, str] = {
    "users:read": "See the company's users",
    "users:write": "Create, edit and deactivate users",
    "roles:manage": "Define custom roles and assign them",
    "candidates:read": "See every candidate of the company",
    "candidates:read_assigned": "See the candidates assigned to you",
    "candidates:write": "Create, edit, import and delete candidates",
    "jobs:read": "See job templates and their questions",
    "jobs:write": "Create and edit job templates and questions",
    "interviews:read": "See interviews and their reports",
    "interviews:write": "Schedule, reschedule and cancel interviews",
    "verdicts:override": "Override an interview verdict",
    "company:settings": "Change company settings and AI configuration",
    "compliance:read": "See fairness reports: selection rates by self-identified sex and race/ethnicity "
                       "(aggregates only)",
}
ASSIGNABLE_PERMISSIONS = frozenset(PERMISSIONS)
# Not in HR's default set (separation of duties: the people who decide on candidates do not read
# the self-identification aggregates). Whoever manages roles may still put it in a custom role and
# give that role to someone else, without holding it themselves (never to themselves).
DELEGABLE_PERMISSIONS = frozenset({"compliance:read"})

ROLE_PERMISSIONS: dict[UserRole, frozenset[str]] = {
    UserRole.SYSTEM_ADMIN: frozenset(PERMISSIONS) | {"system:admin"},
    UserRole.HR: frozenset(PERMISSIONS) - DELEGABLE_PERMISSIONS,
    UserRole.EMPLOYEE: frozenset({"users:read", "candidates:read_assigned", "jobs:read", "interviews:read"}),
    UserRole.CANDIDATE: frozenset({"self:read", "self:write", "ats:check"}),
}


@dataclass(frozen=True)
class Actor:
    id: uuid.UUID
    email: str
    name: str
    role: UserRole
    company_id: uuid.UUID | None
    permissions: frozenset[str] = field(default_factory=frozenset)
    custom_role_name: str | None = None
    # The cached session entry (profile shown by /auth/me) when resolved from a token.
    profile: dict | None = field(default=None, compare=False, hash=False, repr=False)

    @property
    def is_admin(self) -> bool:
        return self.role == UserRole.SYSTEM_ADMIN

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def require(self, *permissions: str) -> None:
        """Passes when the actor holds at least one of ``permissions``."""
        if not any(p in self.permissions for p in permissions):
            raise PermissionDeniedError("You do not have permission to do this.", code=PERM_DENIED)

    def require_role(self, *roles: UserRole) -> None:
        if self.role not in roles:
            raise PermissionDeniedError("You do not have permission to do this.", code=PERM_DENIED)

    def in_company(self, company_id: uuid.UUID | None) -> bool:
        return self.is_admin or (company_id is not None and company_id == self.company_id)

    def company_param(self, company_id: uuid.UUID | None) -> uuid.UUID | None:
        """The company a request names (``company_id`` in a body or query) checked: a system admin
        may name any; anyone else only their own, and naming another is refused rather than
        silently ignored. Returns the named company, or the actor's own when none is named."""
        if company_id is None:
            return None if self.is_admin else self.company_id
        if not self.is_admin and company_id != self.company_id:
            raise PermissionDeniedError("Only system administrators choose the company (company_id).",
                                        code=PERM_COMPANY_SCOPE)
        return company_id


def permissions_for(user: User, custom_role: CustomRole | None) -> frozenset[str]:
    """A custom role replaces the base role's permissions (never beyond the assignable set)."""
    if custom_role is not None and user.role in (UserRole.HR, UserRole.EMPLOYEE):
        return frozenset(custom_role.permissions) & ASSIGNABLE_PERMISSIONS
    return ROLE_PERMISSIONS[user.role]


def actor_for(session: Session, user: User) -> Actor:
    custom = session.get(CustomRole, user.custom_role_id) if user.custom_role_id else None
    return Actor(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        company_id=user.company_id,
        permissions=permissions_for(user, custom),
        custom_role_name=custom.name if custom else None,
    )


T = TypeVar("T", bound=SQLModel)


def get_in_tenant(session: Session, model: type[T], obj_id: uuid.UUID, actor: Actor, *, what: str, code: str) -> T:
    """Load a company-owned row; another tenant's row answers 404 exactly like a missing one."""
    obj = session.get(model, obj_id)
    if obj is None or not actor.in_company(getattr(obj, "company_id", None)):
        raise NotFoundError(f"{what} not found.", code=code)
    return obj
