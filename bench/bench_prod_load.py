"""Production-like load with failures (issue "Production deployment").

Runs the prod-local topology (interviewer.ops.ProdLocal: nginx TLS proxy, 2 backend processes with
Reflex state in Redis, 2 RQ workers) on its own database (interviewer_bench_prodlocal), Redis DB 1
and ports (https 8643), then for ~60 s:

- 50 simulated HR users (5 companies x 10, arriving over the first 10 s) through https: each logs
  in once (bcrypt at the production cost), then, with 0.5-1.5 s of think time, lists candidates / jobs / interviews, opens a candidate, creates candidates and updates
  the ones it created;
- one 10,000-row CSV import (POST /candidates/bulk-import, processed by a worker);
- 6 completed interviews whose `process_interview` jobs are enqueued through the service
  (interviews.complete_interview); scoring calls a local fake Gemini that answers after 2 s, so a
  job runs long enough to be caught: the worker serving `high` is SIGKILLed (with its work horse,
  as a crashed container) in the middle of one, and started again 3 s later (restart policy);
- PostgreSQL is restarted (`pg_ctlcluster --skip-systemctl-redirect 15 main restart`) mid-run.

Then it prints p50/p95/max per spec 12.1 category (read, write, auth, file upload) and throughput,
the errors seen (and when, relative to the outage), and proves that every 2xx create is in the
database, every user's last 2xx update of its own candidates is what the database holds, the
import completed, and each interview got exactly one verdict (AuditLog "interview.scored" once).

    .venv/bin/python bench/bench_prod_load.py [--duration 60] [--users 50] [--no-pg-restart]

Not covered here: the issue's 10 simultaneous live interviews against a fake AssemblyAI server (the
live interview is being built in another issue; add them to this bench once it has landed).

Everything runs on the loopback interface; all loops are bounded. Restarting PostgreSQL affects
every database on this server for a second or two: run it when no one else's tests depend on it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG = "postgresql://postgres@127.0.0.1:5432"
DB = "interviewer_bench_prodlocal"
REDIS = "redis://127.0.0.1:6379/1"
PASSWORD = "bench-password-77"
GEMINI_DELAY = 2.0
SLA = {"read": (100, 500), "write": (200, 1000), "auth": (150, 500), "upload": (5000, 30000)}  # p95, max (ms)

# The bench process talks to the same database and Redis as the servers (setup and checks go
# through the app's services); fix the environment before any application import.
os.environ.update(ENVIRONMENT="production", SECRET_KEY="bench-prod-load-" + "s" * 40, DATABASE_URL=f"{PG}/{DB}",
                  REDIS_URL=REDIS, LOG_LEVEL="WARNING", LOG_JSON="true")

import httpx  # noqa: E402
import psutil  # noqa: E402
import psycopg  # noqa: E402


# --------------------------------------------------------------------------- fake Gemini
class FakeGemini:
    """Answers every generateContent call with an assessment after GEMINI_DELAY seconds."""

    def __init__(self) -> None:
        self.calls = 0
        bench = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers.get("content-length", 0)))
                bench.calls += 1
                time.sleep(GEMINI_DELAY)
                text = json.dumps({"score": 3.5, "covered_points": ["hash map"], "missed_points": [],
                                   "evidence_quotes": ["hash map"], "flags": [], "rationale": "bench"})
                body = json.dumps({"candidates": [{"content": {"role": "model", "parts": [{"text": text}]},
                                                   "finishReason": "STOP", "index": 0}],
                                   "modelVersion": "gemini-2.5-flash"}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


# --------------------------------------------------------------------------- data
@dataclass
class Seed:
    users: list[tuple[str, str]] = field(default_factory=list)  # (email, company id)
    interviews: list[uuid.UUID] = field(default_factory=list)
    import_user: str = ""


def prepare_database() -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    import redis

    redis.Redis.from_url(REDIS).flushdb()


def seed(n_users: int) -> Seed:
    from interviewer.core.security import hash_password
    from interviewer.db import session_scope
    from interviewer.models import Candidate, Company, Interview, InterviewStatus, JobTemplate, Question, User, UserRole

    out = Seed()
    pw = hash_password(PASSWORD)
    companies = max(1, n_users // 10)
    with session_scope() as s:
        for c in range(companies):
            company = Company(name=f"Bench {c}")
            s.add(company)
            s.flush()
            for u in range(n_users // companies):
                email = f"hr{u}@bench{c}.test"
                s.add(User(email=email, name=f"HR {c}-{u}", role=UserRole.HR, company_id=company.id,
                           password_hash=pw, email_verified=True))
                out.users.append((email, str(company.id)))
            job = JobTemplate(company_id=company.id, title=f"Backend Engineer {c}")
            s.add(job)
            s.flush()
            s.add_all([Question(job_template_id=job.id, text="How would you cache user sessions?", weight=1,
                                position=0, key_points=["hash map", "expiry"]),
                       Question(job_template_id=job.id, text="How do you evict old entries?", weight=1, position=1,
                                key_points=["hash map", "least recently used"])])
            for i in range(200):
                s.add(Candidate(company_id=company.id, email=f"seed{i}@c{c}.bench", name=f"Seed {c}-{i:03d}"))
            s.flush()
            if c == 0:
                for i in range(6):
                    cand = Candidate(company_id=company.id, email=f"iv{i}@c0.bench", name=f"Interviewee {i}")
                    s.add(cand)
                    s.flush()
                    iv = Interview(company_id=company.id, candidate_id=cand.id, job_template_id=job.id,
                                   token=uuid.uuid4().hex, status=InterviewStatus.IN_PROGRESS)
                    s.add(iv)
                    s.flush()
                    out.interviews.append(iv.id)
        out.import_user = out.users[-1][0]
    return out


def complete_interviews(ids: list[uuid.UUID]) -> None:
    """Transcripts, then the service's complete_interview (which enqueues process_interview)."""
    from datetime import timedelta

    from interviewer.core.security import utcnow
    from interviewer.db import session_scope
    from interviewer.models import Interview, TranscriptEntry
    from interviewer.services import interviews as interview_service

    answer = ("I would keep the sessions in a hash map keyed by the session id, give each entry an expiry "
              "time, and evict the least recently used entries when the map grows past its limit.")
    for iv_id in ids:
        with session_scope() as s:
            iv = s.get(Interview, iv_id)
            iv.started_at = utcnow() - timedelta(minutes=8)
            seq = 0
            for q in range(2):
                s.add(TranscriptEntry(interview_id=iv_id, seq=seq, question_index=q, kind="question",
                                      speaker="interviewer", text="question", started_ms=q * 200_000))
                s.add(TranscriptEntry(interview_id=iv_id, seq=seq + 1, question_index=q, kind="answer",
                                      speaker="candidate", text=answer, started_ms=q * 200_000 + 5000,
                                      ended_ms=q * 200_000 + 120_000, confidence=0.93, source="whisper"))
                seq += 2
            s.flush()
            interview_service.complete_interview(s, iv_id, internal_token=interview_service.internal_token_for(iv_id))


