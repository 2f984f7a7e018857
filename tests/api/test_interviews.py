"""Interviews API (spec 5.6): scheduling, listing, visibility, validation errors, tenancy."""

from __future__ import annotations

import hashlib

import uuid
from datetime import datetime, timedelta, timezone

from sqlmodel import select

from interviewer.db import session_scope
from interviewer.models import Candidate, CandidateStatus, CandidateStatusHistory
from interviewer.services.mail_render import human_datetime
from tests.api.test_interviews_support import World, future, iso, load_interview, outbox, token_of, update_interview
from tests.factories import auth, make_admin

URL = "/api/v1/interviews"


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_schedule_creates_link_moves_candidate_and_queues_invitation(api):
    w = World()
    start = future(72)
    r = api.post(URL, json=w.body(scheduled_at=iso(start), interviewer_id=str(w.acme.employee.id)), headers=w.hr)
    assert r.status_code == 201, r.text
    iv = r.json()
    assert iv["status"] == "scheduled" and iv["duration_minutes"] == 30
    assert _parse(iv["scheduled_at"]) == start and _parse(iv["expires_at"]) == start + timedelta(days=7)
    assert iv["interviewer_id"] == str(w.acme.employee.id)
    token = token_of(iv)
    assert iv["interview_link"] == f"http://testserver/interview/{token}" and len(token) >= 43
    stored = load_interview(iv["id"])  # only the token's SHA-256 is stored (issue 12)
    assert stored.token == hashlib.sha256(token.encode()).hexdigest() and token not in stored.token

    with session_scope() as s:
        cand = s.get(Candidate, w.candidate.id)
        history = s.exec(select(CandidateStatusHistory).where(CandidateStatusHistory.candidate_id == cand.id)).all()
    assert cand.status == CandidateStatus.INTERVIEW_SCHEDULED
    assert [(h.from_status, h.to_status) for h in history] == [(CandidateStatus.NEW, CandidateStatus.INTERVIEW_SCHEDULED)]

    [mail] = outbox("interview_invitation")
    assert mail.to_address == "casey@example.test" and mail.company_id == w.acme.company.id
    assert "Backend Engineer" in mail.subject and "Acme" in mail.subject
    assert iv["interview_link"] in mail.body_text and human_datetime(start) in mail.body_text
    assert iso(start) not in mail.body_text  # a date a person reads, not ISO 8601
    [ics] = mail.attachments
    assert ics["filename"] == "invite.ics" and "METHOD:REQUEST" in ics["content"]


def test_schedule_validation_errors(api):
    w = World()
    start = future()
    bad = [
        w.body(duration_minutes=4),
        w.body(duration_minutes=241),
        w.body(expires_at=iso(start - timedelta(minutes=1))),
        w.body(expires_at=iso(start)),
        w.body(candidate_id="not-a-uuid"),
        w.body(scheduled_at="tomorrow at noon"),
        w.body(scheduled_at=iso(datetime.now(timezone.utc) - timedelta(days=1))),
        w.body(expires_at=iso(start + timedelta(days=91))),
        # the last days a date can hold (the default link expiry would overflow: was a 500), and a
        # typo'd year: an interview is booked within a year
        w.body(scheduled_at="9999-12-30T00:00:00Z"),
        w.body(scheduled_at=iso(datetime.now(timezone.utc) + timedelta(days=400))),
        w.body(surprise=True),
        {"candidate_id": str(w.candidate.id)},
    ]
    for body in bad:
        r = api.post(URL, json=body, headers=w.hr)
        assert r.status_code == 422, (body, r.text)
        assert set(r.json()) >= {"detail", "error_code", "timestamp"}
    assert outbox() == []
    ok = api.post(URL, json=w.body(duration_minutes=240, expires_at=iso(start + timedelta(hours=1))), headers=w.hr)
    assert ok.status_code == 201


def test_schedule_cross_tenant_ids_are_404(api):
    w = World()
    cases = [
        (w.body(candidate_id=str(w.g_candidate.id)), "CAND_404"),
        (w.body(job_template_id=str(w.g_job.id)), "JOB_404"),
        (w.body(interviewer_id=str(w.globex.employee.id)), "USER_404"),
        (w.body(candidate_id=str(uuid.uuid4())), "CAND_404"),
        (w.body(interviewer_id=str(w.candidate_user.id)), "USER_404"),  # not a staff member
    ]
    for body, code in cases:
        r = api.post(URL, json=body, headers=w.hr)
        assert r.status_code == 404 and r.json()["error_code"] == code, (body, r.text)


def test_schedule_roles(api):
    w = World()
    assert api.post(URL, json=w.body()).status_code == 401
    assert api.post(URL, json=w.body(), headers=w.emp).status_code == 403
    assert api.post(URL, json=w.body(), headers=w.cand).status_code == 403
    assert api.get(URL, headers=w.cand).status_code == 403
    assert api.get(URL).status_code == 401


def test_schedule_refused_for_a_rejected_candidate(api):
    w = World()
    with session_scope() as s:
        s.get(Candidate, w.candidate.id).status = CandidateStatus.REJECTED
    r = api.post(URL, json=w.body(), headers=w.hr)
    assert r.status_code == 409 and r.json()["error_code"] == "PIPE_409"
    assert outbox() == []


