"""Local Whisper sessions and device checks on the bounded pool: live answers first, device checks
refused when saturated, ``SpeechSession.busy``, and ``speech.transcribe_device_check``.

The scheduling tests replace Whisper with a recorder (the pool's order is what they check) and
the process pool with one they drive; the last tests run the real model and the fake AssemblyAI
server."""

from __future__ import annotations

import threading
import time

import pytest

from interviewer.services import speech
from interviewer.services.speech import SpeechBusyError, whisper_local
from interviewer.services.speech.pool import Priority, SpeechPool
from interviewer.services.speech.whisper_local import Transcription, WhisperLocal

from .audio import chunks, noise, speech_pcm, tone, word_error_rate
from .fake_assemblyai import API_KEY, FakeAssemblyAI
from .test_speech_pool import WAIT, FakeClock, held_worker, run_all

SENTENCE = "I am ready for my technical interview today"


@pytest.fixture
def calls(monkeypatch):
    """Whisper replaced by a recorder: each call's kind (device check: no prompt) and audio length."""
    made: list[tuple[str, int]] = []

    def transcribe(pcm: bytes, *, prompt: str | None = None, beam_size: int = 5,
                   open_endings: bool = True) -> Transcription:
        kind = "device-check" if prompt is None else "live"
        made.append((kind, len(pcm)))
        return Transcription(f"{kind} words", 0.9, 0.01, 0.0)

    monkeypatch.setattr(whisper_local, "transcribe_pcm", transcribe)
    return made


def use_pool(monkeypatch, pool: SpeechPool) -> SpeechPool:
    monkeypatch.setattr(whisper_local, "_pool", pool)
    return pool


def feed(session, pcm: bytes) -> None:
    for chunk in chunks(pcm, 100):
        session.feed(chunk)


def test_a_session_is_busy_while_its_answer_waits_more_than_1_5_s(monkeypatch, calls):
    clock = FakeClock()
    pool = use_pool(monkeypatch, SpeechPool(1, threads=False, clock=clock))
    events = []
    session = WhisperLocal().open(on_event=events.append, prompt="Why?", partials=False)
    assert not session.busy
    feed(session, noise(300) + tone(800) + noise(1000, seed=1))  # one utterance, closed by the pause
    assert pool.load == 1 and not session.busy
    clock.advance(1.5)
    assert not session.busy
    clock.advance(0.1)
    assert session.busy
    assert pool.step()
    assert not session.busy and [e.type for e in events] == ["final"] and [kind for kind, _ in calls] == ["live"]
    assert session.flush(0) and pool.load == 0


def test_the_answer_queued_after_a_device_check_is_transcribed_first(monkeypatch, calls):
    """One worker held by another answer; a device check queues, then this answer's final: when the
    worker frees, the final runs before the device check, which then returns its words."""
    pool = use_pool(monkeypatch, SpeechPool(1, queue_bound=5))
    with held_worker(pool, Priority.FINAL) as release:
        result: list[object] = []
        check = threading.Thread(target=lambda: result.append(speech.transcribe_device_check(tone(1000))))
        check.start()
        for _ in range(WAIT * 100):  # until the device check is queued
            if pool.load == 2:
                break
            time.sleep(0.01)
        assert pool.load == 2 and not result, result
        events = []
        session = WhisperLocal().open(on_event=events.append, prompt="Why?", partials=False)
        feed(session, noise(300) + tone(800) + noise(1000, seed=1))
        assert pool.load == 3
        release.set()
        check.join(WAIT)
        assert session.flush(WAIT)
        assert [kind for kind, _ in calls] == ["live", "device-check"]
        assert result == ["device-check words"] and [e.text for e in events] == ["Live words"]


