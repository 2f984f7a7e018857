"""The live session's persistent state in production: the database (``services.live_interview``,
one short transaction per call on a bounded thread pool, never on the event loop) and Redis (the
answer's clock origin across reconnects, and the "a dropped connection is still saving its last
words" flag). Nothing essential is kept in memory: any worker can resume any interview."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, TypeVar

import redis
from sqlalchemy import exc as sa_exc

from interviewer.core.redis import get_redis
from interviewer.db import session_scope
from interviewer.services import live_interview as live
from interviewer.services import live_interview_view as view

from .session import CollectingOutbox, LiveSession

T = TypeVar("T")

ANSWER_STATE_TTL = 6 * 3600
FLUSH_FLAG_TTL = 30
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (sa_exc.OperationalError, sa_exc.InterfaceError,
                                                  redis.ConnectionError, redis.TimeoutError)
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="live-db")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DatabaseStore:
    outage_errors = OUTAGE_ERRORS

    def __init__(self, token: str) -> None:
        self.token = token
        self._answer_key = f"live:answer:{digest(token)}"
        self._flush_key = f"live:flushing:{digest(token)}"

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(_POOL, fn, *args)

    async def _db(self, name: str, *args: Any) -> Any:
        """``services.live_interview.<name>(session, token, *args)`` in its own transaction
        (looked up at call time: one function, whoever calls it)."""
        def call() -> Any:
            with session_scope() as session:
                return getattr(live, name)(session, self.token, *args)
        return await self._run(call)

    async def context(self) -> dict[str, Any]:
        return await self._db("answer_context")

    async def record_utterance(self, question_index: int, text: str, start_ms: int | None, end_ms: int | None,
                               confidence: float | None, source: str, speech_ratio: float | None,
                               replaces: int | None = None) -> dict[str, Any]:
        return await self._db("record_utterance", question_index, text, start_ms, end_ms, confidence, source,
                              speech_ratio, replaces)

    async def finish_answer(self, question_index: int, attempt: int | None) -> dict[str, Any]:
        return dict(await self._db("finish_answer", question_index, attempt))

    async def plan_finish(self, question_index: int, attempt: int | None) -> dict[str, Any]:
        return dict(await self._db("plan_answer_end", question_index, attempt))

    async def apply_finish(self, plan: dict[str, Any]) -> dict[str, Any]:
        return dict(await self._db("apply_answer_end", plan))

    async def record_signal(self, kind: str, detail: dict[str, Any], occurred: datetime | None) -> bool:
        return await self._db("record_signal", kind, detail, occurred)

    async def record_latency(self, question_index: int, attempt: int, record: dict[str, Any]) -> bool:
        return await self._db("record_turn_latency", question_index, attempt, record)

    async def complete(self) -> dict[str, Any]:
        return await self._db("complete")

    async def answer_base(self, step: dict[str, Any], interview_ms: int, offset_ms: int, resume: bool) -> int:
        """The interview time (ms) of the answer's offset 0: kept in Redis for the answer to
        ``step`` so that a reconnect to any worker continues the same clock."""
        def call() -> int:
            client = get_redis()
            stored = json.loads(client.get(self._answer_key) or "null") if resume else None
            if stored and stored.get("q") == step["question_index"] and stored.get("a") == step.get("attempt"):
                return int(stored["base"])
            base = max(0, interview_ms - offset_ms)
            client.set(self._answer_key, json.dumps({"q": step["question_index"], "a": step.get("attempt"),
                                                     "base": base}), ex=ANSWER_STATE_TTL)
            return base
        return await self._run(call)

    async def said_so_far(self) -> dict[str, Any]:
        """The current prompt and the stored utterances of its answer so far, spoken or typed."""
        def call() -> dict[str, Any]:
            with session_scope() as session:
                interview = view.find_interview(session, self.token)
                questions, entries = view.load_questions(session, interview), view.load_entries(session, interview.id)
                step = view.current_step(interview, questions, entries)
                follow_ups = view.follow_ups_for(entries, step["question_index"])
                said = view.answers_since(entries, step["question_index"], follow_ups[-1].seq if follow_ups else 0)
                return {"step": dict(step), "said": [e.text for e in said]}
        return await self._run(call)

    async def set_flushing(self, on: bool) -> None:
        client = get_redis()
        await self._run(lambda: client.set(self._flush_key, "1", ex=FLUSH_FLAG_TTL) if on
                        else client.delete(self._flush_key))

    async def is_flushing(self) -> bool:
        return bool(await self._run(get_redis().exists, self._flush_key))


# -- the page's own channel: typed answers, signals and completion go through a LiveSession too ---
# (sync, for the UI's handlers, which call them through ``asyncio.to_thread``: a private event loop
# per call; the state is in the database, so a session per call sees what the socket's sees)

def page_session(token: str) -> LiveSession:
    return LiveSession(DatabaseStore(token), CollectingOutbox())


def typed_answer(token: str, question_index: int, attempt: int | None, text: str) -> dict[str, Any]:
    """A typed answer, stored and finished; the next step."""
    return asyncio.run(page_session(token).typed_answer(question_index, attempt, text))


def signal(token: str, kind: str, detail: dict[str, Any], occurred: datetime | None) -> bool:
    """An integrity signal from the page; False when refused (unknown kind, caps, link)."""
    return asyncio.run(page_session(token).signal(kind, detail, occurred))


def complete(token: str) -> dict[str, Any]:
    return asyncio.run(page_session(token).complete())


def keep_typed(token: str, question_index: int, text: str) -> dict[str, Any]:
    """Typed words kept in the open answer without ending it (switching back to voice)."""
    return asyncio.run(page_session(token).keep_typed(question_index, text))


def said_so_far(token: str) -> dict[str, Any]:
    return asyncio.run(DatabaseStore(token).said_so_far())


def being_saved(token: str) -> bool:
    """Whether a closed audio connection is still storing what was said; False when that
    cannot be told (Redis down: the typed answer then waits for the flag itself)."""
    store = DatabaseStore(token)
    try:
        return asyncio.run(store.is_flushing())
    except store.outage_errors:
        return False


__all__ = [
    "OUTAGE_ERRORS",
    "DatabaseStore",
    "being_saved",
    "complete",
    "digest",
    "keep_typed",
    "page_session",
    "said_so_far",
    "signal",
    "typed_answer",
]
