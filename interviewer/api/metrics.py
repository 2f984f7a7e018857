"""Prometheus metrics with the spec's names (10.3)."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

HTTP_REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "path", "status"])
HTTP_DURATION = Histogram(
    "http_request_duration", "HTTP request duration in seconds", ["method", "path"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0),
)
DB_CONNECTIONS = Gauge("db_connections_active", "Database connections checked out of the pool", ["pool"])
RQ_JOBS = Counter("rq_jobs_total", "Background jobs by task and state", ["task", "state"])


def render() -> tuple[bytes, str]:
    from interviewer.db import pool_checked_out

    DB_CONNECTIONS.labels(pool="primary").set(pool_checked_out())
    return generate_latest(), CONTENT_TYPE_LATEST
