"""How mail reads: absolute links to the app, human dates, and the HTML part built from the text.

Every message keeps its plain-text body (the source of truth, read by text-only clients and the
outbox); ``render_html`` derives the HTML alternative from it: text escaped, paragraphs kept,
every absolute http(s) link clickable. Links to the app are always absolute, built from the
``PUBLIC_URL`` setting, because a mail client has no "current site" to resolve ``/interviews/..``
against. Pure functions: no database, no framework.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone

from interviewer.core.config import get_settings

# An absolute http(s) URL up to whitespace or a closing bracket/quote; trailing sentence
# punctuation ("see https://x.test/a.") is left out of the link.
_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")
_TRAILING = ".,;:!?"


def app_url(path: str) -> str:
    """The absolute address of a page of this app (``/interviews/<id>`` -> ``https://host/interviews/<id>``)."""
    return get_settings().PUBLIC_URL.rstrip("/") + "/" + path.lstrip("/")


PRIVACY_REQUEST_PATH = "/privacy-request"


def privacy_footer(company_name: str) -> str:
    """The line candidate-facing mails end with: where to see, download or erase what the company
    keeps about them (services.privacy_links), with or without an account."""
    return (f"\nYour data: to see, download or erase what {company_name} keeps about you, visit "
            f"{app_url(PRIVACY_REQUEST_PATH)}\n")


def human_datetime(moment: datetime) -> str:
    """``Tue 1 Dec 2026, 22:35 UTC``: what an invitation shows (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M} UTC"


def link_segments(text: str) -> list[tuple[str, str]]:
    """``text`` cut into ``(text, href)`` pieces, ``href`` set for each absolute http(s) link:
    lets a UI show the links of a plain-text mail as links without rendering any HTML."""
    pieces: list[tuple[str, str]] = []
    cursor = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        start, end = match.start(), match.start() + len(url)
        if start > cursor:
            pieces.append((text[cursor:start], ""))
        pieces.append((url, url))
        cursor = end
    if cursor < len(text):
        pieces.append((text[cursor:], ""))
    return pieces


def _html_line(line: str) -> str:
    out = []
    for piece, href in link_segments(line):
        if href:
            safe = html.escape(href, quote=True)
            out.append(f'<a href="{safe}" style="color:#5b5bd6;text-decoration:underline">{safe}</a>')
        else:
            out.append(html.escape(piece, quote=False))
    return "".join(out)


def render_html(subject: str, body_text: str) -> str:
    """The HTML alternative of a plain-text mail: same words, clickable links, one paragraph per
    blank-line-separated block; inline styles only (mail clients drop style sheets)."""
    blocks = [b for b in re.split(r"\n\s*\n", body_text.replace("\r\n", "\n").strip()) if b.strip()]
    paragraphs = "\n".join(
        '<p style="margin:0 0 14px 0">' + "<br>\n".join(_html_line(line) for line in block.split("\n")) + "</p>"
        for block in blocks
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(subject)}</title></head>\n"
        '<body style="margin:0;padding:24px;background:#f6f6f9;'
        'font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:15px;'
        'line-height:1.5;color:#1c2024">\n'
        '<div style="max-width:600px;margin:0 auto;background:#ffffff;border:1px solid #e0e0e6;'
        'border-radius:8px;padding:24px">\n'
        f"{paragraphs}\n"
        '<p style="margin:24px 0 0 0;font-size:12px;color:#80838d">AI Interviewer</p>\n'
        "</div>\n</body></html>\n"
    )
