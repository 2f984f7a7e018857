"""User management within a company (spec 5.3, 6.3)."""

from __future__ import annotations

import uuid
from functools import lru_cache
from types import SimpleNamespace

from pydantic import TypeAdapter
from sqlalchemy import bindparam, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from interviewer.core import errors as E
from interviewer.db import escape_like, insert_together, is_unique_violation
from interviewer.core.security import check_password_policy, hash_password
from interviewer.models import AuditLog, Company, CustomRole, User, UserRole
from interviewer.models.schemas import UserCreate, UserPublic, UserUpdate
from interviewer.services import audit
from interviewer.services.auth import (
    change_own_password,
    end_other_sessions,
    find_user_by_email,
    names_for_policy,
    issue_account_link,
    normalize_email,
    revoke_all_for_user,
    unusable_password_hash,
)
from interviewer.services.authz import DELEGABLE_PERMISSIONS, Actor, get_in_tenant, permissions_for

STAFF_ROLES = (UserRole.HR, UserRole.EMPLOYEE)
SORTABLE = {"name": User.name, "email": User.email, "created_at": User.created_at, "role": User.role}


def get_user(session: Session, actor: Actor, user_id: uuid.UUID) -> User:
    if user_id == actor.id:
        return session.get(User, user_id)  # everyone may read themself
    actor.require("users:read", "users:write")
    return get_in_tenant(session, User, user_id, actor, what="User", code=E.USER_NOT_FOUND)


def list_users(session: Session, actor: Actor, **filters) -> tuple[list[UserPublic], int]:
    """A page of the company's users as their public view, and the total: :func:`list_user_rows`
    (the same filters) read into ``UserPublic``."""
    rows, total = list_user_rows(session, actor, **filters)
    return _PUBLIC_ROWS.validate_python(rows), total


def list_user_rows(
    session: Session,
    actor: Actor,
    *,
    page: int = 1,
    per_page: int = 20,
    search: str | None = None,
    role: UserRole | None = None,
    is_active: bool | None = None,
    company_id: uuid.UUID | None = None,
    sort: str = "name",
    descending: bool = False,
) -> tuple[list[dict], int]:
    """A page of the company's users (a system admin: of every company, or of ``company_id``),
    each a dict of exactly ``UserPublic``'s fields with their column types, and the total. Read as
    plain columns, not as mapped objects: nobody edits a listed row, and loading twenty ``User``
    objects and reading them back by attribute cost more than the query itself. The REST list
    writes these rows as JSON directly (``api.deps.page_response``); :func:`list_users` gives
    ``UserPublic`` instances."""
    actor.require("users:read", "users:write")
    company_id = actor.company_param(company_id)
    # Anyone but a system admin sees their own company only (a user without one: nobody).
    by_company = company_id is not None or not actor.is_admin
    scope = company_id if actor.is_admin else actor.company_id
    term = f"%{escape_like(search.strip().lower())}%" if search else None
    params = {"company_id": scope, "term": term, "role": role, "is_active": is_active,
              "offset": (page - 1) * per_page, "limit": per_page}
    shape = (by_company, term is not None, role is not None, is_active is not None)
    conn = session.connection()
    result = conn.execute(_page_statement(*shape, sort if sort in SORTABLE else "name", descending), params)
    keys = tuple(result.keys())
    rows = result.all()
    if rows:  # the window count is the last column
        return [dict(zip(keys, row[:-1])) for row in rows], int(rows[0][-1])
    if page == 1:
        return [], 0
    return [], int(conn.execute(_count_statement(*shape), params).scalar_one())


_PUBLIC_ROWS = TypeAdapter(list[UserPublic])


def _filters(by_company: bool, by_term: bool, by_role: bool, by_active: bool) -> list:
    """The list's conditions, each value a bound parameter (so a statement is built once per shape).
    A user outside a company (a system admin) is listed only when no company is asked for."""
    filters = []
    if by_company:
        filters.append(User.company_id == bindparam("company_id"))
    if by_term:
        term = bindparam("term")
        filters.append(or_(func.lower(User.name).like(term, escape="\\"), col(User.email).like(term, escape="\\")))
    if by_role:
        filters.append(User.role == bindparam("role", type_=User.__table__.c.role.type))
    if by_active:
        filters.append(User.is_active == bindparam("is_active"))
    return filters


@lru_cache(maxsize=64)
def _page_statement(by_company: bool, by_term: bool, by_role: bool, by_active: bool, sort: str, descending: bool):
    """One statement: the page's public columns with the total as a window count over the filtered
    rows (a company's staff are few, so counting them beside the page costs nothing extra). A page
    past the end has no row to carry the total: only then is it counted on its own."""
    order = SORTABLE[sort]
    columns = [User.__table__.c[name] for name in UserPublic.model_fields]
    return (select(*columns, func.count().over().label("total"))
            .where(*_filters(by_company, by_term, by_role, by_active))
            .order_by(order.desc() if descending else order.asc(), User.id)
            .offset(bindparam("offset")).limit(bindparam("limit")))


