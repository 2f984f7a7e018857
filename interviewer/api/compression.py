"""Response compression that costs nothing to clients that do not ask for it.

Starlette's ``GZipMiddleware`` wraps every request in a responder object that re-reads its
settings and parses the response headers, whether or not the client accepts gzip: about a
tenth of a trivial request's CPU here. :class:`Compression` hands a request that accepts gzip to
``GZipMiddleware`` unchanged (same compression, same rules) and lets any other request through,
only adding ``Vary: Accept-Encoding`` where the gzip path could have compressed the answer (a
body of at least ``minimum_size`` bytes, or one of unknown length, not already encoded), so a
shared cache never serves one encoding for the other.
"""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Compression"]

_VARY = b"vary"


class Compression:
    def __init__(self, app: ASGIApp, minimum_size: int = 1024) -> None:
        self.app = app
        self.minimum_size = minimum_size
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"accept-encoding" and b"gzip" in value.lower():
                await self.gzip(scope, receive, send)
                return
        minimum = self.minimum_size

        async def send_identity(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers") or []
                length, encoded, vary_at = None, False, -1
                for i, (name, value) in enumerate(headers):
                    name = name.lower()
                    if name == b"content-length":
                        length = int(value) if value.isdigit() else None
                    elif name == b"content-encoding":
                        encoded = True
                    elif name == _VARY:
                        vary_at = i
                if not encoded and (length is None or length >= minimum):
                    headers = list(headers)
                    if vary_at < 0:
                        headers.append((_VARY, b"Accept-Encoding"))
                    elif b"accept-encoding" not in headers[vary_at][1].lower():
                        headers[vary_at] = (_VARY, headers[vary_at][1] + b", Accept-Encoding")
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_identity)
