"""Prometheus metrics with the spec's names (10.3)."""

from __future__ import annotations

import logging

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger("interviewer.metrics")

HTTP_REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "path", "status"])
HTTP_DURATION = Histogram(
    "http_request_duration", "HTTP request duration in seconds", ["method", "path"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0),
)
DB_CONNECTIONS = Gauge("db_connections_active", "Database connections checked out of the pool", ["pool"])

# Jobs run in the RQ worker process, so their counts cannot live in this (web) process's memory:
# the worker increments fields "task|state" of this Redis hash (interviewer.jobs.tasks.count_job)
# and the scrape below reads them.
RQ_METRICS_KEY = "metrics:rq_jobs_total"


class RqJobsCollector(Collector):
    """rq_jobs_total{task,state} (the spec's celery_tasks_total), read from Redis at scrape time."""

    def collect(self):
        family = CounterMetricFamily("rq_jobs_total", "Background jobs by task and state", labels=["task", "state"])
        try:
            from interviewer.core.redis import get_redis

            counts = get_redis().hgetall(RQ_METRICS_KEY)
        except Exception:  # noqa: BLE001 - a scrape must not fail because Redis is away
            log.warning("rq_jobs_total unavailable: Redis not reachable")
            counts = {}
        for field, value in sorted(counts.items()):
            task, _, state = field.partition("|")
            try:
                family.add_metric([task, state], float(value))
            except ValueError:
                continue
        yield family


RQ_JOBS = RqJobsCollector()
REGISTRY.register(RQ_JOBS)


def render() -> tuple[bytes, str]:
    from interviewer.db import pool_checked_out

    DB_CONNECTIONS.labels(pool="primary").set(pool_checked_out())
    return generate_latest(), CONTENT_TYPE_LATEST
