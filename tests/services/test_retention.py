"""Data retention: per-company periods, a purge that removes only what expired (keeping verdicts
and scores for aggregates), logged in the audit trail, run by a daily RQ job (PostgreSQL, Redis)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from interviewer.core.errors import PermissionDeniedError, ValidationError
from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.jobs.queue import DAILY_JOB_PREFIX, get_queue
from interviewer.models import (AuditLog, Candidate, IntegritySignal, Interview, InterviewScore, InterviewStatus,
                                ResumeCheck, TranscriptEntry, Verdict)
from interviewer.models.fit import JobFit
from interviewer.models.rights import AccommodationRequest, AccommodationStatus
from interviewer.services import job_fit, retention, storage
from tests import fit_fixtures as F
from tests.api.test_interviews_support import actor_of, make_job
from tests.factories import auth, make_candidate, make_tenant

POLICY = {"transcripts": 30, "audio_derived": 30, "reports": 90, "resumes": 60, "accommodations": 60}


def _interview(tenant, job, candidate, days_ago: int) -> Interview:
    done = utcnow() - timedelta(days=days_ago)
    with session_scope() as s:
        interview = Interview(company_id=tenant.company.id, candidate_id=candidate.id, job_template_id=job.id,
                              token=f"t-{days_ago}-{candidate.id.hex[:6]}", status=InterviewStatus.COMPLETED,
                              scheduled_at=done - timedelta(hours=1), expires_at=done + timedelta(days=1),
                              completed_at=done, verdict=Verdict.PASS, score=82,
                              ai_report={"questions": [{"evidence": "a quote"}]})
        s.add(interview)
        s.flush()
        s.add_all([
            TranscriptEntry(interview_id=interview.id, seq=0, kind="question", speaker="interviewer", text="Q?"),
            TranscriptEntry(interview_id=interview.id, seq=1, kind="answer", speaker="candidate",
                            text="My answer.", speech_ratio=0.7, confidence=0.9),
            IntegritySignal(interview_id=interview.id, kind="tab_switch", occurred_at=done),
            InterviewScore(interview_id=interview.id, company_id=tenant.company.id, version=1, score=82,
                           verdict=Verdict.PASS, provider="offline", model="offline", scorer_version="x",
                           report={"questions": []}),
        ])
        return interview


def test_policy_is_validated_and_company_scoped(api):
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    with session_scope() as s:
        assert retention.update_policy(s, actor_of(acme.hr), POLICY).transcripts == 30
    with session_scope() as s, pytest.raises(ValidationError, match="greater than or equal to 30"):
        retention.update_policy(s, actor_of(acme.hr), {"transcripts": 7})
    with session_scope() as s, pytest.raises(PermissionDeniedError):
        retention.update_policy(s, actor_of(acme.employee), POLICY)
    with session_scope() as s:  # another company's policy is untouched and unseen
        assert retention.get_policy(s, actor_of(globex.hr)).active is False
    r = api.put("/api/v1/retention", headers=auth(acme.hr), json={"transcripts": 5})
    assert r.status_code == 422 and r.json()["error_code"] == "RET_422"
    r = api.put("/api/v1/retention", headers=auth(globex.hr), json={"reports": 365},
                params={"company_id": str(acme.company.id)})
    assert r.status_code in (403, 404)
    assert api.get("/api/v1/retention", headers=auth(acme.hr)).json() == POLICY


def test_purge_removes_only_what_expired_and_keeps_verdicts(run_jobs):
    acme = make_tenant("Acme")
    job = make_job(acme.company.id)
    old_cand = make_candidate(acme.company.id, "old@example.test", name="Old One", job_template_id=job.id)
    new_cand = make_candidate(acme.company.id, "new@example.test", name="New One", job_template_id=job.id,
                              resume_text=F.PYTHON_RESUME)
    with session_scope() as s:
        candidate_service_attach(s, acme, old_cand)
    run_jobs()  # text extraction and job fit of the old resume
    old = _interview(acme, job, old_cand, days_ago=120)
    recent = _interview(acme, job, new_cand, days_ago=10)
    long_ago = utcnow() - timedelta(days=100)
    with session_scope() as s:  # accommodation requests: answered long ago, answered lately, open for long
        requests = [AccommodationRequest(company_id=acme.company.id, interview_id=interview.id,
                                         candidate_id=interview.candidate_id, kind="more_time",
                                         message="I have a condition that slows my typing.",
                                         status=status, answer=answer, answered_at=answered_at,
                                         created_at=utcnow() - timedelta(days=200))
                    for interview, status, answer, answered_at in (
                        (old, AccommodationStatus.ANSWERED, "Granted.", long_ago),
                        (recent, AccommodationStatus.ANSWERED, "Granted.", utcnow() - timedelta(days=10)),
                        (old, AccommodationStatus.OPEN, None, None))]
        s.add_all(requests)
        s.flush()
        old_request, kept_requests = requests[0].id, {r.id for r in requests[1:]}
    with session_scope() as s:
        s.execute(update(Candidate).where(Candidate.id == old_cand.id).values(updated_at=long_ago,
                                                                               created_at=long_ago))
        job_fit.refresh_job(s, job.id)
        retention.update_policy(s, actor_of(acme.hr), POLICY)
        resume_key = s.get(Candidate, old_cand.id).resume_url
    assert storage.exists(resume_key)

    with session_scope() as s:
        counts = retention.purge_company(s, acme.company.id)
    assert counts == {"transcripts": 2, "audio_derived": 1, "reports": 2, "resumes": 1, "accommodations": 1}
    with session_scope() as s:
        assert not s.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == old.id)).all()
        assert len(s.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == recent.id)).all()) == 2
        assert not s.exec(select(IntegritySignal).where(IntegritySignal.interview_id == old.id)).all()
        gone = s.get(Interview, old.id)
        assert gone.ai_report is None and gone.verdict == Verdict.PASS and gone.score == 82  # aggregates stay
        assert s.get(Interview, recent.id).ai_report is not None
        assert s.exec(select(InterviewScore).where(InterviewScore.interview_id == old.id)).one().report == \
            {"purged": True}
        cand = s.get(Candidate, old_cand.id)
        assert cand.resume_url is None and cand.resume_text is None
        assert s.get(Candidate, new_cand.id).resume_text == F.PYTHON_RESUME
        assert not s.exec(select(JobFit).where(JobFit.candidate_id == old_cand.id)).all()
        assert s.exec(select(JobFit).where(JobFit.candidate_id == new_cand.id)).all()
        left = {r.id for r in s.exec(select(AccommodationRequest).where(
            AccommodationRequest.company_id == acme.company.id))}
        assert old_request not in left and left == kept_requests  # the open one is still HR's task
        logged = s.exec(select(AuditLog).where(AuditLog.action == "retention.purged")).one()
        assert logged.details["counts"] == counts and logged.company_id == acme.company.id
    assert not storage.exists(resume_key)
    with session_scope() as s:  # nothing left to purge: nothing done, nothing logged again
        assert not any(retention.purge_company(s, acme.company.id).values())
        assert len(s.exec(select(AuditLog).where(AuditLog.action == "retention.purged")).all()) == 1


def test_the_daily_job_purges_every_company_and_schedules_the_next_run(run_jobs):
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    job = make_job(acme.company.id)
    cand = make_candidate(acme.company.id, "c@example.test", name="C One", job_template_id=job.id)
    old = _interview(acme, job, cand, days_ago=200)
    with session_scope() as s:
        retention.update_policy(s, actor_of(acme.hr), {"transcripts": 30})
    get_queue("default").enqueue("interviewer.jobs.tasks.purge_expired_data")
    run_jobs(("default",))
    with session_scope() as s:
        assert not s.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == old.id)).all()
    scheduled = get_queue("default").scheduled_job_registry.get_job_ids()
    assert DAILY_JOB_PREFIX + "purge_expired_data" in scheduled
    assert retention.companies_with_policy  # globex has no policy: untouched
    with session_scope() as s:
        assert retention.get_policy(s, actor_of(globex.hr)).active is False


def candidate_service_attach(session, tenant, cand) -> None:
    from interviewer.services import candidates as candidate_service

    candidate_service.attach_resume(session, actor_of(tenant.hr), cand.id, F.JAVA_RESUME.encode(), "resume.txt")
    session.flush()
    check = ResumeCheck(user_id=tenant.hr.id, candidate_id=cand.id, company_id=tenant.company.id,
                        filename="resume.txt", file_path="", result={"score": 70})
    session.add(check)


def test_a_purged_interview_says_so_and_cannot_be_scored_again(api):
    acme = make_tenant("Acme")
    job = make_job(acme.company.id)
    cand = make_candidate(acme.company.id, "p@example.test", name="P One", job_template_id=job.id)
    old = _interview(acme, job, cand, days_ago=400)
    with session_scope() as s:
        retention.update_policy(s, actor_of(acme.hr), {"transcripts": 30, "reports": 30})
        retention.purge_company(s, acme.company.id)
    report = api.get(f"/api/v1/interviews/{old.id}/report", headers=auth(acme.hr))
    assert report.status_code == 200 and report.json()["report_removed"] is True
    assert report.json()["verdict"] == "PASS" and report.json()["score"] == 82
    again = api.post(f"/api/v1/interviews/{old.id}/rescore", headers=auth(acme.hr), json={"reason": "key points fixed"})
    assert again.status_code == 409 and "no longer kept" in again.json()["detail"]
