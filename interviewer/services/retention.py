"""Data retention: a per-company period after which interview and resume data are purged.

Stored in ``companies.settings["retention"]`` as days per category (``None`` keeps the data):

* ``transcripts``: the words said in an interview (transcript entries), counted from the
  interview's completion;
* ``audio_derived``: what was measured from the audio (speech ratio, recognition confidence,
  turn timings) and the integrity signals, counted from the interview's completion;
* ``reports``: the AI report of an interview and the earlier reports of its re-scores (evidence
  quotes, per-question judgements); the verdict, score and HR's decision stay so that pipeline and
  aggregate (bias-audit) figures keep working;
* ``resumes``: a candidate's resume file and text, their ATS check files and results and the job
  fit computed from it, counted from the candidate's last update;
* ``accommodations``: answered accommodation requests (the candidate's message, which may speak of
  their health, and HR's answer), counted from the answer; an open request is a task and stays.

The RQ job ``purge_expired_data`` runs daily (it re-queues itself) and records what it purged in
the audit log, per company and category."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.models import (
    AccommodationRequest,
    Candidate,
    Company,
    IntegritySignal,
    Interview,
    InterviewScore,
    ResumeCheck,
    TranscriptEntry,
)
from interviewer.models.fit import JobFit, ResumeProfile
from interviewer.services import audit, storage
from interviewer.services.authz import Actor
from interviewer.services.cache import company_settings, invalidate_company_settings

CATEGORIES = ("transcripts", "audio_derived", "reports", "resumes", "accommodations")
MIN_DAYS, MAX_DAYS = 30, 3650
PURGED_REPORT = {"purged": True}  # what an earlier report of a re-scored interview becomes


class RetentionPolicy(BaseModel):
    """Days to keep each kind of data (None: keep until deleted by hand)."""

    model_config = ConfigDict(extra="forbid")

    transcripts: int | None = Field(default=None, ge=MIN_DAYS, le=MAX_DAYS)
    audio_derived: int | None = Field(default=None, ge=MIN_DAYS, le=MAX_DAYS)
    reports: int | None = Field(default=None, ge=MIN_DAYS, le=MAX_DAYS)
    resumes: int | None = Field(default=None, ge=MIN_DAYS, le=MAX_DAYS)
    accommodations: int | None = Field(default=None, ge=MIN_DAYS, le=MAX_DAYS)

    @property
    def active(self) -> bool:
        return any(getattr(self, c) is not None for c in CATEGORIES)


def policy_of(session: Session, company_id: uuid.UUID) -> RetentionPolicy:
    stored = company_settings(session, company_id).get("retention") or {}
    try:
        return RetentionPolicy.model_validate(stored)
    except ValueError:
        return RetentionPolicy()


def get_policy(session: Session, actor: Actor, company_id: uuid.UUID | None = None) -> RetentionPolicy:
    actor.require("company:settings")
    return policy_of(session, _target(actor, company_id))


def update_policy(session: Session, actor: Actor, data: dict[str, Any],
                  company_id: uuid.UUID | None = None) -> RetentionPolicy:
    """Replace the company's retention periods (validated: 30-3650 days, or None)."""
    actor.require("company:settings")
    target = _target(actor, company_id)
    try:
        policy = RetentionPolicy.model_validate(data)
    except ValueError as exc:
        first = exc.errors()[0] if hasattr(exc, "errors") else {"loc": (), "msg": str(exc)}
        where = ".".join(map(str, first["loc"])) or "retention"
        raise E.ValidationError(f"Retention: {where}: {first['msg']}", code="RET_422") from None
    company = session.get(Company, target, with_for_update=True)
    if company is None:
        raise E.NotFoundError("Company not found.", code=E.COMPANY_NOT_FOUND)
    company.settings = {**(company.settings or {}), "retention": policy.model_dump()}
    session.add(company)
    invalidate_company_settings(target, session)
    audit.record(session, actor=actor, action="retention.update", entity_type="company", entity_id=target,
                 company_id=target, details=policy.model_dump())
    return policy


def _target(actor: Actor, company_id: uuid.UUID | None) -> uuid.UUID:
    target = actor.company_param(company_id)
    if target is None:
        raise E.ValidationError("company_id is required.")
    return target


# --------------------------------------------------------------------------- the purge (RQ job work)

