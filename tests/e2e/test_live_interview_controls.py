"""The candidate's controls in a real browser (Chromium's fake microphone plays espeak-ng WAVs):

- "Wait, I'm still thinking": it sits next to Done, sends ``{"type": "still_thinking"}`` over the
  audio WebSocket, the server answers ``holding`` and keeps the answer open (no ``answer_end``
  although the answer trails off with "and" and the company's patience is 2 s), and the page says so.
- Voice -> typing mid-answer, without a reload: the socket closes without ending the answer, the
  words already spoken are stored for that answer and shown as "Said so far", the typed text is
  added to the same answer; a ``typed_mode`` signal says "switched". The live transcript is drawn
  by the page script: its words never go from the browser to the Reflex server.
- Typing -> voice: an unsent draft stays part of the answer, the same question continues by voice.
- The read-aloud choice persists across reloads (per browser and interview).
- The microphone check's verdict: good for the test sentence, "too quiet" for a whisper-quiet
  microphone; refused (and not transcribed) for a link that is no longer usable, over the
  interview's own limit, or from a page that never validated a link.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import time
import wave
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from interviewer.core.redis import get_redis
from interviewer.db import session_scope
from interviewer.models import Company, IntegritySignal, Interview, InterviewStatus, Question, TranscriptEntry
from interviewer.services import cache, device_check
from tests.e2e.test_live_interview import SENTENCE as COMPLETE_ANSWER
from tests.api.test_ws_turn_taking import ScriptedSTT
from tests.e2e.test_live_interview import _interview
from tests.services.test_live_interview import make_live_interview

SENTENCE = "I would start with a hash map and"
MID_ANSWER = "A hash table keeps every word with its count in memory and"
TYPED_ADDITION = "Then I would sort the counts and print the ten most frequent words."
DRAFT = "My short answer first."
SHOTS = os.environ.get("E2E_SHOTS_DIR")  # set to keep screenshots of the pages (e.g. /tmp/shots)


def _wav(folder: Path, name: str, text: str, pad_after: float, *effects: str) -> Path:
    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        pytest.fail("espeak-ng and sox are needed for the fake microphone")
    raw, wav = folder / f"{name}-raw.wav", folder / f"{name}.wav"
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav), "pad", "0.3", str(pad_after),
                    *effects], check=True)
    return wav


@pytest.fixture(scope="module")
def wavs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("wav")
    return {
        "trailing": _wav(folder, "trailing", SENTENCE, 20),
        # an answer that trails off with "and", repeated after 4 s: it never ends on its own
        "mid_answer": _wav(folder, "mid", MID_ANSWER, 4),
        "complete": _wav(folder, "complete", COMPLETE_ANSWER, 5),
        "test_sentence": _wav(folder, "test", device_check.TEST_SENTENCE, 2.5),
        # the test sentence 60 dB down: the microphone is on, but barely picks the voice up
        "quiet": _wav(folder, "quiet", device_check.TEST_SENTENCE, 2.5, "vol", "0.001"),
    }


@pytest.fixture
def trailing_wav(wavs) -> Path:
    return wavs["trailing"]


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def watch_console(page: Page) -> list[str]:
    """Console errors and uncaught exceptions of the page (the test asserts there are none)."""
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    return problems


def set_interview_settings(interview_id, **values) -> None:
    with session_scope() as s:
        company = s.get(Company, s.get(Interview, interview_id).company_id)
        company.settings = {**(company.settings or {}), "interview": values}
        s.add(company)
        company_id = company.id
    cache.invalidate_company_settings(company_id)


class Sockets:
    """The frames of the page's WebSockets: the interview audio socket (JSON only) and Reflex's
    event socket (everything the browser sends to the UI server)."""

    def __init__(self, page: Page) -> None:
        self.sent: list[dict] = []
        self.received: list[dict] = []
        self.closed: list[str] = []
        self.to_reflex: list[str] = []
        page.on("websocket", self._on_socket)

    def _on_socket(self, ws) -> None:
        if "/ws/interview/" in ws.url:
            ws.on("framesent", lambda payload: isinstance(payload, str) and self.sent.append(json.loads(payload)))
            ws.on("framereceived", lambda payload: isinstance(payload, str)
                  and self.received.append(json.loads(payload)))
            ws.on("close", lambda _ws: self.closed.append(ws.url))
        elif "/_event" in ws.url:
            ws.on("framesent", lambda payload: self.to_reflex.append(payload if isinstance(payload, str)
                                                                     else payload.decode("utf-8", "replace")))

    def listening(self) -> int:
        return sum(1 for m in self.received if m.get("state") == "listening")

    def wait(self, page: Page, what, timeout_s: float = 30) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if what():
                return
            page.wait_for_timeout(100)
        raise AssertionError(f"timed out; audio socket sent {self.sent}, received {self.received}")


def answers(interview_id) -> list[TranscriptEntry]:
    with session_scope() as s:
        return list(s.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == interview_id,
                                                         TranscriptEntry.kind == "answer")
                           .order_by(TranscriptEntry.seq)).all())


def open_interview(page: Page, harness, token: str, *, typed: bool = False) -> None:
    page.goto(harness.frontend_url.rstrip("/") + "/interview/" + token)
    page.click("#live-consent")
    page.click("#live-accept")
    if typed:
        page.click("#live-typed-switch")
    page.click("#live-speak-switch")  # no speech synthesis in the test browser
    expect(page.locator("#live-start")).to_be_enabled(timeout=30_000)
    page.evaluate("window.__samePage = true")  # gone after a reload


def test_still_thinking_button_sends_its_message_and_holds_the_answer(fake_mic_page, trailing_wav, harness):
    page: Page = fake_mic_page(trailing_wav)
    token, interview_id = _interview()
    with session_scope() as s:
        company = s.get(Company, s.get(Interview, interview_id).company_id)
        company.settings = {**(company.settings or {}), "interview": {"max_follow_ups": 0, "patience_seconds": 2}}
        s.add(company)
        company_id = company.id
    cache.invalidate_company_settings(company_id)

    sent: list[dict] = []
    received: list[tuple[float, dict]] = []

    def on_socket(ws) -> None:
        if "/ws/interview/" not in ws.url:
            return
        ws.on("framesent", lambda payload: isinstance(payload, str) and sent.append(json.loads(payload)))
        ws.on("framereceived", lambda payload: isinstance(payload, str)
              and received.append((time.monotonic(), json.loads(payload))))

    page.on("websocket", on_socket)
    page.goto(harness.frontend_url.rstrip("/") + "/interview/" + token)
    page.click("#live-consent")
    page.click("#live-accept")
    page.click("#live-speak-switch")  # no speech synthesis in the test browser
    expect(page.locator("#live-start")).to_be_enabled(timeout=30_000)
    page.click("#live-start")

    done, thinking = page.locator("#live-done"), page.locator("#live-still-thinking")
    expect(done).to_be_visible()
    expect(thinking).to_be_visible()
    expect(thinking).to_contain_text("still thinking")
    for _ in range(300):
        if any(m.get("state") == "listening" for _, m in received):
            break
        page.wait_for_timeout(100)
    assert any(m.get("state") == "listening" for _, m in received), received
    page.wait_for_timeout(2500)  # the sentence (~2 s) has been spoken
    thinking.click()
    page.wait_for_timeout(200)
    assert {"type": "still_thinking"} in sent, sent
    expect(page.locator("#live-activity")).to_contain_text("Take your time", timeout=10_000)
    holding = [t for t, m in received if m.get("type") == "holding"]
    assert holding, received
    page.wait_for_timeout(5000)  # far beyond the 2 s patience for a trailing "and"
    assert not any(m.get("type") == "answer_end" for _, m in received), received
    done.click()
    expect(page.locator("#live-progress")).to_have_text("Question 2 of 2", timeout=30_000)
    assert any(m.get("type") == "answer_end" and m.get("reason") == "done" for _, m in received), received


# --- voice <-> typing, without a reload ------------------------------------------------------------

def test_switching_to_typing_mid_answer_keeps_the_spoken_words(fake_mic_page, wavs, harness):
    page: Page = fake_mic_page(wavs["mid_answer"])
    problems = watch_console(page)
    sockets = Sockets(page)
    token, interview_id = _interview()
    set_interview_settings(interview_id, max_follow_ups=0, patience_seconds=15)

    open_interview(page, harness, token)
    page.click("#live-start")
    expect(page.locator("#live-progress")).to_have_text("Question 1 of 2")
    sockets.wait(page, lambda: sockets.listening() >= 1)
    # The live transcript is drawn by the page script as the words come in (the first words of
    # the answer, while it is still being said: a grey partial).
    box = page.locator("#live-transcript")
    words = box.locator(".live-final, .live-partial")
    expect(words.first).to_contain_text(re.compile(r"hash|table|keeps|every|word", re.IGNORECASE), timeout=45_000)
    shot(page, "1-voice-mode")
    heard = " ".join(words.all_inner_texts())

    # Mid-answer: type instead. The socket closes without "done"; the answer is not ended.
    page.click("#live-to-typed")
    sockets.wait(page, lambda: sockets.closed, timeout_s=10)
    expect(page.locator("#live-typed-answer")).to_be_visible()
    said = page.locator("#live-said-so-far")
    expect(said).to_contain_text("Said so far")
    expect(said).to_contain_text(re.compile(r"hash|table|keeps|every|word", re.IGNORECASE), timeout=20_000)
    expect(said).to_contain_text("What you type below is added to this.", timeout=20_000)  # saving finished
    expect(page.locator("#live-progress")).to_have_text("Question 1 of 2")
    expect(page.locator("#live-to-voice")).to_be_visible()
    assert not any(m.get("type") == "done" for m in sockets.sent), sockets.sent
    assert not any(m.get("type") in ("answer_end", "next") for m in sockets.received), sockets.received
    spoken = answers(interview_id)
    assert spoken and all(a.question_index == 0 and a.source == "whisper" for a in spoken), spoken
    shown = [line.strip() for line in said.locator(".live-said-line").all_inner_texts()]
    assert shown == [a.text for a in spoken]  # what is shown is what is stored
    shot(page, "2-typed-after-switch")

    page.fill("#live-typed-answer", TYPED_ADDITION)
    page.click("#live-submit")
    expect(page.locator("#live-progress")).to_have_text("Question 2 of 2", timeout=30_000)
    assert page.evaluate("window.__samePage === true")  # no reload anywhere

    first = [a for a in answers(interview_id) if a.question_index == 0]
    assert [a.source for a in first] == ["whisper"] * len(spoken) + ["typed"]  # spoken first, then typed
    assert first[-1].text == TYPED_ADDITION
    assert [a.text for a in first[:-1]] == [a.text for a in spoken]
    with session_scope() as s:
        signals = s.exec(select(IntegritySignal).where(IntegritySignal.interview_id == interview_id,
                                                       IntegritySignal.kind == "typed_mode")).all()
        assert [sig.detail.get("reason") for sig in signals] == ["switched"]
        assert s.get(Interview, interview_id).current_question_index == 1

    # The words on screen came straight from the audio socket: none went to the Reflex server.
    shown_words = set(re.findall(r"[a-z]{4,}", heard.lower())) - set(TYPED_ADDITION.lower().split())
    assert shown_words, heard
    # (as values: Reflex's own protocol has keys such as "hash" in its router data)
    values = [re.sub(r'"[^"]*"\s*:', " ", frame.lower()) for frame in sockets.to_reflex]
    leaked = [w for w in shown_words if any(re.search(rf"\b{re.escape(w)}\b", v) for v in values)]
    assert not leaked, leaked
    assert not problems, problems


def test_switching_from_typing_to_voice_continues_the_question_by_voice(fake_mic_page, wavs, harness):
    page: Page = fake_mic_page(wavs["complete"])
    problems = watch_console(page)
    sockets = Sockets(page)
    token, interview_id = _interview()
    set_interview_settings(interview_id, max_follow_ups=0)

    open_interview(page, harness, token, typed=True)
    page.click("#live-start")
    expect(page.locator("#live-progress")).to_have_text("Question 1 of 2")
    expect(page.locator("#live-typed-answer")).to_be_visible()
    assert not sockets.sent  # typing: no audio socket
    page.fill("#live-typed-answer", DRAFT)

    page.click("#live-to-voice")
    expect(page.locator("#live-transcript")).to_contain_text(DRAFT)  # the draft stays part of the answer
    expect(page.locator("#live-done")).to_be_visible()
    sockets.wait(page, lambda: sockets.listening() >= 1)
    assert {"type": "start_answer", "question_index": 0} in sockets.sent
    expect(page.locator("#live-progress")).to_have_text("Question 1 of 2")
    # the spoken words join the draft in the live transcript (until the answer ends)
    expect(page.locator("#live-transcript .live-final, #live-transcript .live-partial").nth(1)).to_contain_text(
        re.compile(r"stack|queue|first", re.IGNORECASE), timeout=45_000)
    expect(page.locator("#live-progress")).to_have_text("Question 2 of 2", timeout=60_000)
    assert page.evaluate("window.__samePage === true")

    first = [a for a in answers(interview_id) if a.question_index == 0]
    assert first[0].source == "typed" and first[0].text == DRAFT
    voiced = " ".join(a.text.lower() for a in first[1:])
    assert first[1:] and {a.source for a in first[1:]} == {"whisper"} and "first in first out" in voiced, first

    # The page's part of the turn budget: question 2 on screen, timed from the "next" message
    # (read-aloud is off: no speech time), stored with the spoken turn.
    sockets.wait(page, lambda: any(m.get("type") == "prompt_shown" for m in sockets.sent))
    shown = [m for m in sockets.sent if m.get("type") == "prompt_shown"]
    assert len(shown) == 1 and shown[0]["question_index"] == 1 and shown[0]["attempt"] == 0, shown
    assert 0 <= shown[0]["shown_ms"] < 10_000 and shown[0]["spoken_ms"] is None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not (answers(interview_id)[len(first) - 1].latency or {}).get("show_ms"):
        time.sleep(0.2)
    budget = [a.latency for a in answers(interview_id) if a.question_index == 0 and a.latency]
    assert len(budget) == 1 and budget[0]["show_ms"] == shown[0]["shown_ms"], budget
    assert not problems, problems


# --- read aloud --------------------------------------------------------------------------------------

def _switch_on(page: Page, selector: str) -> bool:
    return page.locator(selector).get_attribute("data-state") == "checked"


def test_the_read_aloud_choice_persists_across_reloads(fake_mic_page, wavs, harness):
    page: Page = fake_mic_page(wavs["complete"])
    problems = watch_console(page)
    token, _ = _interview()
    other = make_live_interview(company_name="Beta").token
    url = harness.frontend_url.rstrip("/") + "/interview/" + token

    page.goto(url)
    page.click("#live-consent")
    page.click("#live-accept")
    expect(page.locator("#live-speak-switch")).to_have_attribute("data-state", "checked")  # the default
    page.click("#live-speak-switch")
    expect(page.locator("#live-speak-switch")).to_have_attribute("data-state", "unchecked")

    page.reload()  # not started yet: the welcome page again
    page.click("#live-consent")
    page.click("#live-accept")
    expect(page.locator("#live-speak-switch")).to_have_attribute("data-state", "unchecked")
    page.click("#live-typed-switch")
    page.click("#live-start")
    expect(page.locator("#live-speak-toggle")).to_have_attribute("data-state", "unchecked")
    assert page.evaluate("window.InterviewPage.speak") is False

    page.click("#live-speak-toggle")  # on again, during the interview
    expect(page.locator("#live-speak-toggle")).to_have_attribute("data-state", "checked")
    page.reload()  # started: "welcome back"
    expect(page.get_by_text("Welcome back")).to_be_visible()
    page.click("#live-continue")
    expect(page.locator("#live-speak-toggle")).to_have_attribute("data-state", "checked")
    assert page.evaluate("window.InterviewPage.speak") is True
    page.click("#live-speak-toggle")
    page.reload()  # at once: the choice is stored at the click, not when the server's answer comes back
    page.click("#live-continue")
    expect(page.locator("#live-speak-toggle")).to_have_attribute("data-state", "unchecked")

    stored = page.evaluate("Object.entries(localStorage)")
    assert [value for key, value in stored if key.startswith("interviewer.readAloud.")] == ["0"]
    assert not any(token in key or token in value for key, value in stored)  # the link itself is not kept

    # Another interview in the same browser has its own choice (the default).
    page.goto(harness.frontend_url.rstrip("/") + "/interview/" + other)
    page.click("#live-consent")
    page.click("#live-accept")
    expect(page.locator("#live-speak-switch")).to_have_attribute("data-state", "checked")
    assert not problems, problems


# --- the microphone check --------------------------------------------------------------------------

def test_the_choices_are_read_even_when_the_page_script_loads_late(fake_mic_page, wavs, harness):
    """On a reload the state asks for the stored choices at once; the page script may not be
    loaded yet (it was the cause of a flaky failure: the defaults came back, and the fake
    microphone then answered the interview by voice). The choices are read without it."""
    page: Page = fake_mic_page(wavs["complete"])
    problems = watch_console(page)
    token, _ = _interview()
    open_interview(page, harness, token, typed=True)  # read-aloud off, typing chosen
    page.click("#live-start")
    expect(page.locator("#live-typed-answer")).to_be_visible()

    def late(route):
        time.sleep(2.5)
        route.continue_()
    page.route("**/interview_page.js*", late)
    page.reload()
    expect(page.get_by_text("Welcome back")).to_be_visible(timeout=30_000)
    expect(page.locator("#live-typed-switch")).to_have_attribute("data-state", "checked")
    page.click("#live-continue")
    expect(page.locator("#live-typed-answer")).to_be_visible()
    expect(page.locator("#live-speak-toggle")).to_have_attribute("data-state", "unchecked")
    page.wait_for_function("window.InterviewPage && window.InterviewPage.active === true")
    assert page.evaluate("window.InterviewPage.typed") is True and page.evaluate("window.InterviewPage.speak") is False
    assert not problems, problems


def test_the_typing_choice_survives_a_reload(fake_mic_page, wavs, harness):
    """A candidate who chose typing is not sent back to the microphone by a reload (the fake
    microphone plays a complete spoken answer: had the page gone on by voice, it would be heard)."""
    page: Page = fake_mic_page(wavs["complete"])
    problems = watch_console(page)
    sockets = Sockets(page)
    token, interview_id = _interview()
    set_interview_settings(interview_id, max_follow_ups=0)

    open_interview(page, harness, token, typed=True)
    page.reload()  # before the start: the welcome page again, typing still chosen
    page.click("#live-consent")
    page.click("#live-accept")
    expect(page.locator("#live-typed-switch")).to_have_attribute("data-state", "checked")
    page.click("#live-start")
    expect(page.locator("#live-typed-answer")).to_be_visible()

    page.reload()  # started: "welcome back", still typing
    expect(page.get_by_text("Welcome back")).to_be_visible()
    expect(page.locator("#live-typed-switch")).to_have_attribute("data-state", "checked")
    page.click("#live-continue")
    expect(page.locator("#live-typed-answer")).to_be_visible()
    expect(page.locator("#live-progress")).to_have_text("Question 1 of 2")
    page.wait_for_timeout(1500)
    assert page.evaluate("window.InterviewPage.typed") is True
    assert not sockets.sent  # no audio socket was opened after either reload

    page.click("#live-to-voice")  # the other way: voice chosen during the interview
    expect(page.locator("#live-done")).to_be_visible()
    page.reload()
    expect(page.get_by_text("Welcome back")).to_be_visible()
    expect(page.locator("#live-typed-switch")).to_have_attribute("data-state", "unchecked")

    stored = dict(page.evaluate("Object.entries(localStorage)"))
    assert [v for k, v in stored.items() if k.startswith("interviewer.answerMode.")] == ["voice"]
    assert not any(token in key or token in value for key, value in stored.items())
    assert not problems, problems


FIRST_PART, SECOND_PART = "I would use a hash map.", "Then I would sort the counts."


@pytest.fixture(scope="module")
def two_part_wav(tmp_path_factory) -> Path:
    """A finished sentence, a 1.5 s thinking pause, a second sentence, then 20 s of silence."""
    folder = tmp_path_factory.mktemp("two-part")
    parts = []
    for name, text in (("first", FIRST_PART), ("second", SECOND_PART)):
        raw, wav = folder / f"{name}-raw.wav", folder / f"{name}.wav"
        subprocess.run(["espeak-ng", "-s", "150", "-w", str(raw), text], check=True)
        subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True)
        parts.append(wav)
    paused, out = folder / "first-paused.wav", folder / "two-part.wav"
    subprocess.run(["sox", str(parts[0]), str(paused), "pad", "0", "1.5"], check=True)
    subprocess.run(["sox", str(paused), str(parts[1]), str(out), "pad", "0.3", "20"], check=True)
    return out


def text_history(element_id: str, name: str) -> str:
    """A script for ``page.evaluate``: every text the element shows from now on, in order, in ``window[name]``."""
    return f"""() => {{
  window.{name} = [];
  const seen = () => {{
    const el = document.getElementById("{element_id}"), text = el ? el.textContent : null;
    if (text && window.{name}[window.{name}.length - 1] !== text) window.{name}.push(text);
  }};
  seen();
  new MutationObserver(seen).observe(document.body, {{childList: true, subtree: true, characterData: true}});
}}"""


QUESTION_HISTORY = text_history("live-question", "__questions")


def test_going_on_after_a_quick_end_takes_the_answer_back(fake_mic_page, two_part_wav, harness, monkeypatch):
    """A finished sentence, then a pause, then more: the next question appears at once, the
    candidate goes on, and question 1 is back with the answer open; both parts are stored as its
    answer, and question 2 is only settled after the silence that follows."""
    from interviewer.api import ws as ws_module

    monkeypatch.setattr(ws_module, "get_stt", lambda: ScriptedSTT(FIRST_PART, SECOND_PART, ""))
    page: Page = fake_mic_page(two_part_wav)
    problems = watch_console(page)
    sockets = Sockets(page)
    token, interview_id = _interview()
    set_interview_settings(interview_id, max_follow_ups=0)
    open_interview(page, harness, token)
    page.click("#live-start")
    expect(page.locator("#live-progress")).to_have_text("Question 1 of 2")
    first_question = page.locator("#live-question").text_content()
    page.evaluate(QUESTION_HISTORY)

    sockets.wait(page, lambda: any(m.get("type") == "reopened" for m in sockets.received), timeout_s=60)
    expect(page.locator("#live-progress")).to_have_text("Question 1 of 2")  # back on question 1, listening
    expect(page.locator("#live-activity")).to_contain_text("Still listening")
    with session_scope() as s:
        assert s.get(Interview, interview_id).current_question_index == 0  # nothing was written for question 2
    shot(page, "live-taken-back")

    expect(page.locator("#live-progress")).to_have_text("Question 2 of 2", timeout=30_000)
    sockets.wait(page, lambda: any(m.get("type") == "next" and not m.get("provisional") for m in sockets.received))
    history = page.evaluate("window.__questions")
    second_question = history[1]
    assert history == [first_question, second_question, first_question, second_question], history
    kinds = [m["type"] + ("~" if m.get("provisional") else "") for m in sockets.received
             if m.get("type") in ("answer_end", "next", "reopened")]
    assert kinds[:6] == ["answer_end~", "next~", "reopened", "answer_end~", "next~", "next"], kinds
    with session_scope() as s:
        assert s.get(Interview, interview_id).current_question_index == 1
    said = [(a.question_index, a.text) for a in answers(interview_id)]
    assert said[:2] == [(0, FIRST_PART), (0, SECOND_PART)], said
    assert not problems, problems


def _to_device_check(page: Page, harness, token: str) -> None:
    page.goto(harness.frontend_url.rstrip("/") + "/interview/" + token)
    page.click("#live-consent")
    page.click("#live-accept")
    expect(page.locator("#live-test-record")).to_be_enabled(timeout=30_000)


# Polled in the page: true once the microphone has been quiet for 1.5 s after some speech, i.e.
# right after the test sentence, 1 s before it is said again (the 5 s recording then holds it all).
AFTER_SPEECH = """() => {
  const P = window.InterviewPage, now = performance.now();
  const st = window.__gap || (window.__gap = {loud: null});
  if (P && P.level > 20) st.loud = now;
  return st.loud !== null && now - st.loud > 1500;
}"""


def _device_check_page(fake_mic_page, wav: Path, harness) -> tuple[Page, list[str]]:
    """A new interview's microphone check, with ``wav`` as the microphone; and its console errors."""
    page: Page = fake_mic_page(wav)
    problems = watch_console(page)
    token, _ = _interview()
    _to_device_check(page, harness, token)
    return page, problems


