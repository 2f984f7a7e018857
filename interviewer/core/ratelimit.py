"""Fixed-window rate limits kept in Redis (spec 6.5), shared by every backend worker.

Every request of a client counts against one Redis counter per category and window,
``rl:{category}:{client}:{window start}:{window length}`` (the length keeps a 60 s and a 3600 s
window that start at the same second, at the top of an hour, from sharing one count when the limit
is changed). Two ways to count:

- :func:`hit` / :func:`hit_async`: one round trip per request (INCR), exact.
- :class:`LeasedLimiter`: a local token bucket per (category, client), filled by leasing a few
  tokens at a time from that same counter (INCRBY n) and spent without a round trip; it is
  refilled lazily, when it runs dry, and once the counter shows the window used up, the process
  refuses locally until the window ends. The REST middleware uses it for authenticated reads.

Tolerance of the leases (``RATE_LIMIT_LOCAL_LEASE``, at most L tokens per lease): tokens are only
ever granted below the limit of the shared counter, so across any number of processes a client
never gets more than the limit per window, as with :func:`hit`. The price is early refusals: tokens
another process leased and has not spent yet are not available here. A client whose requests are
spread over P processes is refused only once at least limit - (P - 1) x (L - 1) of its requests
were admitted in the window (defaults, 100/60 and L = 5, 2 processes: 96); until the other
processes have spent their tokens, its requests near the limit may be refused by one process and
admitted by another. With one process the limit is exact. A lease is also never more than a tenth
of what the counter had left, so near the limit every request counts in Redis again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from interviewer.core.redis import get_async_redis, get_redis


@dataclass(frozen=True)
class Limit:
    requests: int
    window: int  # seconds

    @classmethod
    def parse(cls, text: str) -> "Limit":
        count, _, window = text.partition("/")
        return cls(int(count), int(window or 60))


def _window(category: str, client: str, limit: Limit, now: float) -> tuple[int, str, int]:
    """(window start, Redis key, seconds until the window ends, at least 1)."""
    window_start = int(now // limit.window) * limit.window
    return (window_start, f"rl:{category}:{client}:{window_start}:{limit.window}",
            max(1, int(window_start + limit.window - now + 0.999)))


def hit(category: str, client: str, limit: Limit) -> tuple[bool, int, int]:
    """Count one request. Returns (allowed, remaining, retry_after_seconds)."""
    _start, key, retry_after = _window(category, client, limit, time.time())
    pipe = get_redis().pipeline()
    pipe.incr(key)
    pipe.expire(key, limit.window + 1)
    count = pipe.execute()[0]
    if count > limit.requests:
        return False, 0, retry_after
    return True, limit.requests - count, retry_after


async def _incr_async(redis_client, key: str, amount: int, window: int) -> int:
    async with redis_client.pipeline() as pipe:
        pipe.incrby(key, amount)
        pipe.expire(key, window + 1)
        return (await pipe.execute())[0]


async def hit_async(category: str, client: str, limit: Limit) -> tuple[bool, int, int]:
    """:func:`hit` for code on the event loop: the same counter, without blocking the loop."""
    _start, key, retry_after = _window(category, client, limit, time.time())
    count = await _incr_async(get_async_redis(), key, 1, limit.window)
    if count > limit.requests:
        return False, 0, retry_after
    return True, limit.requests - count, retry_after


class _Bucket:
    __slots__ = ("counted", "exhausted", "tokens", "window_start")

    def __init__(self, window_start: int):
        self.window_start = window_start
        self.tokens = 0  # leased, not yet spent
        self.exhausted = False  # the shared counter reached the limit: refuse once the tokens are spent
        self.counted = 0  # the shared counter after this process's last lease


class LeasedLimiter:
    """Per-process token buckets leased from the shared Redis window counters (module docstring).

    One instance per process (the HTTP middleware holds one); it runs on the event loop only, so
    it needs no lock. ``redis_client`` and ``clock`` are for tests."""

    LEASE_SHARE = 10  # a lease is at most 1/LEASE_SHARE of what the counter had left
    MAX_BUCKETS = 10_000  # clients tracked at once; dropping a bucket only forfeits its tokens

    def __init__(self, max_lease: int, *, redis_client: Callable[[], object] = get_async_redis,
                 clock: Callable[[], float] = time.time):
        self.max_lease = max(1, max_lease)
        self._redis = redis_client
        self._clock = clock
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self.round_trips = 0  # leases taken from Redis (for tests and benchmarks)

    async def hit(self, category: str, client: str, limit: Limit) -> tuple[bool, int]:
        """Count one request. Returns (allowed, retry_after_seconds)."""
        window_start, key, retry_after = _window(category, client, limit, self._clock())
        bucket = self._buckets.get((category, client))
        if bucket is None or bucket.window_start != window_start:
            if len(self._buckets) >= self.MAX_BUCKETS:
                self._prune(window_start)
            bucket = self._buckets[(category, client)] = _Bucket(window_start)
        if bucket.tokens:
            bucket.tokens -= 1
            return True, retry_after
        if bucket.exhausted:
            return False, retry_after
        lease = max(1, min(self.max_lease, (limit.requests - bucket.counted) // self.LEASE_SHARE))
        self.round_trips += 1
        count = await _incr_async(self._redis(), key, lease, limit.window)
        bucket.counted = count
        granted = min(lease, limit.requests - (count - lease))  # only tokens below the limit
        bucket.exhausted = count >= limit.requests
        if granted <= 0:
            return False, retry_after
        bucket.tokens = granted - 1
        return True, retry_after

    def _prune(self, window_start: int) -> None:
        for key in [k for k, b in self._buckets.items() if b.window_start < window_start]:
            del self._buckets[key]
        if len(self._buckets) >= self.MAX_BUCKETS:
            self._buckets.clear()
