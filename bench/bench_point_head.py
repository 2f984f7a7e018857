"""A learned check of each credited key point ("point head"; measured, not adopted), as pre-registered in
``bench/data/rubric/point_head_preregistration.txt``.

For every key point the offline judge credits (covered or partly covered) in the labelled answers
of the new-question sets, a logistic regression on the geometry between the point and the quote
that earned it (MiniLM sentence embeddings u, v: u*v, |u-v|, their cosine, the judge's support)
predicts whether the quote states the point (correct answers) or says something else about it
(confidently wrong answers). A credited point below tau is doubted: covered -> partly covered,
partly covered -> missed.

Usage (from the repository root)::

    python bench/bench_point_head.py            # the choice: lambda and tau, leaving one set of 5-11 out
    python bench/bench_point_head.py --final LAMBDA TAU USE   # the one check on sets 12-13, chosen values

Rows are cached in ``bench/.cache/point_head_rows.pkl`` (the judge's output does not change between
runs of one commit; delete the file after a judge change).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from interviewer.services.ai.judgement import score_from_statuses  # noqa: E402
from interviewer.services.ai.offline import answer_scoring as judge  # noqa: E402
from interviewer.services.ai.offline.embeddings import encode  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "rubric"
CACHE = Path(__file__).resolve().parent / ".cache" / "point_head_rows.pkl"
CORRECT = {"correct_plain", "concise_correct", "paraphrase_correct", "hedged_correct", "correct_neg"}
WRONG = {"wrong", "wrong_2"}
CHOICE_SETS, CHECK_SETS = (5, 6, 7, 8, 9, 10, 11), (12, 13)
LAMBDAS = (100.0, 300.0, 1000.0, 3000.0, 10000.0)  # round 1 (0.1, 1, 10, 100) chose 100, its edge
TAUS = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
USES = {"both": {"covered": "partial", "partial": "missed"}, "covered": {"covered": "partial"}}
DEMOTE = USES["both"]


def answers_of(n: int) -> list[dict]:
    """The judged answers of set ``n``: each with its kind, label and every point's status, and a row per
    credited point (features, label)."""
    out = []
    for q in json.loads((DATA / f"new_questions_{n}.json").read_text())["questions"]:
        bodies = [judge._label_and_body(p)[1] for p in q["key_points"]]
        point_vecs = encode(bodies)
        for a in q["answers"]:
            if a["kind"] not in CORRECT | WRONG:
                continue
            result = judge.score_answer(q["question"], q["key_points"], a["text"])
            statuses, rows = [], []
            for i, p in enumerate(result.points):
                statuses.append((p.status, p.contradiction is not None))
                if p.status in DEMOTE and p.contradiction is None and p.quotes:
                    v = encode(" ".join(p.quotes))
                    u = point_vecs[i]
                    rows.append((i, np.concatenate([u * v, np.abs(u - v), [float(u @ v), p.support]])))
            out.append({"set": n, "question": q["bank_id"], "kind": a["kind"], "label": int(a["kind"] in CORRECT),
                        "statuses": statuses, "rows": rows, "score": result.score})
    return out


def load_all(sets: tuple[int, ...]) -> dict[int, list[dict]]:
    cached: dict[int, list[dict]] = pickle.loads(CACHE.read_bytes()) if CACHE.exists() else {}
    missing = [n for n in sets if n not in cached]
    for n in missing:
        print(f"  judging set {n} ...", file=sys.stderr)
        cached[n] = answers_of(n)
    if missing:
        CACHE.parent.mkdir(exist_ok=True)
        CACHE.write_bytes(pickle.dumps(cached))
    return {n: cached[n] for n in sets}


def matrix(answers: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    xs = [x for a in answers for _, x in a["rows"]]
    ys = [a["label"] for a in answers for _ in a["rows"]]
    return np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64)


class Head:
    """Standardised features, L2-regularised logistic regression fitted by Newton's method."""

    def __init__(self, lam: float) -> None:
        self.lam = lam

    def fit(self, x: np.ndarray, y: np.ndarray) -> Head:
        self.mean, self.scale = x.mean(0), x.std(0) + 1e-6
        z = np.hstack([(x - self.mean) / self.scale, np.ones((len(x), 1))])
        w = np.zeros(z.shape[1])
        reg = np.full(z.shape[1], self.lam)
        reg[-1] = 0.0
        for _ in range(50):
            p = 1 / (1 + np.exp(-z @ w))
            grad = z.T @ (p - y) + reg * w
            hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(reg) + 1e-9 * np.eye(len(w))
            step = np.linalg.solve(hess, grad)
            w -= step
            if np.abs(step).max() < 1e-8:
                break
        self.w = w
        return self

    def prob(self, x: np.ndarray) -> np.ndarray:
        z = np.hstack([(x - self.mean) / self.scale, np.ones((len(x), 1))])
        return 1 / (1 + np.exp(-z @ self.w))


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


def auc(pos: list[float], neg: list[float]) -> float:
    return sum(1.0 if p > q else 0.5 if p == q else 0.0 for p in pos for q in neg) / (len(pos) * len(neg))


