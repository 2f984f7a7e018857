"""How many live interviews at once one machine sustains with turn latency p95 under 2 s.

Usage (from the repository root)::

    .venv/bin/python bench/bench_interview_capacity.py [--stt assemblyai whisper] [--levels 1 2 4 8 12 16 24 32]
        [--turns 3] [--limit 2.0]

For each speech-to-text path the script serves the real API + audio WebSocket with uvicorn in a
child process (same throw-away app as ``bench_turn_latency.py``: SQLite + embedded Redis, offline
AI, no follow-ups), then ramps N simulated candidates at once. Each candidate has its own
interview and, for ``--turns`` questions, streams an espeak-ng sentence in real time (100 ms PCM16
frames every 100 ms, after a 0.2 s lead-in) and presses Done; the figure is **done -> next**: the
``done`` message sent -> the next question received. Candidates start staggered over one sentence
(real candidates do not press Done in step). A level *sustains* when p95 < ``--limit`` and no
turn failed (error message, timeout, refused connection); ramping stops at the first level that
does not, or after the last level.

STT paths:

* ``assemblyai``: the real SDK against the fake AssemblyAI v3 server of
  ``tests/speech/fake_assemblyai.py``, in its own child process on 127.0.0.1 (the provider's
  own latency is not modelled: this measures our side of the proxy);
* ``whisper``: local faster-whisper tiny.en in the server process (model warmed first).

Everything (candidates, server, fake provider) shares this machine's CPUs: loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_turn_latency import WHOLE, _make_interview, _pct, _prepare, _speech

FRAME_MS = 100
FRAME = 32 * FRAME_MS
NEXT_TIMEOUT = 30.0
FAKE_WORDS = ["i", "would", "use", "a", "hash", "map", "to", "count", "the", "words"]


# --- child processes ------------------------------------------------------------------------------

def serve_child(port: int, warm: str | None) -> None:
    """The server process: warm Whisper if asked, then uvicorn on 127.0.0.1:port until killed."""
    import uvicorn

    from interviewer.api.app import create_api

    if warm:
        from interviewer.services.speech.whisper_local import WhisperLocal

        session = WhisperLocal().open(on_event=lambda _e: None)
        session.feed(Path(warm).read_bytes())
        session.flush(60)
        session.close()
    uvicorn.run(create_api(), host="127.0.0.1", port=port, log_level="warning", ws="auto")


def fake_child() -> None:
    """The fake AssemblyAI server: prints its port, runs until stdin closes."""
    from tests.speech.fake_assemblyai import FakeAssemblyAI

    with FakeAssemblyAI(FAKE_WORDS) as server:
        print(server.port, flush=True)
        sys.stdin.read()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_listening(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("server did not start listening")


# --- one simulated candidate ----------------------------------------------------------------------

async def candidate(port: int, token: str, pcms: list[bytes], turns: int, delay: float,
                    latencies: list[float], errors: list[str]) -> None:
    import websockets

    await asyncio.sleep(delay)
    ticket_url = f"http://127.0.0.1:{port}/api/v1/interviews/live/{token}/ticket"

    def issue() -> str:
        with urllib.request.urlopen(urllib.request.Request(ticket_url, method="POST"), timeout=30) as r:
            return json.loads(r.read())["ticket"]

    try:
        ticket = await asyncio.to_thread(issue)
        url = f"ws://127.0.0.1:{port}/ws/interview/{token}?ticket={ticket}"
        async with websockets.connect(url, origin=f"http://127.0.0.1:{port}", max_size=None,
                                      open_timeout=30) as ws:
            inbox: asyncio.Queue[dict] = asyncio.Queue()

            async def reader() -> None:
                async for raw in ws:
                    message = json.loads(raw)
                    if message.get("type") == "error":
                        errors.append(f"server error {message.get('code')}")
                    await inbox.put(message)

            reading = asyncio.create_task(reader())

            async def expect(kind: str, timeout: float) -> dict:
                deadline = time.perf_counter() + timeout
                while True:
                    message = await asyncio.wait_for(inbox.get(), max(0.01, deadline - time.perf_counter()))
                    if message.get("type") == kind and not message.get("provisional"):  # "done" settles a quick end
                        return message

            try:
                step = (await expect("ready", 30))["current"]
                for turn in range(turns):
                    await ws.send(json.dumps({"type": "start_answer", "question_index": step["question_index"]}))
                    await expect("ready", 30)  # listening
                    audio = b"\0" * FRAME * 2 + pcms[turn % len(pcms)]
                    started = time.perf_counter()
                    for i, offset in enumerate(range(0, len(audio), FRAME)):
                        await ws.send(audio[offset:offset + FRAME])
                        await asyncio.sleep(max(0.0, started + (i + 1) * FRAME_MS / 1000 - time.perf_counter()))
                    done = time.perf_counter()
                    await ws.send(json.dumps({"type": "done"}))
                    try:
                        step = await expect("next", NEXT_TIMEOUT)
                    except TimeoutError:
                        errors.append(f"no next within {NEXT_TIMEOUT:.0f} s")
                        return
                    latencies.append(time.perf_counter() - done)
                    if step["kind"] == "done":
                        return
                    await asyncio.sleep(0.3)  # reads the next question
            finally:
                reading.cancel()
    except Exception as exc:  # noqa: BLE001 - a refused or dropped connection is a failed turn, not a crash
        errors.append(f"{type(exc).__name__}: {exc}"[:200])


async def level(port: int, tokens: list[str], pcms: list[bytes], turns: int, seed: int) -> tuple[list[float], list[str]]:
    rng = random.Random(seed)
    spread = len(pcms[0]) / 32000  # stagger over one sentence
    latencies: list[float] = []
    errors: list[str] = []
    await asyncio.gather(*(candidate(port, t, pcms, turns, rng.uniform(0, spread), latencies, errors)
                           for t in tokens))
    return latencies, errors


# --- one STT path ---------------------------------------------------------------------------------

def run_path(stt: str, data_dir: Path, port: int, pcms: list[bytes], args: argparse.Namespace) -> list[dict]:
    # every simulated candidate asks for its ticket from 127.0.0.1, which real candidates do not share:
    # the spec's per-address API limit (100 a minute) would refuse the 101st ticket of a ramp and measure
    # the limiter, not the interviews (tests/api cover the limit itself)
    env = dict(os.environ, PYTHONPATH=str(ROOT), RATE_LIMIT_API="1000000/60")
    fake = None
    if stt == "assemblyai":
        from tests.speech.fake_assemblyai import API_KEY

        fake = subprocess.Popen([sys.executable, __file__, "--fake-child"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        fake_port = int(fake.stdout.readline())
        env.update(ASSEMBLYAI_API_KEY=API_KEY, ASSEMBLYAI_STREAMING_HOST=f"ws://127.0.0.1:{fake_port}")
    else:
        env.update(ASSEMBLYAI_API_KEY="", ASSEMBLYAI_STREAMING_HOST="")
    warm = data_dir / "warm.pcm"
    warm.write_bytes(pcms[0])
    command = [sys.executable, __file__, "--serve-child", str(port)] + (["--warm", str(warm)] if stt == "whisper" else [])
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    rows: list[dict] = []
    try:
        _wait_listening(port, server)
        for n in args.levels:
            tokens = [_make_interview(args.turns, 3)[0] for _ in range(n)]
            began = time.perf_counter()
            latencies, errors = asyncio.run(level(port, tokens, pcms, args.turns, seed=n))
            row = {"stt": stt, "n": n, "turns": len(latencies), "errors": len(errors),
                   "p50": _pct(latencies, .5) if latencies else float("nan"),
                   "p95": _pct(latencies, .95) if latencies else float("nan"),
                   "max": max(latencies) if latencies else float("nan"),
                   "seconds": time.perf_counter() - began, "first_errors": sorted(set(errors))[:3]}
            row["ok"] = bool(latencies) and not errors and row["p95"] < args.limit
            rows.append(row)
            print(f"  {stt:10s} N={n:3d}  turns {row['turns']:3d}  p50 {row['p50']:.2f} s  p95 {row['p95']:.2f} s  "
                  f"max {row['max']:.2f} s  errors {row['errors']}  ({row['seconds']:.0f} s)"
                  + (f"  {row['first_errors']}" if errors else ""), flush=True)
            if not row["ok"]:
                break
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        if fake is not None:
            fake.stdin.close()
            try:
                fake.wait(10)
            except subprocess.TimeoutExpired:
                fake.kill()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stt", nargs="+", default=["assemblyai", "whisper"], choices=["assemblyai", "whisper"])
    parser.add_argument("--levels", nargs="+", type=int, default=[1, 2, 4, 8, 12, 16, 24, 32])
    parser.add_argument("--turns", type=int, default=3, help="answers per candidate per level")
    parser.add_argument("--limit", type=float, default=2.0, help="p95 done -> next must stay under this (s)")
    parser.add_argument("--serve-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--warm", help=argparse.SUPPRESS)
    parser.add_argument("--fake-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_child:
        return serve_child(args.serve_child, args.warm)
    if args.fake_child:
        return fake_child()
    args.levels = sorted({min(max(1, n), 64) for n in args.levels})  # bounded
    data_dir = Path(tempfile.mkdtemp(prefix="bench-capacity-"))
    port = _free_port()
    redis = None
    rows: list[dict] = []
    try:
        _prepare(data_dir, port, None)
        redis = os.environ.get("REDIS_URL")
        pcms = [_speech(s, "en-us", 165, data_dir) for s in WHOLE[:3]]
        print(f"{os.cpu_count()} CPUs; {args.turns} answers per candidate per level; sentences "
              f"{', '.join(f'{len(p) / 32000:.1f}' for p in pcms)} s; limit p95 < {args.limit} s", flush=True)
        for stt in args.stt:
            rows += run_path(stt, data_dir, port, pcms, args)
    finally:
        if redis:
            from interviewer.core.redis import stop_embedded_redis

            stop_embedded_redis(redis)
        shutil.rmtree(data_dir, ignore_errors=True)
    print("\ndone -> next question (seconds)")
    print(f"{'stt':10s} {'N':>4s} {'turns':>6s} {'p50':>6s} {'p95':>6s} {'max':>6s} {'errors':>7s}")
    for r in rows:
        print(f"{r['stt']:10s} {r['n']:4d} {r['turns']:6d} {r['p50']:6.2f} {r['p95']:6.2f} {r['max']:6.2f} "
              f"{r['errors']:7d}{'' if r['ok'] else '  <- over'}")
    for stt in args.stt:
        good = [r["n"] for r in rows if r["stt"] == stt and r["ok"]]
        ran = [r["n"] for r in rows if r["stt"] == stt]
        capped = " (the bounded maximum: more may fit)" if good and ran and good[-1] == ran[-1] == args.levels[-1] \
            else ""
        print(f"largest N with p95 < {args.limit} s and no errors, {stt}: {max(good) if good else 0}{capped}")


if __name__ == "__main__":
    main()