def _record_the_sentence(page: Page) -> None:
    page.wait_for_function(AFTER_SPEECH, polling=50, timeout=30_000)
    page.click("#live-test-record")


def test_device_check_says_good_for_a_clear_sentence(fake_mic_page, wavs, harness):
    page, problems = _device_check_page(fake_mic_page, wavs["test_sentence"], harness)
    _record_the_sentence(page)
    verdict = page.locator("#live-test-verdict")
    expect(verdict).to_be_visible(timeout=45_000)
    expect(verdict).to_have_attribute("data-status", "good")
    expect(verdict).to_contain_text("Good: we heard you clearly")
    expect(verdict).to_contain_text("You are ready to start")
    expect(page.locator("#live-test-transcript")).to_contain_text(re.compile(r"technical interview", re.IGNORECASE))
    expect(verdict).to_contain_text(re.compile(r"Words recognised: [5-8] of 8"))
    shot(page, "3-device-check-good")
    assert not problems, problems


def test_device_check_says_too_quiet_for_a_faint_microphone(fake_mic_page, wavs, harness):
    page, problems = _device_check_page(fake_mic_page, wavs["quiet"], harness)
    page.click("#live-test-record")
    verdict = page.locator("#live-test-verdict")
    expect(verdict).to_be_visible(timeout=45_000)
    expect(verdict).to_have_attribute("data-status", "quiet")
    expect(verdict).to_contain_text("Too quiet")
    expect(verdict).to_contain_text("Move closer to the microphone or raise its input volume")
    shot(page, "4-device-check-quiet")
    assert not problems, problems


