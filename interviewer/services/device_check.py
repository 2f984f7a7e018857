"""The candidate's microphone check before a live interview: is the audio good enough?

The page records a few seconds while the candidate reads :data:`TEST_SENTENCE`. From that
recording this module measures the level (:func:`measure_level`: peak and speech level in dBFS,
the noise floor, the share of clipped samples), transcribes it (:func:`transcribe`, the speech
pool's low-priority device-check path) and compares the words with the sentence
(:func:`word_recall`). :func:`assess` turns both into a verdict with what to do. Only
:func:`authorize` and :func:`transcribe` have side effects. :func:`authorize` re-checks the
interview link and counts the check against a limit per interview (a link is a credential, and
speech-to-text is costly).
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import redis
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.core.ratelimit import Limit, hit
from interviewer.services.live_interview_view import ensure_takeable, find_interview

log = logging.getLogger("interviewer.device_check")

TEST_SENTENCE = "I am ready for my technical interview today."
DEVICE_CHECK_LIMIT = Limit(10, 600)  # checks per interview link per 10 minutes
BUSY_RETRY_DELAYS = (1.0, 2.5)  # seconds to wait before each retry when the speech pool is full
TRANSCRIBE_TIMEOUT_S = 30.0

SILENCE_DBFS = -100.0
FRAME_SAMPLES = 320  # 20 ms at 16 kHz
# The loud part of the recording below this is too quiet: the live interview's voice activity
# detection (speech.vad: frames above -50 dBFS and 12 dB over the room) would miss words, even when
# the recogniser, which normalises the level, still makes them out.
QUIET_SPEECH_DBFS = -40.0
LOW_SPEECH_DBFS = -34.0  # below this (and above QUIET_SPEECH_DBFS): good, with a hint to move closer
LOUD_SPEECH_DBFS = -3.0  # the loud part this close to full scale: overdriven
CLIP_SAMPLE = 32_700  # |sample| at or above this is at full scale
CLIP_SHARE = 0.002  # more than 0.2 % of the samples at full scale: distorted
NOISY_SNR_DB = 12.0  # speech less than this above the noise floor: noisy room
GOOD_RECALL = 0.6  # share of the test sentence's words that must be recognised

GOOD = "good"
QUIET = "quiet"
UNCLEAR = "unclear"
LOUD = "loud"

_CONTRACTIONS = {"i'm": "i am", "i’m": "i am", "im": "i am", "it's": "it is", "we're": "we are",
                 "you're": "you are", "i'll": "i will", "don't": "do not", "can't": "cannot"}


@dataclass(frozen=True)
class AudioLevel:
    peak_dbfs: float
    speech_dbfs: float  # RMS of the loud frames (the 90th percentile of 20 ms frames)
    noise_dbfs: float  # RMS of the quiet frames (the 10th percentile)
    clipped_share: float  # share of samples at full scale
    seconds: float

    @property
    def snr_db(self) -> float:
        return self.speech_dbfs - self.noise_dbfs


def _dbfs(value: float) -> float:
    return max(SILENCE_DBFS, 20.0 * math.log10(value)) if value > 0 else SILENCE_DBFS


def measure_level(pcm16: bytes) -> AudioLevel:
    """The level of 16 kHz mono PCM16 (little-endian) audio."""
    samples = np.frombuffer(pcm16[:len(pcm16) // 2 * 2], dtype="<i2")
    if samples.size == 0:
        return AudioLevel(SILENCE_DBFS, SILENCE_DBFS, SILENCE_DBFS, 0.0, 0.0)
    wide = samples.astype(np.int32)
    peak = int(np.max(np.abs(wide)))
    clipped = float(np.count_nonzero(np.abs(wide) >= CLIP_SAMPLE)) / samples.size
    frames = samples.size // FRAME_SAMPLES
    scaled = samples.astype(np.float64) / 32768.0
    if frames:
        blocks = scaled[:frames * FRAME_SAMPLES].reshape(frames, FRAME_SAMPLES)
        rms = np.sqrt(np.mean(np.square(blocks), axis=1))
    else:
        rms = np.array([math.sqrt(float(np.mean(np.square(scaled))))])
    return AudioLevel(
        peak_dbfs=round(_dbfs(peak / 32768.0), 1),
        speech_dbfs=round(_dbfs(float(np.percentile(rms, 90))), 1),
        noise_dbfs=round(_dbfs(float(np.percentile(rms, 10))), 1),
        clipped_share=round(clipped, 5),
        seconds=round(samples.size / 16000, 2),
    )


def _words(text: str) -> list[str]:
    words: list[str] = []
    for raw in (text or "").lower().split():
        word = raw.strip(".,!?;:\"“”()[]-–—")
        words.extend(_CONTRACTIONS.get(word, word).split())
    return [w for w in (re.sub(r"[^a-z0-9']", "", w).strip("'") for w in words) if w]


def _same_word(expected: str, heard: str) -> bool:
    if expected == heard:
        return True
    if min(len(expected), len(heard)) < 4:  # short words must match exactly ("a" is not "i")
        return False
    return difflib.SequenceMatcher(None, expected, heard).ratio() >= 0.8  # "interview" ~ "interviews"


def word_recall(expected: str, heard: str) -> tuple[int, int]:
    """(recognised, total): how many of ``expected``'s words occur in ``heard`` (each heard word
    counts once; case, punctuation and small spelling differences are ignored)."""
    want, got = _words(expected), _words(heard)
    unused = list(got)
    found = 0
    for word in want:
        match = next((i for i, other in enumerate(unused) if _same_word(word, other)), None)
        if match is not None:
            found += 1
            del unused[match]
    return found, len(want)


@dataclass(frozen=True)
class Verdict:
    status: str  # good | quiet | unclear | loud
    title: str
    advice: str
    heard: str
    words_found: int
    words_total: int
    peak_dbfs: float
    speech_dbfs: float
    noise_dbfs: float
    clipped_percent: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def assess(level: AudioLevel, heard: str, expected: str = TEST_SENTENCE) -> Verdict:
    """Whether the audio is good enough for the interview, and what to do if not. The level
    first: distortion spoils the words, and a voice too faint for the interview to notice when
    the candidate speaks is too quiet even when the recogniser made the words out. Then the words:
    at least :data:`GOOD_RECALL` of the sentence is good; otherwise background noise (a small gap
    between voice and room) or the wrong microphone is the likely cause."""
    found, total = word_recall(expected, heard)
    recognised = total > 0 and found / total >= GOOD_RECALL
    if level.clipped_share > CLIP_SHARE or level.speech_dbfs > LOUD_SPEECH_DBFS:
        status, title = LOUD, "Too loud / distorted"
        advice = ("Your voice is overdriving the microphone. Move a little further away or lower the "
                  "microphone's input volume in your computer's sound settings, then record again.")
    elif level.speech_dbfs < QUIET_SPEECH_DBFS:
        status, title = QUIET, "Too quiet"
        advice = ("Move closer to the microphone or raise its input volume in your computer's sound settings, "
                  "then record the sentence again.")
        if recognised:
            advice = "We made out the words, but your voice is very faint: the interview may miss when you speak. " \
                + advice
    elif recognised:
        status, title = GOOD, "Good: we heard you clearly"
        advice = ("You are ready to start. Your voice is a little quiet: sitting a bit closer to the "
                  "microphone will help." if level.speech_dbfs < LOW_SPEECH_DBFS else "You are ready to start.")
    else:
        status, title = UNCLEAR, "We could not make out the words"
        advice = ("There is a lot of background noise: find a quieter place or close windows and doors, then "
                  "try again." if level.snr_db < NOISY_SNR_DB else
                  "Reduce background noise and check that the right microphone is selected in your browser "
                  "(the camera icon in the address bar), then say the whole sentence again.")
    return Verdict(status=status, title=title, advice=advice, heard=" ".join((heard or "").split()),
                   words_found=found, words_total=total, peak_dbfs=level.peak_dbfs, speech_dbfs=level.speech_dbfs,
                   noise_dbfs=level.noise_dbfs, clipped_percent=round(level.clipped_share * 100, 2))


# --- side effects ---------------------------------------------------------------------------------

def _limit_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def limit_message(retry_after: int) -> str:
    minutes = max(1, round(retry_after / 60))
    wait = f"{retry_after} seconds" if retry_after < 90 else f"about {minutes} minutes"
    return (f"You have tested the microphone {DEVICE_CHECK_LIMIT.requests} times in the last "
            f"{DEVICE_CHECK_LIMIT.window // 60} minutes. Please wait {wait} before testing again, or start the "
            "interview: you can always switch to typing if the microphone gives trouble.")


def authorize(session: Session, token: str) -> None:
    """A device check for this link: the link must be usable (NotFoundError for an unknown one,
    ``InterviewUnavailableError`` for an expired, cancelled or completed one), and the interview
    has checks left (``RateLimitedError``, counted only for a usable link). A limiter outage
    allows the check (as for every other limit)."""
    ensure_takeable(find_interview(session, token))
    try:
        allowed, _remaining, retry_after = hit("device_check", _limit_key(token), DEVICE_CHECK_LIMIT)
    except redis.RedisError:
        log.warning("rate limiter unavailable; device check allowed")
        return
    if not allowed:
        raise E.RateLimitedError(limit_message(retry_after), retry_after=retry_after)


class SpeechBusy(E.ServiceUnavailableError):
    """The speech-to-text pool stayed full through the retries."""


BUSY_MESSAGE = ("The speech service is busy right now, so we could not check the words. Try again in a "
                "minute, or start the interview: your answers are queued before microphone checks.")


def transcribe(pcm16: bytes, *, prompt: str | None = None, on_busy: Callable[[int], None] | None = None,
               sleep: Callable[[float], None] = time.sleep) -> str:
    """The words in the recording. Uses ``speech.transcribe_device_check`` (low priority in the
    speech pool) when the speech package offers it: when the pool is saturated
    (``speech.SpeechBusyError``) it calls ``on_busy(retry_number)``, waits and retries
    (:data:`BUSY_RETRY_DELAYS`), then raises :class:`SpeechBusy`. Without it, one streaming
    session of the configured provider. No prompt by default: a prompt of the very sentence
    would let the recogniser guess the words the verdict checks for."""
    from interviewer.services import speech  # the speech package loads its providers on first use

    pcm16 = pcm16[:len(pcm16) // 2 * 2]
    if not pcm16:
        return ""
    for retry, delay in enumerate((*BUSY_RETRY_DELAYS, None), start=1):
        try:
            return str(speech.transcribe_device_check(pcm16, prompt=prompt, timeout=TRANSCRIBE_TIMEOUT_S) or "").strip()
        except speech.SpeechBusyError as exc:
            if delay is None:
                raise SpeechBusy(BUSY_MESSAGE) from exc
            if on_busy is not None:
                on_busy(retry)
            sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


__all__ = [
    "BUSY_MESSAGE",
    "DEVICE_CHECK_LIMIT",
    "GOOD_RECALL",
    "TEST_SENTENCE",
    "AudioLevel",
    "SpeechBusy",
    "Verdict",
    "assess",
    "authorize",
    "measure_level",
    "transcribe",
    "word_recall",
]
