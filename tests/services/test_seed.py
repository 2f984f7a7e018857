"""The demo data: idempotent, and what it shows is real - the candidate listed as "interview
scheduled" has an interview, scheduled through the service, whose invitation link works."""

from __future__ import annotations

import re

from sqlmodel import select

from interviewer.core.security import utcnow, verify_password
from interviewer.db import session_scope
from interviewer.models import Candidate, CandidateStatus, EmailMessage, Interview, InterviewStatus, User
from interviewer.seed import DEMO_PASSWORD, seed_demo
from interviewer.services import interviews


def test_demo_seed_is_idempotent_and_its_scheduled_interview_is_real():
    first = seed_demo()
    assert first == {"companies": 2, "users": 6, "candidates": 9, "jobs": 2}
    assert seed_demo() == {"companies": 0, "users": 0, "candidates": 0, "jobs": 0}

    with session_scope() as s:
        jonas = s.exec(select(Candidate).where(Candidate.email == "jonas.weber@example.test")).one()
        assert jonas.status == CandidateStatus.INTERVIEW_SCHEDULED
        scheduled = s.exec(select(Interview).where(Interview.candidate_id == jonas.id)).all()
        assert len(scheduled) == 1  # the second run scheduled nothing more
        interview = scheduled[0]
        assert interview.status == InterviewStatus.SCHEDULED and interview.scheduled_at > utcnow()
        # every candidate shown in that stage has an interview (no status without one)
        in_stage = s.exec(select(Candidate).where(Candidate.status == CandidateStatus.INTERVIEW_SCHEDULED)).all()
        assert all(s.exec(select(Interview).where(Interview.candidate_id == c.id)).first() for c in in_stage)
        mails = s.exec(select(EmailMessage).where(EmailMessage.to_address == jonas.email)).all()
        assert len(mails) == 1
        token = re.search(r"/interview/([A-Za-z0-9_\-]+)", mails[0].body_text).group(1)
        assert interviews.validate_token(s, token)["valid"] is True  # the mailed link opens the interview
        hr = s.exec(select(User).where(User.email == "hr@acme.test")).one()
        assert verify_password(DEMO_PASSWORD, hr.password_hash)


def test_the_demo_jobs_rank_their_candidates_by_fit_from_real_resume_uploads(run_jobs):
    """The demo's resumes go through the upload path (stored file, extraction job, fit job), so the
    job page's "Candidates by fit" is ranked by the matcher, not by anything the seed wrote."""
    from interviewer.models import JobTemplate
    from interviewer.services import job_fit
    from interviewer.services.authz import actor_for

    seed_demo()
    run_jobs()
    with session_scope() as s:
        hr = s.exec(select(User).where(User.email == "hr@acme.test")).one()
        job = s.exec(select(JobTemplate).where(JobTemplate.company_id == hr.company_id)).one()
        ranking = job_fit.rank_for_job(s, actor_for(s, hr), job.id)
        names = [item["name"] for item in ranking["items"]]
        assert ranking["pending"] == 0
        with_resume = [c for c in s.exec(select(Candidate).where(Candidate.company_id == hr.company_id)).all()
                       if c.resume_text]
        assert len(with_resume) == 5 and all(c.resume_url for c in with_resume)  # stored files, extracted text
    # the Python backend engineer first; the frontend developer below both Python developers;
    # the candidate account without a resume last
    assert names[0] == "Maria Lopez" and names[-1] == "Casey Morgan"
    assert names.index("Tom Becker") > names.index("Jonas Weber")
    scores = {item["name"]: item["fit"]["score"] for item in ranking["items"] if item.get("fit")}
    assert scores["Maria Lopez"] > scores["Tom Becker"]


def test_the_demo_has_a_taken_interview_that_the_worker_scores(run_jobs):
    """Noah Schmidt's interview is taken through the live-interview service (typed answers,
    follow-ups included) and scored by the worker's real job: the report's judgements come from
    the scorer, with the confident mistake in his index answer marked as a contradiction."""
    seed_demo()
    with session_scope() as s:
        noah = s.exec(select(Candidate).where(Candidate.email == "noah.schmidt@example.test")).one()
        interview = s.exec(select(Interview).where(Interview.candidate_id == noah.id)).one()
        assert interview.status == InterviewStatus.COMPLETED and interview.verdict is None  # not scored yet
        assert noah.status == CandidateStatus.INTERVIEWED
        interview_id = interview.id
    run_jobs()
    assert seed_demo()["candidates"] == 0  # a second run takes no second interview
    from interviewer.services.scoring import report_public
    with session_scope() as s:
        interview = s.get(Interview, interview_id)
        report = report_public(s, interview)
        assert len(s.exec(select(Interview).where(Interview.candidate_id == interview.candidate_id)).all()) == 1
    assert report["scoring_status"] == "completed" and report["verdict"] in {"PASS", "REVIEW", "FAIL"}
    answers = [e for e in report["transcript"] if e["kind"] == "answer"]
    assert {e["source"] for e in answers} == {"typed"} and len({e["question_index"] for e in answers}) == 3
    questions = report["report"]["questions"]
    assert len(questions) == 3
    index_points = {p["point"].split(":")[0]: p for p in questions[1]["points"]}
    # "Writes are not affected by indexes at all": a denial read from a bare negation, doubted and quoted
    writes = index_points["Writes"]
    assert writes["status"] == "partial" and writes["doubt"] == "negates it" and writes["contradiction"] is None
    assert any("Writes are not affected by indexes" in q for q in writes["quotes"])
    assert writes["note"].startswith("Doubtful:")
    assert questions[1]["score_if_doubts"]["contradicted"] < questions[1]["score"]
    assert index_points["Structure"]["status"] == "covered"
    from interviewer.seed import WRONG_IDEAS  # the demo's wrong ideas are kept with the scored report
    assert questions[1]["red_flags"] == WRONG_IDEAS[questions[1]["question"]]
    rate_limiter = questions[0]
    assert all(p["status"] == "covered" for p in rate_limiter["points"])
