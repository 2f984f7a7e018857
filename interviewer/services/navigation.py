"""Where the app may send a browser after signing in: only back to a page of this site.

A signed-out visitor who opens a deep link (``/interviews/<id>``) is sent to
``/login?next=/interviews/<id>`` and, once signed in, to that page. ``next`` comes from the URL,
so anyone can craft it: only a same-site relative path is followed; anything that a browser could
read as another origin (``//evil.test``, ``/\\evil.test``, ``https://...``, control characters) is
refused and the user goes to their home page instead (no open redirect).
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

MAX_NEXT_LENGTH = 2000
# Pages that make no sense as a destination after signing in (or would loop back to sign-in).
_NOT_DESTINATIONS = ("/login", "/logout", "/signup", "/register-company", "/set-password", "/verify-email")


def safe_next_path(value: str | None) -> str | None:
    """``value`` when it is a same-site relative path (with its query), else None."""
    if not value or not isinstance(value, str) or len(value) > MAX_NEXT_LENGTH:
        return None
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in value):  # whitespace and control characters
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    path = parts.path.rstrip("/") or "/"
    if path == "/" or path in _NOT_DESTINATIONS:
        return None
    return value


def login_path(next_path: str | None = None) -> str:
    """The sign-in page, remembering ``next_path`` when it is a page worth coming back to."""
    safe = safe_next_path(next_path)
    return f"/login?next={quote(safe, safe='/')}" if safe else "/login"