def csv_bytes(rows: int) -> bytes:
    buf = io.StringIO()
    buf.write("name,email,phone,source\n")
    for i in range(rows):
        buf.write(f"Imported Person {i:05d},imported{i}@csv.bench,+1 555 01{i % 100:02d},referral\n")
    return buf.getvalue().encode()


# --------------------------------------------------------------------------- load
@dataclass
class Stats:
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[tuple[float, str, str, str]] = field(default_factory=list)  # (t, category, what, detail)
    created: dict[str, str] = field(default_factory=dict)  # candidate id -> email (2xx creates)
    last_update: dict[str, str] = field(default_factory=dict)  # candidate id -> phone of its last 2xx update
    lock: threading.Lock = field(default_factory=threading.Lock)
    t0: float = 0.0

    def record(self, category: str, ms: float) -> None:
        with self.lock:
            self.samples[category].append(ms)

    def error(self, category: str, what: str, detail: str) -> None:
        with self.lock:
            self.errors.append((time.monotonic() - self.t0, category, what, detail[:160]))


def timed(stats: Stats, category: str, what: str, call):
    start = time.perf_counter()
    try:
        r = call()
    except httpx.HTTPError as exc:
        stats.error(category, what, type(exc).__name__)
        return None
    ms = (time.perf_counter() - start) * 1000
    if r.status_code >= 400:
        stats.error(category, what, f"HTTP {r.status_code} {r.text[:100]}")
        return None
    stats.record(category, ms)
    return r


