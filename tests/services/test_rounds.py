"""Interview rounds: an ordered plan, one round at a time, kept in step with its interview."""

from __future__ import annotations

import uuid

import pytest

from interviewer.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from interviewer.db import session_scope
from interviewer.models import Candidate, RoundStatus
from interviewer.services import interviews as interview_service
from interviewer.services import rounds as svc
from interviewer.services.interviews import internal_token_for
from tests.api.test_interviews_support import World, actor_of, future, iso, make_job, outbox
from tests.factories import make_candidate


def _plan(w, *types, candidate_id=None, job_id=None):
    specs = [svc.RoundSpec(round_type=t, job_template_id=job_id) for t in types]
    with session_scope() as s:
        return svc.plan_rounds(s, actor_of(w.acme.hr), candidate_id or w.candidate.id, svc.RoundPlan(rounds=specs))


def _schedule(w, round_id, hours=24, **kw):
    """The round as HR reads it (RoundPublic: the link is derived from the round's interview)."""
    hr = actor_of(w.acme.hr)
    with session_scope() as s:
        return svc.round_public(svc.schedule_round(s, hr, w.candidate.id, round_id,
                                                   svc.RoundSchedule(scheduled_at=future(hours), **kw)), hr)


def _complete(interview_id):
    with session_scope() as s:
        interview_service.complete_interview(s, interview_id, internal_token=internal_token_for(interview_id))


def test_plan_is_numbered_and_appended():
    w = World()
    rounds = _plan(w, "technical", "System_Design", "culture-fit")
    assert [(r.round_number, r.round_type, r.status) for r in rounds] == [
        (1, "technical", RoundStatus.PENDING), (2, "system_design", RoundStatus.PENDING),
        (3, "culture-fit", RoundStatus.PENDING)]
    assert all(r.job_template_id == w.job.id for r in rounds)  # the candidate's job by default
    other = make_job(w.acme.company.id, "Platform")
    more = _plan(w, "final", job_id=other.id)
    assert [r.round_number for r in more] == [1, 2, 3, 4] and more[-1].job_template_id == other.id
    with pytest.raises(NotFoundError):
        _plan(w, "hr", job_id=w.g_job.id)
    with pytest.raises(ConflictError):
        _plan(w, *["hr"] * 7)  # 4 + 7 > 10


def test_round_types_are_short_slugs():
    for bad in ("", "x", "has space", "1abc", "a" * 51, "drop;table"):
        with pytest.raises(Exception):
            svc.RoundSpec(round_type=bad)
    assert svc.RoundSpec(round_type=" HR ").round_type == "hr"


def test_rounds_are_scheduled_in_order_and_follow_their_interview():
    w = World()
    first, second, third = _plan(w, "technical", "hr", "final")
    with pytest.raises(ConflictError) as exc:
        _schedule(w, second.id)
    assert exc.value.code == "ROUND_409" and "Round 1" in exc.value.message

    scheduled = _schedule(w, first.id, interviewer_id=w.acme.employee.id)
    assert scheduled.status == RoundStatus.SCHEDULED and scheduled.interview_id
    assert scheduled.interview_link.startswith("http://testserver/interview/")
    assert len(outbox("interview_invitation")) == 1
    with pytest.raises(ConflictError):
        _schedule(w, first.id)  # already scheduled
    with pytest.raises(ConflictError):
        _schedule(w, second.id)  # round 1 not completed yet

    _complete(scheduled.interview_id)
    with session_scope() as s:
        rounds = svc.list_rounds(s, actor_of(w.acme.hr), w.candidate.id)
    assert [r.status for r in rounds] == [RoundStatus.COMPLETED, RoundStatus.PENDING, RoundStatus.PENDING]

    second_scheduled = _schedule(w, second.id, hours=48)
    assert second_scheduled.status == RoundStatus.SCHEDULED
    with pytest.raises(ConflictError):
        _schedule(w, third.id)

    # Rescheduling the interview moves the round; cancelling sends the round back to pending.
    hr = actor_of(w.acme.hr)
    with session_scope() as s:
        moved = interview_service.reschedule_interview(
            s, hr, second_scheduled.interview_id, interview_service.InterviewReschedule(scheduled_at=future(72)))
    with session_scope() as s:
        rnd = svc.round_public(svc.list_rounds(s, hr, w.candidate.id)[1], hr)
    assert rnd.scheduled_at == moved.scheduled_at and rnd.interview_link == interview_service.link_of(moved)
    with session_scope() as s:
        interview_service.cancel_interview(s, hr, second_scheduled.interview_id)
    with session_scope() as s:
        rnd = svc.round_public(svc.list_rounds(s, hr, w.candidate.id)[1], hr)
    assert (rnd.status, rnd.interview_id, rnd.interview_link) == (RoundStatus.PENDING, None, None)
    again = _schedule(w, second.id, hours=96)
    assert again.status == RoundStatus.SCHEDULED


