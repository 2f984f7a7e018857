"""Candidates REST API: CRUD, list/search/sort/fields, roles (6.3) and tenant isolation."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from interviewer.db import session_scope
from interviewer.models import AuditLog, Candidate, CandidateStatusHistory, CustomRole, JobTemplate, UserRole
from tests.factories import auth, make_admin, make_candidate, make_tenant, make_user

URL = "/api/v1/candidates"


@pytest.fixture
def acme():
    return make_tenant("Acme")


@pytest.fixture
def globex():
    return make_tenant("Globex")


def make_job(company_id, title="Backend Engineer") -> JobTemplate:
    with session_scope() as s:
        job = JobTemplate(company_id=company_id, title=title)
        s.add(job)
        s.flush()
        return job


def test_create_get_update_delete_roundtrip(api, acme):
    h = auth(acme.hr)
    job = make_job(acme.company.id)
    r = api.post(URL, headers=h, json={"email": "Ada@Example.TEST", "name": "Ada Lovelace", "phone": "+44 1",
                                       "source": "referral", "assigned_to": str(acme.employee.id),
                                       "job_template_id": str(job.id)})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["email"] == "ada@example.test" and body["status"] == "new" and body["has_resume"] is False
    assert "resume_url" not in body
    cid = body["id"]
    got = api.get(f"{URL}/{cid}", headers=h)
    assert got.status_code == 200 and got.json()["source"] == "referral"
    hist = api.get(f"{URL}/{cid}/history", headers=h).json()["history"]
    assert [(e["from_status"], e["to_status"]) for e in hist] == [(None, "new")]
    assert hist[0]["changed_by"] == str(acme.hr.id)
    upd = api.put(f"{URL}/{cid}", headers=h, json={"name": "Ada King", "phone": None})
    assert upd.status_code == 200 and upd.json()["name"] == "Ada King" and upd.json()["phone"] is None
    assert api.delete(f"{URL}/{cid}", headers=h).status_code == 204
    assert api.get(f"{URL}/{cid}", headers=h).status_code == 404
    with session_scope() as s:
        actions = set(s.exec(select(AuditLog.action)))
    assert {"candidate.create", "candidate.update", "candidate.delete"} <= actions


def test_duplicate_email_is_409_on_create_and_update(api, acme, globex):
    h = auth(acme.hr)
    make_candidate(acme.company.id, "taken@example.test")
    other = make_candidate(acme.company.id, "free@example.test")
    r = api.post(URL, headers=h, json={"email": "TAKEN@example.test", "name": "X"})
    assert r.status_code == 409 and r.json()["error_code"] == "CAND_409"
    r = api.put(f"{URL}/{other.id}", headers=h, json={"email": "taken@example.test"})
    assert r.status_code == 409 and r.json()["error_code"] == "CAND_409"
    # the same email in another company is fine
    assert api.post(URL, headers=auth(globex.hr), json={"email": "taken@example.test", "name": "X"}).status_code == 201


def test_validation_errors(api, acme, globex):
    h = auth(acme.hr)
    assert api.post(URL, headers=h, json={"email": "not-an-email", "name": "X"}).status_code == 422
    assert api.post(URL, headers=h, json={"email": "a@example.test", "name": ""}).status_code == 422
    assert api.post(URL, headers=h, json={"email": "a@example.test", "name": "x" * 256}).status_code == 422
    assert api.post(URL, headers=h, json={"email": "a@example.test", "name": "X", "bogus": 1}).status_code == 422
    # assignee must be staff of the same company; job must be the same company's
    cand_user = make_user(UserRole.CANDIDATE, None)
    for assignee in (globex.employee.id, cand_user.id, uuid.uuid4()):
        r = api.post(URL, headers=h, json={"email": "a@example.test", "name": "X", "assigned_to": str(assignee)})
        assert r.status_code == 422 and r.json()["error_code"] == "CAND_422"
    r = api.post(URL, headers=h, json={"email": "a@example.test", "name": "X",
                                       "job_template_id": str(make_job(globex.company.id).id)})
    assert r.status_code == 422 and r.json()["error_code"] == "CAND_423"
    cid = make_candidate(acme.company.id).id
    assert api.put(f"{URL}/{cid}", headers=h, json={"status": "hired"}).status_code == 422  # only via /status
    assert api.put(f"{URL}/{cid}", headers=h, json={"name": None}).status_code == 422


def test_unauthenticated_and_candidate_role(api, acme):
    cid = make_candidate(acme.company.id).id
    assert api.get(URL).status_code == 401
    assert api.get(f"{URL}/{cid}").status_code == 401
    assert api.post(URL, json={"email": "a@example.test", "name": "X"}).status_code == 401
    cand_user = make_user(UserRole.CANDIDATE, None, "casey@example.test")
    h = auth(cand_user)
    assert api.get(URL, headers=h).status_code == 403
    assert api.get(f"{URL}/{cid}", headers=h).status_code == 403
    assert api.post(URL, headers=h, json={"email": "a@example.test", "name": "X"}).status_code == 403


def test_candidate_sees_only_own_records_via_me(api, acme, globex):
    cand_user = make_user(UserRole.CANDIDATE, None, "casey@example.test")
    mine_a = make_candidate(acme.company.id, "casey@example.test", user_id=cand_user.id)
    mine_b = make_candidate(globex.company.id, "casey@example.test", user_id=cand_user.id)
    make_candidate(acme.company.id, "someone@example.test")
    r = api.get(f"{URL}/me", headers=auth(cand_user))
    assert r.status_code == 200
    records = r.json()["candidates"]
    assert {c["id"] for c in records} == {str(mine_a.id), str(mine_b.id)}
    assert "assigned_to" not in records[0] and "resume_text" not in records[0]
    assert api.get(f"{URL}/me", headers=auth(acme.hr)).json() == {"candidates": []}


def test_employee_sees_only_assigned(api, acme):
    mine = make_candidate(acme.company.id, "mine@example.test", assigned_to=acme.employee.id)
    other = make_candidate(acme.company.id, "other@example.test")
    h = auth(acme.employee)
    listed = api.get(URL, headers=h).json()
    assert [c["id"] for c in listed["candidates"]] == [str(mine.id)] and listed["total"] == 1
    assert api.get(f"{URL}/{mine.id}", headers=h).status_code == 200
    assert api.get(f"{URL}/{mine.id}/history", headers=h).status_code == 200
    assert api.get(f"{URL}/{other.id}", headers=h).status_code == 404
    assert api.get(f"{URL}/{other.id}/history", headers=h).status_code == 404
    # read-only
    assert api.put(f"{URL}/{mine.id}", headers=h, json={"name": "Z"}).status_code == 403
    assert api.delete(f"{URL}/{mine.id}", headers=h).status_code == 403
    assert api.post(f"{URL}/{mine.id}/status", headers=h, json={"status": "screening"}).status_code == 403
    assert api.post(f"{URL}/{mine.id}/assign", headers=h, json={"user_id": None}).status_code == 403
    assert api.post(URL, headers=h, json={"email": "n@example.test", "name": "N"}).status_code == 403


def test_employee_with_custom_read_role_sees_all(api, acme):
    with session_scope() as s:
        role = CustomRole(company_id=acme.company.id, name="Recruiter", permissions=["candidates:read"])
        s.add(role)
        s.flush()
    reader = make_user(UserRole.EMPLOYEE, acme.company.id, custom_role_id=role.id)
    make_candidate(acme.company.id, "a@example.test")
    other = make_candidate(acme.company.id, "b@example.test")
    h = auth(reader)
    assert api.get(URL, headers=h).json()["total"] == 2
    assert api.get(f"{URL}/{other.id}", headers=h).status_code == 200
    assert api.put(f"{URL}/{other.id}", headers=h, json={"name": "Z"}).status_code == 403


def test_other_company_ids_are_404_everywhere(api, acme, globex):
    theirs = make_candidate(globex.company.id, "theirs@example.test")
    h = auth(acme.hr)
    base = f"{URL}/{theirs.id}"
    assert api.get(base, headers=h).status_code == 404
    assert api.put(base, headers=h, json={"name": "Z"}).status_code == 404
    assert api.delete(base, headers=h).status_code == 404
    assert api.post(f"{base}/status", headers=h, json={"status": "screening"}).status_code == 404
    assert api.get(f"{base}/history", headers=h).status_code == 404
    assert api.post(f"{base}/assign", headers=h, json={"user_id": str(acme.employee.id)}).status_code == 404
    assert api.post(f"{base}/invite", headers=h).status_code == 404
    assert api.get(f"{base}/resume", headers=h).status_code == 404
    files = {"file": ("cv.txt", b"Python developer", "text/plain")}
    assert api.post(f"{base}/resume", headers=h, files=files).status_code == 404
    assert api.get(URL, headers=h).json()["total"] == 0
    with session_scope() as s:
        cand = s.get(Candidate, theirs.id)
        assert cand.name == "Casey Candidate" and cand.status.value == "new"
    # a system admin reaches every company
    assert api.get(base, headers=auth(make_admin())).status_code == 200


def test_list_pagination_filters_sort_and_fields(api, acme, globex):
    job = make_job(acme.company.id)
    base = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with session_scope() as s:
        for i in range(25):
            s.add(Candidate(company_id=acme.company.id, email=f"user{i:02d}@example.test", name=f"Name {i:02d}",
                            status="screening" if i % 5 == 0 else "new",
                            job_template_id=job.id if i < 3 else None,
                            assigned_to=acme.employee.id if i == 7 else None,
                            created_at=base + timedelta(days=i)))
        s.add(Candidate(company_id=acme.company.id, email="zed@other.test", name="Zoë Ångström", created_at=base))
    make_candidate(globex.company.id, "user00@example.test")
    h = auth(acme.hr)
    r = api.get(URL, headers=h, params={"page": 2, "per_page": 10}).json()
    assert (r["total"], r["page"], r["per_page"], r["pages"], len(r["candidates"])) == (26, 2, 10, 3, 10)
    assert set(r) == {"candidates", "total", "page", "per_page", "pages"}
    last = api.get(URL, headers=h, params={"page": 3, "per_page": 10}).json()
    assert (last["total"], len(last["candidates"])) == (26, 6)  # total derived without COUNT(*)
    beyond = api.get(URL, headers=h, params={"page": 9, "per_page": 10}).json()
    assert (beyond["total"], beyond["candidates"]) == (26, [])
    newest = api.get(URL, headers=h, params={"per_page": 1}).json()["candidates"][0]
    assert newest["email"] == "user24@example.test"  # default: newest first
    assert api.get(URL, headers=h, params={"status": "screening"}).json()["total"] == 5
    assert api.get(URL, headers=h, params={"job_template_id": str(job.id)}).json()["total"] == 3
    assert api.get(URL, headers=h, params={"assigned_to": str(acme.employee.id)}).json()["total"] == 1
    window = {"created_from": (base + timedelta(days=10)).isoformat(), "created_to": (base + timedelta(days=12)).isoformat()}
    assert api.get(URL, headers=h, params=window).json()["total"] == 2
    assert api.get(URL, headers=h, params={"search": "NAME 1"}).json()["total"] == 10
    assert api.get(URL, headers=h, params={"search": "user2"}).json()["total"] == 5
    assert api.get(URL, headers=h, params={"search": "zoë"}).json()["total"] == 1
    assert api.get(URL, headers=h, params={"search": "%"}).json()["total"] == 0  # wildcards are literal
    assert api.get(URL, headers=h, params={"search": "ame"}).json()["total"] == 25  # any part of the name
    assert api.get(URL, headers=h, params={"search": "other.test"}).json()["total"] == 1  # an e-mail domain
    assert api.get(URL, headers=h, params={"search": "ÅNGSTRÖM"}).json()["total"] == 1  # a last name, any case
    names = [c["name"] for c in api.get(URL, headers=h, params={"sort": "name", "order": "asc", "per_page": 3}).json()["candidates"]]
    assert names == ["Name 00", "Name 01", "Name 02"]
    emails = [c["email"] for c in api.get(URL, headers=h, params={"sort": "email", "order": "desc", "per_page": 1}).json()["candidates"]]
    assert emails == ["zed@other.test"]
    slim = api.get(URL, headers=h, params={"fields": "id,name,has_resume", "per_page": 2}).json()["candidates"]
    assert all(set(c) == {"id", "name", "has_resume"} for c in slim)
    assert api.get(URL, headers=h, params={"fields": "resume_url"}).status_code == 422
    assert api.get(URL, headers=h, params={"per_page": 101}).status_code == 422
    assert api.get(URL, headers=h, params={"sort": "password"}).status_code == 422
    assert api.get(URL, headers=h, params={"status": "bogus"}).status_code == 422


def test_status_transitions_and_history(api, acme):
    h = auth(acme.hr)
    cid = make_candidate(acme.company.id).id
    url = f"{URL}/{cid}/status"
    bad = api.post(url, headers=h, json={"status": "hired"})
    assert bad.status_code == 409 and bad.json()["error_code"] == "PIPE_409"
    assert "screening" in bad.json()["detail"] and "screening" in bad.json()["allowed"]
    for step in ("screening", "interview_scheduled", "interviewed", "offer", "hired"):
        r = api.post(url, headers=h, json={"status": step, "note": f"to {step}"})
        assert r.status_code == 200 and r.json()["status"] == step
    final = api.post(url, headers=h, json={"status": "rejected"})
    assert final.status_code == 409 and "final status" in final.json()["detail"]
    hist = api.get(f"{URL}/{cid}/history", headers=h).json()["history"]
    # (the factory writes no creation row; the API does, see the roundtrip test)
    assert [e["to_status"] for e in hist] == ["screening", "interview_scheduled", "interviewed", "offer", "hired"]
    assert hist[-1]["from_status"] == "offer" and hist[-1]["note"] == "to hired"
    assert api.post(url, headers=h, json={"status": "nope"}).status_code == 422


def test_rejected_can_be_reopened(api, acme):
    h = auth(acme.hr)
    cid = make_candidate(acme.company.id).id
    assert api.post(f"{URL}/{cid}/status", headers=h, json={"status": "rejected"}).status_code == 200
    assert api.post(f"{URL}/{cid}/status", headers=h, json={"status": "offer"}).status_code == 409
    assert api.post(f"{URL}/{cid}/status", headers=h, json={"status": "new"}).json()["status"] == "new"
    with session_scope() as s:
        rows = s.exec(select(CandidateStatusHistory).where(CandidateStatusHistory.candidate_id == cid)).all()
        assert len(rows) == 2  # the factory wrote no creation row


def test_assign_and_unassign(api, acme, globex):
    h = auth(acme.hr)
    cid = make_candidate(acme.company.id).id
    r = api.post(f"{URL}/{cid}/assign", headers=h, json={"user_id": str(acme.employee.id)})
    assert r.status_code == 200 and r.json()["assigned_to"] == str(acme.employee.id)
    assert api.get(f"{URL}/{cid}", headers=auth(acme.employee)).status_code == 200
    r = api.post(f"{URL}/{cid}/assign", headers=h, json={"user_id": str(globex.employee.id)})
    assert r.status_code == 422
    r = api.post(f"{URL}/{cid}/assign", headers=h, json={"user_id": None})
    assert r.status_code == 200 and r.json()["assigned_to"] is None
    assert api.get(f"{URL}/{cid}", headers=auth(acme.employee)).status_code == 404
