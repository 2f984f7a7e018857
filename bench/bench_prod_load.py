"""Production-like load with failures (issue "Production deployment").

Runs the prod-local topology (interviewer.ops.ProdLocal: nginx TLS proxy, 2 backend processes with
Reflex state in Redis, 2 RQ workers) on its own database (interviewer_bench_prodlocal), Redis DB 1
and ports (https 8643), then for ~90 s:

- 50 simulated HR users (5 companies x 10) through https, arriving evenly over the first 50 s, i.e.
  one login per second (`--login-window`): each logs in once (bcrypt at the production cost 12,
  ~0.29 s of CPU per login here), then, with 0.5-1.5 s of think time, lists candidates / jobs /
  interviews, opens a candidate, creates candidates and updates the ones it created. All 50 are
  active from 50 s to the end;
- 10 candidates in live interviews at once (from 35 s, one more per second), through the proxy
  like the browser: `POST /api/v1/interviews/live/{token}/ticket`, the audio WebSocket
  `wss://.../ws/interview/{token}` with the page's `Origin`, then for every prompt
  `start_answer`, espeak-ng speech (PCM16 16 kHz mono, ~3.4 s) streamed in 100 ms frames in real
  time, `done`; turn latency = `done` -> `next`. Speech-to-text is AssemblyAI streaming v3 (the
  real SDK in the backends) against tests/speech/fake_assemblyai.py in this process; follow-up
  decisions go to the fake Gemini (1 s; one follow-up per question with key points). A socket
  that drops is reopened with a new ticket and the answer continued with `resume` at the audio
  offset reached; every reconnect is reported. The page load (`open_session`) is a service call;
- one 10,000-row CSV import (POST /candidates/bulk-import, processed by a worker) at 40 s;
- 6 completed interviews whose `process_interview` jobs are enqueued through the service at 45 s
  (the 10 live ones enqueue theirs when they end); scoring calls the fake Gemini, which answers
  after 2 s, so a job runs long enough to be caught: the worker serving `high` is SIGKILLed (with
  its work horse, as a crashed container) in the middle of one, and started again 3 s later;
- PostgreSQL is restarted (`pg_ctlcluster --skip-systemctl-redirect 15 main restart`) halfway
  through the full load (70 s), while the live interviews run.

Then it prints p50/p95/max per spec 12.1 category (read, write, auth, AI = live turns that waited
for a follow-up decision, file upload), the same for read/write once every user is active,
per-endpoint p95 as the client, nginx (request_time) and the backend (upstream_time) saw it, the
CPU seconds per component (backends, workers, PostgreSQL, nginx, Redis, this load generator and
the rest of the machine), throughput, turn latencies, reconnects and the errors seen (and when,
relative to the outage); it proves that every 2xx create is in the database, every user's last
2xx update of its own candidates is what the database holds, the import completed, each of the 6
interviews got exactly one verdict (AuditLog "interview.scored" once), and each live interview is
completed, its answers stored with source "assemblyai", with exactly one verdict.

    .venv/bin/python bench/bench_prod_load.py [--duration 90] [--users 50] [--login-window 50]
        [--live 10] [--no-pg-restart]

Everything runs on the loopback interface; all loops are bounded. Restarting PostgreSQL affects
every database on this server for a second or two: run it when no one else's tests depend on it.
The load generator shares the 2 CPUs with the system it measures (its share is printed).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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
GEMINI_DELAY = 2.0  # a scoring call (process_interview, in a worker)
FOLLOW_UP_DELAY = 1.0  # a follow-up decision during the live interview (in a backend)
LIVE_INTERVIEWS = 10
SPOKEN = "I would use a hash map to count the words"  # spoken by espeak-ng, streamed in real time
HEARD = ["i", "would", "use", "a", "hash", "map", "to", "count", "the", "words"]  # the fake AssemblyAI's words
SPOKEN_MARK = "hash map to count"
LIVE_QUESTIONS = (("How would you count how often each word appears in a large text file?",
                   ["Use a hash map from word to count", "Stream the file line by line"]),
                  ("Tell me about a project you are proud of.", []),
                  ("How would you cache the counts between runs?", ["Persist the map", "Invalidate on change"]))
LOGIN_WINDOW = 50.0  # 50 HR users arrive at one login per second
SLA = {"read": (100, 500), "write": (200, 1000), "auth": (150, 500), "ai": (2000, 10000),
       "upload": (5000, 30000)}  # p95, max (ms)

# The bench process talks to the same database and Redis as the servers (setup and checks go
# through the app's services); fix the environment before any application import.
os.environ.update(ENVIRONMENT="production", SECRET_KEY="bench-prod-load-" + "s" * 40, DATABASE_URL=f"{PG}/{DB}",
                  REDIS_URL=REDIS, LOG_LEVEL="WARNING", LOG_JSON="true",
                  ENCRYPTION_KEY=os.environ.get("ENCRYPTION_KEY") or "YmVuY2gtcHJvZC1sb2FkLWtleS0zMi1ieXRlcyEhISE=")

import httpx  # noqa: E402
import psutil  # noqa: E402
import psycopg  # noqa: E402


# --------------------------------------------------------------------------- fake Gemini
def _points_in(request: str) -> list[str]:
    """The bench questions' key points named in a provider request, in order."""
    known = [p for _, points in LIVE_QUESTIONS for p in points] + ["hash map", "expiry", "least recently used"]
    return list(dict.fromkeys(p for p in known if p in request))


