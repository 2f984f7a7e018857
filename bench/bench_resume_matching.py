"""Benchmark resume <-> job matching as a ranking task.

Usage (from the repository root)::

    .venv/bin/python bench/bench_resume_matching.py \\
        --resumes ../shared/data/resumes_dev.csv --jobs ../shared/data/job_descriptions_dev.csv

For every posting all resumes are ranked by ``match_resume`` score.  Postings of
software/data/devops titles count INFORMATION-TECHNOLOGY resumes as positives;
HR postings count HR resumes as positives.  Prints, per job family, the ROC AUC
and precision@5 averaged over postings, for the full scorer and for each of its
parts alone, plus the time per scored pair.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from interviewer.services.ai.offline import matching  # noqa: E402
from interviewer.services.ai.offline.embeddings import get_encoder  # noqa: E402

POSITIVE = {"it": "INFORMATION-TECHNOLOGY", "hr": "HR"}


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Mann-Whitney AUC with ties counted as half."""
    pos, neg = scores[labels], scores[~labels]
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def precision_at(scores: np.ndarray, labels: np.ndarray, k: int = 5) -> float:
    order = np.argsort(-scores, kind="stable")[:k]
    return float(labels[order].mean())


def family(job: dict[str, str]) -> str:
    hr = job.get("source", "").startswith("linkedin") or "human resources" in job.get("category", "").lower()
    return "hr" if hr else "it"


def load(path: str) -> list[dict[str, str]]:
    p = Path(path)
    if not p.is_absolute():
        p = Path(__file__).resolve().parents[1] / p
    with p.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resumes", required=True)
    parser.add_argument("--jobs", required=True)
    parser.add_argument("--jobs-per-title", type=int, default=0, help="use only N postings per title (quick run)")
    args = parser.parse_args()

    resumes = load(args.resumes)
    jobs = load(args.jobs)
    if args.jobs_per_title:
        seen: dict[str, int] = {}
        kept = []
        for j in jobs:
            seen[j["title"]] = seen.get(j["title"], 0) + 1
            if seen[j["title"]] <= args.jobs_per_title:
                kept.append(j)
        jobs = kept
    print(f"{len(jobs)} postings x {len(resumes)} resumes = {len(jobs) * len(resumes)} pairs")

    t0 = time.perf_counter()
    get_encoder()
    for text in [r["resume_text"] for r in resumes] + [j["description"] for j in jobs]:
        matching.skill_profile(text)
        get_encoder().encode(matching._chunks(text))
    print(f"warm-up (model load, skills + embeddings of every document once): {time.perf_counter() - t0:.1f}s")

    parts = {"full": [], "skills only": [], "field only": [], "semantic only": []}
    labels_all, families = [], []
    t0 = time.perf_counter()
    for job in jobs:
        fam = family(job)
        labels = np.array([r["category"] == POSITIVE[fam] for r in resumes])
        res = [matching.match_resume(r["resume_text"], job["description"]) for r in resumes]
        parts["full"].append(np.array([m.score for m in res]))
        parts["skills only"].append(np.array([m.skill_coverage for m in res]))
        parts["field only"].append(np.array([m.field_similarity for m in res]))
        parts["semantic only"].append(np.array([m.semantic_similarity for m in res]))
        labels_all.append(labels)
        families.append(fam)
    elapsed = time.perf_counter() - t0
    pairs = len(jobs) * len(resumes)
    print(f"scoring: {elapsed:.1f}s, {1000 * elapsed / pairs:.2f} ms per pair (documents already profiled/embedded)")

    one = time.perf_counter()
    matching._profile.cache_clear()
    get_encoder()._cache.clear()
    matching.match_resume(resumes[0]["resume_text"], jobs[0]["description"])
    print(f"one cold pair (nothing cached): {1000 * (time.perf_counter() - one):.0f} ms\n")

    print(f"{'scorer':<15} {'family':<4} {'postings':>8} {'AUC':>6} {'P@5':>6}")
    for name, score_lists in parts.items():
        for fam in ("it", "hr"):
            idx = [i for i, f in enumerate(families) if f == fam]
            if not idx:
                continue
            aucs = [roc_auc(score_lists[i], labels_all[i]) for i in idx]
            p5 = [precision_at(score_lists[i], labels_all[i]) for i in idx]
            print(f"{name:<15} {fam:<6} {len(idx):>6} {np.mean(aucs):>6.3f} {np.mean(p5):>6.3f}")

    print("\nweakest postings (full scorer):")
    for fam in ("it", "hr"):
        idx = [i for i, f in enumerate(families) if f == fam]
        worst = sorted(idx, key=lambda i: roc_auc(parts["full"][i], labels_all[i]))[:3]
        for i in worst:
            print(f"  {fam}: AUC {roc_auc(parts['full'][i], labels_all[i]):.3f}  {jobs[i]['title']}")


if __name__ == "__main__":
    main()
