"""Choose the two status thresholds (covered / partly covered) with questions held out.

Usage (from the repository root)::

    .venv/bin/python bench/choose_thresholds.py --data ../shared/data/answers_graded_dev.csv
    .venv/bin/python bench/choose_thresholds.py --data ... --layer 4      # align MiniLM layer 4's token states
    .venv/bin/python bench/choose_thresholds.py --data ... --layer 5,6 --wide-grid

The thresholds turn a key point's support (0-1) into covered / partly / missed. They are the only
constants fitted to data, and they are fitted on two kinds of data at once: agreement with human
graders (Pearson r, ``answers_graded_dev.csv``) and the interview-rubric benchmark (share of answers
inside their kind's band, ``bench/data/rubric``). Objective = r + rubric share, on training data only.

Held-out estimate: for each of the 6 graded assignments x 2 halves of the rubric questions, the
thresholds are chosen on the other 5 assignments and the other half, and scored on the held-out
ones. The figures printed for the held-out parts are what to expect on unseen questions; the final
line is the choice on all the data (what ``answer_scoring.Params`` ships).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_answer_scoring as graded  # noqa: E402
import bench_rubric as rubric  # noqa: E402

from interviewer.services.ai.offline.answer_scoring import PARAMS, score_answer, with_params  # noqa: E402

GRID = [(c, p) for c, p in itertools.product(np.round(np.arange(0.35, 0.66, 0.05), 2),
                                              np.round(np.arange(0.15, 0.46, 0.05), 2)) if p < c]
# another layer's token states have another support scale: a wider grid for those experiments
WIDE_GRID = [(c, p) for c, p in itertools.product(np.round(np.arange(0.20, 0.81, 0.05), 2),
                                                   np.round(np.arange(0.05, 0.61, 0.05), 2)) if p < c]


def layer_arg(value: str) -> int | tuple[int, ...]:
    """"4" -> 4; "5,6" -> (5, 6) (the mean of those layers' token states)."""
    parts = tuple(int(x) for x in value.split(","))
    return parts[0] if len(parts) == 1 else parts


def objective(results, gold, judged, thresholds) -> tuple[float, float]:
    r = graded.pearson(np.array([graded.rescore(x, *thresholds) for x in results]), gold) if results else 0.0
    share = rubric.objective(rubric.evaluate(judged, thresholds, verbose=False)) if judged else 0.0
    return r, share


def choose(results, gold, judged) -> tuple[float, float]:
    return max(GRID, key=lambda t: sum(objective(results, gold, judged, t)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--layer", type=layer_arg, default=None,
                        help="MiniLM layer(s) whose token states are aligned (default: as shipped)")
    parser.add_argument("--wide-grid", action="store_true", help="search a wider threshold grid")
    args = parser.parse_args()
    global GRID
    if args.wide_grid:
        GRID = WIDE_GRID
    params = PARAMS if args.layer is None else with_params(token_layer=args.layer)
    with open(args.data, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    gold = np.array([float(r["score_avg"]) for r in rows])
    questions = [r["question_id"] for r in rows]
    assignments = [q.split(".")[0] for q in questions]
    results = [score_answer(r["question"], r["reference_answer"], r["student_answer"], params) for r in rows]
    judged = rubric.judge_all(rubric.load(), params)
    halves = (judged[0::2], judged[1::2])

    held_pred = np.zeros_like(gold)
    rubric_choice: list[list[tuple[float, float]]] = [[], []]
    for held in sorted(set(assignments)):
        test = np.array([a == held for a in assignments])
        train_results = [x for x, t in zip(results, test) if not t]
        for h in (0, 1):
            chosen = choose(train_results, gold[~test], halves[1 - h])
            rubric_choice[h].append(chosen)
            if h == 0:
                held_pred[test] = [graded.rescore(x, *chosen) for x, t in zip(results, test) if t]
            print(f"held out: assignment {held} + rubric half {h + 1}: chosen covered {chosen[0]:.2f}, "
                  f"partly {chosen[1]:.2f}")
    print(f"\ngraded answers, held-out assignments: r={graded.pearson(held_pred, gold):.3f}  within-question "
          f"r={graded.within_question_r(held_pred, gold, questions):.3f}")
    for h in (0, 1):
        # the rubric half is scored with each fold's choice; report the most frequent one
        values, counts = np.unique(np.array(rubric_choice[h]), axis=0, return_counts=True)
        t = tuple(values[int(np.argmax(counts))])
        print(f"\nrubric half {h + 1} held out (thresholds chosen without it: {t[0]:.2f}/{t[1]:.2f}):")
        rubric.evaluate(halves[h], t)
    final = choose(results, gold, judged)
    r, share = objective(results, gold, judged, final)
    print(f"\nchosen on all data: covered {final[0]:.2f}, partly {final[1]:.2f} (r={r:.3f}, rubric in-band {share:.1%}); "
          f"shipped: covered {PARAMS.covered_at:.2f}, partly {PARAMS.partial_at:.2f}")


if __name__ == "__main__":
    main()
