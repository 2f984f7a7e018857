"""A stand-in for AssemblyAI's streaming v3 endpoint (``/v3/ws``) on 127.0.0.1.

It checks the ``Authorization`` header and the query (``sample_rate=16000``,
``encoding=pcm_s16le``), sends ``Begin``, a partial ``Turn`` (``end_of_turn: false``) for every
~200 ms of audio received, and on ``{"type": "Terminate"}`` the unformatted and then the formatted
final ``Turn`` (``end_of_turn: true``) followed by ``Termination``, like the real service.

It recognises ``words`` in every session, or, given ``scripts``, the n-th accepted session's words
are ``scripts[n]`` (the last one repeats): one script per answer of an interview.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Response

API_KEY = "test-assemblyai-key"


class FakeAssemblyAI:
    def __init__(self, words: list[str], scripts: list[list[str]] | None = None) -> None:
        self.words = words
        self.scripts = scripts
        self.port = 0
        self.sessions: list[dict] = []  # what each session received: query, headers, audio bytes
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Future | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> FakeAssemblyAI:
        self._thread.start()
        assert self._ready.wait(10), "fake AssemblyAI server did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._stop.set_result, None)
        self._thread.join(10)

    @property
    def host(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        self._stop = self._loop.create_future()
        async with serve(self._handler, "127.0.0.1", 0, process_request=self._check) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop

    def _check(self, connection: ServerConnection, request) -> Response | None:
        url = urlsplit(request.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.sessions.append({"path": url.path, "query": query, "auth": request.headers.get("Authorization"),
                              "audio": 0, "terminated": False})
        if request.headers.get("Authorization") != API_KEY:
            return Response(401, "Unauthorized", Headers(), b"invalid API key")
        if url.path != "/v3/ws" or query.get("sample_rate") != "16000" or query.get("encoding") != "pcm_s16le":
            return Response(400, "Bad Request", Headers(), b"bad parameters")
        return None

    def _turn(self, session: dict, count: int, end: bool, formatted: bool) -> str:
        words = session["words"][:count]
        text = " ".join(words)
        if formatted and text:
            text = text[0].upper() + text[1:] + "."
        return json.dumps({
            "type": "Turn", "turn_order": 0, "turn_is_formatted": formatted, "end_of_turn": end,
            "transcript": text, "end_of_turn_confidence": 0.9 if end else 0.1,
            "words": [{"start": 300 + 400 * i, "end": 300 + 400 * i + 350, "confidence": 0.9, "text": w,
                       "word_is_final": end} for i, w in enumerate(words)]})

    async def _handler(self, ws: ServerConnection) -> None:
        session = self.sessions[-1]
        accepted = sum(1 for s in self.sessions if "words" in s)
        session["words"] = self.scripts[min(accepted, len(self.scripts) - 1)] if self.scripts else self.words
        await ws.send(json.dumps({"type": "Begin", "id": "fake-session", "expires_at": int(time.time()) + 600}))
        async for message in ws:
            if isinstance(message, bytes):
                before = session["audio"] // 6400
                session["audio"] += len(message)
                if session["audio"] // 6400 > before:  # every 200 ms: one more word, as a partial
                    count = min(len(session["words"]), session["audio"] // 6400)
                    await ws.send(self._turn(session, count, end=False, formatted=False))
                continue
            if json.loads(message).get("type") == "Terminate":
                session["terminated"] = True
                await ws.send(self._turn(session, len(session["words"]), end=True, formatted=False))
                await ws.send(self._turn(session, len(session["words"]), end=True, formatted=True))
                await ws.send(json.dumps({"type": "Termination", "audio_duration_seconds": session["audio"] // 32000,
                                          "session_duration_seconds": 1}))
                await ws.close()
                return
