"""One pure-ASGI middleware for the cross-cutting HTTP concerns: request ids, JSON access logs,
metrics, security headers (6.4), body size limits and Redis rate limits (6.5).

WebSockets and lifespan events pass straight through."""

from __future__ import annotations

import ipaddress
import logging
import time
import uuid

import redis
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interviewer.api.errors import error_body
from interviewer.api.metrics import HTTP_DURATION, HTTP_REQUESTS
from interviewer.core.config import get_settings
from interviewer.core.logging import request_id_var, request_user_slot, user_id_var
from interviewer.core.ratelimit import Limit, hit

log = logging.getLogger("interviewer.access")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"x-xss-protection", b"1; mode=block"),
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
AUTH_PATHS = ("/api/v1/auth/login", "/api/v1/auth/signup", "/api/v1/auth/verify-email",
              "/api/v1/auth/set-password", "/api/v1/register/company")
UPLOAD_SLACK = 64 * 1024  # multipart framing around a maximum-size file


def _route_label(scope: Scope, path: str) -> str:
    """The route template (``/api/v1/users/{user_id}``), keeping metric label cardinality low.

    FastAPI keeps the matched route (with the router prefix applied) under ``scope["fastapi"]``;
    ``scope["route"]`` is the route as declared in its router, *without* the ``/api/v1`` prefix, so
    ``/api/v1/health`` and ``/health`` would share one label."""
    fastapi_scope = scope.get("fastapi")
    ctx = (fastapi_scope.get("effective_route_context") if isinstance(fastapi_scope, dict) else None) \
        or scope.get("effective_route_context")
    template = getattr(ctx, "path_format", None) or getattr(scope.get("route"), "path", None)
    return template or ("unmatched" if path.startswith("/api") else "other")


class _BodyTooLarge(StarletteHTTPException):
    """Raised from ``receive`` when a body without (or with a lying) Content-Length grows past the
    limit. An HTTPException, because FastAPI re-raises those from its body parsing (any other
    exception there becomes a 400 "error parsing the body"); the app's handler answers 413."""

    def __init__(self, limit: int):
        super().__init__(413, detail=HttpPolicyMiddleware._too_large_msg(limit))


def _json_bytes(status: int, body: dict) -> bytes:
    import json

    return json.dumps(body).encode()


def rate_category(path: str, method: str, content_type: str) -> str | None:
    if not path.startswith("/api/"):
        return None
    if path in AUTH_PATHS and method == "POST":
        return "auth"
    if content_type.startswith("multipart/"):
        return "upload"
    if path.startswith("/api/v1/ai/") or path.endswith("/generate-questions"):
        return "ai"
    return "api"


def client_ip(scope: Scope, headers: dict[bytes, bytes], trusted: list[str]) -> str:
    """The peer address; X-Forwarded-For is believed only when the peer is a trusted proxy."""
    peer = (scope.get("client") or ("unknown", 0))[0]
    if not trusted or not _is_trusted(peer, trusted):
        return peer
    forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    for hop in reversed(hops):  # the right-most address a trusted proxy did not add
        if not _is_trusted(hop, trusted):
            return hop
    return peer


