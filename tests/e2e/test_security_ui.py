"""Issue 12 in the browser: the UI pages carry a strict Content-Security-Policy with
frame-ancestors 'none' (and X-Frame-Options DENY), cannot be framed, and run without a single CSP
violation (sign-in, dashboard, live interview with the microphone bridge's audio worklet); a UI
action over the REST API's rate limit says how long to wait.

The pages here come from the dev server (Vite, headers added by interviewer/web_security.py); the
production build behind nginx is checked in tests/deploy/test_prod_local.py."""

from __future__ import annotations

import re
import uuid
import wave
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from interviewer.core.csp import inline_script_hashes
from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import Interview, InterviewStatus, JobTemplate, Question
from interviewer.services import rate_limits
from interviewer.services.interviews import token_hash
from tests.e2e.support import sign_in
from tests.factories import PASSWORD, make_candidate, make_tenant

# Every violation the page reports, whatever its origin (init script: runs before the page's own).
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
});
"""


def _policy(headers) -> dict[str, list[str]]:
    policy = headers["content-security-policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


@pytest.fixture
def watched(page: Page):
    """The page, with CSP violations collected from the console and from the DOM event."""
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text else None)
    page.add_init_script(COLLECT_VIOLATIONS)

    def violations() -> list[str]:
        return console + page.evaluate("() => window.__cspViolations || []")

    page.csp_violations = violations  # type: ignore[attr-defined]
    return page


def _interview_link() -> str:
    tenant = make_tenant("Acme")
    candidate = make_candidate(tenant.company.id, "robin@example.test", name="Robin Rivera")
    token = uuid.uuid4().hex
    with session_scope() as s:
        job = JobTemplate(company_id=tenant.company.id, title="Backend Engineer")
        s.add(job)
        s.flush()
        s.add(Question(job_template_id=job.id, text="What is a stack?", position=0, key_points=["last in first out"]))
        now = utcnow()
        s.add(Interview(company_id=tenant.company.id, candidate_id=candidate.id, job_template_id=job.id,
                        token=token_hash(token), status=InterviewStatus.SCHEDULED, scheduled_at=now,
                        expires_at=now + timedelta(days=2), duration_minutes=20))
    return token


def test_pages_send_a_strict_policy_and_cannot_be_framed(harness, page: Page):
    base = harness.frontend_url.rstrip("/")
    for path in ("/login", "/dashboard", "/interview/some-token"):
        r = httpx.get(base + path, headers={"Accept": "text/html"}, timeout=60)
        assert r.status_code == 200 and "<html" in r.text.lower()
        assert r.headers["x-frame-options"] == "DENY"
        policy = _policy(r.headers)
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
        script = policy["script-src"]
        assert "'unsafe-inline'" not in script and "*" not in script and "data:" not in script
        # every inline script of the page is allowed by its hash, and only those
        hashes = [s for s in script if s.startswith("'sha256-")]
        assert hashes and sorted(hashes) == sorted(inline_script_hashes(r.text))

    # Framed by another page: Chromium refuses to render it.
    page.set_content(f'<iframe id="f" src="{base}/login" width="600" height="400"></iframe>')
    page.wait_for_timeout(3000)
    frame = page.frame_locator("#f")
    assert frame.locator("#login-email").count() == 0
    child = page.frames[1] if len(page.frames) > 1 else None
    assert child is None or child.url.startswith("chrome-error://") or child.url in ("", "about:blank")


def test_no_policy_violations_on_login_dashboard_and_live_interview(harness, watched: Page, browser, tmp_path: Path):
    page = watched
    make_tenant("Globex")
    token = _interview_link()
    base = harness.frontend_url.rstrip("/")

    page.goto(base + "/login")
    expect(page.locator("#login-email")).to_be_visible()
    page.fill("#login-email", "hr@acme.test")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")  # the state websocket to the backend
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.locator("#stage-heading")).to_have_text("Candidates by pipeline stage")
    page.wait_for_timeout(1000)
    assert page.csp_violations() == []

    # The live interview with a (fake) microphone: the audio worklet and the bridge's scripts run.
    silence = tmp_path / "silence.wav"
    with wave.open(str(silence), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x00\x01" * 16000)
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={silence}"])
    try:
        context = chromium.new_context()
        context.set_default_timeout(30_000)
        live = context.new_page()
        console: list[str] = []
        live.on("console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None)
        live.add_init_script(COLLECT_VIOLATIONS)
        live.goto(base + "/interview/" + token)
        expect(live.locator("#live-welcome")).to_contain_text("Backend Engineer")
        live.click("#live-consent")
        live.click("#live-accept")
        expect(live.locator("#live-start")).to_be_enabled()  # the microphone bridge is running
        live.wait_for_function("!!document.getElementById('live-level')")
        live.wait_for_timeout(1000)
        assert console + live.evaluate("() => window.__cspViolations") == []
        context.close()
    finally:
        chromium.close()


def test_a_rate_limited_ui_upload_says_how_long_to_wait(harness, watched: Page, tmp_path: Path):
    page = watched
    make_tenant("Acme")
    base = harness.frontend_url.rstrip("/")
    sign_in(page, base)
    # This browser (whatever loopback address the backend sees) used up the REST upload limit.
    for client in ("127.0.0.1", "::1", "localhost"):
        for _ in range(rate_limits.limit_for("upload").requests):
            rate_limits.check("upload", client)
    page.goto(base + "/candidates")
    page.click("#open-import")
    csv_file = tmp_path / "c.csv"
    csv_file.write_text("name,email\nLara Croft,lara@example.test\n", encoding="utf-8")
    page.set_input_files("#csv-upload input[type=file]", str(csv_file))
    page.click("#import-start")
    expect(page.locator("#import-dialog [role=alert]")).to_contain_text(re.compile(r"Please wait (\d+ seconds|about \d+ minutes)"))
    assert page.csp_violations() == []
