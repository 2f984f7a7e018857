"""One limiter for REST and UI events (issue 12): the Reflex event handlers that do costly work
count against the same Redis counters as the REST API (services.rate_limits), keyed by the same
client address, and a limited UI action says how long to wait instead of failing silently."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import pytest

from interviewer.core.config import get_settings
from interviewer.core.redis import get_redis
from interviewer.services import rate_limits
from interviewer.state.auth_state import rate_limited

BROWSER_IP = "198.51.100.7"


def fresh_window(category: str, margin: float = 8.0) -> None:
    """Fixed windows: never start a burst right before the category's window ends."""
    window = rate_limits.limit_for(category).window
    into = time.time() % window
    if into > window - margin:
        time.sleep(window - into + 0.05)


def router(ip: str = BROWSER_IP, forwarded: str | None = None):
    """What a Reflex state sees of the browser: the socket peer and the handshake headers."""
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    return SimpleNamespace(headers=SimpleNamespace(raw_headers=headers), session=SimpleNamespace(client_ip=ip))


def use_up(category: str, ip: str = BROWSER_IP) -> None:
    for _ in range(rate_limits.limit_for(category).requests):
        assert rate_limits.check(category, ip) is None


# --- the shared counter ---------------------------------------------------------------------------

def test_rest_uploads_use_up_the_ui_upload_actions(app_with_env):
    fresh_window("upload")
    api = app_with_env(client=(BROWSER_IP, 40000))
    allowed = rate_limits.limit_for("upload").requests
    for _ in range(allowed):  # unauthenticated, but counted before anything else
        r = api.post("/api/v1/ai/ats-check", files={"file": ("cv.txt", b"hello", "text/plain")})
        assert r.status_code != 429
    for action in ("resume_upload", "ats_check", "import", "candidate_ats_check"):
        message = rate_limited(router(), action)
        assert "Please wait" in message, (action, message)
    assert rate_limited(router("198.51.100.8"), "resume_upload") == ""  # another browser is unaffected
    assert rate_limited(router(), "generate_questions") == ""  # another category is unaffected


def test_ui_actions_use_up_the_rest_limit(app_with_env):
    fresh_window("ai")
    api = app_with_env(client=(BROWSER_IP, 40000))
    allowed = rate_limits.limit_for("ai").requests
    results = [rate_limited(router(), "generate_questions") for _ in range(allowed)]
    assert results == [""] * allowed
    assert "Please wait" in rate_limited(router(), "try_answer")
    r = api.post("/api/v1/jobs/00000000-0000-0000-0000-000000000001/generate-questions", json={"count": 3})
    assert r.status_code == 429
    body = r.json()
    assert set(body) == {"detail", "error_code", "timestamp"} and body["error_code"] == "RATE_001"
    assert r.headers["retry-after"].isdigit()


def test_ui_counts_the_forwarded_client_behind_the_proxy(app_with_env):
    fresh_window("ai")
    app_with_env(TRUSTED_PROXY_HOPS="1", client=("10.0.0.2", 40000))
    assert get_settings().TRUSTED_PROXY_HOPS == 1
    assert rate_limited(router("10.0.0.2", forwarded="203.0.113.50"), "transcription") == ""
    keys = get_redis().keys("rl:ai:*")
    assert len(keys) == 1 and keys[0].startswith("rl:ai:203.0.113.50:")


def test_disabled_limits_allow_ui_actions(app_with_env):
    app_with_env(RATE_LIMIT_ENABLED="false")
    for _ in range(rate_limits.limit_for("ai").requests + 2):
        assert rate_limited(router(), "generate_questions") == ""


def test_wait_message_reads_well():
    assert rate_limits.wait_message(1) == "Too many requests in a short time. Please wait 1 second and try again."
    assert "Please wait 42 seconds" in rate_limits.wait_message(42)
    assert "about 5 minutes" in rate_limits.wait_message(290)


# --- every costly handler obeys it -----------------------------------------------------------------

class FakeState:
    """Just enough of a Reflex state to run one handler's body: attributes, the router and
    ``async with self`` (background events)."""

    def __init__(self, **attrs):
        self.router = router()
        self.__dict__.update(attrs)

    def _rate_limited(self, action: str) -> str:
        return rate_limited(self.router, action)

    def _call(self, *_a, **_k):
        raise AssertionError("the service ran although the client is over its limit")

    _with_candidate = _run = _call

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False


