"""The candidate's audio WebSocket ``/ws/interview/{token}?ticket=...`` and its ticket endpoint:
a thin adapter between a socket and :class:`interviewer.live.LiveSession`, which owns the live
interview (phases, answer clock, end of turn, resume, outages, latency budget).

Authorisation: the interview token in the path plus a one-time ticket from
``POST /api/v1/interviews/live/{token}/ticket`` (kept in Redis for 60 s, consumed on use), and
an ``Origin`` among ``CORS_ORIGINS`` / ``PUBLIC_URL`` (else close 4403).

Client -> server: binary frames = PCM16 16 kHz mono little-endian (<= 64 KB each); text frames =
JSON ``{"type": "start_answer", "question_index"}``, ``{"type": "done"}``,
``{"type": "still_thinking"}`` (hold the answer open; answered with ``holding``),
``{"type": "typed_answer", "question_index", "attempt", "text"}`` (the answer, or its rest, typed),
``{"type": "prompt_shown", "question_index", "attempt", "shown_ms", "spoken_ms"}`` (ms from the
``next`` message to the prompt on screen / its speech starting: the page's part of the turn budget),
``{"type": "signal", "kind", "detail", "occurred_at"}``,
``{"type": "resume", "question_index", "answer_offset_ms"}`` (after a reconnect: the offset, in
the answer's audio, of the first frame that follows; replayed audio already transcribed is skipped).
Server -> client: ``ready``, ``partial``, ``final``, ``holding``, ``busy``, ``answer_end``, ``next``,
``reopened``, ``error`` (JSON). A quick end is provisional: ``answer_end`` and ``next`` carry
``"provisional": true`` (``next`` also ``settle_ms``); the page shows the prompt, keeps sending
audio and reads nothing aloud until a plain ``next`` for it (settled) or ``reopened`` (the
candidate went on: the prompt they were answering, whose answer is open again).

Close codes: 4401 ticket, 4403 origin, 4404 unknown link, 4410 link no longer usable, 1009
too big / flood, 1012 server restart (reconnect and resume), 1013 try again later, 1000 done.
This module only checks frames and messages, and counts each turn's latency in the
``live_turn_latency_seconds`` histogram; everything else is the session's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import threading
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import FastAPI, Path, Request, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from interviewer.api.metrics import observe_turn_latency
from interviewer.api.routing import ApiRouter
from interviewer.core import errors as E
from interviewer.core.config import get_settings
from interviewer.core.ratelimit import Limit, hit
from interviewer.core.redis import get_redis
from interviewer.db import session_scope
from interviewer.live import LiveSession
from interviewer.live.store import DatabaseStore, digest
from interviewer.services import live_interview as live
from interviewer.services.speech import get_stt

log = logging.getLogger("interviewer.ws")

TICKET_TTL = 60
MAX_FRAME_BYTES = 64 * 1024
MAX_TEXT_BYTES = 8 * 1024
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
    turn that needs a follow-up decision, read the WordNet phrasal verbs the end-of-turn cues ask
    about (about 0.05 s, else on the event loop in the first turn), and load the local Whisper
    model when it is the speech-to-text."""
    import importlib

    from interviewer.services.speech import phrasal

    with contextlib.suppress(Exception):
        importlib.import_module("interviewer.services.ai.gemini")
    phrasal.available()  # never raises: without the database it knows nothing
    with contextlib.suppress(Exception):  # the local model, else the first answer waits seconds for it
        stt = get_stt()
        if hasattr(stt, "warm_up"):
            stt.warm_up()


@contextlib.asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    # Not a daemon: a process that stops while the model loads waits for it. A daemon thread
    # would be ended inside ctranslate2's C++ loader at interpreter exit, which aborts the
    # process (SIGABRT, "terminate called without an active exception") instead of exiting.
    threading.Thread(target=_warm_up, name="warm-up", daemon=False).start()
    yield
    await close_all_for_restart()


router = ApiRouter(tags=["interviews"], lifespan=_lifespan)


@router.post("/interviews/live/{token}/ticket", summary="A one-time ticket (60 s) for the interview's audio WebSocket")
def issue_ticket(request: Request, token: Annotated[str, Path(min_length=1, max_length=255)]) -> dict[str, Any]:
    client = request.client.host if request.client else "unknown"
    allowed, _, retry_after = hit("live_ticket", f"{client}:{digest(token)[:16]}", Limit(30, 60))
    if not allowed:
        raise E.RateLimitedError("Too many connection attempts; wait a moment.", retry_after=retry_after)
    with session_scope() as session:
        live.ensure_takeable(live.find_interview(session, token))
    ticket = secrets.token_urlsafe(32)
    get_redis().set(f"live:ticket:{ticket}", digest(token), ex=TICKET_TTL)
    return {"ticket": ticket, "expires_in": TICKET_TTL}


def _consume_ticket(ticket: str | None, token: str) -> bool:
    if not ticket or len(ticket) > 100:
        return False
    return get_redis().getdel(f"live:ticket:{ticket}") == digest(token)


def allowed_origins() -> set[str]:
    settings = get_settings()
    public = settings.PUBLIC_URL.split("://", 1)
    origins = {o.rstrip("/").lower() for o in settings.CORS_ORIGINS}
    if len(public) == 2:
        origins.add(f"{public[0]}://{public[1].split('/', 1)[0]}".lower())
    return origins


