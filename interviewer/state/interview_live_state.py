"""The candidate's live interview at ``/interview/[token]`` (public: the link's token is the
credential). Phases: ``loading`` -> ``welcome`` (consent) -> ``device`` (microphone check or typed
mode) -> ``interview`` -> ``done``; ``resume`` after a reload of a started interview; ``error``
for links that cannot be used.

The browser side (``assets/interview_page.js``) owns the microphone, the audio WebSocket and
speech synthesis; this state reads its events through a long-poll (``InterviewPage.next()``) and
calls the services (``live_interview``) in background events, never holding the state lock
while the database, the speech model or the AI works. Only plain values are kept here.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
from typing import Any

import reflex as rx

from interviewer.core import errors as E
from interviewer.services import live_interview as live
from interviewer.state import interview_live_calls_state as calls
from interviewer.state.interview_live_calls_state import (
    ERRORS,
    MAX_TEST_AUDIO_B64,
    TEST_RECORD_MS,
)

log = logging.getLogger("interviewer.live.page")

class InterviewLiveState(rx.State):
    phase: str = "loading"
    link_token: str = ""
    error_title: str = ""
    error_text: str = ""
    job_title: str = ""
    company_name: str = ""
    first_name: str = ""
    duration_minutes: int = 0
    consent: bool = False
    typed_mode: bool = False
    speak_questions: bool = True
    mic_state: str = "idle"  # idle | starting | ok | failed
    mic_message: str = ""
    test_state: str = "idle"  # idle | recording | transcribing | done | empty
    test_transcript: str = ""
    kind: str = "question"
    question_text: str = ""
    question_index: int = 0
    attempt: int = 0
    k: int = 1
    n: int = 1
    time_left: int = 0
    silence_seconds: int = 3
    activity: str = ""  # what is happening now, in words
    partial: str = ""
    finals: list[str] = rx.field(default_factory=list)
    typed_answer: str = ""
    busy: bool = False
    notice: str = ""
    api_base: str = ""
    ws_base: str = ""

    # --- loading --------------------------------------------------------------------------
    def _token(self) -> str:
        raw = self.router.page.params.get("token") or str(self.router.url.path or "").rstrip("/").rsplit("/", 1)[-1]
        return str(raw or "")[:255]

    def _error(self, reason: str) -> None:
        self.phase = "error"
        self.error_title, self.error_text = ERRORS.get(reason, ERRORS["not_found"])

    def _bases(self) -> None:
        host = self.router.headers.host or ""
        secure = str(self.router.headers.origin or "").startswith("https")
        self.api_base = f"{'https' if secure else 'http'}://{host}"
        self.ws_base = f"{'wss' if secure else 'ws'}://{host}"

    @rx.event
    def load(self):
        self.reset()
        self.link_token = self._token()
        self._bases()
        try:
            info = calls.link_info(self.link_token)
        except E.DomainError:
            return self._error("not_found")
        self.job_title = info["job_title"] or "the role"
        self.company_name = info["company_name"] or "the company"
        self.first_name = info["candidate_first_name"] or ""
        self.duration_minutes = int(info["duration_minutes"] or 0)
        if not info["valid"]:
            return self._error(str(info["reason"]))
        self.phase = "resume" if info["status"] == "in_progress" else "welcome"
        return InterviewLiveState.listen

    @rx.event
    def listen(self):
        return rx.call_script("window.InterviewPage ? window.InterviewPage.next()"
                              " : new Promise((resolve) => setTimeout(() => resolve([]), 300))",
                              callback=InterviewLiveState.on_page_events)

    # --- welcome and device check ---------------------------------------------------------
    @rx.event
    def set_consent(self, value: bool):
        self.consent = bool(value)

    @rx.event
    def accept(self):
        if not self.consent:
            self.notice = "Please tick the box to confirm you have read how the interview works."
            return
        self.notice = ""
        self.phase = "device"
        if not self.typed_mode:
            return self.start_mic()

    @rx.event
    def start_mic(self):
        self.mic_state, self.mic_message = "starting", ""
        return rx.call_script("window.InterviewPage.startMic()")

    @rx.event
    def set_typed_mode(self, value: bool):
        self.typed_mode = bool(value)
        if self.typed_mode:
            return rx.call_script("window.InterviewPage.stopMic()")
        return self.start_mic()

    @rx.event
    def set_speak(self, value: bool):
        self.speak_questions = bool(value)
        return rx.call_script(f"window.InterviewPage.setSpeak({json.dumps(self.speak_questions)})")

    @rx.event
    def record_test(self):
        self.test_state, self.test_transcript = "recording", ""
        return rx.call_script(f"window.InterviewPage.recordTest({TEST_RECORD_MS})",
                              callback=InterviewLiveState.transcribe_test)

    @rx.event(background=True)
    async def transcribe_test(self, audio: Any):
        raw = audio if isinstance(audio, str) and len(audio) <= MAX_TEST_AUDIO_B64 else ""
        async with self:
            self.test_state = "transcribing"
        try:
            pcm = base64.b64decode(raw, validate=True)
            text = await asyncio.to_thread(calls.transcribe, pcm[:len(pcm) // 2 * 2]) if pcm else ""
        except (binascii.Error, ValueError, RuntimeError, OSError):
            log.warning("device check transcription failed", exc_info=True)
            text = ""
        async with self:
            self.test_transcript = text
            self.test_state = "done" if text else "empty"

    # --- the interview --------------------------------------------------------------------
    @rx.event(background=True)
    async def begin(self):
        async with self:
            if self.busy:
                return
            self.busy, self.notice = True, ""
            token = self.link_token
        try:
            view = await asyncio.to_thread(calls.open_view, token)
        except E.DomainError as exc:
            async with self:
                self.busy = False
                self._error(calls.reason(exc))
            return
        async with self:
            self.busy = False
            self.time_left = int(view["time_left_seconds"])
            self.silence_seconds = int(view["silence_seconds"])
            if view["done"]:
                self.phase = "done"
                return
            self._show(view["current"])
            self.phase = "interview"
            config = {"token": token, "apiBase": self.api_base, "wsBase": self.ws_base, "step": view["current"],
                      "timeLeft": self.time_left, "speak": self.speak_questions, "typed": self.typed_mode}
            typed = self.typed_mode
        if typed:
            await asyncio.to_thread(calls.record_signal, token, "typed_mode", {"reason": "chosen"}, None)
        yield rx.call_script(f"window.InterviewPage.begin({json.dumps(config)})")

    def _show(self, step: dict[str, Any]) -> None:
        self.kind, self.question_text = str(step["kind"]), str(step["text"])
        self.question_index, self.attempt = int(step["question_index"]), int(step.get("attempt") or 0)
        self.k, self.n = int(step["k"]), int(step["n"])
        self.partial, self.finals, self.typed_answer = "", [], ""
        self.activity = "Type your answer below." if self.typed_mode else "Listen to the question, then answer aloud."

    @rx.event
    def done_speaking(self):
        self.activity = "Saving your answer…"
        return rx.call_script("window.InterviewPage.done()")

    @rx.event
    def set_typed_answer(self, value: str):
        self.typed_answer = value[:live.MAX_UTTERANCE_CHARS]

    @rx.event(background=True)
    async def submit_typed(self):
        async with self:
            text = self.typed_answer.strip()
            if self.busy or not text:
                self.notice = "" if text else "Please write an answer before submitting."
                return
            self.busy, self.notice, self.activity = True, "", "Saving your answer…"
            token, index, attempt = self.link_token, self.question_index, self.attempt
        try:
            step = await asyncio.to_thread(calls.answer_typed, token, index, attempt, text)
        except E.DomainError as exc:
            async with self:
                self.busy = False
                if isinstance(exc, (E.NotFoundError, live.InterviewUnavailableError)):
                    self._error(calls.reason(exc))
                else:
                    self.notice = exc.message
            return
        async with self:
            self.busy = False
            self.finals = [*self.finals, text]
        async for event in self._apply_step(step):
            yield event

    async def _apply_step(self, step: dict[str, Any]):
        """Show the next prompt, or complete the interview and say thank you."""
        if step["kind"] == "done":
            async for event in self._complete():
                yield event
            return
        async with self:
            self._show(step)
            typed = self.typed_mode
        if typed:
            yield rx.call_script(f"window.InterviewPage.showStep({json.dumps(step)})")

    async def _complete(self):
        async with self:
            token = self.link_token
        try:
            await asyncio.to_thread(calls.complete, token)
        except E.DomainError:
            log.warning("completing the interview failed", exc_info=True)
        async with self:
            self.phase, self.busy = "done", False
        yield rx.call_script("window.InterviewPage.finish()")

    @rx.event(background=True)
    async def switch_to_typed(self, message: str):
        async with self:
            if self.typed_mode:
                return
            self.typed_mode, self.notice = True, message
            self.activity = "Type your answer below."
            token, phase = self.link_token, self.phase
            step = {"kind": self.kind, "text": self.question_text, "question_index": self.question_index,
                    "attempt": self.attempt, "k": self.k, "n": self.n}
            config = {"token": token, "apiBase": self.api_base, "wsBase": self.ws_base, "step": step,
                      "timeLeft": self.time_left, "speak": False, "typed": True}
        if phase == "interview":
            await asyncio.to_thread(calls.record_signal, token, "mic_failed", {"message": message[:200]}, None)
            yield rx.call_script(f"window.InterviewPage.begin({json.dumps(config)})")

    # --- events from the browser ------------------------------------------------------------
    @rx.event
    def on_page_events(self, events: Any):
        if not isinstance(events, list):
            return None  # a newer listener took over
        follow: list[Any] = []
        for ev in events[:200]:
            if isinstance(ev, dict):
                follow.extend(self._on_event(ev))
        if self.phase in ("loading", "error", "done"):
            return follow
        return [*follow, InterviewLiveState.listen]

    def _on_event(self, ev: dict[str, Any]) -> list[Any]:
        kind = ev.get("type")
        if kind == "mic":
            if ev.get("ok"):
                self.mic_state, self.mic_message = "ok", ""
                return []
            self.mic_state = "failed"
            self.mic_message = str(ev.get("message") or "The microphone could not be started.")
            return [InterviewLiveState.switch_to_typed(
                self.mic_message + " You can type your answers instead; nothing else changes.")]
        if self.phase != "interview":
            return []
        index = ev.get("question_index")
        if kind in ("partial", "final") and index == self.question_index:
            if kind == "final":
                self.finals = [*self.finals, str(ev.get("text") or "")][-50:]
                self.partial = ""
            else:
                self.partial = str(ev.get("text") or "")
        elif kind == "listening" and index == self.question_index:
            self.activity = "Listening… answer aloud, then press Done or pause for a few seconds."
        elif kind == "answer_end":
            self.activity = "Saving your answer…"
        elif kind == "next":
            step = {key: ev.get(key) for key in ("kind", "text", "question_index", "k", "n", "attempt")}
            if step["kind"] == "done":
                return [InterviewLiveState.finish_interview]
            if step["question_index"] != self.question_index or step["attempt"] != self.attempt:
                self._show(step)
        elif kind == "reconnecting":
            self.activity = "Reconnecting… your answer so far is saved."
        elif kind == "error" and ev.get("detail"):
            self.notice = str(ev["detail"])[:300]
        elif kind == "gone":
            return [InterviewLiveState.finish_interview]
        elif kind == "time_up":
            self.notice = "The time for this interview is up. Thank you!"
            return [InterviewLiveState.finish_interview]
        elif kind == "signal":
            detail = ev.get("detail") if isinstance(ev.get("detail"), dict) else {}
            return [InterviewLiveState.send_signal(str(ev.get("kind") or ""), detail, ev.get("occurred_at"))]
        return []

    @rx.event(background=True)
    async def send_signal(self, kind: str, detail: dict[str, Any], occurred: Any):
        async with self:
            token = self.link_token
        await asyncio.to_thread(calls.record_signal, token, kind, detail, calls.parse_when(occurred))

    @rx.event(background=True)
    async def finish_interview(self):
        async with self:
            if self.phase == "done":
                return
        async for event in self._complete():
            yield event
