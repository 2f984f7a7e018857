"""The real app in a real browser: reflex.testing.AppHarness runs the backend in this process
(so it uses the suite's PostgreSQL database and Redis index from tests/conftest.py) and the dev
frontend as a subprocess; Playwright drives Debian's Chromium through its sync API."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.deploy.browser_common import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]


def _prepare_environment() -> Path:
    """Reflex reads REFLEX_DIR (where bun lives) when it is imported: set it up before that."""
    from interviewer.manage import reflex_env

    for key, value in reflex_env().items():  # bun under .reflex/, no telemetry, npm registry
        os.environ.setdefault(key, value)
    tmp = Path(tempfile.mkdtemp(prefix="e2e-xdg-"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
    # The harness frontend listens on a random port: let its socket reach the backend.
    os.environ["REFLEX_CORS_ALLOWED_ORIGINS"] = "*"
    return tmp


_XDG_DIR = _prepare_environment()


@pytest.fixture(scope="session")
def harness(database):
    if not Path(CHROMIUM).exists():  # under `make test` (REQUIRE_TEST_TOOLS=1) a failure: tests/conftest.py
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from reflex.testing import AppHarness

    app = AppHarness.create(root=ROOT, app_name="interviewer")
    app.start()
    # The backend listens on 127.0.0.1: open the pages there too, so that page and event socket
    # are one site and the HttpOnly session cookie (SameSite=Lax) goes with the socket.
    app.frontend_url = app.frontend_url.replace("//localhost", "//127.0.0.1")
    try:
        yield app
    finally:
        app.stop()
        shutil.rmtree(_XDG_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(harness):
    from playwright.sync_api import expect, sync_playwright

    # The dev frontend compiles a route on its first visit: allow more than the 5 s default.
    expect.set_options(timeout=20_000)

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def fake_mic_page(browser, harness, monkeypatch):
    """``fake_mic_page(wav)``: a page in a separate Chromium whose microphone plays ``wav`` in a
    loop (Chromium's fake capture device); the test app accepts the page's origin."""
    from interviewer.core.config import get_settings

    origin = harness.frontend_url.rstrip("/")
    settings = get_settings()
    monkeypatch.setattr(settings, "CORS_ORIGINS", [*settings.CORS_ORIGINS, origin,
                                                   origin.replace("localhost", "127.0.0.1")])
    opened = []

    def _open(wav: Path):
        chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=[
            *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}"])
        context = chromium.new_context(viewport={"width": 1100, "height": 900})
        context.set_default_timeout(30_000)
        opened.append((chromium, context))
        return context.new_page()

    yield _open
    for chromium, context in opened:
        context.close()
        chromium.close()
