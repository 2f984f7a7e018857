"""Custom roles: company-defined permission sets that replace a user's default permissions."""

from __future__ import annotations

import uuid

from sqlmodel import func, select

from interviewer.db import session_scope
from interviewer.models import CustomRole, User, UserRole
from interviewer.services.authz import PERMISSIONS, ROLE_PERMISSIONS
from tests.factories import PASSWORD, auth, make_admin, make_tenant, make_user

ROLES = "/api/v1/roles"
USERS = "/api/v1/users"
EMPLOYEE_BASE = sorted(ROLE_PERMISSIONS[UserRole.EMPLOYEE])


def create_role(api, headers, name, permissions, **params):
    return api.post(ROLES, headers=headers, json={"name": name, "permissions": permissions}, params=params)


def assign(api, headers, user_id, role_id):
    return api.put(f"{USERS}/{user_id}", headers=headers,
                   json={"custom_role_id": str(role_id) if role_id else None})


def role_count() -> int:
    with session_scope() as s:
        return s.exec(select(func.count()).select_from(CustomRole)).one()


def new_user_body(email, role="EMPLOYEE"):
    return {"email": email, "name": "Someone", "role": role, "password": "a-fine-passphrase"}


def test_permission_catalogue(api):
    acme = make_tenant()
    r = api.get(f"{ROLES}/permissions", headers=auth(acme.employee))
    assert r.status_code == 200 and r.json() == PERMISSIONS
    assert "system:admin" not in r.json()


def test_hr_creates_lists_and_updates_a_role(api):
    acme = make_tenant()
    h = auth(acme.hr)
    r = create_role(api, h, "Recruiter", ["users:write", "users:read", "users:read"])
    assert r.status_code == 201, r.text
    role = r.json()
    assert role["company_id"] == str(acme.company.id)
    assert role["permissions"] == ["users:read", "users:write"]  # de-duplicated, sorted
    listed = api.get(ROLES, headers=h).json()
    assert [x["name"] for x in listed] == ["Recruiter"]
    r = api.put(f"{ROLES}/{role['id']}", headers=h, json={"permissions": ["jobs:read"], "description": "d"})
    assert r.status_code == 200 and r.json()["permissions"] == ["jobs:read"] and r.json()["description"] == "d"


def test_unknown_permission_is_422_and_nothing_is_written(api):
    acme = make_tenant()
    r = create_role(api, auth(acme.hr), "Bad", ["users:read", "system:admin"])
    assert r.status_code == 422 and r.json()["error_code"] == "ROLE_422"
    assert "system:admin" in r.json()["detail"]
    r = create_role(api, auth(acme.hr), "Bad", ["launch:missiles"])
    assert r.status_code == 422
    assert role_count() == 0


def test_duplicate_role_name_conflicts_within_a_company_only(api):
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    assert create_role(api, auth(acme.hr), "Lead", ["users:read"]).status_code == 201
    r = create_role(api, auth(acme.hr), "Lead", ["jobs:read"])
    assert r.status_code == 409 and r.json()["error_code"] == "ROLE_409"
    assert create_role(api, auth(globex.hr), "Lead", ["jobs:read"]).status_code == 201


def test_employee_with_users_write_role_can_create_users(api):
    acme = make_tenant()
    hr = auth(acme.hr)
    emp = auth(acme.employee)  # the token stays valid: permissions are resolved on every request
    assert api.post(USERS, headers=emp, json=new_user_body("a@acme.test")).status_code == 403

    role = create_role(api, hr, "Team admin", EMPLOYEE_BASE + ["users:write"]).json()
    r = assign(api, hr, acme.employee.id, role["id"])
    assert r.status_code == 200 and r.json()["custom_role_id"] == role["id"]

    me = api.get("/api/v1/auth/me", headers=emp).json()
    assert me["custom_role_name"] == "Team admin" and "users:write" in me["permissions"]
    r = api.post(USERS, headers=emp, json=new_user_body("a@acme.test"))
    assert r.status_code == 201, r.text
    assert r.json()["company_id"] == str(acme.company.id)


