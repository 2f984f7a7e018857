"""AssemblyAI streaming v3 (the ``assemblyai`` SDK): the backend proxies each answer's audio.

The API key stays on the server: the browser talks only to our WebSocket. The SDK's client is
threaded (``connect`` blocks for the handshake: open sessions from a worker thread). Turn events
map to ours: ``end_of_turn`` false -> ``partial``, true -> ``final`` with ``end_of_turn`` set, an
input to the end-of-turn policy (the formatted turn when
``format_turns`` is on; an unformatted final left over when the session ends is used as is),
with start/end from the words' timestamps and confidence the mean of the words'.
``ASSEMBLYAI_STREAMING_HOST`` overrides the host (``ws://127.0.0.1:PORT`` for a test server).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from assemblyai.streaming.v3 import (
    StreamingClient,
    StreamingClientOptions,
    StreamingEvents,
    StreamingParameters,
)
from assemblyai.streaming.v3 import client as _sdk_client

from .base import EventCallback, SpeechEvent, SpeechSession, SpeechToText
from .vad import BYTES_PER_MS, SAMPLE_RATE

log = logging.getLogger("interviewer.speech")

DEFAULT_HOST = StreamingClientOptions.model_fields["api_host"].default
CHUNK_BYTES = 100 * BYTES_PER_MS  # the API wants 50-1000 ms per message


class _LazyTokenClient:
    """The SDK's streaming client builds an HTTPS client (``_HTTPClient``) in its constructor, used
    only to create temporary tokens, which we never do; building it loads the CA bundle into a new
    TLS context (about 50 ms of CPU) for every answer of every interview. This stand-in builds the
    SDK's own client on first use instead."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._args, self._kwargs = args, kwargs
        self._real: Any = None

    def __getattr__(self, name: str) -> Any:
        if name in ("_args", "_kwargs", "_real"):  # not initialised (copy, pickle): no recursion
            raise AttributeError(name)
        if self._real is None:
            self._real = _SDK_HTTP_CLIENT(*self._args, **self._kwargs)
        return getattr(self._real, name)


_SDK_HTTP_CLIENT = getattr(_sdk_client, "_HTTPClient", None)
if _SDK_HTTP_CLIENT is not None:  # a later SDK without it needs nothing
    _sdk_client._HTTPClient = _LazyTokenClient


def streaming_host() -> str:
    from interviewer.core.config import get_settings

    return get_settings().ASSEMBLYAI_STREAMING_HOST.strip() or DEFAULT_HOST


