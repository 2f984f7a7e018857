"""A candidate's access and erasure rights: the export holds everything kept about them, across
companies; erasure removes the person (everywhere, files included), keeps verdicts and scores for
aggregates, closes the account and leaves an audit trail without their email."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from interviewer.core.errors import AuthenticationError, PermissionDeniedError, ValidationError
from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import (AuditLog, Candidate, EmailMessage, Interview, InterviewStatus, TranscriptEntry,
                                User, UserRole, Verdict)
from interviewer.services import candidate_rights, storage
from interviewer.services.auth import login
from interviewer.services.email import queue_email
from tests import fit_fixtures as F
from tests.api.test_interviews_support import actor_of, make_job
from tests.factories import PASSWORD, auth, make_candidate, make_tenant, make_user


def _world():
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    user = make_user(UserRole.CANDIDATE, None, "robin@example.test", name="Robin Rivera")
    job = make_job(acme.company.id, "Backend Engineer")
    mine = make_candidate(acme.company.id, "robin@example.test", name="Robin Rivera", user_id=user.id,
                          job_template_id=job.id, phone="+44 7700 900123")
    other = make_candidate(globex.company.id, "robin@example.test", name="Robin Rivera", user_id=user.id)
    stranger = make_candidate(acme.company.id, "sam@example.test", name="Sam Stranger")
    with session_scope() as s:
        from interviewer.services import candidates as candidate_service

        candidate_service.attach_resume(s, actor_of(acme.hr), mine.id, F.JAVA_RESUME.encode(), "resume.txt")
        done = utcnow() - timedelta(days=2)
        interview = Interview(company_id=acme.company.id, candidate_id=mine.id, job_template_id=job.id,
                              token="t-rights", status=InterviewStatus.COMPLETED, scheduled_at=done,
                              expires_at=done + timedelta(days=2), completed_at=done, verdict=Verdict.PASS, score=77,
                              ai_report={"questions": [{"answer": "I am Robin and I built the refunds service"}]})
        s.add(interview)
        s.flush()
        s.add(TranscriptEntry(interview_id=interview.id, seq=0, kind="answer", speaker="candidate",
                              text="I am Robin and I built the refunds service."))
        queue_email(s, to="robin@example.test", subject="Interview invitation", body_text="Hello Robin, ...",
                    kind="invitation", company_id=acme.company.id)
    return acme, globex, user, mine, other, stranger, interview


def test_export_holds_everything_kept_about_the_candidate(api):
    acme, _, user, mine, other, stranger, interview = _world()
    with session_scope() as s:
        data = candidate_rights.export_my_data(s, actor_of(user))
    assert data["account"]["email"] == "robin@example.test"
    assert sorted(a["company"] for a in data["applications"]) == ["Acme", "Globex"]
    acme_app = next(a for a in data["applications"] if a["company"] == "Acme")
    assert acme_app["phone"] == "+44 7700 900123" and acme_app["job"] == "Backend Engineer"
    assert acme_app["interviews"][0]["verdict"] == "PASS" and acme_app["interviews"][0]["score"] == 77
    assert acme_app["interviews"][0]["transcript"][0]["text"].startswith("I am Robin")
    assert [m["subject"] for m in data["emails"]] == ["Interview invitation"]
    assert "Sam Stranger" not in str(data)  # only their own records
    r = api.get("/api/v1/candidates/me/data", headers=auth(user))
    assert r.status_code == 200 and r.json()["account"]["email"] == "robin@example.test"
    assert api.get("/api/v1/candidates/me/data", headers=auth(acme.hr)).status_code == 403
    with session_scope() as s, pytest.raises(PermissionDeniedError):
        candidate_rights.export_my_data(s, actor_of(acme.hr))


def test_erasure_removes_the_person_and_keeps_the_aggregates(api, run_jobs):
    acme, _, user, mine, other, stranger, interview = _world()
    run_jobs()  # resume text extraction
    with session_scope() as s:
        resume_key = s.get(Candidate, mine.id).resume_url
    assert storage.exists(resume_key)
    with session_scope() as s, pytest.raises(ValidationError, match="email address"):
        candidate_rights.erase_me(s, actor_of(user), confirm_email="wrong@example.test")
    headers = auth(user)
    r = api.post("/api/v1/candidates/me/erase", headers=headers, json={"confirm_email": "robin@example.test"})
    assert r.status_code == 200, r.text
    counts = r.json()
    assert counts["applications"] == 2 and counts["interviews"] == 1 and counts["transcript_entries"] == 1
    with session_scope() as s:
        for cid in (mine.id, other.id):
            cand = s.get(Candidate, cid)
            assert cand.name == "Erased candidate" and "robin" not in cand.email and cand.phone is None
            assert cand.resume_text is None and cand.resume_url is None and cand.user_id is None
        kept = s.get(Interview, interview.id)
        assert kept.verdict == Verdict.PASS and kept.score == 77 and kept.ai_report is None  # aggregates stay
        assert not s.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == interview.id)).all()
        assert s.get(Candidate, stranger.id).name == "Sam Stranger"  # nobody else is touched
        mail = s.exec(select(EmailMessage).where(EmailMessage.kind == "invitation")).one()
        assert mail.to_address != "robin@example.test" and mail.body_text == "[erased]"
        account = s.get(User, user.id)
        assert not account.is_active and "robin" not in account.email
        rows = s.exec(select(AuditLog)).all()
        assert not [r for r in rows if "robin@example.test" in str(r.details)]
        assert any(r.action == "candidate.erased" and r.company_id == acme.company.id for r in rows)
    assert not storage.exists(resume_key)
    with session_scope() as s, pytest.raises(AuthenticationError):
        login(s, email="robin@example.test", password=PASSWORD)
    assert api.get("/api/v1/candidates/me/data", headers=headers).status_code == 401  # the session ended too
