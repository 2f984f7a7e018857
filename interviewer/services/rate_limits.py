"""One rate limiter for the REST API and the Reflex UI (spec 6.5).

The REST middleware (``interviewer.api.middleware``) and every UI event handler that does costly
work call :func:`check` with the same category and the same client address
(``core.netaddr.resolve_client_ip``), so both paths draw on one Redis counter: a browser cannot
get around the API's limits by sending the same work through the UI's event socket, and the other
way round.

Categories and their settings:

- ``auth``   RATE_LIMIT_AUTH    sign-in, sign-up, registration, password links, privacy links
- ``api``    RATE_LIMIT_API     every other API request
- ``ai``     RATE_LIMIT_AI      AI and speech work (question generation, rubric playground,
                                speech-to-text of the device check)
- ``upload`` RATE_LIMIT_UPLOAD  file uploads (resumes, ATS checks, CSV imports)
"""

from __future__ import annotations

import logging

import redis

from interviewer.core import errors as E
from interviewer.core.config import get_settings
from interviewer.core.ratelimit import LeasedLimiter, Limit, hit, hit_async

log = logging.getLogger("interviewer.ratelimit")

CATEGORY_SETTINGS = {
    "auth": "RATE_LIMIT_AUTH",
    "api": "RATE_LIMIT_API",
    "ai": "RATE_LIMIT_AI",
    "upload": "RATE_LIMIT_UPLOAD",
}

AUTH_PATHS = ("/api/v1/auth/login", "/api/v1/auth/signup", "/api/v1/auth/verify-email",
              "/api/v1/auth/set-password", "/api/v1/register/company", "/api/v1/auth/forgot-password",
              "/api/v1/auth/reset-password", "/api/v1/privacy-requests")

# Costly UI actions and the category of the REST operation doing the same work.
UI_ACTIONS = {
    "ats_check": "upload",           # POST /ai/ats-check (multipart)
    "candidate_ats_check": "upload",  # the same analysis of a stored resume
    "resume_upload": "upload",       # POST /candidates/{id}/resume (multipart)
    "import": "upload",              # POST /candidates/bulk-import (multipart)
    "generate_questions": "ai",      # POST /jobs/{id}/generate-questions
    "try_answer": "ai",              # POST /ai/score-answer
    "suggest_wrong_ideas": "ai",     # POST /ai/suggest-wrong-ideas
    "transcription": "ai",           # speech-to-text (the interview page's device check)
    "rescore": "api",                # POST /api/v1/interviews/{id}/rescore (queues a scoring job)
    "privacy_request": "auth",       # POST /privacy-requests (a data link emailed to an address)
}


def category_for_request(path: str, method: str, content_type: str) -> str | None:
    """The limit an HTTP request counts against; None for non-API paths."""
    if not path.startswith("/api/"):
        return None
    if path in AUTH_PATHS and method == "POST":
        return "auth"
    if content_type.startswith("multipart/"):
        return "upload"
    if path.startswith("/api/v1/ai/") or path.endswith("/generate-questions"):
        return "ai"
    return "api"


def limit_for(category: str) -> Limit:
    return Limit.parse(getattr(get_settings(), CATEGORY_SETTINGS[category]))


def check(category: str, client: str) -> int | None:
    """Count one request of ``client`` against ``category``: None when allowed, else the seconds
    to wait. Disabled limits (RATE_LIMIT_ENABLED=false) and a limiter outage allow the request."""
    if not get_settings().RATE_LIMIT_ENABLED:
        return None
    try:
        allowed, _remaining, retry_after = hit(category, client or "unknown", limit_for(category))
    except redis.RedisError:
        log.warning("rate limiter unavailable; request allowed")
        return None
    return None if allowed else retry_after


async def check_async(category: str, client: str, *, leases: LeasedLimiter | None = None) -> int | None:
    """:func:`check` for the event loop (the REST middleware): the same counters, without blocking
    it. With ``leases``, the request spends a token leased from the counter in batches
    (core.ratelimit.LeasedLimiter: no round trip for most requests, the limit still a ceiling
    across processes)."""
    if not get_settings().RATE_LIMIT_ENABLED:
        return None
    try:
        if leases is not None:
            allowed, retry_after = await leases.hit(category, client or "unknown", limit_for(category))
        else:
            allowed, _remaining, retry_after = await hit_async(category, client or "unknown", limit_for(category))
    except redis.RedisError:
        log.warning("rate limiter unavailable; request allowed")
        return None
    return None if allowed else retry_after


def wait_message(seconds: int) -> str:
    """What a limited user is told (the UI; the API sends Retry-After as well)."""
    if seconds < 90:
        wait = f"{seconds} second{'s' if seconds != 1 else ''}"
    else:
        wait = f"about {round(seconds / 60)} minutes"
    return f"Too many requests in a short time. Please wait {wait} and try again."


def enforce_action(action: str, client: str) -> None:
    """A UI action: raises RateLimitedError (RATE_001, with retry_after and the wait in its
    message) when the client has used up the REST limit of the same work."""
    retry_after = check(UI_ACTIONS[action], client)
    if retry_after is not None:
        raise E.RateLimitedError(wait_message(retry_after), retry_after=retry_after)
