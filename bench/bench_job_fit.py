"""Benchmark job fit (``services.job_fit`` / ``offline.matching``) and the ATS check's two numbers.

Usage (from the repository root)::

    .venv/bin/python bench/bench_job_fit.py --data ../shared/data            # everything
    .venv/bin/python bench/bench_job_fit.py --data ../shared/data --skip-scale
    .venv/bin/python bench/bench_job_fit.py --data ../shared/data --skip-scale --only 1,3   # rankings, PDFs
    .venv/bin/python bench/bench_job_fit.py --scale-only --candidates 10000

Prints:

1. **Resumes ranked per posting** (``resumes_dev.csv`` x ``job_descriptions_dev.csv``): for every
   posting, all resumes ranked by fit; software/data/devops postings count INFORMATION-TECHNOLOGY
   resumes as relevant, HR postings HR resumes. ROC AUC and precision at 5 per family.
   1b. The same rankings judged against labels a person gave each resume and posting by reading
   it (``bench/data/occupations``, GUIDELINE.md there): relevant for a software/data/DevOps posting
   are the people who could credibly apply to it, for an HR posting the HR people; postings for
   other roles (a "Security Officer" filed under Human Resources) are listed and left out.
2. **Neighbouring roles**: the 13 software titles' postings (8 each) ranked against one another:
   for each posting, the other postings of its own title are the relevant ones (Java vs
   JavaScript vs DevOps vs Django...). AUC and precision at 5 per title. The title-skill constants
   (``CORE_FLOOR``, ``CORE_WEIGHT``) are then chosen on half of the titles and reported on the
   other half (both ways), next to the matcher without them: a held-out estimate.
   ``SKILL_SHARE`` (the skill-by-skill part of field similarity) likewise: chosen on half of the
   postings (half the software titles, every other HR posting) over sections 1 and 2 together,
   reported on the other half, next to the matcher without it.
3. **PDF resumes** (``resume_pdfs/``, text extracted by the product's extractor) against the shared
   postings plus this project's own postings for the other fields (``bench/data/postings``): the
   mean fit and ATS score per posting field, the gap between the resume's own field and the others,
   and whether the own field comes first; then the same with each PDF's own field from the labels.
4. **Speed**: fit per pair once both documents are profiled, and a ranking of ``--candidates``
   candidates for one job on PostgreSQL through the product path (``job_fit.refresh_job`` writes
   every fit, ``job_fit.rank_for_job`` reads the first page), resume profiles already stored.
5. **Keywords shown**: every skill detected in each shared posting, as a person read it in the posting
   (``bench/data/occupations/posting_skills_*.json``): asked of the candidate, only context, or wrong.

Embeddings of the documents are cached under ``var/bench-cache`` (keyed by text hash).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import os
import pickle
import sys
import time
import uuid
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from interviewer.services.ai.offline import matching as M  # noqa: E402
from interviewer.services.ai.offline.embeddings import get_encoder  # noqa: E402

POSITIVE = {"it": "INFORMATION-TECHNOLOGY", "hr": "HR"}
CACHE = ROOT / "var" / "bench-cache" / "job_fit_embeddings.pkl"
POSTINGS = ROOT / "bench" / "data" / "postings"
OCCUPATIONS = ROOT / "bench" / "data" / "occupations"   # our own labels, read by a person (GUIDELINE.md there)
SOFTWARE_OCCUPATIONS = {"software", "data", "infrastructure"}
PDF_FIELD = {"INFORMATION-TECHNOLOGY": "it", "HR": "hr", "DESIGNER": "designer", "DIGITAL-MEDIA": "digital-media",
             "ENGINEERING": "engineering", "FINANCE": "finance"}


# ---------------------------------------------------------------------------- helpers
def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    pos, neg = scores[labels], scores[~labels]
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def precision_at(scores: np.ndarray, labels: np.ndarray, k: int = 5) -> float:
    return float(labels[np.argsort(-scores, kind="stable")[:k]].mean())


def load_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def family(job: dict[str, str]) -> str:
    hr = job.get("source", "").startswith("linkedin") or "human resources" in job.get("category", "").lower()
    return "hr" if hr else "it"


class Embeddings:
    """Chunk embeddings per text, cached on disk (the model is the product's MiniLM)."""

    def __init__(self) -> None:
        self.data: dict[str, np.ndarray] = pickle.loads(CACHE.read_bytes()) if CACHE.exists() else {}
        self.dirty = False

    def __call__(self, text: str) -> np.ndarray | None:
        key = hashlib.sha1(text.encode()).hexdigest()
        if key not in self.data:
            chunks = M._chunks(text)
            self.data[key] = get_encoder().encode(chunks).astype(np.float32) if chunks else np.zeros((0, 384))
            self.dirty = True
        value = self.data[key]
        return value if len(value) else None

    def save(self) -> None:
        if self.dirty:
            CACHE.parent.mkdir(parents=True, exist_ok=True)
            CACHE.write_bytes(pickle.dumps(self.data))
            self.dirty = False


def profile(text: str, emb: Embeddings, *, role: str = "resume", title: str = "") -> M.DocProfile:
    """The product's profile, with the (cached) embeddings of the same text it would embed."""
    p = M.profile_document(text, embed=False, role=role, title=title)
    full = f"{title}\n\n{text}" if title and not text.startswith(title) else text
    p.embeddings = emb(full)
    if role == "job" and title.strip() and p.embeddings is not None:   # the title is a chunk of its own
        p.embeddings = np.vstack([emb(title.strip()), p.embeddings])
    return p


# ---------------------------------------------------------------------------- 1. resumes per posting
def resumes_per_posting(resumes, jobs, emb) -> None:
    print("\n== 1. Resumes ranked per posting (resumes_dev x job_descriptions_dev) ==")
    rp = [profile(r["resume_text"], emb) for r in resumes]
    emb.save()
    out: dict[str, list[tuple[float, float]]] = defaultdict(list)
    matrix = []
    for job in jobs:
        jp = profile(job["description"], emb, role="job", title=job["title"])
        fam = family(job)
        labels = np.array([r["category"] == POSITIVE[fam] for r in resumes])
        scores = np.array([M.match_profiles(p, jp).score for p in rp])
        matrix.append(scores)
        out[fam].append((roc_auc(scores, labels), precision_at(scores, labels)))
    emb.save()
    print(f"{'family':<8}{'postings':>9}{'AUC':>8}{'P@5':>8}")
    for fam, rows in sorted(out.items()):
        print(f"{fam:<8}{len(rows):>9}{np.mean([a for a, _ in rows]):>8.3f}{np.mean([p for _, p in rows]):>8.3f}")
    print("(relevance is the resume's category: many ENGINEERING, CONSULTANT or HEALTHCARE resumes are software\n"
          " people too, which caps P@5 for the software family on this data)")
    occupation_view(resumes, jobs, np.array(matrix))


def load_occupations() -> tuple[dict, dict, dict] | None:
    """Our own labels (``bench/data/occupations``): per resume_id, per posting row, per PDF file name."""
    files = sorted(OCCUPATIONS.glob("resumes_*.json"))
    if not files or not (OCCUPATIONS / "postings.json").exists():
        return None
    people = {k: v for f in files for k, v in json.loads(f.read_text(encoding="utf-8")).items()}
    postings = json.loads((OCCUPATIONS / "postings.json").read_text(encoding="utf-8"))
    pdfs_file = OCCUPATIONS / "pdfs.json"
    pdfs = json.loads(pdfs_file.read_text(encoding="utf-8")) if pdfs_file.exists() else {}
    return people, postings, pdfs


def occupation_view(resumes, jobs, matrix: np.ndarray) -> None:
    """Section 1 again, judged against the labels a person gave each resume and posting by reading it
    (GUIDELINE.md), not the category the resume was filed under: a software, data or DevOps posting's
    relevant resumes are the people who could credibly apply to it, an HR posting's the HR people."""
    labels = load_occupations()
    if labels is None:
        print("\n(no occupation labels under bench/data/occupations: the labelled view is skipped)")
        return
    people, postings, _ = labels
    missing = [r["resume_id"] for r in resumes if r["resume_id"] not in people]
    if missing or len(postings) != len(jobs):
        print(f"\n(occupation labels incomplete: {len(missing)} resumes, {len(jobs) - len(postings)} postings "
              "unlabelled: the labelled view is skipped)")
        return
    print("\n== 1b. The same rankings, relevance from occupation labels (bench/data/occupations) ==")
    out: dict[str, list[tuple[float, float, float, float]]] = defaultdict(list)
    left_out = []
    for k, job in enumerate(jobs):
        occupation = postings[str(k)]["occupation"]
        fam = "it" if occupation in SOFTWARE_OCCUPATIONS else "hr" if occupation == "hr" else None
        if fam is None:
            left_out.append(f"{job['title']} ({occupation})")
            continue
        key = "software_posting_fit" if fam == "it" else "hr_posting_fit"
        yes = np.array([people[r["resume_id"]][key] == "yes" for r in resumes])
        some = np.array([people[r["resume_id"]][key] in ("yes", "partly") for r in resumes])
        out[fam].append((roc_auc(matrix[k], yes), precision_at(matrix[k], yes),
                         roc_auc(matrix[k], some), precision_at(matrix[k], some)))
    relevant = {f: sum(people[r["resume_id"]][f"{n}_posting_fit"] == "yes" for r in resumes)
                for f, n in (("it", "software"), ("hr", "hr"))}
    print(f"{'family':<8}{'postings':>9}{'relevant':>9}{'AUC':>8}{'P@5':>8}   with 'partly': AUC    P@5")
    for fam, rows in sorted(out.items()):
        a, p, a2, p2 = (float(np.mean([row[i] for row in rows])) for i in range(4))
        print(f"{fam:<8}{len(rows):>9}{relevant[fam]:>9}{a:>8.3f}{p:>8.3f}{'':>17}{a2:.3f}  {p2:.3f}")
    print("left out (the role is neither software/data/DevOps nor HR): " + (", ".join(left_out) or "none"))
    second_reading(people)


def second_reading(people: dict) -> None:
    """How far two readers agree: a second person labelled every resume the first called a "yes" for
    either posting kind, and as many others drawn at random, not knowing which were which."""
    path = OCCUPATIONS / "second_reading.json"
    if not path.exists():
        return
    second = json.loads(path.read_text(encoding="utf-8"))
    print(f"second reading of {len(second)} resumes (every first-reading 'yes' and a random draw of the rest):")
    for key in ("software_posting_fit", "hr_posting_fit"):
        pairs = [(people[i][key], v[key]) for i, v in second.items()]
        first_yes = [b for a, b in pairs if a == "yes"]
        first_not = [b for a, b in pairs if a != "yes"]
        exact = sum(a == b for a, b in pairs)
        print(f"  {key}: first 'yes' -> second 'yes' {first_yes.count('yes')}/{len(first_yes)}"
              f" ('partly' {first_yes.count('partly')}); first not 'yes' -> second 'yes' "
              f"{first_not.count('yes')}/{len(first_not)}; same value {exact}/{len(pairs)}")


# ---------------------------------------------------------------------------- 2. neighbouring roles
def neighbours(jobs, emb, titles: set[str] | None = None) -> dict[str, tuple[float, float]]:
    it = [j for j in jobs if family(j) == "it"]
    docs = [profile(j["description"], emb) for j in it]
    per_title: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for qi, q in enumerate(it):
        if titles is not None and q["title"] not in titles:
            continue
        jp = profile(q["description"], emb, role="job", title=q["title"])
        idx = [i for i in range(len(it)) if i != qi]
        scores = np.array([M.match_profiles(docs[i], jp).score for i in idx])
        labels = np.array([it[i]["title"] == q["title"] for i in idx])
        per_title[q["title"]].append((roc_auc(scores, labels), precision_at(scores, labels)))
    return {t: (float(np.mean([a for a, _ in v])), float(np.mean([p for _, p in v]))) for t, v in per_title.items()}


def _mean(result: dict[str, tuple[float, float]]) -> tuple[float, float]:
    return float(np.mean([a for a, _ in result.values()])), float(np.mean([p for _, p in result.values()]))


def neighbouring_roles(jobs, emb) -> None:
    print("\n== 2. Neighbouring roles: software postings ranked against each other (relevant = same title) ==")
    result = neighbours(jobs, emb)
    emb.save()
    print(f"{'title':<26}{'AUC':>7}{'P@5':>7}")
    for title, (auc, p5) in sorted(result.items()):
        print(f"{title:<26}{auc:>7.3f}{p5:>7.3f}")
    auc, p5 = _mean(result)
    print(f"{'mean':<26}{auc:>7.3f}{p5:>7.3f}   (CORE_FLOOR={M.CORE_FLOOR}, CORE_WEIGHT={M.CORE_WEIGHT})")

    saved = (M.CORE_FLOOR, M.CORE_WEIGHT)
    titles = sorted(result)
    halves = (set(titles[0::2]), set(titles[1::2]))
    grid = list(itertools.product([1.0, 0.75, 0.5, 0.25, 0.0], [1.0, 2.0, 3.0]))
    print("\nheld out: title-skill constants chosen on one half of the titles, measured on the other")
    try:
        for name, (fit_on, test_on) in (("A->B", halves), ("B->A", halves[::-1])):
            scored = {}
            for floor, weight in grid:
                M.CORE_FLOOR, M.CORE_WEIGHT = floor, weight
                scored[(floor, weight)] = sum(_mean(neighbours(jobs, emb, fit_on)))
            best = max(scored, key=scored.get)
            M.CORE_FLOOR, M.CORE_WEIGHT = best
            held = _mean(neighbours(jobs, emb, test_on))
            M.CORE_FLOOR, M.CORE_WEIGHT = 1.0, 1.0
            without = _mean(neighbours(jobs, emb, test_on))
            print(f"  {name}: chosen floor={best[0]} weight={best[1]} -> held-out AUC {held[0]:.3f} P@5 {held[1]:.3f}"
                  f"  (without the rule: AUC {without[0]:.3f} P@5 {without[1]:.3f})")
    finally:
        M.CORE_FLOOR, M.CORE_WEIGHT = saved


def _per_posting(resumes, jobs, rp, jps, it, docs, itq) -> dict[tuple[str, int], tuple[float, float]]:
    """(AUC, P@5) per posting: ("it"/"hr", k) for section 1, ("nb", k) for section 2."""
    out = {}
    for k, job in enumerate(jobs):
        fam = family(job)
        labels = np.array([r["category"] == POSITIVE[fam] for r in resumes])
        scores = np.array([M.match_profiles(p, jps[k]).score for p in rp])
        out[(fam, k)] = (roc_auc(scores, labels), precision_at(scores, labels))
    for qi, q in enumerate(it):
        idx = [i for i in range(len(it)) if i != qi]
        scores = np.array([M.match_profiles(docs[i], itq[qi]).score for i in idx])
        labels = np.array([it[i]["title"] == q["title"] for i in idx])
        out[("nb", qi)] = (roc_auc(scores, labels), precision_at(scores, labels))
    return out


def skill_share_held_out(resumes, jobs, emb) -> None:
    """``SKILL_SHARE`` chosen on half of the postings, measured on the other half (both ways)."""
    print("\nheld out: SKILL_SHARE chosen on half of the postings (sections 1 and 2), measured on the other")
    rp = [profile(r["resume_text"], emb) for r in resumes]
    jps = [profile(j["description"], emb, role="job", title=j["title"]) for j in jobs]
    it = [j for j in jobs if family(j) == "it"]
    docs = [profile(j["description"], emb) for j in it]
    itq = [profile(j["description"], emb, role="job", title=j["title"]) for j in it]
    titles = sorted({j["title"] for j in it})
    title_half = {t: i % 2 for i, t in enumerate(titles)}
    hr = [k for k, j in enumerate(jobs) if family(j) == "hr"]
    half = {("hr", k): hr.index(k) % 2 for k in hr}
    half.update({("it", k): title_half[j["title"]] for k, j in enumerate(jobs) if family(j) == "it"})
    half.update({("nb", qi): title_half[q["title"]] for qi, q in enumerate(it)})

    def summary(res, h):  # mean (AUC, P@5) per group on half h
        out = {}
        for group in ("it", "hr", "nb"):
            rows = [v for key, v in res.items() if key[0] == group and half[key] == h]
            out[group] = (float(np.mean([a for a, _ in rows])), float(np.mean([p for _, p in rows])))
        return out

    saved = M.SKILL_SHARE
    grid = [0.0, 0.1, 0.2, 0.3, 0.4]
    try:
        results = {}
        for share in grid:
            M.SKILL_SHARE = share
            results[share] = _per_posting(resumes, jobs, rp, jps, it, docs, itq)
    finally:
        M.SKILL_SHARE = saved
    for name, fit_on in (("A->B", 0), ("B->A", 1)):
        best = max(grid, key=lambda g: sum(sum(v) for v in summary(results[g], fit_on).values()))
        held, without = summary(results[best], 1 - fit_on), summary(results[0.0], 1 - fit_on)
        print(f"  {name}: chosen SKILL_SHARE={best} -> held out " + ", ".join(
            f"{g} AUC {held[g][0]:.3f} P@5 {held[g][1]:.3f} (without: {without[g][0]:.3f} / {without[g][1]:.3f})"
            for g in ("it", "hr", "nb")))


# ---------------------------------------------------------------------------- 3. PDF resumes
def pdf_resumes(data: Path, jobs, emb) -> None:
    from interviewer.services.ai.ats_offline import analyze_resume_offline
    from interviewer.services.ai.extract import extract_text

    print("\n== 3. PDF resumes vs postings by field (fit and ATS score, 0-100) ==")
    postings: list[tuple[str, str, str]] = [(family(j), j["title"], j["description"]) for j in jobs]
    for path in sorted(POSTINGS.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        postings.append((path.stem.rsplit("-", 1)[0], title.strip(), body))
    by_field: dict[str, list[int]] = defaultdict(list)
    for i, (fld, _, _) in enumerate(postings):
        by_field[fld].append(i)
    job_profiles = [profile(body, emb, role="job", title=title) for _, title, body in postings]
    print(f"{len(postings)} postings: " + ", ".join(f"{f} {len(v)}" for f, v in sorted(by_field.items())))
    rows, labelled = [], []
    today = date(2026, 12, 1)
    for pdf in sorted((data / "resume_pdfs").glob("*/*.pdf")):
        own = PDF_FIELD[pdf.parent.name]
        text = extract_text(pdf.read_bytes(), pdf.name, "application/pdf").text
        rp = profile(text, emb)
        fit = np.array([M.match_profiles(rp, jp).score for jp in job_profiles])
        ats = np.array([analyze_resume_offline(text, body, today=today).score
                        for _, title, body in postings], dtype=float)
        field_fit = {f: float(fit[idx].mean()) for f, idx in by_field.items()}
        field_ats = {f: float(ats[idx].mean()) for f, idx in by_field.items()}
        others = [i for i in range(len(postings)) if postings[i][0] != own]
        labelled.append((pdf.name, field_fit, field_ats))
        rows.append((pdf.parent.name, pdf.name,
                     field_fit[own] - float(fit[others].mean()), all(field_fit[own] > v for f, v in field_fit.items()
                                                                      if f != own),
                     field_ats[own] - float(ats[others].mean()), all(field_ats[own] > v for f, v in field_ats.items()
                                                                      if f != own),
                     max(field_fit, key=field_fit.get), float(ats.max() - ats.min())))
    emb.save()
    print(f"{'field':<24}{'pdf':<14}{'fit gap':>8}{'first':>7}{'ATS gap':>9}{'first':>7}  best fit field"
          f"  ATS range")
    for fld, name, fgap, ffirst, agap, afirst, best, spread in rows:
        print(f"{fld:<24}{name:<14}{fgap:>+8.1f}{'yes' if ffirst else 'no':>7}{agap:>+9.1f}"
              f"{'yes' if afirst else 'no':>7}  {best:<14}{spread:>6.0f}")
    print(f"own field first: fit {sum(r[3] for r in rows)}/{len(rows)}, ATS {sum(r[5] for r in rows)}/{len(rows)}; "
          f"mean gap own - others: fit {np.mean([r[2] for r in rows]):+.1f}, ATS {np.mean([r[4] for r in rows]):+.1f}")
    labels = load_occupations()
    pdf_fields = labels[2] if labels else {}
    if pdf_fields:
        print("own field from the occupation labels (bench/data/occupations/pdfs.json):")
        first = {"fit": 0, "ATS": 0}
        counted = []
        for name, field_fit, field_ats in labelled:
            own = pdf_fields[name]["field"]
            if own == "none":
                print(f"  {name}: no posting field (left out) - {pdf_fields[name]['note']}")
                continue
            counted.append(name)
            for what, per_field in (("fit", field_fit), ("ATS", field_ats)):
                first[what] += all(per_field[own] > v for f, v in per_field.items() if f != own)
            print(f"  {name}: {own:<14} best fit field {max(field_fit, key=field_fit.get)}")
        print(f"own field first under the labels: fit {first['fit']}/{len(counted)}, ATS {first['ATS']}/{len(counted)}")


# ---------------------------------------------------------------------------- 5. keywords shown
def keywords_shown(jobs) -> None:
    """The skills detected in each posting (the ATS check's "keywords found / missing" and the job fit's
    matched / missing lists) against a person's reading of the posting (``posting_skills_*.json``):
    asked of the candidate, meant but only context (the company, its customers, benefits), or wrong (the
    words mean something else). A skill the labels do not know (the vocabulary changed since) is counted
    apart, listed with the words it was found by."""
    files = sorted(OCCUPATIONS.glob("posting_skills_*.json"))
    if not files:
        return
    labels: dict[str, dict[str, str]] = defaultdict(dict)   # a later file adds the skills read after a change
    for f in files:
        for k, v in json.loads(f.read_text(encoding="utf-8")).items():
            labels[k].update(v)
    print("\n== 5. Keywords shown: each posting's detected skills, read by a person ==")
    counts: dict[str, int] = defaultdict(int)
    unknown = []
    for k, job in enumerate(jobs):
        if str(k) not in labels:
            continue
        hits = M.skill_profile(f"{job['title']}\n\n{job['description']}")
        for name in hits:
            label = labels[str(k)].get(name)
            counts[label or "unlabelled"] += 1
            if label is None:
                unknown.append(f"{k}:{name}")
    total = sum(counts.values())
    print(f"{len(labels)} postings, {total} skills shown: " + ", ".join(
        f"{key} {counts[key]} ({counts[key] / total:.1%})" for key in ("asked", "context", "wrong", "unlabelled")))
    if unknown:
        print("unlabelled: " + ", ".join(unknown[:40]) + (" ..." if len(unknown) > 40 else ""))


# ---------------------------------------------------------------------------- 4. speed
def pair_speed(resumes, jobs, emb) -> None:
    print("\n== 4a. Fit per pair, documents profiled ==")
    rp = [profile(r["resume_text"], emb) for r in resumes[:200]]
    jp = [profile(j["description"], emb, role="job", title=j["title"]) for j in jobs[:20]]
    start = time.perf_counter()
    n = 0
    for j in jp:
        for r in rp:
            M.match_profiles(r, j)
            n += 1
    per = (time.perf_counter() - start) / n * 1000
    print(f"{n} pairs: {per:.3f} ms per pair (aim: under 50 ms)")


def scale(resumes, emb, n_candidates: int, pg_admin: str) -> None:
    """The product path on PostgreSQL: ``refresh_job`` computes and stores every fit of a job with
    ``n_candidates`` candidates whose resume profiles are stored; ``rank_for_job`` reads page one."""
    import psycopg

    print(f"\n== 4b. Ranking {n_candidates:,} candidates for one job on PostgreSQL ==")
    name = f"interviewer_bench_fit_{os.getpid()}"
    with psycopg.connect(pg_admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    url = pg_admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    os.environ["DATABASE_URL"] = url
    try:
        _scale_run(resumes, emb, n_candidates)
    finally:
        from interviewer.db import get_engine

        get_engine().dispose()
        with psycopg.connect(pg_admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _scale_run(resumes, emb, n_candidates: int) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import insert

    from interviewer.core.config import reset_settings_cache
    from interviewer.db import session_scope
    from interviewer.models import Candidate, Company, JobTemplate, User, UserRole
    from interviewer.models.fit import ResumeProfile
    from interviewer.services import job_fit
    from interviewer.services.authz import actor_for

    reset_settings_cache()
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["configure_logger"] = False
    cfg.attributes["url"] = os.environ["DATABASE_URL"]
    command.upgrade(cfg, "head")
    distinct = resumes[:100]
    profiles = []
    for r in distinct:
        text = r["resume_text"]
        p = profile(text, emb)
        profiles.append((text, job_fit._sha(text), p.to_json(), job_fit._pack(p.embeddings)))
    emb.save()
    with session_scope() as s:
        company = Company(name="Bench", domain="bench.test")
        s.add(company)
        s.flush()
        hr = User(email="hr@bench.test", name="Bench HR", role=UserRole.HR, company_id=company.id,
                  password_hash="x", email_verified=True)
        job = JobTemplate(company_id=company.id, title="Java Developer",
                          description=next(j for j in load_csv(ARGS.data / "job_descriptions_dev.csv")
                                           if j["title"] == "Java Developer")["description"])
        s.add_all([hr, job])
        s.flush()
        company_id, job_id, hr_id = company.id, job.id, hr.id
    t0 = time.perf_counter()
    cands, profs = [], []
    for i in range(n_candidates):
        text, text_hash, prof, blob = profiles[i % len(profiles)]
        cid = uuid.uuid4()
        cands.append({"id": cid, "company_id": company_id, "email": f"c{i}@bench.test", "name": f"Candidate {i}",
                      "resume_text": text, "job_template_id": job_id, "status": "new"})
        profs.append({"candidate_id": cid, "company_id": company_id, "text_hash": text_hash,
                      "matcher_version": M.MATCHER_VERSION, "profile": prof, "embeddings": blob})
    with session_scope() as s:
        for k in range(0, n_candidates, 2000):
            s.execute(insert(Candidate), cands[k:k + 2000])
            s.execute(insert(ResumeProfile), profs[k:k + 2000])
    print(f"seeded {n_candidates:,} candidates with stored resume profiles in {time.perf_counter() - t0:.1f}s")
    t0 = time.perf_counter()
    with session_scope() as s:
        counts = job_fit.refresh_job(s, job_id)
    refresh = time.perf_counter() - t0
    t0 = time.perf_counter()
    with session_scope() as s:
        ranking = job_fit.rank_for_job(s, actor_for(s, s.get(User, hr_id)), job_id, limit=50)
    read = time.perf_counter() - t0
    t0 = time.perf_counter()
    with session_scope() as s:
        again = job_fit.refresh_job(s, job_id)
    noop = time.perf_counter() - t0
    print(f"refresh_job (compute and store every fit): {refresh:.2f}s {counts}")
    print(f"rank_for_job (first 50, counts): {read * 1000:.0f} ms; top score {ranking['items'][0]['fit']['score']}")
    print(f"total ranking time: {refresh + read:.2f}s (aim: under 10 s)")
    print(f"refresh again with nothing changed: {noop:.2f}s {again}")


# ---------------------------------------------------------------------------- main
def main() -> None:
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--scale-only", action="store_true")
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--only", default="1,2,3,4,5", help="sections to run, e.g. 1,3 (1 includes 1b)")
    parser.add_argument("--pg-admin", default=os.environ.get("TEST_PG_ADMIN_URL",
                                                             "postgresql://postgres@127.0.0.1:5432/postgres"))
    ARGS = parser.parse_args()
    emb = Embeddings()
    resumes = load_csv(ARGS.data / "resumes_dev.csv")
    jobs = load_csv(ARGS.data / "job_descriptions_dev.csv")
    print(f"matcher {M.MATCHER_VERSION}: W_SKILLS={M.W_SKILLS} W_FIELD={M.W_FIELD} W_SEMANTIC={M.W_SEMANTIC} "
          f"SKILL_SHARE={M.SKILL_SHARE} DEMONSTRATED_SHARE={M.DEMONSTRATED_SHARE} CORE_FLOOR={M.CORE_FLOOR} CORE_WEIGHT={M.CORE_WEIGHT}")
    if not ARGS.scale_only:
        t0 = time.perf_counter()
        for text in [r["resume_text"] for r in resumes]:
            emb(text)
        emb.save()
        print(f"embeddings ready in {time.perf_counter() - t0:.0f}s ({len(emb.data)} texts cached)")
        only = set(ARGS.only.split(","))
        if "1" in only:
            resumes_per_posting(resumes, jobs, emb)
        if "2" in only:
            neighbouring_roles(jobs, emb)
            skill_share_held_out(resumes, jobs, emb)
        if "3" in only:
            pdf_resumes(ARGS.data, jobs, emb)
        if "4" in only:
            pair_speed(resumes, jobs, emb)
        if "5" in only:
            keywords_shown(jobs)
    if not ARGS.skip_scale:
        scale(resumes, emb, ARGS.candidates, ARGS.pg_admin)


ARGS: argparse.Namespace

if __name__ == "__main__":
    main()
