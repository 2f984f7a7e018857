"""Offline scoring time per answer and per interview of 5 questions, through the product's path.

Usage (from the repository root)::

    .venv/bin/python bench/bench_interview_scoring.py --interviews 40

Each interview takes 5 questions of ``bench/data/rubric`` and one answer of a random kind for each
(fixed seed), and is scored by ``services.scoring._assess`` with the offline provider behind the
fairness redaction, exactly as the RQ job does after it has read the rows (no database here).
The first interview (model load) is reported separately. Each bank question carries its wrong ideas
to watch for (``question_bank_red_flags.py``), as a question generated from the bank does in the
product; ``--no-red-flags`` scores without them.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_rubric as rubric  # noqa: E402

from interviewer.core.security import utcnow  # noqa: E402
from interviewer.models import Interview, Question, TranscriptEntry  # noqa: E402
from interviewer.services.ai.provider import AIConfig, get_provider  # noqa: E402
from interviewer.services.scoring import _assess  # noqa: E402


def one_interview(items: list[dict], rng: random.Random, with_flags: bool = True
                  ) -> tuple[Interview, list[Question], list[TranscriptEntry]]:
    from interviewer.services.ai.question_bank_red_flags import RED_FLAGS

    chosen = rng.sample(items, 5)
    interview = Interview(company_id=uuid.uuid4(), candidate_id=uuid.uuid4(), token="t",
                          started_at=utcnow() - timedelta(minutes=15), completed_at=utcnow())
    questions, entries = [], []
    for i, item in enumerate(chosen):
        questions.append(Question(job_template_id=uuid.uuid4(), text=item["question"], weight=1, position=i,
                                  key_points=item["key_points"],
                                  red_flags=list(RED_FLAGS.get(item["question"], ())) if with_flags else []))
        answer = rng.choice(item["answers"])["text"]
        entries.append(TranscriptEntry(interview_id=interview.id, seq=2 * i, question_index=i, kind="question",
                                       speaker="interviewer", text=item["question"]))
        entries.append(TranscriptEntry(interview_id=interview.id, seq=2 * i + 1, question_index=i, kind="answer",
                                       speaker="candidate", text=answer, confidence=0.9, source="typed",
                                       started_ms=i * 180_000, ended_ms=i * 180_000 + 120_000))
    return interview, questions, entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--interviews", type=int, default=40)
    parser.add_argument("--no-red-flags", action="store_true", help="score without the bank's wrong ideas")
    args = parser.parse_args()
    items, rng = rubric.load(), random.Random(7)
    config = AIConfig(provider="offline")
    times = []
    for _ in range(args.interviews + 1):
        interview, questions, entries = one_interview(items, rng, not args.no_red_flags)
        provider = get_provider(config)
        t0 = time.perf_counter()
        report = _assess(interview, questions, entries, "Sam Example", provider, config)
        times.append(time.perf_counter() - t0)
        assert len(report["questions"]) == 5
    first, rest = times[0], np.array(times[1:]) * 1000
    print(f"first interview (loads the model): {first * 1000:.0f} ms")
    print(f"per interview of 5 answers over {len(rest)} interviews: p50 {np.percentile(rest, 50):.0f} ms, "
          f"p95 {np.percentile(rest, 95):.0f} ms, max {rest.max():.0f} ms")
    print(f"per answer (interview / 5): p50 {np.percentile(rest, 50) / 5:.0f} ms, p95 {np.percentile(rest, 95) / 5:.0f} ms")


if __name__ == "__main__":
    main()