def test_users_write_does_not_let_an_employee_escalate(api):
    """An employee given users:write may manage accounts up to their own permissions, not beyond:
    no HR accounts, no promotions to HR, no password resets of HR users."""
    acme = make_tenant()
    hr = auth(acme.hr)
    role = create_role(api, hr, "Team admin", EMPLOYEE_BASE + ["users:write"]).json()
    assert assign(api, hr, acme.employee.id, role["id"]).status_code == 200
    emp = auth(acme.employee)
    colleague = make_user(UserRole.EMPLOYEE, acme.company.id, "colleague@acme.test")
    before = len(api.get(USERS, headers=hr).json()["users"])

    r = api.post(USERS, headers=emp, json=new_user_body("boss@acme.test", role="HR"))
    assert r.status_code == 403 and r.json()["error_code"] == "PERM_002"
    r = api.put(f"{USERS}/{colleague.id}", headers=emp, json={"role": "HR"})
    assert r.status_code == 403
    r = api.put(f"{USERS}/{acme.hr.id}", headers=emp, json={"password": "i-own-you-now-1"})
    assert r.status_code == 403
    r = api.put(f"{USERS}/{acme.employee.id}", headers=emp, json={"custom_role_id": None, "role": "HR"})
    assert r.status_code == 403

    assert len(api.get(USERS, headers=hr).json()["users"]) == before
    with session_scope() as s:
        assert s.get(User, colleague.id).role == UserRole.EMPLOYEE
    assert api.post("/api/v1/auth/login", json={"email": "hr@acme.test", "password": PASSWORD}).status_code == 200
    # within their own permissions it works
    assert api.put(f"{USERS}/{colleague.id}", headers=emp, json={"department": "Ops"}).status_code == 200


def test_hr_with_role_lacking_users_write_is_refused(api):
    acme = make_tenant()
    hr2 = make_user(UserRole.HR, acme.company.id, "hr2@acme.test")
    role = create_role(api, auth(acme.hr), "Read-only HR", ["users:read", "candidates:read"]).json()
    assert assign(api, auth(acme.hr), hr2.id, role["id"]).status_code == 200
    h2 = auth(hr2)
    r = api.post(USERS, headers=h2, json=new_user_body("x@acme.test"))
    assert r.status_code == 403 and r.json()["error_code"] == "PERM_001"
    assert api.get(USERS, headers=h2).status_code == 200  # still holds users:read
    assert "users:write" not in api.get("/api/v1/auth/me", headers=h2).json()["permissions"]


def test_nobody_grants_a_permission_they_do_not_hold(api):
    acme = make_tenant()
    manager = make_user(UserRole.HR, acme.company.id, "rolemgr@acme.test")
    limited = create_role(api, auth(acme.hr), "Role manager", ["roles:manage", "users:read"]).json()
    assert assign(api, auth(acme.hr), manager.id, limited["id"]).status_code == 200
    h = auth(manager)
    r = create_role(api, h, "Sneaky", ["users:read", "users:write"])
    assert r.status_code == 403 and r.json()["error_code"] == "PERM_002"
    assert "users:write" in r.json()["detail"]
    # nor by editing an existing role
    r = api.put(f"{ROLES}/{limited['id']}", headers=h, json={"permissions": ["roles:manage", "users:write"]})
    assert r.status_code == 403
    with session_scope() as s:
        assert s.get(CustomRole, uuid.UUID(limited["id"])).permissions == ["roles:manage", "users:read"]
    assert create_role(api, h, "Viewer", ["users:read"]).status_code == 201


def test_employee_cannot_manage_roles(api):
    acme = make_tenant()
    r = create_role(api, auth(acme.employee), "Mine", ["users:read"])
    assert r.status_code == 403
    assert role_count() == 0


