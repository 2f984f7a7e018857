"""One pure-ASGI middleware for the cross-cutting HTTP concerns: request ids, JSON access logs,
metrics, security headers (6.4), body size limits and Redis rate limits (6.5).

WebSockets and lifespan events pass straight through."""

from __future__ import annotations

import gzip
import json
import logging
import os
import time

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interviewer.api.errors import error_body
from interviewer.api.metrics import observe_request
from interviewer.core import csp
from interviewer.core.config import get_settings
from interviewer.core.netaddr import resolve_client_ip
from interviewer.core.logging import request_id_var, request_user_slot, user_id_var
from interviewer.core.ratelimit import LeasedLimiter
from interviewer.services import rate_limits

log = logging.getLogger("interviewer.access")

SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"x-xss-protection", b"1; mode=block"),
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)
NO_STORE = (b"cache-control", b"no-store")
NON_PAGE_CSP = (b"content-security-policy", csp.NON_PAGE_POLICY.encode())
LOGGED_PATHS = ("/api", "/health")  # access-logged (by route template); the UI's own paths are not
# Probes and scrapes: their successful access lines can be sampled (ACCESS_LOG_SAMPLE_HOT_ROUTES).
HOT_PATHS = ("/health", "/api/v1/health", "/metrics")
READ_METHODS = ("GET", "HEAD")
AUTH_PATHS = rate_limits.AUTH_PATHS
UPLOAD_SLACK = 64 * 1024  # multipart framing around a maximum-size file
# The Swagger UI page loads its scripts and styles from jsDelivr (FastAPI's defaults).
DOCS_SOURCES = ("https://cdn.jsdelivr.net",)
MAX_PAGE_BYTES = 4 * 1024 * 1024  # larger HTML answers are not held back to hash their scripts


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
    return json.dumps(body).encode()


# Which limit a request counts against, and the counting itself, live in services.rate_limits:
# the Reflex UI's costly event handlers count against the same limits (one limiter).
rate_category = rate_limits.category_for_request


def client_ip(scope: Scope, headers: dict[bytes, bytes], trusted: list[str], hops: int | None = None) -> str:
    """The client's address (core.netaddr.resolve_client_ip: TRUSTED_PROXY_HOPS, TRUSTED_PROXIES)."""
    peer = (scope.get("client") or ("unknown", 0))[0]
    forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
    return resolve_client_ip(peer, forwarded, trusted=trusted,
                             hops=get_settings().TRUSTED_PROXY_HOPS if hops is None else hops)


