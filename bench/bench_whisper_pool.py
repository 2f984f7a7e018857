"""Local Whisper: one call's latency and the throughput of the pool, per worker/thread layout.

Usage (from the repository root)::

    .venv/bin/python bench/bench_whisper_pool.py [--layouts 2x1 1x2 2x2] [--calls 24]

A layout ``TxW`` is ``T`` CTranslate2 threads per model replica and ``W`` replicas (the pool's
workers), as ``WHISPER_CPU_THREADS`` / ``WHISPER_WORKERS`` set them. For each layout the script
loads tiny.en as the live path does, transcribes espeak-ng answers (the turn-taking bench's
sentences, 3-4 s each) with the live settings (beam 5, the question as prompt):

* ``single``: one call at a time (an interview alone on the machine), median seconds per call;
* ``pool``: ``--calls`` calls drained by W threads at once (answers queued behind each other),
  calls per second.

Each layout runs in a child process of its own (a model's thread count is fixed when loaded).
"""

from __future__ import annotations

import argparse
import json
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PROMPT = "Explain the difference between a stack and a queue."


def measure(threads: int, workers: int, calls: int) -> dict:
    from bench_turn_latency import WHOLE, _speech
    from faster_whisper import WhisperModel

    from interviewer.services.speech import whisper_local

    folder = Path(tempfile.mkdtemp(prefix="whisper-pool-"))
    pcms = [_speech(text, "en-us", 165, folder) for text in WHOLE[:4]]
    whisper_local._model = WhisperModel(str(whisper_local.model_dir()), device="cpu", compute_type="int8",
                                        cpu_threads=threads, num_workers=workers, local_files_only=True)
    whisper_local.transcribe_pcm(pcms[0], prompt=PROMPT)  # warm
    single = []
    for pcm in pcms * 4:
        began = time.perf_counter()
        whisper_local.transcribe_pcm(pcm, prompt=PROMPT)
        single.append(time.perf_counter() - began)
    work: queue.Queue[bytes] = queue.Queue()
    for i in range(calls):
        work.put(pcms[i % len(pcms)])

    def drain() -> None:
        while True:
            try:
                pcm = work.get_nowait()
            except queue.Empty:
                return
            whisper_local.transcribe_pcm(pcm, prompt=PROMPT)

    began = time.perf_counter()
    runners = [threading.Thread(target=drain) for _ in range(workers)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    seconds = time.perf_counter() - began
    return {"layout": f"{threads}x{workers}", "single_s": statistics.median(single), "calls_per_s": calls / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layouts", nargs="+", default=["2x1", "1x2", "2x2"])
    parser.add_argument("--calls", type=int, default=24)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        threads, workers = (int(x) for x in args.child.split("x"))
        print(json.dumps(measure(threads, workers, args.calls)), flush=True)
        return
    print(f"{'layout (threads x workers)':28s} {'single call (s)':>16s} {'pool (calls/s)':>15s}")
    for layout in args.layouts:
        out = subprocess.run([sys.executable, __file__, "--child", layout, "--calls", str(args.calls)],
                             capture_output=True, text=True, check=True, cwd=ROOT)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{row['layout']:28s} {row['single_s']:16.3f} {row['calls_per_s']:15.2f}", flush=True)


if __name__ == "__main__":
    main()