def hr_user(i: int, email: str, origin: str, stop_at: float, stats: Stats) -> None:
    rnd = random.Random(i)
    headers = {"X-Forwarded-For": f"127.0.1.{i + 1}"}  # one client address per simulated user
    with httpx.Client(base_url=origin, verify=False, timeout=15, headers=headers) as client:
        token = None
        for _ in range(5):  # bounded: login may hit the database restart
            r = timed(stats, "auth", "login", lambda: client.post("/api/v1/auth/login",
                                                                    json={"email": email, "password": PASSWORD}))
            if r is not None:
                token = r.json()["access_token"]
                break
            time.sleep(1)
        if token is None:
            return
        client.headers["Authorization"] = f"Bearer {token}"
        mine: list[str] = []
        n = 0
        while time.monotonic() < stop_at:
            n += 1
            action = rnd.choices(["list_c", "list_j", "list_i", "get_c", "create", "update"],
                                 weights=[30, 15, 15, 15, 15, 10])[0]
            if action == "list_c":
                timed(stats, "read", "GET /candidates", lambda: client.get(
                    "/api/v1/candidates", params={"page": rnd.randint(1, 5), "per_page": 20}))
            elif action == "list_j":
                timed(stats, "read", "GET /jobs", lambda: client.get("/api/v1/jobs"))
            elif action == "list_i":
                timed(stats, "read", "GET /interviews", lambda: client.get("/api/v1/interviews"))
            elif action == "get_c" and mine:
                cid = rnd.choice(mine)
                timed(stats, "read", "GET /candidates/{id}", lambda: client.get(f"/api/v1/candidates/{cid}"))
            elif action == "create" or (action in ("get_c", "update") and not mine):
                mail = f"u{i}-{n}-{uuid.uuid4().hex[:6]}@load.bench"
                r = timed(stats, "write", "POST /candidates", lambda: client.post(
                    "/api/v1/candidates", json={"name": f"Load {i}-{n}", "email": mail}))
                if r is not None:
                    cid = r.json()["id"]
                    mine.append(cid)
                    with stats.lock:
                        stats.created[cid] = mail
            else:
                cid = rnd.choice(mine)
                phone = f"+1 555 {rnd.randint(1000000, 9999999)}"
                r = timed(stats, "write", "PUT /candidates/{id}", lambda: client.put(
                    f"/api/v1/candidates/{cid}", json={"phone": phone}))
                if r is not None:
                    with stats.lock:
                        stats.last_update[cid] = r.json()["phone"]
            time.sleep(rnd.uniform(0.5, 1.5))


def csv_import(email: str, origin: str, stats: Stats, result: dict) -> None:
    with httpx.Client(base_url=origin, verify=False, timeout=60, headers={"X-Forwarded-For": "127.0.2.1"}) as client:
        r = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        data = csv_bytes(10_000)
        started = time.monotonic()
        r = timed(stats, "upload", "POST /candidates/bulk-import", lambda: client.post(
            "/api/v1/candidates/bulk-import", files={"file": ("bench.csv", data, "text/csv")}, data={"mode": "skip"}))
        if r is None:
            return
        result.update(id=r.json()["id"], bytes=len(data), started=started)


# --------------------------------------------------------------------------- failures
def worker_for_high(pl) -> dict:
    return next(p for p in pl.load_state()["processes"] if p["name"].startswith("worker")
                and "high" in p["cmd"][-1])


def kill_worker_mid_job(pl, stats: Stats, events: list, deadline: float) -> None:
    """SIGKILL the `high` worker and its work horse while a process_interview job runs, then restart it."""
    from rq.registry import StartedJobRegistry

    from interviewer.jobs.queue import get_queue

    registry = StartedJobRegistry(queue=get_queue("high"))
    while time.monotonic() < deadline:
        running = registry.get_job_ids()
        if running:
            break
        time.sleep(0.1)
    else:
        events.append((time.monotonic() - stats.t0, "no process_interview job seen running; worker not killed"))
        return
    time.sleep(0.5)  # well inside the job (each scoring call takes GEMINI_DELAY seconds)
    proc = worker_for_high(pl)
    victims = [psutil.Process(proc["pid"]), *psutil.Process(proc["pid"]).children(recursive=True)]
    for v in victims:
        try:
            v.send_signal(signal.SIGKILL)
        except psutil.NoSuchProcess:
            pass
    events.append((time.monotonic() - stats.t0, f"SIGKILL worker {proc['name']} (pid {proc['pid']}) and its horse "
                                                f"while running {running[0]}"))
    psutil.wait_procs(victims, timeout=5)
    time.sleep(3)
    state = pl.load_state()
    fresh = pl._spawn(proc["name"], proc["cmd"], pl.env())
    state["processes"] = [fresh if p["name"] == proc["name"] else p for p in state["processes"]]
    pl.state_file.write_text(json.dumps(state, indent=2))
    events.append((time.monotonic() - stats.t0, f"restarted {proc['name']} (pid {fresh['pid']})"))


