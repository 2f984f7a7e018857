"""Test setup: a PostgreSQL database and a Redis DB index of the suite's own, real RQ workers.

The environment is fixed before any application module is imported (settings are cached).
Each pytest-xdist worker gets its own database and Redis index.
"""

from __future__ import annotations

import os

_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_index = int(_worker[2:]) if _worker.startswith("gw") and _worker[2:].isdigit() else 0
# TEST_INSTANCE (0-5) lets several suites run side by side on one machine without sharing data.
_instance = int(os.environ.get("TEST_INSTANCE", "0"))
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TEST_DB = f"interviewer_test_{_instance}_{_index}"
os.environ.update(
    ENVIRONMENT="test",
    SECRET_KEY="test-secret-key-for-the-suite-only-0123456789",
    DATABASE_URL=PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{TEST_DB}",
    REDIS_URL=os.environ.get("TEST_REDIS_BASE", "redis://127.0.0.1:6379") + f"/{4 + _instance * 2 + _index}",
    BCRYPT_ROUNDS="4",
    LOG_JSON="false",
    LOG_LEVEL="WARNING",
    SMTP_HOST="",
    GOOGLE_API_KEY="",
    ASSEMBLYAI_API_KEY="",
    PUBLIC_URL="http://testserver",
)

import psycopg  # noqa: E402
import pytest  # noqa: E402

from interviewer.core.config import reset_settings_cache  # noqa: E402

reset_settings_cache()


def _recreate_database() -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {TEST_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {TEST_DB}")


PURE_DIRS = ("tests/ai/",)  # unit tests of pure functions: no database, no Redis


@pytest.fixture(scope="session")
def database():
    """A fresh database built by the real migrations."""
    _recreate_database()
    from interviewer.manage import migrate

    migrate()
    yield
    from interviewer.db import reset_engine

    reset_engine()


@pytest.fixture(autouse=True)
def clean_state(request):
    """Every test starts with empty tables and an empty Redis index."""
    if any(d in request.node.nodeid for d in PURE_DIRS):
        yield
        return
    request.getfixturevalue("database")
    from sqlmodel import SQLModel

    import interviewer.models  # noqa: F401
    from interviewer.core.redis import get_redis
    from interviewer.db import get_engine

    # DELETE in reverse dependency order: far cheaper than TRUNCATE on small tables.
    with get_engine().begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
    get_redis().flushdb()
    yield


@pytest.fixture
def api():
    from fastapi.testclient import TestClient

    from interviewer.api.app import create_api

    with TestClient(create_api(), base_url="http://testserver") as client:
        yield client


@pytest.fixture
def run_jobs():
    """Run every queued job with a real RQ worker (burst mode, in this process) on the real Redis."""
    from rq import SimpleWorker

    from interviewer.jobs.queue import get_queue, rq_connection

    def _run(queues=("high", "default", "email")) -> None:
        SimpleWorker([get_queue(q) for q in queues], connection=rq_connection()).work(burst=True)

    return _run


# Browser tests share one app build (.web) and Playwright's sync API allows one session per
# process: they run together, in order (`make test` runs them in a second, single-process pass).
BROWSER_TESTS = ("tests/deploy/test_prod_local.py", "tests/e2e/")


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: real-browser tests (one app, one Playwright session)")


@pytest.hookimpl(tryfirst=True)  # before -m selects on the marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))
