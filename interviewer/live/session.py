"""One candidate's live interview: :class:`LiveSession`, with no WebSocket and no Reflex code.

The session owns what happens in a live interview, whatever carries it:

* its **phases** (:class:`Phase`): ``asking`` (a prompt is on screen, no answer open),
  ``listening`` (an answer is open and audio goes to speech-to-text), ``finishing`` (the answer is
  closing: its last words transcribed and stored, the next prompt chosen), then ``follow_up`` or
  ``next_question`` (the new prompt waits for its answer), and ``done``. :data:`TRANSITIONS` lists
  every allowed move; anything else is a bug and raises.
* the **answer clock** (answer offset 0 on the interview's clock, kept by the store across
  reconnects) and **resume** after a reload or a dropped connection: replayed audio that was
  already transcribed keeps the clock but not the words, except the last stored utterance when the
  replay holds all of it: a drop cuts the words being spoken at that moment mid-word, so the
  resumed recogniser hears that utterance again from its start and its first final rewrites the
  stored one in place (``Store.record_utterance(replaces=seq)``; one write, nothing said twice);
* the **end of turn**: :class:`~interviewer.live.turn_policy.TurnPolicy` fed with the audio clock,
  the voice activity and the transcript, plus the candidate's "I'm done" / "still thinking";
* the **latency budget** of every spoken turn (:mod:`interviewer.live.latency`);
* **outages**: a database or Redis outage is waited out (each store call retried with backoff,
  finalised words for :data:`UTTERANCE_PATIENCE_S`, the rest for :data:`OUTAGE_PATIENCE_S`)
  before the candidate sees an error, and nothing already said is lost;
* spoken answers, **typed answers**, **integrity signals** and **completion**: both channels (the
  audio socket and the page's own events) call these same methods, so they cannot disagree.

What it needs from outside is passed in: a :class:`Store` (the interview's persistent state;
production: :class:`interviewer.live.store.DatabaseStore`), a speech-to-text, an :class:`Outbox`
(messages to the candidate's page and closing the channel), a monotonic ``clock`` and a ``sleep``.
Tests drive it with fakes of all of them and a fake clock (``tests/live/test_session.py``).

Messages to the page (dicts with a ``type``): ``ready`` (``state`` connected | listening),
``partial``, ``final`` (a stored utterance with its ``seq``; with ``replaced_text`` when it rewrote
one after a resume), ``holding``, ``busy`` (speech-to-text saturated: still listening, words
are late), ``answer_end``, ``next``, ``reopened`` and ``error`` (``code``, ``detail``, ``retry``).

**Provisional ends.** An answer ended quickly because its words sounded finished (``complete``,
``likely``, ``unsure``) is not over for good until the company's patience has passed in silence
since the last word: the next prompt is planned without writing anything
(``Store.plan_finish``) and shown at once (``answer_end`` and ``next`` with ``provisional``), the
page keeps sending audio, and a fresh speech-to-text listens on the same answer clock. Voice for
:data:`REOPEN_VOICE_MS` in that window takes the answer back (``reopened``: the prompt it was for;
the words go on into the same answer); silence until the window's end, "I'm done", time up or
the page starting the next prompt settle it (``Store.apply_finish`` writes the plan; a plain
``next``). After the last answer the provisional ``next`` is ``done``: the page says the interview
is wrapping up and keeps listening; the interview is completed (and the channel closed) only when
settled. A dropped channel in the window writes nothing: the answer resumes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, Protocol, TypeVar

from interviewer.core import errors as E
from interviewer.services.live_interview_view import InterviewUnavailableError

from .latency import PARTS, TurnLatency
from .turn_policy import TurnPolicy, TurnSettings

log = logging.getLogger("interviewer.live.session")
T = TypeVar("T")

MAX_BACKLOG_BYTES = 2 * 1024 * 1024
LONG_SILENCE_MS = 30_000
OUTAGE_PATIENCE_S = 20.0
UTTERANCE_PATIENCE_S = 120.0
MAX_PAGE_MS = 60_000  # a page's own timings above this are not believed
FINISH_WAIT_S = 10.0  # a start waits this long for the previous answer to be saved
FLUSH_WAIT_S = 10.0  # a resume waits this long for a dropped connection's last words
# A resume hears the utterance a dropped connection cut again from its start and rewrites it (off: the
# replay is transcribed from where the stored words end, and a word the drop split stays split).
# Measured on the browser voice test's audio at 70 cuts: bench/data/turn/resume_seam_preregistration.txt.
REOPEN_CUT = True
# A quick end (the words sounded finished) is provisional until the company's patience has passed
# in silence: the next prompt is shown at once, but voice heard for REOPEN_VOICE_MS in that window
# takes the answer back. Ends the candidate asked for ("done", "that's it"), patience and time-up
# are final at once.
QUICK_ENDS = frozenset({"complete", "likely", "unsure"})
REOPEN_VOICE_MS = 400
SETTLE_SLACK_S = 1.0  # the window is counted in audio; if the audio stops, wall time settles it
UNAVAILABLE = "The interview service is briefly unavailable; what you said so far is saved. Please try again."
BUSY = "Transcription is running behind; keep going, your words are kept and will appear shortly."


class Phase(str, Enum):
    ASKING = "asking"
    LISTENING = "listening"
    FINISHING = "finishing"
    PROVISIONAL = "provisional"
    FOLLOW_UP = "follow_up"
    NEXT_QUESTION = "next_question"
    DONE = "done"


PROMPTS = frozenset({Phase.ASKING, Phase.FOLLOW_UP, Phase.NEXT_QUESTION})
TRANSITIONS: dict[Phase, frozenset[Phase]] = {
    Phase.ASKING: frozenset({Phase.LISTENING, Phase.FINISHING, Phase.FOLLOW_UP, Phase.NEXT_QUESTION, Phase.DONE}),
    Phase.LISTENING: frozenset({Phase.LISTENING, Phase.FINISHING, Phase.ASKING, Phase.FOLLOW_UP,
                                Phase.NEXT_QUESTION, Phase.DONE}),
    Phase.FINISHING: frozenset({Phase.ASKING, Phase.FOLLOW_UP, Phase.NEXT_QUESTION, Phase.DONE, Phase.PROVISIONAL}),
    Phase.PROVISIONAL: frozenset({Phase.LISTENING, Phase.FINISHING, Phase.DONE}),
    Phase.FOLLOW_UP: frozenset({Phase.LISTENING, Phase.FINISHING, Phase.ASKING, Phase.NEXT_QUESTION, Phase.DONE}),
    Phase.NEXT_QUESTION: frozenset({Phase.LISTENING, Phase.FINISHING, Phase.ASKING, Phase.FOLLOW_UP, Phase.DONE}),
    Phase.DONE: frozenset(),
}


class IllegalTransition(RuntimeError):
    pass


def phase_of(step: dict[str, Any]) -> Phase:
    """The phase in which ``step`` (a ``NextStep``) waits for its answer."""
    kind = step.get("kind")
    if kind == "done":
        return Phase.DONE
    if kind == "follow_up":
        return Phase.FOLLOW_UP
    return Phase.NEXT_QUESTION if int(step.get("question_index") or 0) > 0 else Phase.ASKING


class Store(Protocol):
    """The interview's persistent state (async; production: the database and Redis)."""

    outage_errors: tuple[type[BaseException], ...]

    async def context(self) -> dict[str, Any]: ...
    async def record_utterance(self, question_index: int, text: str, start_ms: int | None, end_ms: int | None,
                               confidence: float | None, source: str, speech_ratio: float | None,
                               replaces: int | None = None) -> dict[str, Any]: ...
    async def finish_answer(self, question_index: int, attempt: int | None) -> dict[str, Any]: ...
    async def plan_finish(self, question_index: int, attempt: int | None) -> dict[str, Any]: ...
    async def apply_finish(self, plan: dict[str, Any]) -> dict[str, Any]: ...
    async def record_signal(self, kind: str, detail: dict[str, Any], occurred: datetime | None) -> bool: ...
    async def record_latency(self, question_index: int, attempt: int, record: dict[str, Any]) -> bool: ...
    async def complete(self) -> dict[str, Any]: ...
    async def answer_base(self, step: dict[str, Any], interview_ms: int, offset_ms: int, resume: bool) -> int: ...
    async def said_so_far(self) -> dict[str, Any]: ...
    async def set_flushing(self, on: bool) -> None: ...
    async def is_flushing(self) -> bool: ...