async def interview_audio_ws(websocket: WebSocket, token: str) -> None:
    await websocket.accept()
    if (websocket.headers.get("origin") or "").rstrip("/").lower() not in allowed_origins():
        return await _refuse(websocket, 4403, "ORIGIN_FORBIDDEN", "This page may not open the interview socket.")
    connection = LiveConnection(websocket, token)
    ticket = websocket.query_params.get("ticket")
    try:
        valid = await connection.session.patiently(lambda: asyncio.to_thread(_consume_ticket, ticket, token))
        context = await connection.session.patiently(connection.session.store.context) if valid else None
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
    _connections.add(connection)
    try:
        await connection.run(context)
    finally:
        _connections.discard(connection)


async def _refuse(websocket: WebSocket, code: int, error_code: str, detail: str) -> None:
    with contextlib.suppress(Exception):
        await websocket.send_json({"type": "error", "code": error_code, "detail": detail})
        await websocket.close(code=code)


class LiveConnection:
    """One socket: the session's outbox, and the loop that hands it frames and messages."""

    def __init__(self, websocket: WebSocket, token: str) -> None:
        self.ws = websocket
        self.session = LiveSession(DatabaseStore(token), self, get_stt(), observe=observe_turn_latency)
        self._send_lock = asyncio.Lock()
        self._closed = False

    # -- the session's outbox -------------------------------------------------------------------
    async def send(self, message: dict[str, Any]) -> None:
        if self._closed or self.ws.application_state != WebSocketState.CONNECTED:
            return
        async with self._send_lock:
            with contextlib.suppress(Exception):
                await self.ws.send_json(message)

    async def close(self, code: int, error: dict[str, Any] | None = None) -> None:
        if error:
            await self.send({"type": "error", **error})
        if not self._closed:
            self._closed = True
            with contextlib.suppress(Exception):
                await self.ws.close(code=code)

    async def shutdown(self) -> None:
        await self.close(1012, {"code": "SERVER_RESTART", "detail": "The server is restarting; reconnect and resume.",
                                "resume": True, "retry_after_ms": 1000})

    # -- frames ---------------------------------------------------------------------------------
    async def run(self, context: dict[str, Any]) -> None:
        await self.session.open(context, max_frame_bytes=MAX_FRAME_BYTES)
        try:
            while not self._closed:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                if message.get("bytes") is not None:
                    data = message["bytes"]
                    if len(data) > MAX_FRAME_BYTES:
                        await self.close(1009, {"code": "FRAME_TOO_LARGE",
                                                "detail": f"Audio frames must be <= {MAX_FRAME_BYTES} bytes."})
                    else:
                        await self.session.audio(data)
                elif message.get("text") is not None:
                    await self._on_control(message["text"])
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            self._closed = True
            _detach(self.session.disconnected())  # survives the handler's cancellation

    async def _on_control(self, text: str) -> None:
        if len(text) > MAX_TEXT_BYTES:
            return await self.close(1009, {"code": "MESSAGE_TOO_LARGE", "detail": "Control message too large."})
        try:
            message = json.loads(text)
            kind = message.get("type") if isinstance(message, dict) else None
        except ValueError:
            kind = None
        session = self.session
        try:
            if kind == "start_answer":
                await session.start_answer(int(message.get("question_index", -1)))
            elif kind == "resume":
                await session.start_answer(int(message.get("question_index", -1)),
                                           max(0, int(message.get("answer_offset_ms") or 0)), resume=True)
            elif kind == "done":
                await session.done()
            elif kind == "still_thinking":
                await session.still_thinking()
            elif kind == "prompt_shown":
                await session.prompt_shown(int(message.get("question_index", -1)), int(message.get("attempt") or 0),
                                           message.get("shown_ms"), message.get("spoken_ms"))
            elif kind == "typed_answer":
                attempt = message.get("attempt")
                await session.typed_answer(int(message.get("question_index", -1)),
                                           int(attempt) if attempt is not None else None,
                                           str(message.get("text") or "")[:live.MAX_UTTERANCE_CHARS])
            elif kind == "signal":
                when = message.get("occurred_at")
                occurred = datetime.fromisoformat(when.replace("Z", "+00:00")) if isinstance(when, str) else None
                detail = message.get("detail") if isinstance(message.get("detail"), dict) else {}
                session.spawn(session.signal(str(message.get("kind", "")), detail, occurred))
            else:
                await self.send({"type": "error", "code": "BAD_MESSAGE", "detail": "Unknown or malformed message."})
        except (TypeError, ValueError, OverflowError):  # OverflowError: 1e999 parses as infinity
            await self.send({"type": "error", "code": "BAD_MESSAGE", "detail": "Malformed message."})
        except E.DomainError as exc:
            await session.report(exc)
        except Exception:  # never take the socket (and the answer in progress) down with a bug
            log.exception("interview control message failed")
            await self.send({"type": "error", "code": "INTERNAL_001", "detail": "Something went wrong; please retry."})


__all__ = ["allowed_origins", "close_all_for_restart", "interview_audio_ws", "router"]