def _is_trusted(addr: str, trusted: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    for net in trusted:
        try:
            if ip in ipaddress.ip_network(net, strict=False):
                return True
        except ValueError:
            continue
    return False


class HttpPolicyMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app
        settings = get_settings()
        self.settings = settings
        self.limits = {
            "auth": Limit.parse(settings.RATE_LIMIT_AUTH),
            "api": Limit.parse(settings.RATE_LIMIT_API),
            "ai": Limit.parse(settings.RATE_LIMIT_AI),
            "upload": Limit.parse(settings.RATE_LIMIT_UPLOAD),
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        request_id = headers.get(b"x-request-id", b"").decode("latin-1")[:64] or uuid.uuid4().hex
        rid_token = request_id_var.set(request_id)
        uid_token = user_id_var.set(None)
        user_slot: dict = {}
        slot_token = request_user_slot.set(user_slot)
        status_holder = {"status": 500, "started": False}
        path, method = scope.get("path", ""), scope.get("method", "GET")
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                raw = list(message.get("headers", []))
                raw.append((b"x-request-id", request_id.encode()))
                present = {k.lower() for k, _ in raw}
                raw.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                message = {**message, "headers": raw}
            await send(message)

        try:
            rejection = self._check_request(scope, headers, path, method, content_type)
            if rejection is not None:
                status, body, extra_headers = rejection
                await self._respond(send_wrapper, status, body, extra_headers)
                return
            limit = self._body_limit(path, content_type)
            received = 0

            async def limited_receive() -> Message:
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > limit:
                        raise _BodyTooLarge(limit)
                return message

            try:
                await self.app(scope, limited_receive, send_wrapper)
            except _BodyTooLarge:
                await self._respond(send_wrapper, 413, error_body(self._too_large_msg(limit), "REQ_413"), [])
            except Exception as exc:
                # Unhandled errors reach Starlette's ServerErrorMiddleware, which sits *outside* this
                # middleware: its 500 would carry neither the security headers nor X-Request-ID, and
                # its log line no request id. Log and answer here (spec 5.9 body), then re-raise.
                if user_slot.get("user_id"):
                    user_id_var.set(user_slot["user_id"])
                log.error("unhandled error", exc_info=exc)
                try:
                    exc._interviewer_logged = True  # type: ignore[attr-defined]
                except AttributeError:  # pragma: no cover - exceptions without __dict__
                    pass
                if not status_holder["started"]:
                    await self._respond(send_wrapper, 500, error_body(
                        "Internal server error; it has been logged.", "INTERNAL_001"), [])
                raise
        finally:
            elapsed = time.perf_counter() - start
            if user_slot.get("user_id"):
                user_id_var.set(user_slot["user_id"])
            label = _route_label(scope, path)
            HTTP_REQUESTS.labels(method, label, str(status_holder["status"])).inc()
            HTTP_DURATION.labels(method, label).observe(elapsed)
            if path.startswith(("/api", "/health")):
                log.info("%s %s %s", method, path, status_holder["status"],
                         extra={"metadata": {"status": status_holder["status"], "ms": round(elapsed * 1000, 2),
                                             "route": label}})
            request_id_var.reset(rid_token)
            user_id_var.reset(uid_token)
            request_user_slot.reset(slot_token)

    def _body_limit(self, path: str, content_type: str) -> int:
        if content_type.startswith("multipart/"):
            return self.settings.MAX_UPLOAD_BYTES + UPLOAD_SLACK
        return self.settings.MAX_JSON_BODY_BYTES

    @staticmethod
    def _too_large_msg(limit: int) -> str:
        return f"Request body too large (limit {limit // 1024} KiB)."

    def _check_request(self, scope: Scope, headers: dict[bytes, bytes], path: str, method: str, content_type: str):
        declared = headers.get(b"content-length")
        if declared is not None and path.startswith("/api"):
            limit = self._body_limit(path, content_type)
            try:
                if int(declared) > limit:
                    return 413, error_body(self._too_large_msg(limit), "REQ_413"), []
            except ValueError:
                return 400, error_body("Invalid Content-Length header.", "REQ_001"), []
        if not self.settings.RATE_LIMIT_ENABLED:
            return None
        category = rate_category(path, method, content_type)
        if category is None:
            return None
        client = client_ip(scope, headers, self.settings.TRUSTED_PROXIES)
        try:
            allowed, _remaining, retry_after = hit(category, client, self.limits[category])
        except redis.RedisError:
            log.warning("rate limiter unavailable; request allowed")
            return None
        if not allowed:
            return (429, error_body("Too many requests; please slow down.", "RATE_001"),
                    [(b"retry-after", str(retry_after).encode())])
        return None

    @staticmethod
    async def _respond(send: Send, status: int, body: dict, extra_headers: list) -> None:
        payload = _json_bytes(status, body)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(payload)).encode()), *extra_headers]})
        await send({"type": "http.response.body", "body": payload})
