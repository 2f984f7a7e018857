"""Agreement of the offline answer scorer with human graders, with every constant held out.

Usage (from the repository root)::

    .venv/bin/python bench/bench_answer_scoring.py --data ../shared/data/answers_graded_dev.csv
    .venv/bin/python bench/bench_answer_scoring.py --data ... --ablate   # does each rule earn its place?
    .venv/bin/python bench/bench_answer_scoring.py --data ... --layer 4  # align another MiniLM layer's states

The CSV needs ``question_id, question, reference_answer, student_answer, score_avg`` (0-5).
Figures: Pearson r over all answers, r averaged within each question, MAE against ``score_avg``.

* "as shipped": the product's score (5 x the credit of the per-point judgements).
* "held-out thresholds (by assignment)": leave-one-assignment-out (assignment = ``question_id``
  before the dot). For each held-out assignment the two status thresholds (covered / partly)
  are chosen on the other assignments only (grid search for r), then the held-out answers are
  judged with them. The MAE line also fits a linear map from our 0-5 to the graders' scale on the
  other assignments (these graders give partial credit generously: their mean is ~4.2).
* ``--ablate``: each rule switched off in turn, scored the same held-out way. A rule earns its
  place when switching it off lowers the held-out r (or lets gaming through in
  ``bench_rubric.py``).
* ``--provider offline|gemini``: every answer judged through the product's provider path
  (``provider_judge.py``: redaction, the provider's wire, quote restoration, a resumable cache), key
  points = the reference split as the offline judge splits it; prints r, within-question r and the
  MAE after a linear map fitted leaving one assignment out. E.g. ``GOOGLE_API_KEY=... --provider gemini
  --rpm 10 --limit 200`` for a first figure on the cloud path.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from interviewer.services.ai.offline.answer_scoring import (  # noqa: E402
    PARAMS,
    AnswerScore,
    Params,
    score_answer,
    score_from_statuses,
    status_for,
    with_params,
)
from interviewer.services.ai.offline.answer_scoring import split_key_points  # noqa: E402
from interviewer.services.ai.offline.embeddings import get_encoder  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import provider_judge  # noqa: E402

COVERED_GRID = np.round(np.arange(0.35, 0.80, 0.05), 2)
PARTIAL_GRID = np.round(np.arange(0.15, 0.60, 0.05), 2)


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) < 2 or np.std(a) == 0 or np.std(b) == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def within_question_r(pred: np.ndarray, gold: np.ndarray, groups: list[str]) -> float:
    rs = [pearson(pred[m], gold[m]) for m in (np.array([x == g for x in groups]) for g in sorted(set(groups)))]
    rs = [r for r in rs if not np.isnan(r)]
    return float(np.mean(rs)) if rs else float("nan")


def rescore(result: AnswerScore, covered_at: float, partial_at: float) -> float:
    """The product's rule applied to the same supports with other thresholds."""
    if "not_answered" in result.flags:
        return 0.0
    return score_from_statuses([(status_for(p.support, covered_at, partial_at), p.contradiction is not None)
                                for p in result.points])


def choose_thresholds(results: list[AnswerScore], gold: np.ndarray) -> tuple[float, float]:
    best, best_r = (PARAMS.covered_at, PARAMS.partial_at), -1.0
    for cov, part in itertools.product(COVERED_GRID, PARTIAL_GRID):
        if part >= cov:
            continue
        r = pearson(np.array([rescore(x, cov, part) for x in results]), gold)
        if not np.isnan(r) and r > best_r:
            best, best_r = (float(cov), float(part)), r
    return best