def test_list_filters_and_pagination(api):
    w = World()
    first = w.schedule(api, scheduled_at=iso(future(24)))
    second = w.schedule(api, scheduled_at=iso(future(48)), interviewer_id=str(w.acme.employee.id))
    third = w.schedule(api, scheduled_at=iso(future(96)))
    api.put(f"{URL}/{third['id']}/cancel", json={}, headers=w.hr)
    w.schedule(api, headers=w.g_hr, candidate_id=str(w.g_candidate.id), job_template_id=str(w.g_job.id))

    def ids(**params):
        body = api.get(URL, params=params, headers=w.hr).json()
        return [i["id"] for i in body["interviews"]], body

    all_ids, body = ids()
    assert all_ids == [first["id"], second["id"], third["id"]] and body["total"] == 3
    assert ids(status="cancelled")[0] == [third["id"]]
    assert ids(status="scheduled")[0] == [first["id"], second["id"]]
    assert ids(interviewer_id=str(w.acme.employee.id))[0] == [second["id"]]
    assert ids(candidate_id=str(w.candidate.id), job_template_id=str(w.job.id))[1]["total"] == 3
    assert ids(scheduled_from=iso(future(36)), scheduled_to=iso(future(72)))[0] == [second["id"]]
    assert ids(order="desc")[0] == [third["id"], second["id"], first["id"]]
    page = api.get(URL, params={"per_page": 2, "page": 2}, headers=w.hr).json()
    assert page["pages"] == 2 and [i["id"] for i in page["interviews"]] == [third["id"]]
    slim = api.get(URL, params={"fields": "id,status"}, headers=w.hr).json()["interviews"]
    assert all(set(i) == {"id", "status"} for i in slim)
    # Expired interviews are reported (and filterable) as expired.
    update_interview(first["id"], expires_at=datetime.now(timezone.utc) - timedelta(minutes=1))
    assert ids(status="expired")[0] == [first["id"]]
    assert api.get(URL, params={"status": "bogus"}, headers=w.hr).status_code == 422


def test_employee_scope(api):
    w = World()
    mine = w.schedule(api, interviewer_id=str(w.acme.employee.id), scheduled_at=iso(future(24)))
    theirs = w.schedule(api, scheduled_at=iso(future(48)))  # no interviewer; candidate unassigned
    for path in (f"{URL}/{mine['id']}", f"{URL}/{mine['id']}/transcript"):
        assert api.get(path, headers=w.emp).status_code == 200
        r = api.get(path, headers=w.emp2)
        assert r.status_code == 404 and r.json()["error_code"] == "INTERVIEW_404"
        assert api.get(path, headers=w.cand).status_code == 403
        assert api.get(path, headers=w.g_hr).status_code == 404
        assert api.get(path).status_code == 401
    assert api.get(f"{URL}/{theirs['id']}", headers=w.emp).status_code == 404
    # An employee does not get the candidate's link.
    assert api.get(f"{URL}/{mine['id']}", headers=w.emp).json()["interview_link"] is None
    assert api.get(URL, headers=w.emp).json()["total"] == 1
    assert api.get(URL, headers=w.emp2).json()["total"] == 0
    # Assigning the candidate to the other employee lets them see both interviews.
    with session_scope() as s:
        s.get(Candidate, w.candidate.id).assigned_to = w.other_employee.id
    assert api.get(f"{URL}/{theirs['id']}/transcript", headers=w.emp2).status_code == 200
    assert api.get(URL, headers=w.emp2).json()["total"] == 2
    assert api.get(f"{URL}/not-a-uuid", headers=w.hr).status_code == 422


def test_transcript(api):
    w = World()
    iv = w.schedule(api, interviewer_id=str(w.acme.employee.id))
    empty = api.get(f"{URL}/{iv['id']}/transcript", headers=w.hr).json()
    assert empty == {"interview_id": iv["id"], "transcript": None, "started_at": None, "completed_at": None}
    admin = auth(make_admin())
    done = api.put(f"{URL}/{iv['id']}/complete", json={"transcript": "Q: hi\nA: hello"}, headers=admin)
    assert done.status_code == 200, done.text
    body = api.get(f"{URL}/{iv['id']}/transcript", headers=w.emp).json()
    assert body["transcript"] == "Q: hi\nA: hello" and body["completed_at"] and body["started_at"]


def test_dates_with_no_utc_time_are_422_in_filters(api):
    """The ends of the calendar in another zone have no UTC time; the list filters said 500 (found
    by the API fuzz run once it sent such dates)."""
    w = World()
    for path, param in (("/api/v1/interviews", "scheduled_from"), ("/api/v1/interviews", "scheduled_to"),
                        ("/api/v1/candidates", "created_from"), ("/api/v1/candidates", "created_to")):
        for value in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-12:00"):
            r = api.get(path, params={param: value}, headers=w.hr)
            assert r.status_code == 422, (path, param, value, r.text)
            assert r.json()["error_code"] == "VAL_001" and "years 1 to 9999" in r.json()["detail"]
    assert api.get(URL, params={"scheduled_from": "2026-01-01T00:00:00+14:00"}, headers=w.hr).status_code == 200
