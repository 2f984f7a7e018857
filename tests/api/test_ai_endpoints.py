"""AI layer through the API with the offline provider and a real RQ worker."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import select

from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import (AuditLog, Interview, InterviewStatus, JobTemplate, Question, ResumeCheck,
                                TranscriptEntry, UserRole, Verdict)
from tests.factories import auth, make_candidate, make_tenant, make_user

SECTIONS = {"contact_info", "format_structure", "professional_summary", "work_experience", "technical_skills",
            "education", "keyword_optimization"}
RESUME = """Jordan Example
jordan@example.test | +1 555 0100 | Springfield, IL | linkedin.com/in/jordan-example

SUMMARY
Backend engineer with 6 years of experience building Python services on PostgreSQL and AWS.

EXPERIENCE
Senior Backend Engineer, Example Corp, 2020 - 2025
- Built a FastAPI order service handling 2,000 requests per second with PostgreSQL and Redis.
- Reduced p95 latency by 40% by adding indexes and caching.
- Led the move to Docker and Kubernetes, cutting deploy time from 2 hours to 10 minutes.
Backend Engineer, Sample Ltd, 2017 - 2020
- Developed REST APIs in Python and Django; wrote unit tests with pytest.

SKILLS
Python, FastAPI, Django, PostgreSQL, Redis, Docker, Kubernetes, AWS, Git, Linux