@lru_cache(maxsize=16)
def _count_statement(by_company: bool, by_term: bool, by_role: bool, by_active: bool):
    return select(func.count()).select_from(User).where(*_filters(by_company, by_term, by_role, by_active))


def _check_custom_role(session: Session, custom_role_id: uuid.UUID | None, company_id: uuid.UUID | None) -> None:
    if custom_role_id is None:
        return
    role = session.get(CustomRole, custom_role_id)
    if role is None or role.company_id != company_id:
        raise E.NotFoundError("Custom role not found.", code=E.ROLE_NOT_FOUND)


def _check_manager(session: Session, manager_id: uuid.UUID | None, company_id: uuid.UUID | None,
                   user_id: uuid.UUID | None = None) -> None:
    if manager_id is None:
        return
    manager = session.get(User, manager_id)
    if manager is None or manager.company_id != company_id or manager.role not in STAFF_ROLES:
        raise E.NotFoundError("Manager not found in this company.", code=E.USER_NOT_FOUND)
    if manager_id == user_id:
        raise E.ValidationError("A user cannot be their own manager.")


def _check_role_grant(actor: Actor, role: UserRole) -> None:
    if actor.is_admin:
        return
    if role not in STAFF_ROLES:
        raise E.PermissionDeniedError(f"You cannot give the {role.value} role.", code=E.PERM_ROLE_ESCALATION)


def _effective_permissions(session: Session, role: UserRole, custom_role_id: uuid.UUID | None) -> frozenset[str]:
    custom = session.get(CustomRole, custom_role_id) if custom_role_id else None
    return permissions_for(SimpleNamespace(role=role), custom)  # type: ignore[arg-type]


def _check_within_own_permissions(session: Session, actor: Actor, role: UserRole,
                                  custom_role_id: uuid.UUID | None, *, delegating: bool = False) -> None:
    """Nobody hands out (or takes over) more than they hold: outside system admins, the account being
    created, changed or re-roled may not end up with permissions the actor lacks. Otherwise a user with
    just ``users:write`` (e.g. an employee with a custom role) could create an HR account, promote
    someone to HR, or reset an HR's password."""
    if actor.is_admin:
        return
    beyond = _effective_permissions(session, role, custom_role_id) - actor.permissions
    if delegating:  # giving someone else a role with a delegable permission (authz.DELEGABLE_PERMISSIONS)
        beyond -= DELEGABLE_PERMISSIONS
    beyond = sorted(beyond)
    if beyond:
        raise E.PermissionDeniedError("That account has (or would get) permissions you do not hold: "
                                      f"{', '.join(beyond)}.", code=E.PERM_ROLE_ESCALATION)


def _delegated(session: Session, actor: Actor, role: UserRole, custom_role_id: uuid.UUID | None) -> frozenset[str]:
    """Delegable permissions (authz.DELEGABLE_PERMISSIONS) the account would get from an actor who
    does not hold them. Such an account chooses its own password (an emailed link), so the person who
    granted the permission cannot sign in with it."""
    if actor.is_admin:
        return frozenset()
    return (_effective_permissions(session, role, custom_role_id) & DELEGABLE_PERMISSIONS) - actor.permissions


_OWN_PASSWORD = "An account given {perms} chooses its own password: leave the password empty and the person gets a link."


def create_user(session: Session, actor: Actor, data: UserCreate) -> User:
    actor.require("users:write")
    _check_role_grant(actor, data.role)
    company_id = actor.company_param(data.company_id)
    if data.role == UserRole.SYSTEM_ADMIN:
        company_id = None
    elif company_id is None or (company_id != actor.company_id and session.get(Company, company_id) is None):
        # (the actor's own company exists: their account belongs to it)
        raise E.ValidationError("company_id is required for this role and must exist.", code=E.COMPANY_NOT_FOUND)
    email = normalize_email(data.email)
    if data.password is not None and find_user_by_email(session, email):  # before spending a bcrypt hash
        raise _email_taken()
    _check_custom_role(session, data.custom_role_id, company_id)
    _check_within_own_permissions(session, actor, data.role, data.custom_role_id, delegating=True)
    if data.password is not None and (granted := _delegated(session, actor, data.role, data.custom_role_id)):
        raise E.PermissionDeniedError(_OWN_PASSWORD.format(perms=", ".join(sorted(granted))),
                                      code=E.PERM_ROLE_ESCALATION)
    _check_manager(session, data.manager_id, company_id)
    if data.password is not None:
        company = session.get(Company, company_id) if company_id else None
        check_password_policy(data.password, email=email, names=[data.name, company.name if company else None])
    user = User(
        email=email,
        name=data.name,
        role=data.role,
        company_id=company_id,
        custom_role_id=data.custom_role_id,
        manager_id=data.manager_id,
        department=data.department,
        password_hash=hash_password(data.password) if data.password else unusable_password_hash(),
        # A password chosen by HR is vouched for; otherwise the emailed link verifies the address.
        email_verified=data.password is not None,
    )
    # The user, its set-password mail and the audit entry are written together: one INSERT
    # statement on PostgreSQL (db.insert_together), the link's token set before; nothing written
    # is read back. The unique e-mail constraint is the duplicate check (no look-up first): a
    # duplicate writes nothing, and the unit of work rolls back (so no mail is sent).
    rows: list = [user]
    if data.password is None:
        issue_account_link(session, user, purpose="set_password", rows=rows)
    rows.append((AuditLog, audit.entry(actor=actor, action="user.create", entity_type="user", entity_id=user.id,
                                       company_id=company_id, details={"role": data.role.value, "email": email})))
    try:
        insert_together(session, *rows)
    except IntegrityError as exc:
        if is_unique_violation(exc, "users", "email"):
            raise _email_taken() from None
        raise
    return user


