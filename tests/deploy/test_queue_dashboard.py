"""The admin queue dashboard (GET /api/v1/admin/queues, failed jobs, retry) on the real Redis with
real RQ workers: counts, the error that ended a failed job, retry, and admin-only access."""

from __future__ import annotations

from sqlmodel import select

from interviewer.db import session_scope
from interviewer.jobs.queue import get_queue
from interviewer.models import AuditLog
from tests.factories import auth, make_admin, make_tenant


def _fail_one_job() -> str:
    # A real job function that raises: json.loads of malformed text.
    return get_queue("default").enqueue("json.loads", "{not json", meta={"task": "parse_probe"}).id


def test_admin_sees_counts_and_the_error_of_a_failed_job_and_retries_it(api, run_jobs):
    admin = auth(make_admin())
    job_id = _fail_one_job()
    get_queue("email").enqueue("json.loads", "[1]")
    before = api.get("/api/v1/admin/queues", headers=admin)
    assert before.status_code == 200
    counts = {q["name"]: q for q in before.json()["queues"]}
    assert set(counts) == {"high", "default", "email"}
    assert counts["default"]["queued"] == 1 and counts["email"]["queued"] == 1

    run_jobs()
    counts = {q["name"]: q for q in api.get("/api/v1/admin/queues", headers=admin).json()["queues"]}
    assert counts["default"]["failed"] == 1 and counts["default"]["queued"] == 0
    assert counts["email"]["finished"] == 1 and counts["email"]["failed"] == 0

    failed = api.get("/api/v1/admin/queues/failed", headers=admin).json()
    assert failed["total"] == 1
    job = failed["jobs"][0]
    assert job["id"] == job_id and job["queue"] == "default" and job["task"] == "parse_probe"
    assert "JSONDecodeError" in job["error"] and "Traceback" in job["traceback"]
    assert api.get("/api/v1/admin/queues/failed?queue=email", headers=admin).json()["total"] == 0
    assert api.get("/api/v1/admin/queues/failed?queue=nope", headers=admin).status_code == 422

    retried = api.post(f"/api/v1/admin/queues/failed/{job_id}/retry", headers=admin)
    assert retried.status_code == 200 and retried.json()["status"] == "queued"
    counts = {q["name"]: q for q in api.get("/api/v1/admin/queues", headers=admin).json()["queues"]}
    assert counts["default"]["queued"] == 1 and counts["default"]["failed"] == 0
    # Not failed any more: a second retry is a 404, as is an unknown id.
    assert api.post(f"/api/v1/admin/queues/failed/{job_id}/retry", headers=admin).status_code == 404
    assert api.post("/api/v1/admin/queues/failed/no-such-job/retry", headers=admin).status_code == 404
    # an id RQ would refuse to look up (it raises on such characters): a clear 422, not a 500
    for bad in ("a%20b", "%C3%A9", "x" * 65):
        r = api.post(f"/api/v1/admin/queues/failed/{bad}/retry", headers=admin)
        assert r.status_code == 422 and r.json()["error_code"] == "OPS_422", (bad, r.text)
    with session_scope() as s:
        entries = s.exec(select(AuditLog).where(AuditLog.action == "job.retried")).all()
        assert [e.entity_id for e in entries] == [job_id]


def test_queue_dashboard_is_for_system_admins_only(api):
    tenant = make_tenant("Acme")
    job_id = _fail_one_job()
    for user in (tenant.hr, tenant.employee):
        headers = auth(user)
        assert api.get("/api/v1/admin/queues", headers=headers).status_code == 403
        assert api.get("/api/v1/admin/queues/failed", headers=headers).status_code == 403
        assert api.post(f"/api/v1/admin/queues/failed/{job_id}/retry", headers=headers).status_code == 403
    assert api.get("/api/v1/admin/queues").status_code == 401
