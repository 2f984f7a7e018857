"""Per-request overhead (issue 16, item 1): trivial and cache-only routes run on the event loop
without losing authentication or the error format; verified access tokens are not verified again;
access-log sampling of probes; pre-bound metric children; FastAPI's telemetry question answered once."""

from __future__ import annotations

import io
import json
import logging
import os
import random
import re
import time
from datetime import UTC, datetime

import anyio.to_thread
import pytest
import redis
from fastapi.testclient import TestClient

from interviewer.api import metrics
from interviewer.api.app import _framework_telemetry, create_api
from interviewer.core import security
from interviewer.core.config import get_settings, reset_settings_cache
from interviewer.core.logging import JsonFormatter, configure_logging
from interviewer.core.redis import get_redis
from interviewer.models.schemas import MeResponse
from interviewer.services import session_cache
from tests.api.test_auth import SECRET, assert_error, bearer, claims_for, craft
from tests.api.test_health_metrics import scrape, value
from tests.api.test_http_policy import assert_spec_headers
from tests.factories import auth, make_tenant, restore_environment

ME = "/api/v1/auth/me"
PERMISSIONS = "/api/v1/roles/permissions"


@pytest.fixture
def thread_hops(monkeypatch) -> list[str]:
    """Every hand-over to a worker thread (Starlette's run_in_threadpool goes through this)."""
    hops: list[str] = []
    real = anyio.to_thread.run_sync

    async def counted(func, *args, **kwargs):
        hops.append(getattr(func, "__name__", repr(func)))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return hops


# --- async routes: no worker thread, same answers --------------------------------------------------

def test_trivial_and_cache_only_routes_need_no_worker_thread(api, thread_hops):
    acme = make_tenant()
    h = auth(acme.hr)
    assert api.get(ME, headers=h).status_code == 200  # fills the session cache if needed
    thread_hops.clear()
    for path, headers in [("/health", {}), ("/api/v1/health", {}), (ME, h), (PERMISSIONS, h),
                          ("/api/v1/fairness/self-identification/categories", {})]:
        r = api.get(path, headers=headers)
        assert r.status_code == 200, (path, r.text)
        assert thread_hops == [], (path, thread_hops)
    # a database route still runs in a worker thread (the counter sees it)
    assert api.get("/api/v1/users", headers=h).status_code == 200
    assert thread_hops


def test_current_user_without_a_cache_entry_reads_the_database_once_off_the_loop(api, thread_hops):
    acme = make_tenant()
    h = auth(acme.hr)
    get_redis().delete(session_cache.actor_key(acme.hr.id))
    thread_hops.clear()
    r = api.get(ME, headers=h)
    assert r.status_code == 200 and r.json()["email"] == acme.hr.email
    assert len(thread_hops) == 1  # the database check, in one worker thread
    assert get_redis().get(session_cache.actor_key(acme.hr.id))  # and the entry is cached again
    thread_hops.clear()
    assert api.get(ME, headers=h).json() == r.json()
    assert thread_hops == []


def test_current_user_is_exactly_the_public_schema(api):
    """The async route returns the cached profile; FastAPI validates it once against MeResponse, so
    the cache's own fields (version, password-change cut-off, session family) never leak."""
    acme = make_tenant()
    r = api.get(ME, headers=auth(acme.hr))
    assert set(r.json()) == set(MeResponse.model_fields)
    assert r.json()["company_name"] == "Acme" and r.json()["role"] == "HR"
    assert r.headers["content-type"] == "application/json"


@pytest.mark.parametrize("path", [ME, PERMISSIONS])
def test_async_routes_still_refuse_missing_invalid_and_revoked_tokens(api, path):
    acme = make_tenant()
    for headers, code in [({}, "AUTH_009"), (bearer("not-a-token"), "AUTH_002"),
                          (bearer(craft(claims_for(acme.hr), key="another-key-" + "x" * 40)), "AUTH_002"),
                          (bearer(craft(claims_for(acme.hr), exp=int(time.time()) - 5)), "AUTH_003")]:
        r = api.get(path, headers=headers)
        body = assert_error(r, 401, code)
        assert set(body) == {"detail", "error_code", "timestamp"}
        assert r.headers["www-authenticate"] == "Bearer"
        assert_spec_headers(r)
        assert r.headers["cache-control"] == "no-store" and r.headers["x-request-id"]
    login = api.post("/api/v1/auth/login", json={"email": acme.hr.email, "password": "correct-horse-42"})
    token = login.json()["access_token"]
    ok = api.get(path, headers=bearer(token))
    assert ok.status_code == 200 and ok.headers["cache-control"] == "no-store"
    assert api.post("/api/v1/auth/logout", headers=bearer(token)).status_code == 204
    assert_error(api.get(path, headers=bearer(token)), 401, "AUTH_004")


