"""The pipeline's transition table, change_status (people and the system) and its history."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.models import Candidate, CandidateStatus, CandidateStatusHistory
from interviewer.services import candidates as candidate_service
from interviewer.services import pipeline
from interviewer.services.authz import actor_for
from interviewer.services.candidate_schemas import CandidateCreate
from tests.factories import make_candidate, make_tenant

S = CandidateStatus


def _actor(user):
    with session_scope() as s:
        return actor_for(s, s.get(type(user), user.id))


def _history(cid):
    with session_scope() as s:
        return s.exec(select(CandidateStatusHistory).where(CandidateStatusHistory.candidate_id == cid)
                      .order_by(CandidateStatusHistory.created_at)).all()


def test_transition_table_covers_every_status():
    assert set(pipeline.TRANSITIONS) == set(S)
    assert pipeline.allowed_next(S.HIRED) == ()
    assert pipeline.allowed_next(S.REJECTED) == (S.NEW,) and pipeline.allowed_next(S.WITHDRAWN) == (S.NEW,)
    for status in set(S) - {S.HIRED, S.REJECTED, S.WITHDRAWN}:
        assert {S.REJECTED, S.WITHDRAWN} <= set(pipeline.allowed_next(status))
    assert pipeline.can_transition(S.OFFER, S.HIRED) and not pipeline.can_transition(S.NEW, S.HIRED)
    assert pipeline.can_transition(S.INTERVIEW_SCHEDULED, S.SCREENING)
    assert pipeline.can_transition(S.INTERVIEWED, S.INTERVIEW_SCHEDULED)


def test_invalid_transition_names_the_allowed_ones():
    with pytest.raises(E.ConflictError) as exc:
        pipeline.check_transition(S.SCREENING, S.OFFER)
    assert exc.value.code == "PIPE_409" and exc.value.status_code == 409
    assert exc.value.extra["allowed"] == ["interview_scheduled", "rejected", "withdrawn"]
    assert "interview_scheduled" in exc.value.message


def test_change_status_by_hr_writes_history():
    t = make_tenant()
    cid = make_candidate(t.company.id).id
    hr = _actor(t.hr)
    with session_scope() as s:
        cand = pipeline.change_status(s, hr, cid, "screening", "phone screen booked")
        assert cand.status == S.SCREENING
    [row] = _history(cid)
    assert (row.from_status, row.to_status, row.changed_by, row.note) == (S.NEW, S.SCREENING, t.hr.id,
                                                                           "phone screen booked")
    assert row.created_at is not None


def test_same_status_is_a_noop_and_invalid_changes_nothing():
    t = make_tenant()
    cid = make_candidate(t.company.id, status=S.SCREENING).id
    hr = _actor(t.hr)
    with session_scope() as s:
        pipeline.change_status(s, hr, cid, S.SCREENING)
    assert _history(cid) == []
    with pytest.raises(E.ConflictError), session_scope() as s:
        pipeline.change_status(s, hr, cid, S.HIRED)
    with session_scope() as s:
        assert s.get(Candidate, cid).status == S.SCREENING
    assert _history(cid) == []


def test_system_change_has_no_actor_and_skips_permission_checks():
    t = make_tenant()
    cid = make_candidate(t.company.id).id
    with session_scope() as s:
        pipeline.change_status(s, None, cid, S.INTERVIEW_SCHEDULED, "Interview scheduled")
        pipeline.change_status(s, None, cid, S.INTERVIEWED, "Interview completed")
    rows = _history(cid)
    assert [(r.from_status, r.to_status, r.changed_by) for r in rows] == [
        (S.NEW, S.INTERVIEW_SCHEDULED, None), (S.INTERVIEW_SCHEDULED, S.INTERVIEWED, None)]


def test_permission_and_tenant_checks():
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    cid = make_candidate(acme.company.id, assigned_to=acme.employee.id).id
    with pytest.raises(E.PermissionDeniedError), session_scope() as s:
        pipeline.change_status(s, _actor(acme.employee), cid, S.SCREENING)
    with pytest.raises(E.NotFoundError) as exc, session_scope() as s:
        pipeline.change_status(s, _actor(globex.hr), cid, S.SCREENING)
    assert exc.value.code == "CAND_404"
    with pytest.raises(E.NotFoundError), session_scope() as s:
        pipeline.change_status(s, None, uuid.uuid4(), S.SCREENING)


def test_creation_writes_the_initial_row_and_full_journey():
    t = make_tenant()
    hr = _actor(t.hr)
    with session_scope() as s:
        cand = candidate_service.create_candidate(s, hr, CandidateCreate(email="j@example.test", name="J"))
        cid = cand.id
    journey = [S.SCREENING, S.INTERVIEW_SCHEDULED, S.INTERVIEWED, S.OFFER, S.WITHDRAWN, S.NEW, S.REJECTED]
    for target in journey:
        with session_scope() as s:
            candidate_service.change_status(s, hr, cid, target)
    rows = _history(cid)
    assert [r.to_status for r in rows] == [S.NEW, *journey]
    assert rows[0].from_status is None and rows[0].note == "Created"
    assert all(a.to_status == b.from_status for a, b in zip(rows, rows[1:]))
    with session_scope() as s:
        assert [h.to_status for h in candidate_service.history(s, hr, cid)] == [S.NEW, *journey]


def test_the_suggested_move_is_always_forward_never_a_step_back_or_an_exit():
    from interviewer.services.pipeline import allowed_next, suggested_next

    order = list(CandidateStatus)
    for status in CandidateStatus:
        suggested = suggested_next(status)
        if suggested is None:
            assert status == CandidateStatus.HIRED
            continue
        assert suggested in allowed_next(status)
        assert suggested not in (CandidateStatus.REJECTED, CandidateStatus.WITHDRAWN)
        if status not in (CandidateStatus.REJECTED, CandidateStatus.WITHDRAWN):
            assert order.index(suggested) > order.index(status), status
    assert suggested_next(CandidateStatus.INTERVIEWED) == CandidateStatus.OFFER