def _email_taken() -> E.ConflictError:
    return E.ConflictError("A user with this email already exists.", code=E.USER_EMAIL_TAKEN)


def update_user(session: Session, actor: Actor, user_id: uuid.UUID, data: UserUpdate) -> User:
    changes = data.model_dump(exclude_unset=True)
    current_password = changes.pop("current_password", None)
    if user_id == actor.id and set(changes) <= {"name", "password"}:
        user = session.get(User, user_id)  # anyone may change their own name and password
    else:
        actor.require("users:write")
        user = get_in_tenant(session, User, user_id, actor, what="User", code=E.USER_NOT_FOUND)
        if user.role == UserRole.SYSTEM_ADMIN and not actor.is_admin:
            raise E.NotFoundError("User not found.", code=E.USER_NOT_FOUND)
        if user_id == actor.id and changes.get("is_active") is False:
            raise E.ValidationError("You cannot deactivate your own account.")
        if user_id == actor.id and "role" in changes and changes["role"] != user.role:
            raise E.PermissionDeniedError("You cannot change your own role.", code=E.PERM_ROLE_ESCALATION)
        _check_within_own_permissions(session, actor, user.role, user.custom_role_id)
    if "role" in changes and changes["role"] is not None:
        _check_role_grant(actor, changes["role"])
    if "email" in changes and changes["email"] is not None:
        email = normalize_email(changes["email"])
        other = find_user_by_email(session, email)
        if other is not None and other.id != user.id:
            raise E.ConflictError("A user with this email already exists.", code=E.USER_EMAIL_TAKEN)
        changes["email"] = email
    if "custom_role_id" in changes:
        _check_custom_role(session, changes["custom_role_id"], user.company_id)
    newly_delegated: frozenset[str] = frozenset()
    if changes.get("role") is not None or "custom_role_id" in changes:
        new_role = changes.get("role") or user.role
        new_custom = changes["custom_role_id"] if "custom_role_id" in changes else user.custom_role_id
        _check_within_own_permissions(session, actor, new_role, new_custom, delegating=user.id != actor.id)
        newly_delegated = (_delegated(session, actor, new_role, new_custom)
                           - _effective_permissions(session, user.role, user.custom_role_id))
        if newly_delegated and changes.get("password") is not None:
            raise E.PermissionDeniedError(_OWN_PASSWORD.format(perms=", ".join(sorted(newly_delegated))),
                                          code=E.PERM_ROLE_ESCALATION)
    if "manager_id" in changes:
        _check_manager(session, changes["manager_id"], user.company_id, user.id)
    password = changes.pop("password", None)
    if password is not None and user.id == actor.id:
        change_own_password(session, actor, user, current_password=current_password, new_password=password)
    elif password is not None:  # set by someone with users:write: every session of the user ends
        check_password_policy(password, email=changes.get("email", user.email),
                              names=[changes.get("name") or user.name, *names_for_policy(session, user)])
        user.password_hash = hash_password(password)
        end_other_sessions(session, user)
    for key, value in changes.items():
        if key in ("name", "email", "role") and value is None:
            continue
        setattr(user, key, value)
    if changes.get("is_active") is False:
        revoke_all_for_user(session, user.id)
    if newly_delegated:  # whoever knew the password (e.g. the granter) must not sign in with the new rights
        user.password_hash = unusable_password_hash()
        end_other_sessions(session, user)
        issue_account_link(session, user, purpose="set_password")
    session.add(user)
    session.flush()  # applies updated_at (onupdate), so the caller's response shows it
    audit.record(session, actor=actor, action="user.update", entity_type="user", entity_id=user.id,
                 company_id=user.company_id,
                 details={k: str(v) for k, v in changes.items()} | ({"password": "changed"} if password else {}))
    return user


def deactivate_user(session: Session, actor: Actor, user_id: uuid.UUID) -> User:
    """DELETE /users/{id}: deactivation (data is kept), system admins only per spec 5.3."""
    actor.require("system:admin")
    user = get_in_tenant(session, User, user_id, actor, what="User", code=E.USER_NOT_FOUND)
    if user.id == actor.id:
        raise E.ValidationError("You cannot deactivate your own account.")
    user.is_active = False
    revoke_all_for_user(session, user.id)
    session.add(user)
    audit.record(session, actor=actor, action="user.deactivate", entity_type="user", entity_id=user.id,
                 company_id=user.company_id)
    return user