class FakeGemini:
    """Answers generateContent calls like Gemini would, after a fixed delay: an answer assessment
    after GEMINI_DELAY seconds (scoring, in the workers), a follow-up decision after
    FOLLOW_UP_DELAY seconds (live interview, in the backends): ask one follow-up the first time a
    question's answer comes in (the answer text holds the spoken sentence once), none after that."""

    def __init__(self) -> None:
        self.calls = 0
        self.follow_up_calls = 0
        self.lock = threading.Lock()
        bench = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                request = self.rfile.read(int(self.headers.get("content-length", 0))).decode(errors="replace")
                if "deciding whether to ask one follow-up" in request:
                    with bench.lock:
                        bench.follow_up_calls += 1
                    time.sleep(FOLLOW_UP_DELAY)
                    ask = request.lower().count(SPOKEN_MARK) < 2
                    points = _points_in(request)
                    text = json.dumps({"ask": ask and bool(points), "target_point": points[0] if points else "",
                                       "question": "How would you bound the memory it uses?" if ask else ""})
                else:
                    with bench.lock:
                        bench.calls += 1
                    time.sleep(GEMINI_DELAY)  # the current wire: one judgement per key point
                    text = json.dumps({"points": [{"point": p, "status": "partial", "quotes": [], "contradicts": False,
                                                   "reason": "bench"} for p in _points_in(request)],
                                       "flags": [], "rationale": "bench"})
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
    live: list[tuple[str, uuid.UUID]] = field(default_factory=list)  # (token, id), scheduled, for live candidates
    import_user: str = ""


def prepare_database() -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    import redis

    redis.Redis.from_url(REDIS).flushdb()


def seed(n_users: int) -> Seed:
    from datetime import timedelta

    from interviewer.core.security import hash_password, utcnow
    from interviewer.db import session_scope
    from interviewer.services import interviews as interview_service
    from interviewer.models import (
        Candidate,
        CandidateStatus,
        Company,
        Interview,
        InterviewStatus,
        JobTemplate,
        Question,
        User,
        UserRole,
    )
    from interviewer.services.interviews import new_interview_token

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
            # scheduled interviews for the live candidates, spread over the companies
            live_job = JobTemplate(company_id=company.id, title=f"Live Backend Engineer {c}")
            s.add(live_job)
            s.flush()
            for q, (text, points) in enumerate(LIVE_QUESTIONS):
                s.add(Question(job_template_id=live_job.id, text=text, weight=1, position=q, key_points=points))
            for i in range(c, LIVE_INTERVIEWS, companies):
                cand = Candidate(company_id=company.id, email=f"live{i}@c{c}.bench", name=f"Live Candidate {i}",
                                 status=CandidateStatus.INTERVIEW_SCHEDULED)
                s.add(cand)
                s.flush()
                now, link = utcnow(), new_interview_token()
                iv = Interview(company_id=company.id, candidate_id=cand.id, job_template_id=live_job.id,
                               token=interview_service.token_hash(link), status=InterviewStatus.SCHEDULED,
                               scheduled_at=now, duration_minutes=30, expires_at=now + timedelta(days=7))
                s.add(iv)
                s.flush()
                out.live.append((link, iv.id))  # the link the candidate opens; the row keeps its hash
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
    by_endpoint: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    timeline: list[tuple[float, str, float]] = field(default_factory=list)  # (t, category, ms)
    turns: list[dict] = field(default_factory=list)  # live interview turns: latency from `done` to `next`
    reconnects: list[tuple[float, int, str]] = field(default_factory=list)  # (t, candidate, why)
    live_done: dict[str, int] = field(default_factory=dict)  # token -> turns, for interviews that ended
    lock: threading.Lock = field(default_factory=threading.Lock)
    t0: float = 0.0

    def record(self, category: str, ms: float, what: str = "") -> None:
        with self.lock:
            self.timeline.append((time.monotonic() - self.t0, category, ms))
            self.samples[category].append(ms)
            self.by_endpoint[(category, what)].append(ms)

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
    stats.record(category, ms, what)
    return r