def purge_company(session: Session, company_id: uuid.UUID, *, now: datetime | None = None) -> dict[str, int]:
    """Purge what the company's policy says has expired; returns counts per category (rows or
    files touched) and records them in the audit log when anything went."""
    policy = policy_of(session, company_id)
    now = now or utcnow()
    counts = dict.fromkeys(CATEGORIES, 0)
    if not policy.active:
        return counts
    done = select(Interview.id).where(Interview.company_id == company_id, col(Interview.completed_at).is_not(None))

    def finished_before(days: int):
        return done.where(col(Interview.completed_at) < now - timedelta(days=days))

    if policy.transcripts is not None:
        counts["transcripts"] = session.execute(
            delete(TranscriptEntry).where(col(TranscriptEntry.interview_id).in_(finished_before(policy.transcripts)))
        ).rowcount or 0
    if policy.audio_derived is not None:
        old = finished_before(policy.audio_derived)
        signals = session.execute(delete(IntegritySignal).where(col(IntegritySignal.interview_id).in_(old))).rowcount
        measured = session.execute(
            update(TranscriptEntry).where(col(TranscriptEntry.interview_id).in_(old),
                                          (col(TranscriptEntry.speech_ratio).is_not(None))
                                          | (col(TranscriptEntry.confidence).is_not(None))
                                          | (col(TranscriptEntry.latency).is_not(None)))
            .values(speech_ratio=None, confidence=None, latency=None)).rowcount
        counts["audio_derived"] = (signals or 0) + (measured or 0)
    if policy.reports is not None:
        old = finished_before(policy.reports)
        reports = session.execute(update(Interview).where(col(Interview.id).in_(old),
                                                          col(Interview.ai_report).is_not(None))
                                  .values(ai_report=None)).rowcount
        kept = [sid for sid, report in session.exec(select(InterviewScore.id, InterviewScore.report)
                                                       .where(col(InterviewScore.interview_id).in_(old)))
                if report != PURGED_REPORT]
        if kept:
            session.execute(update(InterviewScore).where(col(InterviewScore.id).in_(kept))
                            .values(report=PURGED_REPORT))
        counts["reports"] = (reports or 0) + len(kept)
    if policy.resumes is not None:
        counts["resumes"] = _purge_resumes(session, company_id, now - timedelta(days=policy.resumes))
    if policy.accommodations is not None:
        counts["accommodations"] = session.execute(delete(AccommodationRequest).where(
            AccommodationRequest.company_id == company_id, col(AccommodationRequest.answered_at).is_not(None),
            col(AccommodationRequest.answered_at) < now - timedelta(days=policy.accommodations))).rowcount or 0
    if any(counts.values()):
        audit.record(session, actor=None, action="retention.purged", entity_type="company", entity_id=company_id,
                     company_id=company_id, details={"counts": counts, "policy": policy.model_dump(),
                                                     "at": now.isoformat()})
    return counts


def _purge_resumes(session: Session, company_id: uuid.UUID, cutoff: datetime) -> int:
    stale = session.exec(select(Candidate).where(
        Candidate.company_id == company_id,
        (col(Candidate.resume_url).is_not(None)) | (col(Candidate.resume_text).is_not(None)),
        func.coalesce(Candidate.updated_at, Candidate.created_at) < cutoff)).all()
    if not stale:
        return 0
    ids = [c.id for c in stale]
    files = [c.resume_url for c in stale if c.resume_url]
    checks = session.exec(select(ResumeCheck).where(col(ResumeCheck.candidate_id).in_(ids))).all()
    for check in checks:
        files.extend(k for k in (check.file_path or "").split("|") if k)
        check.file_path, check.result, check.measures, check.job_description = "", None, None, None
        session.add(check)
    for cand in stale:
        cand.resume_url = cand.resume_text = None
        session.add(cand)
    session.execute(delete(ResumeProfile).where(col(ResumeProfile.candidate_id).in_(ids)))
    session.execute(delete(JobFit).where(col(JobFit.candidate_id).in_(ids)))
    storage.delete_after_commit(session, [f for f in files if f])
    return len(stale)


def companies_with_policy(session: Session) -> list[uuid.UUID]:
    return [c.id for c in session.exec(select(Company)) if (c.settings or {}).get("retention")]
