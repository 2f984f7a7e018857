"""REST API benchmark (issue: foundation, "Measure").

Starts the production-mode server (granian, one worker, the same ASGI app Reflex mounts) on
PostgreSQL pinned to CPU 0 and drives it with wrk pinned to CPU 1: 20 closed-loop clients for
GET /auth/me, GET /users (20 per page), POST /users; 4 clients for POST /auth/login with bcrypt at
its production cost. Each run: a warm-up, then the measured window. bcrypt's own time is measured
beside login, and a trivial endpoint shows the load generator is not the bottleneck. The server's
CPU time (every process of the server, user + system) is read around each measured window and
divided by the requests served: CPU per request.

    .venv/bin/python bench/bench_api.py [--duration 30] [--warmup 2] [--only health,me,users,create,login]
        [--root DIR] [--env NAME=VALUE ...] [--json FILE] [--server-log FILE]

``--root`` serves another checkout (e.g. ``git archive HEAD`` unpacked) with this script and this
virtualenv, for before/after runs interleaved on the same machine; ``--env`` adds server settings
(``--env LOG_LEVEL=INFO`` measures with the access log on; the default WARNING skips it).
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
import psutil
import psycopg

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
DB = "interviewer_bench_api"
PG = "postgresql://postgres@127.0.0.1:5432"
PORT = 8765
PASSWORD = "bench-password-77"


EXTRA_ENV: dict[str, str] = {}  # --env NAME=VALUE
SERVER_ROOT = ROOT  # --root: the checkout the server runs


def server_env() -> dict[str, str]:
    return {**os.environ, "ENVIRONMENT": "production", "SECRET_KEY": "bench-" + "k" * 48,
            "DATABASE_URL": f"{PG}/{DB}", "REDIS_URL": "redis://127.0.0.1:6379/3",
            "RATE_LIMIT_ENABLED": "false", "BCRYPT_ROUNDS": "12", "LOG_LEVEL": "WARNING",
            # production refuses to start without a key for the secrets it stores (any valid one here)
            "ENCRYPTION_KEY": os.environ.get("ENCRYPTION_KEY") or "YmVuY2gtZW5jcnlwdGlvbi1rZXktMzItYnl0ZXMhISE=",
            **EXTRA_ENV}


def prepare_database() -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    subprocess.run([sys.executable, "-m", "interviewer", "migrate"], cwd=SERVER_ROOT, env=server_env(), check=True)
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
    subprocess.run([sys.executable, "-c", script], cwd=SERVER_ROOT, env=server_env(), check=True)


def start_server(log_path: Path) -> subprocess.Popen:
    cmd = ["taskset", "-c", "0", str(ROOT / ".venv/bin/granian"), "--interface", "asgi", "--factory",
           "--workers", "1", "--host", "127.0.0.1", "--port", str(PORT), "--no-access-log",
           "--log-level", "warning", "interviewer.api.app:create_api"]
    # The server's log goes to a file: a pipe nobody reads would stall it once full (LOG_LEVEL=INFO).
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=SERVER_ROOT, env=server_env(), stdout=subprocess.DEVNULL, stderr=log,
                                start_new_session=True)
    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{PORT}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start: " + log_path.read_text(errors="replace")[-2000:])


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM; the worker exits once its idle worker threads have (AnyIO keeps them 10 s)."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def server_cpu_seconds(proc: subprocess.Popen) -> float:
    """User + system CPU of the server and every process it started (granian's worker)."""
    total = 0.0
    root = psutil.Process(proc.pid)
    for p in (root, *root.children(recursive=True)):
        try:
            t = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += t.user + t.system
    return total


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


# (key for --only, label, wrk script, clients, extra environment)
SCENARIOS = [
    ("health", "GET /health (trivial)", "get.lua", 20, {"BENCH_PATH": "/health"}),
    ("me", "GET /auth/me", "get.lua", 20, {"BENCH_PATH": "/api/v1/auth/me"}),
    ("users", "GET /users (20/page)", "get.lua", 20, {"BENCH_PATH": "/api/v1/users?per_page=20"}),
    ("create", "POST /users", "create_user.lua", 20, {}),
    ("login", "POST /auth/login", "login.lua", 4, {}),
    ("login", "POST /auth/login", "login.lua", 1, {}),  # login's own latency, to compare with bcrypt's
]


def main() -> None:
    global SERVER_ROOT
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated scenario keys: health,me,users,create,login")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout the server runs (default: this one)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="a server setting")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--server-log", type=Path, help="keep the server's log (stderr) in this file")
    args = parser.parse_args()
    SERVER_ROOT = args.root.resolve()
    EXTRA_ENV.update(item.split("=", 1) for item in args.env)
    wanted = {k.strip() for k in args.only.split(",") if k.strip()}
    chosen = [s for s in SCENARIOS if not wanted or s[0] in wanted]

    prepare_database()
    log_path = args.server_log or Path(f"/tmp/bench_api_server_{os.getpid()}.log")
    server = start_server(log_path)
    try:
        token = httpx.post(f"http://127.0.0.1:{PORT}/api/v1/auth/login",
                           json={"email": "hr@bench.test", "password": PASSWORD}).json()["access_token"]
        base = {"BENCH_TOKEN": token, "BENCH_EMAIL": "hr@bench.test", "BENCH_PASSWORD": PASSWORD}
        results = []
        for _key, name, script, clients, extra in chosen:
            env = {**base, **extra, "BENCH_NONCE": uuid.uuid4().hex[:8]}
            wrk(script, clients=clients, seconds=args.warmup, env={**env, "BENCH_NONCE": "w" + env["BENCH_NONCE"]})
            cpu_before = server_cpu_seconds(server)
            res = wrk(script, clients=clients, seconds=args.duration, env=env)
            res["cpu_ms_per_request"] = (server_cpu_seconds(server) - cpu_before) * 1000 / max(1, res["requests"])
            results.append((name, clients, res))
    finally:
        stop_server(server)
        if not args.server_log:
            log_path.unlink(missing_ok=True)
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    logins = [r for name, clients, r in results if name.startswith("POST /auth/login") and clients == 1]
    bc = bcrypt_ms() if logins else None

    print(f"\nserver: granian, 1 worker, CPU 0 ({SERVER_ROOT}) | load: wrk, CPU 1 | PostgreSQL | "
          f"{args.duration}s after {args.warmup}s warm-up | {' '.join(args.env) or 'default settings'}")
    print(f"{'endpoint':<24}{'clients':>8}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
          f"{'CPU ms/req':>12}")
    for name, clients, r in results:
        print(f"{name:<24}{clients:>8}{r['rps']:>10.1f}{r['p50_ms']:>9.2f}{r['p95_ms']:>9.2f}{r['p99_ms']:>9.2f}"
              f"{r['errors']:>8}{r['cpu_ms_per_request']:>12.3f}")
    if bc is not None:
        print(f"bcrypt checkpw (12 rounds), median of 20: {bc:.1f} ms")
        print(f"login overhead beyond bcrypt (1 client, p50): {logins[0]['p50_ms'] - bc:.1f} ms")
    if args.json:
        args.json.write_text(json.dumps([{"endpoint": n, "clients": c, **r} for n, c, r in results], indent=1))


if __name__ == "__main__":
    main()
