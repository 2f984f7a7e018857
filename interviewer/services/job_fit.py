"""Job fit: how well each candidate's resume fits their job template, as a screening aid.

One judgement (``offline.matching.match_profiles``) behind every view: the job page's ranking,
the candidates list's Fit column and the candidate page's reasons. The matcher is offline and
deterministic whatever AI provider the company uses, so a ranking can be reproduced.

Work is split so nothing is computed twice:

* a candidate's resume is profiled once per resume text (skills with their context and a quote,
  chunk embeddings, dated years) into ``resume_profiles``;
* one ``job_fits`` row per (job, candidate) holds the score and its reasons, keyed by a hash of
  its inputs (resume text, the job's title, description and questions, the matcher version):
  the RQ job ``refresh_job_fits`` recomputes only rows whose inputs changed.

A fit is never a decision: nothing here changes a candidate's status.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import and_, delete, func, insert, update
from sqlmodel import Session, col, select

from interviewer.core import errors as E
from interviewer.core.redis import get_redis
from interviewer.core.security import utcnow
from interviewer.jobs import queue as job_queue
from interviewer.models import Candidate, JobTemplate
from interviewer.models.fit import JobFit, ResumeProfile
from interviewer.services.ai.offline import matching
from interviewer.services.authz import Actor
from interviewer.services.candidates import get_candidate, scope_filters
from interviewer.services.jobs import get_job
from interviewer.services.question_order import job_questions

MATCHER_VERSION = matching.MATCHER_VERSION
SCREENING_NOTE = ("Job fit is a screening aid computed from the resume text: it orders candidates for "
                  "review and never rejects anyone on its own.")
MAX_QUOTES = 3
REFRESH_DEBOUNCE_S = 30
BANDS = ((70, "Strong fit", "green"), (45, "Partial fit", "amber"), (0, "Weak fit", "gray"))


_SHOWN = {"title": "in the headline", "experience": "in work described", "summary": "in the summary",
          "other": "elsewhere", "education": "in education", "list": "only listed"}
# The skills part in words, with the matcher's own constants (the text cannot drift from the rule).
SKILLS_RULE = ("Skills part: the share of the job's skills the resume shows, each skill weighted "
               f"(x{matching.CORE_WEIGHT:g} when the job's title names it, up to x2 when the job names it "
               f"more often, x{matching.GENERIC_SKILL_WEIGHT:g} for general skills such as communication) "
               "and counted by where the resume shows it ("
               + ", ".join(f"{label} {matching.CONTEXT_WEIGHT[k]:g}" for k, label in _SHOWN.items())
               + "; +0.05 for each further mention, up to 1).")


def band(score: float | None) -> str:
    """The words shown beside a fit score."""
    if score is None:
        return "Not computed"
    return next(label for floor, label, _ in BANDS if score >= floor)


def band_color(score: float | None) -> str:
    """The badge colour of a fit score (the same bands as :func:`band`)."""
    if score is None:
        return "gray"
    return next(color for floor, _, color in BANDS if score >= floor)


def _sha(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "replace"))
        digest.update(b"\x00")
    return digest.hexdigest()


# --------------------------------------------------------------------------- inputs

def job_text(session: Session, job: JobTemplate) -> str:
    """What a job asks for, as the matcher reads it: the title as the headline, the description,
    then each question with its key points (the skills the interview will probe)."""
    questions = job_questions(session, job.id)
    lines = [job.title or "", "", job.description or ""]
    for q in questions:
        lines.append(q.text)
        lines.extend(f"- {point}" for point in (q.key_points or []))
    return "\n".join(lines).strip()


@dataclass
class _JobInputs:
    job: JobTemplate
    text: str
    hash: str
    profile: matching.DocProfile


def _job_inputs(session: Session, job: JobTemplate, *, embed: bool = True) -> _JobInputs:
    text = job_text(session, job)
    return _JobInputs(job, text, _sha(text),
                      matching.profile_document(text, embed=embed, role="job", title=job.title or ""))


def _pack(embeddings: np.ndarray | None) -> bytes | None:
    if embeddings is None:
        return None
    rows, dim = embeddings.shape
    return rows.to_bytes(2, "big") + dim.to_bytes(2, "big") + embeddings.astype(np.float16).tobytes()


def _unpack(blob: bytes | None) -> np.ndarray | None:
    if not blob:
        return None
    rows, dim = int.from_bytes(blob[:2], "big"), int.from_bytes(blob[2:4], "big")
    vectors = np.frombuffer(blob[4:], dtype=np.float16).reshape(rows, dim).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def resume_profile(session: Session, cand: Candidate, *, embed: bool = True) -> tuple[matching.DocProfile, str] | None:
    """The candidate's stored resume profile and its text hash, computed now when the resume
    text changed since (None when the candidate has no resume text)."""
    text = cand.resume_text or ""
    if not text.strip():
        return None
    text_hash = _sha(text)
    row = session.get(ResumeProfile, cand.id)
    cached = _stored_profile(row, text_hash, embed)
    if cached is not None:
        return cached, text_hash
    profile = matching.profile_document(text, embed=embed)
    if row is None:
        row = ResumeProfile(candidate_id=cand.id, company_id=cand.company_id, text_hash=text_hash,
                            matcher_version=MATCHER_VERSION, profile={})
    row.text_hash, row.matcher_version = text_hash, MATCHER_VERSION
    row.profile, row.embeddings, row.computed_at = profile.to_json(), _pack(profile.embeddings), utcnow()
    session.add(row)
    # Reload what was stored (float16) so a fresh profile and a cached one give the same score.
    return matching.DocProfile.from_json(row.profile, _unpack(row.embeddings)), text_hash


# --------------------------------------------------------------------------- the judgement

def fit_details(resume_p: matching.DocProfile, job_p: matching.DocProfile) -> dict[str, Any]:
    """Score and reasons of one resume against one job, JSON-ready. Every number shown is here
    with the evidence it comes from."""
    if not job_p.english:
        return {"supported": False, "score": None,
                "reason": "The job's description is not in English; the offline matcher reads English only, "
                          "so no fit is computed rather than a guess."}
    if not resume_p.english:
        return {"supported": False, "score": None,
                "reason": "The resume is not in English; the offline matcher reads English only, "
                          "so no fit is computed rather than a guess."}
    result = matching.match_profiles(resume_p, job_p)
    quotes = []
    for skill in result.matched_skills:
        hit = resume_p.hits[skill]
        if hit.context in ("experience", "title", "summary") and hit.quote not in (q["quote"] for q in quotes):
            quotes.append({"skill": skill, "quote": hit.quote})
        if len(quotes) >= MAX_QUOTES:
            break
    seniority = _seniority(resume_p.years, job_p.years)
    return {
        "supported": True,
        "score": result.score,
        "band": band(result.score),
        "matched_skills": result.matched_skills,
        "missing_skills": result.missing_skills,
        "listed_only_skills": result.listed_only_skills,
        "quotes": quotes,
        "parts": {"skills": result.skill_coverage, "field": result.field_similarity,
                  "text": result.semantic_similarity},
        "weights": {"skills": matching.W_SKILLS, "field": matching.W_FIELD, "text": matching.W_SEMANTIC},
        "text_part": round(float(np.clip((result.semantic_similarity - matching.SEMANTIC_FLOOR)
                                         / matching.SEMANTIC_SPAN, 0.0, 1.0)), 3),
        "core": {"skills": result.core_skills, "factor": result.core_factor},
        "job_fields": result.job_fields,
        "resume_fields": result.resume_fields,
        "resume_years": resume_p.years,
        "required_years": job_p.years,
        "seniority": seniority,
        "explanation": result.explanation,
    }


def _seniority(resume_years: float | None, required: float | None) -> str:
    if required is None and resume_years is None:
        return "Neither the job nor the resume states years of experience."
    if required is None:
        return f"The resume shows about {resume_years:g} years of dated roles; the job names no minimum."
    if resume_years is None:
        return f"The job asks for {required:g}+ years; the resume dates no roles and states no years."
    verdict = "meets" if resume_years >= required else "is below"
    return (f"The job asks for {required:g}+ years; the resume shows about {resume_years:g} years of dated roles "
            f"({verdict} the minimum).")


# --------------------------------------------------------------------------- refresh (RQ job work)

def refresh_job(session: Session, job_id: uuid.UUID, *, embed: bool = True,
                candidate_id: uuid.UUID | None = None) -> dict[str, int]:
    """Recompute the fits of a job's candidates whose inputs changed; drop fits of candidates
    that left the job or lost their resume. Idempotent: a second run changes nothing.
    ``candidate_id`` limits the work to that one candidate.

    Set-based so a large job stays fast: one read of the candidates, their stored fits and resume
    profiles, then one bulk insert and one bulk update."""
    job = session.get(JobTemplate, job_id)
    if job is None:
        return {"computed": 0, "unchanged": 0, "removed": 0}
    inputs = _job_inputs(session, job, embed=embed)
    only = [JobFit.candidate_id == candidate_id] if candidate_id else []
    existing = {cid: (fid, h) for fid, cid, h in session.exec(
        select(JobFit.id, JobFit.candidate_id, JobFit.inputs_hash).where(JobFit.job_template_id == job.id, *only))}
    scope = [Candidate.job_template_id == job.id] + ([Candidate.id == candidate_id] if candidate_id else [])
    candidates = session.exec(select(Candidate.id, Candidate.company_id, Candidate.resume_text)
                              .where(*scope, Candidate.company_id == job.company_id,
                                     col(Candidate.resume_text).is_not(None))).all()
    # The columns, not ORM objects: a large job reads thousands of profiles once and changes none of them.
    stored = {row.candidate_id: row for row in session.exec(
        select(ResumeProfile.candidate_id, ResumeProfile.text_hash, ResumeProfile.matcher_version,
               ResumeProfile.profile, ResumeProfile.embeddings)
        .join(Candidate, Candidate.id == ResumeProfile.candidate_id).where(*scope))}
    counts = {"computed": 0, "unchanged": 0, "removed": 0}
    keep: set[uuid.UUID] = set()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    now = utcnow()
    for cid, company_id, text in candidates:
        if not (text or "").strip():
            continue
        keep.add(cid)
        text_hash = _sha(text)
        inputs_hash = _inputs_hash(text_hash, inputs, embed)
        fid, old_hash = existing.get(cid, (None, None))
        if old_hash == inputs_hash:
            counts["unchanged"] += 1
            continue
        profile = _stored_profile(stored.get(cid), text_hash, embed)
        if profile is None:
            cand = session.get(Candidate, cid)
            profile = resume_profile(session, cand, embed=embed)[0]
        details = fit_details(profile, inputs.profile)
        values = {"score": details["score"] if details["score"] is not None else -1.0, "inputs_hash": inputs_hash,
                  "matcher_version": MATCHER_VERSION, "details": details, "computed_at": now}
        if fid is None:
            inserts.append({"id": uuid.uuid4(), "company_id": company_id, "job_template_id": job.id,
                            "candidate_id": cid, **values})
        else:
            updates.append({"id": fid, **values})
        counts["computed"] += 1
    session.flush()
    if inserts:
        session.execute(insert(JobFit), inserts)
    if updates:
        session.execute(update(JobFit), updates)
    stale = [cid for cid in existing if cid not in keep]
    if stale:
        session.exec(delete(JobFit).where(JobFit.job_template_id == job.id, col(JobFit.candidate_id).in_(stale)))
        counts["removed"] = len(stale)
    return counts


def _inputs_hash(text_hash: str, inputs: _JobInputs, embed: bool) -> str:
    return _sha(text_hash, inputs.hash, MATCHER_VERSION, "emb" if embed else "noemb")


def _stored_profile(row: Any, text_hash: str, embed: bool) -> matching.DocProfile | None:
    """A stored resume profile (a ``ResumeProfile`` or a row of its columns) when it is for this text and
    matcher (and has embeddings if needed)."""
    if row is None or row.text_hash != text_hash or row.matcher_version != MATCHER_VERSION \
            or (embed and row.embeddings is None):
        return None
    return matching.DocProfile.from_json(row.profile, _unpack(row.embeddings))


def refresh_candidate(session: Session, candidate_id: uuid.UUID, *, embed: bool = True) -> str:
    """Recompute one candidate's fit to their job (after a new resume or a move to another job):
    ``computed``, ``unchanged``, ``none`` (no resume text), ``no job`` or ``gone``."""
    cand = session.get(Candidate, candidate_id)
    if cand is None:
        return "gone"
    # A fit to a job the candidate left is no longer shown anywhere: remove it.
    gone = delete(JobFit).where(JobFit.candidate_id == cand.id)
    if cand.job_template_id is None:
        session.exec(gone)
        return "no job"
    session.exec(gone.where(JobFit.job_template_id != cand.job_template_id))
    job = session.get(JobTemplate, cand.job_template_id)
    if job is None or job.company_id != cand.company_id:
        return "no job"
    counts = refresh_job(session, job.id, embed=embed, candidate_id=cand.id)
    return next((k for k in ("computed", "unchanged") if counts[k]), "none")


def request_refresh(job_id: uuid.UUID) -> None:
    """Queue ``refresh_job_fits`` for a job whose view found missing fits, at most once per
    ``REFRESH_DEBOUNCE_S`` (changes to a job's or a resume's inputs queue their own refresh:
    ``jobs.update_job``, the question changes, ``candidates.extract_resume_text``, a move to
    another job)."""
    if get_redis().set(f"fit:refresh:{job_id}", "1", nx=True, ex=REFRESH_DEBOUNCE_S):
        job_queue.enqueue("refresh_job_fits", str(job_id))


# --------------------------------------------------------------------------- reads (tenancy + scope)

def _fit_public(fit: JobFit | None) -> dict[str, Any] | None:
    if fit is None:
        return None
    return {**fit.details, "score": None if fit.score < 0 else fit.score, "band": band(None if fit.score < 0 else fit.score),
            "computed_at": fit.computed_at.isoformat() if fit.computed_at else None,
            "matcher_version": fit.matcher_version}


def rank_for_job(session: Session, actor: Actor, job_id: uuid.UUID, *, limit: int = 50,
                 offset: int = 0) -> dict[str, Any]:
    """The job's candidates (those the actor may see), best fit first, with each fit's reasons.
    Candidates whose fit is missing or out of date are listed after the ranked ones as pending,
    and a refresh is queued for them."""
    job = get_job(session, actor, job_id)
    if not 1 <= limit <= 500 or offset < 0:
        raise E.ValidationError("limit must be 1-500 and offset 0 or more.")
    filters = [*scope_filters(actor, job.company_id), Candidate.job_template_id == job.id]
    fresh = and_(JobFit.matcher_version == MATCHER_VERSION)
    base = (select(Candidate.id, Candidate.name, Candidate.email, Candidate.status,
                   col(Candidate.resume_text).is_not(None), JobFit)
            .join(JobFit, and_(JobFit.candidate_id == Candidate.id, JobFit.job_template_id == job.id), isouter=True)
            .where(*filters))
    has_resume = col(Candidate.resume_text).is_not(None)
    rows = session.exec(base.order_by(col(JobFit.score).desc().nulls_last(), col(Candidate.name), col(Candidate.id))
                        .offset(offset).limit(limit)).all()
    total, with_resume, fitted = session.exec(
        select(func.count(), func.count().filter(has_resume),
               func.count(JobFit.id).filter(fresh, has_resume))
        .select_from(Candidate)
        .join(JobFit, and_(JobFit.candidate_id == Candidate.id, JobFit.job_template_id == job.id), isouter=True)
        .where(*filters)).one()
    pending = with_resume - fitted
    if pending:
        request_refresh(job.id)
    english = matching.is_english(job_text(session, job))
    items = []
    for cid, name, email, status, with_text, fit in rows:
        public = _fit_public(fit) if fit is not None and fit.matcher_version == MATCHER_VERSION else None
        items.append({"candidate_id": str(cid), "name": name, "email": email, "status": status.value,
                      "has_resume": bool(with_text), "fit": public})
    return {"job_id": str(job.id), "job_title": job.title, "items": items, "total": total,
            "with_resume": with_resume, "pending": pending, "job_supported": english,
            "note": SCREENING_NOTE}


def fit_for_candidate(session: Session, actor: Actor, candidate_id: uuid.UUID) -> dict[str, Any] | None:
    """The candidate's fit to their job with its reasons (None when there is no job or resume)."""
    cand = get_candidate(session, actor, candidate_id)
    if cand.job_template_id is None:
        return None
    fit = session.exec(select(JobFit).where(JobFit.candidate_id == cand.id,
                                            JobFit.job_template_id == cand.job_template_id,
                                            JobFit.matcher_version == MATCHER_VERSION)).first()
    return _fit_public(fit)


def scores_for(session: Session, candidate_ids: list[uuid.UUID]) -> dict[uuid.UUID, float | None]:
    """Fit scores of candidates to their own job, for list columns (ids already tenancy-checked)."""
    if not candidate_ids:
        return {}
    rows = session.exec(select(JobFit.candidate_id, JobFit.score)
                        .join(Candidate, and_(Candidate.id == JobFit.candidate_id,
                                              Candidate.job_template_id == JobFit.job_template_id))
                        .where(col(JobFit.candidate_id).in_(candidate_ids),
                               JobFit.matcher_version == MATCHER_VERSION)).all()
    return {cid: (None if score < 0 else score) for cid, score in rows}