def test_device_check_says_when_the_speech_service_is_busy(fake_mic_page, wavs, harness, monkeypatch):
    """The speech pool refuses device checks while live answers saturate it: the page says it is
    retrying, and after the retries a clear message instead of a verdict."""
    from interviewer.services import speech

    real = speech.transcribe_device_check
    outcomes = ["busy", "busy", "real", "busy", "busy", "busy"]

    def crowded(pcm16, prompt=None, timeout=30.0):
        if outcomes.pop(0) == "busy":
            raise speech.SpeechBusyError("live answers fill the pool")
        return real(pcm16, prompt=prompt, timeout=timeout)

    monkeypatch.setattr(speech, "transcribe_device_check", crowded)
    page, problems = _device_check_page(fake_mic_page, wavs["test_sentence"], harness)
    _record_the_sentence(page)
    expect(page.locator("#live-test-busy")).to_have_text("The speech service is busy; retrying…", timeout=20_000)
    expect(page.locator("#live-test-verdict")).to_have_attribute("data-status", "good", timeout=45_000)
    expect(page.locator("#live-test-busy")).to_have_count(0)

    page.click("#live-test-record")  # busy through every retry
    expect(page.locator("#live-test-busy")).to_be_visible(timeout=20_000)
    expect(page.locator("#live-test-failed")).to_contain_text("The speech service is busy right now", timeout=30_000)
    expect(page.locator("#live-test-verdict")).to_have_count(0)
    assert outcomes == []
    assert not problems, problems


