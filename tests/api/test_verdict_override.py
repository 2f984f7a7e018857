"""An override is a real decision, reflected everywhere (issue 13, item 1): the API, the interview
list, the candidate page's Interviews card and the report show the verdict that stands; a no-op
override and an over-long reason are refused by the service with the spec's error shape."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import select

from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import AuditLog, Interview, InterviewStatus, User, Verdict
from interviewer.services import scoring, ui_queries
from interviewer.services.authz import actor_for
from tests.factories import auth, make_candidate, make_tenant


def _scored_interview(tenant, verdict: Verdict = Verdict.PASS) -> tuple[uuid.UUID, uuid.UUID]:
    cand = make_candidate(tenant.company.id, "robin@example.test", name="Robin Rivera")
    with session_scope() as s:
        iv = Interview(company_id=tenant.company.id, candidate_id=cand.id, token=uuid.uuid4().hex,
                       status=InterviewStatus.COMPLETED, started_at=utcnow() - timedelta(minutes=9),
                       completed_at=utcnow(), score=82, verdict=verdict)
        s.add(iv)
        s.flush()
        return iv.id, cand.id


def _assert_spec_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code and body["detail"] and body["timestamp"], body
    return body


def test_override_is_reflected_in_api_lists_and_candidate_page(api):
    t = make_tenant()
    interview_id, candidate_id = _scored_interview(t)
    url = f"/api/v1/interviews/{interview_id}/verdict-override"
    r = api.post(url, headers=auth(t.hr), json={"verdict": "REVIEW", "reason": "Panel wants a second look"})
    assert r.status_code == 200, r.text
    assert (r.json()["verdict"], r.json()["ai_verdict"]) == ("REVIEW", "PASS")

    one = api.get(f"/api/v1/interviews/{interview_id}", headers=auth(t.hr)).json()
    assert (one["verdict"], one["ai_verdict"], one["verdict_overridden"]) == ("REVIEW", "PASS", True)
    listed = api.get("/api/v1/interviews", headers=auth(t.hr), params={"candidate_id": str(candidate_id)}).json()
    rows = listed.get("interviews") or listed.get("data") or listed.get("items")
    assert [row["verdict"] for row in rows] == ["REVIEW"]

    with session_scope() as s:  # what the candidate page's Interviews card is built from
        card = ui_queries.candidate_interviews(s, actor_for(s, s.get(User, t.hr.id)), candidate_id)
    assert [(row["verdict"], row["verdict_overridden"]) for row in card] == [("REVIEW", True)]


def test_noop_override_is_refused(api):
    t = make_tenant()
    interview_id, _ = _scored_interview(t, Verdict.PASS)
    url = f"/api/v1/interviews/{interview_id}/verdict-override"
    body = _assert_spec_error(api.post(url, headers=auth(t.hr), json={"verdict": "PASS", "reason": "Looks right to me"}),
                              422, "VERDICT_422")
    assert "already PASS" in body["detail"]
    assert api.post(url, headers=auth(t.hr), json={"verdict": "FAIL", "reason": "Gaps in the live round"}).status_code == 200
    # the verdict that stands is now FAIL: FAIL again is the no-op, PASS (back to the AI) is a decision
    _assert_spec_error(api.post(url, headers=auth(t.hr), json={"verdict": "FAIL", "reason": "Still failing it"}),
                       422, "VERDICT_422")
    assert api.post(url, headers=auth(t.hr), json={"verdict": "PASS", "reason": "Reference check was great"}).status_code == 200
    with session_scope() as s:
        logs = s.exec(select(AuditLog).where(AuditLog.action == "interview.verdict_override")).all()
        assert sorted(log.details["to"] for log in logs) == ["FAIL", "PASS"]


def test_over_long_reason_is_refused_not_truncated(api):
    t = make_tenant()
    interview_id, _ = _scored_interview(t)
    url = f"/api/v1/interviews/{interview_id}/verdict-override"
    too_long = "x" * (scoring.OVERRIDE_REASON_MAX + 1)
    body = _assert_spec_error(api.post(url, headers=auth(t.hr), json={"verdict": "FAIL", "reason": too_long}),
                              422, "VERDICT_422")
    assert str(scoring.OVERRIDE_REASON_MAX) in body["detail"]
    _assert_spec_error(api.post(url, headers=auth(t.hr), json={"verdict": "FAIL", "reason": " ok "}), 422, "VERDICT_422")
    with session_scope() as s:
        iv = s.get(Interview, interview_id)
        assert iv.verdict_override is None and iv.override_reason is None
    exact = "y" * scoring.OVERRIDE_REASON_MAX
    assert api.post(url, headers=auth(t.hr), json={"verdict": "FAIL", "reason": exact}).status_code == 200
    with session_scope() as s:
        assert s.get(Interview, interview_id).override_reason == exact