def test_roles_of_another_company_are_404(api):
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    theirs = create_role(api, auth(globex.hr), "Globex role", ["users:read"]).json()
    h = auth(acme.hr)
    assert [r["name"] for r in api.get(ROLES, headers=h).json()] == []
    # another company's company_id from HR is refused (not silently ignored)
    r = api.get(ROLES, headers=h, params={"company_id": theirs["company_id"]})
    assert r.status_code == 403 and r.json()["error_code"] == "PERM_003" and "Globex" not in r.text
    r = api.put(f"{ROLES}/{theirs['id']}", headers=h, json={"name": "Owned"})
    assert r.status_code == 404 and r.json()["error_code"] == "ROLE_404" and "Globex" not in r.text
    assert api.delete(f"{ROLES}/{theirs['id']}", headers=h).status_code == 404
    r = assign(api, h, acme.employee.id, theirs["id"])
    assert r.status_code == 404
    with session_scope() as s:
        assert s.get(CustomRole, uuid.UUID(theirs["id"])).name == "Globex role"
        assert s.get(User, acme.employee.id).custom_role_id is None


def test_deleting_a_role_clears_assignments(api):
    acme = make_tenant()
    hr = auth(acme.hr)
    role = create_role(api, hr, "Team admin", EMPLOYEE_BASE + ["users:write"]).json()
    assign(api, hr, acme.employee.id, role["id"])
    emp = auth(acme.employee)
    assert api.post(USERS, headers=emp, json=new_user_body("a@acme.test")).status_code == 201

    r = api.delete(f"{ROLES}/{role['id']}", headers=hr)
    assert r.status_code == 204 and r.content == b""
    with session_scope() as s:
        assert s.get(User, acme.employee.id).custom_role_id is None
        assert s.get(CustomRole, uuid.UUID(role["id"])) is None
    # back to the base EMPLOYEE permissions
    assert api.post(USERS, headers=emp, json=new_user_body("b@acme.test")).status_code == 403
    assert api.get("/api/v1/auth/me", headers=emp).json()["custom_role_name"] is None


def test_role_change_takes_effect_immediately(api):
    acme = make_tenant()
    hr = auth(acme.hr)
    role = create_role(api, hr, "Team admin", EMPLOYEE_BASE + ["users:write"]).json()
    assign(api, hr, acme.employee.id, role["id"])
    emp = auth(acme.employee)
    assert api.post(USERS, headers=emp, json=new_user_body("a@acme.test")).status_code == 201
    api.put(f"{ROLES}/{role['id']}", headers=hr, json={"permissions": EMPLOYEE_BASE})
    assert api.post(USERS, headers=emp, json=new_user_body("b@acme.test")).status_code == 403


def test_custom_role_replaces_base_permissions(api):
    """A role without users:read takes even reading the user list away from an employee."""
    acme = make_tenant()
    role = create_role(api, auth(acme.hr), "Jobs only", ["jobs:read"]).json()
    assign(api, auth(acme.hr), acme.employee.id, role["id"])
    emp = auth(acme.employee)
    assert api.get(USERS, headers=emp).status_code == 403
    assert api.get(f"{USERS}/{acme.employee.id}", headers=emp).status_code == 200  # self is always readable
    assert api.get("/api/v1/auth/me", headers=emp).json()["permissions"] == ["jobs:read"]


def test_admin_manages_roles_of_any_company(api):
    acme = make_tenant()
    admin = auth(make_admin())
    r = create_role(api, admin, "Admin made", ["users:read"], company_id=str(acme.company.id))
    assert r.status_code == 201 and r.json()["company_id"] == str(acme.company.id)
    names = [x["name"] for x in api.get(ROLES, headers=auth(acme.hr)).json()]
    assert names == ["Admin made"]
    # without a company the admin has none of their own
    assert create_role(api, admin, "Nowhere", ["users:read"]).status_code == 422
