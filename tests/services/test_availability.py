"""Employee availability: interval maths, the service, and the /availability endpoints."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from threading import Barrier

import pytest
from sqlmodel import select

from interviewer.core.errors import ConflictError, ValidationError
from interviewer.db import session_scope
from interviewer.models import Interview
from interviewer.services import availability as svc
from interviewer.services.interviews import InterviewCreate, schedule_interview
from tests.api.test_interviews_support import World, actor_of, future, iso
from tests.factories import make_candidate

AV = "/api/v1/availability"
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_merge_and_subtract():
    assert svc.merge([(h(2), h(3)), (h(0), h(1)), (h(1), h(1.5)), (h(2.5), h(4))]) == [(h(0), h(1.5)), (h(2), h(4))]
    assert svc.subtract([(h(0), h(4))], []) == [(h(0), h(4))]
    assert svc.subtract([(h(0), h(4))], [(h(1), h(2)), (h(3), h(5))]) == [(h(0), h(1)), (h(2), h(3))]
    assert svc.subtract([(h(0), h(1)), (h(2), h(3))], [(h(-1), h(10))]) == []
    assert svc.subtract([(h(0), h(2))], [(h(0), h(1)), (h(0.5), h(1.5))]) == [(h(1.5), h(2))]
    assert svc.subtract([(h(0), h(1))], [(h(1), h(2))]) == [(h(0), h(1))]  # half-open: touching is free


def test_free_slots_subtract_scheduled_but_not_cancelled_interviews(api):
    w = World()
    day = future(72).replace(hour=9, minute=0)
    emp_actor = actor_of(w.acme.employee)
    for start, end in ((day, day + timedelta(hours=3)), (day + timedelta(hours=5), day + timedelta(hours=6))):
        with session_scope() as s:
            svc.add_slot(s, emp_actor, svc.SlotCreate(starts_at=start, ends_at=end))
    emp = str(w.acme.employee.id)
    busy = w.schedule(api, scheduled_at=iso(day + timedelta(minutes=60)), duration_minutes=45, interviewer_id=emp)
    gone = w.schedule(api, scheduled_at=iso(day + timedelta(hours=5)), duration_minutes=30, interviewer_id=emp)
    api.put(f"/api/v1/interviews/{gone['id']}/cancel", headers=w.hr)

    params = {"user_id": emp, "from": iso(day - timedelta(hours=1)), "to": iso(day + timedelta(hours=8)),
              "duration_minutes": 30}
    r = api.get(f"{AV}/free-slots", params=params, headers=w.hr)
    assert r.status_code == 200, r.text
    assert [(s["starts_at"], s["ends_at"]) for s in r.json()] == [
        (iso(day), iso(day + timedelta(minutes=60))),
        (iso(day + timedelta(minutes=105)), iso(day + timedelta(hours=3))),
        (iso(day + timedelta(hours=5)), iso(day + timedelta(hours=6))),
    ]
    # A longer meeting only fits the longer gaps; the range clips slots.
    longer = api.get(f"{AV}/free-slots", params={**params, "duration_minutes": 70}, headers=w.hr).json()
    assert [s["starts_at"] for s in longer] == [iso(day + timedelta(minutes=105))]
    clipped = api.get(f"{AV}/free-slots", params={**params, "from": iso(day + timedelta(minutes=30)),
                                                  "to": iso(day + timedelta(minutes=90))}, headers=w.hr).json()
    assert clipped == [{"starts_at": iso(day + timedelta(minutes=30)), "ends_at": iso(day + timedelta(minutes=60))}]
    # The employee asks about themself without user_id.
    own = api.get(f"{AV}/free-slots", params={k: v for k, v in params.items() if k != "user_id"}, headers=w.emp)
    assert own.status_code == 200 and len(own.json()) == 3
    assert busy["interviewer_id"] == emp


def test_free_slots_input_checks(api):
    w = World()
    base = {"from": iso(future(24)), "to": iso(future(20))}
    assert api.get(f"{AV}/free-slots", params=base, headers=w.emp).status_code == 422
    assert api.get(f"{AV}/free-slots", params={"from": iso(future(1)), "to": iso(future(24 * 70))},
                   headers=w.emp).status_code == 422
    assert api.get(f"{AV}/free-slots", params={"from": iso(future(1)), "to": iso(future(5)), "duration_minutes": 1},
                   headers=w.emp).status_code == 422
    assert api.get(f"{AV}/free-slots", params={"to": iso(future(5))}, headers=w.emp).status_code == 422


def test_slot_permissions_and_tenancy(api):
    w = World()
    start, end = future(30), future(32)
    body = {"starts_at": iso(start), "ends_at": iso(end)}
    own = api.post(AV, json=body, headers=w.emp)
    assert own.status_code == 201 and own.json()["user_id"] == str(w.acme.employee.id)
    # Employees manage only their own; HR manages anyone in the company.
    r = api.post(AV, json={**body, "user_id": str(w.other_employee.id)}, headers=w.emp)
    assert r.status_code == 403
    by_hr = api.post(AV, json={**body, "user_id": str(w.other_employee.id)}, headers=w.hr)
    assert by_hr.status_code == 201
    assert api.post(AV, json={**body, "user_id": str(w.globex.employee.id)}, headers=w.hr).status_code == 404
    assert api.get(AV, params={"user_id": str(w.other_employee.id)}, headers=w.emp).status_code == 403
    assert [s["id"] for s in api.get(AV, params={"user_id": str(w.other_employee.id)}, headers=w.hr).json()] == [
        by_hr.json()["id"]]
    assert [s["id"] for s in api.get(AV, headers=w.emp).json()] == [own.json()["id"]]
    # Candidates have no availability; no token is 401.
    assert api.get(AV, headers=w.cand).status_code == 403
    assert api.post(AV, json=body).status_code == 401
    # Deleting: someone else's slot is 404 for an employee and for another company.
    assert api.delete(f"{AV}/{by_hr.json()['id']}", headers=w.emp).status_code == 404
    assert api.delete(f"{AV}/{own.json()['id']}", headers=w.g_hr).status_code == 404
    assert api.delete(f"{AV}/{uuid.uuid4()}", headers=w.emp).status_code == 404
    assert api.delete(f"{AV}/{own.json()['id']}", headers=w.emp).status_code == 204
    assert api.delete(f"{AV}/{by_hr.json()['id']}", headers=w.hr).status_code == 204
    assert api.get(AV, headers=w.emp).json() == []


def test_slot_validation_and_overlap(api):
    w = World()
    start = future(30)
    ok = {"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=2))}
    assert api.post(AV, json=ok, headers=w.emp).status_code == 201
    r = api.post(AV, json={"starts_at": iso(start + timedelta(hours=1)), "ends_at": iso(start + timedelta(hours=3))},
                 headers=w.emp)
    assert r.status_code == 409 and r.json()["error_code"] == "AVAIL_409"
    adjacent = {"starts_at": iso(start + timedelta(hours=2)), "ends_at": iso(start + timedelta(hours=3))}
    assert api.post(AV, json=adjacent, headers=w.emp).status_code == 201
    for body in ({"starts_at": iso(start), "ends_at": iso(start)},
                 {"starts_at": iso(start), "ends_at": iso(start - timedelta(hours=1))},
                 {"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=25))},
                 {"starts_at": iso(future(-5)), "ends_at": iso(future(-4))},
                 {"starts_at": "soon", "ends_at": iso(start)},
                 {"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=1)), "user_id": "nope"}):
        assert api.post(AV, json=body, headers=w.emp).status_code == 422, body
    # Adjacent slots join: an interview across their boundary is accepted.
    emp = str(w.acme.employee.id)
    across = w.schedule(api, scheduled_at=iso(start + timedelta(minutes=100)), duration_minutes=40, interviewer_id=emp)
    assert across["interviewer_id"] == emp
    listed = api.get(AV, params={"from": iso(start + timedelta(minutes=150)), "to": iso(start + timedelta(hours=4))},
                     headers=w.emp).json()
    assert [s["starts_at"] for s in listed] == [adjacent["starts_at"]]


def test_service_rejects_a_range_that_ends_before_it_starts():
    w = World()
    with session_scope() as s, pytest.raises(ValidationError):
        svc.free_slots(s, actor_of(w.acme.employee), user_id=None, start=future(5), end=future(4))


def _race(w: World, bookings: list[InterviewCreate]) -> list[str]:
    """Both bookings at once, each in its own transaction: "ok" or the conflict's code, sorted."""
    hr = actor_of(w.acme.hr)
    barrier = Barrier(len(bookings))

    def book(data: InterviewCreate) -> str:
        barrier.wait()
        try:
            with session_scope() as s:
                schedule_interview(s, hr, data)
            return "ok"
        except ConflictError as exc:
            return exc.code

    with ThreadPoolExecutor(len(bookings)) as pool:
        return sorted(pool.map(book, bookings))


def test_concurrent_bookings_of_one_interviewer_cannot_both_succeed():
    """Two schedulers race for the same person and time: the interviewer row lock lets one win."""
    w = World()
    start = future(40)
    candidates = [w.candidate.id, make_candidate(w.acme.company.id, "other@example.test", name="Other One").id]
    assert _race(w, [InterviewCreate(candidate_id=c, job_template_id=w.job.id, interviewer_id=w.acme.employee.id,
                                     scheduled_at=start) for c in candidates]) == ["SCHED_409", "ok"]


def test_a_form_sent_twice_at_once_books_the_candidate_once():
    """A double click or a retried POST: two bookings of one candidate race (no interviewer, so no
    interviewer lock): the candidate row lock lets one win."""
    w = World()
    data = InterviewCreate(candidate_id=w.candidate.id, job_template_id=w.job.id, scheduled_at=future(40))
    assert _race(w, [data, data]) == ["SCHED_409", "ok"]
    with session_scope() as s:
        assert len(s.exec(select(Interview).where(Interview.candidate_id == w.candidate.id)).all()) == 1