class FakeUpload:
    filename, content_type = "cv.txt", "text/plain"

    async def read(self, _n: int) -> bytes:
        return b"Jane Doe, Python developer"


async def _drain(result):
    events = []
    if asyncio.iscoroutine(result):
        result = await result
    if hasattr(result, "__aiter__"):
        async for event in result:
            events.append(event)
    elif hasattr(result, "__next__"):
        events.extend(result)
    elif result is not None:
        events.append(result)
    return events


def _run(handler, state, *args):
    return asyncio.run(_drain(handler.fn(state, *args)))


@pytest.fixture
def over_limits():
    fresh_window("upload")
    fresh_window("ai")
    use_up("upload")
    use_up("ai")


def test_upload_handlers_show_the_wait(over_limits):
    from interviewer.state.ats_state import AtsState
    from interviewer.state.candidates_files_state import CandidateFilesState
    from interviewer.state.import_state import ImportState

    ats = FakeState(error="", job_description="", uploading=False)
    _run(AtsState.upload, ats, [FakeUpload()])
    assert "Please wait" in ats.error and not ats.uploading

    imp = FakeState(error="", mode="skip", company="", uploading=False)
    _run(ImportState.upload, imp, [FakeUpload()])
    assert "Please wait" in imp.error and not imp.uploading

    files = FakeState(resume_error="", uploading=False, candidate_id="x")
    _run(CandidateFilesState.upload_resume, files, [FakeUpload()])
    assert "Please wait" in files.resume_error and not files.uploading

    files = FakeState(use_job_description=False, has_job_description=False, ats_running=False)
    events = _run(CandidateFilesState.run_ats, files)
    assert len(events) == 1 and "Please wait" in str(events[0])  # a toast with the wait


def test_a_second_ats_click_while_a_check_runs_starts_nothing():
    """A double click queues a second "Run ATS check" behind the first: it must not create a
    second check (FakeState's service call fails the test if it runs)."""
    from interviewer.state.candidates_files_state import CandidateFilesState

    files = FakeState(use_job_description=False, has_job_description=False, ats_running=True)
    assert _run(CandidateFilesState.run_ats, files) == []


def test_ai_handlers_show_the_wait(over_limits, monkeypatch):
    from interviewer.state import interview_live_calls_state as calls
    from interviewer.state.interview_live_state import InterviewLiveState
    from interviewer.state.jobs_editor_state import JobEditorState
    from interviewer.state.rubric_playground_state import PlaygroundState

    editor = FakeState(gen_status="", gen_error="")
    events = _run(JobEditorState.generate, editor)
    assert "Please wait" in editor.gen_error and "Please wait" in str(events[0])

    playground = FakeState(running=False, question_id="q", answer="An answer", error="")
    _run(PlaygroundState.score_it, playground)
    assert "Please wait" in playground.error and not playground.running

    from interviewer.state.interviews_report_state import ReportState

    fresh_window("api")
    use_up("api")
    report = FakeState(r_reason="Key points were fixed", r_error="", r_open=True, interview_id="x")
    _run(ReportState.save_rescore, report)
    assert "Please wait" in report.r_error and report.r_open  # nothing queued, the dialog stays open

    monkeypatch.setattr(calls, "transcribe", lambda pcm: pytest.fail("speech-to-text ran over the limit"))
    live = FakeState(phase="device", test_state="recording", notice="")
    _run(InterviewLiveState.transcribe_test, live, "AAAA")
    assert "Please wait" in live.notice and live.test_state == "idle"


def test_device_check_needs_an_accepted_link(monkeypatch):
    """The device check's speech-to-text runs only after load() accepted an interview link."""
    from interviewer.state import interview_live_calls_state as calls
    from interviewer.state.interview_live_state import InterviewLiveState

    monkeypatch.setattr(calls, "transcribe", lambda pcm: pytest.fail("speech-to-text ran without a link"))
    live = FakeState(phase="loading", test_state="recording", notice="")
    _run(InterviewLiveState.transcribe_test, live, "AAAA")
    assert live.test_state == "idle"
    assert get_redis().keys("rl:ai:*") == []  # not even counted

    live = FakeState(phase="error", consent=True, notice="")
    assert _run(InterviewLiveState.accept, live) == [] and live.phase == "error"
