"""Companies and the public registration flow with system-admin approval (spec 5.8)."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlmodel import func, select

from interviewer.db import session_scope
from interviewer.models import Company, CompanyRegistrationRequest, EmailMessage, RegistrationStatus, User, UserRole
from tests.factories import auth, make_admin, make_company, make_tenant

REGISTER = "/api/v1/register/company"
REQUESTS = "/api/v1/admin/company-requests"
COMPANIES = "/api/v1/companies"


def registration(email="founder@newco.test", **kw):
    return {"company_name": "NewCo", "domain": "newco.test", "contact_name": "Fran Founder",
            "contact_email": email, "message": "Please let us in", **kw}


def count(model) -> int:
    with session_scope() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def mails(to: str, kind: str) -> list[EmailMessage]:
    with session_scope() as s:
        return list(s.exec(select(EmailMessage).where(EmailMessage.to_address == to, EmailMessage.kind == kind)))


def register(api, **kw):
    r = api.post(REGISTER, json=registration(**kw))
    assert r.status_code == 201, r.text
    return r.json()


# --- public registration -------------------------------------------------------------------------

def test_register_company_is_public_and_pending(api):
    body = register(api, email="Founder@NewCo.TEST")
    assert body["status"] == "pending" and body["company_id"] is None
    assert body["contact_email"] == "founder@newco.test" and body["company_name"] == "NewCo"
    assert body["reviewed_at"] is None and body["decision_reason"] is None
    received = mails("founder@newco.test", "registration_received")
    assert len(received) == 1 and "NewCo" in received[0].body_text
    assert count(Company) == 0 and count(User) == 0


def _same_answer(first: dict, second: dict) -> None:
    volatile = {"id", "created_at", "contact_email", "company_name"}
    assert set(first) == set(second)
    assert {k: v for k, v in first.items() if k not in volatile} == {k: v for k, v in second.items() if k not in volatile}


def test_duplicate_pending_registration_answers_the_same_and_stores_nothing(api):
    first = register(api)
    again = register(api, email="FOUNDER@newco.test", company_name="Other")
    _same_answer(first, again)
    assert count(CompanyRegistrationRequest) == 1
    notice = mails("founder@newco.test", "registration_duplicate")
    assert len(notice) == 1 and "already waiting" in notice[0].body_text


def test_registration_with_an_existing_user_email_answers_the_same_and_tells_the_owner(api):
    """Enumeration-safe (issue 12): a stranger cannot learn that hr@acme.test has an account."""
    make_tenant()
    fresh = register(api, email="someone@else.test")
    taken = register(api, email="hr@acme.test")
    _same_answer(fresh, taken)
    assert count(CompanyRegistrationRequest) == 1
    notice = mails("hr@acme.test", "account_exists")
    assert len(notice) == 1 and "already has an account" in notice[0].body_text
    assert mails("hr@acme.test", "registration_received") == []


@pytest.mark.parametrize("patch", [{"contact_email": "nope"}, {"company_name": ""}, {"company_name": "x" * 256},
                                   {"message": "m" * 2001}, {"status": "approved"}, {"company_id": str(uuid.uuid4())}])
def test_registration_validation(api, patch):
    r = api.post(REGISTER, json={**registration(), **patch})
    assert r.status_code == 422 and r.json()["error_code"] == "VAL_001"
    assert count(CompanyRegistrationRequest) == 0 and count(EmailMessage) == 0


# --- admin review -----------------------------------------------------------------------------------

def test_admin_lists_pending_requests(api):
    admin = auth(make_admin())
    first = register(api, email="a@one.test", company_name="One")
    second = register(api, email="b@two.test", company_name="Two")
    r = api.get(REQUESTS, headers=admin)
    assert r.status_code == 200
    body = r.json()
    assert [x["id"] for x in body["requests"]] == [first["id"], second["id"]]
    assert body["total"] == 2 and body["page"] == 1 and body["pages"] == 1
    api.post(f"{REQUESTS}/{first['id']}/reject", headers=admin, json={"reason": "spam"})
    assert [x["id"] for x in api.get(REQUESTS, headers=admin).json()["requests"]] == [second["id"]]
    rejected = api.get(REQUESTS, headers=admin, params={"status": "rejected"}).json()["requests"]
    assert [x["id"] for x in rejected] == [first["id"]]
    only = api.get(REQUESTS, headers=admin, params={"fields": "id,status"}).json()["requests"]
    assert only == [{"id": second["id"], "status": "pending"}]


def test_approve_creates_company_and_hr_who_sets_a_password(api):
    admin_user = make_admin()
    admin = auth(admin_user)
    req = register(api)
    r = api.post(f"{REQUESTS}/{req['id']}/approve", headers=admin)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "approved" and body["reviewed_at"] is not None
    company_id = uuid.UUID(body["company_id"])

    with session_scope() as s:
        company = s.get(Company, company_id)
        assert company.name == "NewCo" and company.domain == "newco.test" and company.is_active
        hr = s.exec(select(User).where(User.email == "founder@newco.test")).one()
        assert hr.role == UserRole.HR and hr.company_id == company_id and hr.name == "Fran Founder"
        assert hr.email_verified is False
        assert not hr.password_hash.startswith("$2")  # unusable: no password can match
        stored_req = s.get(CompanyRegistrationRequest, uuid.UUID(req["id"]))
        assert stored_req.reviewed_by == admin_user.id

    # nothing logs in yet
    r = api.post("/api/v1/auth/login", json={"email": "founder@newco.test", "password": "whatever-you-like"})
    assert r.status_code == 401

    links = mails("founder@newco.test", "account_set_password")
    assert len(links) == 1 and links[0].company_id == company_id and links[0].status.value == "pending"
    token = re.search(r"/set-password\?token=([A-Za-z0-9_\-]+)", links[0].body_text).group(1)
    r = api.post("/api/v1/auth/set-password", json={"token": token, "password": "founder-pass-2024"})
    assert r.status_code == 200 and r.json()["email_verified"] is True

    r = api.post("/api/v1/auth/login", json={"email": "founder@newco.test", "password": "founder-pass-2024"})
    assert r.status_code == 200
    assert r.json()["user"]["role"] == "HR" and r.json()["user"]["company_id"] == str(company_id)
    # and the new HR manages their own (empty) company
    users = api.get("/api/v1/users", headers={"Authorization": f"Bearer {r.json()['access_token']}"}).json()
    assert [u["email"] for u in users["users"]] == ["founder@newco.test"]


def test_approving_twice_or_rejecting_after_approval_conflicts(api):
    admin = auth(make_admin())
    req = register(api)
    assert api.post(f"{REQUESTS}/{req['id']}/approve", headers=admin).status_code == 200
    r = api.post(f"{REQUESTS}/{req['id']}/approve", headers=admin)
    assert r.status_code == 409 and r.json()["error_code"] == "REG_409"
    assert api.post(f"{REQUESTS}/{req['id']}/reject", headers=admin, json={"reason": "x"}).status_code == 409
    assert count(Company) == 1 and count(User) == 2
    assert len(mails("founder@newco.test", "account_set_password")) == 1


def test_reject_with_reason(api):
    admin = auth(make_admin())
    req = register(api)
    r = api.post(f"{REQUESTS}/{req['id']}/reject", headers=admin, json={"reason": "  Not a real company  "})
    assert r.status_code == 200
    assert r.json()["status"] == "rejected" and r.json()["decision_reason"] == "Not a real company"
    assert r.json()["company_id"] is None
    assert count(Company) == 0 and count(User) == 1  # only the admin
    notice = mails("founder@newco.test", "registration_rejected")
    assert len(notice) == 1 and "Not a real company" in notice[0].body_text
    assert api.post(f"{REQUESTS}/{req['id']}/approve", headers=admin).status_code == 409
    # once rejected, the same contact may apply again
    assert api.post(REGISTER, json=registration()).status_code == 201


def test_reject_without_body(api):
    admin = auth(make_admin())
    req = register(api)
    r = api.post(f"{REQUESTS}/{req['id']}/reject", headers=admin)
    assert r.status_code == 200 and r.json()["status"] == "rejected" and r.json()["decision_reason"] is None


def test_unknown_request_is_404(api):
    admin = auth(make_admin())
    r = api.post(f"{REQUESTS}/{uuid.uuid4()}/approve", headers=admin)
    assert r.status_code == 404 and r.json()["error_code"] == "REG_404"


def test_non_admins_cannot_review(api):
    acme = make_tenant()
    req = register(api)
    for headers in (auth(acme.hr), auth(acme.employee)):
        assert api.get(REQUESTS, headers=headers).status_code == 403
        r = api.post(f"{REQUESTS}/{req['id']}/approve", headers=headers)
        assert r.status_code == 403 and r.json()["error_code"] == "PERM_001"
        assert api.post(f"{REQUESTS}/{req['id']}/reject", headers=headers).status_code == 403
    assert api.post(f"{REQUESTS}/{req['id']}/approve").status_code == 401
    assert api.get(REQUESTS).status_code == 401
    with session_scope() as s:
        assert s.get(CompanyRegistrationRequest, uuid.UUID(req["id"])).status == RegistrationStatus.PENDING
    assert count(Company) == 1  # only Acme


# --- companies ------------------------------------------------------------------------------------

def test_admin_lists_companies_with_paging_search_and_fields(api):
    for name in ("Acme", "Globex", "Initech"):
        make_company(name)
    admin = auth(make_admin())
    r = api.get(COMPANIES, headers=admin, params={"per_page": 2})
    assert r.status_code == 200
    body = r.json()
    assert [c["name"] for c in body["companies"]] == ["Acme", "Globex"]
    assert body["total"] == 3 and body["pages"] == 2 and body["per_page"] == 2
    r = api.get(COMPANIES, headers=admin, params={"search": "GLOB"})
    assert [c["name"] for c in r.json()["companies"]] == ["Globex"]
    r = api.get(COMPANIES, headers=admin, params={"fields": "name"})
    assert r.json()["companies"] == [{"name": "Acme"}, {"name": "Globex"}, {"name": "Initech"}]
    assert api.get(COMPANIES, headers=admin, params={"fields": "name,secret"}).status_code == 422
    assert api.get(COMPANIES, headers=admin, params={"per_page": 101}).status_code == 422


def test_companies_are_admin_only(api):
    acme = make_tenant()
    for headers in (auth(acme.hr), auth(acme.employee)):
        assert api.get(COMPANIES, headers=headers).status_code == 403
        r = api.get(f"{COMPANIES}/{acme.company.id}", headers=headers)  # even their own
        assert r.status_code == 403 and r.json()["error_code"] == "PERM_001"
        assert api.put(f"{COMPANIES}/{acme.company.id}", headers=headers, json={"name": "Mine"}).status_code == 403
    with session_scope() as s:
        assert s.get(Company, acme.company.id).name == "Acme"


def test_admin_gets_and_updates_a_company(api):
    acme = make_tenant()
    admin = auth(make_admin())
    r = api.get(f"{COMPANIES}/{acme.company.id}", headers=admin)
    assert r.status_code == 200 and r.json()["name"] == "Acme" and r.json()["settings"] == {}
    r = api.put(f"{COMPANIES}/{acme.company.id}", headers=admin,
                json={"name": "Acme Corp", "settings": {"ai_model": "gemini-2.5-flash"}})
    assert r.status_code == 200 and r.json()["name"] == "Acme Corp"
    with session_scope() as s:
        company = s.get(Company, acme.company.id)
        assert company.name == "Acme Corp" and company.settings == {"ai_model": "gemini-2.5-flash"}
        assert company.updated_at is not None
    assert api.get(f"{COMPANIES}/{uuid.uuid4()}", headers=admin).status_code == 404
    assert api.put(f"{COMPANIES}/{acme.company.id}", headers=admin, json={"plan": "gold"}).status_code == 422
