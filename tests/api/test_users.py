"""User management (spec 5.3, 6.3, 12.4): tenant scoping, pagination, search, field filtering,
who may create/read/update/deactivate whom."""

from __future__ import annotations

import math
import re
import uuid

import pytest
from sqlmodel import func, select

from interviewer.db import session_scope
from interviewer.models import AuditLog, EmailMessage, User, UserRole
from tests.factories import PASSWORD, auth, make_admin, make_tenant, make_user

USERS = "/api/v1/users"
TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) >= {"detail", "error_code", "timestamp"}, body
    assert TS_RE.match(body["timestamp"])
    if code:
        assert body["error_code"] == code, body
    return body


def user_count() -> int:
    with session_scope() as s:
        return s.exec(select(func.count()).select_from(User)).one()


def db_user(user_id) -> User:
    with session_scope() as s:
        return s.get(User, uuid.UUID(str(user_id)))


def login(api, email, password=PASSWORD):
    return api.post("/api/v1/auth/login", json={"email": email, "password": password})


# --- listing --------------------------------------------------------------------------------------

def test_list_is_scoped_to_the_company(api):
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    make_admin()
    r = api.get(USERS, headers=auth(acme.hr))
    assert r.status_code == 200, r.text
    body = r.json()
    emails = {u["email"] for u in body["users"]}
    assert emails == {"hr@acme.test", "dev@acme.test"}
    assert body["total"] == 2
    assert all(u["company_id"] == str(acme.company.id) for u in body["users"])
    assert "globex" not in r.text
    # another company's company_id is refused, not silently ignored (issue 12); one's own is fine
    r = api.get(USERS, headers=auth(acme.hr), params={"company_id": str(globex.company.id)})
    assert r.status_code == 403 and r.json()["error_code"] == "PERM_003" and "globex" not in r.text
    r = api.get(USERS, headers=auth(acme.hr), params={"company_id": str(acme.company.id)})
    assert {u["email"] for u in r.json()["users"]} == {"hr@acme.test", "dev@acme.test"}


def test_admin_sees_every_company_and_can_filter(api):
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    admin = make_admin()
    r = api.get(USERS, headers=auth(admin))
    assert r.status_code == 200
    assert {u["email"] for u in r.json()["users"]} == {"hr@acme.test", "dev@acme.test", "hr@globex.test",
                                                       "dev@globex.test", "admin@example.test"}
    r = api.get(USERS, headers=auth(admin), params={"company_id": str(globex.company.id)})
    assert {u["email"] for u in r.json()["users"]} == {"hr@globex.test", "dev@globex.test"}
    assert acme


def test_pagination_fields_and_pages_are_disjoint(api):
    acme = make_tenant("Acme")
    make_tenant("Globex")
    for i in range(23):
        make_user(UserRole.EMPLOYEE, acme.company.id, f"e{i:02d}@acme.test", name=f"Employee {i:02d}")
    total = 25
    seen: list[str] = []
    for page in (1, 2, 3):
        r = api.get(USERS, headers=auth(acme.hr), params={"page": page, "per_page": 10})
        assert r.status_code == 200
        body = r.json()
        assert body["total"] == total and body["page"] == page and body["per_page"] == 10
        assert body["pages"] == math.ceil(total / 10) == 3
        assert len(body["users"]) == (10 if page < 3 else 5)
        seen += [u["id"] for u in body["users"]]
    assert len(seen) == len(set(seen)) == total
    beyond = api.get(USERS, headers=auth(acme.hr), params={"page": 4, "per_page": 10}).json()
    assert beyond["users"] == [] and beyond["total"] == total
    # default page size is 20 (spec 12.4)
    default = api.get(USERS, headers=auth(acme.hr)).json()
    assert default["per_page"] == 20 and len(default["users"]) == 20 and default["pages"] == 2


def test_list_sorted_by_name_by_default_and_on_request(api):
    acme = make_tenant("Acme")
    make_user(UserRole.EMPLOYEE, acme.company.id, "zed@acme.test", name="Zed")
    make_user(UserRole.EMPLOYEE, acme.company.id, "amy@acme.test", name="Amy")
    names = [u["name"] for u in api.get(USERS, headers=auth(acme.hr)).json()["users"]]
    assert names == sorted(names)
    desc = [u["email"] for u in api.get(USERS, headers=auth(acme.hr),
                                        params={"sort": "email", "order": "desc"}).json()["users"]]
    assert desc == sorted(desc, reverse=True)
    assert_error(api.get(USERS, headers=auth(acme.hr), params={"sort": "password_hash"}), 422)


