"""The speech-to-text interface: a provider opens one streaming session per answer.

A session takes PCM16 16 kHz mono little-endian audio through :meth:`SpeechSession.feed`
(non-blocking: any slow work happens on the provider's own threads) and reports
:class:`SpeechEvent` objects (``partial`` while someone speaks, ``final`` once per utterance)
to the ``on_event`` callback, from a provider thread. :class:`EventStream` turns that callback
into an async iterator for asyncio code. Times are milliseconds in the caller's clock: the
session's ``offset_ms`` is the time of the first byte fed.

Every session also runs the energy VAD on what it is fed, so callers see ``silence_ms`` (how
long nobody has spoken) and ``level_dbfs`` whichever provider transcribes.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from .vad import BYTES_PER_MS, Segmenter, Utterance


@dataclass(frozen=True)
class SpeechEvent:
    type: Literal["partial", "final"]
    text: str
    start_ms: int
    end_ms: int
    confidence: float | None = None
    speech_ratio: float | None = None  # voiced share of the utterance (quality gate)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


EventCallback = Callable[[SpeechEvent], None]


class SpeechSession(ABC):
    """One stream of audio (one answer). Thread-safe: feed/flush/close from any thread."""

    source: str = "stt"

    def __init__(self, *, on_event: EventCallback, offset_ms: int = 0, silence_ms: int = 700) -> None:
        self._on_event = on_event
        self.offset_ms = offset_ms
        self.segmenter = Segmenter(offset_ms=offset_ms, silence_ms=silence_ms)
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

    def _segment(self, pcm: bytes) -> list[Utterance]:
        self._fed_bytes += len(pcm)
        return self.segmenter.feed(pcm)

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


class SpeechToText(ABC):
    name: str

    @abstractmethod
    def open(self, *, on_event: EventCallback, prompt: str | None = None, offset_ms: int = 0,
             partials: bool = True) -> SpeechSession:
        """Start a session; ``prompt`` is context (the question asked) that helps recognition."""


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