def rescored(answers: list[dict], probs: list[np.ndarray] | None, tau: float, use: str = "both") -> list[float]:
    """Every answer's score once credited points below ``tau`` are doubted (``probs`` None: as judged)."""
    scores = []
    for k, a in enumerate(answers):
        statuses = list(a["statuses"])
        if probs is not None:
            for (i, _), prob in zip(a["rows"], probs[k]):
                if prob < tau:
                    statuses[i] = (USES[use].get(statuses[i][0], statuses[i][0]), False)
        scores.append(score_from_statuses(statuses))
    return scores


def summary(label: str, answers: list[dict], scores: list[float]) -> tuple[float, float, int]:
    c = [s for s, a in zip(scores, answers) if a["label"]]
    w = [s for s, a in zip(scores, answers) if not a["label"]]
    balanced = sum(s >= 3.5 for s in c) / len(c) + sum(s <= 2 for s in w) / len(w)
    low = sum(s < 3.5 for s in c)
    print(f"  {label:34s} correct<3.5 {low:3d}/{len(c)}  wrong>2 {sum(s > 2 for s in w):3d}/{len(w)}  "
          f"AUC {auc(c, w):.3f}  balanced {balanced:.3f}")
    return auc(c, w), balanced, low


def per_answer(answers: list[dict], head: Head) -> list[np.ndarray]:
    return [head.prob(np.array([x for _, x in a["rows"]])) if a["rows"] else np.zeros(0) for a in answers]


def choose() -> None:
    data = load_all(CHOICE_SETS)
    print("lambda: mean held-out log loss, leaving one set of 5-11 out (point rows)")
    losses = {}
    for lam in LAMBDAS:
        per_set = []
        for n in CHOICE_SETS:
            x, y = matrix([a for m in CHOICE_SETS if m != n for a in data[m]])
            xt, yt = matrix(data[n])
            per_set.append(log_loss(Head(lam).fit(x, y).prob(xt), yt))
        losses[lam] = float(np.mean(per_set))
        print(f"  lambda {lam:6g}: {losses[lam]:.4f}  (per set {', '.join(f'{v:.3f}' for v in per_set)})")
    lam = min(losses, key=losses.get)
    base_rate = matrix([a for n in CHOICE_SETS for a in data[n]])[1].mean()
    constant = -(base_rate * np.log(base_rate) + (1 - base_rate) * np.log(1 - base_rate))
    print(f"  chosen lambda {lam:g}; a constant (the base rate {base_rate:.3f}) would give {constant:.4f}")
    answers, probs, point_pos, point_neg = [], [], [], []
    for n in CHOICE_SETS:
        x, y = matrix([a for m in CHOICE_SETS if m != n for a in data[m]])
        head = Head(lam).fit(x, y)
        answers += data[n]
        held_out = per_answer(data[n], head)
        probs += held_out
        for a, pr in zip(data[n], held_out):
            (point_pos if a["label"] else point_neg).extend(pr.tolist())
    print(f"credited points, held-out probability: AUC {auc(point_pos, point_neg):.3f} "
          f"({len(point_pos)} in correct answers, {len(point_neg)} in wrong ones)")
    print("tau, each set's probabilities from the model fitted without it (answers of sets 5-11):")
    _, base_bal, base_low = summary("as judged (offline-judge-13)", answers, rescored(answers, None, 0))
    allowed = base_low + 0.02 * sum(a["label"] for a in answers)
    best = None
    for use in USES:
        for tau in TAUS:
            _, bal, low = summary(f"{use}, tau {tau}", answers, rescored(answers, probs, tau, use))
            if low <= allowed and (best is None or bal > best[2]):
                best = (use, tau, bal)
    chosen = f"{best[0]}, tau {best[1]}" if best else "none (every value costs correct answers more than 2%)"
    print(f"  chosen: {chosen} (correct below 3.5 allowed up to {allowed:.0f})")


def final(lam: float, tau: float, use: str) -> None:
    train = load_all(CHOICE_SETS)
    x, y = matrix([a for n in CHOICE_SETS for a in train[n]])
    head = Head(lam).fit(x, y)
    check = load_all(CHECK_SETS)
    answers = [a for n in CHECK_SETS for a in check[n]]
    print(f"the one check on sets {', '.join(map(str, CHECK_SETS))} (lambda {lam:g}, tau {tau}, fitted on 5-11):")
    summary("as judged (offline-judge-13)", answers, rescored(answers, None, 0))
    summary(f"with the point head ({use}, tau {tau})", answers, rescored(answers, per_answer(answers, head), tau, use))
    for n in CHECK_SETS:
        summary(f"  set {n} as judged", check[n], rescored(check[n], None, 0))
        summary(f"  set {n} with the head", check[n], rescored(check[n], per_answer(check[n], head), tau, use))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--final", nargs=3, metavar=("LAMBDA", "TAU", "USE"),
                    help="the one check on sets 12-13 with the values the choice gave (USE: both | covered)")
    args = ap.parse_args()
    if args.final:
        final(float(args.final[0]), float(args.final[1]), args.final[2])
    else:
        choose()


if __name__ == "__main__":
    main()
