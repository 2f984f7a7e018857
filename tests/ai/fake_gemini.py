"""A local stand-in for the Gemini REST API, spoken to by the real ``google-genai`` client.

``FakeGemini`` is a stdlib ``ThreadingHTTPServer`` on 127.0.0.1 (port 0) that answers
``POST /{version}/models/{model}:generateContent`` from a queue of scripted replies and records
every request (path, headers, parsed JSON body). Replies::

    fake.push_json({"questions": [...]})   # a good answer: the object as the model's JSON text
    fake.push_text("{not json")            # a malformed answer (any raw text)
    fake.push_empty()                      # no candidates at all
    fake.push_status(429)                  # an HTTP error with Google's error envelope
    fake.push_slow({"a": 1}, delay=2.0)    # answers only after ``delay`` seconds (timeouts)

An empty queue answers 500 so a test that under-scripts fails loudly.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_STATUS_NAMES = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 429: "RESOURCE_EXHAUSTED",
                 500: "INTERNAL", 503: "UNAVAILABLE"}


@dataclass
class Reply:
    status: int = 200
    body: dict[str, Any] | None = None
    delay: float = 0.0


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def model(self) -> str:
        return self.path.split("/models/", 1)[1].split(":", 1)[0]

    @property
    def generation_config(self) -> dict[str, Any]:
        return self.body.get("generationConfig", {})

    @property
    def text(self) -> str:
        """Everything the client sent as content or system instruction, as one string."""
        parts = [p.get("text", "") for c in self.body.get("contents", []) for p in c.get("parts", [])]
        system = self.body.get("systemInstruction") or {}
        parts += [p.get("text", "") for p in system.get("parts", [])]
        return "\n".join(parts)


def model_answer(text: str, finish_reason: str = "STOP") -> dict[str, Any]:
    """The wire shape of a successful ``generateContent`` response carrying ``text``."""
    return {
        "candidates": [{"content": {"role": "model", "parts": [{"text": text}]},
                        "finishReason": finish_reason, "index": 0}],
        "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 20, "totalTokenCount": 30},
        "modelVersion": "gemini-2.5-flash",
    }


@dataclass
class FakeGemini:
    replies: deque[Reply] = field(default_factory=deque)
    requests: list[RecordedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                return

            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw or b"{}")
                with fake._lock:
                    fake.requests.append(RecordedRequest(
                        "POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                    reply = fake.replies.popleft() if fake.replies else Reply(500, _error(500, "unscripted"))
                if not self.path.split("?", 1)[0].endswith(":generateContent"):
                    reply = Reply(404, _error(404, f"unknown path {self.path}"))
                if reply.delay and fake._stopping.wait(reply.delay):
                    return
                payload = json.dumps(reply.body or {}).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json; charset=UTF-8")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    # ---- scripting
    def push_json(self, obj: Any) -> FakeGemini:
        return self.push_text(json.dumps(obj))

    def push_text(self, text: str, finish_reason: str = "STOP") -> FakeGemini:
        self.replies.append(Reply(200, model_answer(text, finish_reason)))
        return self

    def push_empty(self) -> FakeGemini:
        self.replies.append(Reply(200, {"candidates": [], "promptFeedback": {}}))
        return self

    def push_status(self, status: int, message: str = "scripted error") -> FakeGemini:
        self.replies.append(Reply(status, _error(status, message)))
        return self

    def push_slow(self, obj: Any, delay: float) -> FakeGemini:
        self.replies.append(Reply(200, model_answer(json.dumps(obj)), delay=delay))
        return self

    def close(self) -> None:
        self._stopping.set()
        self.server.shutdown()
        self.server.server_close()


def _error(status: int, message: str) -> dict[str, Any]:
    return {"error": {"code": status, "message": message, "status": _STATUS_NAMES.get(status, "UNKNOWN")}}
