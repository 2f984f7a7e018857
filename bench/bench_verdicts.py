"""Interview verdicts on new questions: how often a strong candidate fails, a weak one passes, and a
person is asked to decide because the verdict rests on doubted readings (offline-judge-11).

Usage (from the repository root)::

    .venv/bin/python bench/bench_verdicts.py --interviews 60

Each simulated interview takes 5 questions of the new-question sets (``bench/data/rubric/
new_questions_5.json`` to ``_10.json``: questions and answers written by helpers without access to
the scorer) and one answer per question: a **strong** candidate gives correct answers (any correct
kind), a **weak** one confidently wrong answers, a **mixed** one three correct and two wrong. Each
interview is scored by ``services.scoring._assess`` with the offline provider, as the RQ job does,
with the default thresholds (pass 70, review 50). Printed per candidate: the verdicts as shipped (a
doubted point counts as partly covered, and a verdict that reading the doubts either way would
change goes to a person), and the verdicts had every doubted point been counted as a contradiction
(offline-judge-10) with no such review.

``--red-flags`` gives each question its list of wrong ideas to watch for (``red_flags_N.json``, or the
set's own ``red_flags``: one idea per key point, written by helpers who never saw the answers), as HR
would list them in the job editor; ``--sets 9,10,11,12`` keeps to the sets the red-flag constants were
not chosen on (they were chosen on 5-8; docs/scoring.md, offline-judge-12).

``--provider offline|gemini`` (``provider_judge.py``) scores through a provider chosen explicitly, with a
resumable cache of its judgements: ``GOOGLE_API_KEY=... bench_verdicts.py --provider gemini --rpm 10``
gives the same table for the cloud path.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from interviewer.core.security import utcnow  # noqa: E402
from interviewer.models import Interview, Question, TranscriptEntry  # noqa: E402
from interviewer.services.ai.provider import AIConfig, get_provider  # noqa: E402
from interviewer.services.scoring import _assess  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import provider_judge  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "rubric"
SETS = list(range(5, 11))


def load(sets: list[int], red_flags: bool = False) -> list[dict]:
    items = []
    for n in sets:
        data = json.loads((DATA / f"new_questions_{n}.json").read_text())
        extra = DATA / f"red_flags_{n}.json"
        listed = json.loads(extra.read_text())["red_flags"] if extra.exists() else {}
        for q in data["questions"]:
            right = [a["text"] for a in q["answers"] if data["bands"][a["kind"]][0] >= 3.5]
            wrong = [a["text"] for a in q["answers"] if a["kind"].startswith("wrong")]
            flags = (q.get("red_flags") or listed.get(q["bank_id"], [])) if red_flags else []
            if right and wrong:
                items.append({"question": q["question"], "key_points": q["key_points"], "red_flags": flags,
                              "right": right, "wrong": wrong})
    return items


def interview(items: list[dict], kinds: list[str], rng: random.Random):
    chosen = rng.sample(items, len(kinds))
    iv = Interview(company_id=uuid.uuid4(), candidate_id=uuid.uuid4(), token="t",
                   started_at=utcnow() - timedelta(minutes=15), completed_at=utcnow())
    questions, entries = [], []
    for i, (item, kind) in enumerate(zip(chosen, kinds)):
        questions.append(Question(job_template_id=uuid.uuid4(), text=item["question"], weight=1, position=i,
                                  key_points=item["key_points"], red_flags=item["red_flags"]))
        entries.append(TranscriptEntry(interview_id=iv.id, seq=2 * i, question_index=i, kind="question",
                                       speaker="interviewer", text=item["question"]))
        entries.append(TranscriptEntry(interview_id=iv.id, seq=2 * i + 1, question_index=i, kind="answer",
                                       speaker="candidate", text=rng.choice(item[kind]), confidence=0.9,
                                       source="typed", started_ms=i * 180_000, ended_ms=i * 180_000 + 120_000))
    return iv, questions, entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--interviews", type=int, default=60, help="interviews per kind of candidate")
    parser.add_argument("--sets", default=",".join(map(str, SETS)), help="new-question sets, e.g. 9,10,11,12")
    parser.add_argument("--red-flags", action="store_true", help="each question with its wrong ideas to watch for")
    provider_judge.add_arguments(parser)
    args = parser.parse_args()
    items, rng = load([int(s) for s in args.sets.split(",")], args.red_flags), random.Random(11)
    config = AIConfig(provider="offline")  # its thresholds: the product's defaults
    cached = provider_judge.from_args(args)
    provider = cached or get_provider(config)
    candidates = {"strong": ["right"] * 5, "mixed": ["right"] * 3 + ["wrong"] * 2, "weak": ["wrong"] * 5}
    print(f"{len(items)} new questions (sets {args.sets}{', with their wrong ideas' if args.red_flags else ''}); "
          f"{args.interviews} interviews per candidate; thresholds pass 70, review 50\n")
    print(f"{'candidate':<10}{'as shipped: PASS / REVIEW / FAIL':>34}{'  of which doubts':>18}"
          f"{'doubts as contradictions':>28}{'mean score':>12}")
    for name, kinds in candidates.items():
        shipped, old, by_doubt, scores = Counter(), Counter(), 0, []
        for _ in range(args.interviews):
            report = _assess(*interview(items, rng.sample(kinds, len(kinds)), rng), "Sam Example", provider, config)
            shipped[report["verdict"]] += 1
            by_doubt += any("doubtful reading" in r for r in report["quality_gate"])
            low = sum((q.get("score_if_doubts") or {"contradicted": q["score"]})["contradicted"]
                      for q in report["questions"])
            other_gates = [r for r in report["quality_gate"] if "doubtful reading" not in r]
            old["REVIEW" if other_gates else config.thresholds.verdict(round(100 * low / 25))] += 1
            scores.append(report["score"])
        fmt = " / ".join(f"{c[v]:>3}" for c in (shipped,) for v in ("PASS", "REVIEW", "FAIL"))
        fmt_old = " / ".join(f"{old[v]:>3}" for v in ("PASS", "REVIEW", "FAIL"))
        print(f"{name:<10}{fmt:>34}{by_doubt:>18}{fmt_old:>28}{sum(scores) / len(scores):>12.1f}")
    if cached is not None:
        print(f"\n{cached.summary()}")


if __name__ == "__main__":
    main()
