"""Page load timings in production mode (issue 13, item 12): time to first content and to
interactive for sign-in, dashboard, candidates (100,000 in the company), a candidate's page and
an interview report, in Chromium.

Usage (from the repo root, PostgreSQL and Redis running, nginx and Chromium installed):

    .venv/bin/python bench/bench_pages.py [--rows 100000] [--runs 5] [--keep] [--root DIR]

It runs the production topology of ``make prod-local`` (interviewer.ops.ProdLocal: the static
export served by nginx over TLS, two backend processes with Reflex state in Redis) on its own
database (``interviewer_bench_pages``), Redis DB 3 and ports (https 8743), seeds one company with
``--rows`` candidates (COPY), a job, and a completed interview scored by the offline provider,
then loads each page ``--runs`` times, each in a new browser context (empty cache, like a first
visit: the worst case), signed in by putting the tokens of one REST sign-in in localStorage, and
once more in the same context (cached assets: a returning user). ``--root`` measures another
checkout of the project (e.g. ``git archive HEAD`` unpacked elsewhere) with this script.

Figures, in ms from navigation start:

    first paint     the browser painted anything at all (``first-paint``)
    first content   text or an image painted (``first-contentful-paint``): the end of the blank screen
    interactive     the page's own data is on screen and React has hydrated (event handlers bound)

Median and max of the cold loads, then the median of the warm ones. Aim: first content < 1 s.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

PG = "postgresql://postgres@127.0.0.1:5432"
DB = os.environ.get("BENCH_PAGES_DB", "interviewer_bench_pages")
REDIS = "redis://127.0.0.1:6379/3"
EMAIL, PASSWORD = "hr@bench-pages.test", "bench-pages-password-71"
HTTPS_PORT, HTTP_PORT, BACKENDS = 8743, 8780, (8711, 8712)
CHROMIUM = "/usr/bin/chromium"
FIRST = ["Ada", "Alan", "Anna", "Ben", "Carla", "Chen", "Dana", "Emil", "Fatima", "Grace", "Hiro", "Ines", "Jon",
         "Kofi", "Lena", "Maria", "Nina", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vera", "Wei"]
LAST = ["Smith", "Garcia", "Kim", "Okafor", "Novak", "Rossi", "Tanaka", "Nguyen", "Schmidt", "Silva", "Khan",
        "Jensen", "Moreau", "Cohen", "Ivanova", "Haddad", "Larsen", "Patel", "Mensah", "Fischer"]
STATUSES = ["new"] * 5 + ["screening"] * 2 + ["interview_scheduled", "interviewed", "offer", "hired", "rejected"]
QUESTIONS = [("How would you design a rate limiter for a public API?",
              ["token bucket", "per client key", "shared store such as Redis", "429 with Retry-After"]),
             ("When would you add a database index, and what does it cost?",
              ["faster reads on filtered columns", "slower writes", "extra storage", "check the query plan"])]
ANSWERS = [("I would use a token bucket per API key kept in Redis so every server shares it, and answer 429 "
            "with a Retry-After header when the bucket is empty."),
           ("An index helps queries that filter or sort on a column; it costs storage and slows inserts and "
            "updates, so I check the query plan with EXPLAIN before adding one.")]
RESUME = ("Robin Rivera\nrobin@example.test\n\nSummary\nBackend engineer, 6 years with Python and PostgreSQL.\n\n"
          "Experience\nSenior engineer, Shop Ltd, 2020 - present\n- Built the orders API in Python (FastAPI)\n"
          "- Cut p95 latency by 40% with query tuning\n\nEducation\nBSc Computer Science, 2017\n\n"
          "Skills\nPython, FastAPI, PostgreSQL, Redis, Docker\n")


def configure(root: Path) -> None:
    os.environ.update(DATABASE_URL=f"{PG}/{DB}", REDIS_URL=REDIS, ENVIRONMENT="test", LOG_LEVEL="WARNING",
                      LOG_JSON="false", SMTP_HOST="", SECRET_KEY="bench-pages-secret-0123456789-0123456789-abc",
                      DATA_DIR=str(root / "var" / "prodlocal-bench-pages" / "data"))
    sys.path.insert(0, str(root))


def create_database(fresh: bool) -> bool:
    """Returns whether the database is new (then it must be seeded)."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,)).fetchone() is not None
        if exists and not fresh:
            return False
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    from interviewer.manage import migrate

    migrate()
    return True


