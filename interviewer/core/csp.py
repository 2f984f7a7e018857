"""The Content-Security-Policy of the UI pages: one policy, applied by the dev frontend server
(``interviewer/web_security.py``, a Reflex plugin), by the backend when it serves pages itself
(``api.middleware``) and by the production nginx (a header file generated from the built pages).

What the UI needs and why each source is allowed:

- ``script-src 'self' 'unsafe-eval' 'sha256-…'``: the app's own bundles; the inline bootstrap
  scripts React Router writes into each page, allowed one by one by their SHA-256 (no
  ``'unsafe-inline'``, so an injected ``<script>`` or ``on…=`` attribute does not run); and
  ``eval``, which Reflex's event runtime uses for ``rx.call_script`` (the interview page's
  microphone bridge calls go through it). The audio worklet is a same-origin file.
- ``style-src 'self' 'unsafe-inline'``: Radix Themes and Emotion set inline styles and insert
  ``<style>`` elements at run time. Styles cannot run code.
- ``connect-src 'self'`` plus the backend's origins: the state websocket (``/_event``),
  uploads, the interview audio websocket and the REST API.
- ``img-src``/``media-src``/``worker-src`` with ``data:``/``blob:``: icons, downloads made in
  the browser, recorded audio.
- ``frame-ancestors 'none'`` (and ``X-Frame-Options: DENY`` for older browsers): no page can be
  framed (clickjacking); ``object-src 'none'``, ``base-uri 'self'``, ``form-action 'self'``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

# <script> elements without a src attribute, and their text (matched on bytes, as served).
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\ssrc\s*=)(?:\s[^>]*)?>(.*?)</script\s*>", re.S | re.I)

# For answers that are not pages (JSON, files, uploads): nothing may load or frame them.
NON_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def inline_script_hashes(html: bytes | str) -> list[str]:
    """The CSP sources (``'sha256-…'``) of every inline script of a page, in page order."""
    data = html.encode() if isinstance(html, str) else html
    seen: dict[str, None] = {}
    for match in _INLINE_SCRIPT.finditer(data):
        digest = base64.b64encode(hashlib.sha256(match.group(1)).digest()).decode()
        seen[f"'sha256-{digest}'"] = None
    return list(seen)


def connect_origins(urls: Iterable[str]) -> list[str]:
    """The origins the browser talks to for ``urls`` (backend URLs from Reflex's env.json), each
    in its http(s) and ws(s) form: socket.io may fall back from one to the other."""
    out: dict[str, None] = {}
    for url in urls:
        parts = urlsplit(url or "")
        if not parts.scheme or not parts.netloc:
            continue
        secure = parts.scheme in ("https", "wss")
        for scheme in (("https", "wss") if secure else ("http", "ws")):
            out[f"{scheme}://{parts.netloc}"] = None
    return list(out)


def backend_origins_from_env_json(path: Path) -> list[str]:
    """The backend origins a built frontend uses (``.web/env.json``); [] when it is missing."""
    try:
        env = json.loads(path.read_text())
    except (OSError, ValueError):
        return []
    return connect_origins(str(env.get(key) or "") for key in ("EVENT", "PING", "UPLOAD"))


def ui_policy(script_hashes: Iterable[str] = (), connect_sources: Iterable[str] = ()) -> str:
    """The policy of a UI page whose inline scripts have these hashes."""
    directives = [
        ("default-src", ["'self'"]),
        ("script-src", ["'self'", "'unsafe-eval'", *script_hashes]),
        ("style-src", ["'self'", "'unsafe-inline'"]),
        ("img-src", ["'self'", "data:", "blob:"]),
        ("font-src", ["'self'", "data:"]),
        ("connect-src", ["'self'", *connect_sources]),
        ("media-src", ["'self'", "blob:", "data:"]),
        ("worker-src", ["'self'", "blob:"]),
        ("manifest-src", ["'self'"]),
        ("frame-src", ["'none'"]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'"]),
        ("frame-ancestors", ["'none'"]),
    ]
    return "; ".join(f"{name} {' '.join(dict.fromkeys(sources))}" for name, sources in directives)


def site_policy(static_dir: Path, connect_sources: Iterable[str] = ()) -> str:
    """One policy for every page of a built frontend (the union of their inline script hashes):
    the static server sends the same header with every file."""
    hashes: dict[str, None] = {}
    for page in sorted(static_dir.rglob("*.html")):
        for source in inline_script_hashes(page.read_bytes()):
            hashes[source] = None
    return ui_policy(hashes, connect_sources)


def nginx_headers_conf(static_dir: Path, connect_sources: Iterable[str] = ()) -> str:
    """The nginx ``add_header`` lines of the UI's policy for a built frontend."""
    policy = site_policy(static_dir, connect_sources)
    return ("# Generated from the built pages (interviewer.core.csp); regenerate after every frontend build.\n"
            f'add_header Content-Security-Policy "{policy}" always;\n'
            "add_header X-Frame-Options DENY always;\n")
