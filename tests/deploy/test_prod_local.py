"""`make prod-local`'s machinery (interviewer.ops.ProdLocal), lighter: the production frontend build,
nginx as TLS proxy, two backend processes with Reflex state in Redis, on this test's own database
and Redis index (tests/conftest.py) and ports of its own. Drives a REST login and a real sign-in in
Chromium through the proxy and checks that both backends served requests, websockets included.

~40-60 s on 2 cores: the frontend export (~20 s, cached between runs when nothing changed) and
two backend starts dominate. Skipped when Chromium is missing, or nginx is missing and cannot be
installed (not root)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from interviewer.core.config import PROJECT_ROOT
from interviewer.ops import ProdLocal, nginx_binary
from tests.deploy.browser_common import CHROMIUM
from tests.factories import PASSWORD, make_candidate, make_tenant

pytestmark = pytest.mark.xdist_group("prod_local")


def _ports() -> int:
    instance = int(os.environ.get("TEST_INSTANCE", "0"))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    return 20000 + instance * 100 + index * 20


@pytest.fixture(scope="module")
def prod_local(database):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    if nginx_binary() is None and os.geteuid() != 0:
        pytest.skip("nginx is not installed and cannot be installed without root")
    base = _ports()
    instance = ProdLocal(
        base_dir=PROJECT_ROOT / "var" / f"prodlocal-test-{base}",
        https_port=base + 43, http_port=base + 80, backend_ports=(base + 1, base + 2),
        worker_queues=(),  # no RQ worker needed here (tests/deploy/test_worker_shutdown.py has them)
        database_url=os.environ["DATABASE_URL"], redis_url=os.environ["REDIS_URL"],
        extra_env={"BCRYPT_ROUNDS": "4", "LOG_LEVEL": "WARNING"},
    )
    instance.stop(quiet=True)  # leftovers of an interrupted run
    instance.access_log.unlink(missing_ok=True)
    instance.start()
    try:
        yield instance
    finally:
        instance.stop(quiet=True)


def test_rest_login_and_reads_through_the_proxy_reach_both_backends(prod_local):
    tenant = make_tenant("Acme")
    make_candidate(tenant.company.id, "ana@example.test", name="Ana")
    origin = prod_local.origin
    with httpx.Client(base_url=origin, verify=False, timeout=10) as client:
        # Plain HTTP is redirected to HTTPS.
        redirect = httpx.get(f"http://{prod_local.host}:{prod_local.http_port}/login", follow_redirects=False)
        assert redirect.status_code == 301
        assert redirect.headers["location"] == f"https://{prod_local.host}:{prod_local.https_port}/login"

        login = client.post("/api/v1/auth/login", json={"email": "hr@acme.test", "password": PASSWORD})
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        upstreams = {login.headers["x-upstream-addr"]}
        for _ in range(4):
            r = client.get("/api/v1/candidates", headers=headers)
            assert r.status_code == 200
            assert [c["name"] for c in r.json()["candidates"]] == ["Ana"]
            upstreams.add(r.headers["x-upstream-addr"])
        assert upstreams == {f"127.0.0.1:{p}" for p in prod_local.backend_ports}

        # The static frontend comes from nginx (no upstream), TLS headers are set.
        page = client.get("/login")
        assert page.status_code == 200 and "<html" in page.text
        assert page.headers.get("x-upstream-addr", "") == ""
        assert "max-age" in page.headers["strict-transport-security"]
        # The pages' Content-Security-Policy (generated from the build): no framing, inline
        # scripts only by their hashes.
        assert page.headers["x-frame-options"] == "DENY"
        policy = page.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        from interviewer.core.csp import inline_script_hashes
        assert set(inline_script_hashes(page.content)) <= set(policy.split("script-src")[1].split(";")[0].split())
        assert client.get("/health/db").json()["status"] == "ok"
        assert client.get("/ping").status_code == 200
        # /metrics is not public: relayed by the proxy it is refused (scrape the app port or use METRICS_TOKEN).
        assert client.get("/metrics").status_code == 403


def test_browser_sign_in_through_the_proxy_uses_reflex_state_in_redis(prod_local, tmp_path):
    from interviewer.core.redis import get_redis

    make_tenant("Acme")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("browser_sign_in.py")), prod_local.origin,
                           "hr@acme.test", PASSWORD, str(prod_local.access_log)],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    token = result["token"]
    assert token and result["same_token"]
    # Reflex keeps the tab's state in Redis (REFLEX_STATE_IN_REDIS=1), not in one backend's memory,
    # and the reloaded tab was served by both backends in turn.
    assert any(get_redis().scan_iter(match=f"{token}*", count=1000))
    assert result["event_upstreams"] == sorted(f"127.0.0.1:{p}" for p in prod_local.backend_ports)
    assert result["csp_violations"] == []  # sign-in and dashboard run under the production policy


def test_unknown_paths_answer_404_with_the_styled_page_and_app_pages_200(prod_local, tmp_path):
    """Issue 13 item 7 on the production path (nginx in front of the exported frontend): an unknown
    address answers HTTP 404 with the app's page, which renders the styled "Page not found" with a
    way back, while the app's pages, those with an id in their path included, answer 200
    (tests/deploy/test_web_routes.py checks the generated configuration; this, what is served)."""
    with httpx.Client(base_url=prod_local.origin, verify=False, timeout=10) as client:
        app_shell = client.get("/404").text  # the exported 404 page: the app's HTML, rendered in the browser
        assert "<html" in app_shell and "/assets/" in app_shell
        for path in ("/no-such-page", "/candidates/0b7e4c9e-1111-4f00-9d7c-2c1f0e6a7b10/edit", "/dashboard/x"):
            missing = client.get(path)
            assert missing.status_code == 404, path
            assert missing.headers["content-type"].startswith("text/html"), path
            assert missing.text == app_shell, path  # the app's page, not nginx's bare "404 Not Found"
            assert "max-age" in missing.headers["strict-transport-security"], path
        assert client.get("/assets/no-such-file.js").status_code == 404
        for path in ("/login", "/register-company", "/candidates", "/candidates/0b7e4c9e-1111-4f00-9d7c-2c1f0e6a7b10",
                     "/jobs/0b7e4c9e-1111-4f00-9d7c-2c1f0e6a7b10", "/"):
            page = client.get(path)
            assert page.status_code == 200 and "<html" in page.text, path

    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("browser_not_found.py")), prod_local.origin],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["status"] == 404
    assert "We could not find this page" in seen["text"] and seen["title"].startswith("Page not found")
    assert seen["home"] == "/login"  # "Go to my home page" works for a signed-out visitor
    assert seen["console_errors"] == []