def hr_user(i: int, email: str, origin: str, stop_at: float, stats: Stats) -> None:
    rnd = random.Random(i)
    # one client address per simulated user: the socket is bound to its own loopback address
    # (nginx passes the real peer on; a client's own X-Forwarded-For is not trusted)
    with httpx.Client(base_url=origin, timeout=15, transport=_from(f"127.0.1.{i + 1}")) as client:
        token = None
        for _ in range(5):  # bounded: login may hit the database restart
            r = timed(stats, "auth", "POST /auth/login", lambda: client.post("/api/v1/auth/login",
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


def _from(address: str) -> httpx.HTTPTransport:
    """A client transport whose connections come from ``address`` (any 127.x.y.z is loopback)."""
    return httpx.HTTPTransport(verify=False, local_address=address)


def csv_import(email: str, origin: str, stats: Stats, result: dict) -> None:
    with httpx.Client(base_url=origin, timeout=60, transport=_from("127.0.2.1")) as client:
        r = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        data = csv_bytes(10_000)
        started = time.monotonic()
        r = timed(stats, "upload", "POST /candidates/bulk-import", lambda: client.post(
            "/api/v1/candidates/bulk-import", files={"file": ("bench.csv", data, "text/csv")}, data={"mode": "skip"}))
        if r is None:
            return
        result.update(id=r.json()["id"], bytes=len(data), started=started)


# --------------------------------------------------------------------------- live interviews
TICKET = "POST /interviews/live/{token}/ticket"
MAX_TURNS = 12  # 3 questions + at most 2 follow-ups each, with room to spare
RECOVERY_BUDGET = 20  # reconnects/retries one candidate may spend


def live_audio() -> bytes:
    """espeak-ng speech of SPOKEN between a little background noise, PCM16 16 kHz mono (made once)."""
    import tempfile

    from tests.speech.audio import noise, speech_pcm

    with tempfile.TemporaryDirectory() as folder:
        return noise(300) + speech_pcm(SPOKEN, Path(folder), "answer") + noise(500, seed=1)


def open_live(token: str) -> None:
    """What the candidate's page does when it loads (Reflex event -> the service): start the interview."""
    from interviewer.db import session_scope
    from interviewer.services import live_interview as live

    with session_scope() as s:
        live.open_session(s, token)


class Dropped(Exception):
    """The interview socket closed, answered with an error, or went silent."""


def same_step(a: dict, b: dict) -> bool:
    return (a["kind"], a["question_index"], a["attempt"]) == (b["kind"], b["question_index"], b["attempt"])


class LiveCandidate:
    """One candidate through the proxy: ticket, wss socket with the page's Origin, every prompt
    answered with real-time speech (100 ms frames) and `done`; reconnect + `resume` on a drop."""

    def __init__(self, k: int, token: str, origin: str, frames: list[bytes], stats: Stats, http) -> None:
        import ssl

        self.k, self.token, self.origin, self.frames, self.stats, self.http = k, token, origin, frames, stats, http
        self.url = origin.replace("https://", "wss://") + f"/ws/interview/{token}"
        self.ssl = ssl.create_default_context()
        self.ssl.check_hostname = False
        self.ssl.verify_mode = ssl.CERT_NONE  # prod-local's self-signed certificate
        self.ws = None
        self.inbox: asyncio.Queue | None = None
        self.budget = RECOVERY_BUDGET
        self.turns = 0

    def now(self) -> float:
        return time.monotonic() - self.stats.t0

    async def _read(self, ws, inbox: asyncio.Queue) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for message in ws:
                if isinstance(message, str):
                    inbox.put_nowait((time.perf_counter(), json.loads(message)))
        except ConnectionClosed:
            pass
        finally:
            inbox.put_nowait((time.perf_counter(), {"type": "_closed", "code": ws.close_code}))

    async def recv(self, timeout: float = 30.0) -> tuple[float, dict]:
        try:
            at, message = await asyncio.wait_for(self.inbox.get(), timeout)
        except TimeoutError:
            raise Dropped(f"no message for {timeout:.0f}s") from None
        if message["type"] == "_closed":
            raise Dropped(f"socket closed (code {message['code']})")
        if message["type"] == "error":
            self.stats.error("live", "socket message", f"{message.get('code')}: {message.get('detail')}")
            raise Dropped(f"error {message.get('code')}")
        return at, message

    async def send(self, data) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            await self.ws.send(data if isinstance(data, bytes) else json.dumps(data))
        except ConnectionClosed:
            raise Dropped("socket closed while sending") from None

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
            self.ws = None

    async def connect(self, why: str | None) -> dict:
        """A ticket, the socket, its `ready`; returns the step the server is at. Bounded retries."""
        from websockets.asyncio.client import connect
        from websockets.exceptions import WebSocketException

        await self.close()
        if why is not None:
            with self.stats.lock:
                self.stats.reconnects.append((self.now(), self.k, why))
        while self.budget > 0:
            start = time.perf_counter()
            try:
                r = await self.http.post(f"/api/v1/interviews/live/{self.token}/ticket",
                                         headers={"X-Forwarded-For": f"127.0.3.{self.k + 1}"})
            except httpx.HTTPError as exc:
                self.stats.error("write", TICKET, type(exc).__name__)
                self.budget -= 1
                await asyncio.sleep(1)
                continue
            if r.status_code != 200:
                self.stats.error("write", TICKET, f"HTTP {r.status_code} {r.text[:100]}")
                self.budget -= 1
                await asyncio.sleep(1)
                continue
            self.stats.record("write", (time.perf_counter() - start) * 1000, TICKET)
            try:
                self.ws = await connect(f"{self.url}?ticket={r.json()['ticket']}", ssl=self.ssl, proxy=None,
                                        additional_headers={"Origin": self.origin}, open_timeout=10)
            except (OSError, TimeoutError, WebSocketException) as exc:
                self.stats.error("live", "connect", f"{type(exc).__name__} {exc}")
                self.budget -= 1
                await asyncio.sleep(1)
                continue
            self.inbox = asyncio.Queue()
            self.reader = asyncio.create_task(self._read(self.ws, self.inbox))
            try:
                _, ready = await self.recv(15)
            except Dropped as exc:
                self.stats.error("live", "connect", str(exc))
                self.budget -= 1
                await self.close()
                await asyncio.sleep(1)
                continue
            if ready["type"] == "ready" and ready.get("stt") == "assemblyai":
                return ready["current"]
            self.stats.error("live", "connect", f"unexpected first message {json.dumps(ready)[:120]}")
            self.budget -= 1
        raise RuntimeError(f"candidate {self.k}: recovery budget spent")

    async def listen(self, step: dict, offset_ms: int, resume: bool) -> dict | None:
        """start_answer (or resume at offset_ms); None once listening, else the step the server is
        at (that answer was finished meanwhile)."""
        message = {"type": "resume" if resume else "start_answer", "question_index": step["question_index"]}
        if resume:
            message["answer_offset_ms"] = offset_ms
        await self.send(message)
        for _ in range(1000):  # partials/finals of the previous answer may still arrive
            _, m = await self.recv()
            if m["type"] == "ready" and m.get("state") == "listening":
                return None
            if m["type"] == "next" and not m.get("provisional"):
                return m
        raise Dropped("no ready/listening")

    async def run(self, delay: float) -> None:
        rnd = random.Random(1000 + self.k)
        await asyncio.sleep(delay)
        await asyncio.to_thread(open_live, self.token)
        step = await self.connect(None)
        loop = asyncio.get_running_loop()
        while step["kind"] != "done":
            if self.turns >= MAX_TURNS:
                self.stats.error("live", "interview", f"candidate {self.k}: not done after {MAX_TURNS} answers")
                return
            await asyncio.sleep(rnd.uniform(1.0, 2.5))  # reading the prompt
            sent, listening, resume, done_at, reconnected = 0, False, False, None, False
            while True:
                try:
                    if not listening:
                        moved = await self.listen(step, sent * 100, resume)
                        if moved is not None:
                            raise Dropped("moved") if same_step(moved, step) else _Moved(moved)
                        listening = True
                    next_at = loop.time()
                    while sent < len(self.frames):  # real time: one 100 ms frame every 100 ms
                        await asyncio.sleep(max(0.0, next_at - loop.time()))
                        await self.send(self.frames[sent])
                        sent += 1
                        next_at += 0.1
                    done_at = done_at or time.perf_counter()  # a retried `done` counts from the first
                    await self.send({"type": "done"})
                    while True:
                        at, m = await self.recv()
                        if m["type"] == "next" and not m.get("provisional"):  # "done" settles a quick end
                            break
                    if same_step(m, step):
                        raise Dropped("`next` repeated the answered prompt")
                    self._turn(step, (at - done_at) * 1000, reconnected)
                    step = m
                    break
                except _Moved as moved:  # finished meanwhile (e.g. by the server during a reconnect)
                    if done_at is not None:
                        self._turn(step, (time.perf_counter() - done_at) * 1000, True)
                    step = moved.step
                    break
                except Dropped as exc:
                    if self.budget <= 0:
                        raise RuntimeError(f"candidate {self.k}: recovery budget spent") from exc
                    self.budget -= 1
                    reconnected = True
                    current = await self.connect(f"{exc} (question {step['question_index']}, "
                                                 f"{sent * 100} ms of audio sent)")
                    listening = False
                    if not same_step(current, step):
                        if done_at is not None:
                            self._turn(step, (time.perf_counter() - done_at) * 1000, True)
                        step = current
                        break
                    resume = True  # the same answer: continue it where the audio stopped
        with self.stats.lock:
            self.stats.live_done[self.token] = self.turns
        await self.close()

    def _turn(self, step: dict, ms: float, reconnected: bool) -> None:
        self.turns += 1
        points = LIVE_QUESTIONS[step["question_index"]][1]
        with self.stats.lock:
            self.stats.turns.append({"k": self.k, "t": self.now(), "ms": ms, "kind": step["kind"],
                                     "question_index": step["question_index"], "ai": bool(points) and step["attempt"] < 2,
                                     "reconnected": reconnected})


class _Moved(Exception):
    def __init__(self, step: dict) -> None:
        super().__init__("moved")
        self.step = step


def live_candidates(live: list[tuple[str, uuid.UUID]], origin: str, frames: list[bytes], stats: Stats,
                    start_at: float, spacing: float) -> None:
    """Every candidate in one event loop (its own thread); start k at start_at + k * spacing."""

    async def main() -> None:
        async with httpx.AsyncClient(base_url=origin, verify=False, timeout=15) as http:
            people = [LiveCandidate(k, token, origin, frames, stats, http) for k, (token, _) in enumerate(live)]
            delays = [max(0.0, stats.t0 + start_at + k * spacing - time.monotonic()) for k in range(len(people))]
            results = await asyncio.gather(*(p.run(d) for p, d in zip(people, delays)), return_exceptions=True)
            for person, result in zip(people, results):
                if isinstance(result, BaseException):
                    stats.error("live", "interview", f"candidate {person.k}: {type(result).__name__} {result}")

    asyncio.run(main())


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


# --------------------------------------------------------------------------- CPU accounting
def cpu_snapshot(pl) -> tuple[dict[int, tuple[str, float]], float]:
    """CPU seconds so far per process, grouped (backend, worker, nginx, postgres, redis, bench), and
    the machine's busy CPU seconds. A process's reaped children (RQ work horses, finished PostgreSQL
    connections) count for it."""
    def used(proc: psutil.Process) -> float:
        t = proc.cpu_times()
        return t.user + t.system + t.children_user + t.children_system

    out: dict[int, tuple[str, float]] = {}
    for p in (pl.load_state() or {"processes": []})["processes"]:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(p["pid"])
            for proc in (root, *root.children(recursive=True)):
                with contextlib.suppress(psutil.Error):
                    out[proc.pid] = (p["name"].split("-")[0], used(proc))
    for proc in psutil.process_iter(["name", "username"]):
        with contextlib.suppress(psutil.Error):
            if proc.pid in out:
                continue
            if proc.info["username"] == "postgres":
                out[proc.pid] = ("postgres", used(proc))
            elif proc.info["name"] == "redis-server":
                out[proc.pid] = ("redis", used(proc))
    me = psutil.Process()
    t = me.cpu_times()
    out[me.pid] = ("bench", t.user + t.system)
    busy = psutil.cpu_times()
    return out, busy.user + busy.nice + busy.system + busy.irq + busy.softirq + busy.steal


def cpu_usage(before: tuple[dict, float], after: tuple[dict, float]) -> dict[str, float]:
    groups: dict[str, float] = defaultdict(float)
    for pid, (group, seconds) in after[0].items():
        start = before[0].get(pid)
        groups[group] += max(0.0, seconds - (start[1] if start and start[0] == group else 0.0))
    groups["machine"] = after[1] - before[1]
    return dict(groups)


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
    ids = [str(i) for i in [*seeded.interviews, *(iv for _, iv in seeded.live)]]
    while True:  # bounded wait for the import and the scoring jobs (crash recovery takes ~1-2 min)
        with engine.connect() as conn:
            # every completed interview (the 6 + the live ones that finished) has its verdict
            unscored = conn.execute(sa.text(
                "SELECT count(*) FROM interviews WHERE id = ANY(:ids) AND status = 'completed' AND verdict IS NULL"),
                {"ids": ids}).scalar()
            imp = conn.execute(sa.text("SELECT status, created_count, total_rows, "
                                       "EXTRACT(EPOCH FROM finished_at - created_at) FROM import_jobs "
                                       "WHERE id = :id"), {"id": import_result.get("id")}).first() \
                if import_result.get("id") else None
        import_done = imp is None or imp[0] in ("completed", "failed")
        if (unscored == 0 and import_done) or time.monotonic() > deadline:
            break
        time.sleep(2)
    with engine.connect() as conn:
        created = list(stats.created)
        found = {str(r[0]): r[1] for r in conn.execute(sa.text("SELECT id, email FROM candidates WHERE id = ANY(:ids)"),
                                                        {"ids": created})}
        phones = {str(r[0]): r[1] for r in conn.execute(sa.text("SELECT id, phone FROM candidates WHERE id = ANY(:ids)"),
                                                         {"ids": list(stats.last_update)})}
        verdicts = conn.execute(sa.text(
            "SELECT i.id, i.verdict, (SELECT count(*) FROM audit_logs a WHERE a.action = 'interview.scored' "
            "AND a.entity_id = CAST(i.id AS text)), i.status, "
            "(SELECT count(*) FROM transcript_entries t WHERE t.interview_id = i.id AND t.kind = 'answer'), "
            "(SELECT string_agg(DISTINCT t.source, ',') FROM transcript_entries t "
            " WHERE t.interview_id = i.id AND t.kind = 'answer') "
            "FROM interviews i WHERE i.id = ANY(:ids)"), {"ids": ids}).all()
    out["waited"] = time.monotonic() - began
    out["creates_ok"] = len(created)
    out["creates_missing"] = [i for i in created if found.get(i) != stats.created[i]]
    out["updates_checked"] = len(stats.last_update)
    out["updates_lost"] = [i for i, p in stats.last_update.items() if phones.get(i) != p]
    rows = {str(r[0]): r for r in verdicts}
    out["verdicts"] = {str(i): (rows[str(i)][1], rows[str(i)][2]) for i in seeded.interviews}
    live_turns = {token: n for token, n in stats.live_done.items()}
    out["live"] = {str(iv): {"verdict": rows[str(iv)][1], "scored": rows[str(iv)][2], "status": rows[str(iv)][3],
                             "answers": rows[str(iv)][4], "sources": rows[str(iv)][5] or "",
                             "turns": live_turns.get(token)} for token, iv in seeded.live}
    out["import"] = imp
    return out


def live_ok(info: dict) -> bool:
    return (info["status"] == "completed" and info["verdict"] is not None and info["scored"] == 1
            and info["sources"] == "assemblyai" and info["turns"] is not None and info["answers"] >= info["turns"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=90,
                        help="seconds of HR load from the first arrival (default 90)")
    parser.add_argument("--users", type=int, default=50, help="HR users (default 50, 10 per company)")
    parser.add_argument("--login-window", type=float, default=LOGIN_WINDOW,
                        help=f"the HR users arrive (and log in) evenly over this many seconds (default {LOGIN_WINDOW:g})")
    parser.add_argument("--live", type=int, default=LIVE_INTERVIEWS, help="live interviews (default 10)")
    parser.add_argument("--no-pg-restart", action="store_true")
    parser.add_argument("--recovery-wait", type=float, default=300, help="max seconds to wait for jobs afterwards")
    args = parser.parse_args()

    from interviewer.ops import ProdLocal
    from tests.speech.audio import chunks
    from tests.speech.fake_assemblyai import API_KEY, FakeAssemblyAI

    frames = chunks(live_audio(), 100)
    gemini = FakeGemini()
    assemblyai = FakeAssemblyAI(HEARD).__enter__()
    pl = ProdLocal(base_dir=ROOT / "var" / "prodlocal-bench", https_port=8643, http_port=8680,
                   backend_ports=(8601, 8602), database_url=f"{PG}/{DB}", redis_url=REDIS,
                   extra_env={"GOOGLE_API_KEY": "bench-fake-key", "GEMINI_BASE_URL": gemini.url,
                              "ASSEMBLYAI_API_KEY": API_KEY, "ASSEMBLYAI_STREAMING_HOST": assemblyai.host,
                              "LOG_LEVEL": "WARNING"})
    pl.stop(quiet=True)
    prepare_database()
    t = time.monotonic()
    pl.start()
    print(f"prod-local up in {time.monotonic() - t:.1f}s at {pl.origin} "
          f"(backends {pl.backend_ports}, workers {pl.worker_queues})", flush=True)
    log_offset = pl.access_log.stat().st_size if pl.access_log.exists() else 0
    try:
        t = time.monotonic()
        seeded = seed(args.users)
        seeded.live = seeded.live[:args.live]
        print(f"seeded {len(seeded.users)} HR users, 1000 candidates, {len(seeded.interviews)} interviews to score, "
              f"{len(seeded.live)} live interviews in {time.monotonic() - t:.1f}s; answer audio "
              f"{len(frames) / 10:.1f}s", flush=True)
        cpu_before = cpu_snapshot(pl)
        stats = Stats(t0=time.monotonic())
        stop_at = stats.t0 + args.duration
        events: list[tuple[float, str]] = []
        import_result: dict = {}
        # Timeline (default run): users arrive over 0-50 s, all 50 are active from 50 s to the end
        # (90 s); the live interviews start at 35-44 s and take ~40 s; the import at 40 s; the 6
        # interviews are completed at 45 s (the `high` worker is killed in their first job); PostgreSQL
        # restarts halfway through the full load (70 s), in the middle of the live interviews.
        full = min(args.login_window, args.duration)
        live_start, import_at, score_at = max(2.0, full - 15), max(3.0, full - 10), max(4.0, full - 5)
        restart_at = (full + args.duration) / 2
        candidates = threading.Thread(target=live_candidates,
                                      args=(seeded.live, pl.origin, frames, stats, live_start, 1.0), daemon=True)
        candidates.start()
        threads = [threading.Thread(target=hr_user, args=(i, email, pl.origin, stop_at, stats), daemon=True)
                   for i, (email, _) in enumerate(seeded.users)]

        def arrivals() -> None:  # evenly over the login window
            for i, th in enumerate(threads):
                time.sleep(max(0.0, stats.t0 + i * args.login_window / len(threads) - time.monotonic()))
                th.start()

        arriving = threading.Thread(target=arrivals, daemon=True)
        arriving.start()

        def at(seconds: float) -> None:
            time.sleep(max(0.0, stats.t0 + seconds - time.monotonic()))

        at(import_at)
        importer = threading.Thread(target=csv_import, args=(seeded.import_user, pl.origin, stats, import_result))
        importer.start()
        at(score_at)
        complete_interviews(seeded.interviews)
        events.append((time.monotonic() - stats.t0, f"{len(seeded.interviews)} interviews completed: "
                                                     "process_interview enqueued through the service"))
        killer = threading.Thread(target=kill_worker_mid_job, args=(pl, stats, events, stats.t0 + score_at + 30))
        killer.start()
        at(restart_at)
        if not args.no_pg_restart:
            restart_postgres(stats, events)
        arriving.join(timeout=args.login_window + 5)
        for th in threads:
            if th.ident is not None:  # started
                th.join(timeout=args.duration + 60)
        importer.join(timeout=120)
        killer.join(timeout=60)
        candidates.join(timeout=300)
        elapsed = time.monotonic() - stats.t0
        cpu = cpu_usage(cpu_before, cpu_snapshot(pl))
        print(f"\nload finished after {elapsed:.0f}s; verifying (waiting up to {args.recovery_wait:.0f}s for jobs)",
              flush=True)
        result = verify(seeded, stats, import_result, args.recovery_wait)
        raw = pl.base_dir / "last-run.json"  # every sample, for a closer look
        raw.write_text(json.dumps({"timeline": stats.timeline, "turns": stats.turns, "errors": stats.errors,
                                   "reconnects": stats.reconnects, "events": events}))
        report(stats, events, result, import_result, elapsed, gemini, access_log_rows(pl.access_log, log_offset),
               cpu, full, args.login_window)
        ok = (not result["creates_missing"] and not result["updates_lost"]
              and all(v[0] is not None and v[1] == 1 for v in result["verdicts"].values())
              and all(live_ok(v) for v in result["live"].values()))
        return 0 if ok else 1
    finally:
        pl.stop(quiet=True)
        assemblyai.__exit__(None, None, None)
        gemini.close()


def access_log_rows(path: Path, offset: int) -> list[dict]:
    """nginx's JSON access log lines written during this run."""
    rows = []
    if path.exists():
        with open(path, "rb") as f:
            f.seek(offset)
            for line in f:
                with contextlib.suppress(ValueError):
                    rows.append(json.loads(line))
    return rows


def endpoint_of(method: str, uri: str) -> str:
    import re

    uri = re.sub(r"^/api/v1", "", uri)
    uri = re.sub(r"/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "/{id}", uri)
    uri = re.sub(r"^/interviews/live/[^/]+/ticket$", "/interviews/live/{token}/ticket", uri)
    uri = re.sub(r"^/ws/interview/[^/]+$", "/ws/interview/{token}", uri)
    return f"{method} {uri}"


def report(stats: Stats, events, result, import_result, elapsed: float, gemini: FakeGemini,
           access: list[dict], cpu: dict[str, float], full: float, window: float) -> None:
    total = sum(len(v) for v in stats.samples.values())
    ai_turns = [t["ms"] for t in stats.turns if t["ai"]]
    print("\n== latency per spec 12.1 category (successful requests, ms, measured by the client) ==")
    print(f"{'category':<9}{'n':>7}{'p50':>9}{'p95':>9}{'max':>9}   SLA p95 / max")
    for cat in ("read", "write", "auth", "ai", "upload"):
        v = ai_turns if cat == "ai" else stats.samples.get(cat, [])
        if not v:
            print(f"{cat:<9}{0:>7}")
            continue
        p95 = pct(v, 95)
        target, maximum = SLA[cat]
        verdict = "ok" if p95 <= target else ("over target" if p95 <= maximum else "OVER MAX")
        print(f"{cat:<9}{len(v):>7}{statistics.median(v):>9.0f}{p95:>9.0f}{max(v):>9.0f}   "
              f"{target} / {maximum}  {verdict}")
    print("(ai = live-interview turns whose answer went to the follow-up decision: `done` -> `next`, "
          f"incl. the fake Gemini's {FOLLOW_UP_DELAY:g} s)")
    print(f"throughput: {total / elapsed:.1f} successful requests/s over {elapsed:.0f}s "
          f"({total} requests, {len(stats.errors)} errors); HR users arrived evenly over {window:g}s "
          f"({len(stats.samples.get('auth', [])) / max(window, 1e-9):.2f} logins/s)")
    steady = defaultdict(list)
    for t, cat, ms in stats.timeline:
        if t >= full:
            steady[cat].append(ms)
    if steady:
        print(f"with every user active (t >= {full:g}s): " + ", ".join(
            f"{cat} n {len(v)} p50 {statistics.median(v):.0f} p95 {pct(v, 95):.0f} max {max(v):.0f}"
            for cat, v in sorted(steady.items()) if cat in ("read", "write")))

    # per endpoint: the client's view, and nginx's (request_time) and the backend's (upstream_time)
    server: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in access:
        with contextlib.suppress(ValueError, KeyError):
            up = row["upstream_time"].split(",")[-1].strip()
            server[endpoint_of(row["method"], row["uri"])].append((float(row["request_time"]) * 1000,
                                                                   float(up) * 1000 if up not in ("", "-") else 0.0))
    print("\n== per endpoint (ms): client p50 / p95 / max; p95 as nginx saw it (request) and the backend (upstream) ==")
    print(f"{'endpoint':<42}{'n':>6}{'p50':>7}{'p95':>7}{'max':>7}{'nginx p95':>11}{'backend p95':>13}")
    for (cat, what), v in sorted(stats.by_endpoint.items()):
        seen = server.get(what if what.startswith(("GET", "POST", "PUT")) else "", [])
        ngx = f"{pct([a for a, _ in seen], 95):.0f}" if seen else "-"
        up = f"{pct([b for _, b in seen], 95):.0f}" if seen else "-"
        print(f"{what:<42}{len(v):>6}{statistics.median(v):>7.0f}{pct(v, 95):>7.0f}{max(v):>7.0f}{ngx:>11}{up:>13}")

    cores = psutil.cpu_count() or 1
    print(f"\n== CPU during the load: seconds (share of the {cores} cores over {elapsed:.0f}s) ==")
    accounted = sum(v for k, v in cpu.items() if k != "machine")
    parts = [*sorted(((k, v) for k, v in cpu.items() if k != "machine"), key=lambda kv: -kv[1]),
             ("other (kernel, other processes)", max(0.0, cpu["machine"] - accounted)), ("machine busy", cpu["machine"])]
    for name, seconds in parts:
        print(f"{name:<32}{seconds:8.1f}  {100 * seconds / (elapsed * cores):5.1f}%")

    print("\n== live interviews (through nginx, AssemblyAI fake, real-time audio) ==")
    turns = [t["ms"] for t in stats.turns]
    if turns:
        plain = [t["ms"] for t in stats.turns if not t["ai"]]
        print(f"turn latency (`done` -> `next`), all {len(turns)} turns: p50 {statistics.median(turns):.0f}  "
              f"p95 {pct(turns, 95):.0f}  max {max(turns):.0f} ms")
        for label, v in (("with a follow-up decision (AI call)", ai_turns), ("without an AI call", plain)):
            if v:
                print(f"  {label}: n {len(v)}  p50 {statistics.median(v):.0f}  p95 {pct(v, 95):.0f}  "
                      f"max {max(v):.0f} ms")
        during = [t for t in stats.turns if t["reconnected"]]
        if during:
            print(f"  turns that needed a reconnect: {len(during)} (" + ", ".join(f"{t['ms']:.0f}" for t in during) + " ms)")
    print(f"reconnects: {len(stats.reconnects)}")
    for t, k, why in sorted(stats.reconnects):
        print(f"  t={t:.1f}s candidate {k}: {why}")
    live = result["live"]
    good = sum(live_ok(v) for v in live.values())
    print(f"interviews completed with assemblyai answers and exactly one verdict: {good} of {len(live)}")
    for iv, info in live.items():
        print(f"  interview {iv[:8]}: {info['status']}, {info['turns']} turns, {info['answers']} answers "
              f"(source {info['sources'] or '-'}), verdict {info['verdict']}, 'interview.scored' x {info['scored']}"
              + ("" if live_ok(info) else "  <-- NOT OK"))

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
    expected = 2 * len(result["verdicts"]) + len(LIVE_QUESTIONS) * sum(v["status"] == "completed" for v in live.values())
    print(f"fake Gemini scoring calls: {gemini.calls} (one per question of each scored interview: {expected}; the "
          f"job re-run after the crash may add some); follow-up decisions: {gemini.follow_up_calls}")


if __name__ == "__main__":
    sys.exit(main())
