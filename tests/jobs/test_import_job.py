"""The bulk_import job on a real RQ worker (burst mode): 10,000 rows, re-runs, failures, metrics."""

from __future__ import annotations

import time

import pytest
from sqlmodel import func, select

from interviewer.core.config import get_settings
from interviewer.core.redis import get_redis
from interviewer.db import session_scope
from interviewer.jobs import tasks
from interviewer.jobs.queue import enqueue
from interviewer.models import Candidate, CandidateStatusHistory, ImportJob, ImportStatus
from interviewer.services import imports_run
from tests.factories import auth, make_candidate, make_tenant

URL = "/api/v1/candidates"


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(get_settings(), "DATA_DIR", tmp_path)


def _count(model, *where) -> int:
    with session_scope() as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


def _csv(n: int, start: int = 0) -> bytes:
    rows = "".join(f"person{i}@example.test,Person {i},+1 555 {i:06d},linkedin\n" for i in range(start, start + n))
    return ("Email,Name,Phone,Source\n" + rows).encode()


def test_ten_thousand_rows_with_a_real_worker(api, run_jobs):
    tenant = make_tenant()
    make_candidate(tenant.company.id, "person5@example.test")  # already there: skipped
    h = auth(tenant.hr)
    r = api.post(f"{URL}/bulk-import", headers=h, files={"file": ("big.csv", _csv(10_000), "text/csv")})
    assert r.status_code == 202, r.text
    import_id = r.json()["id"]
    started = time.perf_counter()
    run_jobs(("default",))
    elapsed = time.perf_counter() - started
    job = api.get(f"{URL}/imports/{import_id}", headers=h).json()
    assert (job["status"], job["created_count"], job["skipped_count"], job["error_count"], job["progress"]) == \
        ("completed", 9_999, 1, 0, 100)
    assert _count(Candidate, Candidate.company_id == tenant.company.id) == 10_000
    assert _count(CandidateStatusHistory) == 9_999
    assert elapsed < 20, f"10k-row import took {elapsed:.1f}s"
    listed = api.get(URL, headers=h, params={"search": "person999", "per_page": 100}).json()
    assert listed["total"] == 11  # person999 and person9990..9999
    # the same file again: nothing new
    r = api.post(f"{URL}/bulk-import", headers=h, files={"file": ("big.csv", _csv(10_000), "text/csv")})
    run_jobs(("default",))
    again = api.get(f"{URL}/imports/{r.json()['id']}", headers=h).json()
    assert (again["created_count"], again["skipped_count"]) == (0, 10_000)
    assert _count(Candidate, Candidate.company_id == tenant.company.id) == 10_000
    assert get_redis().hget(tasks.METRICS_KEY, "bulk_import|finished") == "2"


def test_requeued_job_does_not_import_twice(api, run_jobs):
    tenant = make_tenant()
    h = auth(tenant.hr)
    import_id = api.post(f"{URL}/bulk-import", headers=h, files={"file": ("a.csv", _csv(50), "text/csv")}).json()["id"]
    run_jobs(("default",))
    enqueue("bulk_import", import_id)  # e.g. an operator re-queues it after a worker restart
    run_jobs(("default",))
    job = api.get(f"{URL}/imports/{import_id}", headers=h).json()
    assert (job["status"], job["created_count"]) == ("completed", 50)
    assert _count(Candidate) == 50


def test_failing_job_is_recorded_and_counted(api, run_jobs, monkeypatch):
    tenant = make_tenant()
    h = auth(tenant.hr)

    def boom(session, import_id, **kw):
        raise RuntimeError("database went away")

    monkeypatch.setattr(imports_run, "run_import", boom)
    import_id = api.post(f"{URL}/bulk-import", headers=h, files={"file": ("a.csv", _csv(5), "text/csv")}).json()["id"]
    run_jobs(("default",))
    with session_scope() as s:
        job = s.get(ImportJob, import_id)
        assert job.status == ImportStatus.FAILED and "database went away" in job.failure_reason
    # RQ schedules a retry (the job resumes then): counted as retrying, not failed
    assert get_redis().hget(tasks.METRICS_KEY, "bulk_import|retrying") == "1"


def test_metric_counts_final_failure(monkeypatch):
    monkeypatch.setattr(imports_run, "run_import", lambda *a, **k: (_ for _ in ()).throw(ValueError("x")))
    with pytest.raises(ValueError):
        tasks.bulk_import("00000000-0000-0000-0000-000000000000")  # outside a worker: no retry left
    assert get_redis().hget(tasks.METRICS_KEY, "bulk_import|failed") == "1"
