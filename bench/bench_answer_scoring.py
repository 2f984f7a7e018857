"""Benchmark the offline answer scorer against human grades.

Usage (from the repository root)::

    .venv/bin/python bench/bench_answer_scoring.py --data ../shared/data/answers_graded_dev.csv

The CSV needs the columns ``question_id, question, reference_answer,
student_answer, score_avg`` (0-5).  Prints Pearson r over all answers, Pearson r
averaged within each question, and MAE of the 0-5 score against ``score_avg``:

* "as shipped": the scorer with its built-in constants;
* "cross-validated": the three constants of the coverage -> score mapping refitted
  by least squares with leave-one-assignment-out (assignment = the part of
  ``question_id`` before the dot), each assignment scored by a mapping fitted on
  the others only.  This is the figure to expect on unseen questions.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from interviewer.services.ai.offline.answer_scoring import (  # noqa: E402
    CONTRADICTION_CAP,
    AnswerScore,
    coverage_to_score,
    score_answer,
)
from interviewer.services.ai.offline.embeddings import get_encoder  # noqa: E402


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    if np.std(a) == 0 or np.std(b) == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def within_question_r(pred: np.ndarray, gold: np.ndarray, groups: list[str]) -> float:
    rs = []
    for g in sorted(set(groups)):
        m = np.array([x == g for x in groups])
        r = pearson(pred[m], gold[m])
        if not np.isnan(r):
            rs.append(r)
    return float(np.mean(rs))


def report(name: str, pred: np.ndarray, gold: np.ndarray, groups: list[str]) -> None:
    print(f"{name:<34} r={pearson(pred, gold):.3f}  within-question r={within_question_r(pred, gold, groups):.3f}"
          f"  MAE={np.abs(pred - gold).mean():.3f}")


def fit_mapping(cov: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    """Least-squares fit of gold ~ a + b*c + c2*c^2."""
    x = np.column_stack([np.ones_like(cov), cov, cov * cov])
    a, b, c2 = np.linalg.lstsq(x, gold, rcond=None)[0]
    return float(a), float(b), float(c2)


def refit_score(coverage: float, result: AnswerScore, mapping: tuple[float, float, float]) -> float:
    """The scorer's final score recomputed with another coverage -> score mapping."""
    score = coverage_to_score(coverage, result.flags, mapping)
    if "contradiction" in result.flags:
        n = len(result.covered_points) + len(result.missed_points)
        score = min(score, CONTRADICTION_CAP + (5.0 - CONTRADICTION_CAP) * len(result.covered_points) / n)
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="graded answers CSV (path relative to the repo root)")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N rows (quick check)")
    args = parser.parse_args()

    path = Path(args.data)
    if not path.is_absolute():
        path = Path(__file__).resolve().parents[1] / path
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if args.limit:
        rows = rows[: args.limit]
    gold = np.array([float(r["score_avg"]) for r in rows])
    questions = [r["question_id"] for r in rows]
    assignments = [q.split(".")[0] for q in questions]
    print(f"{len(rows)} answers, {len(set(questions))} questions, {len(set(assignments))} assignments")

    t0 = time.perf_counter()
    get_encoder()
    print(f"model load: {time.perf_counter() - t0:.2f}s")

    t0 = time.perf_counter()
    results: list[AnswerScore] = [
        score_answer(r["question"], r["reference_answer"], r["student_answer"]) for r in rows
    ]
    elapsed = time.perf_counter() - t0
    print(f"scoring: {elapsed:.1f}s total, {1000 * elapsed / len(rows):.1f} ms per answer\n")

    pred = np.array([r.score for r in results])
    cov = np.array([r.coverage for r in results])

    enc = get_encoder()
    cos = np.array([float(enc.encode(r["reference_answer"]) @ enc.encode(r["student_answer"] or "."))
                    for r in rows])
    report("baseline: MiniLM cosine (linear)", np.polyval(np.polyfit(cos, gold, 1), cos), gold, questions)
    report("as shipped", pred, gold, questions)

    cv_pred = np.zeros_like(gold)
    for held_out in sorted(set(assignments)):
        test = np.array([a == held_out for a in assignments])
        train = ~test & np.array(["not_answered" not in r.flags for r in results])
        mapping = fit_mapping(cov[train], gold[train])
        cv_pred[test] = [refit_score(c, r, mapping) for c, r in zip(cov[test], np.array(results)[test])]
    report("cross-validated (by assignment)", cv_pred, gold, questions)
    full = fit_mapping(cov[[("not_answered" not in r.flags) for r in results]],
                       gold[[("not_answered" not in r.flags) for r in results]])
    print(f"mapping fitted on all rows: a={full[0]:.2f} b={full[1]:.2f} c={full[2]:.2f}")

    print("\nflags (count, mean human score, mean our score):")
    by_flag: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(results):
        for f in r.flags:
            by_flag[f].append(i)
    for flag, idx in sorted(by_flag.items()):
        print(f"  {flag:<14} {len(idx):>4}  human={gold[idx].mean():.2f}  ours={pred[idx].mean():.2f}")
    buckets = Counter(int(round(g)) for g in gold)
    print("\nmean score by human grade:")
    for g in sorted(buckets):
        m = np.round(gold).astype(int) == g
        print(f"  human~{g}: n={m.sum():>4}  ours={pred[m].mean():.2f}")


if __name__ == "__main__":
    main()
