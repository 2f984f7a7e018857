"""The candidate's audio WebSocket ``/ws/interview/{token}?ticket=...`` and its ticket endpoint.

Authorisation: the interview token in the path plus a one-time ticket from
``POST /api/v1/interviews/live/{token}/ticket`` (kept in Redis for 60 s, consumed on use), and
an ``Origin`` among ``CORS_ORIGINS`` / ``PUBLIC_URL`` (else close 4403).

Client -> server: binary frames = PCM16 16 kHz mono little-endian (<= 64 KB each); text frames =
JSON ``{"type": "start_answer", "question_index"}``, ``{"type": "done"}``,
``{"type": "signal", "kind", "detail", "occurred_at"}``,
``{"type": "resume", "question_index", "answer_offset_ms"}`` (after a reconnect: the offset, in
the answer's audio, of the first frame that follows; replayed audio already transcribed is skipped).
Server -> client: ``ready``, ``partial``, ``final``, ``answer_end``, ``next``, ``error`` (JSON).
Close codes: 4401 ticket, 4403 origin, 4404 unknown link, 4410 link no longer usable, 1009
too big / flood, 1012 server restart (reconnect and resume), 1000 interview done.

Nothing essential is kept in memory: utterances are stored as they are finalised, and the
answer's clock origin lives in Redis, so a reconnect (to any worker) resumes the same answer.
All database, AI and speech work runs in threads, never on the event loop. A database or Redis
outage (a restart, a failover) is waited out: each call is retried with backoff (finalised
utterances for up to 2 minutes, everything else for 20 s) before the client gets an ``error``
with code ``SVC_001``, and the socket stays open.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import secrets
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar

import redis
from fastapi import APIRouter, FastAPI, Path, Request, WebSocket
from sqlalchemy import exc as sa_exc
from starlette.websockets import WebSocketDisconnect, WebSocketState

from interviewer.core import errors as E
from interviewer.core.config import get_settings
from interviewer.core.ratelimit import Limit, hit
from interviewer.core.redis import get_redis
from interviewer.db import session_scope
from interviewer.services import live_interview as live
from interviewer.services.speech import EventStream, SpeechEvent, SpeechSession, get_stt

log = logging.getLogger("interviewer.ws")
T = TypeVar("T")

TICKET_TTL = 60
MAX_FRAME_BYTES = 64 * 1024
MAX_TEXT_BYTES = 8 * 1024
MAX_BACKLOG_BYTES = 2 * 1024 * 1024
LONG_SILENCE_MS = 30_000
ANSWER_STATE_TTL = 6 * 3600
OUTAGE_ERRORS = (sa_exc.OperationalError, sa_exc.InterfaceError, redis.ConnectionError, redis.TimeoutError)
OUTAGE_PATIENCE_S = 20.0
UTTERANCE_PATIENCE_S = 120.0
UNAVAILABLE = "The interview service is briefly unavailable; what you said so far is saved. Please try again."
_DB_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="live-db")
_connections: set[LiveConnection] = set()
_background: set[asyncio.Task[Any]] = set()


def _detach(coro: Any) -> None:
    """Run ``coro`` on its own (strong reference kept until it ends)."""
    task = asyncio.get_running_loop().create_task(coro)
    _background.add(task)
    task.add_done_callback(_background.discard)


async def close_all_for_restart() -> None:
    """Shutdown: every open socket gets an error with ``resume: true`` and close code 1012."""
    await asyncio.gather(*(c.shutdown() for c in list(_connections)), return_exceptions=True)


def _warm_up() -> None:
    """Import the Gemini client now (about 0.7 s of CPU) rather than in the first candidate's
    turn that needs a follow-up decision."""
    import importlib

    with contextlib.suppress(Exception):
        importlib.import_module("interviewer.services.ai.gemini")


@contextlib.asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    yield
    await close_all_for_restart()


router = APIRouter(tags=["interviews"], lifespan=_lifespan)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@router.post("/interviews/live/{token}/ticket", summary="A one-time ticket (60 s) for the interview's audio WebSocket")
def issue_ticket(request: Request, token: Annotated[str, Path(min_length=1, max_length=255)]) -> dict[str, Any]:
    client = request.client.host if request.client else "unknown"
    allowed, _, retry_after = hit("live_ticket", f"{client}:{_digest(token)[:16]}", Limit(30, 60))
    if not allowed:
        raise E.RateLimitedError("Too many connection attempts; wait a moment.", retry_after=retry_after)
    with session_scope() as session:
        live.ensure_takeable(live.find_interview(session, token))
    ticket = secrets.token_urlsafe(32)
    get_redis().set(f"live:ticket:{ticket}", _digest(token), ex=TICKET_TTL)
    return {"ticket": ticket, "expires_in": TICKET_TTL}


def _consume_ticket(ticket: str | None, token: str) -> bool:
    if not ticket or len(ticket) > 100:
        return False
    return get_redis().getdel(f"live:ticket:{ticket}") == _digest(token)


def allowed_origins() -> set[str]:
    settings = get_settings()
    public = settings.PUBLIC_URL.split("://", 1)
    origins = {o.rstrip("/").lower() for o in settings.CORS_ORIGINS}
    if len(public) == 2:
        origins.add(f"{public[0]}://{public[1].split('/', 1)[0]}".lower())
    return origins


async def _db(fn: Callable[..., T], *args: Any, patience: float | None = None, **kwargs: Any) -> T:
    """Run ``fn(session, *args)`` in its own transaction on the bounded DB pool. An outage of the
    database or Redis is retried with backoff for ``patience`` seconds (the transaction rolled
    back, so a retry is safe), then raised as ``ServiceUnavailableError``."""
    def call() -> T:
        with session_scope() as session:
            return fn(session, *args, **kwargs)
    return await _patiently(lambda: asyncio.get_running_loop().run_in_executor(_DB_POOL, call), patience)


async def _patiently(make: Callable[[], Any], patience: float | None = None) -> Any:
    loop = asyncio.get_running_loop()
    deadline, delay = loop.time() + (OUTAGE_PATIENCE_S if patience is None else patience), 0.25
    while True:
        try:
            return await make()
        except OUTAGE_ERRORS as exc:
            if loop.time() + delay > deadline:
                raise E.ServiceUnavailableError(UNAVAILABLE) from exc
            log.warning("backing service unavailable, retrying", extra={"metadata": {"error": type(exc).__name__}})
            await asyncio.sleep(delay)
            delay = min(2.0, delay * 2)


async def interview_audio_ws(websocket: WebSocket, token: str) -> None:
    await websocket.accept()
    if (websocket.headers.get("origin") or "").rstrip("/").lower() not in allowed_origins():
        return await _refuse(websocket, 4403, "ORIGIN_FORBIDDEN", "This page may not open the interview socket.")
    ticket = websocket.query_params.get("ticket")
    try:
        valid = await _patiently(lambda: asyncio.get_running_loop().run_in_executor(
            _DB_POOL, _consume_ticket, ticket, token))
        context = await _db(live.answer_context, token) if valid else None
    except E.ServiceUnavailableError as exc:  # 1013 "try again later": the page reconnects
        return await _refuse(websocket, 1013, exc.code, exc.message)
    except live.InterviewUnavailableError as exc:
        return await _refuse(websocket, 4410, exc.code, exc.message)
    except E.NotFoundError as exc:
        return await _refuse(websocket, 4404, exc.code, exc.message)
    except E.DomainError as exc:
        return await _refuse(websocket, 4409, exc.code, exc.message)
    if context is None:
        return await _refuse(websocket, 4401, "TICKET_INVALID", "Missing, expired or already used ticket.")
    connection = LiveConnection(websocket, token, context)
    _connections.add(connection)
    try:
        await connection.run()
    finally:
        _connections.discard(connection)


async def _refuse(websocket: WebSocket, code: int, error_code: str, detail: str) -> None:
    with contextlib.suppress(Exception):
        await websocket.send_json({"type": "error", "code": error_code, "detail": detail})
        await websocket.close(code=code)


@dataclass
class Answer:
    question_index: int
    attempt: int
    base_ms: int  # interview clock (ms since start) at answer offset 0
    clock_ms: int  # answer offset of the next byte received
    cutoff_ms: int  # answer offset before which audio was already transcribed (resume)
    stt: SpeechSession | None = None
    long_silence_sent: bool = False


class LiveConnection:
    def __init__(self, websocket: WebSocket, token: str, context: dict[str, Any]) -> None:
        self.ws, self.token, self.context = websocket, token, context
        self.stt = get_stt()
        self.answer: Answer | None = None
        self.stream = EventStream()
        self._send_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._finishing = False
        self._closed = False
        self._state_key = f"live:answer:{_digest(token)}"
        self._flush_key = f"live:flushing:{_digest(token)}"

    # -- plumbing -------------------------------------------------------------------------------
    async def send(self, message: dict[str, Any]) -> None:
        if self._closed or self.ws.application_state != WebSocketState.CONNECTED:
            return
        async with self._send_lock:
            with contextlib.suppress(Exception):
                await self.ws.send_json(message)

    async def close(self, close_code: int, /, **error: Any) -> None:
        if error:
            await self.send({"type": "error", **error})
        if not self._closed:
            self._closed = True
            with contextlib.suppress(Exception):
                await self.ws.close(code=close_code)

    def spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def shutdown(self) -> None:
        await self.close(1012, code="SERVER_RESTART", detail="The server is restarting; reconnect and resume.",
                         resume=True, retry_after_ms=1000)

    # -- main loop ------------------------------------------------------------------------------
    async def run(self) -> None:
        consumer = asyncio.create_task(self._consume())
        loop = asyncio.get_running_loop()
        timer = loop.call_later(self.context["time_left_seconds"] + 1, lambda: self.spawn(self.finish("time_up")))
        await self.send({"type": "ready", "state": "connected", "current": self.context["current"],
                         "time_left_seconds": self.context["time_left_seconds"],
                         "silence_seconds": self.context["silence_seconds"], "stt": self.stt.name,
                         "max_frame_bytes": MAX_FRAME_BYTES})
        try:
            while not self._closed:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                if message.get("bytes") is not None:
                    await self._on_audio(message["bytes"])
                elif message.get("text") is not None:
                    await self._on_control(message["text"])
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            self._closed = True
            timer.cancel()
            answer, self.answer = self.answer, None
            _detach(self._wind_down(answer, consumer))  # survives the handler's cancellation

    async def _wind_down(self, answer: Answer | None, consumer: asyncio.Task[None]) -> None:
        """After the socket is gone: let running work end, finalise what was already said (a
        resume on another connection waits for this), then stop the consumer."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=60)
        if answer is not None and answer.stt is not None:
            redis = get_redis()
            with contextlib.suppress(*OUTAGE_ERRORS):  # a resume elsewhere then just waits less
                await asyncio.to_thread(redis.set, self._flush_key, "1", ex=30)
            try:
                await asyncio.to_thread(answer.stt.flush, 20.0)
                marker = asyncio.get_running_loop().create_future()
                self.stream.put(("marker", marker))
                await asyncio.wait_for(marker, timeout=20)
            except Exception:
                log.warning("flush after a dropped socket failed", exc_info=True)
            finally:
                answer.stt.close()
                with contextlib.suppress(*OUTAGE_ERRORS):  # else it expires in 30 s
                    await asyncio.to_thread(redis.delete, self._flush_key)
        self.stream.put(None)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(consumer, timeout=30)
        self.stream.close()

    # -- audio ----------------------------------------------------------------------------------
    async def _on_audio(self, data: bytes) -> None:
        if len(data) > MAX_FRAME_BYTES:
            return await self.close(1009, code="FRAME_TOO_LARGE",
                                    detail=f"Audio frames must be <= {MAX_FRAME_BYTES} bytes.")
        answer = self.answer
        if answer is None or answer.stt is None or len(data) % 2:
            return
        start, answer.clock_ms = answer.clock_ms, answer.clock_ms + len(data) // 32
        if start < answer.cutoff_ms:  # replayed audio already transcribed: keep the clock, not the words
            keep = max(0, answer.clock_ms - answer.cutoff_ms) * 32
            data = b"\0" * (len(data) - keep) + data[len(data) - keep:]
        answer.stt.feed(data)
        if answer.stt.backlog_bytes > MAX_BACKLOG_BYTES:
            return await self.close(1009, code="AUDIO_BACKLOG", detail="Audio arrives faster than it can be handled.")
        silence = answer.stt.silence_ms
        if answer.stt.heard_speech and silence >= self.context["silence_seconds"] * 1000 and not self._finishing:
            self.spawn(self.finish("silence"))
        elif not answer.stt.heard_speech and silence >= LONG_SILENCE_MS and not answer.long_silence_sent:
            answer.long_silence_sent = True
            self.spawn(self._signal("long_silence", {"question_index": answer.question_index,
                                                     "seconds": silence // 1000}, None))

    # -- control messages ----------------------------------------------------------------------
    async def _on_control(self, text: str) -> None:
        if len(text) > MAX_TEXT_BYTES:
            return await self.close(1009, code="MESSAGE_TOO_LARGE", detail="Control message too large.")
        try:
            message = json.loads(text)
            kind = message.get("type") if isinstance(message, dict) else None
        except ValueError:
            kind = None
        try:
            if kind == "start_answer":
                await self._start(int(message.get("question_index", -1)), 0, resume=False)
            elif kind == "resume":
                await self._start(int(message.get("question_index", -1)),
                                  max(0, int(message.get("answer_offset_ms") or 0)), resume=True)
            elif kind == "done":
                if self.answer is None and not self._finishing:  # nothing being answered: say where we are
                    context = await _db(live.answer_context, self.token)
                    await self.send({"type": "next", **context["current"]})
                elif not self._finishing:
                    self.spawn(self.finish("done"))
            elif kind == "signal":
                when = message.get("occurred_at")
                occurred = datetime.fromisoformat(when.replace("Z", "+00:00")) if isinstance(when, str) else None
                detail = message.get("detail") if isinstance(message.get("detail"), dict) else {}
                self.spawn(self._signal(str(message.get("kind", "")), detail, occurred))
            else:
                await self.send({"type": "error", "code": "BAD_MESSAGE", "detail": "Unknown or malformed message."})
        except (TypeError, ValueError):
            await self.send({"type": "error", "code": "BAD_MESSAGE", "detail": "Malformed message."})
        except live.InterviewUnavailableError as exc:
            await self.close(4410, code=exc.code, detail=exc.message)
        except E.DomainError as exc:
            await self.send({"type": "error", "code": exc.code, "detail": exc.message,
                             "retry": isinstance(exc, E.ServiceUnavailableError)})
        except Exception:  # never take the socket (and the answer in progress) down with a bug
            log.exception("interview control message failed")
            await self.send({"type": "error", "code": "INTERNAL_001", "detail": "Something went wrong; please retry."})

    async def _start(self, question_index: int, offset_ms: int, *, resume: bool) -> None:
        for _ in range(200):  # the previous answer is still being saved: its "next" may be on the wire
            if not self._finishing:
                break
            await asyncio.sleep(0.05)
        if resume:
            await self._wait_for_flush()
        context = await _db(live.answer_context, self.token)
        step = context["current"]
        if step["kind"] == "done" or question_index != step["question_index"]:
            return await self.send({"type": "next", **step})  # that answer was finished meanwhile
        if self.answer is not None:
            if self.answer.question_index == question_index and not resume:
                return  # a repeated start: already listening
            old, self.answer = self.answer, None
            if old.stt is not None:
                old.stt.close()
        base, cutoff = await _patiently(lambda: asyncio.to_thread(self._answer_clock, context, step, offset_ms, resume))
        answer = Answer(question_index, step["attempt"], base, offset_ms, cutoff)
        callback = self.stream.callback
        answer.stt = await asyncio.to_thread(self.stt.open, on_event=lambda ev: callback((answer, ev)),
                                             prompt=step["text"], offset_ms=offset_ms)
        self.answer = answer
        await self.send({"type": "ready", "state": "listening", "question_index": question_index,
                         "attempt": step["attempt"], "answer_offset_ms": offset_ms})

    def _answer_clock(self, context: dict[str, Any], step: dict[str, Any], offset_ms: int,
                      resume: bool) -> tuple[int, int]:
        """(base_ms, cutoff_ms): the interview time of answer offset 0, kept in Redis across
        reconnects, and the answer offset up to which utterances are already stored."""
        redis, key = get_redis(), self._state_key
        stored = json.loads(redis.get(key) or "null") if resume else None
        if stored and stored.get("q") == step["question_index"] and stored.get("a") == step["attempt"]:
            base = int(stored["base"])
        else:
            base = max(0, context["interview_ms"] - offset_ms)
            redis.set(key, json.dumps({"q": step["question_index"], "a": step["attempt"], "base": base}),
                      ex=ANSWER_STATE_TTL)
        last_end = context["last_end_ms"]
        return base, max(0, last_end - base) if resume and last_end is not None else 0

    async def _wait_for_flush(self) -> None:
        for _ in range(100):
            if not await _patiently(lambda: asyncio.to_thread(get_redis().exists, self._flush_key)):
                return
            await asyncio.sleep(0.1)

    async def _signal(self, kind: str, detail: dict[str, Any], occurred: datetime | None) -> None:
        try:
            await _db(live.record_signal, self.token, kind, detail, occurred)
        except E.DomainError as exc:
            await self.send({"type": "error", "code": exc.code, "detail": exc.message})

    # -- ending an answer -----------------------------------------------------------------------
    async def finish(self, reason: str) -> None:
        if self._finishing:
            return
        self._finishing = True
        try:
            answer, self.answer = self.answer, None
            question_index = answer.question_index if answer else self.context["current"]["question_index"]
            await self.send({"type": "answer_end", "question_index": question_index, "reason": reason})
            if answer is not None and answer.stt is not None:
                await asyncio.to_thread(answer.stt.flush, 30.0)
            marker = asyncio.get_running_loop().create_future()
            self.stream.put(("marker", marker))
            await marker  # every final before this point is stored
            step = await _db(live.finish_answer, self.token, question_index,
                             answer.attempt if answer is not None else None)
            self.context["current"] = step
            await self.send({"type": "next", **step})
            if step["kind"] == "done":
                await self.close(1000)
        except live.InterviewUnavailableError as exc:
            await self.close(4410, code=exc.code, detail=exc.message)
        except E.DomainError as exc:  # e.g. the database stayed down: "done" again retries
            await self.send({"type": "error", "code": exc.code, "detail": exc.message,
                             "retry": isinstance(exc, E.ServiceUnavailableError)})
        except Exception:
            log.exception("finishing an answer failed")
            await self.send({"type": "error", "code": "INTERNAL_001", "detail": "Something went wrong; please retry."})
        finally:
            self._finishing = False

    async def _consume(self) -> None:
        """Store each final as it comes (in order), tell the client; resolve markers."""
        async for item in self.stream:
            if isinstance(item, tuple) and item[0] == "marker":
                if not item[1].done():
                    item[1].set_result(None)
                continue
            answer, event = item
            if not isinstance(event, SpeechEvent):
                continue
            if event.type == "partial":
                await self.send({"type": "partial", "question_index": answer.question_index, "text": event.text})
                continue
            try:
                stored = await _db(live.record_utterance, self.token, answer.question_index, event.text,
                                   answer.base_ms + event.start_ms, answer.base_ms + event.end_ms, event.confidence,
                                   answer.stt.source if answer.stt else "stt", event.speech_ratio,
                                   patience=max(UTTERANCE_PATIENCE_S, OUTAGE_PATIENCE_S))
            except E.DomainError as exc:
                log.warning("utterance not stored", extra={"metadata": {"code": exc.code}})
                await self.send({"type": "error", "code": exc.code, "detail": exc.message})
                continue
            except Exception:  # the consumer must outlive one bad write, or every marker would hang
                log.exception("storing an utterance failed")
                await self.send({"type": "error", "code": "INTERNAL_001", "detail": "A part of your answer was not saved."})
                continue
            await self.send({"type": "final", **stored})


__all__ = ["allowed_origins", "close_all_for_restart", "interview_audio_ws", "router"]