def test_a_final_overtakes_an_earlier_pause_of_another_session(monkeypatch, calls):
    """Session A's pending work becomes a final: it runs before session B's early transcription,
    queued before that final was."""
    monkeypatch.setattr(whisper_local, "PARTIAL_EVERY_S", 0.0)
    monkeypatch.setattr(whisper_local, "PARTIAL_MIN_GROWTH_MS", 500)
    pool = use_pool(monkeypatch, SpeechPool(1, threads=False))
    order: list[str] = []
    a = WhisperLocal().open(on_event=lambda e: order.append(f"a {e.type}"), prompt="Why?")
    b = WhisperLocal().open(on_event=lambda e: order.append(f"b {e.type}"), prompt="Why?")
    feed(a, noise(300) + tone(1200))  # A speaks: a periodic partial is queued (Whisper idle)
    assert a._ticket.priority == Priority.PARTIAL
    feed(b, noise(300) + tone(800) + noise(400, seed=3))  # B pauses: its early transcription
    assert b._ticket.priority == Priority.EARLY
    feed(a, noise(1000, seed=4))  # A pauses (early) and the pause ends its utterance (final)
    assert a._ticket.priority == Priority.FINAL
    run_all(pool)
    assert order == ["a partial", "a final", "b partial"]


def test_a_device_check_is_refused_when_the_pool_is_saturated(monkeypatch, calls):
    pool = use_pool(monkeypatch, SpeechPool(1, queue_bound=1, threads=False))
    sessions = [WhisperLocal().open(on_event=lambda e: None, prompt="Why?", partials=False) for _ in range(2)]
    for session in sessions:
        feed(session, noise(300) + tone(800) + noise(1000, seed=1))
    assert pool.load == 2 and pool.saturated
    with pytest.raises(SpeechBusyError, match="saturated"):  # refused at once, not after waiting
        speech.transcribe_device_check(tone(1000), timeout=5)
    assert pool.load == 2  # nothing queued
    run_all(pool)
    assert [kind for kind, _ in calls] == ["live", "live"]


def test_a_device_check_kept_waiting_by_live_work_is_withdrawn(monkeypatch, calls):
    pool = use_pool(monkeypatch, SpeechPool(1, threads=False))  # no worker ever takes it
    with pytest.raises(SpeechBusyError, match="waited"):
        speech.transcribe_device_check(tone(1000), timeout=0.05)
    assert pool.load == 0 and calls == []


def test_closing_a_session_withdraws_its_waiting_work(monkeypatch, calls):
    pool = use_pool(monkeypatch, SpeechPool(1, threads=False))
    session = WhisperLocal().open(on_event=lambda e: None, prompt="Why?", partials=False)
    feed(session, noise(300) + tone(800) + noise(1000, seed=1))
    assert pool.load == 1
    session.close()
    assert pool.load == 0 and not session.busy and session.flush(0)
    run_all(pool)
    assert calls == []


def test_device_check_through_the_real_model(tmp_path):
    pcm = speech_pcm(SENTENCE, tmp_path)
    text = speech.transcribe_device_check(noise(300) + pcm + noise(300, seed=5))
    assert 1 - word_error_rate(SENTENCE, text) >= 0.6, text


def test_device_check_with_assemblyai_streams_like_an_answer(monkeypatch, calls):
    from interviewer.core.config import reset_settings_cache

    with FakeAssemblyAI("i am ready".split()) as server:
        monkeypatch.setenv("ASSEMBLYAI_API_KEY", API_KEY)
        monkeypatch.setenv("ASSEMBLYAI_STREAMING_HOST", server.host)
        reset_settings_cache()
        try:
            text = speech.transcribe_device_check(noise(300) + tone(1500) + noise(500, seed=2))
        finally:
            monkeypatch.delenv("ASSEMBLYAI_API_KEY")
            monkeypatch.delenv("ASSEMBLYAI_STREAMING_HOST")
            reset_settings_cache()
    assert text == "I am ready." and calls == []  # not through local Whisper


@pytest.mark.parametrize(("cores", "env", "expected"), [
    (1, {}, (1, 1)),  # one core: one worker of one thread
    (2, {}, (2, 2)),  # two replicas of two threads: queued answers side by side, a lone one on both cores
    (16, {}, (2, 2)),
    (2, {"WHISPER_WORKERS": "3", "WHISPER_CPU_THREADS": "1"}, (3, 1)),
    (2, {"WHISPER_WORKERS": "0", "WHISPER_CPU_THREADS": "many"}, (1, 2)),  # 0 is at least one; junk is ignored
])
def test_the_pool_layout_follows_the_cores_unless_the_operator_sets_it(monkeypatch, cores, env, expected):
    monkeypatch.setattr(whisper_local.os, "cpu_count", lambda: cores)
    for name in ("WHISPER_WORKERS", "WHISPER_CPU_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert (whisper_local.workers(), whisper_local.cpu_threads()) == expected
