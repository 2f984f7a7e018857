"""Job fit as a product feature: candidates ranked per job with their reasons, computed by RQ jobs,
cached per input hash, kept within the tenant and the employee's scope (PostgreSQL, Redis, RQ)."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from interviewer.core.errors import NotFoundError
from interviewer.db import session_scope
from interviewer.jobs.queue import get_queue
from interviewer.models import Candidate, JobTemplate, Question
from interviewer.models.fit import JobFit, ResumeProfile
from interviewer.services import candidates as candidate_service
from interviewer.services import job_fit
from interviewer.services import jobs as job_service
from interviewer.services.candidate_schemas import CandidateUpdate
from tests import fit_fixtures as F
from tests.api.test_interviews_support import actor_of
from tests.factories import auth, make_candidate, make_tenant


def _job(company_id, key="java", title=None, description=None) -> JobTemplate:
    t, d = F.JOBS.get(key, (title, description))
    with session_scope() as s:
        job = JobTemplate(company_id=company_id, title=title or t, description=description or d)
        s.add(job)
        s.flush()
        return job


def _candidates(company_id, job_id, keys=("java", "python", "devops", "hr", "listed_only"), **kw):
    return {k: make_candidate(company_id, f"{k}@example.test", name=f"{k.title()} Person",
                              resume_text=F.RESUMES[k], job_template_id=job_id, **kw) for k in keys}


def _refresh(job_id):
    with session_scope() as s:
        return job_fit.refresh_job(s, job_id)


def _rank(user, job_id, **kw):
    with session_scope() as s:
        return job_fit.rank_for_job(s, actor_of(user), job_id, **kw)


@pytest.fixture
def acme():
    return make_tenant("Acme")


def test_ranks_the_jobs_candidates_with_reasons(acme):
    job = _job(acme.company.id)
    _candidates(acme.company.id, job.id)
    assert _refresh(job.id) == {"computed": 5, "unchanged": 0, "removed": 0}
    ranking = _rank(acme.hr, job.id)
    order = [item["name"] for item in ranking["items"]]
    assert order[0] == "Java Person" and order[-1] == "Hr Person"
    # A resume that only lists the posting's technologies ranks below one that did the work with them,
    # and neighbouring roles (Python, DevOps) below the Java engineer.
    scores = {item["name"]: item["fit"]["score"] for item in ranking["items"]}
    assert scores["Java Person"] > max(scores["Python Person"], scores["Devops Person"], scores["Listed_Only Person"])
    assert scores["Listed_Only Person"] < scores["Java Person"] - 30
    # The job's title names Java: a resume without it is a weak or partial fit however close its field.
    assert scores["Python Person"] < 50 and scores["Devops Person"] < 50
    top = ranking["items"][0]["fit"]
    assert top["band"] == "Strong fit" and "Java" in top["matched_skills"] and "Spring" in top["matched_skills"]
    # Quotes are the resume's own lines, naming the skill they back.
    assert top["quotes"] and all(q["quote"] in F.JAVA_RESUME for q in top["quotes"])
    assert "5+ years" in top["seniority"] and "meets" in top["seniority"]
    listed = next(i for i in ranking["items"] if i["name"] == "Listed_Only Person")["fit"]
    assert "Java" in listed["listed_only_skills"]
    # The score is derivable from the parts shown beside it.
    parts, weights = top["parts"], top["weights"]
    assert ranking["note"].startswith("Job fit is a screening aid")
    assert ranking["pending"] == 0 and ranking["total"] == 5 and ranking["with_resume"] == 5
    assert parts["skills"] > 0 and sum(weights.values()) == pytest.approx(1.0)


def test_refresh_recomputes_only_what_changed(acme):
    job = _job(acme.company.id)
    cands = _candidates(acme.company.id, job.id, keys=("java", "python", "hr"))
    _refresh(job.id)
    assert _refresh(job.id) == {"computed": 0, "unchanged": 3, "removed": 0}
    with session_scope() as s:  # one new resume: one fit recomputed
        s.get(Candidate, cands["hr"].id).resume_text = F.DEVOPS_RESUME
    assert _refresh(job.id) == {"computed": 1, "unchanged": 2, "removed": 0}
    with session_scope() as s:  # the job's questions are part of its inputs
        s.add(Question(job_template_id=job.id, text="How do you design idempotent consumers?",
                       key_points=["Kafka", "deduplication"]))
    assert _refresh(job.id)["computed"] == 3
    with session_scope() as s:  # a candidate who leaves the job loses the fit; the profile is kept
        s.get(Candidate, cands["python"].id).job_template_id = None
    assert _refresh(job.id) == {"computed": 0, "unchanged": 2, "removed": 1}
    with session_scope() as s:
        assert s.get(ResumeProfile, cands["python"].id) is not None
        assert len(s.exec(select(JobFit).where(JobFit.job_template_id == job.id)).all()) == 2


def test_changes_queue_the_rq_jobs_that_recompute(acme, run_jobs):
    job = _job(acme.company.id)
    other = _job(acme.company.id, "devops")
    cand = _candidates(acme.company.id, job.id, keys=("devops",))["devops"]
    actor = actor_of(acme.hr)
    with session_scope() as s:  # editing the job queues its refresh
        job_service.update_job(s, actor, job.id, job_service.JobUpdate(description=F.JAVA_JOB + "\nOn call once a month."))
    run_jobs()
    before = _rank(acme.hr, job.id)["items"][0]["fit"]["score"]
    with session_scope() as s:  # moving the candidate queues theirs
        candidate_service.update_candidate(s, actor, cand.id, CandidateUpdate(job_template_id=other.id))
    run_jobs()
    after = _rank(acme.hr, other.id)["items"][0]["fit"]
    assert after["score"] > before + 30  # the DevOps engineer fits the DevOps job far better
    with session_scope() as s:
        assert s.exec(select(JobFit).where(JobFit.candidate_id == cand.id)).one().job_template_id == other.id


def test_missing_fits_are_pending_and_queued_once(acme, run_jobs):
    job = _job(acme.company.id)
    _candidates(acme.company.id, job.id, keys=("java", "hr"))
    make_candidate(acme.company.id, "noresume@example.test", name="No Resume", job_template_id=job.id)
    queue = get_queue("default")
    queue.empty()
    first = _rank(acme.hr, job.id)
    assert first["pending"] == 2 and first["total"] == 3
    assert all(item["fit"] is None for item in first["items"])
    _rank(acme.hr, job.id)  # a second look within the debounce window queues nothing more
    assert [j.func_name for j in queue.jobs] == ["interviewer.jobs.tasks.refresh_job_fits"]
    run_jobs()
    done = _rank(acme.hr, job.id)
    assert done["pending"] == 0
    assert [i["name"] for i in done["items"]] == ["Java Person", "Hr Person", "No Resume"]
    assert done["items"][-1]["fit"] is None


def test_non_english_posting_is_not_guessed(acme):
    job = _job(acme.company.id, "german", title=F.GERMAN_JOB_TITLE, description=F.GERMAN_JOB)
    _candidates(acme.company.id, job.id, keys=("java",))
    _refresh(job.id)
    ranking = _rank(acme.hr, job.id)
    assert ranking["job_supported"] is False
    fit = ranking["items"][0]["fit"]
    assert fit["supported"] is False and fit["score"] is None and "not in English" in fit["reason"]


def test_tenancy_and_employee_scope(acme, api):
    globex = make_tenant("Globex")
    job = _job(acme.company.id)
    cands = _candidates(acme.company.id, job.id, keys=("java", "python"))
    with session_scope() as s:
        s.get(Candidate, cands["python"].id).assigned_to = acme.employee.id
    _refresh(job.id)
    with pytest.raises(NotFoundError):
        _rank(globex.hr, job.id)
    with session_scope() as s, pytest.raises(NotFoundError):
        job_fit.fit_for_candidate(s, actor_of(globex.hr), cands["java"].id)
    # An employee sees only the candidates assigned to them.
    assert [i["name"] for i in _rank(acme.employee, job.id)["items"]] == ["Python Person"]
    with session_scope() as s, pytest.raises(NotFoundError):
        job_fit.fit_for_candidate(s, actor_of(acme.employee), cands["java"].id)
    # The REST API answers the same, in the spec's error format.
    r = api.get(f"/api/v1/jobs/{job.id}/fit", headers=auth(acme.hr))
    assert r.status_code == 200 and r.json()["items"][0]["name"] == "Java Person"
    r = api.get(f"/api/v1/jobs/{job.id}/fit", headers=auth(globex.hr))
    assert r.status_code == 404 and {"detail", "error_code", "timestamp"} <= set(r.json())
    r = api.get(f"/api/v1/candidates/{cands['java'].id}/fit", headers=auth(acme.hr))
    assert r.status_code == 200 and r.json()["matched_skills"][0] == "Java"
    r = api.get(f"/api/v1/candidates/{cands['java'].id}/fit", headers=auth(globex.hr))
    assert r.status_code == 404
    r = api.get(f"/api/v1/jobs/{uuid.uuid4()}/fit", headers=auth(acme.hr), params={"limit": 0})
    assert r.status_code in (404, 422)


def test_fit_never_changes_a_candidates_status(acme):
    job = _job(acme.company.id)
    cands = _candidates(acme.company.id, job.id)
    _refresh(job.id)
    with session_scope() as s:
        assert {s.get(Candidate, c.id).status.value for c in cands.values()} == {"new"}


def test_candidates_list_sorts_and_shows_fit(acme, api):
    job = _job(acme.company.id)
    _candidates(acme.company.id, job.id, keys=("hr", "java", "python"))
    make_candidate(acme.company.id, "noresume@example.test", name="No Resume", job_template_id=job.id)
    _refresh(job.id)
    r = api.get("/api/v1/candidates", headers=auth(acme.hr), params={"sort": "fit", "order": "desc"})
    assert r.status_code == 200, r.text
    rows = r.json()["candidates"]
    assert [c["name"] for c in rows] == ["Java Person", "Python Person", "Hr Person", "No Resume"]
    assert rows[0]["fit_score"] > rows[1]["fit_score"] > rows[2]["fit_score"] and rows[3]["fit_score"] is None
    asc = api.get("/api/v1/candidates", headers=auth(acme.hr), params={"sort": "fit", "order": "asc"}).json()
    assert [c["name"] for c in asc["candidates"]] == ["Hr Person", "Python Person", "Java Person", "No Resume"]


def test_a_new_resume_file_gets_its_fit_from_the_workers(acme, run_jobs):
    job = _job(acme.company.id)
    cand = make_candidate(acme.company.id, "file@example.test", name="File Person", job_template_id=job.id)
    with session_scope() as s:
        candidate_service.attach_resume(s, actor_of(acme.hr), cand.id, F.JAVA_RESUME.encode(), "resume.txt")
    run_jobs()  # extract_resume, then the refresh it queues
    ranking = _rank(acme.hr, job.id)
    assert ranking["pending"] == 0 and ranking["items"][0]["fit"]["band"] == "Strong fit"
    with session_scope() as s:  # a replaced resume replaces the fit
        candidate_service.attach_resume(s, actor_of(acme.hr), cand.id, F.HR_RESUME.encode(), "resume.txt")
    run_jobs()
    assert _rank(acme.hr, job.id)["items"][0]["fit"]["band"] == "Weak fit"
