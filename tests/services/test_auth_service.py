"""Service-level rules of authentication and authorisation that the HTTP tests cannot isolate."""

from __future__ import annotations

import uuid

import pytest
import redis
from sqlmodel import select

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.models import CustomRole, RefreshToken, User, UserRole
from interviewer.services import auth as auth_service
from interviewer.services.authz import ASSIGNABLE_PERMISSIONS, ROLE_PERMISSIONS, actor_for, permissions_for
from interviewer.services.users import list_users
from tests.factories import PASSWORD, make_tenant, make_user


def test_reuse_revocation_is_committed_although_the_request_fails():
    make_tenant()
    with session_scope() as s:
        first = auth_service.login(s, email="hr@acme.test", password=PASSWORD)
    with session_scope() as s:
        second = auth_service.refresh(s, first.refresh_token)
    with pytest.raises(E.AuthenticationError) as info:
        with session_scope() as s:  # rolls back on the error...
            auth_service.refresh(s, first.refresh_token)
    assert info.value.code == "AUTH_008"
    with session_scope() as s:  # ...but the family stays revoked
        rows = s.exec(select(RefreshToken)).all()
        assert len(rows) == 2 and all(r.revoked_at is not None for r in rows)
    with pytest.raises(E.AuthenticationError):
        with session_scope() as s:
            auth_service.refresh(s, second.refresh_token)


def test_rotation_links_old_and_new_tokens():
    make_tenant()
    with session_scope() as s:
        first = auth_service.login(s, email="hr@acme.test", password=PASSWORD)
    with session_scope() as s:
        second = auth_service.refresh(s, first.refresh_token)
    with session_scope() as s:
        rows = {r.id: r for r in s.exec(select(RefreshToken))}
    old = next(r for r in rows.values() if r.used_at is not None)
    new = rows[old.replaced_by]
    assert new.used_at is None and new.revoked_at is None and new.family_id == old.family_id
    assert second.user.id == first.user.id


def test_logout_ignores_an_invalid_refresh_cookie():
    make_tenant()
    with session_scope() as s:
        pair = auth_service.login(s, email="hr@acme.test", password=PASSWORD)
    with session_scope() as s:
        _, payload = auth_service.authenticate_access_token(s, pair.access_token)
        auth_service.logout(s, access_payload=payload, refresh_token="garbage")
    with session_scope() as s:
        with pytest.raises(E.AuthenticationError) as info:
            auth_service.authenticate_access_token(s, pair.access_token)
    assert info.value.code == "AUTH_004"


def test_session_store_outage_fails_closed(monkeypatch):
    """If Redis cannot be asked whether a token was revoked, the request is refused (503), not let through."""
    make_tenant()
    with session_scope() as s:
        pair = auth_service.login(s, email="hr@acme.test", password=PASSWORD)
    from interviewer.core.redis import get_redis

    monkeypatch.setattr(get_redis(), "connection_pool",
                        redis.ConnectionPool(host="127.0.0.1", port=1, socket_connect_timeout=0.2))
    with session_scope() as s:
        with pytest.raises(E.ServiceUnavailableError):
            auth_service.authenticate_access_token(s, pair.access_token)


def test_unusable_password_never_logs_in():
    tenant = make_tenant()
    with session_scope() as s:
        user = s.get(User, tenant.employee.id)
        user.password_hash = auth_service.unusable_password_hash()
        s.add(user)
    for attempt in ("", user.password_hash, user.password_hash[1:], PASSWORD):
        with pytest.raises(E.AuthenticationError):
            with session_scope() as s:
                auth_service.login(s, email="dev@acme.test", password=attempt)


def test_custom_role_permissions_are_capped_to_the_assignable_set():
    """A role row tampered with directly in the database still cannot grant system:admin."""
    tenant = make_tenant()
    with session_scope() as s:
        role = CustomRole(company_id=tenant.company.id, name="Tampered",
                          permissions=["users:read", "system:admin", "self:write"])
        s.add(role)
        s.flush()
        user = s.get(User, tenant.employee.id)
        user.custom_role_id = role.id
        s.add(user)
    with session_scope() as s:
        actor = actor_for(s, s.get(User, tenant.employee.id))
    assert actor.permissions == frozenset({"users:read"})
    assert not actor.is_admin and actor.custom_role_name == "Tampered"


def test_candidates_and_admins_ignore_custom_roles():
    tenant = make_tenant()
    with session_scope() as s:
        role = CustomRole(company_id=tenant.company.id, name="R", permissions=["jobs:read"])
        s.add(role)
        s.flush()
        role_id = role.id
    for base in (UserRole.CANDIDATE, UserRole.SYSTEM_ADMIN):
        user = make_user(base, None, custom_role_id=role_id)
        with session_scope() as s:
            assert permissions_for(user, s.get(CustomRole, role_id)) == ROLE_PERMISSIONS[base]
    assert "system:admin" not in ASSIGNABLE_PERMISSIONS


def test_list_users_never_crosses_tenants_even_with_a_company_filter():
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    with session_scope() as s:
        actor = actor_for(s, s.get(User, acme.hr.id))
        with pytest.raises(E.PermissionDeniedError) as refused:  # refused, not silently ignored (issue 12)
            list_users(s, actor, company_id=globex.company.id, per_page=100)
        rows, total = list_users(s, actor, per_page=100)
    assert refused.value.code == E.PERM_COMPANY_SCOPE
    assert total == 2 and {u.company_id for u in rows} == {acme.company.id}


def test_signup_and_link_flow_at_service_level():
    with session_scope() as s:
        user = auth_service.signup_candidate(s, name=" Casey ", email="Casey@Example.test", password="a-fine-pass")
        user_id = user.id
        token = auth_service.issue_account_link(s, user, purpose="verify")  # a newer link replaces the first
    with session_scope() as s:
        verified = auth_service.verify_email(s, token)
        assert verified.id == user_id and verified.email_verified and verified.name == "Casey"
    with pytest.raises(E.BadRequestError):
        with session_scope() as s:
            auth_service.verify_email(s, token)
    with pytest.raises(E.BadRequestError):
        with session_scope() as s:
            auth_service.verify_email(s, uuid.uuid4().hex)


def test_sign_in_upgrades_a_hash_made_with_another_cost():
    """When BCRYPT_ROUNDS changes, each user's hash is upgraded at their next sign-in."""
    from interviewer.core.config import get_settings
    from interviewer.core.security import hash_password, needs_rehash
    from interviewer.db import session_scope
    from interviewer.models import User, UserRole
    from interviewer.services.auth import login
    from tests.factories import PASSWORD, make_company, make_user

    company = make_company("Rehash")
    user = make_user(UserRole.HR, company.id, "rehash@example.test")
    rounds = get_settings().BCRYPT_ROUNDS
    with session_scope() as s:
        s.get(User, user.id).password_hash = hash_password(PASSWORD, rounds=rounds + 1)
    with session_scope() as s:
        assert needs_rehash(s.get(User, user.id).password_hash)
        login(s, email=user.email, password=PASSWORD)
    with session_scope() as s:
        stored = s.get(User, user.id).password_hash
        assert not needs_rehash(stored) and stored.split("$")[2] == f"{rounds:02d}"
    with session_scope() as s:  # and the new hash still signs in
        assert login(s, email=user.email, password=PASSWORD).access_token
    assert not needs_rehash(None) and not needs_rehash("not-a-bcrypt-hash")
