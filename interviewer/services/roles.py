"""Custom roles: a company's named permission sets (users.custom_role_id)."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select, update

from interviewer.core import errors as E
from interviewer.models import Company, CustomRole, User
from interviewer.models.schemas import CustomRoleCreate, CustomRoleUpdate
from interviewer.services import audit
from interviewer.services.authz import ASSIGNABLE_PERMISSIONS, DELEGABLE_PERMISSIONS, Actor, get_in_tenant


def _clean_permissions(actor: Actor, perms: list[str]) -> list[str]:
    unknown = sorted(set(perms) - ASSIGNABLE_PERMISSIONS)
    if unknown:
        raise E.ValidationError(f"Unknown permissions: {', '.join(unknown)}.", code=E.ROLE_UNKNOWN_PERMISSION)
    beyond = sorted(set(perms) - actor.permissions - DELEGABLE_PERMISSIONS)
    if beyond:  # nobody grants what they do not hold (delegable ones aside: authz.DELEGABLE_PERMISSIONS)
        raise E.PermissionDeniedError(f"You cannot grant: {', '.join(beyond)}.", code=E.PERM_ROLE_ESCALATION)
    return sorted(set(perms))


def _company_for(actor: Actor, company_id: uuid.UUID | None, session: Session | None = None) -> uuid.UUID:
    target = actor.company_param(company_id)
    if target is None:
        raise E.ValidationError("company_id is required.")
    if session is not None and target != actor.company_id and session.get(Company, target) is None:
        raise E.NotFoundError("Company not found.")  # an admin naming a company that does not exist
    return target


def list_roles(session: Session, actor: Actor, *, company_id: uuid.UUID | None = None) -> list[CustomRole]:
    actor.require("roles:manage", "users:read")
    target = _company_for(actor, company_id)
    return list(session.exec(select(CustomRole).where(CustomRole.company_id == target).order_by(CustomRole.name)))


def _check_name(session: Session, company_id: uuid.UUID, name: str, exclude: uuid.UUID | None = None) -> None:
    existing = session.exec(
        select(CustomRole).where(CustomRole.company_id == company_id, CustomRole.name == name)
    ).first()
    if existing is not None and existing.id != exclude:
        raise E.ConflictError("A role with this name already exists.", code=E.ROLE_NAME_TAKEN)


def create_role(session: Session, actor: Actor, data: CustomRoleCreate, *, company_id: uuid.UUID | None = None) -> CustomRole:
    actor.require("roles:manage")
    target = _company_for(actor, company_id, session)
    _check_name(session, target, data.name)
    role = CustomRole(company_id=target, name=data.name, description=data.description,
                      permissions=_clean_permissions(actor, data.permissions))
    session.add(role)
    session.flush()
    audit.record(session, actor=actor, action="role.create", entity_type="custom_role", entity_id=role.id,
                 company_id=target, details={"permissions": role.permissions})
    return role


def update_role(session: Session, actor: Actor, role_id: uuid.UUID, data: CustomRoleUpdate) -> CustomRole:
    actor.require("roles:manage")
    role = get_in_tenant(session, CustomRole, role_id, actor, what="Role", code=E.ROLE_NOT_FOUND)
    if data.name is not None:
        _check_name(session, role.company_id, data.name, exclude=role.id)
        role.name = data.name
    if data.description is not None:
        role.description = data.description
    if data.permissions is not None:
        role.permissions = _clean_permissions(actor, data.permissions)
    session.add(role)
    session.flush()  # applies updated_at (onupdate)
    audit.record(session, actor=actor, action="role.update", entity_type="custom_role", entity_id=role.id,
                 company_id=role.company_id, details={"permissions": role.permissions})
    return role


def delete_role(session: Session, actor: Actor, role_id: uuid.UUID) -> None:
    actor.require("roles:manage")
    role = get_in_tenant(session, CustomRole, role_id, actor, what="Role", code=E.ROLE_NOT_FOUND)
    session.exec(update(User).where(User.custom_role_id == role.id).values(custom_role_id=None))
    session.delete(role)
    audit.record(session, actor=actor, action="role.delete", entity_type="custom_role", entity_id=role_id,
                 company_id=role.company_id, details={"name": role.name})