def test_async_current_user_answers_503_when_the_session_store_is_down(api, monkeypatch):
    acme = make_tenant()
    h = auth(acme.hr)

    async def down(*_args):
        raise redis.ConnectionError("session store down")

    monkeypatch.setattr(session_cache, "lookup_async", down)
    r = api.get(ME, headers=h)
    assert_error(r, 503, "SVC_001")
    assert_spec_headers(r)


def test_request_ids_are_random_hex_and_unique(api):
    ids = {api.get("/health").headers["x-request-id"] for _ in range(50)}
    assert len(ids) == 50 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


# --- verified access tokens ------------------------------------------------------------------------

def test_an_access_token_is_verified_once_then_only_its_expiry_is_checked(api, monkeypatch):
    acme = make_tenant()
    expires = int(time.time()) + 2
    token = craft(claims_for(acme.hr), exp=expires)
    calls = []
    real = security.jwt.decode
    monkeypatch.setattr(security.jwt, "decode", lambda *a, **k: calls.append(1) or real(*a, **k))
    for _ in range(5):
        assert api.get(ME, headers=bearer(token)).status_code == 200
    assert len(calls) == 1
    # the claims handed out are copies: a caller changing them does not change the next request's
    security.decode_token(token, token_type="access")["sub"] = "someone-else"
    assert security.decode_token(token, token_type="access")["sub"] == str(acme.hr.id)
    # a remembered token still expires on time
    time.sleep(max(0.0, expires - time.time()) + 0.05)
    body = assert_error(api.get(ME, headers=bearer(token)), 401, "AUTH_003")
    assert "expired" in body["detail"].lower()
    assert token not in security._verified_access


def test_verified_tokens_are_forgotten_when_the_secret_key_changes(app_with_env):
    acme = make_tenant()
    token = craft(claims_for(acme.hr), key=SECRET)
    assert app_with_env().get(ME, headers=bearer(token)).status_code == 200
    rotated = app_with_env(SECRET_KEY="rotated-secret-key-for-this-test-only-0123456789")
    assert_error(rotated.get(ME, headers=bearer(token)), 401, "AUTH_002")


def test_refresh_tokens_and_wrong_types_are_not_served_from_memory(api):
    acme = make_tenant()
    refresh_like = craft(claims_for(acme.hr), type="refresh")
    assert_error(api.get(ME, headers=bearer(refresh_like)), 401, "AUTH_002")
    assert refresh_like not in security._verified_access


# --- access log ------------------------------------------------------------------------------------

@pytest.fixture
def json_logs():
    """A client whose JSON log lines land in a buffer; environment and logging restored after."""
    saved: dict[str, str | None] = {}
    clients: list[TestClient] = []

    def _make(**env: str) -> tuple[TestClient, io.StringIO]:
        for key, val in {"LOG_JSON": "true", "LOG_LEVEL": "INFO", **env}.items():
            saved.setdefault(key, os.environ.get(key))
            os.environ[key] = val
        reset_settings_cache()
        buf = io.StringIO()
        client = TestClient(create_api())
        client.__enter__()
        clients.append(client)
        logging.getLogger("interviewer").handlers[0].setStream(buf)
        return client, buf

    yield _make
    for c in clients:
        c.__exit__(None, None, None)
    restore_environment(saved)
    settings = get_settings()
    configure_logging(settings.LOG_LEVEL, json_logs=settings.LOG_JSON)


def access_lines(buf: io.StringIO, route: str) -> list[dict]:
    entries = [json.loads(line) for line in buf.getvalue().splitlines() if line.strip()]
    return [e for e in entries if e["logger"] == "interviewer.access" and e["metadata"].get("route") == route]


