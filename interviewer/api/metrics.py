"""Prometheus metrics with the spec's names (10.3)."""

from __future__ import annotations

import hmac
import ipaddress
import logging

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

from interviewer.core.config import get_settings

log = logging.getLogger("interviewer.metrics")

HTTP_REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "path", "status"])
HTTP_DURATION = Histogram(
    "http_request_duration", "HTTP request duration in seconds", ["method", "path"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0),
)
# The live interview's per-turn latency budget (interviewer.live.latency), one series per part:
# endpoint (last word -> turn end decided), transcript, decision, send, total.
LIVE_TURN_LATENCY = Histogram(
    "live_turn_latency_seconds", "Live interview turn latency (candidate's last word -> next prompt sent) by part",
    ["part", "stt"], buckets=(0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0),
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


# Label children bound once and kept: ``.labels(...)`` takes a lock and builds a key per call; the
# label sets are few (route templates, never raw paths), so a dict lookup serves every later call.
_http_children: dict[tuple[str, str, int], tuple] = {}
_turn_children: dict[tuple[str, str], object] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """http_requests_total and http_request_duration for one request (route: its template)."""
    children = _http_children.get((method, route, status))
    if children is None:
        children = _http_children[(method, route, status)] = (
            HTTP_REQUESTS.labels(method, route, str(status)), HTTP_DURATION.labels(method, route))
    children[0].inc()
    children[1].observe(seconds)


def observe_turn_latency(stt: str, parts_ms: dict[str, int]) -> None:
    for part, ms in parts_ms.items():
        child = _turn_children.get((part, stt))
        if child is None:
            child = _turn_children[(part, stt)] = LIVE_TURN_LATENCY.labels(part=part.removesuffix("_ms"), stt=stt)
        child.observe(ms / 1000)


def scrape_allowed(peer: str | None, authorization: str | None, forwarded_for: str | None) -> bool:
    """``/metrics`` is not public: with METRICS_TOKEN set, the scraper sends it as a bearer token;
    without one, only a direct request from a loopback or private address is served (a request
    relayed by the proxy carries X-Forwarded-For and is refused)."""
    token = get_settings().METRICS_TOKEN
    if token:
        scheme, _, given = (authorization or "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
    if forwarded_for:
        return False
    try:
        ip = ipaddress.ip_address(peer or "")
    except ValueError:
        return peer == "testclient"  # Starlette's test client has no address
    return ip.is_loopback or ip.is_private


def render() -> tuple[bytes, str]:
    from interviewer.db import pool_checked_out

    DB_CONNECTIONS.labels(pool="primary").set(pool_checked_out())
    return generate_latest(), CONTENT_TYPE_LATEST