class Outbox(Protocol):
    async def send(self, message: dict[str, Any]) -> None: ...
    async def close(self, code: int, error: dict[str, Any] | None = None) -> None: ...


class CollectingOutbox:
    """For a session without a live channel (the page's typed answers): messages are kept."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.closed: int | None = None

    async def send(self, message: dict[str, Any]) -> None:
        self.messages.append(message)

    async def close(self, code: int, error: dict[str, Any] | None = None) -> None:
        if error:
            self.messages.append({"type": "error", **error})
        self.closed = code


@dataclass
class Answer:
    question_index: int
    attempt: int
    base_ms: int  # interview clock (ms since start) at answer offset 0
    clock_ms: int  # answer offset of the next byte received
    cutoff_ms: int  # answer offset before which audio was already transcribed (resume)
    policy: TurnPolicy
    reopen: dict[str, Any] | None = None  # the stored utterance a resume hears again (its first final rewrites it)
    stt: Any = None  # a SpeechSession
    long_silence_sent: bool = False
    busy_sent: bool = False


@dataclass
class Provisional:
    """An answer ended quickly, not yet for good: its next prompt (after the last answer, a
    provisional "done") is shown, its end not yet written. Audio keeps coming and goes to a fresh
    speech-to-text (``stt``, on the same answer clock); ``plan`` is the store's decision, applied at
    settling."""
    answer: Answer
    prompt: dict[str, Any]  # the prompt the answer was for
    end_ms: int  # answer clock at the end
    window_ms: int  # audio after the end that settles it
    voice_at_end: int | None
    pending: list[bytes] = field(default_factory=list)  # audio before ``stt`` is open
    stt: Any = None
    plan: dict[str, Any] | None = None
    step: dict[str, Any] | None = None  # the next prompt, once planned
    first_voice_ms: int | None = None
    settling: bool = False
    timer: asyncio.TimerHandle | None = None


class LiveSession:
    def __init__(self, store: Store, outbox: Outbox, stt: Any = None, *,
                 clock: Callable[[], float] | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 observe: Callable[[str, dict[str, int]], None] | None = None) -> None:
        """``stt``: a ``SpeechToText`` (None: typed answers only); ``observe(stt_name, parts)``:
        where each spoken turn's latency parts are counted (the transport's metrics)."""
        self.store, self.outbox, self.stt, self.observe = store, outbox, stt, observe
        self.clock = clock or (lambda: asyncio.get_running_loop().time())
        self.sleep = sleep
        self.phase = Phase.ASKING
        self.context: dict[str, Any] = {}
        self.answer: Answer | None = None
        self.history: list[tuple[Phase, Phase]] = []  # (from, to), for tests and logs
        self._events: asyncio.Queue[Any] | None = None
        self._consumer: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._closed = False
        self._timer: asyncio.TimerHandle | None = None
        self._last_turn: tuple[tuple[int, int], Answer, dict[str, Any]] | None = None
        # the page's part that arrived before its turn was recorded: ((question_index, attempt), parts)
        self._early_page: tuple[tuple[int, int], dict[str, int]] | None = None
        self._provisional: Provisional | None = None
        # a turn's record is written twice (when timed, then with the page's part): in that order
        self._latency_writes = asyncio.Lock()

    # -- phases --------------------------------------------------------------------------------
    def _to(self, phase: Phase) -> None:
        if phase is not self.phase and phase not in TRANSITIONS[self.phase]:
            raise IllegalTransition(f"{self.phase.value} -> {phase.value}")
        if phase is not self.phase or phase is Phase.LISTENING:
            self.history.append((self.phase, phase))
        self.phase = phase

    @property
    def current(self) -> dict[str, Any]:
        return dict(self.context.get("current") or {})

    # -- lifecycle -----------------------------------------------------------------------------
    async def open(self, context: dict[str, Any] | None = None, **ready: Any) -> dict[str, Any]:
        """Load where the interview stands (or take ``context`` the transport already loaded),
        start the event consumer and say ``ready`` (with the transport's ``ready`` extras, e.g.
        its frame limit). Returns the context."""
        self.context = context if context is not None else await self.patiently(self.store.context)
        self._to(phase_of(self.current))
        self._events = asyncio.Queue()
        loop = asyncio.get_running_loop()
        self._consumer = loop.create_task(self._consume())
        if self.phase is not Phase.DONE and self.context.get("time_left_seconds") is not None:
            self._timer = loop.call_later(float(self.context["time_left_seconds"]) + 1,
                                          lambda: self.spawn(self.time_up()))
        await self.outbox.send({"type": "ready", "state": "connected", "current": self.current,
                                "time_left_seconds": self.context.get("time_left_seconds"),
                                "silence_seconds": self.context.get("silence_seconds"),
                                "patience_seconds": self.context.get("patience_seconds"),
                                "stt": getattr(self.stt, "name", None), **ready})
        return self.context

    async def disconnected(self) -> None:
        """The channel is gone: let running work end, store what was already said (a resume on
        another connection waits for this), then stop."""
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=60)
        provisional = self._provisional
        if provisional is not None and provisional.first_voice_ms is None and provisional.plan is not None:
            # silent since the quick end (e.g. a reload right after the next prompt showed): it stands
            with contextlib.suppress(*self.store.outage_errors):
                await self.store.set_flushing(True)  # a resume elsewhere waits for the write
            try:
                await self._settle(provisional)
            except Exception:
                log.warning("settling after a dropped connection failed", exc_info=True)
            finally:
                with contextlib.suppress(*self.store.outage_errors):
                    await self.store.set_flushing(False)
        provisional, self._provisional = self._provisional, None
        if provisional is not None:  # they had gone on speaking: nothing written, the answer resumes
            if provisional.timer is not None:
                provisional.timer.cancel()
            if self.answer is None:
                self.answer = provisional.answer
                self.answer.stt = provisional.stt  # what the window heard is stored with the answer
            elif provisional.stt is not None:
                provisional.stt.close()
        answer, self.answer = self.answer, None
        if answer is not None and answer.stt is not None:
            with contextlib.suppress(*self.store.outage_errors):  # a resume elsewhere then just waits less
                await self.store.set_flushing(True)
            try:
                await asyncio.to_thread(answer.stt.flush, 20.0)
                await asyncio.wait_for(self._drain(), timeout=20)
            except Exception:
                log.warning("flush after a dropped connection failed", exc_info=True)
            finally:
                answer.stt.close()
                with contextlib.suppress(*self.store.outage_errors):
                    await self.store.set_flushing(False)
        if self._events is not None:
            self._events.put_nowait(None)
        if self._consumer is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._consumer, timeout=30)

    def spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- answers -------------------------------------------------------------------------------
    async def start_answer(self, question_index: int, offset_ms: int = 0, *, resume: bool = False) -> None:
        """Open the answer to the prompt now shown for ``question_index`` (``resume``: continue it
        after a reconnect, ``offset_ms`` into its audio). A stale index gets the current step."""
        with contextlib.suppress(asyncio.TimeoutError):  # the previous answer is still being saved
            await asyncio.wait_for(self._idle.wait(), FINISH_WAIT_S)
        if self._provisional is not None:  # the page went on to the next prompt: the end is final
            await self._settle(self._provisional)
        if resume:
            await self._wait_for_flush()
        self.context = await self.patiently(self.store.context)
        step = self.current
        if step["kind"] == "done" or question_index != step["question_index"]:
            if self.answer is None:
                self._to(phase_of(step))
            return await self.outbox.send({"type": "next", **step})  # that answer was finished meanwhile
        if self.answer is not None:
            if self.answer.question_index == question_index and not resume:
                return  # a repeated start: already listening
            old, self.answer = self.answer, None
            if old.stt is not None:
                old.stt.close()
        base = await self.patiently(lambda: self.store.answer_base(step, self.context["interview_ms"],
                                                                     offset_ms, resume))
        last_end, reopen = self.context.get("last_end_ms"), None
        cutoff = max(0, last_end - base) if resume and last_end is not None else 0
        last = self.context.get("last_said") if resume else None
        if (REOPEN_CUT and last and last.get("start_ms") is not None and last.get("end_ms") == last_end
                and last["start_ms"] >= base + offset_ms):  # the replay holds all of it: hear it again
            cutoff, reopen = last["start_ms"] - base, dict(last)
        answer = Answer(question_index, int(step.get("attempt") or 0), base, offset_ms, cutoff,
                        TurnPolicy(TurnSettings.for_patience(self.context.get("patience_seconds"))), reopen=reopen)
        if self.stt is not None:
            events = self._events
            loop = asyncio.get_running_loop()

            def on_event(event: Any) -> None:  # from the speech-to-text's threads
                if events is not None:
                    with contextlib.suppress(RuntimeError):  # the loop is gone: nobody listens any more
                        loop.call_soon_threadsafe(self._put_event, (answer, event))
            answer.stt = await asyncio.to_thread(self.stt.open, on_event=on_event, prompt=step["text"],
                                                 offset_ms=offset_ms)
        self.answer = answer
        self._to(Phase.LISTENING)
        await self.outbox.send({"type": "ready", "state": "listening", "question_index": question_index,
                                "attempt": answer.attempt, "answer_offset_ms": offset_ms})

    async def audio(self, data: bytes) -> None:
        """PCM16 16 kHz mono for the open answer (ignored when none is open; after a provisional
        end, the window that may take the answer back)."""
        answer = self.answer
        if answer is None and self._provisional is not None and not len(data) % 2:
            return await self._window_audio(self._provisional, data)
        if answer is None or answer.stt is None or len(data) % 2 or self.phase is not Phase.LISTENING:
            return
        start, answer.clock_ms = answer.clock_ms, answer.clock_ms + len(data) // 32
        if start < answer.cutoff_ms:  # replayed audio already transcribed: keep the clock, not the words
            keep = max(0, answer.clock_ms - answer.cutoff_ms) * 32
            data = b"\0" * (len(data) - keep) + data[len(data) - keep:]
        stt = answer.stt
        stt.feed(data)
        if stt.backlog_bytes > MAX_BACKLOG_BYTES:
            return await self.outbox.close(1009, {"code": "AUDIO_BACKLOG",
                                                  "detail": "Audio arrives faster than it can be handled."})
        busy = bool(getattr(stt, "busy", False))
        if busy != answer.busy_sent:
            answer.busy_sent = busy
            await self.outbox.send({"type": "busy", "busy": busy, "question_index": answer.question_index,
                                    "detail": BUSY if busy else ""})
        answer.policy.voice(stt.audio_ms, stt.last_voice_ms, stt.speaking)
        self._decide(answer)
        silence = stt.silence_ms
        if not stt.heard_speech and silence >= LONG_SILENCE_MS and not answer.long_silence_sent:
            answer.long_silence_sent = True
            self.spawn(self.signal("long_silence", {"question_index": answer.question_index,
                                                    "seconds": silence // 1000}))

    def _decide(self, answer: Answer) -> None:
        # a closed channel never ends the answer: the words still arriving are the dropped
        # connection's last ones, and the candidate's reconnect resumes this same answer
        if self._closed or self.phase is not Phase.LISTENING or answer is not self.answer or answer.stt is None:
            return
        decision = answer.policy.decide(answer.stt.audio_ms)
        if decision.end:
            self.spawn(self.finish(decision.reason or "silence", silence_ms=decision.silence_ms))

    async def done(self) -> None:
        """The candidate said they have finished ("I'm done"); after a provisional end, it is final."""
        provisional = self._provisional
        if provisional is not None:
            provisional.window_ms = 0  # settles as soon as it is planned
            if provisional.plan is not None and not provisional.settling:
                provisional.settling = True
                await self._settle(provisional)
            return
        if self.phase is Phase.FINISHING:
            return
        answer = self.answer
        if answer is None:  # nothing being answered: say where we are
            self.context = await self.patiently(self.store.context)
            self._to(phase_of(self.current))
            return await self.outbox.send({"type": "next", **self.current})
        decision = answer.policy.done(answer.stt.audio_ms) if answer.stt is not None else None
        self.spawn(self.finish("done", silence_ms=decision.silence_ms if decision else None))

    async def still_thinking(self) -> None:
        """"Wait, I'm still thinking": hold the open answer (the policy's thinking time); right
        after a provisional end, it takes the answer back first."""
        provisional = self._provisional
        if provisional is not None and provisional.stt is not None and provisional.plan is not None \
                and not provisional.settling:
            await self._take_back(provisional)
        answer = self.answer
        if answer is None or answer.stt is None or self.phase is not Phase.LISTENING:
            return
        answer.policy.still_thinking(answer.stt.audio_ms)
        await self.outbox.send({"type": "holding", "question_index": answer.question_index,
                                "seconds": answer.policy.settings.thinking_ms // 1000})

    async def typed_answer(self, question_index: int, attempt: int | None, text: str) -> dict[str, Any]:
        """A typed answer (or the typed rest of a spoken one): stored as an utterance of the same
        answer (``source="typed"``), then the answer is finished like a spoken one. Returns the
        next step."""
        await self._wait_for_flush()  # a dropped voice channel's last words come first
        if self.answer is not None and self.answer.question_index == question_index:
            answer, self.answer = self.answer, None  # the voice half: its words are stored first
            if answer.stt is not None:
                await asyncio.to_thread(answer.stt.flush, 30.0)
                await self._drain()
                answer.stt.close()
        stored = await self.patiently(lambda: self.store.record_utterance(
            question_index, text, None, None, None, "typed", None))
        await self.outbox.send({"type": "final", **stored})
        return await self._finish(question_index, attempt, "typed", None)

    async def keep_typed(self, question_index: int, text: str) -> dict[str, Any]:
        """Typed words kept as part of the open answer without ending it (the candidate switches
        back to answering by voice); after a dropped voice channel's last words."""
        await self._wait_for_flush()
        stored = await self.patiently(lambda: self.store.record_utterance(
            question_index, text, None, None, None, "typed", None))
        await self.outbox.send({"type": "final", **stored})
        return stored

    async def finish(self, reason: str, *, silence_ms: int | None = None) -> None:
        """End the open answer (policy, Done, time up). ``silence_ms``: how long ago the
        candidate last spoke (the start of this turn's latency budget)."""
        if self._provisional is not None:
            if reason == "time_up":  # the time ran out right after a quick end: it is final now
                return await self.done()
            return None  # the policy's end, decided again before the first finish ran: one end is enough
        if self.phase is Phase.FINISHING or self.phase is Phase.DONE:
            return
        answer = self.answer
        question_index = answer.question_index if answer else int(self.current.get("question_index") or 0)
        attempt = answer.attempt if answer is not None else None
        try:
            await self._finish(question_index, attempt, reason, silence_ms, answer)
        except E.DomainError as exc:
            await self.report(exc)
        except Exception:
            log.exception("finishing an answer failed")
            await self.outbox.send({"type": "error", "code": "INTERNAL_001",
                                    "detail": "Something went wrong; please retry."})

    async def report(self, exc: E.DomainError) -> None:
        """Tell the page about a refused action: a link that can no longer be used closes the
        channel (4410); anything else is an error it may retry (``retry``: an outage)."""
        if isinstance(exc, InterviewUnavailableError):
            await self.outbox.close(4410, {"code": exc.code, "detail": exc.message})
        else:
            await self.outbox.send({"type": "error", "code": exc.code, "detail": exc.message,
                                    "retry": isinstance(exc, E.ServiceUnavailableError)})

    async def _finish(self, question_index: int, attempt: int | None, reason: str, silence_ms: int | None,
                      answer: Answer | None = None) -> dict[str, Any]:
        """Close the answer, decide the next prompt, tell the page. Raises what went wrong
        (the phase is back on the prompt: the answer can be finished again). A quick end is
        provisional (:meth:`_provisionally`)."""
        self._to(Phase.FINISHING)
        self._idle.clear()
        now = self.clock()
        budget = TurnLatency(now - silence_ms / 1000 if silence_ms is not None else None, now, reason)
        window = self._settle_window(answer, reason, silence_ms)
        try:
            self.answer = None
            if window and answer is not None and answer.stt is not None:
                self._provisional = Provisional(answer, self.current, answer.clock_ms, window, answer.stt.last_voice_ms)
            log.info("answer ended", extra={"metadata": {"reason": reason, "question_index": question_index,
                                                         "silence_ms": silence_ms,
                                                         "provisional": self._provisional is not None}})
            await self.outbox.send({"type": "answer_end", "question_index": question_index, "reason": reason,
                                    **({"provisional": True} if self._provisional is not None else {})})
            if answer is not None and answer.stt is not None:
                await asyncio.to_thread(answer.stt.flush, 30.0)
                await self._drain()  # every final before this point is stored
                answer.stt.close()
            budget.transcribed = self.clock()
            if self._provisional is not None:
                return await self._provisionally(self._provisional, question_index, attempt, budget)
            step = await self.patiently(lambda: self.store.finish_answer(question_index, attempt))
            budget.decided = self.clock()
            self.context["current"] = step
            self._to(phase_of(step))
            await self.outbox.send({"type": "next", **step})
            budget.sent = self.clock()
            if answer is not None:
                self._record_latency(answer, budget, step)
            if step["kind"] == "done":
                await self.outbox.close(1000)
            return step
        except BaseException:
            provisional, self._provisional = self._provisional, None
            if provisional is not None:
                self._drop_window(provisional)
            if self.phase is Phase.FINISHING:
                self._to(phase_of(self.current) if self.current else Phase.ASKING)
            raise
        finally:
            self._idle.set()

    # -- provisional ends ------------------------------------------------------------------------
    def _settle_window(self, answer: Answer | None, reason: str, silence_ms: int | None) -> int:
        """Audio (ms) after a quick end during which resumed speech takes the answer back: up to
        the company's patience counted from the last word (0: the end is final at once)."""
        if answer is None or answer.stt is None or reason not in QUICK_ENDS or silence_ms is None or self._closed:
            return 0
        policy = answer.policy
        return max(0, policy.settings.patience_ms * policy.patience_factor - silence_ms)

    async def _provisionally(self, p: Provisional, question_index: int, attempt: int | None,
                             budget: TurnLatency) -> dict[str, Any]:
        """Plan the next prompt without writing it and show it at once (after the last answer, a
        provisional "done": the interview is completed only when settled); listen on through a fresh
        speech-to-text on the same clock."""
        planned = await self.patiently(lambda: self.store.plan_finish(question_index, attempt))
        step = dict(planned["step"])
        budget.decided = self.clock()
        if planned["plan"].get("action") == "none" or self._closed:  # handled meanwhile: nothing to hold
            self._provisional = None
            self._drop_window(p)
            self.context["current"] = step
            self._to(phase_of(step))
            await self.outbox.send({"type": "next", **step})
            return step
        p.plan, p.step = dict(planned["plan"]), step
        self._to(Phase.PROVISIONAL)
        # The last answer's "done" is shown provisionally too: the page says the interview is wrapping
        # up and keeps listening; the interview is completed (and the page closed) only when settled.
        await self.outbox.send({"type": "next", **step, "provisional": True, "settle_ms": p.window_ms})
        budget.sent = self.clock()
        self._record_latency(p.answer, budget, step)
        if self.stt is not None and p.window_ms > 0:
            events, loop, answer = self._events, asyncio.get_running_loop(), p.answer

            def on_event(event: Any) -> None:  # words heard in the window belong to the same answer
                if events is not None:
                    with contextlib.suppress(RuntimeError):
                        loop.call_soon_threadsafe(self._put_event, (answer, event))
            try:
                p.stt = await asyncio.to_thread(self.stt.open, on_event=on_event, prompt=p.prompt.get("text"),
                                                offset_ms=p.end_ms)
            except Exception:  # no ear for the window: the end is final now
                log.warning("the settling window could not listen", exc_info=True)
                p.window_ms = 0
                await self._after_window_audio(p)
                return step
            if self._provisional is not p:  # settled or dropped while it opened
                p.stt.close()
                return step
            # the audio that came while the answer was closing, judged chunk by chunk as if live
            pending, p.pending = p.pending, []
            for data in pending:
                p.stt.feed(data)
                if self._provisional is p:
                    await self._after_window_audio(p)
            if self.answer is p.answer:  # taken back on that audio: the policy hears the rest too
                p.answer.policy.voice(p.stt.audio_ms, p.stt.last_voice_ms, p.stt.speaking)
                self._decide(p.answer)
            if self._provisional is not p:
                return step
            p.timer = loop.call_later(max(0.0, (p.window_ms - (p.answer.clock_ms - p.end_ms)) / 1000)
                                      + SETTLE_SLACK_S, lambda: self.spawn(self._settle(p)))
        await self._after_window_audio(p)
        return step

    async def _window_audio(self, p: Provisional, data: bytes) -> None:
        p.answer.clock_ms += len(data) // 32
        if p.stt is None:
            p.pending.append(data)
            return
        p.stt.feed(data)
        await self._after_window_audio(p)

    async def _after_window_audio(self, p: Provisional) -> None:
        if self._provisional is not p or p.settling or p.plan is None:
            return
        stt, heard = p.stt, False
        if stt is not None and stt.last_voice_ms is not None and (
                p.voice_at_end is None or stt.last_voice_ms > p.voice_at_end + 100):
            if p.first_voice_ms is None:
                p.first_voice_ms = stt.last_voice_ms
            heard = stt.last_voice_ms - p.first_voice_ms >= REOPEN_VOICE_MS - 100 and stt.speaking
        elapsed = (stt.audio_ms if stt is not None else p.answer.clock_ms) - p.end_ms
        if heard:
            await self._take_back(p)
        elif elapsed >= p.window_ms and not (
                stt is not None and stt.speaking and p.first_voice_ms is not None):
            # (speech that began within the window is never cut short at its edge: it takes the
            # answer back once it has lasted REOPEN_VOICE_MS, or settles it if it stops sooner)
            p.settling = True
            self.spawn(self._settle(p))

    async def _take_back(self, p: Provisional) -> None:
        """The candidate went on: the answer is open again, the prompt it was for shown again."""
        self._provisional = None
        if p.timer is not None:
            p.timer.cancel()
        answer = p.answer
        answer.stt, answer.policy.ended = p.stt, None
        answer.policy.voice(p.stt.audio_ms, p.stt.last_voice_ms, p.stt.speaking)
        self.answer = answer
        self._to(Phase.LISTENING)
        last = self._last_turn
        if last is not None and last[1] is answer:  # that turn never happened: kept, marked, not counted
            self._last_turn = None
            last[2]["taken_back"] = True
            self._store_latency(answer, last[2])
        log.info("answer taken back", extra={"metadata": {"question_index": answer.question_index,
                                                          "after_ms": answer.clock_ms - p.end_ms}})
        await self.outbox.send({"type": "reopened", **p.prompt})

    async def _settle(self, p: Provisional) -> None:
        """No more speech: the end is final. The plan is written (unless the interview moved on
        meanwhile: then the step it is at), and the page told to go on."""
        if self._provisional is not p:
            return
        self._provisional = None
        self._drop_window(p)
        self._to(Phase.FINISHING)
        self._idle.clear()
        try:
            step = await self.patiently(lambda: self.store.apply_finish(p.plan or {}))
        except Exception as exc:  # nothing was written: the answer can be finished again (Done)
            self._to(phase_of(self.current) if self.current else Phase.ASKING)
            self._idle.set()
            if isinstance(exc, E.DomainError):
                return await self.report(exc)
            log.exception("settling an answer failed")
            return await self.outbox.send({"type": "error", "code": "INTERNAL_001",
                                           "detail": "Something went wrong; please retry."})
        try:
            self.context["current"] = step
            self._to(phase_of(step))
            await self.outbox.send({"type": "next", **step})  # the turn was timed when its prompt was shown
            if step["kind"] == "done":
                await self.outbox.close(1000)
        finally:
            self._idle.set()

    def _drop_window(self, p: Provisional) -> None:
        if p.timer is not None:
            p.timer.cancel()
        if p.stt is not None:
            p.stt.close()

    def _record_latency(self, answer: Answer, budget: TurnLatency, step: dict[str, Any]) -> None:
        stt_name = getattr(self.stt, "name", "stt")
        record = budget.record(question_index=answer.question_index, attempt=answer.attempt, stt=stt_name)
        if record is None:
            return
        if self.observe is not None:
            self.observe(stt_name, {part: record[part] for part in (*PARTS, "total_ms")})
        # the page reports when this turn's next prompt was on screen (and spoken): prompt_shown()
        key = (int(step.get("question_index", -1)), int(step.get("attempt") or 0))
        self._last_turn = (key, answer, record)
        early, self._early_page = self._early_page, None
        if early is not None and early[0] == key:  # the page answered "next" before this line ran
            self._add_page_part(early[1])
        else:
            self._store_latency(answer, record)

    def _store_latency(self, answer: Answer, record: dict[str, Any]) -> None:
        async def store() -> None:
            # one write at a time, first come first served: a slow first write must not land after
            # (and overwrite) the second, which carries the page's part of the turn
            async with self._latency_writes:
                with contextlib.suppress(E.DomainError):  # a lost latency record never troubles the interview
                    await self.patiently(lambda: self.store.record_latency(answer.question_index, answer.attempt,
                                                                            dict(record)))
        self.spawn(store())

    async def prompt_shown(self, question_index: int, attempt: int, shown_ms: Any, spoken_ms: Any = None) -> bool:
        """The page's part of the last turn's budget: how long after the ``next`` message arrived
        the prompt for (``question_index``, ``attempt``) was on screen (``show_ms``) and, with
        read-aloud on, its speech started (``speak_ms``). Added to the stored turn; False when it
        does not belong to the last spoken turn or the figures are not plausible. A report that
        comes before its turn is recorded (the record is made right after ``next`` is sent) is
        kept and added when the turn is recorded."""
        parts: dict[str, int] = {}
        for key, value in (("show_ms", shown_ms), ("speak_ms", spoken_ms)):
            if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= MAX_PAGE_MS:
                parts[key] = round(value)
        if "show_ms" not in parts:
            return False
        last = self._last_turn
        if last is None or last[0] != (question_index, attempt):
            self._early_page = ((question_index, attempt), parts)
            return False
        self._add_page_part(parts)
        return True

    def _add_page_part(self, parts: dict[str, int]) -> None:
        assert self._last_turn is not None
        _, answer, record = self._last_turn
        self._last_turn = None  # once per turn
        record.update(parts)
        record["shown_total_ms"] = record["total_ms"] + parts["show_ms"]
        if "speak_ms" in parts:
            record["spoken_total_ms"] = record["total_ms"] + parts["speak_ms"]
        if self.observe is not None:
            self.observe(record.get("stt", "stt"), parts)
        self._store_latency(answer, record)

    async def time_up(self) -> None:
        """The interview's time ran out: the open answer ends (and with it the interview)."""
        with contextlib.suppress(E.DomainError):
            await self.finish("time_up")

    async def complete(self) -> dict[str, Any]:
        """End the whole interview now (the candidate's "finish the interview"; idempotent)."""
        provisional, self._provisional = self._provisional, None
        if provisional is not None:  # its words are stored; what the window heard goes too
            self._drop_window(provisional)
        answer, self.answer = self.answer, None
        if answer is not None and answer.stt is not None:
            await asyncio.to_thread(answer.stt.flush, 30.0)
            await self._drain()
            answer.stt.close()
        result = await self.patiently(self.store.complete)
        self._to(Phase.DONE)
        return result

    async def signal(self, kind: str, detail: dict[str, Any] | None = None,
                     occurred: datetime | None = None) -> bool:
        """An integrity signal (tab hidden, paste, long silence, ...): stored, capped by the store."""
        try:
            return bool(await self.patiently(lambda: self.store.record_signal(
                kind, detail if isinstance(detail, dict) else {}, occurred)))
        except E.DomainError as exc:
            await self.outbox.send({"type": "error", "code": exc.code, "detail": exc.message})
            return False

    # -- transcript events -----------------------------------------------------------------------
    def _put_event(self, item: Any) -> None:
        if self._events is None:
            return
        stale = self._events.qsize() >= 1000  # partials only matter fresh; finals are never dropped
        if not (stale and getattr(item[1], "type", "") == "partial"):
            self._events.put_nowait(item)

    async def _drain(self) -> None:
        """Wait until every transcript event emitted so far is handled (finals stored)."""
        if self._events is None:
            return
        marker: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_soon(self._events.put_nowait, ("marker", marker))
        await marker

    async def _consume(self) -> None:
        """Store each final as it comes (in order) and tell the page; resolve markers."""
        assert self._events is not None
        while True:
            item = await self._events.get()
            if item is None:
                return
            if item[0] == "marker":
                if not item[1].done():
                    item[1].set_result(None)
                continue
            answer, event = item
            try:
                await self._on_transcript(answer, event)
            except Exception:  # the consumer must outlive one bad event, or every marker would hang
                log.exception("handling a transcript event failed")
                await self.outbox.send({"type": "error", "code": "INTERNAL_001",
                                        "detail": "A part of your answer was not saved."})

    async def _on_transcript(self, answer: Answer, event: Any) -> None:
        answer.policy.text(event.text, end_ms=event.end_ms, final=event.type == "final",
                           provider_end_of_turn=bool(getattr(event, "end_of_turn", False)))
        self._decide(answer)
        if event.type == "partial":
            if answer is not self.answer:  # the settling window's guesses: not shown under the next prompt
                return None
            return await self.outbox.send({"type": "partial", "question_index": answer.question_index,
                                           "text": event.text})
        if event.type != "final":
            return
        source = getattr(answer.stt, "source", None) or "stt"
        replaces, answer.reopen = answer.reopen, None
        if replaces is not None and answer.base_ms + event.start_ms >= replaces["end_ms"]:
            replaces = None  # this final does not hear the cut utterance again: that one stays as stored
        try:
            stored = await self.patiently(lambda: self.store.record_utterance(
                answer.question_index, event.text, answer.base_ms + event.start_ms, answer.base_ms + event.end_ms,
                event.confidence, source, event.speech_ratio, replaces=replaces["seq"] if replaces else None),
                patience=max(UTTERANCE_PATIENCE_S, OUTAGE_PATIENCE_S))
        except E.DomainError as exc:
            log.warning("utterance not stored", extra={"metadata": {"code": exc.code}})
            return await self.outbox.send({"type": "error", "code": exc.code, "detail": exc.message})
        await self.outbox.send({"type": "final", **stored})

    # -- outages -------------------------------------------------------------------------------
    async def patiently(self, make: Callable[[], Awaitable[T]], patience: float | None = None) -> T:
        """``await make()``; an outage of the store's services is retried with backoff for
        ``patience`` seconds, then raised as ``ServiceUnavailableError``."""
        deadline = self.clock() + (OUTAGE_PATIENCE_S if patience is None else patience)
        delay = 0.25
        while True:
            try:
                return await make()
            except self.store.outage_errors as exc:
                if self.clock() + delay > deadline:
                    raise E.ServiceUnavailableError(UNAVAILABLE) from exc
                log.warning("backing service unavailable, retrying", extra={"metadata": {"error": type(exc).__name__}})
                await self.sleep(delay)
                delay = min(2.0, delay * 2)

    async def _wait_for_flush(self) -> None:
        waited = 0.0
        while waited < FLUSH_WAIT_S and await self.patiently(self.store.is_flushing):
            await self.sleep(0.1)
            waited += 0.1


__all__ = [
    "BUSY",
    "TRANSITIONS",
    "CollectingOutbox",
    "IllegalTransition",
    "LiveSession",
    "Outbox",
    "Phase",
    "Store",
    "phase_of",
]