def test_probe_access_lines_can_be_sampled(json_logs, monkeypatch):
    client, buf = json_logs(ACCESS_LOG_SAMPLE_HOT_ROUTES="0.25")
    acme = make_tenant()
    h = auth(acme.hr)
    for _ in range(8):
        assert client.get("/health").status_code == 200
    for _ in range(3):
        assert client.get("/api/v1/users", headers=h).status_code == 200
    probes = access_lines(buf, "/health")
    assert len(probes) == 2 and all(p["metadata"]["sampled_1_in"] == 4 for p in probes)
    api_lines = access_lines(buf, "/api/v1/users")
    assert len(api_lines) == 3 and all("sampled_1_in" not in p["metadata"] for p in api_lines)
    assert all(p["user_id"] == str(acme.hr.id) for p in api_lines)

    import sqlalchemy as sa

    from interviewer.api.v1 import health

    dead = sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none", connect_args={"connect_timeout": 1})
    monkeypatch.setattr(health, "get_engine", lambda: dead)
    assert client.get("/health/db").status_code == 503
    failed = access_lines(buf, "/health/db")
    assert len(failed) == 1 and failed[0]["metadata"]["status"] == 503  # a failing probe is always written


def test_probe_access_lines_can_be_switched_off_and_are_all_written_by_default(json_logs):
    quiet, quiet_buf = json_logs(ACCESS_LOG_SAMPLE_HOT_ROUTES="0")
    for _ in range(5):
        quiet.get("/health")
        quiet.get("/api/v1/health")
    quiet.get("/api/v1/nope")
    assert access_lines(quiet_buf, "/health") == [] and access_lines(quiet_buf, "/api/v1/health") == []
    assert len(access_lines(quiet_buf, "unmatched")) == 1

    everything, buf = json_logs(ACCESS_LOG_SAMPLE_HOT_ROUTES="1")
    for _ in range(5):
        everything.get("/health")
    lines = access_lines(buf, "/health")
    assert len(lines) == 5 and all("sampled_1_in" not in line["metadata"] for line in lines)
    assert len({line["request_id"] for line in lines}) == 5


def test_json_log_timestamps_follow_the_record_across_second_boundaries():
    """The per-second part is cached; every stamp must still be the record's own time, exactly as
    datetime formats it (microseconds rounded the same way), including across second boundaries."""
    formatter = JsonFormatter()
    rng = random.Random(3)
    created = [1_700_000_000.999999, 1_700_000_001.000001, 1_700_000_000.9999996, 1_700_000_001.5,
               1_700_000_000.25, *(rng.uniform(1.6e9, 1.8e9) for _ in range(2000))]
    for when in created:
        record = logging.LogRecord("interviewer.x", logging.INFO, __file__, 1, "hello %s", ("you",), None)
        record.created = when
        entry = json.loads(formatter.format(record))
        assert entry["message"] == "hello you" and entry["level"] == "INFO"
        assert entry["timestamp"] == datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- metrics and framework telemetry ---------------------------------------------------------------

def test_http_metric_children_are_bound_once_and_keep_counting(api):
    route = "/api/v1/health"
    before = value(scrape(api), "http_requests_total", method="GET", path=route, status="200")
    for _ in range(3):
        api.get(route)
    children = metrics._http_children[("GET", route, 200)]
    api.get(route)
    assert metrics._http_children[("GET", route, 200)] is children
    after = scrape(api)
    assert value(after, "http_requests_total", method="GET", path=route, status="200") - before == 4
    assert value(after, "http_request_duration_count", method="GET", path=route) >= 4


def test_turn_latency_observations_keep_their_labels(api):
    metrics.observe_turn_latency("whisper", {"endpoint_ms": 700, "total_ms": 900})
    metrics.observe_turn_latency("whisper", {"endpoint_ms": 300})
    samples = scrape(api)
    assert value(samples, "live_turn_latency_seconds_count", part="endpoint", stt="whisper") >= 2
    assert value(samples, "live_turn_latency_seconds_sum", part="total", stt="whisper") >= 0.9


