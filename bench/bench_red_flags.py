"""Wrong ideas to watch for (questions.red_flags), measured on new questions.

For each new-question set (bench/data/rubric/new_questions_N.json, 6 kinds of answer per question),
the offline judge scores every answer without and with one wrong idea per key point (written by
helpers who never saw the answers: red_flags_N.json, or the set's own "red_flags"), given to the
points by the product's own ``assign_red_flags``. Prints, per set and for the groups the constants
were chosen on (5-8), first checked on (9-11) and confirmed on (12, then 13): correct answers below 3.5,
confidently wrong answers above 2, the AUC of correct against wrong, and the balanced band accuracy
(share of correct >= 3.5 + share of wrong <= 2).

    python bench/bench_red_flags.py                       # shipped constants
    python bench/bench_red_flags.py --grid 0.5,0.1 0.55,0.1 0.6,0.1 --sets 5,6,7,8   # the choice
    python bench/bench_red_flags.py --param red_flag_polarity=true   # a variant beside the shipped one
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from interviewer.services.ai.offline import answer_scoring as judge  # noqa: E402

DATA = ROOT / "bench" / "data" / "rubric"
CORRECT = {"correct_plain", "concise_correct", "paraphrase_correct", "correct_neg"}
WRONG = {"wrong", "wrong_2"}
GROUPS = {"chosen on 5-8": (5, 6, 7, 8), "first check 9-11": (9, 10, 11), "confirmed on 12": (12,),
          "unseen 12-13": (12, 13)}


def auc(pos: list[float], neg: list[float]) -> float:
    return sum(1.0 if p > q else 0.5 if p == q else 0.0 for p in pos for q in neg) / (len(pos) * len(neg))


def load(n: int) -> list[dict]:
    questions = json.loads((DATA / f"new_questions_{n}.json").read_text())["questions"]
    extra = DATA / f"red_flags_{n}.json"
    flags = json.loads(extra.read_text())["red_flags"] if extra.exists() else {}
    for q in questions:
        q.setdefault("red_flags", flags.get(q["bank_id"], []))
    return questions


def scores(questions: list[dict], params: judge.Params | None) -> tuple[list[float], list[float], int, int]:
    """Scores of the correct and the wrong answers, and the points doubted for a listed idea in each."""
    correct, wrong, doubted_c, doubted_w = [], [], 0, 0
    for q in questions:
        listed = judge.assign_red_flags(q["question"], q["key_points"], q["red_flags"]) if params else None
        for a in q["answers"]:
            if a["kind"] not in CORRECT | WRONG:
                continue
            result = judge.score_answer(q["question"], q["key_points"], a["text"], params or judge.PARAMS,
                                        red_flags=listed)
            doubted = sum(1 for p in result.points if (p.doubt or "").startswith(judge.RED_FLAG_DOUBT))
            if a["kind"] in CORRECT:
                correct.append(result.score)
                doubted_c += doubted
            else:
                wrong.append(result.score)
                doubted_w += doubted
    return correct, wrong, doubted_c, doubted_w


def line(label: str, c: list[float], w: list[float], dc: int = 0, dw: int = 0) -> str:
    balanced = sum(s >= 3.5 for s in c) / len(c) + sum(s <= 2 for s in w) / len(w)
    return (f"  {label:28s} correct<3.5 {sum(s < 3.5 for s in c):3d}/{len(c)}  wrong>2 {sum(s > 2 for s in w):3d}/"
            f"{len(w)}  AUC {auc(c, w):.3f}  balanced {balanced:.3f}  doubted points: correct {dc}, wrong {dw}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="5,6,7,8,9,10,11,12,13")
    ap.add_argument("--grid", nargs="*", default=[], help="T,M pairs (red_flag_at, red_flag_margin) to compare")
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                    help="also score with a constant changed, e.g. red_flag_polarity=true")
    args = ap.parse_args()
    sets = [int(s) for s in args.sets.split(",")]
    settings = [("without the list", None), (f"with (shipped {judge.PARAMS.red_flag_at},"
                                             f" {judge.PARAMS.red_flag_margin})", judge.PARAMS)]
    settings += [(f"with T={t} M={m}", judge.with_params(red_flag_at=float(t), red_flag_margin=float(m)))
                 for t, m in (g.split(",") for g in args.grid)]
    for item in args.param:
        name, _, value = item.partition("=")
        current = getattr(judge.PARAMS, name)
        changed = value.lower() in ("1", "true", "yes") if isinstance(current, bool) else type(current)(value)
        settings.append((f"with {name}={value}", judge.with_params(**{name: changed})))
    data = {n: load(n) for n in sets}
    for label, params in settings:
        print(label)
        per = {n: scores(data[n], params) for n in sets}
        for n in sets:
            print(line(f"set {n}", *per[n]))
        for name, group in GROUPS.items():
            if set(group) <= set(sets) and len(group) > 1:
                c = [x for n in group for x in per[n][0]]
                w = [x for n in group for x in per[n][1]]
                print(line(name, c, w, sum(per[n][2] for n in group), sum(per[n][3] for n in group)))


if __name__ == "__main__":
    main()
