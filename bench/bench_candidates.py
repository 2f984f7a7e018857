"""Benchmark the candidate list queries on 2 x 100,000 rows and a 10,000-row CSV import.

Usage (from the repo root, PostgreSQL and Redis running):
    .venv/bin/python bench/bench_candidates.py [--rows 100000] [--runs 60]

It creates a scratch database (``interviewer_bench``; dropped at the end unless ``--keep``),
migrates it, seeds two companies with ``--rows`` candidates each (COPY), then times the real
service function ``list_candidates`` (one session per call, as a request would) and the same
through the API in-process (FastAPI TestClient, auth included). The indexes are those of the
migrations (0004 adds the keyset and prefix-search ones). Finally a 10,000-row CSV is
imported by a real RQ worker process (``python -m interviewer worker --burst``): wall time, the
job's own time and the worker's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DB = "interviewer_bench"
os.environ.update(
    ENVIRONMENT="test", SECRET_KEY="bench-secret-key-0123456789-0123456789-abcdef",
    DATABASE_URL=PG_ADMIN.rsplit("/", 1)[0] + f"/{DB}",
    REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
    DATA_DIR=tempfile.mkdtemp(prefix="bench-candidates-"), LOG_LEVEL="WARNING", LOG_JSON="false",
    BCRYPT_ROUNDS="4", RATE_LIMIT_ENABLED="false", SMTP_HOST="",
)

import psycopg  # noqa: E402
import scratch_db  # noqa: E402  (bench/ is on sys.path when a bench runs)
from scratch_db import pct  # noqa: E402

FIRST = ["Ada", "Alan", "Anna", "Ben", "Carla", "Chen", "Dana", "Emil", "Fatima", "Grace", "Hiro", "Ines", "Jon",
         "Kofi", "Lena", "Maria", "Nina", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vera", "Wei",
         "Xavier", "Yara", "Zoe"]
LAST = ["Smith", "Garcia", "Kim", "Okafor", "Novak", "Rossi", "Tanaka", "Nguyen", "Schmidt", "Silva", "Khan",
        "Jensen", "Moreau", "Cohen", "Ivanova", "Haddad", "Larsen", "Patel", "Mensah", "Fischer"]
STATUSES = ["new"] * 5 + ["screening"] * 2 + ["interview_scheduled", "interviewed", "offer", "hired", "rejected",
                                               "withdrawn"]


def create_db() -> None:
    scratch_db.create_db(PG_ADMIN, DB)


def drop_db() -> None:
    scratch_db.drop_db(PG_ADMIN, DB)


def seed(rows: int) -> tuple[uuid.UUID, uuid.UUID]:
    from interviewer.core.security import hash_password

    url = os.environ["DATABASE_URL"]
    rng = random.Random(42)
    companies = [uuid.uuid4(), uuid.uuid4()]
    hr = uuid.uuid4()
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    with psycopg.connect(url) as conn:
        for i, cid in enumerate(companies):
            conn.execute("INSERT INTO companies (id, name, domain, is_active, settings, created_at) "
                         "VALUES (%s, %s, %s, true, '{}', now())", (cid, f"Bench {i}", f"bench{i}.test"))
        conn.execute("INSERT INTO users (id, company_id, email, password_hash, name, role, is_active, email_verified,"
                     " created_at) VALUES (%s, %s, 'hr@bench0.test', %s, 'Bench HR', 'HR', true, true, now())",
                     (hr, companies[0], hash_password("bench-password-42")))
        with conn.cursor().copy("COPY candidates (id, company_id, email, name, phone, status, source, created_at) "
                                "FROM STDIN") as copy:
            for ci, cid in enumerate(companies):
                for i in range(rows):
                    first, last = rng.choice(FIRST), rng.choice(LAST)
                    copy.write_row((uuid.uuid4(), cid, f"{first}.{last}.{i}@mail{ci}.test".lower(),
                                    f"{first} {last}", f"+1 555 {i:07d}", rng.choice(STATUSES), "seed",
                                    base + timedelta(seconds=rng.randrange(0, 2 * 365 * 86400))))
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE candidates")
    return companies[0], hr


CASES = {
    "first page": dict(page=1),
    "page 500": dict(page=500),
    "status=screening": dict(status="screening"),
    "status=screening p50": dict(status="screening", page=50),
    "search name prefix": dict(search="__name__"),
    "search email prefix": dict(search="__email__"),
    "sort name asc p100": dict(sort="name", descending=False, page=100),
}


def bench_service(hr_id: uuid.UUID, runs: int) -> dict[str, tuple[float, float]]:
    from interviewer.db import session_scope
    from interviewer.models import User
    from interviewer.services import candidates
    from interviewer.services.authz import actor_for

    with session_scope() as s:
        actor = actor_for(s, s.get(User, hr_id))
    rng = random.Random(7)
    results = {}
    for label, params in CASES.items():
        times = []
        for i in range(runs + 5):
            kw = dict(params)
            if kw.get("search") == "__name__":
                kw["search"] = rng.choice(FIRST)[:3]
            elif kw.get("search") == "__email__":
                kw["search"] = f"{rng.choice(FIRST)}.{rng.choice(LAST)}".lower()
            start = time.perf_counter()
            with session_scope() as s:
                rows, total = candidates.list_candidates(s, actor, per_page=20, **kw)
            if i >= 5:  # warm-up excluded
                times.append((time.perf_counter() - start) * 1000)
        results[label] = (statistics.median(times), pct(times, 95))
        print(f"  {label:24s} p50 {results[label][0]:7.2f} ms   p95 {results[label][1]:7.2f} ms   "
              f"(total {total:,}, {len(rows)} rows)")
    return results


def bench_api(runs: int) -> None:
    from fastapi.testclient import TestClient

    from interviewer.api.app import create_api

    with TestClient(create_api(), base_url="http://bench") as client:
        token = client.post("/api/v1/auth/login", json={"email": "hr@bench0.test",
                                                        "password": "bench-password-42"}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        for label, query in (("first page", {}), ("page 500", {"page": 500}),
                             ("status=screening", {"status": "screening"}), ("search 'ann'", {"search": "ann"})):
            times = []
            for i in range(runs + 5):
                start = time.perf_counter()
                r = client.get("/api/v1/candidates", headers=headers, params=query)
                assert r.status_code == 200, r.text
                if i >= 5:
                    times.append((time.perf_counter() - start) * 1000)
            print(f"  API {label:20s} p50 {statistics.median(times):7.2f} ms   p95 {pct(times, 95):7.2f} ms")


def explain(hr_id: uuid.UUID, params: dict) -> None:
    from sqlalchemy import event

    from interviewer.db import get_engine, session_scope
    from interviewer.models import User
    from interviewer.services import candidates
    from interviewer.services.authz import actor_for

    captured = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if "FROM candidates" in statement:
            captured.append((statement, parameters))

    event.listen(get_engine(), "before_cursor_execute", grab)
    with session_scope() as s:
        candidates.list_candidates(s, actor_for(s, s.get(User, hr_id)), per_page=20, **params)
    event.remove(get_engine(), "before_cursor_execute", grab)
    with get_engine().connect() as conn:
        for statement, parameters in captured:
            plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).scalars().all()
            print("\n    " + statement.replace("\n", " ")[:300] + " ...")
            print("\n".join("      " + line for line in plan))


def bench_import() -> None:
    from interviewer.db import session_scope
    from interviewer.models import Company, ImportJob, User, UserRole
    from interviewer.services import imports
    from interviewer.services.authz import actor_for

    with session_scope() as s:
        company = Company(name="Import Co", domain="import.test")
        s.add(company)
        s.flush()
        hr = User(company_id=company.id, email="hr@import.test", name="HR", role=UserRole.HR, password_hash="!x",
                  email_verified=True)
        s.add(hr)
        s.flush()
        actor = actor_for(s, hr)
    data = ("email,first name,last name,phone,source,status\n" + "".join(
        f"p{i}@import.test,First{i},Last{i},+1 555 {i:07d},career fair,{'screening' if i % 3 else 'new'}\n"
        for i in range(10_000))).encode()
    with session_scope() as s:
        job, _ = imports.start_import(s, actor, data, "bench.csv")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "interviewer", "worker", "--queues", "default", "--burst"], cwd=ROOT,
                   check=True, env=os.environ.copy())
    wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    with session_scope() as s:
        done = s.get(ImportJob, job.id)
        job_s = (done.finished_at - done.started_at).total_seconds()
    print(f"  10,000-row import: status {done.status.value}, created {done.created_count}, errors "
          f"{done.error_count}; job {job_s:.2f} s, worker process wall {wall:.2f} s (incl. start-up), "
          f"worker peak RSS {peak_mb:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="candidates per company")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    create_db()
    try:
        t0 = time.perf_counter()
        _company, hr = seed(args.rows)
        print(f"seeded 2 x {args.rows:,} candidates in {time.perf_counter() - t0:.1f} s")
        print("service list_candidates:")
        results = bench_service(hr, args.runs)
        bench_api(args.runs // 2)
        slowest = max(results, key=lambda k: results[k][1])
        print(f"EXPLAIN of the slowest ({slowest}):")
        explain(hr, {k: (v if v not in ("__name__", "__email__") else "ann") for k, v in CASES[slowest].items()})
        bench_import()
    finally:
        if not args.keep:
            drop_db()
    return 0


if __name__ == "__main__":
    sys.exit(main())
