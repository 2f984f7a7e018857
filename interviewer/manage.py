"""Operational helpers: migrations and the one-command development runner."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from interviewer.core.config import PROJECT_ROOT, get_settings


def migrate() -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")


RELOAD_PATHS = ("interviewer", "rxconfig.py")  # what the development server watches


def reflex_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("REFLEX_DIR", str(PROJECT_ROOT / ".reflex"))
    env.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
    env.setdefault("REFLEX_CHECK_LATEST_VERSION", "false")
    env.setdefault("BUN_INSTALL_CACHE_DIR", str(PROJECT_ROOT / ".bun-cache"))
    env.setdefault("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org")
    # `reflex run` (development) restarts the backend when a file under the project root changes,
    # var/ included: every SQLite write (its -wal file), a Redis snapshot or an uploaded resume
    # restarted it and dropped the users' sessions. Only code restarts it (Reflex splits on ":").
    env.setdefault("REFLEX_HOT_RELOAD_OVERRIDE_PATHS", ":".join(str(PROJECT_ROOT / name) for name in RELOAD_PATHS))
    return env


def _stop_on_signals() -> None:
    """Ctrl-C (SIGINT) and SIGTERM both stop everything this command started, even when the
    command was launched in the background with SIGINT ignored."""

    def _interrupt(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)


def run_all(*, env: str = "dev", seed: bool = True) -> int:
    _stop_on_signals()
    from interviewer.core.redis import ensure_embedded_redis, stop_embedded_redis

    started_redis = False
    url = get_settings().REDIS_URL
    if not url:  # the embedded default: a real Redis server on a unix socket under var/
        url, started_redis = ensure_embedded_redis()
    os.environ["REDIS_URL"] = url
    print(f"[run] redis: {url}")
    print(f"[run] database: {get_settings().sqlalchemy_url}")
    child_env = reflex_env()
    procs: list[subprocess.Popen] = []
    try:
        migrate()
        if seed:
            from interviewer.seed import seed_demo

            print("[run] demo data:", seed_demo())
        procs.append(subprocess.Popen([sys.executable, "-m", "interviewer", "worker"], env=child_env,
                                      cwd=PROJECT_ROOT, start_new_session=True))
        reflex = [sys.executable, "-m", "reflex", "run", "--env", env, "--loglevel", "warning"]
        procs.append(subprocess.Popen(reflex, env=child_env, cwd=PROJECT_ROOT, start_new_session=True))
        print("[run] UI http://localhost:3000  API http://localhost:8000/api/v1  (Ctrl-C stops everything)")
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        return next((p.returncode for p in procs if p.returncode), 0)
    except KeyboardInterrupt:
        return 0
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        if started_redis:
            stop_embedded_redis(url)
        print("[run] stopped")