def restart_postgres(stats: Stats, events: list) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    events.append((time.monotonic() - stats.t0, "PostgreSQL restart begins"))
    done = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
                          capture_output=True, text=True, timeout=120)
    events.append((time.monotonic() - stats.t0, f"PostgreSQL restart done (rc {done.returncode})"))


# --------------------------------------------------------------------------- report
def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def verify(seeded: Seed, stats: Stats, import_result: dict, wait_s: float) -> dict:
    import sqlalchemy as sa

    from interviewer.db import get_engine

    engine = get_engine()
    out: dict = {}
    began = time.monotonic()
    deadline = began + wait_s
    while True:  # bounded wait for the import and the scoring jobs (crash recovery takes ~1-2 min)
        with engine.connect() as conn:
            scored = conn.execute(sa.text(
                "SELECT count(*) FROM interviews WHERE id = ANY(:ids) AND verdict IS NOT NULL"),
                {"ids": [str(i) for i in seeded.interviews]}).scalar()
            imp = conn.execute(sa.text("SELECT status, created_count, total_rows, "
                                       "EXTRACT(EPOCH FROM finished_at - created_at) FROM import_jobs "
                                       "WHERE id = :id"), {"id": import_result.get("id")}).first() \
                if import_result.get("id") else None
        import_done = imp is None or imp[0] in ("completed", "failed")
        if (scored == len(seeded.interviews) and import_done) or time.monotonic() > deadline:
            break
        time.sleep(2)
    with engine.connect() as conn:
        ids = list(stats.created)
        found = {str(r[0]): r[1] for r in conn.execute(sa.text("SELECT id, email FROM candidates WHERE id = ANY(:ids)"),
                                                        {"ids": ids})}
        phones = {str(r[0]): r[1] for r in conn.execute(sa.text("SELECT id, phone FROM candidates WHERE id = ANY(:ids)"),
                                                         {"ids": list(stats.last_update)})}
        verdicts = conn.execute(sa.text(
            "SELECT i.id, i.verdict, (SELECT count(*) FROM audit_logs a WHERE a.action = 'interview.scored' "
            "AND a.entity_id = CAST(i.id AS text)) FROM interviews i WHERE i.id = ANY(:ids)"),
            {"ids": [str(i) for i in seeded.interviews]}).all()
    out["waited"] = time.monotonic() - began
    out["creates_ok"] = len(ids)
    out["creates_missing"] = [i for i in ids if found.get(i) != stats.created[i]]
    out["updates_checked"] = len(stats.last_update)
    out["updates_lost"] = [i for i, p in stats.last_update.items() if phones.get(i) != p]
    out["verdicts"] = {str(r[0]): (r[1], r[2]) for r in verdicts}
    out["import"] = imp
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--no-pg-restart", action="store_true")
    parser.add_argument("--recovery-wait", type=float, default=300, help="max seconds to wait for jobs afterwards")
    args = parser.parse_args()

    from interviewer.ops import ProdLocal

    gemini = FakeGemini()
    pl = ProdLocal(base_dir=ROOT / "var" / "prodlocal-bench", https_port=8643, http_port=8680,
                   backend_ports=(8601, 8602), database_url=f"{PG}/{DB}", redis_url=REDIS,
                   extra_env={"GOOGLE_API_KEY": "bench-fake-key", "GEMINI_BASE_URL": gemini.url,
                              "LOG_LEVEL": "WARNING"})
    pl.stop(quiet=True)
    prepare_database()
    t = time.monotonic()
    pl.start()
    print(f"prod-local up in {time.monotonic() - t:.1f}s at {pl.origin} "
          f"(backends {pl.backend_ports}, workers {pl.worker_queues})", flush=True)
    try:
        t = time.monotonic()
        seeded = seed(args.users)
        print(f"seeded {len(seeded.users)} HR users, 1000 candidates, {len(seeded.interviews)} interviews "
              f"in {time.monotonic() - t:.1f}s", flush=True)
        stats = Stats(t0=time.monotonic())
        stop_at = stats.t0 + args.duration
        events: list[tuple[float, str]] = []
        import_result: dict = {}
        threads = [threading.Thread(target=hr_user, args=(i, email, pl.origin, stop_at, stats), daemon=True)
                   for i, (email, _) in enumerate(seeded.users)]
        for th in threads:  # users arrive over the first 10 s (50 logins at once would be a bcrypt burst)
            th.start()
            time.sleep(10 / len(threads))

        def at(seconds: float) -> None:
            time.sleep(max(0.0, stats.t0 + seconds - time.monotonic()))

        at(5)
        importer = threading.Thread(target=csv_import, args=(seeded.import_user, pl.origin, stats, import_result))
        importer.start()
        at(12)
        complete_interviews(seeded.interviews)
        events.append((time.monotonic() - stats.t0, f"{len(seeded.interviews)} interviews completed: "
                                                     "process_interview enqueued through the service"))
        killer = threading.Thread(target=kill_worker_mid_job, args=(pl, stats, events, stats.t0 + 40))
        killer.start()
        at(args.duration / 2)
        if not args.no_pg_restart:
            restart_postgres(stats, events)
        for th in threads:
            th.join(timeout=args.duration + 60)
        importer.join(timeout=120)
        killer.join(timeout=60)
        elapsed = time.monotonic() - stats.t0
        print(f"\nload finished after {elapsed:.0f}s; verifying (waiting up to {args.recovery_wait:.0f}s for jobs)",
              flush=True)
        result = verify(seeded, stats, import_result, args.recovery_wait)
        report(stats, events, result, import_result, elapsed, gemini)
        ok = (not result["creates_missing"] and not result["updates_lost"]
              and all(v[0] is not None and v[1] == 1 for v in result["verdicts"].values()))
        return 0 if ok else 1
    finally:
        pl.stop(quiet=True)
        gemini.close()


