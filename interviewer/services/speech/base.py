"""The speech-to-text interface: a provider opens one streaming session per answer.

A session takes PCM16 16 kHz mono little-endian audio through :meth:`SpeechSession.feed`
(non-blocking: any slow work happens on the provider's own threads) and reports
:class:`SpeechEvent` objects (``partial`` while someone speaks, ``final`` once per utterance)
to the ``on_event`` callback, from a provider thread. :class:`EventStream` turns that callback
into an async iterator for asyncio code. Times are milliseconds in the caller's clock: the
session's ``offset_ms`` is the time of the first byte fed.

Every session also runs the energy VAD on what it is fed, so callers see ``silence_ms`` (how
long nobody has spoken) and ``level_dbfs`` whichever provider transcribes, and the neural VAD
(``neural_vad.py``, when installed) for :attr:`SpeechSession.last_voice_ms` /
:attr:`SpeechSession.speaking`, the voice activity that end-of-turn decisions use. What the neural
VAD hears as voice also counts as speech for the energy VAD's utterances, so quiet speech in loud
steady noise (below the energy threshold) is transcribed instead of dropped.

Capacity: :attr:`SpeechSession.busy` is True while the session's audio has waited more than
:data:`BUSY_AFTER_S` for a speech-to-text worker (local Whisper's pool is saturated; a remote
provider never is): the live transport polls it to tell the candidate "the speech service is busy,
retrying" instead of going silent; it goes False once the work runs. The words are not lost: the
work stays queued, live answers before device checks (``pool.py``).
:meth:`SpeechToText.transcribe_device_check` transcribes a device-check recording at the lowest
priority and raises :class:`SpeechBusyError` when speech-to-text is saturated.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from . import neural_vad
from .vad import BYTES_PER_MS, Segmenter, Utterance

BUSY_AFTER_S = 1.5  # a session's work waiting longer than this for a worker: SpeechSession.busy


class SpeechBusyError(RuntimeError):
    """Speech-to-text is saturated by live interviews: low-priority work (a device check) is refused
    rather than queued behind them. Retry later; live answers are never refused."""


@dataclass(frozen=True)
class SpeechEvent:
    type: Literal["partial", "final"]
    text: str
    start_ms: int
    end_ms: int
    confidence: float | None = None
    speech_ratio: float | None = None  # voiced share of the utterance (quality gate)
    end_of_turn: bool = False  # the provider's own model judged the speaker's turn over

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


EventCallback = Callable[[SpeechEvent], None]


class SpeechSession(ABC):
    """One stream of audio (one answer). Thread-safe: feed/flush/close from any thread."""

    source: str = "stt"

    def __init__(self, *, on_event: EventCallback, offset_ms: int = 0, silence_ms: int = 700,
                 voice: bool = True) -> None:
        self._on_event = on_event
        self.offset_ms = offset_ms
        self.segmenter = Segmenter(offset_ms=offset_ms, silence_ms=silence_ms)
        self.voice = neural_vad.acquire(offset_ms) if voice else None
        self._lock = threading.RLock()
        self._fed_bytes = 0
        self.closed = False

    # -- audio clock and levels (energy VAD over everything fed) --------------------------------
    @property
    def audio_ms(self) -> int:
        """Stream time after the last byte fed."""
        return self.offset_ms + self._fed_bytes // BYTES_PER_MS

    @property
    def heard_speech(self) -> bool:
        return self.segmenter.last_voice_ms is not None

    @property
    def silence_ms(self) -> int:
        """How long (audio time) since the last voiced frame; since the start if none yet."""
        last = self.segmenter.last_voice_ms
        return self.audio_ms - (last if last is not None else self.offset_ms)

    @property
    def level_dbfs(self) -> float:
        return self.segmenter.level_dbfs

    @property
    def last_voice_ms(self) -> int | None:
        """Stream time of the last voiced audio (neural VAD, else energy VAD); None before any."""
        if self.voice is not None:
            return self.voice.last_voice_ms
        return self.segmenter.last_voice_ms

    @property
    def speaking(self) -> bool:
        """Is the speaker talking right now (the last ~100 ms voiced)?"""
        if self.voice is not None:
            return self.voice.speaking
        last = self.segmenter.last_voice_ms
        return last is not None and self.segmenter.clock_ms - last < 100

    def _segment(self, pcm: bytes) -> list[Utterance]:
        self._fed_bytes += len(pcm)
        voice = None
        if self.voice is not None:
            # what the neural VAD hears as voice is speech to transcribe, however quiet against the room
            voice = self.voice.feed(pcm)
        return self.segmenter.feed(pcm, voice)

    def _release_voice(self) -> None:
        voice, self.voice = self.voice, None
        if voice is not None:
            voice.release()

    def _emit(self, event: SpeechEvent) -> None:
        self._on_event(event)

    # -- what providers implement ----------------------------------------------------------------
    @abstractmethod
    def feed(self, pcm16: bytes) -> None:
        """Queue audio; returns at once."""

    @abstractmethod
    def flush(self, timeout: float = 10.0) -> bool:
        """End of the answer: finalise what was said and wait (blocking, call from a thread) until
        every ``final`` event has been emitted. False when ``timeout`` ran out first."""

    @abstractmethod
    def close(self) -> None:
        """Release the session without waiting for pending work."""

    @property
    @abstractmethod
    def backlog_bytes(self) -> int:
        """Audio accepted but not yet transcribed (flood control)."""

    @property
    def busy(self) -> bool:
        """This session's work has waited more than :data:`BUSY_AFTER_S` for a transcription
        worker (the provider is saturated). Providers without a local queue never are."""
        return False


class SpeechToText(ABC):
    name: str

    @abstractmethod
    def open(self, *, on_event: EventCallback, prompt: str | None = None, offset_ms: int = 0,
             partials: bool = True) -> SpeechSession:
        """Start a session; ``prompt`` is context (the question asked) that helps recognition."""

    def transcribe_device_check(self, pcm16: bytes, *, prompt: str | None = None, timeout: float = 30.0) -> str:
        """The words of a short device-check recording (blocking). This default streams it through
        one session, as an answer goes; a provider with a local worker pool runs it at the lowest
        priority and raises :class:`SpeechBusyError` when saturated."""
        finals: list[str] = []
        session = self.open(on_event=lambda event: finals.append(event.text) if event.type == "final" else None,
                            prompt=prompt, partials=False)
        try:
            for i in range(0, len(pcm16), 32_000):  # 1 s chunks
                session.feed(pcm16[i:i + 32_000])
            if not session.flush(timeout):
                raise TimeoutError(f"{self.name}: the device check was not transcribed within {timeout} s")
        finally:
            session.close()
        return " ".join(text.strip() for text in finals if text.strip())


class EventStream:
    """Bridges a provider thread's callback to asyncio: ``async for event in stream``."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None, maxsize: int = 1000) -> None:
        self._loop = loop or asyncio.get_running_loop()
        self._queue: asyncio.Queue[Any] = asyncio.Queue()  # finals are never dropped
        self._max_partials_backlog, self._closed = maxsize, False

    def callback(self, event: Any) -> None:
        """Thread-safe. Partials are dropped while ``maxsize`` items wait (they only matter fresh)."""
        if not self._closed:
            with contextlib.suppress(RuntimeError):  # the loop is gone: nobody is listening any more
                self._loop.call_soon_threadsafe(self._put, event)

    def _put(self, event: Any) -> None:
        stale = self._queue.qsize() >= self._max_partials_backlog
        if not (stale and isinstance(event, SpeechEvent) and event.type == "partial"):
            self._queue.put_nowait(event)

    def put(self, item: Any) -> None:
        """From the loop itself: an item (e.g. a marker) after everything already emitted."""
        self._loop.call_soon(self._put, item)

    async def get(self) -> Any:
        return await self._queue.get()

    def close(self) -> None:
        self._closed = True

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Any]:
        while True:
            item = await self._queue.get()
            if item is None:
                return
            yield item
