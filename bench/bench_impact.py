"""Benchmark the adverse-impact report (services/fairness.impact_report) on a company with
100,000 candidates.

Usage (from the repo root, PostgreSQL running):
    .venv/bin/python bench/bench_impact.py [--candidates 100000] [--runs 10] [--keep]

It creates a scratch database (``interviewer_bench_impact``; dropped at the end unless
``--keep``), migrates it, and seeds with COPY: the measured company with ``--candidates``
candidates over 5 jobs (each with one completed, scored interview in the last year, 10% with a
second one, 85% self-identified, 8% with an offer in their status history) and a second company
of half the size (its rows must not slow the first one's report). Then it times the real service
function as a compliance user, one session per call as a request would: company-wide for the
last year, one job, and a 90-day range. Warm-up runs are excluded. Besides the wall time it
prints the CPU time the report costs (the PostgreSQL backend's, from /proc, plus this process'),
which a busy shared machine does not inflate the way it inflates the wall time.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DB = "interviewer_bench_impact"
os.environ.update(
    ENVIRONMENT="test", SECRET_KEY="bench-secret-key-0123456789-0123456789-abcdef",
    DATABASE_URL=PG_ADMIN.rsplit("/", 1)[0] + f"/{DB}",
    REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
    DATA_DIR=tempfile.mkdtemp(prefix="bench-impact-"), LOG_LEVEL="WARNING", LOG_JSON="false",
    BCRYPT_ROUNDS="4", SMTP_HOST="",
)

import psycopg
import scratch_db  # noqa: E402  (bench/ is on sys.path when a bench runs)

SEX = ["female"] * 45 + ["male"] * 45 + ["another"] * 3 + ["prefer_not_to_say"] * 7
RACE = (["white"] * 40 + ["hispanic_latino"] * 18 + ["black"] * 13 + ["asian"] * 14 + ["two_or_more"] * 4
        + ["american_indian_alaska_native"] + ["native_hawaiian_pacific_islander"] + ["prefer_not_to_say"] * 9)
STATUS = ["interviewed"] * 6 + ["rejected"] * 10 + ["offer"] * 2 + ["hired"] * 2


def create_db() -> None:
    scratch_db.create_db(PG_ADMIN, DB)


def drop_db() -> None:
    scratch_db.drop_db(PG_ADMIN, DB)


def seed(n: int) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """Returns (company, a job of it, the compliance user)."""
    rng = random.Random(14)
    url = os.environ["DATABASE_URL"]
    now = datetime.now(UTC)
    companies = [(uuid.uuid4(), n), (uuid.uuid4(), n // 2)]
    jobs = {cid: [uuid.uuid4() for _ in range(5)] for cid, _ in companies}
    role, user = uuid.uuid4(), uuid.uuid4()
    from interviewer.core.security import hash_password

    with psycopg.connect(url) as conn:
        for i, (cid, _) in enumerate(companies):
            conn.execute("INSERT INTO companies (id, name, is_active, settings, created_at) "
                         "VALUES (%s, %s, true, '{}', now())", (cid, f"Bench {i}"))
            for j, jid in enumerate(jobs[cid]):
                conn.execute("INSERT INTO job_templates (id, company_id, title, created_at) VALUES (%s, %s, %s, now())",
                             (jid, cid, f"Job {j}"))
        first = companies[0][0]
        conn.execute("INSERT INTO custom_roles (id, company_id, name, permissions, created_at) "
                     "VALUES (%s, %s, 'Compliance', '[\"compliance:read\"]', now())", (role, first))
        conn.execute("INSERT INTO users (id, company_id, email, password_hash, name, role, is_active, email_verified,"
                     " custom_role_id, created_at) VALUES (%s, %s, 'c@bench.test', %s, 'Compliance', 'EMPLOYEE', true,"
                     " true, %s, now())", (user, first, hash_password("bench-password-42"), role))
        cands, ivs, sids, hist = [], [], [], []
        for cid, count in companies:
            for i in range(count):
                cand, job = uuid.uuid4(), rng.choice(jobs[cid])
                status = rng.choice(STATUS)
                cands.append((cand, cid, f"p{i}@{cid.hex[:6]}.test", f"Person {i}", status, job, now))
                for k in range(2 if rng.random() < 0.10 else 1):
                    score = max(0, min(100, int(rng.gauss(62, 15))))
                    verdict = "PASS" if score >= 70 else "FAIL" if score < 50 else "REVIEW"
                    done = now - timedelta(days=rng.randrange(0, 365), minutes=rng.randrange(0, 1440))
                    iv = uuid.uuid4()
                    ivs.append((iv, cid, cand, job, iv.hex, "completed", done - timedelta(minutes=30), done,
                                score, verdict))
                    if k == 0 and rng.random() < 0.85:
                        sids.append((iv, cid, rng.choice(SEX), rng.choice(RACE)))
                if status in ("interviewed", "rejected") and rng.random() < 0.08:
                    hist.append((uuid.uuid4(), cand, "interviewed", "offer", now))
        with conn.cursor().copy("COPY candidates (id, company_id, email, name, status, job_template_id, created_at)"
                                " FROM STDIN") as copy:
            for row in cands:
                copy.write_row(row)
        with conn.cursor().copy("COPY interviews (id, company_id, candidate_id, job_template_id, token, status,"
                                " started_at, completed_at, score, verdict) FROM STDIN") as copy:
            for row in ivs:
                copy.write_row(row)
        with conn.cursor().copy("COPY self_identifications (interview_id, company_id, sex, race_ethnicity)"
                                " FROM STDIN") as copy:
            for row in sids:
                copy.write_row(row)
        with conn.cursor().copy("COPY candidate_status_history (id, candidate_id, from_status, to_status,"
                                " created_at) FROM STDIN") as copy:
            for row in hist:
                copy.write_row(row)
        conn.commit()
        print(f"seeded: {len(cands):,} candidates, {len(ivs):,} interviews, {len(sids):,} self-identifications,"
              f" {len(hist):,} history rows (measured company: {n:,} candidates)")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return first, jobs[first][0], user


def bench(company: uuid.UUID, job: uuid.UUID, user: uuid.UUID, runs: int) -> None:
    from interviewer.db import session_scope
    from interviewer.models import User
    from interviewer.services import fairness
    from interviewer.services.authz import actor_for

    today = datetime.now(UTC).date()
    cases = {"company, last year": {},
             "one job, last year": {"job_template_id": job},
             "company, last 90 days": {"date_from": today - timedelta(days=89), "date_to": today}}
    import sqlalchemy as sa

    ticks = os.sysconf("SC_CLK_TCK")

    def backend_cpu_ms(pid: int) -> float:
        """CPU time of the PostgreSQL backend serving the session (user + system), from /proc."""
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / ticks

    for label, kw in cases.items():
        times, cpu, rep = [], [], None
        for i in range(runs + 2):
            start, cpu_start = time.perf_counter(), time.process_time()
            with session_scope(readonly=True) as s:
                pid = s.execute(sa.text("SELECT pg_backend_pid()")).scalar()
                pg_start = backend_cpu_ms(pid)
                rep = fairness.impact_report(s, actor_for(s, s.get(User, user)), **kw)
                pg_cpu = backend_cpu_ms(pid) - pg_start
            if i >= 2:
                times.append((time.perf_counter() - start) * 1000)
                cpu.append(pg_cpu + (time.process_time() - cpu_start) * 1000)
        female = next((r for r in rep.rates if r.decision == "ai_pass" and r.group == "female"), None)
        print(f"  {label:24s} wall median {statistics.median(times):7.1f} ms (best {min(times):6.1f}, worst "
              f"{max(times):7.1f})   CPU (PostgreSQL + Python) median {statistics.median(cpu):6.1f} ms   "
              f"({rep.applicants:,} applicants, {len(rep.rates)} rate rows; female PASS rate "
              f"{female.rate if female else None}, ratio {female.impact_ratio if female else None})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    create_db()
    try:
        t = time.perf_counter()
        company, job, user = seed(args.candidates)
        print(f"seed took {time.perf_counter() - t:.1f} s; PostgreSQL, report through the service as compliance "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs):")
        bench(company, job, user, args.runs)
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        if not args.keep:
            drop_db()


if __name__ == "__main__":
    main()
