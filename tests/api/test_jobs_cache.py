"""Caching (spec 12.3): job listings 5 minutes per company+query, company settings 1 hour."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import event

from interviewer.core.redis import get_redis
from interviewer.db import get_engine, session_scope
from interviewer.models import Company
from interviewer.services import cache
from interviewer.services import jobs as job_service
from tests.api.test_interviews_support import World, actor_of

JOBS = "/api/v1/jobs"


@contextmanager
def count_queries():
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _cache_keys(pattern: str = "cache:jobs:*") -> list[str]:
    return list(get_redis().scan_iter(pattern))


def test_a_cache_hit_does_not_query_the_database():
    w = World()
    hr = actor_of(w.acme.hr)
    with session_scope() as s, count_queries() as first:
        cold = job_service.list_jobs(s, hr, search="backend")
    assert any("job_templates" in q for q in first)
    with session_scope() as s, count_queries() as second:
        warm = job_service.list_jobs(s, hr, search="backend")
    assert second == [] and warm == cold and cold["total"] == 1
    keys = _cache_keys()
    assert len(keys) == 1 and 0 < get_redis().ttl(keys[0]) <= cache.JOB_LIST_TTL
    # Another query is another entry.
    with session_scope() as s, count_queries() as third:
        job_service.list_jobs(s, hr, search="frontend")
    assert third and len(_cache_keys()) == 2


def test_writes_invalidate_the_listing(api):
    w = World()
    listed = lambda: api.get(JOBS, headers=w.hr).json()  # noqa: E731
    assert [j["title"] for j in listed()["jobs"]] == ["Backend Engineer"]
    created = api.post(JOBS, json={"title": "SRE"}, headers=w.hr).json()
    assert {j["title"] for j in listed()["jobs"]} == {"Backend Engineer", "SRE"}
    api.put(f"{JOBS}/{created['id']}", json={"title": "Site Reliability Engineer"}, headers=w.hr)
    assert {j["title"] for j in listed()["jobs"]} == {"Backend Engineer", "Site Reliability Engineer"}
    q = api.post(f"{JOBS}/{created['id']}/questions", json={"text": "SLOs?"}, headers=w.hr).json()
    counts = {j["title"]: j["question_count"] for j in listed()["jobs"]}
    assert counts["Site Reliability Engineer"] == 1
    api.delete(f"{JOBS}/{created['id']}/questions/{q['id']}", headers=w.hr)
    assert {j["title"]: j["question_count"] for j in listed()["jobs"]}["Site Reliability Engineer"] == 0
    api.delete(f"{JOBS}/{created['id']}", headers=w.hr)
    assert [j["title"] for j in listed()["jobs"]] == ["Backend Engineer"]


def test_invalidation_is_per_company(api):
    w = World()
    api.get(JOBS, headers=w.hr)
    api.get(JOBS, headers=w.g_hr)
    globex_version = cache.company_version(cache.JOBS_NAMESPACE, w.globex.company.id)
    api.post(JOBS, json={"title": "New at Acme"}, headers=w.hr)
    assert cache.company_version(cache.JOBS_NAMESPACE, w.globex.company.id) == globex_version
    assert cache.company_version(cache.JOBS_NAMESPACE, w.acme.company.id) > 0
    assert [j["title"] for j in api.get(JOBS, headers=w.g_hr).json()["jobs"]] == ["Globex Job"]


def test_a_rolled_back_write_leaves_a_consistent_cache():
    w = World()
    hr = actor_of(w.acme.hr)
    try:
        with session_scope() as s:
            job_service.create_job(s, hr, job_service.JobCreate(title="Never committed"))
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    with session_scope() as s:
        assert [j["title"] for j in job_service.list_jobs(s, hr)["jobs"]] == ["Backend Engineer"]


def test_company_settings_are_cached_for_an_hour_and_invalidated():
    w = World()
    cid = w.acme.company.id
    with session_scope() as s:
        s.get(Company, cid).settings = {"interview_link_days": 3}
    with session_scope() as s, count_queries() as first:
        assert cache.company_settings(s, cid) == {"interview_link_days": 3}
    assert first
    assert 0 < get_redis().ttl(f"cache:company_settings:{cid}") <= cache.COMPANY_SETTINGS_TTL
    with session_scope() as s:
        s.get(Company, cid).settings = {"interview_link_days": 5}
    with session_scope() as s, count_queries() as second:
        assert cache.company_settings(s, cid) == {"interview_link_days": 3}  # still the cached value
    assert second == []
    cache.invalidate_company_settings(cid)
    with session_scope() as s:
        assert cache.company_settings(s, cid) == {"interview_link_days": 5}


def test_company_setting_drives_the_default_link_lifetime(api):
    w = World()
    with session_scope() as s:
        s.get(Company, w.acme.company.id).settings = {"interview_link_days": 2}
    cache.invalidate_company_settings(w.acme.company.id)
    created = w.schedule(api)
    start = datetime.fromisoformat(created["scheduled_at"].replace("Z", "+00:00"))
    expires = datetime.fromisoformat(created["expires_at"].replace("Z", "+00:00"))
    assert expires - start == timedelta(days=2)