class EventSocket:
    """Playwright between the page and Reflex's event socket: frames pass through unchanged, and
    the test can send an event of its own, as a hand-made client would (socket.io frames
    ``42/_event,["event", {name, payload, router_data}]``, as the page sends them)."""

    def __init__(self, page: Page) -> None:
        self.server = None
        self.seen: list[str] = []
        page.route_web_socket(re.compile(r".*/_event.*"), self._route)

    def _route(self, ws) -> None:
        server = self.server = ws.connect_to_server()

        def from_page(message) -> None:
            if isinstance(message, str):
                self.seen.append(message)
            server.send(message)

        ws.on_message(from_page)

    def send_event(self, page: Page, handler: str, payload: dict) -> None:
        from interviewer.state.interview_live_state import InterviewLiveState

        assert self.server is not None, "no event socket seen"
        assert any(m.startswith('42/_event,["event"') for m in self.seen), self.seen[:3]  # the frame format
        path = "/" + page.url.split("/", 3)[3]
        event = {"name": f"{InterviewLiveState.get_full_name()}.{handler}", "payload": payload,
                 "router_data": {"pathname": path, "asPath": path, "query": {"token": path.rsplit("/", 1)[-1]}}}
        self.server.send("42/_event," + json.dumps(["event", event]))


def test_device_check_is_refused_without_a_usable_link(fake_mic_page, wavs, harness, monkeypatch):
    transcribed: list[int] = []
    real = device_check.transcribe
    monkeypatch.setattr(device_check, "transcribe",
                        lambda pcm, **kw: transcribed.append(len(pcm)) or real(pcm, **kw))
    with wave.open(str(wavs["test_sentence"])) as recording:
        audio = {"audio": base64.b64encode(recording.readframes(recording.getnframes())).decode()}
    page: Page = fake_mic_page(wavs["test_sentence"])
    events = EventSocket(page)
    token, interview_id = _interview()
    _to_device_check(page, harness, token)

    # A hand-made device-check event from a page whose link was validated is served (so the same
    # event below reaches the server too) ...
    events.send_event(page, "transcribe_test", audio)
    deadline = time.monotonic() + 30
    while not transcribed and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert len(transcribed) == 1

    # ... over this interview's own limit: a clear message, nothing transcribed.
    for _ in range(device_check.DEVICE_CHECK_LIMIT.requests - 1):
        with session_scope() as s:
            device_check.authorize(s, token)
    page.click("#live-test-record")
    expect(page.get_by_text(re.compile(r"tested the microphone 10 times.*Please wait"))).to_be_visible(timeout=20_000)
    assert len(transcribed) == 1

    # The link stops being usable while the page is open: refused, and the page says why.
    get_redis().delete(*get_redis().keys("rl:device_check:*"))
    with session_scope() as s:
        s.get(Interview, interview_id).status = InterviewStatus.CANCELLED
    page.click("#live-test-record")
    expect(page.locator("#live-error")).to_contain_text("cancelled", timeout=20_000)
    assert len(transcribed) == 1
    assert get_redis().keys("rl:device_check:*") == []  # not counted either

    # A page that never validated a link: the same event is ignored, and not even counted.
    get_redis().delete(*(get_redis().keys("rl:ai:*") or ["none"]))
    page.goto(harness.frontend_url.rstrip("/") + "/interview/no-such-link")
    expect(page.locator("#live-error")).to_contain_text("not valid")
    events.send_event(page, "transcribe_test", audio)
    page.wait_for_timeout(3000)
    assert len(transcribed) == 1
    assert get_redis().keys("rl:device_check:*") == [] and get_redis().keys("rl:ai:*") == []