EDUCATION
B.Sc. Computer Science, State University, 2017
"""


def _candidate_user():
    return make_user(UserRole.CANDIDATE, None, "casey@example.test", name="Casey Candidate")


def test_candidate_ats_check_returns_the_spec_shape(api, run_jobs):
    user = _candidate_user()
    headers = auth(user)
    r = api.post("/api/v1/ai/ats-check?wait=0", headers=headers,
                 files={"resume": ("resume.txt", RESUME.encode(), "text/plain")},
                 data={"job_description": "Python backend engineer: FastAPI, PostgreSQL, Kafka, Terraform."})
    assert r.status_code == 202, r.text
    check_id = r.json()["id"]
    run_jobs()
    done = api.get(f"/api/v1/ai/ats-check/{check_id}", headers=headers)
    assert done.status_code == 200, done.text
    body = done.json()
    assert set(body) == {"score", "summary", "section_scores", "highlights", "improvements", "keywords_found",
                         "keywords_missing", "formatting_issues", "ats_friendly"}
    assert set(body["section_scores"]) == SECTIONS
    assert all(0 <= s["score"] <= 5 and s["feedback"] for s in body["section_scores"].values())
    assert 0 <= body["score"] <= 100
    found = {k.lower() for k in body["keywords_found"]}
    missing = {k.lower() for k in body["keywords_missing"]}
    assert {"python", "fastapi", "postgresql"} <= found
    assert "kafka" in missing and "python" not in missing
    assert done.headers["X-Analysis-Provider"] == "offline"
    listed = api.get("/api/v1/ai/ats-checks", headers=headers).json()
    assert listed[0]["analysis_label"] == "offline analysis" and listed[0]["score"] == body["score"]


def test_bad_resume_files_are_refused_before_anything_is_written(api):
    headers = auth(_candidate_user())
    corrupt = api.post("/api/v1/ai/ats-check", headers=headers,
                       files={"resume": ("cv.pdf", b"%PDF-1.4 this is not really a pdf", "application/pdf")})
    assert corrupt.status_code in (415, 422) and corrupt.json()["error_code"].startswith("FILE_")
    empty = api.post("/api/v1/ai/ats-check", headers=headers, files={"resume": ("cv.txt", b"   ", "text/plain")})
    assert empty.status_code == 422 and empty.json()["error_code"] == "FILE_005"
    image = api.post("/api/v1/ai/ats-check", headers=headers,
                     files={"resume": ("cv.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")})
    assert image.status_code == 415
    with session_scope() as s:
        assert s.exec(select(ResumeCheck)).all() == []


def test_staff_checks_are_tenant_scoped(api, run_jobs):
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    cand = make_candidate(globex.company.id, "g@example.test")
    r = api.post("/api/v1/ai/ats-check?wait=0", headers=auth(acme.hr),
                 files={"resume": ("r.txt", RESUME.encode(), "text/plain")}, data={"candidate_id": str(cand.id)})
    assert r.status_code == 404
    own = make_candidate(acme.company.id, "a@example.test", name="Alex Acme")
    r = api.post("/api/v1/ai/ats-check?wait=0", headers=auth(acme.hr),
                 files={"resume": ("r.txt", RESUME.encode(), "text/plain")}, data={"candidate_id": str(own.id)})
    assert r.status_code == 202
    run_jobs()
    assert api.get(f"/api/v1/ai/ats-check/{r.json()['id']}", headers=auth(globex.hr)).status_code == 404
    assert api.get(f"/api/v1/ai/ats-check/{r.json()['id']}", headers=auth(acme.hr)).status_code == 200


def test_question_generation_adds_new_questions_with_key_points(api, run_jobs):
    t = make_tenant()
    with session_scope() as s:
        job = JobTemplate(company_id=t.company.id, created_by=t.hr.id, title="Backend Engineer",
                          description="Python, PostgreSQL, Docker, REST API design and Redis caching.")
        s.add(job)
        s.flush()
        job_id = job.id
    r = api.post(f"/api/v1/jobs/{job_id}/generate-questions", headers=auth(t.hr), json={"count": 4})
    assert r.status_code == 202
    task = r.json()["task_id"]
    run_jobs()
    status = api.get(f"/api/v1/ai/tasks/{task}", headers=auth(t.hr)).json()
    assert status["status"] == "finished" and status["created"] == 4
    with session_scope() as s:
        questions = s.exec(select(Question).where(Question.job_template_id == job_id)).all()
    assert len(questions) == 4
    assert all(q.source == "ai" and 3 <= len(q.key_points) <= 6 for q in questions)
    assert {q.kind for q in questions} == {"theory", "practice"}
    # each comes with the bank's wrong ideas to watch for, one per key point, for HR to edit
    assert all(len(q.red_flags) == len(q.key_points) and all(f.strip() for f in q.red_flags) for q in questions)
    # a second run never repeats what the job already has
    api.post(f"/api/v1/jobs/{job_id}/generate-questions", headers=auth(t.hr), json={"count": 4})
    run_jobs()
    with session_scope() as s:
        texts = [q.text for q in s.exec(select(Question).where(Question.job_template_id == job_id))]
    assert len(texts) == len(set(texts)) and len(texts) >= 4
    other = make_tenant("Globex")
    assert api.get(f"/api/v1/ai/tasks/{task}", headers=auth(other.hr)).status_code == 404
    assert api.post(f"/api/v1/jobs/{job_id}/generate-questions", headers=auth(t.employee)).status_code == 403


def _completed_interview(tenant, answers: dict[int, str]) -> tuple:
    cand = make_candidate(tenant.company.id, "iv@example.test", name="Robin Rivera", assigned_to=tenant.employee.id)
    with session_scope() as s:
        job = JobTemplate(company_id=tenant.company.id, title="Backend Engineer")
        s.add(job)
        s.flush()
        qs = [Question(job_template_id=job.id, text="What is a stack and how does it differ from a queue?",
                       weight=1, position=0,
                       key_points=["last in first out", "push and pop at the top", "queue is first in first out"]),
              Question(job_template_id=job.id, text="Why add an index to a database table?", weight=2, position=1,
                       key_points=["faster lookups", "slower writes", "extra storage"])]
        s.add_all(qs)
        start = utcnow() - timedelta(minutes=10)
        iv = Interview(company_id=tenant.company.id, candidate_id=cand.id, job_template_id=job.id, token=uuid.uuid4().hex,
                       status=InterviewStatus.COMPLETED, started_at=start, completed_at=utcnow())
        s.add(iv)
        s.flush()
        seq = 0
        for index, q in enumerate(qs):
            s.add(TranscriptEntry(interview_id=iv.id, seq=seq, question_index=index, kind="question",
                                  speaker="interviewer", text=q.text, started_ms=index * 200_000))
            seq += 1
            if index in answers:
                s.add(TranscriptEntry(interview_id=iv.id, seq=seq, question_index=index, kind="answer",
                                      speaker="candidate", text=answers[index], started_ms=index * 200_000 + 5000,
                                      ended_ms=index * 200_000 + 95_000, confidence=0.9, source="whisper"))
                seq += 1
        return iv.id, cand


GOOD = {
    0: "A stack is last in first out: you push and pop items at the top, so the most recent item comes out "
       "first. A queue is first in first out, items leave in the order they arrived, like a line at a shop.",
    1: "An index gives faster lookups because the database can find rows without scanning the whole table, "
       "but every insert and update becomes slower since the index must be maintained, and it takes extra "
       "storage on disk.",
}


def test_process_interview_scores_with_evidence_and_is_idempotent(api, run_jobs):
    t = make_tenant()
    interview_id, _ = _completed_interview(t, GOOD)
    from interviewer.jobs.queue import enqueue

    enqueue("process_interview", str(interview_id))
    enqueue("process_interview", str(interview_id))
    run_jobs()
    with session_scope() as s:
        iv = s.get(Interview, interview_id)
        first = (iv.score, iv.verdict, iv.ai_report["scored_at"])
    assert first[1] in (Verdict.PASS, Verdict.REVIEW, Verdict.FAIL)
    report = api.get(f"/api/v1/interviews/{interview_id}/report", headers=auth(t.hr)).json()
    assert report["report"]["scored_at"] == first[2]  # the second run changed nothing
    items = report["report"]["questions"]
    assert [q["status"] for q in items] == ["answered", "answered"]
    for item in items:
        assert item["score"] > 0 and item["evidence"]
        assert all(quote in GOOD[item["index"]] for quote in item["evidence"])
    assert report["report"]["analysis_label"] == "offline analysis"
    assert "Names" in report["report"]["fairness"]["note"]
    # the assigned employee sees it; another company does not
    assert api.get(f"/api/v1/interviews/{interview_id}/report", headers=auth(t.employee)).status_code == 200
    other = make_tenant("Globex")
    assert api.get(f"/api/v1/interviews/{interview_id}/report", headers=auth(other.hr)).status_code == 404


def test_wrong_answers_score_lower_than_right_ones(run_jobs):
    good_t, bad_t = make_tenant("Good"), make_tenant("Bad")
    good_id, _ = _completed_interview(good_t, GOOD)
    bad_id, _ = _completed_interview(bad_t, {
        0: "A stack is first in first out, the oldest item always comes out first, exactly the same as a queue "
           "which also removes the oldest item first. There is no real difference between them at all really.",
        1: "An index makes every write faster and it never uses any storage, so you should add an index to every "
           "column of every table because it can only make the database quicker in all cases without a cost.",
    })
    from interviewer.jobs.queue import enqueue

    enqueue("process_interview", str(good_id))
    enqueue("process_interview", str(bad_id))
    run_jobs()
    with session_scope() as s:
        good, bad = s.get(Interview, good_id), s.get(Interview, bad_id)
        assert good.score > bad.score + 20
        assert bad.verdict != Verdict.PASS


def test_too_short_transcript_gets_review_with_reason(api, run_jobs):
    t = make_tenant()
    interview_id, _ = _completed_interview(t, {0: "Last in first out."})
    from interviewer.jobs.queue import enqueue

    enqueue("process_interview", str(interview_id))
    run_jobs()
    with session_scope() as s:
        iv = s.get(Interview, interview_id)
        assert iv.verdict == Verdict.REVIEW
        assert any("too short" in reason for reason in iv.ai_report["quality_gate"])
        assert iv.ai_report["questions"][1]["status"] == "not answered"


def test_verdict_override_needs_permission_and_reason_and_is_audited(api, run_jobs):
    t = make_tenant()
    interview_id, _ = _completed_interview(t, GOOD)
    from interviewer.jobs.queue import enqueue

    enqueue("process_interview", str(interview_id))
    run_jobs()
    url = f"/api/v1/interviews/{interview_id}/verdict-override"
    assert api.post(url, headers=auth(t.employee), json={"verdict": "FAIL", "reason": "panel disagreed"}).status_code == 403
    assert api.post(url, headers=auth(t.hr), json={"verdict": "FAIL", "reason": ""}).status_code == 422
    r = api.post(url, headers=auth(t.hr), json={"verdict": "FAIL", "reason": "Live coding round showed gaps"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["verdict"] == "FAIL" and body["override"]["reason"] == "Live coding round showed gaps"
    with session_scope() as s:
        assert body["ai_verdict"] == s.get(Interview, interview_id).verdict.value  # the AI verdict is kept
    with session_scope() as s:
        logs = s.exec(select(AuditLog).where(AuditLog.action == "interview.verdict_override")).all()
        assert len(logs) == 1 and logs[0].details["to"] == "FAIL" and logs[0].actor_id == t.hr.id


def test_company_ai_config_roundtrip_never_returns_the_key(api):
    t = make_tenant()
    r = api.put("/api/v1/ai/config", headers=auth(t.hr),
                json={"provider": "offline", "thresholds": {"pass": 80, "review": 60}, "api_key": "secret-key-1"})
    assert r.status_code == 200, r.text
    assert r.json()["thresholds"] == {"pass": 80, "review": 60} and r.json()["api_key_set"] is True
    assert "secret-key-1" not in r.text
    bad = api.put("/api/v1/ai/config", headers=auth(t.hr), json={"thresholds": {"pass": 40, "review": 60}})
    assert bad.status_code == 422
    assert api.get("/api/v1/ai/config", headers=auth(t.hr)).json()["thresholds"]["pass"] == 80
    assert api.put("/api/v1/ai/config", headers=auth(t.employee), json={"provider": "auto"}).status_code == 403
