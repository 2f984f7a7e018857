"""Turn latency of the live interview and word error rate of its transcripts, offline providers.

Usage (from the repository root)::

    .venv/bin/python bench/bench_turn_latency.py [--turns 12] [--silence 3]

No browser: the script plays the candidate. It builds a throw-away app data directory (SQLite +
embedded Redis, no keys: local Whisper and the offline AI), creates an interview with one
question per turn (no follow-ups, so every answer moves on), serves the real API + audio
WebSocket with uvicorn on a free port, and for each turn streams an espeak-ng sentence
(16 kHz PCM16) in real time, then either

* **silence**: keeps streaming silence until the server ends the answer itself, or
* **done**: sends ``{"type": "done"}`` right after the speech (the candidate's Done button),

and times the messages. Figures (p50 / p95, seconds):

* ``speech end -> next``: the last spoken frame sent -> the next question received (what the
  candidate waits; in silence mode it includes the configured pause);
* ``answer_end -> next``: the server's own work (flush the STT, store, finish_answer);
* WER of the stored finals against the synthetic sentences (lower case, punctuation removed).

The page renders the next question one Reflex round trip after ``next`` (a few ms locally).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SENTENCES = [
    "A stack is last in first out and a queue is first in first out.",
    "An index makes lookups faster but every write becomes slower.",
    "I would cache the results in Redis with a short expiry time.",
    "A hash map gives constant time lookups on average.",
    "Database transactions keep the data consistent when two requests run at once.",
    "I would write unit tests first and then refactor the code.",
]
FRAME_MS = 40


def _pcm(sentence: str, folder: Path) -> bytes:
    raw, wav = folder / "raw.wav", folder / "s.wav"
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(raw), sentence], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw",
                    str(wav), "reverse", "silence", "1", "0.02", "0.5%", "reverse"], check=True)  # no trailing silence
    return wav.read_bytes()


def _words(text: str) -> list[str]:
    return "".join(c.lower() if c.isalnum() or c.isspace() else " " for c in text).split()


def wer(reference: str, hypothesis: str) -> float:
    ref, hyp = _words(reference), _words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[len(hyp)] / max(1, len(ref))


def _setup(data_dir: Path, turns: int, silence: int, port: int) -> str:
    _prepare(data_dir, port)
    return _make_interview(turns, silence)


def _prepare(data_dir: Path, port: int) -> None:
    """The throw-away app: environment (no keys), embedded Redis (sets REDIS_URL), migrations."""
    os.environ.update(DATA_DIR=str(data_dir), ENVIRONMENT="development", GOOGLE_API_KEY="", ASSEMBLYAI_API_KEY="",
                      LOG_LEVEL="WARNING", CORS_ORIGINS=f"http://127.0.0.1:{port}",
                      PUBLIC_URL=f"http://127.0.0.1:{port}")
    for key in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(key, None)
    from interviewer.core.config import reset_settings_cache
    from interviewer.core.redis import redis_url

    reset_settings_cache()
    redis_url()  # the embedded Redis
    from interviewer.manage import migrate

    migrate()


def _make_interview(turns: int, silence: int) -> str:
    """An interview of ``turns`` questions (no follow-ups), already opened: its token."""
    from interviewer.core.security import utcnow
    from interviewer.db import session_scope
    from interviewer.models import (
        Candidate,
        Company,
        Interview,
        InterviewStatus,
        JobTemplate,
        Question,
    )

    token = uuid.uuid4().hex
    with session_scope() as s:
        company = Company(name="Bench", settings={"interview": {"max_follow_ups": 0, "silence_seconds": silence}})
        s.add(company)
        s.flush()
        candidate = Candidate(company_id=company.id, name="Bench Candidate", email="bench@example.test")
        job = JobTemplate(company_id=company.id, title="Bench")
        s.add_all([candidate, job])
        s.flush()
        s.add_all([Question(job_template_id=job.id, text=f"Question {i + 1}: tell me about it.", position=i,
                            key_points=["anything"]) for i in range(turns)])
        now = utcnow()
        s.add(Interview(company_id=company.id, candidate_id=candidate.id, job_template_id=job.id, token=token,
                        status=InterviewStatus.SCHEDULED, scheduled_at=now, expires_at=now + timedelta(days=1),
                        duration_minutes=60))
    from interviewer.services import live_interview as live

    with session_scope() as s:
        live.open_session(s, token)
    return token


def _serve(port: int) -> None:
    import uvicorn

    from interviewer.api.app import create_api

    config = uvicorn.Config(create_api(), host="127.0.0.1", port=port, log_level="warning", ws="auto")
    threading.Thread(target=uvicorn.Server(config).run, daemon=True).start()


async def _run(token: str, port: int, pcms: list[bytes], sentences: list[str], turns: int) -> list[dict]:
    import urllib.request

    import websockets

    ticket_url = f"http://127.0.0.1:{port}/api/v1/interviews/live/{token}/ticket"
    def issue() -> str:
        with urllib.request.urlopen(urllib.request.Request(ticket_url, method="POST")) as r:
            return json.loads(r.read())["ticket"]

    for _ in range(100):
        try:
            ticket = await asyncio.to_thread(issue)
            break
        except OSError:
            await asyncio.sleep(0.1)
    url = f"ws://127.0.0.1:{port}/ws/interview/{token}?ticket={ticket}"
    results: list[dict] = []
    frame = 16 * 2 * FRAME_MS
    async with websockets.connect(url, origin=f"http://127.0.0.1:{port}", max_size=None) as ws:
        ready = json.loads(await ws.recv())
        step = ready["current"]
        for turn in range(turns):
            mode = "silence" if turn % 2 == 0 else "done"
            pcm = pcms[turn % len(pcms)]
            await ws.send(json.dumps({"type": "start_answer", "question_index": step["question_index"]}))
            finals: list[str] = []
            marks: dict[str, float] = {}

            async def reader(finals: list[str] = finals, marks: dict[str, float] = marks) -> dict:
                while True:
                    message = json.loads(await ws.recv())
                    if message["type"] == "final":
                        finals.append(message["text"])
                    elif message["type"] == "answer_end":
                        marks["answer_end"] = time.perf_counter()
                    elif message["type"] == "next":
                        marks["next"] = time.perf_counter()
                        return message

            task = asyncio.create_task(reader())
            started = time.perf_counter()
            audio = b"\0" * frame * 5 + pcm  # 0.2 s lead-in
            for i, offset in enumerate(range(0, len(audio), frame)):
                await ws.send(audio[offset:offset + frame])
                await asyncio.sleep(max(0.0, started + (i + 1) * FRAME_MS / 1000 - time.perf_counter()))
            speech_end = time.perf_counter()
            if mode == "done":
                await ws.send(json.dumps({"type": "done"}))
            else:
                silence, i = b"\0" * frame, 0
                while not task.done() and "answer_end" not in marks:
                    await ws.send(silence)
                    i += 1
                    await asyncio.sleep(max(0.0, speech_end + i * FRAME_MS / 1000 - time.perf_counter()))
            step = await asyncio.wait_for(task, timeout=120)
            results.append({"mode": mode, "speech_to_next": marks["next"] - speech_end,
                            "answer_end_to_next": marks["next"] - marks.get("answer_end", marks["next"]),
                            "wer": wer(sentences[turn % len(sentences)], " ".join(finals)),
                            "heard": " ".join(finals)})
            if step["kind"] == "done":
                break
    return results


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=12)
    parser.add_argument("--silence", type=int, default=3, help="seconds of silence that end an answer")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="bench-turn-"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    redis = None
    try:
        token = _setup(data_dir, args.turns, args.silence, port)
        redis = os.environ.get("REDIS_URL")
        pcms = [_pcm(s, data_dir) for s in SENTENCES]
        _serve(port)
        from interviewer.services.speech.whisper_local import WhisperLocal

        session = WhisperLocal().open(on_event=lambda _e: None)  # warm the model: not a turn's cost
        session.feed(pcms[0])
        session.flush(60)
        session.close()
        results = asyncio.run(_run(token, port, pcms, SENTENCES, args.turns))
    finally:
        if redis:
            from interviewer.core.redis import stop_embedded_redis

            stop_embedded_redis(redis)
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"turns: {len(results)} (silence rule {args.silence} s; offline AI; local Whisper tiny.en; "
          f"{os.cpu_count()} CPUs)")
    for mode in ("silence", "done"):
        rows = [r for r in results if r["mode"] == mode]
        if not rows:
            continue
        a, b = [r["speech_to_next"] for r in rows], [r["answer_end_to_next"] for r in rows]
        print(f"{mode:8s} n={len(rows):2d}  speech end -> next: p50 {_pct(a, .5):.2f} s  p95 {_pct(a, .95):.2f} s"
              f"   answer_end -> next: p50 {_pct(b, .5):.2f} s  p95 {_pct(b, .95):.2f} s")
    print(f"WER: mean {statistics.mean(r['wer'] for r in results):.3f}  "
          f"median {statistics.median(r['wer'] for r in results):.3f}")
    for r in results[:len(SENTENCES)]:
        print(f"  wer {r['wer']:.2f}  heard: {r['heard']}")


if __name__ == "__main__":
    main()