@pytest.fixture(scope="module")
def long_pause_wav(tmp_path_factory) -> Path:
    """A finished sentence, a 3 s thinking pause, a second sentence, then 20 s of silence."""
    folder = tmp_path_factory.mktemp("long-pause")
    first = _wav(folder, "first", FIRST_PART, 3.0)
    second = _wav(folder, "second", SECOND_PART, 20)
    out = folder / "long-pause.wav"
    subprocess.run(["sox", str(first), str(second), str(out)], check=True)
    return out


ACTIVITY_HISTORY = text_history("live-activity", "__activity")


def test_the_last_answer_wraps_up_at_once_and_completes_only_after_the_silence(fake_mic_page, long_pause_wav,
                                                                              harness, monkeypatch):
    """After the last question, a finished-sounding sentence gets "finishing up" at once (not the
    company's whole patience) while the microphone stays on; the candidate goes on, the question
    is back, and the interview completes only after the silence that follows, with both parts
    stored as the answer."""
    from interviewer.api import ws as ws_module

    monkeypatch.setattr(ws_module, "get_stt", lambda: ScriptedSTT(FIRST_PART, SECOND_PART, ""))
    page: Page = fake_mic_page(long_pause_wav)
    problems = watch_console(page)
    sockets = Sockets(page)
    token, interview_id = _interview()
    with session_scope() as s:  # a one-question interview: question 1 is the last
        job_id = s.get(Interview, interview_id).job_template_id
        for question in s.exec(select(Question).where(Question.job_template_id == job_id,
                                                      Question.position > 0)).all():
            s.delete(question)
    set_interview_settings(interview_id, max_follow_ups=0, patience_seconds=6)
    open_interview(page, harness, token)
    page.evaluate(ACTIVITY_HISTORY)
    page.click("#live-start")
    expect(page.locator("#live-progress")).to_have_text("Question 1 of 1")

    expect(page.locator("#live-activity")).to_contain_text("finishing up", timeout=60_000)
    wrap = next(m for m in sockets.received if m.get("type") == "next")
    assert wrap["kind"] == "done" and wrap["provisional"], wrap  # shown at once, not after 6 s of silence
    expect(page.locator("#live-thanks")).to_have_count(0)
    with session_scope() as s:
        assert s.get(Interview, interview_id).status != InterviewStatus.COMPLETED
    shot(page, "live-finishing-up")

    sockets.wait(page, lambda: any(m.get("type") == "reopened" for m in sockets.received), timeout_s=30)
    expect(page.locator("#live-thanks")).to_contain_text("Thank you", timeout=45_000)
    kinds = [m["type"] + ("~" if m.get("provisional") else "") for m in sockets.received
             if m.get("type") in ("answer_end", "next", "reopened")]
    assert kinds == ["answer_end~", "next~", "reopened", "answer_end~", "next~", "next"], kinds
    activity = page.evaluate("window.__activity")
    wraps = [n for n, text in enumerate(activity) if "finishing up" in text]
    assert wraps and any("Still listening" in text for text in activity[wraps[0]:]), activity
    with session_scope() as s:
        assert s.get(Interview, interview_id).status == InterviewStatus.COMPLETED
    said = [(a.question_index, a.text) for a in answers(interview_id)]
    assert said == [(0, FIRST_PART), (0, SECOND_PART)], said
    assert not problems, problems
