"""LiveSession's state machine, driven with a fake clock, a scripted speech-to-text, an in-memory
store and an outbox that records what the candidate's page would receive. No database, no
socket, no real time: each test runs in milliseconds."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest

from interviewer.live import session as live_session
from interviewer.live.session import TRANSITIONS, CollectingOutbox, IllegalTransition, LiveSession, Phase, phase_of
from interviewer.services.live_interview_view import InterviewUnavailableError
from interviewer.services.speech import SpeechEvent

VOICE, QUIET = b"\x01\x01" * 1600, b"\0\0" * 1600  # 100 ms each


class Outage(Exception):
    pass


class FakeStore:
    """Two questions; question 0 gets one follow-up. ``fail`` makes a call raise an outage
    that many times (None: always)."""

    outage_errors = (Outage,)

    def __init__(self, questions: int = 2, follow_ups: int = 1) -> None:
        self.questions, self.follow_ups = questions, follow_ups
        self.current, self.asked, self.done = 0, {}, False
        self.utterances: list[dict[str, Any]] = []
        self.signals: list[tuple[str, dict]] = []
        self.latency: list[dict[str, Any]] = []
        self.latency_rows: dict[tuple[int, int], dict[str, Any]] = {}  # as the database keeps it: last write wins
        self.latency_gate: asyncio.Event | None = None  # holds the next latency write until set
        self.fail: dict[str, int | None] = {}
        self.calls: dict[str, int] = {}
        self.flushing, self.flush_history = False, []
        self.bases: dict[tuple, int] = {}
        self.interview_ms = 10_000
        self.unavailable = False

    def _call(self, name: str) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1
        if name in self.fail:
            left = self.fail[name]
            if left is None or left > 0:
                if left is not None:
                    self.fail[name] = left - 1
                raise Outage(name)
        if self.unavailable:
            raise InterviewUnavailableError("This interview link has expired.")

    def step(self) -> dict[str, Any]:
        if self.done:
            return {"kind": "done", "text": "", "question_index": self.questions, "attempt": 0, "k": 0,
                    "n": self.questions}
        asked = self.asked.get(self.current, 0)
        return {"kind": "follow_up" if asked else "question", "text": f"Q{self.current} #{asked}",
                "question_index": self.current, "attempt": asked, "k": self.current + 1, "n": self.questions}

    async def context(self) -> dict[str, Any]:
        self._call("context")
        ends = [u["end_ms"] for u in self.utterances
                if u["question_index"] == self.current and u["end_ms"] is not None]
        said = [u for u in self.utterances if u["question_index"] == self.current]
        return {"current": self.step(), "interview_ms": self.interview_ms, "time_left_seconds": 600,
                "last_end_ms": max(ends) if ends else None, "silence_seconds": 3, "patience_seconds": 3.5,
                "last_said": dict(said[-1]) if said and said[-1]["start_ms"] is not None else None}

    async def record_utterance(self, question_index, text, start_ms, end_ms, confidence, source, speech_ratio,
                               replaces=None):
        self._call("record_utterance")
        cut = [u for u in self.utterances if u["seq"] == replaces and u["question_index"] == question_index]
        if cut:  # rewritten in place, as the database does
            old = cut[0]["text"]
            cut[0].update(text=text, start_ms=min(cut[0]["start_ms"], start_ms), end_ms=max(cut[0]["end_ms"], end_ms))
            return {**cut[0], "replaced_text": old}
        row = {"seq": len(self.utterances) + 1, "question_index": question_index, "text": text,
               "start_ms": start_ms, "end_ms": end_ms, "source": source}
        self.utterances.append(row)
        return dict(row)

    async def finish_answer(self, question_index, attempt):
        self._call("finish_answer")
        return self._apply(self._plan(question_index, attempt))

    def _plan(self, question_index, attempt) -> dict[str, Any]:
        asked = self.asked.get(self.current, 0)
        if question_index != self.current or self.done or attempt != asked:
            return {"action": "none"}
        follow_up = asked < self.follow_ups and self.current == 0
        return {"action": "follow_up" if follow_up else "advance", "current": self.current, "asked": asked}

    def _apply(self, plan: dict[str, Any]) -> dict[str, Any]:
        if plan["action"] != "none" and plan["current"] == self.current and not self.done \
                and plan["asked"] == self.asked.get(self.current, 0):
            if plan["action"] == "follow_up":
                self.asked[self.current] = plan["asked"] + 1
            else:
                self.current += 1
                self.done = self.current >= self.questions
        return self.step()

    async def plan_finish(self, question_index, attempt):
        self._call("plan_finish")
        plan = self._plan(question_index, attempt)
        saved = (self.current, dict(self.asked), self.done)
        step = self._apply(plan)  # what it would show, then undone: planning writes nothing
        self.current, self.asked, self.done = saved
        return {"plan": plan, "step": step}

    async def apply_finish(self, plan):
        self._call("apply_finish")
        return self._apply(plan)

    async def record_signal(self, kind, detail, occurred):
        self._call("record_signal")
        self.signals.append((kind, detail))
        return True

    async def record_latency(self, question_index, attempt, record):
        self._call("record_latency")
        gate, self.latency_gate = self.latency_gate, None
        if gate is not None:
            await gate.wait()
        self.latency.append(record)
        self.latency_rows[(question_index, attempt)] = record
        return True

    async def complete(self):
        self._call("complete")
        self.done = True
        return {"status": "completed"}

    async def answer_base(self, step, interview_ms, offset_ms, resume):
        key = (step["question_index"], step["attempt"])
        if resume and key in self.bases:
            return self.bases[key]
        self.bases[key] = max(0, interview_ms - offset_ms)
        return self.bases[key]

    async def set_flushing(self, on):
        self.flushing = on
        self.flush_history.append(on)

    async def is_flushing(self):
        return self.flushing


class FakeSpeech:
    """Voice activity from the bytes (0x01 voiced, 0x00 quiet); words only when the test says."""

    source = "whisper"

    def __init__(self, on_event, offset_ms: int) -> None:
        self.on_event, self.offset_ms = on_event, offset_ms
        self.audio_ms, self.last_voice_ms, self.speaking = offset_ms, None, False
        self.fed: list[bytes] = []
        self.pending_final: str | None = None
        self.backlog_bytes, self.busy, self.closed = 0, False, False

    @property
    def heard_speech(self) -> bool:
        return self.last_voice_ms is not None

    @property
    def silence_ms(self) -> int:
        return self.audio_ms - (self.last_voice_ms if self.last_voice_ms is not None else self.offset_ms)

    def feed(self, data: bytes) -> None:
        self.fed.append(data)
        self.audio_ms += len(data) // 32
        self.speaking = any(data)
        if self.speaking:
            self.last_voice_ms = self.audio_ms

    def say(self, text: str, *, final: bool) -> None:
        """The recogniser's text for the speech so far (a final is also kept for flush)."""
        event = SpeechEvent("final" if final else "partial", text, self.offset_ms, self.last_voice_ms or 0, 0.9, 0.8)
        self.on_event(event)

    def flush(self, timeout: float = 30.0) -> bool:
        if self.pending_final:
            self.say(self.pending_final, final=True)
            self.pending_final = None
        return True

    def close(self) -> None:
        self.closed = True


