"""Health checks (10.1), Prometheus metrics (10.3), JSON logs with request ids (10.2) and the
OpenAPI document."""

from __future__ import annotations

import io
import json
import logging
import os

import pytest
import redis
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from interviewer.api.app import create_api
from interviewer.core.config import get_settings, reset_settings_cache
from interviewer.core.logging import configure_logging
from interviewer.db import get_engine, session_scope
from interviewer.services.email import queue_email
from tests.factories import auth, make_tenant

HEALTH_PATHS = ["/health", "/health/db", "/health/redis", "/api/v1/health", "/api/v1/health/db",
                "/api/v1/health/redis"]


def scrape(client) -> dict[str, list]:
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    samples: dict[str, list] = {}
    for family in text_string_to_metric_families(r.text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append(sample)
    return samples


def value(samples, name: str, **labels) -> float:
    return sum(s.value for s in samples.get(name, []) if all(s.labels.get(k) == v for k, v in labels.items()))


# --- health -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", HEALTH_PATHS)
def test_health_endpoints(api, path):
    r = api.get(path)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "ok"
    if path.endswith("/db"):
        assert r.json()["database"] == "postgresql"


def test_health_redis_reports_an_outage(api, monkeypatch):
    from interviewer.api.v1 import health

    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    monkeypatch.setattr(health, "get_redis", lambda: dead)
    r = api.get("/health/redis")
    assert r.status_code == 503 and r.json()["status"] == "error"
    assert api.get("/health").status_code == 200  # liveness does not depend on Redis


def test_health_db_reports_an_outage(api, monkeypatch):
    import sqlalchemy as sa

    from interviewer.api.v1 import health

    dead = sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none", connect_args={"connect_timeout": 1})
    monkeypatch.setattr(health, "get_engine", lambda: dead)
    r = api.get("/health/db")
    assert r.status_code == 503 and r.json()["status"] == "error"
    assert "password" not in r.text.lower()


# --- metrics ----------------------------------------------------------------------------------------

def test_http_metrics_count_requests_by_route_template(api):
    acme = make_tenant()
    h = auth(acme.hr)
    before = scrape(api)
    for _ in range(3):
        assert api.get(f"/api/v1/users/{acme.employee.id}", headers=h).status_code == 200
    assert api.get(f"/api/v1/users/{acme.hr.id}").status_code == 401
    assert api.get("/api/v1/definitely-missing").status_code == 404
    after = scrape(api)

    route = "/api/v1/users/{user_id}"
    assert value(after, "http_requests_total", method="GET", path=route, status="200") - \
        value(before, "http_requests_total", method="GET", path=route, status="200") == 3
    assert value(after, "http_requests_total", method="GET", path=route, status="401") - \
        value(before, "http_requests_total", method="GET", path=route, status="401") == 1
    # raw ids never become label values (bounded cardinality)
    assert not any(str(acme.employee.id) in s.labels.get("path", "") for s in after["http_requests_total"])
    assert value(after, "http_requests_total", path="unmatched", status="404") >= 1

    assert value(after, "http_request_duration_count", method="GET", path=route) - \
        value(before, "http_request_duration_count", method="GET", path=route) == 4
    buckets = [s for s in after["http_request_duration_bucket"]
               if s.labels.get("path") == route and s.labels.get("method") == "GET"]
    assert buckets and {"method", "path", "le"} == set(buckets[0].labels)
    assert value(after, "http_request_duration_sum", method="GET", path=route) > 0


def test_db_connections_gauge(api):
    samples = scrape(api)
    idle = [s for s in samples["db_connections_active"] if s.labels == {"pool": "primary"}]
    assert len(idle) == 1 and idle[0].value >= 0
    with get_engine().connect(), get_engine().connect():
        held = value(scrape(api), "db_connections_active", pool="primary")
    assert held >= 2


def test_rq_jobs_metric_reads_the_workers_counts_from_redis(api):
    """Jobs run in the worker process; /metrics in the web process must still report them."""
    from interviewer.api.metrics import RQ_METRICS_KEY
    from interviewer.jobs import tasks

    assert tasks.METRICS_KEY == RQ_METRICS_KEY  # writer and reader agree on the hash
    r = api.get("/metrics")
    assert "# TYPE rq_jobs_total counter" in r.text
    assert not [s for s in scrape(api).get("rq_jobs_total", [])]  # nothing ran yet (Redis is fresh)

    tasks.count_job("send_email", "finished")
    tasks.count_job("send_email", "finished")
    tasks.count_job("bulk_import", "failed")
    samples = scrape(api)
    assert {tuple(sorted(s.labels.items())): s.value for s in samples["rq_jobs_total"]} == {
        (("state", "finished"), ("task", "send_email")): 2.0,
        (("state", "failed"), ("task", "bulk_import")): 1.0,
    }


def test_metrics_survive_a_redis_outage(api, monkeypatch):
    import interviewer.core.redis as core_redis

    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    monkeypatch.setattr(core_redis, "get_redis", lambda: dead)
    r = api.get("/metrics")
    assert r.status_code == 200 and "http_requests_total" in r.text


def test_email_jobs_run_by_the_worker_are_counted(api, run_jobs):
    with session_scope() as s:
        queue_email(s, to="someone@example.test", subject="hi", body_text="hello", kind="test")
    run_jobs()
    assert value(scrape(api), "rq_jobs_total", task="send_email", state="finished") == 1


# --- OpenAPI ----------------------------------------------------------------------------------------

def test_openapi_lists_the_public_api(api):
    r = api.get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    expected = {
        "/api/v1/auth/login": {"post"}, "/api/v1/auth/logout": {"post"}, "/api/v1/auth/refresh": {"post"},
        "/api/v1/auth/me": {"get"}, "/api/v1/users": {"get", "post"},
        "/api/v1/users/{user_id}": {"get", "put", "delete"}, "/api/v1/companies": {"get"},
        "/api/v1/companies/{company_id}": {"get", "put"}, "/api/v1/register/company": {"post"},
        "/api/v1/admin/company-requests": {"get"},
        "/api/v1/admin/company-requests/{request_id}/approve": {"post"},
        "/api/v1/admin/company-requests/{request_id}/reject": {"post"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))
    assert "/metrics" not in paths
    assert api.get("/api/v1/docs").status_code == 200


# --- JSON logs --------------------------------------------------------------------------------------

@pytest.fixture
def json_log_client():
    saved = {k: os.environ.get(k) for k in ("LOG_JSON", "LOG_LEVEL")}
    os.environ.update(LOG_JSON="true", LOG_LEVEL="INFO")
    reset_settings_cache()
    buf = io.StringIO()
    with TestClient(create_api()) as client:
        handlers = logging.getLogger("interviewer").handlers
        assert len(handlers) == 1
        handlers[0].setStream(buf)
        yield client, buf
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    reset_settings_cache()
    settings = get_settings()
    configure_logging(settings.LOG_LEVEL, json_logs=settings.LOG_JSON)


def log_entries(buf: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buf.getvalue().splitlines() if line.strip()]


def test_access_log_is_json_with_the_request_id(json_log_client):
    client, buf = json_log_client
    r = client.get("/api/v1/health", headers={"X-Request-ID": "trace-me-42"})
    assert r.headers["x-request-id"] == "trace-me-42"
    entries = [e for e in log_entries(buf) if e.get("request_id") == "trace-me-42"]
    assert len(entries) == 1
    entry = entries[0]
    assert {"timestamp", "level", "service", "request_id", "user_id", "message", "metadata"} <= set(entry)
    assert entry["level"] == "INFO" and entry["service"] == "backend"
    assert entry["timestamp"].endswith("Z") and "T" in entry["timestamp"]
    assert "/api/v1/health" in entry["message"]
    assert entry["metadata"]["status"] == 200 and entry["metadata"]["route"] == "/api/v1/health"

    generated = client.get("/health").headers["x-request-id"]
    assert any(e.get("request_id") == generated for e in log_entries(buf))


def test_access_log_carries_the_user_id(json_log_client):
    client, buf = json_log_client
    acme = make_tenant()
    client.get("/api/v1/users", headers={**auth(acme.hr), "X-Request-ID": "who-am-i"})
    entry = next(e for e in log_entries(buf) if e.get("request_id") == "who-am-i")
    assert entry["user_id"] == str(acme.hr.id)


def test_unhandled_errors_are_logged_with_the_request_id(json_log_client, monkeypatch):
    client, buf = json_log_client
    from interviewer.services import users as user_service

    acme = make_tenant()
    headers = auth(acme.hr)
    monkeypatch.setattr(user_service, "list_user_rows", lambda *a, **k: 1 / 0)
    with TestClient(client.app, raise_server_exceptions=False) as c:
        assert c.get("/api/v1/users", headers={**headers, "X-Request-ID": "boom-1"}).status_code == 500
    errors = [e for e in log_entries(buf) if e.get("request_id") == "boom-1" and e["level"] == "ERROR"]
    assert errors and "ZeroDivisionError" in errors[0]["exc_info"]


def test_connection_pool_defaults_to_20():
    """Spec 12.2: pooled PostgreSQL connections, 20 by default."""
    pool = get_engine().pool
    assert get_settings().DB_POOL_SIZE == 20
    assert pool.size() == 20


def test_a_connection_the_server_closed_is_replaced_without_a_ping(api):
    """The pool hands out no connection that PostgreSQL has closed (a restart, a terminated
    backend), and finds out locally: no ``SELECT 1`` round trip on any checkout."""
    import sqlalchemy as sa

    engine = get_engine()
    tenant = make_tenant()
    headers = auth(tenant.hr)
    assert api.get("/api/v1/users", headers=headers).status_code == 200
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    from interviewer.db import _read_engine

    engines = {engine, _read_engine()}  # listings read through the autocommit pool
    for e in engines:
        sa.event.listen(e, "before_cursor_execute", record)
    try:
        with psycopg_admin() as admin:  # every pooled connection's backend, ended by the server
            # with a timeout, PostgreSQL answers once each backend has exited (its socket closed);
            # without one it only sends the signal, and a request could race the backend's exit
            ended = admin.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = %s",
                                  (engine.url.database,)).fetchall()
        assert ended and all(ok for (ok,) in ended)
        statements.clear()
        for _ in range(3):  # each request finds its connection closed and gets a new one
            r = api.get("/api/v1/users", headers=headers)
            assert r.status_code == 200, r.text
            assert r.json()["total"] >= 1
        assert statements and not [s for s in statements if s.strip().upper() == "SELECT 1"]
    finally:
        for e in engines:
            sa.event.remove(e, "before_cursor_execute", record)


def psycopg_admin():
    import psycopg

    url = get_engine().url.set(drivername="postgresql", database="postgres")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
