"""REST API benchmark (issue: foundation, "Measure").

Starts the production-mode server (granian, one worker, the same ASGI app Reflex mounts) on
PostgreSQL pinned to CPU 0 and drives it with wrk pinned to CPU 1: 20 closed-loop clients for
GET /auth/me, GET /users (20 per page), POST /users; 4 clients for POST /auth/login with bcrypt at
its production cost. Each run: a warm-up, then the measured window. bcrypt's own time is measured
beside login, and a trivial endpoint shows the load generator is not the bottleneck.

    .venv/bin/python bench/bench_api.py [--duration 30] [--warmup 2]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
DB = "interviewer_bench_api"
PG = "postgresql://postgres@127.0.0.1:5432"
PORT = 8765
PASSWORD = "bench-password-77"


def server_env() -> dict[str, str]:
    return {**os.environ, "ENVIRONMENT": "production", "SECRET_KEY": "bench-" + "k" * 48,
            "DATABASE_URL": f"{PG}/{DB}", "REDIS_URL": "redis://127.0.0.1:6379/3",
            "RATE_LIMIT_ENABLED": "false", "BCRYPT_ROUNDS": "12", "LOG_LEVEL": "WARNING"}


def prepare_database() -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    subprocess.run([sys.executable, "-m", "interviewer", "migrate"], cwd=ROOT, env=server_env(), check=True)
    script = f"""
from interviewer.db import session_scope
from interviewer.core.security import hash_password
from interviewer.models import Company, User, UserRole
with session_scope() as s:
    c = Company(name="BenchCo"); s.add(c); s.flush()
    pw = hash_password({PASSWORD!r})
    s.add(User(email="hr@bench.test", name="Bench HR", role=UserRole.HR, company_id=c.id,
               password_hash=pw, email_verified=True))
    for i in range(60):
        s.add(User(email=f"seed{{i}}@bench.test", name=f"Seed User {{i:02d}}", role=UserRole.EMPLOYEE,
                   company_id=c.id, password_hash=pw, email_verified=True))
"""
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=server_env(), check=True)


def start_server() -> subprocess.Popen:
    cmd = ["taskset", "-c", "0", str(ROOT / ".venv/bin/granian"), "--interface", "asgi", "--factory",
           "--workers", "1", "--host", "127.0.0.1", "--port", str(PORT), "--no-access-log",
           "--log-level", "warning", "interviewer.api.app:create_api"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=server_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{PORT}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start: " + proc.stderr.read().decode()[-2000:])


def wrk(script: str, *, clients: int, seconds: int, env: dict[str, str]) -> dict:
    cmd = ["taskset", "-c", "1", "wrk", "-t", "2" if clients >= 2 else "1", "-c", str(clients), "-d", f"{seconds}s",
           "--timeout", "10s", "-s", str(BENCH_DIR / "wrk" / script), f"http://127.0.0.1:{PORT}"]
    out = subprocess.run(cmd, env={**os.environ, **env, "BENCH_DIR": str(BENCH_DIR)},
                         capture_output=True, text=True, check=True).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("BENCH_JSON "))
    return json.loads(line[len("BENCH_JSON "):])


def bcrypt_ms(samples: int = 20) -> float:
    """bcrypt's own time on the server's CPU (measured after the server stopped)."""
    import bcrypt

    os.sched_setaffinity(0, {0})

    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=12))
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        bcrypt.checkpw(PASSWORD.encode(), hashed)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()

    prepare_database()
    server = start_server()
    try:
        token = httpx.post(f"http://127.0.0.1:{PORT}/api/v1/auth/login",
                           json={"email": "hr@bench.test", "password": PASSWORD}).json()["access_token"]
        base = {"BENCH_TOKEN": token, "BENCH_EMAIL": "hr@bench.test", "BENCH_PASSWORD": PASSWORD}
        scenarios = [
            ("GET /health (trivial)", "get.lua", 20, {"BENCH_PATH": "/health"}),
            ("GET /auth/me", "get.lua", 20, {"BENCH_PATH": "/api/v1/auth/me"}),
            ("GET /users (20/page)", "get.lua", 20, {"BENCH_PATH": "/api/v1/users?per_page=20"}),
            ("POST /users", "create_user.lua", 20, {}),
            ("POST /auth/login", "login.lua", 4, {}),
            ("POST /auth/login", "login.lua", 1, {}),  # login's own latency, to compare with bcrypt's
        ]
        results = []
        for name, script, clients, extra in scenarios:
            env = {**base, **extra, "BENCH_NONCE": uuid.uuid4().hex[:8]}
            wrk(script, clients=clients, seconds=args.warmup, env={**env, "BENCH_NONCE": "w" + env["BENCH_NONCE"]})
            res = wrk(script, clients=clients, seconds=args.duration, env=env)
            results.append((name, clients, res))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    bc = bcrypt_ms()

    print(f"\nserver: granian, 1 worker, CPU 0 | load: wrk, CPU 1 | PostgreSQL | {args.duration}s after {args.warmup}s warm-up")
    print(f"{'endpoint':<24}{'clients':>8}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, clients, r in results:
        print(f"{name:<24}{clients:>8}{r['rps']:>10.1f}{r['p50_ms']:>9.2f}{r['p95_ms']:>9.2f}{r['p99_ms']:>9.2f}"
              f"{r['errors']:>8}")
    print(f"bcrypt checkpw (12 rounds), median of 20: {bc:.1f} ms")
    single = results[-1][2]
    print(f"login overhead beyond bcrypt (1 client, p50): {single['p50_ms'] - bc:.1f} ms")


if __name__ == "__main__":
    main()