def report(stats: Stats, events, result, import_result, elapsed: float, gemini: FakeGemini) -> None:
    total = sum(len(v) for v in stats.samples.values())
    print("\n== latency per spec 12.1 category (successful requests, ms) ==")
    print(f"{'category':<9}{'n':>7}{'p50':>9}{'p95':>9}{'max':>9}   SLA p95 / max")
    for cat in ("read", "write", "auth", "upload"):
        v = stats.samples.get(cat, [])
        if not v:
            print(f"{cat:<9}{0:>7}")
            continue
        p95 = pct(v, 95)
        target, maximum = SLA[cat]
        verdict = "ok" if p95 <= target else ("over target" if p95 <= maximum else "OVER MAX")
        print(f"{cat:<9}{len(v):>7}{statistics.median(v):>9.0f}{p95:>9.0f}{max(v):>9.0f}   "
              f"{target} / {maximum}  {verdict}")
    print(f"throughput: {total / elapsed:.1f} successful requests/s over {elapsed:.0f}s "
          f"({total} requests, {len(stats.errors)} errors)")
    print("\n== timeline (s from start) ==")
    for t, what in sorted(events):
        print(f"{t:7.1f}  {what}")
    print("\n== errors seen ==")
    if not stats.errors:
        print("none")
    by_kind: dict[tuple[str, str], list[float]] = defaultdict(list)
    for t, cat, what, detail in stats.errors:
        by_kind[(f"{cat} {what}", detail.split(" {")[0][:60])].append(t)
    for (what, detail), times in sorted(by_kind.items(), key=lambda kv: kv[1][0]):
        print(f"{len(times):5d} x {what}: {detail}  (t={min(times):.1f}-{max(times):.1f}s)")
    print("\n== integrity ==")
    print(f"2xx creates: {result['creates_ok']}, missing from the database: {len(result['creates_missing'])}")
    print(f"candidates with 2xx updates: {result['updates_checked']}, last update lost: {len(result['updates_lost'])}")
    imp = result["import"]
    if imp:
        print(f"CSV import: {imp[0]}, {imp[1]} of {imp[2]} rows created"
              + (f", finished {float(imp[3]):.1f}s after the upload was accepted" if imp[3] is not None else ""))
    print(f"waited {result['waited']:.0f}s after the load for the import and every verdict")
    for iv, (verdict, n) in result["verdicts"].items():
        print(f"interview {iv[:8]}: verdict {verdict}, 'interview.scored' audit entries: {n}")
    print(f"fake Gemini calls: {gemini.calls} (2 per scoring run; more means a job was re-run after the crash)")


if __name__ == "__main__":
    sys.exit(main())