def held_out(results: list[AnswerScore], gold: np.ndarray, assignments: list[str]
             ) -> tuple[np.ndarray, np.ndarray, list[tuple[str, float, float]]]:
    """Leave-one-assignment-out predictions: raw product scores and linearly calibrated ones."""
    pred, calibrated, chosen = np.zeros_like(gold), np.zeros_like(gold), []
    for held in sorted(set(assignments)):
        test = np.array([a == held for a in assignments])
        train_results = [r for r, t in zip(results, test) if not t]
        cov, part = choose_thresholds(train_results, gold[~test])
        chosen.append((held, cov, part))
        train_pred = np.array([rescore(r, cov, part) for r in train_results])
        slope, intercept = np.polyfit(train_pred, gold[~test], 1)
        pred[test] = [rescore(r, cov, part) for r, t in zip(results, test) if t]
        calibrated[test] = np.clip(intercept + slope * pred[test], 0, 5)
    return pred, calibrated, chosen


def line(name: str, pred: np.ndarray, gold: np.ndarray, groups: list[str], mae_pred: np.ndarray | None = None) -> str:
    mae = np.abs((pred if mae_pred is None else mae_pred) - gold).mean()
    return (f"{name:<44} r={pearson(pred, gold):.3f}  within-question r={within_question_r(pred, gold, groups):.3f}"
            f"  MAE={mae:.3f}")


def run(rows: list[dict], params: Params) -> tuple[list[AnswerScore], float]:
    t0 = time.perf_counter()
    results = [score_answer(r["question"], r["reference_answer"], r["student_answer"], params) for r in rows]
    return results, time.perf_counter() - t0


ABLATIONS: dict[str, dict] = {
    "no general antonyms": {"antonyms": False},
    "no aligned-clause polarity": {"aligned_polarity": False},
    "no telegraphic rule (few function words)": {"min_function_share": 0.0},
    "no list/fragment rules": {"list_rules": False},
    "no glue-word rule": {"glue_rule": False},
    "no echo rule": {"echo": False},
    "with spelling correction": {"spell_fix": True},
    "no question baseline": {"baseline_share": 0.0},
    "question words not demoted": {"question_weight": 1.0},
    "no label polarity (\"Never: ...\")": {"label_polarity": False},
    "no negated-point rule": {"negated_point_rule": False},
    "\"without\" always a negation": {"weak_only_if_negated": False},
    "no non-/un- prefix negation": {"prefix_negation": False},
    "no label-swap rule (a point said of another thing the question names)": {"label_swap": False},
    "no dismissal rule (\"no backoff\", \"X doesn't matter\")": {"label_dismissal": False},
    "best-stating clause not spared by an agreeing clause": {"contrast_agrees": False},
    "previous contradiction rules (all 4 off)": {"label_polarity": False, "negated_point_rule": False,
                                                 "weak_only_if_negated": False, "prefix_negation": False},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="graded answers CSV")
    parser.add_argument("--limit", type=int, default=0, help="only the first N rows (quick check)")
    parser.add_argument("--ablate", action="store_true", help="also score with each rule switched off")
    parser.add_argument("--layer", default=None,
                        help="MiniLM layer(s) whose token states are aligned, e.g. 4 or 5,6 (default: as shipped)")
    provider_judge.add_arguments(parser)
    args = parser.parse_args()
    if args.provider and (args.ablate or args.layer):
        parser.error("--ablate and --layer vary the offline judge's own constants: not with --provider")
    params = PARAMS
    if args.layer:
        layers = tuple(int(x) for x in args.layer.split(","))
        params = with_params(token_layer=layers[0] if len(layers) == 1 else layers)

    path = Path(args.data)
    if not path.is_absolute():
        path = Path.cwd() / path
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if args.limit:
        rows = rows[: args.limit]
    gold = np.array([float(r["score_avg"]) for r in rows])
    questions = [r["question_id"] for r in rows]
    assignments = [q.split(".")[0] for q in questions]
    print(f"{len(rows)} answers, {len(set(questions))} questions, {len(set(assignments))} assignments")
    t0 = time.perf_counter()
    enc = get_encoder()
    print(f"model load: {time.perf_counter() - t0:.2f}s")
    provider = provider_judge.from_args(args)
    if provider is not None:
        by_provider(provider, rows, gold, questions, assignments)
        return

    results, elapsed = run(rows, params)
    print(f"scoring: {elapsed:.1f}s total, {1000 * elapsed / len(rows):.1f} ms per answer (cold caches)\n")

    cos = np.array([float(enc.encode(r["reference_answer"]) @ enc.encode(r["student_answer"] or "."))
                    for r in rows])
    cos_cv = np.zeros_like(gold)
    for held in sorted(set(assignments)):
        test = np.array([a == held for a in assignments])
        cos_cv[test] = np.polyval(np.polyfit(cos[~test], gold[~test], 1), cos[test])
    print(line("baseline: MiniLM cosine (held-out linear map)", cos_cv, gold, questions))
    pred = np.array([r.score for r in results])
    print(line("as shipped (5 x credit of the judgements)", pred, gold, questions))
    cv, cv_cal, chosen = held_out(results, gold, assignments)
    print(line("held-out thresholds (by assignment)", cv, gold, questions))
    print(line("  + held-out linear map to the graders' scale", cv, gold, questions, cv_cal))
    print("  thresholds chosen per held-out assignment (covered, partly): "
          + ", ".join(f"{a}: {c:.2f}/{p:.2f}" for a, c, p in chosen))

    counts = defaultdict(int)
    for r in results:
        for p in r.points:
            counts[p.status] += 1
            counts["contradicted"] += bool(p.contradiction)
    print("\njudgements:", dict(counts))
    by_flag: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(results):
        for f in r.flags:
            by_flag[f].append(i)
    print("answer flags (count, mean human score, mean our score):")
    for flag, idx in sorted(by_flag.items()):
        print(f"  {flag:<14} {len(idx):>4}  human={gold[idx].mean():.2f}  ours={pred[idx].mean():.2f}")
    print("mean score by human grade:")
    for g in range(6):
        m = np.round(gold).astype(int) == g
        if m.any():
            print(f"  human~{g}: n={m.sum():>4}  ours={pred[m].mean():.2f}")

    if args.ablate:
        print("\nablations (each scored with held-out thresholds, as above):")
        print(f"  {'shipped':<32} r={pearson(cv, gold):.3f}  within-question r={within_question_r(cv, gold, questions):.3f}")
        for name, change in ABLATIONS.items():
            res, _ = run(rows, replace(params, **change))
            p, _, _ = held_out(res, gold, assignments)
            print(f"  {name:<32} r={pearson(p, gold):.3f}  within-question r={within_question_r(p, gold, questions):.3f}")