@pytest.mark.parametrize("params", [{"per_page": 101}, {"per_page": 0}, {"page": 0}, {"page": "x"},
                                    {"role": "KING"}, {"search": "x" * 101}])
def test_bad_list_parameters_are_422(api, params):
    acme = make_tenant()
    assert_error(api.get(USERS, headers=auth(acme.hr), params=params), 422, "VAL_001")


def test_per_page_100_is_allowed(api):
    acme = make_tenant()
    r = api.get(USERS, headers=auth(acme.hr), params={"per_page": 100})
    assert r.status_code == 200 and r.json()["per_page"] == 100


def test_search_by_name_and_email(api):
    acme = make_tenant("Acme")
    make_user(UserRole.EMPLOYEE, acme.company.id, "ada.lovelace@acme.test", name="Ada Lovelace")
    make_user(UserRole.EMPLOYEE, acme.company.id, "grace@acme.test", name="Grace Hopper")
    globex = make_tenant("Globex")
    make_user(UserRole.EMPLOYEE, globex.company.id, "ada@globex.test", name="Ada Other")
    h = auth(acme.hr)
    r = api.get(USERS, headers=h, params={"search": "ADA"})
    assert [u["email"] for u in r.json()["users"]] == ["ada.lovelace@acme.test"]
    assert r.json()["total"] == 1
    r = api.get(USERS, headers=h, params={"search": "grace@"})
    assert [u["name"] for u in r.json()["users"]] == ["Grace Hopper"]
    assert api.get(USERS, headers=h, params={"search": "nobody-matches"}).json()["total"] == 0


def test_filter_by_role_and_active(api):
    acme = make_tenant()
    make_user(UserRole.EMPLOYEE, acme.company.id, "gone@acme.test", active=False)
    h = auth(acme.hr)
    assert {u["email"] for u in api.get(USERS, headers=h, params={"role": "HR"}).json()["users"]} == {"hr@acme.test"}
    inactive = api.get(USERS, headers=h, params={"is_active": "false"}).json()["users"]
    assert [u["email"] for u in inactive] == ["gone@acme.test"]


def test_fields_filter(api):
    acme = make_tenant()
    r = api.get(USERS, headers=auth(acme.hr), params={"fields": "id, email"})
    assert r.status_code == 200
    users = r.json()["users"]
    assert len(users) == 2 and all(set(u) == {"id", "email"} for u in users)
    assert r.json()["total"] == 2


def test_each_listed_user_is_written_exactly_as_its_public_view(api):
    """The list writes the service's plain-column rows straight to JSON: field for field, the same
    bytes' meaning as ``UserPublic`` of the stored user (ids, role, times, nulls)."""
    import json

    from interviewer.models.schemas import UserPublic

    acme = make_tenant()
    h = auth(acme.hr)
    made = api.post(USERS, headers=h, json={"email": "dana@acme.test", "name": "Dana Ng", "role": "EMPLOYEE",
                                             "manager_id": str(acme.hr.id), "department": "Platform"})
    assert made.status_code == 201, made.text
    make_user(UserRole.EMPLOYEE, acme.company.id, "off@acme.test", name="Off Duty", active=False, verified=False)
    listed = api.get(USERS, headers=h, params={"per_page": 100}).json()["users"]
    with session_scope() as s:
        stored = {str(u.id): json.loads(UserPublic.model_validate(u).model_dump_json())
                  for u in s.exec(select(User).where(User.company_id == acme.company.id)).all()}
    assert len(listed) == len(stored) == 4
    assert {u["id"]: u for u in listed} == stored
    assert any(u["manager_id"] == str(acme.hr.id) and u["department"] == "Platform" for u in listed)
    picked = api.get(USERS, headers=h, params={"fields": "role,created_at", "search": "dana"}).json()["users"]
    dana = next(v for v in stored.values() if v["email"] == "dana@acme.test")
    assert picked == [{"role": "EMPLOYEE", "created_at": dana["created_at"]}]


@pytest.mark.parametrize("fields", ["id,bogus", "password_hash", "verification_token"])
def test_fields_filter_rejects_unknown_fields(api, fields):
    acme = make_tenant()
    body = assert_error(api.get(USERS, headers=auth(acme.hr), params={"fields": fields}), 422, "VAL_002")
    assert fields.split(",")[-1] in body["detail"]