class HttpPolicyMiddleware:
    """Pure ASGI: per-process work (settings, header constants, the lease limiter, the sampling
    rate) is done here once; a request pays for a dict of its headers, a random id, the header
    additions on the way out, one metrics update and at most one access line."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.settings = get_settings()
        # Authenticated reads spend tokens leased from the shared Redis counters (core.ratelimit).
        self.read_leases = LeasedLimiter(self.settings.RATE_LIMIT_LOCAL_LEASE)
        rate = self.settings.ACCESS_LOG_SAMPLE_HOT_ROUTES
        self.hot_every = 0 if rate <= 0 else max(1, round(1 / rate))  # log 1 of N successful probes
        self.hot_seen = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        request_id = headers.get(b"x-request-id", b"").decode("latin-1")[:64] or os.urandom(16).hex()
        rid_token = request_id_var.set(request_id)
        uid_token = user_id_var.set(None)
        user_slot: dict = {}
        slot_token = request_user_slot.set(user_slot)
        status_holder = {"status": 500, "started": False}
        path, method = scope.get("path", ""), scope.get("method", "GET")
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        # API answers carry personal data or tokens: no browser or proxy may keep them.
        no_store = path.startswith("/api/") or b"authorization" in headers
        rid_header = (b"x-request-id", request_id.encode())

        page: dict = {}  # an HTML answer held back until its inline scripts can be hashed

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                raw = list(message.get("headers", []))
                raw.append(rid_header)
                present = {k.lower() for k, _ in raw}
                raw.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                if no_store and b"cache-control" not in present:
                    raw.append(NO_STORE)
                message = {**message, "headers": raw}
                if b"content-security-policy" not in present:
                    if b"text/html" in next((v for k, v in raw if k.lower() == b"content-type"), b""):
                        page.update(start=message, body=[], size=0)
                        return
                    raw.append(NON_PAGE_CSP)
            elif message["type"] == "http.response.body" and "start" in page:
                page["body"].append(message.get("body", b""))
                page["size"] += len(message.get("body", b""))
                if message.get("more_body", False) and page["size"] <= MAX_PAGE_BYTES:
                    return
                body = b"".join(page.pop("body"))
                start = page.pop("start")
                text = body
                if dict(start["headers"]).get(b"content-encoding") == b"gzip":  # GZipMiddleware sits inside
                    try:
                        text = gzip.decompress(body)
                    except (OSError, EOFError):
                        text = b""
                policy = csp.ui_policy(csp.inline_script_hashes(text))
                if path.startswith("/api/"):  # the API's docs page: its scripts and styles come from the CDN
                    policy = policy.replace("style-src 'self'", f"style-src 'self' {DOCS_SOURCES[0]}") \
                        .replace("script-src 'self'", f"script-src 'self' {DOCS_SOURCES[0]}") \
                        .replace("img-src 'self'", "img-src 'self' https://fastapi.tiangolo.com")
                await send({**start, "headers": [*start["headers"], (b"content-security-policy", policy.encode())]})
                message = {**message, "body": body}
            await send(message)

        try:
            rejection = await self._check_request(scope, headers, path, method, content_type)
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
            status = status_holder["status"]
            label = _route_label(scope, path)
            observe_request(method, label, status, elapsed)
            if path.startswith(LOGGED_PATHS) and log.isEnabledFor(logging.INFO) and self._log_access(path, status):
                if user_slot.get("user_id"):
                    user_id_var.set(user_slot["user_id"])
                metadata = {"status": status, "ms": round(elapsed * 1000, 2), "route": label}
                if self.hot_every > 1 and path.startswith(HOT_PATHS):
                    metadata["sampled_1_in"] = self.hot_every
                # The route template, never the raw path: paths carry interview link tokens.
                log.info("%s %s %s", method, label, status, extra={"metadata": metadata})
            request_id_var.reset(rid_token)
            user_id_var.reset(uid_token)
            request_user_slot.reset(slot_token)

    def _log_access(self, path: str, status: int) -> bool:
        """Every access line, except successful probes and scrapes beyond 1 in ``hot_every``
        (none with ACCESS_LOG_SAMPLE_HOT_ROUTES=0); their failures are always written."""
        if status >= 400 or not path.startswith(HOT_PATHS):
            return True
        if not self.hot_every:
            return False
        self.hot_seen += 1
        return self.hot_seen % self.hot_every == 0

    def _body_limit(self, path: str, content_type: str) -> int:
        if content_type.startswith("multipart/"):
            return self.settings.MAX_UPLOAD_BYTES + UPLOAD_SLACK
        return self.settings.MAX_JSON_BODY_BYTES

    @staticmethod
    def _too_large_msg(limit: int) -> str:
        return f"Request body too large (limit {limit // 1024} KiB)."

    async def _check_request(self, scope: Scope, headers: dict[bytes, bytes], path: str, method: str,
                             content_type: str):
        declared = headers.get(b"content-length")
        if declared is not None and path.startswith("/api"):
            limit = self._body_limit(path, content_type)
            try:
                if int(declared) > limit:
                    return 413, error_body(self._too_large_msg(limit), "REQ_413"), []
            except ValueError:
                return 400, error_body("Invalid Content-Length header.", "REQ_001"), []
        category = rate_category(path, method, content_type)
        if category is None or not self.settings.RATE_LIMIT_ENABLED:
            return None
        # Authenticated reads are most of the traffic: they spend locally leased tokens of the same
        # shared counter (no Redis round trip for most of them; core.ratelimit states the tolerance).
        leases = self.read_leases if (category == "api" and method in READ_METHODS
                                      and b"authorization" in headers) else None
        retry_after = await rate_limits.check_async(
            category, client_ip(scope, headers, self.settings.TRUSTED_PROXIES), leases=leases)
        if retry_after is not None:
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