def by_provider(provider: provider_judge.CachedProvider, rows: list[dict], gold: np.ndarray, questions: list[str],
                assignments: list[str]) -> None:
    """The figures for a provider's judgements (no thresholds to choose: the statuses are the provider's)."""
    results = [provider.judge(r["question"], split_key_points(r["reference_answer"]), r["student_answer"] or "")
               for r in rows]
    pred = np.array([r.score for r in results])
    calibrated = np.zeros_like(gold)
    for held in sorted(set(assignments)):
        test = np.array([a == held for a in assignments])
        slope, intercept = (np.polyfit(pred[~test], gold[~test], 1) if np.std(pred[~test])
                            else (0.0, gold[~test].mean()))
        calibrated[test] = np.clip(intercept + slope * pred[test], 0, 5)
    print(line(f"{provider.name} (5 x credit of the judgements)", pred, gold, questions))
    print(line("  + held-out linear map to the graders' scale", pred, gold, questions, calibrated))
    seconds = np.array([r.seconds for r in results])
    print(f"provider time per answer: p50 {np.percentile(seconds, 50):.2f} s, "
          f"p95 {np.percentile(seconds, 95):.2f} s")
    counts: dict[str, int] = defaultdict(int)
    for r in results:
        for p in r.points:
            counts["contradicted" if p.contradiction else p.status] += 1
    print("judgements:", dict(counts))
    print(provider.summary())


if __name__ == "__main__":
    main()
