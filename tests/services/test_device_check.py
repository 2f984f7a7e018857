"""The microphone check's verdict (levels, the test sentence's words, what to do), its link and
per-interview limit, and its speech-to-text call (the pooled device-check entry with busy retries,
or one streaming session when the speech package does not offer it)."""

from __future__ import annotations

import math
import types

import numpy as np
import pytest

from interviewer.core import errors as E
from interviewer.core.redis import get_redis
from interviewer.db import session_scope
from interviewer.models import InterviewStatus
from interviewer.services import device_check as dc
from interviewer.services import speech
from interviewer.services.live_interview_view import InterviewUnavailableError
from tests.services.test_live_interview import make_live_interview, update

RATE = 16000


def tone(seconds: float, amplitude: float, freq: float = 220.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return amplitude * np.sin(2 * math.pi * freq * t)


def pcm(*parts: np.ndarray) -> bytes:
    audio = np.concatenate(parts) if parts else np.zeros(0)
    return np.clip(np.round(audio * 32767), -32768, 32767).astype("<i2").tobytes()


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE))


# --- the level ---------------------------------------------------------------------------------------

def test_level_of_a_spoken_like_recording():
    # 2 s of "speech" at half scale inside 3 s of quiet room noise
    rng = np.random.default_rng(1)
    noise = lambda s: rng.normal(0, 10 ** (-60 / 20), int(s * RATE))
    level = dc.measure_level(pcm(noise(1.5), tone(2.0, 0.5) + noise(2.0), noise(1.5)))
    assert level.peak_dbfs == pytest.approx(-6.0, abs=0.3)
    assert level.speech_dbfs == pytest.approx(-9.0, abs=0.3)  # a sine's RMS is 3 dB below its peak
    assert level.noise_dbfs == pytest.approx(-60.0, abs=2.0)
    assert level.clipped_share == 0.0 and level.seconds == 5.0
    assert level.snr_db > 45


def test_level_of_silence_and_of_nothing():
    assert dc.measure_level(pcm(silence(2))).speech_dbfs == dc.SILENCE_DBFS
    empty = dc.measure_level(b"")
    assert (empty.peak_dbfs, empty.speech_dbfs, empty.seconds) == (dc.SILENCE_DBFS, dc.SILENCE_DBFS, 0.0)
    assert dc.measure_level(b"\x01").seconds == 0.0  # an odd byte is not a sample


def test_clipping_is_measured():
    level = dc.measure_level(pcm(np.clip(tone(1.0, 3.0), -1, 1)))  # a sine driven 10 dB into the rails
    assert level.peak_dbfs == pytest.approx(0.0, abs=0.1)
    assert level.clipped_share > 0.5


# --- the words ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("heard", "found"), [
    ("I am ready for my technical interview today.", 8),
    ("I'm ready for my technical interviews today", 8),  # contraction, plural
    ("i am ready for my tecnical interview", 7),  # a misspelling counts, a missing word does not
    ("ready ready ready ready", 1),  # each heard word counts once
    ("A stack is last in first out.", 0),  # "a" is not "i"
    ("", 0),
])
def test_word_recall(heard, found):
    assert dc.word_recall(dc.TEST_SENTENCE, heard) == (found, 8)


# --- the verdict -------------------------------------------------------------------------------------

def level(speech: float = -20.0, noise: float = -60.0, clipped: float = 0.0, peak: float | None = None):
    return dc.AudioLevel(peak_dbfs=peak if peak is not None else speech + 6, speech_dbfs=speech, noise_dbfs=noise,
                         clipped_share=clipped, seconds=5.0)


def test_verdict_good():
    v = dc.assess(level(), "I am ready for my technical interview today.")
    assert (v.status, v.title, v.words_found, v.words_total) == ("good", "Good: we heard you clearly", 8, 8)
    assert v.advice == "You are ready to start."


def test_verdict_good_enough_at_the_threshold_and_not_below():
    # 5 of 8 words (62 %) is enough; 4 of 8 (50 %) is not
    assert dc.assess(level(), "I am ready for my").status == "good"
    assert dc.assess(level(), "I am ready for").status == "unclear"


def test_verdict_too_quiet():
    v = dc.assess(level(speech=-55, noise=-70), "")
    assert v.status == "quiet" and v.title == "Too quiet"
    assert "closer" in v.advice and "input volume" in v.advice


def test_verdict_a_faint_voice_is_too_quiet_even_when_the_words_came_through():
    # the recogniser normalises the level; the live interview's voice detection does not
    v = dc.assess(level(speech=-55, noise=-75), dc.TEST_SENTENCE)
    assert v.status == "quiet" and v.words_found == 8 and "made out the words" in v.advice


def test_verdict_a_little_quiet_but_fine_is_good_with_a_hint():
    v = dc.assess(level(speech=-37, noise=-70), dc.TEST_SENTENCE)
    assert v.status == "good" and "a little quiet" in v.advice
    assert dc.assess(level(speech=-33, noise=-70), dc.TEST_SENTENCE).advice == "You are ready to start."


def test_verdict_words_not_recognised():
    v = dc.assess(level(), "A stack is last in first out.")
    assert v.status == "unclear" and v.title == "We could not make out the words"
    assert "right microphone" in v.advice and v.heard == "A stack is last in first out."
    noisy = dc.assess(level(speech=-25, noise=-32), "uh")
    assert noisy.status == "unclear" and "background noise" in noisy.advice


