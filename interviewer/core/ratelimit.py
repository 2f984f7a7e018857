"""Fixed-window rate limits kept in Redis (spec 6.5), shared by every backend worker."""

from __future__ import annotations

import time
from dataclasses import dataclass

from interviewer.core.redis import get_redis


@dataclass(frozen=True)
class Limit:
    requests: int
    window: int  # seconds

    @classmethod
    def parse(cls, text: str) -> "Limit":
        count, _, window = text.partition("/")
        return cls(int(count), int(window or 60))


def hit(category: str, client: str, limit: Limit) -> tuple[bool, int, int]:
    """Count one request. Returns (allowed, remaining, retry_after_seconds)."""
    now = time.time()
    window_start = int(now // limit.window) * limit.window
    key = f"rl:{category}:{client}:{window_start}"
    pipe = get_redis().pipeline()
    pipe.incr(key)
    pipe.expire(key, limit.window + 1)
    count = pipe.execute()[0]
    retry_after = max(1, int(window_start + limit.window - now + 0.999))
    if count > limit.requests:
        return False, 0, retry_after
    return True, limit.requests - count, retry_after
