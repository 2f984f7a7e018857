"""/api/v1/fairness: the public self-identification endpoint (by interview link) and the
adverse-impact report (JSON and CSV) for compliance:read, tenant-scoped."""

from __future__ import annotations

from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import Interview, InterviewStatus
from tests.factories import auth, make_admin, make_tenant
from tests.fairness_fixtures import seed_population
from tests.services.test_fairness_report import compliance_user
from tests.services.test_live_interview import make_live_interview

BASE = "/api/v1/fairness"
RANGE = {"date_from": "2026-03-01", "date_to": "2026-06-30"}


def test_report_json_and_csv_for_compliance(api):
    acme = make_tenant()
    seeded = seed_population(acme.company.id)
    h = auth(compliance_user(acme.company.id))
    r = api.get(f"{BASE}/impact-report", headers=h, params={**RANGE, "job_template_id": str(seeded.job_id)})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["applicants"] == 50 and body["date_from"] == "2026-03-01" and body["min_group_size"] == 5
    female = next(x for x in body["rates"] if (x["decision"], x["dimension"], x["group"]) == ("ai_pass", "sex", "female"))
    assert (female["rate"], female["impact_ratio"], female["four_fifths_flag"]) == (0.3478, 0.6087, True)
    jobs = api.get(f"{BASE}/jobs", headers=h).json()
    assert [j["title"] for j in jobs] == ["Backend Engineer", "Data Analyst"]

    r = api.get(f"{BASE}/impact-report.csv", headers=h, params={**RANGE, "job_template_id": str(seeded.job_id)})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="impact-report-2026-03-01-2026-06-30.csv"' in r.headers["content-disposition"]
    assert "selection,ai_pass,sex,Female,23,8,0.3478,0.6087,,,,yes" in r.text.splitlines()


def test_report_refused_to_others_and_across_companies(api):
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    seeded = seed_population(acme.company.id)
    assert api.get(f"{BASE}/impact-report", params=RANGE).status_code == 401
    for user in (acme.hr, acme.employee):
        r = api.get(f"{BASE}/impact-report", headers=auth(user), params=RANGE)
        assert r.status_code == 403 and r.json()["error_code"] == "PERM_001"
        assert api.get(f"{BASE}/impact-report.csv", headers=auth(user), params=RANGE).status_code == 403
    spy = auth(compliance_user(globex.company.id))
    r = api.get(f"{BASE}/impact-report", headers=spy, params={**RANGE, "company_id": str(acme.company.id)})
    assert r.status_code == 403 and r.json()["error_code"] == "PERM_003"
    r = api.get(f"{BASE}/impact-report", headers=spy, params={**RANGE, "job_template_id": str(seeded.job_id)})
    assert r.status_code == 404
    own = api.get(f"{BASE}/impact-report", headers=spy, params=RANGE).json()
    assert own["company_id"] == str(globex.company.id) and own["applicants"] == 0 and own["rates"] == []
    assert api.get(f"{BASE}/jobs", headers=spy).json() == []
    admin = auth(make_admin())
    assert api.get(f"{BASE}/impact-report", headers=admin, params=RANGE).status_code == 422  # must name one
    r = api.get(f"{BASE}/impact-report", headers=admin, params={**RANGE, "company_id": str(acme.company.id)})
    assert r.status_code == 200 and r.json()["applicants"] == 50
    r = api.get(f"{BASE}/impact-report", headers=admin,
                params={"date_from": "2026-06-30", "date_to": "2026-03-01", "company_id": str(acme.company.id)})
    assert r.status_code == 422 and r.json()["error_code"] == "FAIR_422"


def test_self_identification_by_link(api):
    w = make_live_interview()
    url = f"{BASE}/self-identification/{w.token}"
    cats = api.get(f"{BASE}/self-identification/categories").json()
    assert cats["sex"][-1] == {"value": "prefer_not_to_say", "label": "Prefer not to say"}
    r = api.post(url, json={"sex": "female"})
    assert r.status_code == 409 and r.json()["error_code"] == "FAIR_409"  # the interview is not complete
    with session_scope() as s:
        iv = s.get(Interview, w.interview_id)
        iv.status, iv.completed_at = InterviewStatus.COMPLETED, utcnow()
        s.add(iv)
    assert api.post(url, json={"sex": "robot"}).status_code == 422
    assert api.post(url, json={"sex": "female", "email": "x@y.z"}).status_code == 422
    assert api.post(f"{BASE}/self-identification/nope", json={"sex": "female"}).status_code == 404
    assert api.post(url, json={"sex": "female", "race_ethnicity": "two_or_more"}).status_code == 204
    assert api.post(url, json={}).status_code == 204  # skipping is fine


def test_accommodation_request_by_link(api):
    w = make_live_interview()
    url = f"{BASE}/accommodation-request/{w.token}"
    assert api.post(url, json={"kind": "teleport"}).status_code == 422
    r = api.post(url, json={"kind": "typing_only", "message": "My microphone is broken."})
    assert r.status_code == 201 and r.json() == {"notified": 0}  # this company has no HR user yet
    for _ in range(2):
        assert api.post(url, json={"kind": "other"}).status_code == 201
    r = api.post(url, json={"kind": "other"})
    assert r.status_code == 409 and r.json()["error_code"] == "FAIR_429"
