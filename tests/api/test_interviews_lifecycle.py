"""The public link check, rescheduling, cancelling, completion and double-booking."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from sqlmodel import select

from interviewer.db import session_scope
from interviewer.models import Candidate, CandidateStatus, Interview
from interviewer.services.interviews import internal_token_for
from tests.api.test_interviews_support import World, future, iso, load_interview, outbox, token_of, update_interview
from tests.factories import auth, make_admin, make_candidate

URL = "/api/v1/interviews"
VALIDATE_KEYS = {"valid", "status", "reason", "job_title", "company_name", "candidate_first_name",
                 "scheduled_at", "expires_at", "duration_minutes"}


def _validate(api, token):
    return api.get(f"{URL}/validate/{token}")


def test_validate_a_valid_token_reveals_only_the_landing_page_fields(api):
    w = World()
    start = future(24)
    iv = w.schedule(api, scheduled_at=iso(start), duration_minutes=45, interviewer_id=str(w.acme.employee.id))
    r = _validate(api, token_of(iv))  # no Authorization header: public
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == VALIDATE_KEYS
    assert body == {"valid": True, "status": "scheduled", "reason": None, "job_title": "Backend Engineer",
                    "company_name": "Acme", "candidate_first_name": "Casey", "scheduled_at": iso(start),
                    "expires_at": iso(start + timedelta(days=7)), "duration_minutes": 45}
    assert "casey@example.test" not in r.text and str(w.candidate.id) not in r.text and iv["id"] not in r.text


def test_validate_expired_cancelled_completed_and_unknown(api):
    w = World()
    expired = w.schedule(api, scheduled_at=iso(future(1)))
    update_interview(expired["id"], expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
    body = _validate(api, token_of(expired)).json()
    assert set(body) == VALIDATE_KEYS and (body["valid"], body["reason"], body["status"]) == (False, "expired", "expired")

    cancelled = w.schedule(api, scheduled_at=iso(future(30)))
    assert api.put(f"{URL}/{cancelled['id']}/cancel", json={"reason": "Position filled"}, headers=w.hr).status_code == 200
    body = _validate(api, token_of(cancelled)).json()
    assert (body["valid"], body["reason"], body["status"]) == (False, "cancelled", "cancelled")

    completed = w.schedule(api, scheduled_at=iso(future(60)))
    r = api.put(f"{URL}/{completed['id']}/complete", headers={"X-Internal-Token": internal_token_for(completed["id"])})
    assert r.status_code == 200, r.text
    body = _validate(api, token_of(completed)).json()
    assert (body["valid"], body["reason"], body["status"]) == (False, "completed", "completed")

    unknown = _validate(api, "x" * 43)
    assert unknown.status_code == 404
    assert set(unknown.json()) == {"detail", "error_code", "timestamp", "valid", "reason"}
    assert unknown.json()["reason"] == "not_found" and unknown.json()["error_code"] == "INTERVIEW_TOKEN_404"
    assert _validate(api, "y" * 300).status_code == 422


def test_reschedule_rotates_the_token_and_sends_an_update(api):
    w = World()
    iv = w.schedule(api, scheduled_at=iso(future(24)))
    old_token = token_of(iv)
    new_start = future(50)
    r = api.put(f"{URL}/{iv['id']}/reschedule", json={"scheduled_at": iso(new_start), "duration_minutes": 60},
                headers=w.hr)
    assert r.status_code == 200, r.text
    moved = r.json()
    assert token_of(moved) != old_token and moved["duration_minutes"] == 60
    assert moved["scheduled_at"] == iso(new_start) and moved["expires_at"] == iso(new_start + timedelta(days=7))
    gone = _validate(api, old_token)
    assert gone.status_code == 404 and gone.json()["reason"] == "not_found"
    assert _validate(api, token_of(moved)).json()["valid"] is True

    [update] = outbox("interview_updated")
    ics = update.attachments[0]["content"]
    assert moved["interview_link"] in update.body_text and old_token not in update.body_text
    assert "SEQUENCE:1\r\n" in ics and "METHOD:REQUEST" in ics
    api.put(f"{URL}/{iv['id']}/reschedule", json={"scheduled_at": iso(future(70))}, headers=w.hr)
    assert "SEQUENCE:2\r\n" in outbox("interview_updated")[-1].attachments[0]["content"]
    first_uid = [line for line in outbox("interview_invitation")[0].attachments[0]["content"].split("\r\n")
                 if line.startswith("UID:")]
    assert first_uid and first_uid[0] in ics  # the same event, revised


def test_reschedule_errors(api):
    w = World()
    iv = w.schedule(api)
    assert api.put(f"{URL}/{iv['id']}/reschedule", json={"scheduled_at": iso(future()), "duration_minutes": 300},
                   headers=w.hr).status_code == 422
    assert api.put(f"{URL}/{iv['id']}/reschedule", json={"scheduled_at": iso(future(10)),
                                                         "expires_at": iso(future(9))}, headers=w.hr).status_code == 422
    assert api.put(f"{URL}/{iv['id']}/reschedule", json={"scheduled_at": iso(future())},
                   headers=w.emp).status_code == 403
    assert api.put(f"{URL}/{iv['id']}/reschedule", json={"scheduled_at": iso(future())},
                   headers=w.g_hr).status_code == 404
    assert api.put(f"{URL}/{uuid.uuid4()}/reschedule", json={"scheduled_at": iso(future())},
                   headers=w.hr).status_code == 404
    api.put(f"{URL}/{iv['id']}/cancel", headers=w.hr)
    r = api.put(f"{URL}/{iv['id']}/reschedule", json={"scheduled_at": iso(future())}, headers=w.hr)
    assert r.status_code == 409 and r.json()["error_code"] == "INTERVIEW_409"


def test_cancel_sends_a_cancel_ics_and_is_idempotent(api):
    w = World()
    iv = w.schedule(api)
    r = api.put(f"{URL}/{iv['id']}/cancel", json={"reason": "Role on hold"}, headers=w.hr)
    assert r.status_code == 200 and r.json()["status"] == "cancelled" and r.json()["cancelled_at"]
    [mail] = outbox("interview_cancelled")
    ics = mail.attachments[0]["content"]
    assert "METHOD:CANCEL\r\n" in ics and "STATUS:CANCELLED\r\n" in ics and "SEQUENCE:1\r\n" in ics
    assert "Role on hold" in mail.body_text
    again = api.put(f"{URL}/{iv['id']}/cancel", headers=w.hr)
    assert again.status_code == 200 and len(outbox("interview_cancelled")) == 1
    assert api.put(f"{URL}/{iv['id']}/cancel", headers=w.emp).status_code == 403
    assert api.put(f"{URL}/{iv['id']}/cancel", json={"reason": "r" * 1001}, headers=w.hr).status_code == 422


def test_complete_requires_the_system_and_is_idempotent(api):
    w = World()
    iv = w.schedule(api)
    url = f"{URL}/{iv['id']}/complete"
    assert api.put(url).status_code == 401
    assert api.put(url, headers=w.hr).status_code == 403
    assert api.put(url, headers={"X-Internal-Token": "0" * 64}).status_code == 403
    other = w.schedule(api, scheduled_at=iso(future(100)))
    assert api.put(url, headers={"X-Internal-Token": internal_token_for(other["id"])}).status_code == 403
    assert load_interview(iv["id"]).completed_at is None

    r = api.put(url, headers={"X-Internal-Token": internal_token_for(iv["id"])})
    assert r.status_code == 200 and r.json()["status"] == "completed"
    completed_at = r.json()["completed_at"]
    with session_scope() as s:  # another interview (`other`) is still open: the candidate waits
        assert s.get(Candidate, w.candidate.id).status == CandidateStatus.INTERVIEW_SCHEDULED
    admin = auth(make_admin())
    again = api.put(url, headers=admin)
    assert again.status_code == 200 and again.json()["completed_at"] == completed_at
    assert api.put(f"{URL}/{other['id']}/complete", headers=admin).status_code == 200
    with session_scope() as s:
        assert s.get(Candidate, w.candidate.id).status == CandidateStatus.INTERVIEWED
    assert api.put(f"{URL}/{uuid.uuid4()}/complete", headers=admin).status_code == 404
    cancelled = w.schedule(api, scheduled_at=iso(future(120)))
    api.put(f"{URL}/{cancelled['id']}/cancel", headers=w.hr)
    r = api.put(f"{URL}/{cancelled['id']}/complete", headers=admin)
    assert r.status_code == 409 and r.json()["error_code"] == "INTERVIEW_409"
    r = api.put(f"{URL}/{iv['id']}/cancel", headers=w.hr)
    assert r.status_code == 409


def test_double_booking_the_interviewer_is_refused(api):
    w = World()
    start = future(24)
    emp = str(w.acme.employee.id)
    first = w.schedule(api, scheduled_at=iso(start), duration_minutes=60, interviewer_id=emp)
    # other candidates, so that only the interviewer's time is in question
    others = iter(str(make_candidate(w.acme.company.id, f"c{i}@example.test", name=f"Cand {i}").id) for i in range(6))
    for offset in (0, 30, -29):
        r = api.post(URL, json=w.body(scheduled_at=iso(start + timedelta(minutes=offset)), interviewer_id=emp,
                                      candidate_id=next(others)), headers=w.hr)
        assert r.status_code == 409 and r.json()["error_code"] == "SCHED_409", offset
        assert r.json()["conflicting_interview_id"] == first["id"]
        assert r.json()["detail"].startswith(f"{w.acme.employee.name} already has an interview")
    # Back to back is fine, so is another interviewer or no interviewer at the same time.
    assert api.post(URL, json=w.body(scheduled_at=iso(start + timedelta(minutes=60)), interviewer_id=emp),
                    headers=w.hr).status_code == 201
    assert api.post(URL, json=w.body(scheduled_at=iso(start - timedelta(minutes=30)), interviewer_id=emp),
                    headers=w.hr).status_code == 201
    assert api.post(URL, json=w.body(scheduled_at=iso(start), interviewer_id=str(w.other_employee.id),
                                     candidate_id=next(others)), headers=w.hr).status_code == 201
    # Rescheduling within its own slot does not conflict with itself; onto another one does.
    assert api.put(f"{URL}/{first['id']}/reschedule", json={"scheduled_at": iso(start + timedelta(minutes=0))},
                   headers=w.hr).status_code == 200
    r = api.put(f"{URL}/{first['id']}/reschedule", json={"scheduled_at": iso(start + timedelta(minutes=75))},
                headers=w.hr)
    assert r.status_code == 409
    # A cancelled interview frees the time.
    api.put(f"{URL}/{first['id']}/cancel", headers=w.hr)
    assert api.post(URL, json=w.body(scheduled_at=iso(start + timedelta(minutes=10)), interviewer_id=emp),
                    headers=w.hr).status_code == 201


def test_a_candidate_is_never_booked_twice_at_once(api):
    """Sent twice (a double click, a retried request), the same booking is refused, and nothing is
    written or sent the second time; back to back, another candidate, or after cancelling is fine."""
    w = World()
    start = future(30)
    first = w.schedule(api, scheduled_at=iso(start), duration_minutes=45)
    sent = len(outbox())
    for offset in (0, 20, -29):  # the new one lasts 30 minutes
        r = api.post(URL, json=w.body(scheduled_at=iso(start + timedelta(minutes=offset))), headers=w.hr)
        assert r.status_code == 409 and r.json()["error_code"] == "SCHED_409", offset
        assert r.json()["conflicting_interview_id"] == first["id"]
        assert r.json()["detail"].startswith("Casey Jones already has an interview from ")
    assert len(outbox()) == sent  # no second invitation
    with session_scope() as s:
        assert len(s.exec(select(Interview).where(Interview.candidate_id == w.candidate.id)).all()) == 1
    other = str(make_candidate(w.acme.company.id, "other@example.test", name="Other One").id)
    assert api.post(URL, json=w.body(scheduled_at=iso(start), candidate_id=other), headers=w.hr).status_code == 201
    second = w.schedule(api, scheduled_at=iso(start + timedelta(minutes=45)))  # back to back
    # Rescheduling onto its own time is fine; onto the candidate's other interview is not.
    assert api.put(f"{URL}/{first['id']}/reschedule", json={"scheduled_at": iso(start - timedelta(minutes=5))},
                   headers=w.hr).status_code == 200
    r = api.put(f"{URL}/{second['id']}/reschedule", json={"scheduled_at": iso(start + timedelta(minutes=20))},
                headers=w.hr)
    assert r.status_code == 409 and r.json()["conflicting_interview_id"] == first["id"]
    api.put(f"{URL}/{first['id']}/cancel", headers=w.hr)
    assert api.put(f"{URL}/{second['id']}/reschedule", json={"scheduled_at": iso(start)},
                   headers=w.hr).status_code == 200


def test_an_interviewer_with_availability_is_booked_only_inside_it(api):
    w = World()
    day = future(48, minute=0).replace(hour=9)
    slot = api.post("/api/v1/availability", json={"starts_at": iso(day), "ends_at": iso(day + timedelta(hours=2))},
                    headers=w.emp)
    assert slot.status_code == 201, slot.text
    emp = str(w.acme.employee.id)
    inside = api.post(URL, json=w.body(scheduled_at=iso(day + timedelta(minutes=30)), interviewer_id=emp),
                      headers=w.hr)
    assert inside.status_code == 201
    for start in (day - timedelta(minutes=15), day + timedelta(minutes=100), day + timedelta(hours=5)):
        r = api.post(URL, json=w.body(scheduled_at=iso(start), interviewer_id=emp), headers=w.hr)
        assert r.status_code == 409 and r.json()["error_code"] == "SCHED_409"
        assert "not available" in r.json()["detail"]
