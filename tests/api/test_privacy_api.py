"""REST for candidate rights without an account (/api/v1/privacy-requests, by emailed link) and
HR's accommodation requests (/api/v1/fairness/accommodation-requests): the spec's error format
(detail, error_code, timestamp), the per-client rate limit, tenancy and roles."""

from __future__ import annotations

from sqlmodel import select

from interviewer.db import session_scope
from interviewer.models import AccommodationRequest, Candidate, EmailMessage, UserRole
from tests.factories import auth, make_tenant, make_user
from tests.services.test_live_interview import make_live_interview
from tests.services.test_privacy_links import EMAIL, link_tokens, world

BASE = "/api/v1/privacy-requests"


def error_of(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error_code"] == code and body["detail"] and body["timestamp"].endswith("Z")
    return body


def test_request_view_download_and_erase_by_link(api):
    world()
    known = api.post(BASE, json={"email": "ROBIN@example.test"})
    unknown = api.post(BASE, json={"email": "nobody@example.test"})
    assert known.status_code == unknown.status_code == 202 and known.json() == unknown.json()
    error_of(api.post(BASE, json={"email": "not an email"}), 422, "VAL_001")
    token = link_tokens()["Your data at Acme"]
    r = api.get(f"{BASE}/{token}")
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in ("company", "email", "applications", "interviews")} == {
        "company": "Acme", "email": EMAIL, "applications": 1, "interviews": 1}
    data = api.get(f"{BASE}/{token}/data").json()
    assert data["account"] is None and [a["company"] for a in data["applications"]] == ["Acme"]
    error_of(api.post(f"{BASE}/{token}/erase", json={"confirm_email": "x@example.test"}), 422, "PRIVACY_422")
    r = api.post(f"{BASE}/{token}/erase", json={"confirm_email": EMAIL})
    assert r.status_code == 200 and r.json()["applications"] == 1
    for again in (api.get(f"{BASE}/{token}"), api.get(f"{BASE}/{token}/data"),
                  api.post(f"{BASE}/{token}/erase", json={"confirm_email": EMAIL})):
        assert error_of(again, 410, "PRIVACY_410")["reason"] == "used"
    error_of(api.get(f"{BASE}/not-a-real-token"), 404, "PRIVACY_404")
    with session_scope() as s:  # Acme's record is anonymous now; Globex's is untouched
        assert [c.email for c in s.exec(select(Candidate).where(Candidate.name == "Robin Rivera"))] == [EMAIL]


def test_link_requests_share_the_per_client_auth_limit(app_with_env):
    client = app_with_env(RATE_LIMIT_AUTH="2/60")
    world()
    for _ in range(2):
        assert client.post(BASE, json={"email": EMAIL}).status_code == 202
    r = client.post(BASE, json={"email": "other@example.test"})
    error_of(r, 429, "RATE_001")
    assert int(r.headers["Retry-After"]) > 0


def test_hr_lists_and_answers_accommodation_requests(api):
    w = make_live_interview(company_name="Acme")
    hr = make_user(UserRole.HR, w.company_id, "hr@acme.test")
    dev = make_user(UserRole.EMPLOYEE, w.company_id, "dev@acme.test")
    globex = make_tenant("Globex")
    r = api.post(f"/api/v1/fairness/accommodation-request/{w.token}",
                 json={"kind": "typing_only", "message": "My microphone is broken."})
    assert r.status_code == 201 and r.json() == {"notified": 1}
    url = "/api/v1/fairness/accommodation-requests"
    [item] = api.get(url, headers=auth(hr)).json()["requests"]
    assert item["kind"] == "typing_only" and item["status"] == "open" and item["message"] == "My microphone is broken."
    assert api.get(url, headers=auth(globex.hr)).json() == {"requests": []}
    error_of(api.get(url, headers=auth(dev)), 403, "PERM_001")
    error_of(api.get(url, params={"company_id": str(w.company_id)}, headers=auth(globex.hr)), 403, "PERM_003")
    error_of(api.get(url), 401, "AUTH_009")
    answer = f"{url}/{item['id']}/answer"
    body = {"answer": "Of course: type your answers; the link stays the same."}
    error_of(api.post(answer, json=body, headers=auth(globex.hr)), 404, "ACCOM_404")
    error_of(api.post(answer, json=body, headers=auth(dev)), 403, "PERM_001")
    error_of(api.post(answer, json={"answer": ""}, headers=auth(hr)), 422, "VAL_001")
    r = api.post(answer, json=body, headers=auth(hr))
    assert r.status_code == 200 and r.json()["status"] == "answered" and r.json()["answered_by_name"]
    error_of(api.post(answer, json=body, headers=auth(hr)), 409, "ACCOM_409")
    assert api.get(url, headers=auth(hr)).json() == {"requests": []}
    assert len(api.get(url, params={"status": "answered"}, headers=auth(hr)).json()["requests"]) == 1
    with session_scope() as s:
        [mail] = s.exec(select(EmailMessage).where(EmailMessage.kind == "accommodation_answer")).all()
        assert "type your answers" in mail.body_text
        assert s.exec(select(AccommodationRequest)).one().answer == body["answer"]