def seed(rows: int) -> None:
    """One company, its HR user, ``rows`` candidates (COPY) and one scored interview."""
    import psycopg

    from interviewer.core.security import hash_password, utcnow
    from interviewer.db import session_scope
    from interviewer.models import (
        Candidate,
        CandidateStatus,
        Company,
        Interview,
        InterviewStatus,
        JobTemplate,
        User,
        UserRole,
    )
    from interviewer.models.ai import TranscriptEntry
    from interviewer.models.job import Question
    from interviewer.services import scoring

    with session_scope() as s:
        company = Company(name="Bench Pages Co", domain="bench-pages.test")
        s.add(company)
        s.flush()
        hr = User(email=EMAIL, name="Hana Recruiter", role=UserRole.HR, company_id=company.id,
                  password_hash=hash_password(PASSWORD), email_verified=True)
        job = JobTemplate(company_id=company.id, title="Backend Engineer", description="APIs in Python.")
        s.add_all([hr, job])
        s.flush()
        questions = [Question(job_template_id=job.id, text=t, position=i, key_points=p)
                     for i, (t, p) in enumerate(QUESTIONS)]
        s.add_all(questions)
        robin = Candidate(company_id=company.id, name="Robin Rivera", email="robin@example.test",
                          job_template_id=job.id, status=CandidateStatus.INTERVIEWED, resume_text=RESUME)
        s.add(robin)
        s.flush()
        now = utcnow()
        interview = Interview(company_id=company.id, candidate_id=robin.id, job_template_id=job.id,
                              token=uuid.uuid4().hex, status=InterviewStatus.COMPLETED,
                              scheduled_at=now - timedelta(hours=1), started_at=now - timedelta(minutes=12),
                              completed_at=now - timedelta(minutes=5), scoring_status="queued")
        s.add(interview)
        s.flush()
        for i, (question, answer) in enumerate(zip(questions, ANSWERS, strict=True)):
            s.add(TranscriptEntry(interview_id=interview.id, seq=2 * i, question_id=question.id, question_index=i,
                                  kind="question", speaker="interviewer", text=question.text,
                                  started_ms=i * 120_000, ended_ms=i * 120_000 + 5_000, source="tts"))
            s.add(TranscriptEntry(interview_id=interview.id, seq=2 * i + 1, question_id=question.id,
                                  question_index=i, kind="answer", speaker="candidate", text=answer,
                                  started_ms=i * 120_000 + 8_000, ended_ms=i * 120_000 + 60_000, source="typed"))
        company_id, interview_id = company.id, interview.id
    scoring.score_interview(interview_id)

    base = datetime(2025, 1, 1, tzinfo=UTC)
    buf = io.StringIO()
    for i in range(rows):
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
        created = base + timedelta(seconds=i * 300)
        buf.write(f"{uuid.uuid4()}\t{company_id}\t{first} {last} {i}\t{first.lower()}.{last.lower()}{i}@example.test\t"
                  f"{STATUSES[i % len(STATUSES)]}\t{created.isoformat()}\n")
    with psycopg.connect(f"{PG}/{DB}") as conn:
        with conn.cursor().copy("COPY candidates (id, company_id, name, email, status, created_at) FROM STDIN") as cp:
            cp.write(buf.getvalue())
        conn.execute("ANALYZE candidates")


def ids() -> dict[str, str]:
    from sqlmodel import select

    from interviewer.db import session_scope
    from interviewer.models import Candidate, Interview

    with session_scope() as s:
        robin = s.exec(select(Candidate).where(Candidate.email == "robin@example.test")).one()
        interview = s.exec(select(Interview).where(Interview.candidate_id == robin.id)).one()
        return {"candidate": str(robin.id), "interview": str(interview.id)}


def tokens(origin: str) -> tuple[str, str]:
    import httpx

    r = httpx.post(f"{origin}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}, verify=False,
                   timeout=30)
    r.raise_for_status()
    refresh = next(value for name, value in r.cookies.items() if "refresh" in name)  # an HttpOnly cookie
    return r.json()["access_token"], refresh


# What "the page's own data is on screen" means, per page.
PAGES = [("login", "/login", False, "#login-email"),
         ("dashboard", "/dashboard", True, "#stage-heading"),
         ("candidates", "/candidates", True, "#candidates-total"),
         ("candidate profile", "/candidates/{candidate}", True, "#pipeline-panel"),
         ("report", "/interviews/{interview}", True, "#report-candidate")]

