"""Job templates API (spec 5.5): CRUD, roles, tenancy, validation."""

from __future__ import annotations

import uuid

from interviewer.models import InterviewStatus
from tests.api.test_interviews_support import World, update_interview
from tests.factories import auth, make_admin

JOBS = "/api/v1/jobs"


def test_crud_roundtrip(api):
    w = World()
    r = api.post(JOBS, json={"title": "  Data Engineer ", "description": "ETL, SQL", "ai_prompt": "Be kind"},
                 headers=w.hr)
    assert r.status_code == 201, r.text
    job = r.json()
    assert job["title"] == "Data Engineer" and job["ai_model"] == "gemini-2.5-flash"
    assert job["company_id"] == str(w.acme.company.id) and job["created_by"] == str(w.acme.hr.id)
    assert job["question_count"] == 0

    got = api.get(f"{JOBS}/{job['id']}", headers=w.hr)
    assert got.status_code == 200 and got.json()["description"] == "ETL, SQL"

    upd = api.put(f"{JOBS}/{job['id']}", json={"title": "Senior Data Engineer", "ai_model": "gemini-2.5-pro",
                                               "description": None}, headers=w.hr)
    assert upd.status_code == 200, upd.text
    assert upd.json()["title"] == "Senior Data Engineer" and upd.json()["ai_model"] == "gemini-2.5-pro"
    assert upd.json()["description"] is None and upd.json()["updated_at"]

    assert api.delete(f"{JOBS}/{job['id']}", headers=w.hr).status_code == 204
    gone = api.get(f"{JOBS}/{job['id']}", headers=w.hr)
    assert gone.status_code == 404 and gone.json()["error_code"] == "JOB_404"


def test_list_paginates_searches_and_selects_fields(api):
    w = World()  # already has "Backend Engineer"
    for title in ("Frontend Engineer", "Product Manager", "QA Engineer"):
        assert api.post(JOBS, json={"title": title}, headers=w.hr).status_code == 201
    page = api.get(JOBS, params={"per_page": 2, "page": 1}, headers=w.hr).json()
    assert page["total"] == 4 and page["pages"] == 2 and page["per_page"] == 2 and len(page["jobs"]) == 2
    page2 = api.get(JOBS, params={"per_page": 2, "page": 2}, headers=w.hr).json()
    assert {j["id"] for j in page["jobs"]}.isdisjoint({j["id"] for j in page2["jobs"]})

    found = api.get(JOBS, params={"search": "engineer"}, headers=w.hr).json()
    assert found["total"] == 3 and all("Engineer" in j["title"] for j in found["jobs"])
    assert api.get(JOBS, params={"search": "%"}, headers=w.hr).json()["total"] == 0  # LIKE wildcards escaped

    slim = api.get(JOBS, params={"fields": "id,title"}, headers=w.hr).json()
    assert all(set(j) == {"id", "title"} for j in slim["jobs"])
    bad = api.get(JOBS, params={"fields": "id,password"}, headers=w.hr)
    assert bad.status_code == 422 and bad.json()["error_code"] == "VAL_002"
    # Tenancy: Globex sees only its own job.
    assert [j["title"] for j in api.get(JOBS, headers=w.g_hr).json()["jobs"]] == ["Globex Job"]


def test_roles(api):
    w = World()
    job_url = f"{JOBS}/{w.job.id}"
    # EMPLOYEE: read only.
    assert api.get(JOBS, headers=w.emp).status_code == 200
    assert api.get(job_url, headers=w.emp).status_code == 200
    assert api.get(f"{job_url}/questions", headers=w.emp).status_code == 200
    for method, url, body in (("post", JOBS, {"title": "X"}), ("put", job_url, {"title": "X"}),
                              ("delete", job_url, None), ("post", f"{job_url}/questions", {"text": "Q?"})):
        r = api.request(method.upper(), url, json=body, headers=w.emp)
        assert r.status_code == 403 and r.json()["error_code"] == "PERM_001", (method, url, r.text)
    # CANDIDATE: no access to templates at all.
    for url in (JOBS, job_url, f"{job_url}/questions"):
        assert api.get(url, headers=w.cand).status_code == 403
    assert api.post(JOBS, json={"title": "X"}, headers=w.cand).status_code == 403
    # No token.
    r = api.get(JOBS)
    assert r.status_code == 401 and set(r.json()) >= {"detail", "error_code", "timestamp"}
    assert api.post(JOBS, json={"title": "X"}).status_code == 401


def test_cross_tenant_is_404(api):
    w = World()
    url = f"{JOBS}/{w.g_job.id}"
    for method, path, body in (("GET", url, None), ("PUT", url, {"title": "Mine now"}), ("DELETE", url, None),
                               ("GET", f"{url}/questions", None), ("POST", f"{url}/questions", {"text": "Q?"}),
                               ("POST", f"{url}/questions/reorder", {"ids": []})):
        r = api.request(method, path, json=body, headers=w.hr)
        assert r.status_code == 404 and r.json()["error_code"] == "JOB_404", (method, path, r.text)
    assert api.get(f"{JOBS}/{uuid.uuid4()}", headers=w.hr).status_code == 404


def test_validation_errors(api):
    w = World()
    cases = [
        {"title": ""},
        {"title": "x" * 256},
        {"title": "ok", "description": "d" * 20_001},
        {"title": "ok", "ai_model": "bad model!"},
        {"title": "ok", "unexpected": 1},
        {},
    ]
    for body in cases:
        r = api.post(JOBS, json=body, headers=w.hr)
        assert r.status_code == 422 and r.json()["error_code"] == "VAL_001", (body, r.text)
    r = api.get(f"{JOBS}/not-a-uuid", headers=w.hr)
    assert r.status_code == 422
    assert api.put(f"{JOBS}/{w.job.id}", json={"title": "y" * 300}, headers=w.hr).status_code == 422


def test_delete_refused_while_interviews_are_scheduled(api):
    w = World()
    interview = w.schedule(api)
    r = api.delete(f"{JOBS}/{w.job.id}", headers=w.hr)
    assert r.status_code == 409 and r.json()["error_code"] == "JOB_409"
    update_interview(interview["id"], status=InterviewStatus.COMPLETED)
    assert api.delete(f"{JOBS}/{w.job.id}", headers=w.hr).status_code == 204
    # The completed interview survives, detached from the deleted template.
    kept = api.get(f"/api/v1/interviews/{interview['id']}", headers=w.hr)
    assert kept.status_code == 200 and kept.json()["job_template_id"] is None


def test_system_admin_works_across_companies(api):
    w = World()
    admin = auth(make_admin())
    missing = api.post(JOBS, json={"title": "Ops"}, headers=admin)
    assert missing.status_code == 422
    r = api.post(JOBS, json={"title": "Ops", "company_id": str(w.globex.company.id)}, headers=admin)
    assert r.status_code == 201 and r.json()["company_id"] == str(w.globex.company.id)
    assert api.get(JOBS, params={"company_id": str(w.globex.company.id)}, headers=admin).json()["total"] == 2
    assert api.get(JOBS, headers=admin).json()["total"] == 3
    # another company's company_id from HR is refused (issue 12: not silently ignored); their own is fine.
    other = api.post(JOBS, json={"title": "Mine", "company_id": str(w.globex.company.id)}, headers=w.hr)
    assert other.status_code == 403 and other.json()["error_code"] == "PERM_003"
    own = api.post(JOBS, json={"title": "Mine", "company_id": str(w.acme.company.id)}, headers=w.hr)
    assert own.status_code == 201 and own.json()["company_id"] == str(w.acme.company.id)
