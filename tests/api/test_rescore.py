"""Re-scoring an interview (POST /api/v1/interviews/{id}/rescore) and its score history
(GET /api/v1/interviews/{id}/scores), through the API with the offline provider and a real RQ worker."""

from __future__ import annotations

import copy
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import col, select

from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.jobs.queue import enqueue
from interviewer.models import (
    AuditLog,
    EmailMessage,
    Interview,
    InterviewScore,
    InterviewStatus,
    TranscriptEntry,
    Verdict,
)
from tests.factories import Tenant, auth, make_candidate, make_tenant

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
REASON = "Key points of question 2 were wrong; scoring again"

QUESTIONS = [
    ("What is a stack and how does it differ from a queue?", 1,
     ["last in first out", "push and pop at the top", "queue is first in first out"]),
    ("Why add an index to a database table?", 2, ["faster lookups", "slower writes", "extra storage"]),
]
ANSWERS = [
    ("A stack is last in first out: you push and pop items at the top, so the most recent item comes out first. "
     "A queue is first in first out, items leave in the order they arrived, like a line at a shop."),
    ("An index gives faster lookups because the database can find rows without scanning the whole table, but every "
     "insert and update becomes slower since the index must be maintained, and it takes extra storage on disk."),
]
# What HR puts in place of question 2's key points: nothing the answer above says.
NEW_INDEX_POINTS = ["B-tree structure keeps keys sorted", "composite index column order matters",
                    "covering index avoids reading the table"]


@dataclass
class Setup:
    tenant: Tenant
    hr: dict[str, str]
    job_id: str
    question_ids: list[str]
    interview_id: uuid.UUID


def interview_with_answers(api, tenant: Tenant | None = None, *, email: str = "robin@example.test") -> Setup:
    """A job and its questions made through the API, and a completed interview that answered them."""
    tenant = tenant or make_tenant()
    hr = auth(tenant.hr)
    job = api.post("/api/v1/jobs", headers=hr, json={"title": "Backend Engineer"})
    assert job.status_code == 201, job.text
    job_id = job.json()["id"]
    question_ids = []
    for text, weight, key_points in QUESTIONS:
        r = api.post(f"/api/v1/jobs/{job_id}/questions", headers=hr,
                     json={"text": text, "weight": weight, "key_points": key_points})
        assert r.status_code == 201, r.text
        question_ids.append(r.json()["id"])
    cand = make_candidate(tenant.company.id, email, name="Robin Rivera", assigned_to=tenant.employee.id)
    with session_scope() as s:
        start = utcnow() - timedelta(minutes=10)
        iv = Interview(company_id=tenant.company.id, candidate_id=cand.id, job_template_id=uuid.UUID(job_id),
                       token=uuid.uuid4().hex, status=InterviewStatus.COMPLETED, started_at=start,
                       completed_at=utcnow())
        s.add(iv)
        s.flush()
        for index, ((text, _, _), answer) in enumerate(zip(QUESTIONS, ANSWERS, strict=True)):
            s.add(TranscriptEntry(interview_id=iv.id, seq=2 * index, question_index=index, kind="question",
                                  speaker="interviewer", text=text, started_ms=index * 200_000))
            s.add(TranscriptEntry(interview_id=iv.id, seq=2 * index + 1, question_index=index, kind="answer",
                                  speaker="candidate", text=answer, started_ms=index * 200_000 + 5000,
                                  ended_ms=index * 200_000 + 95_000, confidence=0.9, source="whisper"))
        interview_id = iv.id
    return Setup(tenant, hr, job_id, question_ids, interview_id)


def scored(api, run_jobs, tenant: Tenant | None = None, **kw) -> Setup:
    setup = interview_with_answers(api, tenant, **kw)
    enqueue("process_interview", str(setup.interview_id))
    run_jobs()
    return setup


def load(interview_id: uuid.UUID) -> Interview:
    with session_scope() as s:
        return s.get(Interview, interview_id)