def test_user_payload_never_contains_secrets(api):
    acme = make_tenant()
    r = api.get(USERS, headers=auth(acme.hr))
    for u in r.json()["users"]:
        assert not {"password_hash", "verification_token", "verification_expires_at"} & set(u)


# --- creating -------------------------------------------------------------------------------------

def test_hr_creates_employee_and_hr_in_own_company(api):
    acme = make_tenant()
    h = auth(acme.hr)
    r = api.post(USERS, headers=h, json={"email": "New.Dev@Acme.test", "name": "New Dev", "role": "EMPLOYEE",
                                         "password": "new-dev-pass-1", "department": "Engineering",
                                         "manager_id": str(acme.hr.id)})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["email"] == "new.dev@acme.test" and body["role"] == "EMPLOYEE"
    assert body["company_id"] == str(acme.company.id) and body["department"] == "Engineering"
    assert body["manager_id"] == str(acme.hr.id) and body["email_verified"] is True
    assert login(api, "new.dev@acme.test", "new-dev-pass-1").status_code == 200

    r = api.post(USERS, headers=h, json={"email": "hr2@acme.test", "name": "HR Two", "role": "HR"})
    assert r.status_code == 201 and r.json()["role"] == "HR"
    with session_scope() as s:
        logged = s.exec(select(AuditLog).where(AuditLog.action == "user.create")).all()
    assert {a.entity_id for a in logged} == {body["id"], r.json()["id"]}
    assert all(a.actor_id == acme.hr.id for a in logged)


def test_hr_cannot_plant_a_user_in_another_company(api):
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    r = api.post(USERS, headers=auth(acme.hr), json={"email": "mole@acme.test", "name": "Mole", "role": "EMPLOYEE",
                                                     "company_id": str(globex.company.id)})
    assert r.status_code == 403 and r.json()["error_code"] == "PERM_003"  # refused, not silently ignored
    with session_scope() as s:
        assert s.exec(select(User).where(User.email == "mole@acme.test")).first() is None


@pytest.mark.parametrize("role", ["SYSTEM_ADMIN", "CANDIDATE"])
def test_hr_cannot_create_admins_or_candidates(api, role):
    acme = make_tenant()
    before = user_count()
    r = api.post(USERS, headers=auth(acme.hr), json={"email": "x@acme.test", "name": "X", "role": role,
                                                     "password": "a-fine-passphrase"})
    assert_error(r, 403, "PERM_002")
    assert user_count() == before


def test_duplicate_email_conflicts(api):
    acme = make_tenant("Acme")
    globex = make_tenant("Globex")
    before = user_count()
    r = api.post(USERS, headers=auth(acme.hr), json={"email": "DEV@globex.test", "name": "Dup", "role": "EMPLOYEE"})
    assert_error(r, 409, "USER_001")
    assert user_count() == before
    with session_scope() as s:
        assert s.exec(select(func.count()).select_from(EmailMessage)).one() == 0
    assert globex


def test_manager_and_custom_role_must_belong_to_the_company(api):
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    h = auth(acme.hr)
    r = api.post(USERS, headers=h, json={"email": "m@acme.test", "name": "M", "role": "EMPLOYEE",
                                         "manager_id": str(globex.hr.id)})
    assert_error(r, 404)
    r = api.post(USERS, headers=h, json={"email": "m@acme.test", "name": "M", "role": "EMPLOYEE",
                                         "manager_id": str(uuid.uuid4())})
    assert_error(r, 404)
    assert user_count() == 4


def test_admin_creates_users_in_any_company_and_other_admins(api):
    acme = make_tenant()
    admin = make_admin()
    r = api.post(USERS, headers=auth(admin), json={"email": "hr9@acme.test", "name": "HR9", "role": "HR",
                                                   "company_id": str(acme.company.id)})
    assert r.status_code == 201 and r.json()["company_id"] == str(acme.company.id)
    r = api.post(USERS, headers=auth(admin), json={"email": "root2@example.test", "name": "Root 2",
                                                   "role": "SYSTEM_ADMIN", "company_id": str(acme.company.id)})
    assert r.status_code == 201 and r.json()["company_id"] is None
    # HR and EMPLOYEE need an existing company
    r = api.post(USERS, headers=auth(admin), json={"email": "lost@example.test", "name": "Lost", "role": "HR"})
    assert_error(r, 422)
    r = api.post(USERS, headers=auth(admin), json={"email": "lost@example.test", "name": "Lost", "role": "HR",
                                                   "company_id": str(uuid.uuid4())})
    assert_error(r, 422)


