"""The candidate's live interview at ``/interview/[token]`` (public: the link's token is the
credential). Phases: ``loading`` -> ``welcome`` (consent) -> ``device`` (microphone check or typed
mode) -> ``interview`` -> ``done``; ``resume`` after a reload of a started interview; ``error``
for links that cannot be used.

The browser side (``assets/interview_page.js``) owns the microphone, the audio WebSocket, speech
synthesis and the live transcript (drawn by the page script itself); this state reads only phase
changes through a long-poll (``InterviewPage.next()``) and calls the services (``live_interview``;
``device_check`` through the ``LiveDeviceCheck`` mixin) in background events, never holding the
state lock while the database, the speech model or the AI works. Only plain values are kept here.

During the interview the candidate can switch between voice and typing at any time: switching to
typing closes the audio socket without ending the answer (the server stores what was said as
utterances of it, shown as "Said so far" above the typing box); the typed text is added to the
same answer. Switching back keeps an unsent draft as part of the answer and continues by voice.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from typing import Any

import reflex as rx

from interviewer.core import errors as E
from interviewer.services import live_interview as live
from interviewer.state import interview_live_calls_state as calls
from interviewer.state.interview_live_calls_state import ERRORS
from interviewer.state.interview_live_device_state import LiveDeviceCheck

log = logging.getLogger("interviewer.live.page")
SAID_POLL_S = 0.4  # after a switch to typing: how often the stored answer is read again
SAID_GRACE_S = 1.0  # ... the server notices the closed socket and starts storing within this
SAID_WAIT_S = 15.0  # ... and followed at most this long


def _read_prefs(speak_key: str, mode_key: str) -> str:
    """Script: the read-aloud and voice/typing choices kept for this interview ([speak, mode]),
    read straight from localStorage (the page script may not be loaded yet on a reload), and the
    keys left for that script (``window.__interviewPrefs``) to store later choices under."""
    keys = json.dumps({"speakKey": speak_key, "modeKey": mode_key})
    return (f"(() => {{ const k = {keys}; window.__interviewPrefs = k; "
            "try { return [localStorage.getItem(k.speakKey), localStorage.getItem(k.modeKey)]; } "
            "catch (e) { return [null, null]; } })()")


class InterviewLiveState(LiveDeviceCheck, rx.State):
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
    kind: str = "question"
    question_text: str = ""
    question_index: int = 0
    attempt: int = 0
    k: int = 1
    n: int = 1
    time_left: int = 0
    silence_seconds: int = 3
    patience_seconds: float = 3.5  # end-of-turn patience (see interviewer.live.turn_policy)
    activity: str = ""  # what is happening now, in words
    said_so_far: list[str] = rx.field(default_factory=list)  # stored words of the open answer (typing)
    saving_said: bool = False  # just switched to typing: the server is still storing what was said
    typed_answer: str = ""
    busy: bool = False
    notice: str = ""
    api_base: str = ""
    ws_base: str = ""
    _link_ok: bool = False  # load() validated this state's link (the device check needs it)
    _speak_key: str = ""  # the browser's localStorage key of the read-aloud choice for this link
    _switch_seq: int = 0  # bumped by every mode switch and answer: stale followers stop

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
        self._link_ok = True
        digest = hashlib.sha256(self.link_token.encode()).hexdigest()[:16]
        self._speak_key = "interviewer.readAloud." + digest
        mode_key = "interviewer.answerMode." + digest
        self.phase = "resume" if info["status"] == "in_progress" else "welcome"
        return [InterviewLiveState.listen, rx.call_script(_read_prefs(self._speak_key, mode_key),
                                                          callback=InterviewLiveState.apply_prefs)]

    @rx.event
    def apply_prefs(self, value: Any):
        """The read-aloud and voice/typing choices this browser made earlier for this interview
        (none: the defaults), so a reload keeps both."""
        if not isinstance(value, list) or len(value) != 2:
            return
        speak, mode = value
        if speak in ("0", "1"):
            self.speak_questions = speak == "1"
        if mode in ("typed", "voice") and self.phase in ("welcome", "resume"):
            self.typed_mode = mode == "typed"

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
        if self.phase != "welcome":  # only after load() accepted the link
            return
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
        keep = rx.call_script(f"window.InterviewPage.setMode({json.dumps(self.typed_mode)})")
        if self.typed_mode:
            return [keep, rx.call_script("window.InterviewPage.stopMic()")]
        return [keep, self.start_mic()]

    @rx.event
    def set_speak(self, value: bool):
        self.speak_questions = bool(value)
        return rx.call_script(f"window.InterviewPage.setSpeak({json.dumps(self.speak_questions)}, "
                              f"{json.dumps(self._speak_key)})")

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
            so_far = await asyncio.to_thread(calls.answer_so_far, token)  # a reload mid-answer keeps it
        except E.DomainError as exc:
            async with self:
                self.busy = False
                self._error(calls.reason(exc))
            return
        async with self:
            self.busy = False
            self.time_left = int(view["time_left_seconds"])
            self.silence_seconds = int(view["silence_seconds"])
            self.patience_seconds = float(view.get("patience_seconds") or 3.5)
            if view["done"]:
                self.phase = "done"
                return
            self._show(view["current"])
            said = so_far["said"] if self._same_step(so_far["step"]) else []
            self.said_so_far = said if self.typed_mode else []
            self.phase = "interview"
            config = {"token": token, "apiBase": self.api_base, "wsBase": self.ws_base, "step": view["current"],
                      "timeLeft": self.time_left, "speak": self.speak_questions, "typed": self.typed_mode,
                      "said": said}
            typed = self.typed_mode
        if typed:
            await asyncio.to_thread(calls.record_signal, token, "typed_mode", {"reason": "chosen"}, None)
        yield rx.call_script(f"window.InterviewPage.begin({json.dumps(config)})")

    def _show(self, step: dict[str, Any]) -> None:
        self.kind, self.question_text = str(step["kind"]), str(step["text"])
        self.question_index, self.attempt = int(step["question_index"]), int(step.get("attempt") or 0)
        self.k, self.n = int(step["k"]), int(step["n"])
        self.typed_answer, self.said_so_far, self.saving_said = "", [], False
        self.activity = "Type your answer below." if self.typed_mode else "Listen to the question, then answer aloud."

    def _refused(self, exc: E.DomainError) -> None:
        """A typed answer or a switch refused: an unusable link gets its page, the rest a notice."""
        self.busy = False
        if isinstance(exc, (E.NotFoundError, live.InterviewUnavailableError)):
            self._error(calls.reason(exc))
        else:
            self.notice = exc.message

    def _same_step(self, step: dict[str, Any]) -> bool:
        return int(step["question_index"]) == self.question_index and int(step.get("attempt") or 0) == self.attempt

    def _step(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.question_text, "question_index": self.question_index,
                "attempt": self.attempt, "k": self.k, "n": self.n}

    @rx.event
    def done_speaking(self):
        self.activity = "Saving your answer…"
        return rx.call_script("window.InterviewPage.done()")

    @rx.event
    def still_thinking(self):
        self.activity = "Take your time: your answer stays open until you speak again or press Done."
        return rx.call_script("window.InterviewPage.stillThinking()")

    @rx.event
    def set_typed_answer(self, value: str):
        self.typed_answer = value[:live.MAX_UTTERANCE_CHARS]

    @rx.event(background=True)
    async def submit_typed(self):
        async with self:
            text = self.typed_answer.strip()
            if self.busy or self.saving_said or not text:
                self.notice = "" if text else "Please write an answer before submitting."
                return
            self.busy, self.notice, self.activity = True, "", "Saving your answer…"
            self._switch_seq += 1
            token, index, attempt = self.link_token, self.question_index, self.attempt
        try:
            step = await asyncio.to_thread(calls.answer_typed, token, index, attempt, text)
        except E.DomainError as exc:
            async with self:
                self._refused(exc)
            return
        async with self:
            self.busy = False
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

    # --- switching between voice and typing -------------------------------------------------
    @rx.event(background=True)
    async def use_typing(self):
        """"Type instead": the candidate's choice, at any moment of the interview."""
        async with self:
            if self.phase != "interview" or self.typed_mode or self.busy:
                return
            index = self.question_index
        async for event in self._to_typed("", ("typed_mode", {"reason": "switched", "question_index": index})):
            yield event

    @rx.event(background=True)
    async def switch_to_typed(self, message: str):
        """The microphone failed (or was refused): typing takes over, nothing else changes."""
        async with self:
            if self.typed_mode:
                return
            if self.phase != "interview":
                self.typed_mode, self.notice = True, message
                return
        async for event in self._to_typed(message, ("mic_failed", {"message": message[:200]})):
            yield event

    async def _to_typed(self, notice: str, signal: tuple[str, dict[str, Any]]):
        """Stop the microphone and close the socket without ending the answer (the page script),
        record the integrity signal, then show what the server stores of what was said, until the
        closed connection's last words are stored (its flush flag is gone)."""
        async with self:
            self.typed_mode, self.notice = True, notice
            self.said_so_far, self.saving_said = [], True
            self.activity = "Type your answer below."
            self._switch_seq += 1
            seq, token = self._switch_seq, self.link_token
        yield rx.call_script("window.InterviewPage.toTyped()")
        await asyncio.to_thread(calls.record_signal, token, signal[0], signal[1], None)
        loop = asyncio.get_running_loop()
        started = loop.time()
        while True:
            await asyncio.sleep(SAID_POLL_S)
            saving = await asyncio.to_thread(calls.speech_being_saved, token)  # first: then `said` is complete
            try:
                so_far = await asyncio.to_thread(calls.answer_so_far, token)
            except E.DomainError:
                so_far = None
            elapsed, moved_on, saving_now = loop.time() - started, None, False
            async with self:
                if self._switch_seq != seq or not self.typed_mode or self.phase != "interview":
                    return
                if so_far is not None and not self._same_step(so_far["step"]):
                    # the spoken answer had ended before the switch: its next prompt is shown instead
                    moved_on = so_far["step"]
                    if moved_on["kind"] != "done":
                        self._show(moved_on)
                        self.notice = "Your spoken answer was saved. Here is the next question."
                else:
                    self.said_so_far = so_far["said"] if so_far is not None else self.said_so_far
                    self.saving_said = (saving or elapsed < SAID_GRACE_S) and elapsed < SAID_WAIT_S \
                        and so_far is not None
                    saving_now = self.saving_said
            if moved_on is not None:
                if moved_on["kind"] == "done":
                    async for event in self._complete():
                        yield event
                else:
                    yield rx.call_script(f"window.InterviewPage.showStep({json.dumps(moved_on)})")
                return
            if not saving_now:
                return

    @rx.event(background=True)
    async def use_voice(self):
        """"Answer by voice": an unsent draft stays part of the answer, then the microphone and
        the socket open again and the same prompt continues."""
        async with self:
            if self.phase != "interview" or not self.typed_mode or self.busy:
                return
            self.busy, self.notice = True, ""
            self._switch_seq += 1
            token, index, draft = self.link_token, self.question_index, self.typed_answer.strip()
        try:
            if draft:
                await asyncio.to_thread(calls.save_draft, token, index, draft)
            so_far = await asyncio.to_thread(calls.answer_so_far, token)
        except E.DomainError as exc:
            async with self:
                self._refused(exc)
            return
        async with self:
            self.busy, self.typed_mode, self.mic_state = False, False, "starting"
            if not self._same_step(so_far["step"]) and so_far["step"]["kind"] != "done":
                self._show(so_far["step"])
            self.typed_answer, self.said_so_far, self.saving_said = "", [], False
            self.activity = "Starting the microphone… you continue this question by voice."
            config = {"step": self._step(), "said": so_far["said"] if self._same_step(so_far["step"]) else [],
                      "speak": self.speak_questions}
        yield rx.call_script(f"window.InterviewPage.toVoice({json.dumps(config)})")

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
        """Phase changes only: the words themselves are drawn by the page script."""
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
        if kind == "listening" and index == self.question_index:
            self.activity = "Listening… answer aloud, then press Done or simply stop talking."
        elif kind == "holding" and index == self.question_index:
            self.activity = "Take your time: your answer stays open until you speak again or press Done."
        elif kind == "answer_end":
            self.activity = "Saving your answer…"
        elif kind == "next":
            step = {key: ev.get(key) for key in ("kind", "text", "question_index", "k", "n", "attempt")}
            if step["kind"] == "done" and ev.get("provisional"):  # completed once the settling window is silent
                self.activity = ("That was the last question: finishing up… If you were not done, just keep "
                                 "talking.")
                return []
            if step["kind"] == "done":
                return [InterviewLiveState.finish_interview]
            if step["question_index"] != self.question_index or step["attempt"] != self.attempt:
                self._show(step)
        elif kind == "reopened":  # they went on right after a quick end: the same prompt, still listening
            step = {key: ev.get(key) for key in ("kind", "text", "question_index", "k", "n", "attempt")}
            if step["question_index"] != self.question_index or step["attempt"] != self.attempt:
                self._show(step)
            self.activity = "Still listening… go on with your answer, then press Done or simply stop talking."
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