def audit_entries(interview_id: uuid.UUID, action: str) -> list[AuditLog]:
    with session_scope() as s:
        return list(s.exec(select(AuditLog).where(AuditLog.action == action, AuditLog.entity_id == interview_id)
                           .order_by(col(AuditLog.created_at))))


def rescore(api, setup: Setup, reason: str = REASON, headers: dict[str, str] | None = None):
    return api.post(f"/api/v1/interviews/{setup.interview_id}/rescore", headers=headers or setup.hr,
                    json={"reason": reason})


def history(api, setup: Setup, headers: dict[str, str] | None = None) -> list[dict]:
    r = api.get(f"/api/v1/interviews/{setup.interview_id}/scores", headers=headers or setup.hr)
    assert r.status_code == 200, r.text
    return r.json()


def judgement_of(report: dict) -> list:
    """What a score rests on, per question (the timestamps and version aside)."""
    return [(q["status"], q["score"], q["key_points"], q["points"]) for q in report["questions"]]


def assert_error(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert {"detail", "error_code", "timestamp"} <= set(body) and TIMESTAMP.match(body["timestamp"]), body
    if code:
        assert body["error_code"] == code, body
    return body


# ---------------------------------------------------------------------------------- the flow
def test_rescore_adds_version_2_and_keeps_the_first_report(api, run_jobs):
    setup = scored(api, run_jobs)
    first = load(setup.interview_id)
    first_report = copy.deepcopy(first.ai_report)
    assert first.scoring_status == "completed" and first_report["version"] == 1
    assert first_report["rescore_reason"] is None
    assert first_report["scorer"] == {"provider": "offline", "model": first_report["scorer"]["model"],
                                      "version": first_report["scorer"]["version"]}
    assert [q["key_points"] for q in first_report["questions"]] == [kp for _, _, kp in QUESTIONS]
    assert [h["version"] for h in history(api, setup)] == [1]
    emails_before = _emails()

    r = rescore(api, setup)
    assert r.status_code == 202, r.text
    assert r.json() == {"interview_id": str(setup.interview_id), "scoring_status": "queued"}
    report = api.get(f"/api/v1/interviews/{setup.interview_id}/report", headers=setup.hr).json()
    assert report["scoring_status"] == "queued" and report["report"]["version"] == 1  # current until the job ends
    assert_error(rescore(api, setup), 409, "VERDICT_409")  # one re-score at a time

    run_jobs()
    now = load(setup.interview_id)
    assert now.scoring_status == "completed" and now.scoring_error is None
    assert now.ai_report["version"] == 2 and now.ai_report["rescore_reason"] == REASON
    assert now.ai_report["scored_at"] != first_report["scored_at"]

    versions = history(api, setup)
    assert [v["version"] for v in versions] == [2, 1]  # newest first
    newest, oldest = versions
    assert oldest["report"] == first_report  # the first report, intact
    assert (oldest["reason"], oldest["requested_by"]) == (None, None)
    assert (oldest["score"], oldest["verdict"]) == (first.score, first.verdict.value)
    assert newest["report"] == now.ai_report
    assert (newest["reason"], newest["requested_by"]) == (REASON, str(setup.tenant.hr.id))
    assert (newest["score"], newest["verdict"]) == (now.score, now.verdict.value)
    for v in versions:
        assert v["provider"] == "offline" and v["scorer_version"] == v["report"]["scorer"]["version"]
        assert v["model"] == v["report"]["scorer"]["model"] and v["created_at"]

    (requested,) = audit_entries(setup.interview_id, "interview.rescore_requested")
    assert requested.actor_id == setup.tenant.hr.id and requested.company_id == setup.tenant.company.id
    assert requested.details["reason"] == REASON
    assert requested.details["current"] == {"score": first.score, "verdict": first.verdict.value}
    (done,) = audit_entries(setup.interview_id, "interview.rescored")
    assert done.details["version"] == 2 and done.details["reason"] == REASON
    assert done.details["from"] == {"score": first.score, "verdict": first.verdict.value}
    assert done.details["to"] == {"score": now.score, "verdict": now.verdict.value}
    assert done.details["requested_by"] == str(setup.tenant.hr.id)
    assert len(audit_entries(setup.interview_id, "interview.scored")) == 1  # the first scoring only
    assert _emails() == emails_before  # nobody is told "verdict ready" again

    # the assigned employee reads the history too, but cannot ask for a re-score
    assert [v["version"] for v in history(api, setup, auth(setup.tenant.employee))] == [2, 1]


def _emails() -> int:
    with session_scope() as s:
        return len(s.exec(select(EmailMessage)).all())


def test_rescoring_the_same_transcript_offline_is_reproducible(api, run_jobs):
    setup = scored(api, run_jobs)
    first = load(setup.interview_id)
    for n in (2, 3):
        assert rescore(api, setup, f"Reproducibility check {n}").status_code == 202
        run_jobs()
        again = load(setup.interview_id)
        assert again.ai_report["version"] == n
        assert (again.score, again.verdict) == (first.score, first.verdict)
        assert judgement_of(again.ai_report) == judgement_of(first.ai_report)
        assert again.ai_report["scorer"] == first.ai_report["scorer"]
    assert [v["score"] for v in history(api, setup)] == [first.score] * 3
    for done in audit_entries(setup.interview_id, "interview.rescored"):
        assert done.details["from"] == done.details["to"]


def test_rescore_after_editing_key_points_uses_the_new_ones(api, run_jobs):
    setup = scored(api, run_jobs)
    first = load(setup.interview_id)
    old_q2 = first.ai_report["questions"][1]
    assert old_q2["key_points"] == QUESTIONS[1][2] and old_q2["score"] > 0

    r = api.put(f"/api/v1/jobs/{setup.job_id}/questions/{setup.question_ids[1]}", headers=setup.hr,
                json={"key_points": NEW_INDEX_POINTS})
    assert r.status_code == 200 and r.json()["key_points"] == NEW_INDEX_POINTS, r.text
    assert load(setup.interview_id).ai_report == first.ai_report  # nothing changes until HR re-scores

    assert rescore(api, setup, "Question 2 key points rewritten").status_code == 202
    run_jobs()
    now = load(setup.interview_id)
    new_q2 = now.ai_report["questions"][1]
    assert new_q2["key_points"] == NEW_INDEX_POINTS  # the report stores the key points it was judged on
    assert [p["point"] for p in new_q2["points"]] == NEW_INDEX_POINTS
    assert new_q2["score"] < old_q2["score"] and now.score < first.score
    assert now.ai_report["questions"][0]["points"] == first.ai_report["questions"][0]["points"]  # untouched question

    newest, oldest = history(api, setup)
    assert newest["report"]["questions"][1]["key_points"] == NEW_INDEX_POINTS
    assert oldest["report"]["questions"][1]["key_points"] == QUESTIONS[1][2]  # version 1 keeps the old ones
    assert [p["point"] for p in oldest["report"]["questions"][1]["points"]] == QUESTIONS[1][2]
    assert oldest["report"] == first.ai_report
    (done,) = audit_entries(setup.interview_id, "interview.rescored")
    assert done.details["from"]["score"] == first.score and done.details["to"]["score"] == now.score


# ---------------------------------------------------------------------------------- refusals
def test_only_staff_with_override_rights_of_the_company_may_rescore(api, run_jobs):
    setup = scored(api, run_jobs)
    assert_error(rescore(api, setup, headers=auth(setup.tenant.employee)), 403, "PERM_001")
    other = make_tenant("Globex")
    assert_error(rescore(api, setup, headers=auth(other.hr)), 404)
    assert_error(api.get(f"/api/v1/interviews/{setup.interview_id}/scores", headers=auth(other.hr)), 404)
    missing = api.post(f"/api/v1/interviews/{uuid.uuid4()}/rescore", headers=setup.hr, json={"reason": REASON})
    assert_error(missing, 404)
    assert_error(api.post(f"/api/v1/interviews/{setup.interview_id}/rescore", json={"reason": REASON}), 401)
    assert load(setup.interview_id).scoring_status == "completed"
    assert audit_entries(setup.interview_id, "interview.rescore_requested") == []
    run_jobs()
    assert [v["version"] for v in history(api, setup)] == [1]  # nothing was queued


def test_an_interview_not_scored_yet_cannot_be_rescored(api, run_jobs):
    setup = interview_with_answers(api)  # completed, never scored
    assert_error(rescore(api, setup), 409, "VERDICT_409")
    assert history(api, setup) == []
    with session_scope() as s:  # not even completed
        iv = s.get(Interview, setup.interview_id)
        iv.status, iv.completed_at = InterviewStatus.IN_PROGRESS, None
    assert_error(rescore(api, setup), 409, "VERDICT_409")
    run_jobs()
    assert load(setup.interview_id).verdict is None


def test_a_reason_is_required(api, run_jobs):
    setup = scored(api, run_jobs)
    for body in ({"reason": "fix"}, {"reason": ""}, {}, {"reason": 12345}, {"reason": REASON, "force": True},
                 {"reason": "x" * 2001}):
        assert_error(api.post(f"/api/v1/interviews/{setup.interview_id}/rescore", headers=setup.hr, json=body),
                     422, "VAL_001")
    assert_error(rescore(api, setup, "      "), 422, "VERDICT_422")  # blank after trimming
    assert load(setup.interview_id).scoring_status == "completed"
    assert audit_entries(setup.interview_id, "interview.rescore_requested") == []


# ---------------------------------------------------------------------------------- before versioning
def test_a_report_from_before_versioning_becomes_version_1(api, run_jobs):
    setup = interview_with_answers(api)
    legacy = {"score": 64, "verdict": "REVIEW", "provider": "offline", "quality_gate": ["scored by hand"],
              "questions": [{"index": 0, "question": QUESTIONS[0][0], "score": 3.0, "evidence": []},
                            {"index": 1, "question": QUESTIONS[1][0], "score": 3.5, "evidence": []}],
              "scored_at": "2026-01-05T10:00:00+00:00"}
    with session_scope() as s:
        iv = s.get(Interview, setup.interview_id)
        iv.score, iv.verdict, iv.ai_report, iv.scoring_status = 64, Verdict.REVIEW, legacy, "completed"
    with session_scope() as s:
        assert s.exec(select(InterviewScore)).all() == []
    assert history(api, setup) == []

    assert rescore(api, setup).status_code == 202
    run_jobs()
    now = load(setup.interview_id)
    assert now.ai_report["version"] == 2 and now.ai_report["rescore_reason"] == REASON
    newest, oldest = history(api, setup)
    assert (newest["version"], oldest["version"]) == (2, 1)
    assert oldest["report"] == {**legacy, "version": 1}  # the old report, kept as it was
    assert (oldest["score"], oldest["verdict"], oldest["provider"]) == (64, "REVIEW", "offline")
    assert oldest["scorer_version"] == "before versioning" and oldest["reason"] is None
    assert newest["report"] == now.ai_report and newest["scorer_version"] == now.ai_report["scorer"]["version"]
    (done,) = audit_entries(setup.interview_id, "interview.rescored")
    assert done.details["from"] == {"score": 64, "verdict": "REVIEW"}
    assert done.details["to"] == {"score": now.score, "verdict": now.verdict.value}

    assert rescore(api, setup, "And once more, for the record").status_code == 202
    run_jobs()
    assert [v["version"] for v in history(api, setup)] == [3, 2, 1]
