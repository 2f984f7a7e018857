"""Per-account sign-in throttle: slows password guessing without letting anyone lock a real user out.

Failures are counted in Redis per account (from anywhere) and per account + client network
(/24 or /64). After ``LOGIN_FREE_FAILURES`` failures a counter imposes a wait that doubles with
each further failure (``LOGIN_DELAY_BASE_SECONDS`` * 2^n, capped at ``LOGIN_DELAY_CAP_SECONDS``);
counters fade ``LOGIN_FAILURE_WINDOW_SECONDS`` after the last failure.

- An attacker spreading guesses over many addresses hits the account-wide counter.
- A *known device* (a network + browser the account signed in from successfully, remembered for
  90 days) is held back only by its own network's counter, so a stranger's failures cannot keep
  the real user out; the worst a stranger causes for a new device is the capped wait.
- While a wait runs the password is not checked at all, and unknown emails are counted exactly
  like real ones, so the answer reveals nothing about which accounts exist.

The limiter never blocks when Redis is unreachable (sign-in still checks the password).
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

import redis

from interviewer.core.config import get_settings
from interviewer.core.netaddr import ip_prefix
from interviewer.core.redis import get_redis

KNOWN_DEVICE_DAYS = 90
_PREFIX = "auth:throttle:"


@dataclass(frozen=True)
class Attempt:
    account: str  # hash of the normalised email
    network: str  # client network (ip_prefix)
    device: str  # hash of network + user agent

    @classmethod
    def of(cls, email: str, ip: str | None, user_agent: str | None) -> "Attempt":
        account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        network = ip_prefix(ip)
        device = hashlib.sha256(f"{network}|{(user_agent or '')[:255]}".encode()).hexdigest()[:32]
        return cls(account, network, device)

    @property
    def account_key(self) -> str:
        return f"{_PREFIX}acct:{self.account}"

    @property
    def network_key(self) -> str:
        return f"{_PREFIX}net:{self.account}:{self.network}"

    @property
    def known_key(self) -> str:
        return f"{_PREFIX}known:{self.account}"


def _delay(failures: int, last_failure: float, now: float) -> int:
    """Seconds still to wait after ``failures`` failures, the last at ``last_failure``."""
    settings = get_settings()
    over = failures - settings.LOGIN_FREE_FAILURES
    if over < 0:
        return 0
    wait = min(settings.LOGIN_DELAY_BASE_SECONDS * (2 ** min(over, 30)), settings.LOGIN_DELAY_CAP_SECONDS)
    return max(0, math.ceil(last_failure + wait - now))


def _read(client: redis.Redis, key: str) -> tuple[int, float]:
    raw = client.hmget(key, "n", "last")
    return int(raw[0] or 0), float(raw[1] or 0)


def retry_after(attempt: Attempt) -> int:
    """Seconds this attempt must wait before its password is even checked (0: go ahead)."""
    if not get_settings().RATE_LIMIT_ENABLED:
        return 0
    try:
        client = get_redis()
        now = time.time()
        known = bool(client.sismember(attempt.known_key, attempt.device))
        waits = [_delay(*_read(client, attempt.network_key), now)]
        if not known:
            waits.append(_delay(*_read(client, attempt.account_key), now))
    except redis.RedisError:
        return 0
    return max(waits)


def record_failure(attempt: Attempt) -> None:
    window = get_settings().LOGIN_FAILURE_WINDOW_SECONDS
    now = time.time()
    try:
        pipe = get_redis().pipeline()
        for key in (attempt.account_key, attempt.network_key):
            pipe.hincrby(key, "n", 1)
            pipe.hset(key, "last", now)
            pipe.expire(key, window)
        pipe.execute()
    except redis.RedisError:
        pass


def record_success(attempt: Attempt) -> None:
    """This network's counter is cleared and the device remembered. The account-wide counter
    stays: one success from the real user must not hand an attacker fresh attempts."""
    try:
        pipe = get_redis().pipeline()
        pipe.delete(attempt.network_key)
        pipe.sadd(attempt.known_key, attempt.device)
        pipe.expire(attempt.known_key, KNOWN_DEVICE_DAYS * 86400)
        pipe.execute()
    except redis.RedisError:
        pass
