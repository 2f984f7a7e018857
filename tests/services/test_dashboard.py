"""The dashboard's read models (issue 13, items 9 and 5): finished interviews awaiting a human
decision (scoped like the interview list), recent activity with batches folded into one row, and
cards only for pages the actor can open."""

from __future__ import annotations

import uuid
from datetime import timedelta

from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import (
    Candidate,
    CandidateStatus,
    CandidateStatusHistory,
    Interview,
    InterviewStatus,
    User,
    Verdict,
)
from interviewer.services import dashboard
from interviewer.services.authz import actor_for
from interviewer.services.imports_run import IMPORT_NOTE
from tests.factories import make_candidate, make_tenant


def _actor(s, user):
    return actor_for(s, s.get(User, user.id))


def _finished(company_id, candidate_id, verdict: Verdict, *, minutes_ago: int, interviewer_id=None, **kw) -> uuid.UUID:
    with session_scope() as s:
        done = utcnow() - timedelta(minutes=minutes_ago)
        interview = Interview(company_id=company_id, candidate_id=candidate_id, token=uuid.uuid4().hex,
                              status=InterviewStatus.COMPLETED, scheduled_at=done - timedelta(minutes=40),
                              started_at=done - timedelta(minutes=20), completed_at=done, verdict=verdict, score=60,
                              scoring_status="completed", interviewer_id=interviewer_id, **kw)
        s.add(interview)
        s.flush()
        return interview.id


def test_awaiting_review_lists_undecided_interviews_review_first_and_respects_scope():
    acme, other = make_tenant("Acme"), make_tenant("Globex")
    c = {n: make_candidate(acme.company.id, f"{n}@example.test", name=n.title(),
                           status=CandidateStatus.INTERVIEWED) for n in ("ann", "bob", "cat", "dan", "eve")}
    old_pass = _finished(acme.company.id, c["ann"].id, Verdict.PASS, minutes_ago=300)
    review = _finished(acme.company.id, c["bob"].id, Verdict.REVIEW, minutes_ago=10,
                       interviewer_id=acme.employee.id)
    _finished(acme.company.id, c["cat"].id, Verdict.FAIL, minutes_ago=20, verdict_override=Verdict.REVIEW,
              override_reason="panel", overridden_at=utcnow())  # a person decided: overridden
    with session_scope() as s:
        s.get(Candidate, c["dan"].id).status = CandidateStatus.OFFER
    _finished(acme.company.id, c["dan"].id, Verdict.PASS, minutes_ago=30)  # decided: moved on to an offer
    with session_scope() as s:  # not scored yet: nothing to decide on
        s.add(Interview(company_id=acme.company.id, candidate_id=c["eve"].id, token=uuid.uuid4().hex,
                        status=InterviewStatus.COMPLETED, scheduled_at=utcnow(), scoring_status="running"))
    foreign = make_candidate(other.company.id, "zed@example.test", name="Zed", status=CandidateStatus.INTERVIEWED)
    _finished(other.company.id, foreign.id, Verdict.REVIEW, minutes_ago=5)

    with session_scope() as s:
        hr = _actor(s, acme.hr)
        rows = dashboard.awaiting_review(s, hr)
        assert [r["id"] for r in rows] == [str(review), str(old_pass)]  # REVIEW first, then the longest waiting
        assert dashboard.summary(s, hr).awaiting_review == 2
        employee = _actor(s, acme.employee)  # only the interview they ran
        assert [r["id"] for r in dashboard.awaiting_review(s, employee)] == [str(review)]
        assert dashboard.summary(s, employee).awaiting_review == 1


def test_an_import_is_one_activity_row_and_separate_moves_stay_apart():
    tenant = make_tenant("Acme")
    now = utcnow()
    with session_scope() as s:
        for i in range(50):
            cand = Candidate(company_id=tenant.company.id, email=f"i{i}@example.test", name=f"Imported {i}")
            s.add(cand)
            s.flush()
            s.add(CandidateStatusHistory(candidate_id=cand.id, to_status=CandidateStatus.NEW, note=IMPORT_NOTE,
                                         created_at=now - timedelta(minutes=30)))
        moved = Candidate(company_id=tenant.company.id, email="m@example.test", name="Morgan",
                          status=CandidateStatus.SCREENING)
        s.add(moved)
        s.flush()
        s.add(CandidateStatusHistory(candidate_id=moved.id, from_status=CandidateStatus.NEW,
                                     to_status=CandidateStatus.SCREENING, changed_by=tenant.hr.id, created_at=now))
        # the same move an hour earlier is a separate event, not part of a batch
        s.add(CandidateStatusHistory(candidate_id=moved.id, from_status=CandidateStatus.NEW,
                                     to_status=CandidateStatus.SCREENING, changed_by=tenant.hr.id,
                                     created_at=now - timedelta(hours=1)))
    with session_scope() as s:
        rows = dashboard.recent_activity(s, _actor(s, tenant.hr))
    assert [(r["count"], r["import_batch"], r["to_status"]) for r in rows] == [
        (1, False, "screening"), (50, True, "new"), (1, False, "screening")]
    assert rows[0]["candidate_name"] == "Morgan" and rows[0]["by"] == "Acme HR"


def test_employees_get_no_cards_for_pages_they_cannot_open():
    tenant = make_tenant("Acme")
    with session_scope() as s:
        employee = dashboard.summary(s, _actor(s, tenant.employee))
        hr = dashboard.summary(s, _actor(s, tenant.hr))
    assert employee.users_total is None and employee.jobs_total is None
    assert employee.interviews_upcoming == 0 and employee.awaiting_review == 0
    assert hr.users_total == 2 and hr.jobs_total == 0