def test_framework_telemetry_is_off_unless_opentelemetry_is_configured(monkeypatch):
    from opentelemetry import trace

    assert _framework_telemetry() == {"tracing": False, "metrics": False, "logs": False}
    assert create_api()._native_telemetry.enabled() is False

    class ConfiguredProvider:  # what an OpenTelemetry SDK set up before the app would install
        pass

    monkeypatch.setattr(trace, "get_tracer_provider", ConfiguredProvider)
    assert _framework_telemetry() == {}
    monkeypatch.undo()
    monkeypatch.setenv("FASTAPI_OTEL_AUTO_CONFIGURE", "true")
    assert _framework_telemetry() == {}


def test_the_collector_is_tuned_once_per_process():
    """Built apps leave young collections rare and the start-up heap frozen (full collections no
    longer walk it); building another app changes nothing more."""
    import gc

    from interviewer.api import app as app_module

    create_api()
    assert gc.get_threshold() == app_module.GC_THRESHOLDS
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # modules, routes, schemas
    create_api()
    assert gc.get_freeze_count() == frozen and gc.get_threshold() == app_module.GC_THRESHOLDS


# --- routing: a path is tried only against the routers that can serve it --------------------------

def _routes_tried(monkeypatch) -> list[str]:
    """The path of every route whose regular expression is tried."""
    from fastapi.routing import APIRoute

    tried: list[str] = []
    real = APIRoute.matches

    def counted(self, scope):
        tried.append(self.path)
        return real(self, scope)

    monkeypatch.setattr(APIRoute, "matches", counted)
    return tried


def test_a_request_is_matched_only_against_routes_of_its_own_first_segment(api, monkeypatch):
    acme = make_tenant()
    h = auth(acme.hr)
    tried = _routes_tried(monkeypatch)
    for path in ("/api/v1/users", "/api/v1/interviews", "/api/v1/jobs"):
        tried.clear()
        assert api.get(path, headers=h).status_code == 200
        segment = path.split("/")[3]
        foreign = {p for p in tried if p.lstrip("/").split("/")[0] != segment}
        # only the probes (included at the root and under /api/v1, tried first) are tried besides
        assert foreign <= {"/health", "/health/db", "/health/redis", "/metrics"}, foreign
        assert any(p.lstrip("/").split("/")[0] == segment for p in tried)


def test_every_route_is_still_reachable_and_unknown_paths_keep_the_error_format(api):
    from starlette.routing import Match

    from interviewer.api import ws
    from interviewer.api.routing import API_PREFIX
    from interviewer.api.v1 import ai, auth, candidates, companies, fairness, interviews, jobs, ops, privacy, users

    app = api.app
    seen = 0
    for module in (auth, users, companies, candidates, jobs, interviews, ai, ops, fairness, privacy, ws):
        for route in module.router.routes:
            path = API_PREFIX + route.path
            concrete = re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", path)
            # the app, as a whole, finds the route (a path parameter may also be a token or a name)
            scope = {"type": "http", "path": concrete, "root_path": "", "method": next(iter(route.methods or {"GET"})),
                     "headers": []}
            assert any(r.matches(scope)[0] != Match.NONE for r in app.router.routes), path
            seen += 1
    assert seen > 80
    for path in ("/api/v1/no-such-thing", "/api/v1/users-x", "/api/v1/"):
        r = api.get(path)
        assert_error(r, 404, "NOT_FOUND")


def test_a_trailing_slash_still_redirects_to_the_route(api):
    r = api.get("/api/v1/users/", follow_redirects=False)
    assert r.status_code in (307, 308)
    assert r.headers["location"].endswith("/api/v1/users")


def test_a_router_whose_route_starts_with_a_parameter_is_always_tried():
    from starlette.routing import Match

    from interviewer.api.routing import ApiRouter

    router = ApiRouter()

    @router.get("/{anything}/x")
    def handler(anything: str) -> str:
        return anything

    assert router._first_segments() is None
    plain = ApiRouter(prefix="/things")

    @plain.get("")
    def listing() -> list[str]:
        return []

    assert plain._first_segments() == frozenset({"things"})
    assert plain.matches({"type": "http", "path": "/api/v1/other", "root_path": "", "method": "GET"})[0] == Match.NONE