# --- reading and updating across tenants ------------------------------------------------------------

def test_other_company_user_is_404_without_data(api):
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    h = auth(acme.hr)
    target = globex.employee.id
    for r in (api.get(f"{USERS}/{target}", headers=h),
              api.put(f"{USERS}/{target}", headers=h, json={"name": "Pwned"}),
              api.put(f"{USERS}/{target}", headers=h, json={"is_active": False})):
        body = assert_error(r, 404, "USER_404")
        assert "globex" not in r.text.lower() and str(target) not in r.text
        assert set(body) == {"detail", "error_code", "timestamp"}
    # indistinguishable from a user that does not exist
    missing = assert_error(api.get(f"{USERS}/{uuid.uuid4()}", headers=h), 404, "USER_404")
    assert missing["detail"] == body["detail"]
    user = db_user(target)
    assert user.name == "Globex Dev" and user.is_active is True


def test_hr_reads_and_updates_own_company_user(api):
    acme = make_tenant()
    h = auth(acme.hr)
    r = api.get(f"{USERS}/{acme.employee.id}", headers=h)
    assert r.status_code == 200 and r.json()["email"] == "dev@acme.test"
    r = api.put(f"{USERS}/{acme.employee.id}", headers=h, json={"name": "Renamed", "department": "QA"})
    assert r.status_code == 200 and r.json()["name"] == "Renamed" and r.json()["department"] == "QA"
    assert r.json()["updated_at"] is not None
    assert db_user(acme.employee.id).name == "Renamed"


def test_update_rejects_duplicate_email_and_unknown_fields(api):
    acme = make_tenant()
    h = auth(acme.hr)
    assert_error(api.put(f"{USERS}/{acme.employee.id}", headers=h, json={"email": "HR@acme.test"}), 409, "USER_001")
    assert_error(api.put(f"{USERS}/{acme.employee.id}", headers=h, json={"company_id": str(uuid.uuid4())}), 422)
    assert_error(api.put(f"{USERS}/{acme.employee.id}", headers=h, json={"password_hash": "x"}), 422)
    assert db_user(acme.employee.id).email == "dev@acme.test"


def test_hr_cannot_promote_to_system_admin_or_touch_admins(api):
    acme = make_tenant()
    admin = make_admin()
    h = auth(acme.hr)
    assert_error(api.put(f"{USERS}/{acme.employee.id}", headers=h, json={"role": "SYSTEM_ADMIN"}), 403, "PERM_002")
    assert db_user(acme.employee.id).role == UserRole.EMPLOYEE
    assert_error(api.put(f"{USERS}/{admin.id}", headers=h, json={"password": "taken-over-1"}), 404)
    assert login(api, admin.email).status_code == 200


def test_hr_cannot_change_own_role_or_deactivate_self(api):
    acme = make_tenant()
    h = auth(acme.hr)
    assert_error(api.put(f"{USERS}/{acme.hr.id}", headers=h, json={"role": "EMPLOYEE"}), 403, "PERM_002")
    assert_error(api.put(f"{USERS}/{acme.hr.id}", headers=h, json={"is_active": False}), 422)
    user = db_user(acme.hr.id)
    assert user.role == UserRole.HR and user.is_active


def test_hr_deactivating_via_put_ends_the_users_sessions(api):
    acme = make_tenant()
    token = login(api, "dev@acme.test").json()["access_token"]
    r = api.put(f"{USERS}/{acme.employee.id}", headers=auth(acme.hr), json={"is_active": False})
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert_error(api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}), 401, "AUTH_005")


def test_everyone_may_rename_themself_and_change_own_password(api):
    acme = make_tenant()
    h = auth(acme.employee)
    r = api.put(f"{USERS}/{acme.employee.id}", headers=h, json={"name": "Dev Renamed", "password": "my-new-pass-9",
                                                               "current_password": PASSWORD})
    assert r.status_code == 200 and r.json()["name"] == "Dev Renamed"
    assert login(api, "dev@acme.test", "my-new-pass-9").status_code == 200
    assert login(api, "dev@acme.test").status_code == 401