class FakeSTT:
    name = "fake"

    def __init__(self) -> None:
        self.sessions: list[FakeSpeech] = []

    def open(self, *, on_event, prompt=None, offset_ms=0, partials=True) -> FakeSpeech:
        self.sessions.append(FakeSpeech(on_event, offset_ms))
        return self.sessions[-1]


class Clock:
    def __init__(self) -> None:
        self.now, self.slept = 1000.0, []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


class Harness:
    def __init__(self, **store_kwargs: Any) -> None:
        self.store, self.outbox, self.stt, self.clock = FakeStore(**store_kwargs), CollectingOutbox(), FakeSTT(), Clock()
        self.observed: list[tuple[str, dict]] = []
        self.session = LiveSession(self.store, self.outbox, self.stt, clock=self.clock, sleep=self.clock.sleep,
                                   observe=lambda name, parts: self.observed.append((name, parts)))

    @property
    def speech(self) -> FakeSpeech:
        return self.stt.sessions[-1]

    def types(self) -> list[str]:
        return [m["type"] for m in self.outbox.messages]

    def last(self, kind: str) -> dict[str, Any]:
        return [m for m in self.outbox.messages if m["type"] == kind][-1]

    async def settle(self) -> None:
        """Let spawned work (finishing an answer, storing words) run to its end."""
        for _ in range(50):
            await asyncio.sleep(0)
            if self.session._tasks:
                await asyncio.wait(list(self.session._tasks), timeout=5)
        await self.session._drain()

    async def speak(self, ms: int) -> None:
        for _ in range(ms // 100):
            await self.session.audio(VOICE)

    async def pause(self, ms: int) -> None:
        for _ in range(ms // 100):
            await self.session.audio(QUIET)
            await asyncio.sleep(0)

    async def answer(self, text: str, *, pause_ms: int = 700, settle: bool = True) -> None:
        """Speak, the recogniser has the words 300 ms into the pause, then silence; ``settle``:
        then silence until a provisional end is final (the company's patience)."""
        await self.session.start_answer(self.session.current["question_index"])
        await self.speak(800)
        await self.pause(300)
        self.speech.say(text, final=False)
        self.speech.pending_final = text
        await asyncio.sleep(0)
        await self.pause(pause_ms - 300)
        await self.settle()
        if settle:
            await self.pause_until_settled()

    async def pause_until_settled(self) -> None:
        for _ in range(100):
            if self.session._provisional is None:
                break
            await self.pause(100)
            await self.settle()


async def listening(**store_kwargs: Any) -> Harness:
    """A session opened on the first question, its answer open."""
    h = Harness(**store_kwargs)
    await h.session.open()
    await h.session.start_answer(0)
    return h


def run(coro_fn):
    """Run an async test body on a fresh loop."""
    def wrapper(*args, **kwargs):
        return asyncio.run(coro_fn(*args, **kwargs))
    wrapper.__name__ = coro_fn.__name__
    return wrapper


# -- phases -----------------------------------------------------------------------------------------

def test_every_phase_has_its_transitions_and_done_is_final():
    assert set(TRANSITIONS) == set(Phase)
    assert TRANSITIONS[Phase.DONE] == frozenset()
    assert Phase.FINISHING not in TRANSITIONS[Phase.FINISHING]  # one answer is finished once
    for phase in (Phase.ASKING, Phase.FOLLOW_UP, Phase.NEXT_QUESTION):
        assert Phase.LISTENING in TRANSITIONS[phase] and Phase.FINISHING in TRANSITIONS[phase]
    assert phase_of({"kind": "question", "question_index": 0}) is Phase.ASKING
    assert phase_of({"kind": "question", "question_index": 2}) is Phase.NEXT_QUESTION
    assert phase_of({"kind": "follow_up", "question_index": 0}) is Phase.FOLLOW_UP
    assert phase_of({"kind": "done"}) is Phase.DONE


@run
async def test_an_illegal_move_raises():
    h = Harness()
    await h.session.open()
    await h.session.complete()
    assert h.session.phase is Phase.DONE
    with pytest.raises(IllegalTransition):
        h.session._to(Phase.LISTENING)


@run
async def test_a_whole_interview_by_voice_goes_through_every_phase():
    h = Harness()
    await h.session.open()
    assert h.session.phase is Phase.ASKING and h.outbox.messages[0]["state"] == "connected"
    await h.answer("I would use a hash map to count the words.")
    assert h.session.phase is Phase.FOLLOW_UP and h.last("next")["kind"] == "follow_up"
    await h.answer("Then I would sort the counts.")
    assert h.session.phase is Phase.NEXT_QUESTION and h.last("next")["question_index"] == 1
    await h.answer("A queue with retries.")
    assert h.session.phase is Phase.DONE and h.outbox.closed == 1000
    # each quick end is provisional first, final once the patience has passed in silence
    assert [(a.value, b.value) for a, b in h.session.history] == [
        ("asking", "listening"), ("listening", "finishing"), ("finishing", "provisional"),
        ("provisional", "finishing"), ("finishing", "follow_up"),
        ("follow_up", "listening"), ("listening", "finishing"), ("finishing", "provisional"),
        ("provisional", "finishing"), ("finishing", "next_question"),
        ("next_question", "listening"), ("listening", "finishing"), ("finishing", "provisional"),
        ("provisional", "finishing"), ("finishing", "done")]
    assert [u["text"] for u in h.store.utterances] == [
        "I would use a hash map to count the words.", "Then I would sort the counts.", "A queue with retries."]
    assert {u["source"] for u in h.store.utterances} == {"whisper"}
    assert h.types().count("answer_end") == 3 and h.types().count("final") == 3


@run
async def test_a_finished_sentence_ends_quickly_and_the_latency_budget_is_recorded():
    h = Harness()
    await h.session.open()
    await h.answer("I would use a hash map to count the words.", pause_ms=700)
    assert h.last("answer_end")["reason"] == "complete"
    record = h.store.latency[-1]
    assert record["reason"] == "complete" and record["question_index"] == 0 and record["attempt"] == 0
    assert 600 <= record["endpoint_ms"] <= 700  # the fake clock stands still: the silence waited is all
    assert record["total_ms"] == record["endpoint_ms"] + record["transcript_ms"] + record["decision_ms"] \
        + record["send_ms"]
    assert h.observed and h.observed[0][0] == "fake" and set(h.observed[0][1]) >= {"endpoint_ms", "total_ms"}


@run
async def test_an_answer_that_stops_mid_thought_waits_for_the_patience():
    h = await listening()
    await h.speak(800)
    await h.pause(300)
    h.speech.say("I would use a hash map and", final=False)
    await h.pause(2000)
    await h.settle()
    assert h.session.phase is Phase.LISTENING and "answer_end" not in h.types()  # 2.3 s: still waiting
    await h.speak(500)  # they go on
    h.speech.pending_final = "I would use a hash map and then sort the counts."
    await h.pause(300)
    h.speech.say("I would use a hash map and then sort the counts.", final=False)
    await h.pause(500)
    await h.settle()
    assert h.last("answer_end")["reason"] == "complete"
    assert h.store.utterances[-1]["text"] == "I would use a hash map and then sort the counts."


@run
async def test_still_thinking_holds_the_answer_and_done_ends_it_at_once():
    h = await listening()
    await h.speak(500)
    h.speech.say("Let me think.", final=False)
    await h.session.still_thinking()
    assert h.last("holding")["seconds"] == 20
    await h.pause(5000)  # longer than any patience
    await h.settle()
    assert h.session.phase is Phase.LISTENING
    await h.session.done()
    await h.settle()
    assert h.last("answer_end")["reason"] == "done" and h.session.phase is Phase.FOLLOW_UP


@run
async def test_nothing_ends_while_the_candidate_speaks():
    h = await listening()
    h.speech.say("I would use a hash map.", final=False)
    await h.speak(10_000)
    await h.settle()
    assert h.session.phase is Phase.LISTENING and "answer_end" not in h.types()


@run
async def test_a_typed_answer_goes_through_the_same_finish():
    h = Harness()
    await h.session.open()
    step = await h.session.typed_answer(0, 0, "A hash map of counts.")
    assert step["kind"] == "follow_up" and h.session.phase is Phase.FOLLOW_UP
    assert h.store.utterances[-1] == {"seq": 1, "question_index": 0, "text": "A hash map of counts.",
                                      "start_ms": None, "end_ms": None, "source": "typed"}
    assert h.types()[-3:] == ["final", "answer_end", "next"] and h.last("answer_end")["reason"] == "typed"


@run
async def test_switching_to_typing_mid_answer_keeps_the_spoken_words_first():
    h = await listening()
    await h.speak(600)
    h.speech.pending_final = "I would start with a hash map"
    step = await h.session.typed_answer(0, 0, "and then sort the counts.")
    assert [(u["text"], u["source"]) for u in h.store.utterances] == [
        ("I would start with a hash map", "whisper"), ("and then sort the counts.", "typed")]
    assert step["kind"] == "follow_up" and h.speech.closed and h.store.calls["finish_answer"] == 1


@run
async def test_a_typed_answer_waits_for_a_dropped_voice_channel_to_save_its_words():
    h = Harness()
    h.store.flushing = True

    async def flush_done() -> None:
        await h.clock.sleep(0.3)
        h.store.flushing = False
    asyncio.get_running_loop().create_task(flush_done())
    await h.session.typed_answer(0, 0, "typed")
    assert h.clock.slept and h.store.flushing is False and h.store.utterances[-1]["text"] == "typed"


@run
async def test_resume_continues_the_same_answer_clock_and_skips_replayed_audio():
    h = await listening()
    await h.speak(1000)
    h.speech.say("First part.", final=True)
    await h.settle()
    first_base = h.session.answer.base_ms
    # the connection drops; a new session (another worker) resumes 600 ms into the answer's audio
    h.store.interview_ms = 25_000
    resumed = LiveSession(h.store, CollectingOutbox(), h.stt, clock=h.clock, sleep=h.clock.sleep)
    await resumed.open()
    await resumed.start_answer(0, 600, resume=True)
    answer = resumed.answer
    assert answer.base_ms == first_base and answer.clock_ms == 600
    assert answer.cutoff_ms == h.store.utterances[-1]["end_ms"] - first_base
    await resumed.audio(VOICE * 10)  # 600..1600 ms: up to the cutoff it was transcribed already
    fed = h.speech.fed[-1]
    cut = (answer.cutoff_ms - 600) * 32
    assert cut > 0 and not any(fed[:cut]) and all(fed[cut:])


@run
async def test_a_resume_hears_the_utterance_the_drop_cut_again_and_rewrites_it_in_place():
    h = await listening()
    await h.speak(2000)
    h.speech.say("I would use a stack.", final=True)  # 0..2000 ms, stored before the drop
    await h.session.audio(QUIET * 3)  # 2000..2300 ms
    await h.speak(700)  # a new utterance from 2300 ms, cut by the drop at 3000 ms
    cut_speech = h.speech
    cut_speech.offset_ms = 2300  # (the fake's finals start where its offset says)
    cut_speech.say("A stack is last in first.", final=True)
    await h.settle()
    cut = h.store.utterances[-1]
    base = h.session.answer.base_ms
    assert cut["start_ms"] == base + 2300 and cut["end_ms"] == base + 3000
    # the page replays its last ten seconds: from answer offset 0, which holds all of the cut utterance
    resumed_out = CollectingOutbox()
    resumed = LiveSession(h.store, resumed_out, h.stt, clock=h.clock, sleep=h.clock.sleep)
    await resumed.open()
    await resumed.start_answer(0, 0, resume=True)
    answer = resumed.answer
    assert answer.cutoff_ms == 2300 and answer.reopen["seq"] == cut["seq"]
    await resumed.audio(VOICE * 30)  # 0..3000 ms again, then on
    fed = b"".join(h.speech.fed)
    assert not any(fed[:2300 * 32]) and all(fed[2300 * 32:])  # zeros up to the cut utterance's start only
    h.speech.offset_ms = 2300
    h.speech.say("A stack is last in first out.", final=True)
    await resumed._drain()
    assert len(h.store.utterances) == 2 and h.store.utterances[-1]["seq"] == cut["seq"]
    assert h.store.utterances[-1]["text"] == "A stack is last in first out."
    final = [m for m in resumed_out.messages if m["type"] == "final"][-1]
    assert final["seq"] == cut["seq"] and final["replaced_text"] == "A stack is last in first."
    h.speech.offset_ms = 3100  # the next final is new words: appended
    h.speech.say("And a queue is first in first out.", final=True)
    await resumed._drain()
    assert [u["text"] for u in h.store.utterances] == ["I would use a stack.", "A stack is last in first out.",
                                                          "And a queue is first in first out."]


async def said_500_to_1500_then_resumed_from_0() -> tuple[Harness, LiveSession]:
    """"We used Redis." stored (answer offsets 500-1500 ms), then the connection drops and a new
    session resumes the answer with the page's replay from offset 0."""
    h = await listening()
    await h.session.audio(QUIET * 5)
    await h.speak(1000)
    h.speech.offset_ms = 500
    h.speech.say("We used Redis.", final=True)
    await h.settle()
    resumed = LiveSession(h.store, CollectingOutbox(), h.stt, clock=h.clock, sleep=h.clock.sleep)
    await resumed.open()
    await resumed.start_answer(0, 0, resume=True)
    return h, resumed


@run
async def test_a_resumed_final_that_does_not_hear_the_cut_words_again_leaves_them_stored():
    h, resumed = await said_500_to_1500_then_resumed_from_0()
    assert resumed.answer.cutoff_ms == 500 and resumed.answer.reopen is not None
    await resumed.audio(VOICE * 20)
    h.speech.offset_ms = 1500  # the recogniser heard only what followed the drop
    h.speech.say("For caching.", final=True)
    await resumed._drain()
    assert [u["text"] for u in h.store.utterances] == ["We used Redis.", "For caching."]
    assert resumed.answer.reopen is None


def test_with_reopening_off_a_resume_transcribes_only_what_follows_the_stored_words(monkeypatch):
    monkeypatch.setattr(live_session, "REOPEN_CUT", False)

    async def body():
        _h, resumed = await said_500_to_1500_then_resumed_from_0()
        assert resumed.answer.cutoff_ms == 1500 and resumed.answer.reopen is None
    asyncio.run(body())


@run
async def test_a_stale_start_gets_the_current_step():
    h = Harness()
    await h.session.open()
    await h.session.start_answer(1)
    assert h.last("next")["question_index"] == 0 and h.session.answer is None
    await h.session.done()  # nothing open: "where are we"
    assert h.last("next")["question_index"] == 0 and h.session.phase is Phase.ASKING


@run
async def test_a_short_outage_is_waited_out_with_backoff():
    h = Harness()
    await h.session.open()
    h.store.fail = {"plan_finish": 2, "record_utterance": 1}
    await h.answer("I would use a hash map.")
    assert h.clock.slept[:3] == [0.25, 0.25, 0.5]  # the utterance once, then the plan twice
    assert h.store.calls["plan_finish"] == 3 and h.session.phase is Phase.FOLLOW_UP
    assert "error" not in h.types() and len(h.store.utterances) == 1


@run
async def test_a_long_outage_is_reported_and_the_answer_can_be_finished_again():
    h = Harness()
    await h.session.open()
    h.store.fail = {"plan_finish": None, "finish_answer": None}
    await h.answer("I would use a hash map.")
    error = h.last("error")
    assert error["code"] == "SVC_001" and error["retry"] is True and "saved" in error["detail"]
    assert sum(h.clock.slept) <= live_session.OUTAGE_PATIENCE_S
    assert h.session.phase is Phase.ASKING and len(h.store.utterances) == 1  # words kept
    h.store.fail = {}
    await h.session.start_answer(0)
    await h.session.done()
    await h.settle()
    assert h.session.phase is Phase.FOLLOW_UP


@run
async def test_a_link_that_expires_mid_interview_closes_the_channel():
    h = await listening()
    h.store.unavailable = True
    await h.session.done()
    await h.settle()
    assert h.outbox.closed == 4410 and h.last("error")["code"] == InterviewUnavailableError.code


@run
async def test_busy_speech_to_text_is_said_once_and_cleared():
    h = await listening()
    h.speech.busy = True
    await h.speak(300)
    h.speech.busy = False
    await h.speak(100)
    busy = [m for m in h.outbox.messages if m["type"] == "busy"]
    assert [m["busy"] for m in busy] == [True, False] and busy[0]["detail"]


@run
async def test_long_silence_and_page_signals_are_stored():
    h = await listening()
    await h.pause(30_000)
    await h.settle()
    assert h.store.signals == [("long_silence", {"question_index": 0, "seconds": 30})]
    assert await h.session.signal("paste", {"chars": 40}, datetime(2026, 1, 1))
    assert h.store.signals[-1] == ("paste", {"chars": 40})


@run
async def test_time_up_ends_the_answer_and_completion_is_final():
    h = await listening(questions=1, follow_ups=0)
    await h.speak(500)
    await h.session.time_up()
    assert h.last("answer_end")["reason"] == "time_up" and h.session.phase is Phase.DONE
    assert h.outbox.closed == 1000


@run
async def test_a_flood_of_audio_the_recogniser_cannot_keep_up_with_closes_the_channel():
    h = await listening()
    h.speech.backlog_bytes = live_session.MAX_BACKLOG_BYTES + 1
    await h.session.audio(VOICE)
    assert h.outbox.closed == 1009 and h.last("error")["code"] == "AUDIO_BACKLOG"


@run
async def test_a_dropped_channel_stores_the_last_words_and_flags_the_flush():
    h = await listening()
    await h.speak(800)
    h.speech.pending_final = "Last words before the drop."
    await h.session.disconnected()
    assert h.store.utterances[-1]["text"] == "Last words before the drop."
    assert h.store.flush_history == [True, False] and h.speech.closed


@run
async def test_complete_flushes_an_open_answer_first():
    h = await listening()
    await h.speak(500)
    h.speech.pending_final = "Half an answer."
    result = await h.session.complete()
    assert result == {"status": "completed"} and h.session.phase is Phase.DONE
    assert h.store.utterances[-1]["text"] == "Half an answer."



@run
async def test_the_page_reports_when_the_next_prompt_was_shown_and_spoken():
    h = Harness()
    await h.session.open()
    await h.answer("I would use a hash map to count the words.")
    nxt = h.last("next")
    assert not await h.session.prompt_shown(1, 0, 40)  # not the prompt that followed this turn
    assert not await h.session.prompt_shown(nxt["question_index"], nxt["attempt"], -5)  # not plausible
    assert await h.session.prompt_shown(nxt["question_index"], nxt["attempt"], 40, 180.4)
    await h.settle()
    record = h.store.latency[-1]
    assert record["show_ms"] == 40 and record["speak_ms"] == 180
    assert record["shown_total_ms"] == record["total_ms"] + 40 and record["spoken_total_ms"] == record["total_ms"] + 180
    assert ("fake", {"show_ms": 40, "speak_ms": 180}) in h.observed
    assert not await h.session.prompt_shown(nxt["question_index"], nxt["attempt"], 50)  # once per turn


@run
async def test_a_slow_first_latency_write_never_overwrites_the_pages_part():
    """The turn's record is written when timed and again with the page's part; a first write
    held up (a slow database) must not land last and drop ``show_ms`` (seen in the browser)."""
    h = Harness()
    await h.session.open()
    h.store.latency_gate = gate = asyncio.Event()
    answering = asyncio.ensure_future(h.answer("I would use a hash map to count the words."))
    for _ in range(10_000):  # until the next prompt is out (its first latency write now held)
        await asyncio.sleep(0)
        if "next" in h.types():
            break
    for _ in range(20):  # the first write has begun (and copied the record) by now
        await asyncio.sleep(0)
    assert h.store.calls.get("record_latency") == 1
    nxt = h.last("next")
    assert await h.session.prompt_shown(nxt["question_index"], nxt["attempt"], 40)
    for _ in range(20):
        await asyncio.sleep(0)
    gate.set()
    await answering
    await h.settle()
    assert len(h.store.latency) == 2
    assert h.store.latency_rows[(0, 0)]["show_ms"] == 40, h.store.latency


class FastPage(CollectingOutbox):
    """A page that reports its prompt on screen before the server's send has even returned (the
    turn's record is made right after the send, so the report can arrive first)."""

    def __init__(self) -> None:
        super().__init__()
        self.session: LiveSession | None = None
        self.reported: set[tuple[int, int]] = set()

    async def send(self, message: dict[str, Any]) -> None:
        await super().send(message)
        key = (message.get("question_index"), message.get("attempt"))
        if message["type"] == "next" and self.session is not None and key not in self.reported:
            self.reported.add(key)  # the page reports a prompt once, when it first shows it
            await self.session.prompt_shown(*key, 25)


@run
async def test_a_page_faster_than_the_turns_record_still_gets_its_part_recorded():
    h = Harness()
    h.outbox = h.session.outbox = page = FastPage()
    page.session = h.session
    await h.session.open()
    await h.answer("I would use a hash map to count the words.")
    await h.settle()
    record = h.store.latency_rows[(0, 0)]
    assert record["show_ms"] == 25 and record["shown_total_ms"] == record["total_ms"] + 25
    assert not await h.session.prompt_shown(h.last("next")["question_index"], h.last("next")["attempt"], 30)


@run
async def test_a_closed_channel_never_ends_the_open_answer():
    """Once the channel is gone (disconnected() is saving the last words), a transcript that
    arrives meanwhile must not let the turn policy end the answer: the candidate cannot see a next
    prompt, and their reconnect resumes the same answer."""
    h = Harness()
    await h.session.open()
    h.session._closed = True  # what disconnected() sets first
    await h.answer("I would use a hash map to count the words.", pause_ms=700)
    assert "answer_end" not in h.types() and not h.store.latency


# -- provisional quick ends: shown at once, final only after the patience -------------------------------

async def quick_end(h: Harness, text: str = "I would use a hash map to count the words.") -> None:
    """An answer whose words sound finished, ended quickly (not settled)."""
    await h.answer(text, settle=False)
    assert h.session.phase is Phase.PROVISIONAL, h.session.phase


@run
async def test_a_quick_end_shows_the_next_prompt_at_once_and_writes_it_only_when_settled():
    h = Harness()
    await h.session.open()
    await quick_end(h)
    end, shown = h.last("answer_end"), h.last("next")
    assert end["reason"] == "complete" and end["provisional"] is True
    assert shown["provisional"] is True and shown["kind"] == "follow_up"
    assert shown["settle_ms"] == 3500 - 700  # the patience, counted from the last word
    assert h.store.calls.get("apply_finish", 0) == 0 and h.store.asked == {}  # nothing written yet
    assert h.store.latency and h.store.latency[-1]["reason"] == "complete"  # the turn is timed as shown
    await h.pause(2000)
    await h.settle()
    assert h.session.phase is Phase.PROVISIONAL and h.store.asked == {}
    await h.pause(900)
    await h.settle()
    assert h.session.phase is Phase.FOLLOW_UP and h.store.asked == {0: 1}
    settled = h.last("next")
    assert "provisional" not in settled and (settled["question_index"], settled["attempt"]) == (0, 1)
    assert h.types().count("next") == 2 and "reopened" not in h.types()
    assert h.speech.closed  # the window's speech-to-text is released


@run
async def test_speech_after_a_quick_end_takes_the_answer_back_and_keeps_every_word():
    h = Harness()
    await h.session.open()
    await quick_end(h, "I would use a hash map.")
    first, window = h.stt.sessions[-2], h.speech
    assert first.closed and window is not first and window.offset_ms == first.audio_ms - 0  # same clock
    await h.pause(1200)  # a thinking pause, then they go on
    await h.speak(500)
    await h.settle()
    reopened = h.last("reopened")
    assert (reopened["question_index"], reopened["attempt"], reopened["kind"]) == (0, 0, "question")
    assert h.session.phase is Phase.LISTENING and h.session.answer.stt is window
    assert h.store.calls.get("apply_finish", 0) == 0 and h.store.asked == {}
    await h.settle()
    assert h.store.latency[-1]["taken_back"] is True  # the provisional turn is marked, not counted
    window.pending_final = "Then I would sort the counts."
    await h.session.done()
    await h.settle()
    assert [u["text"] for u in h.store.utterances] == ["I would use a hash map.", "Then I would sort the counts."]
    assert {u["question_index"] for u in h.store.utterances} == {0}
    assert h.session.phase is Phase.FOLLOW_UP and h.store.asked == {0: 1}
    assert h.last("answer_end")["reason"] == "done" and "provisional" not in h.last("answer_end")


@run
async def test_a_click_or_cough_in_the_window_does_not_take_the_answer_back():
    h = Harness()
    await h.session.open()
    await quick_end(h)
    await h.pause(500)
    await h.speak(200)  # shorter than REOPEN_VOICE_MS
    await h.pause_until_settled()
    assert "reopened" not in h.types() and h.session.phase is Phase.FOLLOW_UP


@run
async def test_done_right_after_a_quick_end_makes_it_final_at_once():
    h = Harness()
    await h.session.open()
    await quick_end(h)
    await h.session.done()
    await h.settle()
    assert h.session.phase is Phase.FOLLOW_UP and h.store.asked == {0: 1}
    assert h.store.calls["apply_finish"] == 1


@run
async def test_still_thinking_right_after_a_quick_end_takes_the_answer_back_and_holds_it():
    h = Harness()
    await h.session.open()
    await quick_end(h)
    await h.session.still_thinking()
    assert h.last("reopened")["question_index"] == 0 and h.session.phase is Phase.LISTENING
    assert h.last("holding")["seconds"] == 20
    await h.pause(6000)
    await h.settle()
    assert h.session.phase is Phase.LISTENING and h.store.asked == {}


@run
async def test_the_last_answer_shows_done_provisionally_completes_only_once_settled_and_can_be_taken_back():
    h = Harness(questions=1, follow_ups=0)
    await h.session.open()
    await quick_end(h, "A queue with retries.")
    shown = h.last("next")  # shown at once, like any next prompt: the page says it is wrapping up
    assert shown["kind"] == "done" and shown["provisional"] and shown["settle_ms"] > 0
    assert h.outbox.closed is None and not h.store.done and not h.store.calls.get("apply_finish")
    assert len(h.store.latency) == 1 and h.store.latency[0]["question_index"] == 0  # timed when it was shown
    await h.pause(1000)
    await h.speak(600)
    await h.settle()
    assert h.last("reopened")["kind"] == "question" and not h.store.done
    h.speech.say("and a dead letter queue.", final=False)
    h.speech.pending_final = "and a dead letter queue."
    await h.pause(700)
    await h.settle()
    assert h.session.phase is Phase.PROVISIONAL and not h.store.done
    await h.pause_until_settled()
    assert h.session.phase is Phase.DONE and h.store.done and h.outbox.closed == 1000
    assert h.last("next")["kind"] == "done" and "provisional" not in h.last("next")
    assert [u["text"] for u in h.store.utterances] == ["A queue with retries.", "and a dead letter queue."]
    # the first "done" was timed when shown, then marked taken back (kept, not counted); the second counts
    assert [bool(r.get("taken_back")) for r in h.store.latency] == [False, True, False]
    assert h.store.latency[-1]["question_index"] == 0


@run
async def test_a_dropped_channel_in_a_silent_window_makes_the_end_final():
    """A reload right after the next prompt showed: the candidate said nothing more, the end stands."""
    h = Harness()
    await h.session.open()
    await quick_end(h)
    await h.pause(500)
    await h.session.disconnected()
    assert h.store.asked == {0: 1} and h.store.calls["apply_finish"] == 1
    assert h.store.flush_history == [True, False]  # a resume elsewhere waited for the write


@run
async def test_a_dropped_channel_while_they_go_on_writes_nothing_and_keeps_the_words():
    h = Harness()
    await h.session.open()
    await quick_end(h, "I would use a hash map.")
    await h.speak(200)
    h.speech.pending_final = "and then"
    await h.session.disconnected()
    assert h.store.calls.get("apply_finish", 0) == 0 and h.store.asked == {} and h.store.current == 0
    assert [u["text"] for u in h.store.utterances] == ["I would use a hash map.", "and then"]
    assert {u["question_index"] for u in h.store.utterances} == {0}


@run
async def test_starting_the_next_prompt_in_the_window_makes_the_end_final_first():
    h = Harness()
    await h.session.open()
    await quick_end(h)
    await h.session.start_answer(0)  # the follow-up shown provisionally (same question index)
    await h.settle()
    assert h.store.asked == {0: 1} and h.session.phase is Phase.LISTENING
    assert h.session.answer.attempt == 1


@run
async def test_ends_the_candidate_asked_for_or_the_patience_gave_are_final_at_once():
    h = await listening()
    await h.speak(800)
    h.speech.say("I would use a hash map and", final=False)
    await h.pause(3600)  # incomplete words: the patience
    await h.settle()
    assert h.last("answer_end")["reason"] == "patience" and "provisional" not in h.last("answer_end")
    assert h.session.phase is Phase.FOLLOW_UP and h.session._provisional is None
    await h.session.start_answer(0)
    await h.speak(500)
    await h.session.done()
    await h.settle()
    assert "provisional" not in h.last("answer_end") and h.session.phase is Phase.NEXT_QUESTION


@run
async def test_a_window_that_cannot_listen_makes_the_quick_end_final():
    h = Harness()
    await h.session.open()
    opened = h.stt.open

    def open_once(**kwargs):
        if len(h.stt.sessions) >= 1:
            raise RuntimeError("speech-to-text unreachable")
        return opened(**kwargs)
    h.stt.open = open_once
    await h.answer("I would use a hash map to count the words.", settle=False)
    await h.settle()
    assert h.session.phase is Phase.FOLLOW_UP and h.store.asked == {0: 1} and h.session._provisional is None
    assert [m.get("provisional") for m in h.outbox.messages if m["type"] == "next"] == [True, None]


@run
async def test_speech_that_begins_at_the_edge_of_the_window_is_not_cut_short():
    h = Harness()
    await h.session.open()
    await quick_end(h)  # 700 ms after the last word: a window of 2800 ms
    await h.pause(2700)
    await h.speak(500)  # begins 100 ms before the window ends, goes on past it
    await h.settle()
    assert h.last("reopened")["question_index"] == 0 and h.session.phase is Phase.LISTENING
    assert h.store.asked == {}


@run
async def test_speech_that_came_while_the_answer_was_closing_is_judged_as_it_came():
    """The window's speech-to-text opens only after the answer's last words are stored and the
    next prompt planned; the audio of that time is kept and judged chunk by chunk, so a candidate
    who went on meanwhile is taken back, not settled because the backlog ended on a short gap."""
    h = Harness()
    await h.session.open()
    release = asyncio.Event()
    plan = h.store.plan_finish

    async def slow_plan(question_index, attempt):
        await release.wait()
        return await plan(question_index, attempt)
    h.store.plan_finish = slow_plan
    await h.session.start_answer(0)
    await h.speak(800)
    await h.pause(300)
    h.speech.say("I would use a hash map.", final=False)
    h.speech.pending_final = "I would use a hash map."
    await h.pause(400)
    for _ in range(20):
        await asyncio.sleep(0)
    assert h.session.phase is Phase.FINISHING and h.session._provisional is not None
    await h.pause(1200)
    await h.speak(600)  # they went on while the answer was closing...
    await h.pause(1200)  # ...and paused again: the backlog ends past the window's first second, in silence
    release.set()
    await h.settle()
    assert h.last("reopened")["question_index"] == 0 and h.session.phase is Phase.LISTENING, h.types()
    assert h.store.calls.get("apply_finish", 0) == 0 and h.store.asked == {}


@run
async def test_an_end_decided_twice_before_it_runs_stays_provisional():
    """Audio keeps coming while the spawned finish waits for its turn: the policy's cached end is
    decided again. The second finish must not settle the first one's window."""
    h = Harness()
    await h.session.open()
    await quick_end(h)
    await h.session.finish("complete", silence_ms=800)  # the duplicate
    await h.settle()
    assert h.session.phase is Phase.PROVISIONAL and h.store.asked == {} and "apply_finish" not in h.store.calls
    await h.session.time_up()  # time up, on the other hand, makes it final
    await h.settle()
    assert h.store.asked == {0: 1} and h.store.calls["apply_finish"] == 1


@run
async def test_a_failed_settling_writes_nothing_and_the_answer_can_be_finished_again():
    h = Harness()
    await h.session.open()
    await quick_end(h)
    h.store.fail = {"apply_finish": None}
    await h.pause_until_settled()
    error = h.last("error")
    assert error["code"] == "SVC_001" and error["retry"] is True
    assert h.session.phase is Phase.ASKING and h.store.asked == {} and h.session._idle.is_set()
    h.store.fail = {}
    await h.session.done()  # "where are we": the prompt answered, then Done again finishes it
    await h.settle()
    assert h.last("next")["question_index"] == 0 and h.last("next")["attempt"] == 0
    await h.session.start_answer(0)
    await h.session.done()
    await h.settle()
    assert h.store.asked == {0: 1} and h.session.phase is Phase.FOLLOW_UP