HYDRATED_JS = "() => !!window.__reflex"  # set by the app root's first effect: React has hydrated
PAINTS_JS = """() => Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]))"""


def measure(browser, origin: str, path: str, signed_in: tuple[str, str] | None, marker: str,
            runs: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"paint": [], "content": [], "interactive": [], "warm_content": [],
                                   "warm_interactive": []}
    init = ""
    if signed_in:
        init = (f"localStorage.setItem('ai_access_token', {signed_in[0]!r});"
                f"localStorage.setItem('ai_refresh_token', {signed_in[1]!r});")
    from playwright.sync_api import Error as PlaywrightError

    for _ in range(runs):
        context = browser.new_context(ignore_https_errors=True, viewport={"width": 1280, "height": 800})
        if init:
            context.add_init_script(init)
        page = context.new_page()
        for warm in (False, True):
            for attempt in range(3):  # a load the app itself reloads (e.g. a new build seen) is measured again
                try:
                    page.goto(origin + path, wait_until="commit")
                    page.wait_for_selector(marker, state="visible", timeout=60_000)
                    page.wait_for_function(HYDRATED_JS, timeout=60_000)
                    interactive = page.evaluate("() => performance.now()")
                    page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length",
                                           timeout=10_000)
                    paints = page.evaluate(PAINTS_JS)
                    break
                except PlaywrightError:
                    if attempt == 2:
                        raise
            prefix = "warm_" if warm else ""
            if not warm:
                out["paint"].append(paints.get("first-paint", paints["first-contentful-paint"]))
            out[prefix + "content"].append(paints["first-contentful-paint"])
            out[prefix + "interactive"].append(interactive)
        context.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database and the servers' files")
    parser.add_argument("--reseed", action="store_true", help="drop and seed the database again")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1],
                        help="the checkout to measure (default: this one)")
    parser.add_argument("--no-build", action="store_true", help="reuse the last frontend build")
    args = parser.parse_args()
    root = args.root.resolve()
    configure(root)

    from playwright.sync_api import sync_playwright

    from interviewer.ops import ProdLocal

    t0 = time.perf_counter()
    if create_database(args.reseed):
        print(f"seeding {args.rows:,} candidates…", flush=True)
        seed(args.rows)
    print(f"database ready in {time.perf_counter() - t0:.1f} s", flush=True)
    prod = ProdLocal(base_dir=root / "var" / "prodlocal-bench-pages", https_port=HTTPS_PORT, http_port=HTTP_PORT,
                     backend_ports=BACKENDS, worker_queues=(), database_url=f"{PG}/{DB}", redis_url=REDIS,
                     extra_env={"LOG_LEVEL": "WARNING"})
    prod.stop(quiet=True)
    t0 = time.perf_counter()
    prod.start(build=not args.no_build, timeout=180)
    print(f"prod-local up in {time.perf_counter() - t0:.1f} s at {prod.origin}", flush=True)
    try:
        signed_in = tokens(prod.origin)
        where = ids()
        results = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"])
            try:
                for name, path, auth, marker in PAGES:
                    measure(browser, prod.origin, path.format(**where), signed_in if auth else None, marker, 1)
                    figures = measure(browser, prod.origin, path.format(**where), signed_in if auth else None,
                                      marker, args.runs)
                    results.append((name, figures))
                    print(f"  measured {name}", flush=True)
            finally:
                browser.close()
    finally:
        if not args.keep:
            prod.stop(quiet=True)
    print(f"\nPage loads in production mode ({root.name}), {args.runs} cold loads each (new browser context) "
          f"+ 1 warm reload; ms from navigation start")
    print(f"{'page':<18} {'first paint':>12} {'first content p50/max':>22} {'interactive p50/max':>20} "
          f"{'warm content':>13} {'warm interactive':>17}")
    for name, f in results:
        med = statistics.median
        print(f"{name:<18} {med(f['paint']):>12.0f} {med(f['content']):>13.0f} / {max(f['content']):<6.0f} "
              f"{med(f['interactive']):>11.0f} / {max(f['interactive']):<6.0f} {med(f['warm_content']):>13.0f} "
              f"{med(f['warm_interactive']):>17.0f}")
    if not args.keep:
        print("(the database is kept for the next run; drop it with: psql -h 127.0.0.1 -U postgres -c "
              f"'DROP DATABASE {DB}')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