class AssemblyAISession(SpeechSession):
    source = "assemblyai"

    def __init__(self, *, api_key: str, host: str, on_event: EventCallback, offset_ms: int, partials: bool,
                 connect_timeout: float = 5.0) -> None:
        super().__init__(on_event=on_event, offset_ms=offset_ms)
        self.partials = partials
        self.error: str | None = None
        self._finalised: set[int] = set()
        self._voiced: list[tuple[int, int, int]] = []  # the VAD's utterances: (start, end, voiced ms)
        self._unformatted: dict[int, Any] = {}
        self._terminated = threading.Event()
        self._client = StreamingClient(StreamingClientOptions(
            api_key=api_key, api_host=host, connect_timeout=connect_timeout, terminate_timeout=10.0))
        self._client.on(StreamingEvents.Turn, self._on_turn)
        self._client.on(StreamingEvents.Termination, lambda _c, _e: self._terminated.set())
        self._client.on(StreamingEvents.Error, self._on_error)
        self._client.connect(StreamingParameters(sample_rate=SAMPLE_RATE, encoding="pcm_s16le", format_turns=True))
        if self.error:
            raise ConnectionError(f"AssemblyAI streaming refused the session: {self.error}")

    @property
    def backlog_bytes(self) -> int:
        pending = getattr(self._client, "_write_queue", None)
        return pending.qsize() * CHUNK_BYTES if pending is not None else 0

    def feed(self, pcm16: bytes) -> None:
        with self._lock:
            if self.closed:
                return
            # levels, silence and voiced time only: AssemblyAI finds the turns itself
            self._voiced.extend((u.start_ms, u.end_ms, u.voiced_ms) for u in self._segment(pcm16))
            for pos in range(0, len(pcm16), CHUNK_BYTES):
                self._client.stream(pcm16[pos:pos + CHUNK_BYTES])

    def flush(self, timeout: float = 10.0) -> bool:
        """Terminate the session: the server sends the last Turn, then Termination."""
        with self._lock:
            if self.closed:
                return True
            self.closed = True
        self._release_voice()
        self._client.disconnect(terminate=True)
        ended = self._terminated.wait(timeout=0 if self._terminated.is_set() else min(timeout, 1.0))
        for order in sorted(self._unformatted):
            self._final(self._unformatted.pop(order))
        return ended

    def close(self) -> None:
        with self._lock:
            if self.closed:
                return
            self.closed = True
            self._release_voice()
        self._client.disconnect(terminate=False)

    # -- SDK callbacks (its read thread) --------------------------------------------------------
    def _on_error(self, _client: Any, error: Exception) -> None:
        self.error = str(error) or error.__class__.__name__
        log.warning("assemblyai streaming error", extra={"metadata": {"error": self.error}})

    def _on_turn(self, _client: Any, turn: Any) -> None:
        if turn.turn_order in self._finalised:
            return
        if not turn.end_of_turn:
            if self.partials and turn.transcript.strip():
                self._emit(self._event("partial", turn))
        elif turn.turn_is_formatted:
            self._unformatted.pop(turn.turn_order, None)
            self._final(turn)
        else:
            self._unformatted[turn.turn_order] = turn  # the formatted version follows

    def _final(self, turn: Any) -> None:
        self._finalised.add(turn.turn_order)
        if turn.transcript.strip():
            self._emit(self._event("final", turn))

    def _event(self, kind: str, turn: Any) -> SpeechEvent:
        words = list(turn.words or [])
        start = self.offset_ms + (words[0].start if words else 0)
        end = self.offset_ms + (words[-1].end if words else self.audio_ms - self.offset_ms)
        confidence = round(sum(w.confidence for w in words) / len(words), 3) if words else None
        ratio = self._speech_ratio(start, end) if kind == "final" else None
        return SpeechEvent(kind, turn.transcript.strip(), start, end, confidence, ratio,  # type: ignore[arg-type]
                           end_of_turn=bool(turn.end_of_turn))

    def _speech_ratio(self, start: int, end: int) -> float | None:
        """Voiced share of [start, end] from our own VAD: each VAD utterance contributes its
        voiced time in proportion to its overlap with the turn (the one in progress included)."""
        if end <= start:
            return None
        with self._lock:
            spans = list(self._voiced)
            current = self.segmenter.current()
            if current is not None:
                spans.append((current[0], self.segmenter.clock_ms, self.segmenter.voiced_ms))
        voiced = 0.0
        for s, e, v in spans:
            overlap = min(e, end) - max(s, start)
            if overlap > 0 and e > s:
                voiced += v * overlap / (e - s)
        return round(min(1.0, voiced / (end - start)), 3)


class AssemblyAIStreaming(SpeechToText):
    name = "assemblyai"

    def __init__(self, *, api_key: str, host: str | None = None) -> None:
        if not api_key:
            raise ValueError("an AssemblyAI API key is required")
        self._api_key, self.host = api_key, host or streaming_host()

    def open(self, *, on_event: EventCallback, prompt: str | None = None, offset_ms: int = 0,
             partials: bool = True) -> AssemblyAISession:
        """Blocks for the WebSocket handshake: call from a worker thread."""
        del prompt  # the default streaming model takes no free-text prompt
        return AssemblyAISession(api_key=self._api_key, host=self.host, on_event=on_event, offset_ms=offset_ms,
                                 partials=partials)