# --- employee and candidate ----------------------------------------------------------------------

def test_employee_can_read_but_not_write(api):
    acme = make_tenant()
    other = make_user(UserRole.EMPLOYEE, acme.company.id, "other@acme.test")
    h = auth(acme.employee)
    r = api.get(USERS, headers=h)
    assert r.status_code == 200 and r.json()["total"] == 3
    assert api.get(f"{USERS}/{acme.hr.id}", headers=h).status_code == 200
    before = user_count()
    assert_error(api.post(USERS, headers=h, json={"email": "n@acme.test", "name": "N", "role": "EMPLOYEE"}),
                 403, "PERM_001")
    assert_error(api.put(f"{USERS}/{other.id}", headers=h, json={"name": "Hacked"}), 403, "PERM_001")
    assert_error(api.put(f"{USERS}/{acme.employee.id}", headers=h, json={"role": "HR"}), 403)
    assert_error(api.put(f"{USERS}/{acme.employee.id}", headers=h, json={"department": "Mgmt"}), 403)
    assert_error(api.delete(f"{USERS}/{other.id}", headers=h), 403)
    assert user_count() == before
    assert db_user(other.id).name != "Hacked" and db_user(acme.employee.id).role == UserRole.EMPLOYEE


def test_candidate_is_refused(api):
    acme = make_tenant()
    cand = make_user(UserRole.CANDIDATE, None, "cand@example.test")
    h = auth(cand)
    assert_error(api.get(USERS, headers=h), 403, "PERM_001")
    assert_error(api.get(f"{USERS}/{acme.employee.id}", headers=h), 403)
    assert_error(api.post(USERS, headers=h, json={"email": "n@x.test", "name": "N", "role": "EMPLOYEE"}), 403)
    assert_error(api.put(f"{USERS}/{acme.employee.id}", headers=h, json={"name": "X"}), 403)
    # but sees their own record
    assert api.get(f"{USERS}/{cand.id}", headers=h).json()["email"] == "cand@example.test"


def test_unauthenticated_requests_are_401(api):
    acme = make_tenant()
    assert_error(api.get(USERS), 401, "AUTH_009")
    assert_error(api.post(USERS, json={"email": "n@x.test", "name": "N", "role": "EMPLOYEE"}), 401)
    assert_error(api.get(f"{USERS}/{acme.hr.id}"), 401)


# --- deactivation (DELETE) -----------------------------------------------------------------------

def test_delete_is_admin_only(api):
    acme = make_tenant()
    assert_error(api.delete(f"{USERS}/{acme.employee.id}", headers=auth(acme.hr)), 403, "PERM_001")
    assert db_user(acme.employee.id).is_active is True


def test_admin_delete_deactivates_but_keeps_the_row(api):
    acme = make_tenant()
    admin = make_admin()
    r = api.delete(f"{USERS}/{acme.employee.id}", headers=auth(admin))
    assert r.status_code == 204, r.text  # spec 5.10: successful DELETE
    assert r.content == b""
    user = db_user(acme.employee.id)
    assert user is not None and user.is_active is False
    assert login(api, "dev@acme.test").status_code == 401
    listed = api.get(USERS, headers=auth(acme.hr), params={"is_active": "false"}).json()["users"]
    assert [u["id"] for u in listed] == [str(acme.employee.id)]


def test_admin_cannot_deactivate_self_and_404_for_unknown(api):
    admin = make_admin()
    h = auth(admin)
    assert_error(api.delete(f"{USERS}/{admin.id}", headers=h), 422)
    assert db_user(admin.id).is_active is True
    assert_error(api.delete(f"{USERS}/{uuid.uuid4()}", headers=h), 404, "USER_404")


def test_search_treats_like_wildcards_literally(api):
    t = make_tenant()
    make_user(UserRole.EMPLOYEE, t.company.id, "pct@acme.test", name="Fifty % Done")
    headers = auth(t.hr)
    everyone = api.get("/api/v1/users", headers=headers).json()["total"]
    assert everyone >= 3
    found = api.get("/api/v1/users", headers=headers, params={"search": "%"}).json()
    assert [u["email"] for u in found["users"]] == ["pct@acme.test"]
    assert api.get("/api/v1/users", headers=headers, params={"search": "_"}).json()["total"] == 0