def test_verdict_too_loud():
    v = dc.assess(level(speech=-8, clipped=0.01, peak=0.0), dc.TEST_SENTENCE)
    assert v.status == "loud" and v.title == "Too loud / distorted" and "further" in v.advice
    assert v.clipped_percent == 1.0
    assert dc.assess(level(speech=-2), dc.TEST_SENTENCE).status == "loud"


def test_verdict_from_measured_audio():
    """measure_level and assess together, on audio that is quiet, clipped or fine."""
    assert dc.assess(dc.measure_level(pcm(silence(1), tone(2, 0.003), silence(1))), "").status == "quiet"
    faint = dc.measure_level(pcm(silence(1), tone(2, 0.01), silence(1)))  # -43 dBFS RMS
    assert dc.assess(faint, dc.TEST_SENTENCE).status == "quiet"
    assert dc.assess(dc.measure_level(pcm(np.clip(tone(2, 4.0), -1, 1))), dc.TEST_SENTENCE).status == "loud"
    assert dc.assess(dc.measure_level(pcm(silence(1), tone(2, 0.3), silence(1))), dc.TEST_SENTENCE).status == "good"


# --- the link and the limit per interview ------------------------------------------------------------

def authorize(token: str) -> None:
    with session_scope() as s:
        dc.authorize(s, token)


def test_a_usable_link_gets_ten_checks_per_ten_minutes():
    a, b = make_live_interview(), make_live_interview(company_name="Beta")
    for _ in range(dc.DEVICE_CHECK_LIMIT.requests):
        authorize(a.token)
    with pytest.raises(E.RateLimitedError) as refused:
        authorize(a.token)
    assert "tested the microphone 10 times" in refused.value.message and "Please wait" in refused.value.message
    assert 0 < refused.value.retry_after <= 600
    authorize(b.token)  # another interview has its own count
    keys = get_redis().keys("rl:device_check:*")
    assert len(keys) == 2 and not any(a.token in k or b.token in k for k in keys)  # digests, not the links


def test_unusable_links_are_refused_and_not_counted():
    with pytest.raises(E.NotFoundError):
        authorize("no-such-link")
    with pytest.raises(E.NotFoundError):
        authorize("")
    w = make_live_interview()
    update(w.interview_id, status=InterviewStatus.CANCELLED)
    with pytest.raises(InterviewUnavailableError):
        authorize(w.token)
    done = make_live_interview(company_name="Done")
    update(done.interview_id, status=InterviewStatus.COMPLETED)
    with pytest.raises(InterviewUnavailableError):
        authorize(done.token)
    assert get_redis().keys("rl:device_check:*") == []


# --- speech-to-text ----------------------------------------------------------------------------------

class Busy(Exception):
    pass


def fake_speech(monkeypatch, results: list) -> list:
    """The speech package with ``transcribe_device_check``: each call pops the next result
    (an exception is raised)."""
    calls: list = []

    def transcribe_device_check(pcm16, prompt=None, timeout=30.0):
        calls.append((len(pcm16), prompt, timeout))
        result = results.pop(0)
        if isinstance(result, BaseException):
            raise result
        return result

    module = types.SimpleNamespace(transcribe_device_check=transcribe_device_check, SpeechBusyError=Busy)
    monkeypatch.setattr(speech, "transcribe_device_check", module.transcribe_device_check)
    monkeypatch.setattr(speech, "SpeechBusyError", module.SpeechBusyError)
    return calls


def test_pooled_transcription_without_a_prompt(monkeypatch):
    calls = fake_speech(monkeypatch, ["  I am ready  "])
    assert dc.transcribe(b"\0\0" * 100 + b"\0") == "I am ready"
    assert calls == [(200, None, dc.TRANSCRIBE_TIMEOUT_S)]  # whole samples only, no prompt


def test_busy_speech_pool_is_retried_then_reported(monkeypatch):
    calls = fake_speech(monkeypatch, [Busy(), Busy(), "I am ready"])
    busy, slept = [], []
    assert dc.transcribe(b"\0\0" * 10, on_busy=busy.append, sleep=slept.append) == "I am ready"
    assert busy == [1, 2] and slept == list(dc.BUSY_RETRY_DELAYS) and len(calls) == 3

    fake_speech(monkeypatch, [Busy(), Busy(), Busy()])
    with pytest.raises(dc.SpeechBusy) as failed:
        dc.transcribe(b"\0\0" * 10, sleep=lambda s: None)
    assert failed.value.message == dc.BUSY_MESSAGE and isinstance(failed.value, E.ServiceUnavailableError)


def test_other_speech_errors_are_not_retried(monkeypatch):
    calls = fake_speech(monkeypatch, [RuntimeError("model missing"), "never"])
    with pytest.raises(RuntimeError):
        dc.transcribe(b"\0\0" * 10, sleep=lambda s: pytest.fail("retried"))
    assert len(calls) == 1


def test_nothing_recorded_is_not_sent(monkeypatch):
    calls = fake_speech(monkeypatch, ["never"])
    assert dc.transcribe(b"") == "" and calls == []
