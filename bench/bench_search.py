"""Benchmark candidate search (any part of a name or e-mail) at 100,000 candidates on PostgreSQL.

Usage (from the repo root, PostgreSQL running):
    .venv/bin/python bench/bench_search.py [--rows 100000] [--runs 100] [--explain] [--keep]

It creates a scratch database (``interviewer_bench_search``, or $BENCH_SEARCH_DB; dropped at the end
unless ``--keep``), migrates it with the real migrations (0013: company-scoped trigram and e-mail
domain indexes), seeds one company with ``--rows`` candidates and a second with as many (COPY;
thousands of distinct last names and 400 e-mail domains, so a search term matches from a handful
to thousands of rows), then times the real
service function ``list_candidates(search=...)`` as a request runs it: a fresh session per call,
first page of 20 plus the total. Terms are drawn at random per run (after 5 warm-up calls):

    last name part   3-6 letters from inside a last name ("tarev" finds "Natarevski")
    full last name   a whole last name, any case
    e-mail domain    "@domain42.example" (a few hundred rows each)
    domain, no @     "domain42" (every address has "domain": the trigram worst case)
    first name       a common first name (thousands of rows: the planner walks the date index)
    two letters      too short for trigrams: word starts ("ko" finds "Kovic", not "Sko")
    one letter       word starts too
    no match         a term found nowhere

Figures: p50 and p95 in ms, with the load average (the machine may be shared); ``--explain``
prints EXPLAIN ANALYZE of one term per case. Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DB = os.environ.get("BENCH_SEARCH_DB", "interviewer_bench_search")
os.environ.update(
    ENVIRONMENT="test", SECRET_KEY="bench-secret-key-0123456789-0123456789-abcdef",
    DATABASE_URL=PG_ADMIN.rsplit("/", 1)[0] + f"/{DB}",
    REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
    DATA_DIR=tempfile.mkdtemp(prefix="bench-search-"), LOG_LEVEL="WARNING", LOG_JSON="false",
    BCRYPT_ROUNDS="4", RATE_LIMIT_ENABLED="false", SMTP_HOST="",
)

import psycopg  # noqa: E402
import scratch_db  # noqa: E402  (bench/ is on sys.path when a bench runs)
from scratch_db import pct  # noqa: E402

FIRST = ["Ada", "Alan", "Anna", "Ben", "Carla", "Chen", "Dana", "Emil", "Fatima", "Grace", "Hiro", "Ines", "Jon",
         "Kofi", "Lena", "Maria", "Nina", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vera", "Wei",
         "Xavier", "Yara", "Zoe", "Aiko", "Bruno", "Chloe", "Diego", "Elif", "Farah", "Goran", "Hana", "Ivan"]
SYLLABLES = ["na", "ta", "ra", "jan", "lee", "son", "ko", "vic", "ber", "man", "sch", "mid", "gar", "cia", "oka",
             "for", "ev", "ski", "ova", "ham", "mer", "dal", "rin", "tes", "lu", "pe", "zu", "wen", "ich", "ste"]
STATUSES = ["new"] * 5 + ["screening"] * 2 + ["interview_scheduled", "interviewed", "offer", "hired", "rejected"]


def last_names(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize())
    return sorted(names)


def create_db() -> None:
    scratch_db.create_db(PG_ADMIN, DB)


def drop_db() -> None:
    scratch_db.drop_db(PG_ADMIN, DB)


def seed(rows: int) -> tuple[uuid.UUID, list[str], list[str]]:
    url = os.environ["DATABASE_URL"]
    rng = random.Random(42)
    lasts = last_names(rng, 6000)
    domains = [f"domain{i}.example" for i in range(400)]
    companies = [uuid.uuid4(), uuid.uuid4()]
    hr = uuid.uuid4()
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    with psycopg.connect(url) as conn:
        for i, cid in enumerate(companies):
            conn.execute("INSERT INTO companies (id, name, domain, is_active, settings, created_at) "
                         "VALUES (%s, %s, %s, true, '{}', now())", (cid, f"Bench {i}", f"bench{i}.test"))
        conn.execute("INSERT INTO users (id, company_id, email, password_hash, name, role, is_active, email_verified,"
                     " created_at) VALUES (%s, %s, 'hr@bench0.test', '!', 'Bench HR', 'HR', true, true, now())",
                     (hr, companies[0]))
        with conn.cursor().copy("COPY candidates (id, company_id, email, name, status, source, created_at) "
                                "FROM STDIN") as copy:
            for cid in companies:
                for i in range(rows):
                    first, last = rng.choice(FIRST), rng.choice(lasts)
                    copy.write_row((uuid.uuid4(), cid, f"{first}.{last}.{i}@{rng.choice(domains)}".lower(),
                                    f"{first} {last}", rng.choice(STATUSES), "seed",
                                    base + timedelta(seconds=rng.randrange(0, 2 * 365 * 86400))))
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE candidates")
    return hr, lasts, domains


def term_makers(lasts: list[str], domains: list[str]):
    def last_part(rng: random.Random) -> str:
        name = rng.choice([n for n in lasts if len(n) >= 6] or lasts).lower()
        size = rng.randint(3, min(6, len(name) - 1))
        start = rng.randint(1, len(name) - size)
        return name[start:start + size]

    return {
        "last name part": last_part,
        "full last name": lambda rng: rng.choice(lasts).upper(),
        "e-mail domain": lambda rng: "@" + rng.choice(domains),
        "domain, no @": lambda rng: rng.choice(domains).split(".")[0],
        "first name": lambda rng: rng.choice(FIRST),
        "two letters": lambda rng: rng.choice(["an", "er", "ko", "zu", "ov"]),
        "one letter": lambda rng: rng.choice("abkmst"),
        "no match": lambda rng: rng.choice(["qqxz", "nobody-here", "zzz@nowhere"]),
    }


def bench(hr_id: uuid.UUID, lasts: list[str], domains: list[str], runs: int) -> dict[str, tuple[float, float]]:
    from interviewer.db import session_scope
    from interviewer.models import User
    from interviewer.services import candidates
    from interviewer.services.authz import actor_for

    with session_scope() as s:
        actor = actor_for(s, s.get(User, hr_id))
    results = {}
    for label, make in term_makers(lasts, domains).items():
        rng = random.Random(label)
        times, totals = [], []
        for i in range(runs + 5):
            term = make(rng)
            start = time.perf_counter()
            with session_scope(readonly=True) as s:
                rows, total = candidates.list_candidates(s, actor, per_page=20, search=term)
            if i >= 5:  # warm-up excluded
                times.append((time.perf_counter() - start) * 1000)
                totals.append(total)
        results[label] = (statistics.median(times), pct(times, 95))
        print(f"  {label:16s} p50 {results[label][0]:7.2f} ms   p95 {results[label][1]:7.2f} ms   "
              f"(matches: median {int(statistics.median(totals)):,}, max {max(totals):,})", flush=True)
    return results


def explain(hr_id: uuid.UUID, lasts: list[str], domains: list[str]) -> None:
    from sqlalchemy import event

    from interviewer.db import get_engine, session_scope
    from interviewer.models import User
    from interviewer.services import candidates
    from interviewer.services.authz import actor_for

    for label, make in term_makers(lasts, domains).items():
        term = make(random.Random(label))
        captured = []

        def grab(conn, cursor, statement, parameters, context, executemany):
            if "FROM candidates" in statement:
                captured.append((statement, parameters))

        event.listen(get_engine(), "before_cursor_execute", grab)
        with session_scope() as s:
            candidates.list_candidates(s, actor_for(s, s.get(User, hr_id)), per_page=20, search=term)
        event.remove(get_engine(), "before_cursor_execute", grab)
        print(f"\n  {label}: {term!r}")
        with get_engine().connect() as conn:
            for statement, parameters in captured:
                plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).scalars().all()
                print("\n".join("      " + line for line in plan))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="candidates per company (two companies)")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    started = time.perf_counter()
    create_db()
    try:
        hr, lasts, domains = seed(args.rows)
        print(f"seeded 2 x {args.rows:,} candidates in {time.perf_counter() - started:.1f} s "
              f"({len(lasts):,} last names, {len(domains)} e-mail domains)")
        print(f"search, first page of 20 + total, {args.runs} runs per case "
              f"(PostgreSQL, load {os.getloadavg()[0]:.2f}):")
        results = bench(hr, lasts, domains, args.runs)
        worst = max(p95 for _, p95 in results.values())
        print(f"worst p95 {worst:.2f} ms (aim < 50 ms); load average {os.getloadavg()[0]:.2f} at the end")
        if args.explain:
            explain(hr, lasts, domains)
    finally:
        if not args.keep:
            drop_db()


if __name__ == "__main__":
    main()
