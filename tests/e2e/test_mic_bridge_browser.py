"""The browser bridge end to end: Debian's Chromium plays an espeak-ng WAV as its microphone;
mic_bridge.js + pcm_worklet.js capture it, downsample to 16 kHz PCM16 and stream it to the real
WebSocket (uvicorn, a one-time ticket); Whisper transcribes; the answer ends on silence and
the server asks a follow-up. Skipped when Chromium or Playwright is missing."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import wave
from pathlib import Path

import pytest

from interviewer.core.config import PROJECT_ROOT, reset_settings_cache
from interviewer.db import session_scope
from interviewer.services import live_interview as live
from tests.services.test_live_interview import make_live_interview

from tests.speech.audio import noise, speech_pcm, word_error_rate

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SENTENCE = "I would use a hash map to count the words"
PAGE = """<!doctype html><html><body><script src="/mic_bridge.js"></script><script>
window.events = [];
InterviewerMic.onEvent(function (e) { window.events.push(e); });
InterviewerMic.start("/api/v1/interviews/live/%s/ticket", 0)
  .catch(function (e) { window.events.push({type: "start_failed", name: e.name}); });
</script></body></html>"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(monkeypatch):
    uvicorn = pytest.importorskip("uvicorn")
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    from interviewer.api.app import create_api

    port = _free_port()
    monkeypatch.setenv("PUBLIC_URL", f"http://127.0.0.1:{port}")
    reset_settings_cache()
    app = create_api()
    pages: dict[str, str] = {}
    app.add_api_route("/page/{name}", lambda name: HTMLResponse(pages[name]))
    app.mount("/", StaticFiles(directory=PROJECT_ROOT / "assets"))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", pages
    srv.should_exit = True
    thread.join(20)
    monkeypatch.delenv("PUBLIC_URL")
    reset_settings_cache()


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_browser_microphone_to_transcript(server, tmp_path, browser):
    base, pages = server
    w = make_live_interview()
    with session_scope() as s:
        live.open_session(s, w.token)
    pcm = noise(500) + speech_pcm(SENTENCE, tmp_path) + b"\0" * 32 * 6000  # then 6 s of silence
    wav_path = tmp_path / "mic.wav"
    with wave.open(str(wav_path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(pcm)
    pages["live"] = PAGE % w.token
    profile = Path(tmp_path / "profile")
    # One Playwright session per process: a second Chromium (with the fake microphone) is started
    # from the shared browser's Playwright.
    mic_browser = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--autoplay-policy=no-user-gesture-required", "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={wav_path}"
    ], env={**os.environ, "XDG_CONFIG_HOME": str(profile / "config"), "XDG_CACHE_HOME": str(profile / "cache")})
    try:
        page = mic_browser.new_page()
        page.goto(f"{base}/page/live")
        page.wait_for_function("window.events.some(e => e.type === 'next' || e.type === 'start_failed')",
                               timeout=60_000)
        events = page.evaluate("window.events")
        level = page.evaluate("InterviewerMic.level()")
        page.evaluate("InterviewerMic.stop()")
    finally:
        mic_browser.close()
    kinds = [e["type"] for e in events]
    assert "start_failed" not in kinds and "mic_failed" not in kinds, events
    finals = [e for e in events if e["type"] == "final"]
    assert finals and 1 - word_error_rate(SENTENCE, finals[0]["text"]) >= 0.5, finals
    answer_end = next(e for e in events if e["type"] == "answer_end")
    step = next(e for e in events if e["type"] == "next")
    # Ended by the turn policy after the sentence (not by a button or the clock).
    assert answer_end["reason"] in {"complete", "likely", "unsure", "patience"}, answer_end
    assert step["kind"] == "follow_up" and step["question_index"] == 0
    assert level >= 0