def test_round_without_a_job_cannot_be_scheduled():
    w = World()
    loose = make_candidate(w.acme.company.id, "loose@example.test", name="Lou Loose")
    [rnd] = _plan(w, "technical", candidate_id=loose.id)
    assert rnd.job_template_id is None
    with session_scope() as s, pytest.raises(ValidationError):
        svc.schedule_round(s, actor_of(w.acme.hr), loose.id, rnd.id, svc.RoundSchedule(scheduled_at=future()))


def test_round_permissions_and_tenancy():
    w = World()
    [rnd] = _plan(w, "technical")
    with session_scope() as s, pytest.raises(PermissionDeniedError):
        svc.plan_rounds(s, actor_of(w.acme.employee), w.candidate.id,
                        svc.RoundPlan(rounds=[svc.RoundSpec(round_type="hr")]))
    with session_scope() as s, pytest.raises(NotFoundError):
        svc.list_rounds(s, actor_of(w.acme.employee), w.candidate.id)  # not assigned to them
    with session_scope() as s, pytest.raises(NotFoundError):
        svc.list_rounds(s, actor_of(w.globex.hr), w.candidate.id)
    with session_scope() as s, pytest.raises(NotFoundError):
        svc.schedule_round(s, actor_of(w.acme.hr), w.candidate.id, uuid.uuid4(),
                           svc.RoundSchedule(scheduled_at=future()))
    with session_scope() as s, pytest.raises(PermissionDeniedError):
        svc.list_rounds(s, actor_of(w.candidate_user), w.candidate.id)
    assert rnd.round_number == 1


def test_rounds_api(api):
    w = World()
    url = f"/api/v1/candidates/{w.candidate.id}/rounds"
    r = api.post(url, json={"rounds": [{"round_type": "technical"}, {"round_type": "hr"}]}, headers=w.hr)
    assert r.status_code == 201, r.text
    first, second = r.json()
    assert (first["round_number"], second["round_number"]) == (1, 2)
    for bad in ({"rounds": []}, {"rounds": [{"round_type": "no spaces please"}]}, {"rounds": [{}]},
                {"rounds": [{"round_type": "hr"}] * 11}, {"rounds": [{"round_type": "hr", "x": 1}]}):
        assert api.post(url, json=bad, headers=w.hr).status_code == 422, bad
    blocked = api.post(f"{url}/{second['id']}/schedule", json={"scheduled_at": iso(future())}, headers=w.hr)
    assert blocked.status_code == 409 and blocked.json()["error_code"] == "ROUND_409"
    ok = api.post(f"{url}/{first['id']}/schedule", json={"scheduled_at": iso(future()), "duration_minutes": 45},
                  headers=w.hr)
    assert ok.status_code == 200 and ok.json()["status"] == "scheduled" and ok.json()["interview_link"]
    interview = api.get(f"/api/v1/interviews/{ok.json()['interview_id']}", headers=w.hr).json()
    assert interview["duration_minutes"] == 45 and interview["interview_link"] == ok.json()["interview_link"]
    assert api.post(f"{url}/{first['id']}/schedule", json={"scheduled_at": iso(future()), "duration_minutes": 300},
                    headers=w.hr).status_code == 422
    assert api.put(f"/api/v1/interviews/{interview['id']}/complete",
                   headers={"X-Internal-Token": internal_token_for(interview["id"])}).status_code == 200
    assert [x["status"] for x in api.get(url, headers=w.hr).json()] == ["completed", "pending"]
    # Tenancy, roles, and the link hidden from a (now assigned) employee.
    assert api.get(f"/api/v1/candidates/{w.candidate.id}/rounds", headers=w.g_hr).status_code == 404
    assert api.post(url, json={"rounds": [{"round_type": "hr"}]}, headers=w.emp).status_code == 403
    assert api.get(url, headers=w.cand).status_code == 403
    assert api.get(url).status_code == 401
    with session_scope() as s:
        s.get(Candidate, w.candidate.id).assigned_to = w.acme.employee.id
    seen = api.get(url, headers=w.emp).json()
    assert seen[0]["interview_id"] and all(x["interview_link"] is None for x in seen)
    assert api.get(f"/api/v1/candidates/{w.g_candidate.id}/rounds", headers=w.hr).status_code == 404
    assert api.get("/api/v1/candidates/not-a-uuid/rounds", headers=w.hr).status_code == 422
