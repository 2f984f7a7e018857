"""Job templates and their interview questions (spec 4.2.4, 4.2.5, 5.5).

HR and admins write; employees read; candidates have no access. Questions are kept in a dense
0-based ``position`` order per job. Every write bumps the company's job-listing cache version.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from interviewer.core import errors as E
from interviewer.core.wording import noun, plural
from interviewer.db import escape_like
from interviewer.jobs import queue as job_queue
from interviewer.models import Company, Interview, InterviewStatus, JobTemplate, Question
from interviewer.models.job import DEFAULT_AI_MODEL
from interviewer.services import audit, cache
from interviewer.services.authz import Actor, get_in_tenant
from interviewer.services.question_order import job_questions

JOB_NOT_FOUND = "JOB_404"
JOB_IN_USE = "JOB_409"
QUESTION_NOT_FOUND = "QUESTION_404"
QUESTION_LIMIT = "QUESTION_409"
REORDER_MISMATCH = "QUESTION_422"
MAX_QUESTIONS_PER_JOB = 100
OPEN_INTERVIEW_STATUSES = (InterviewStatus.SCHEDULED, InterviewStatus.IN_PROGRESS)

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]
AiModel = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100,
                                           pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")]
QuestionText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
KeyPoint = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
RedFlag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
RED_FLAGS_HELP = ("Common wrong ideas about the key points, each as a candidate would state it (\"Adding an index "
                  "makes inserts faster too.\"). An answer that states one is read as contradicting the key point "
                  "it is about (AI provider) or makes that point doubtful for a person to check (offline).")
Weight = Annotated[int, Field(ge=1, le=10)]
Position = Annotated[int, Field(ge=0, le=MAX_QUESTIONS_PER_JOB)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class JobCreate(_Request):
    title: Title
    description: LongText | None = None
    ai_prompt: LongText | None = None
    ai_model: AiModel = DEFAULT_AI_MODEL
    company_id: uuid.UUID | None = Field(default=None, description="System admin only")


class JobUpdate(_Request):
    title: Title | None = None
    description: LongText | None = None
    ai_prompt: LongText | None = None
    ai_model: AiModel | None = None


class JobPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    company_id: uuid.UUID
    created_by: uuid.UUID | None
    title: str
    description: str | None
    ai_prompt: str | None
    ai_model: str
    question_count: int = 0
    created_at: datetime
    updated_at: datetime | None = None


class QuestionCreate(_Request):
    text: QuestionText
    weight: Weight = 1
    position: Position | None = Field(default=None, description="Insert here; omitted = append")
    key_points: list[KeyPoint] = Field(default_factory=list, max_length=10)
    red_flags: list[RedFlag] = Field(default_factory=list, max_length=10, description=RED_FLAGS_HELP)


class QuestionUpdate(_Request):
    text: QuestionText | None = None
    weight: Weight | None = None
    position: Position | None = None
    key_points: list[KeyPoint] | None = Field(default=None, max_length=10)
    red_flags: list[RedFlag] | None = Field(default=None, max_length=10, description=RED_FLAGS_HELP)


class QuestionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    job_template_id: uuid.UUID
    text: str
    weight: int
    position: int
    key_points: list[str]
    red_flags: list[str] = Field(default_factory=list)
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime | None = None


class QuestionReorder(_Request):
    ids: list[uuid.UUID] = Field(max_length=MAX_QUESTIONS_PER_JOB)


JOB_FIELDS = set(JobPublic.model_fields)


# --- job templates ------------------------------------------------------------------------------

def get_job(session: Session, actor: Actor, job_id: uuid.UUID) -> JobTemplate:
    actor.require("jobs:read", "jobs:write")
    return get_in_tenant(session, JobTemplate, job_id, actor, what="Job template", code=JOB_NOT_FOUND)


def _question_count(session: Session, job_id: uuid.UUID) -> int:
    return session.exec(select(func.count()).select_from(Question).where(Question.job_template_id == job_id)).one()


def job_public(session: Session, job: JobTemplate) -> JobPublic:
    out = JobPublic.model_validate(job)
    out.question_count = _question_count(session, job.id)
    return out


def list_jobs(session: Session, actor: Actor, *, page: int = 1, per_page: int = 20, search: str | None = None,
              company_id: uuid.UUID | None = None) -> dict[str, Any]:
    """One page of job templates as JSON-ready dicts: {"jobs": [...], "total": n}. Cached 5 minutes
    per company and query; a system admin without ``company_id`` sees every company (uncached)."""
    actor.require("jobs:read", "jobs:write")
    target = actor.company_param(company_id)
    if target is None and not actor.is_admin:
        raise E.PermissionDeniedError("You do not have permission to do this.", code=E.PERM_DENIED)
    term = (search or "").strip().lower()

    def load() -> dict[str, Any]:
        filters = [JobTemplate.company_id == target] if target else []
        if term:
            filters.append(func.lower(JobTemplate.title).like(f"%{escape_like(term)}%", escape="\\"))
        total = session.exec(select(func.count()).select_from(JobTemplate).where(*filters)).one()
        counts = (select(Question.job_template_id, func.count().label("n"))
                  .group_by(Question.job_template_id).subquery())
        rows = session.exec(
            select(JobTemplate, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.job_template_id == JobTemplate.id)
            .where(*filters)
            .order_by(col(JobTemplate.created_at).desc(), JobTemplate.id)
            .offset((page - 1) * per_page).limit(per_page)
        ).all()
        jobs = []
        for job, n in rows:
            item = JobPublic.model_validate(job)
            item.question_count = int(n)
            jobs.append(item.model_dump(mode="json"))
        return {"jobs": jobs, "total": total}

    if target is None:
        return load()
    key = cache.versioned_key(cache.JOBS_NAMESPACE, target, {"page": page, "per_page": per_page, "search": term})
    return cache.get_or_set(key, cache.JOB_LIST_TTL, load)


def create_job(session: Session, actor: Actor, data: JobCreate) -> JobTemplate:
    actor.require("jobs:write")
    company_id = actor.company_param(data.company_id)
    if company_id is None:
        raise E.ValidationError("company_id is required.", code=E.COMPANY_NOT_FOUND)
    if actor.is_admin and session.get(Company, company_id) is None:
        raise E.NotFoundError("Company not found.", code=E.COMPANY_NOT_FOUND)
    job = JobTemplate(company_id=company_id, created_by=actor.id, title=data.title, description=data.description,
                      ai_prompt=data.ai_prompt, ai_model=data.ai_model)
    session.add(job)
    session.flush()
    audit.record(session, actor=actor, action="job.create", entity_type="job_template", entity_id=job.id,
                 company_id=company_id, details={"title": job.title})
    cache.invalidate_jobs(session, company_id)
    return job


def update_job(session: Session, actor: Actor, job_id: uuid.UUID, data: JobUpdate) -> JobTemplate:
    actor.require("jobs:write")
    job = get_job(session, actor, job_id)
    changes = data.model_dump(exclude_unset=True)
    for key, value in changes.items():
        if value is None and key in ("title", "ai_model"):
            continue  # required columns: null means "leave as is"
        setattr(job, key, value)
    session.add(job)
    session.flush()
    audit.record(session, actor=actor, action="job.update", entity_type="job_template", entity_id=job.id,
                 company_id=job.company_id, details={"fields": sorted(changes)})
    cache.invalidate_jobs(session, job.company_id)
    if {"title", "description"} & set(changes):  # what the job fit reads
        job_queue.enqueue_after_commit(session, "refresh_job_fits", str(job.id))
    return job


def delete_job(session: Session, actor: Actor, job_id: uuid.UUID) -> None:
    """Deletes the template and its questions; refused while interviews for it are still open."""
    actor.require("jobs:write")
    job = get_job(session, actor, job_id)
    open_count = session.exec(
        select(func.count()).select_from(Interview).where(
            Interview.job_template_id == job.id, col(Interview.status).in_(OPEN_INTERVIEW_STATUSES))
    ).one()
    if open_count:
        raise E.ConflictError(f"This job has {plural(open_count, 'scheduled interview')}; cancel or finish "
                              f"{noun(open_count, 'it', 'them')} first.",
                              code=JOB_IN_USE)
    session.exec(delete(Question).where(Question.job_template_id == job.id))
    session.delete(job)
    audit.record(session, actor=actor, action="job.delete", entity_type="job_template", entity_id=job_id,
                 company_id=job.company_id, details={"title": job.title})
    cache.invalidate_jobs(session, job.company_id)


# --- questions ----------------------------------------------------------------------------------

def _ordered(session: Session, job_id: uuid.UUID) -> list[Question]:
    return job_questions(session, job_id)


def _renumber(session: Session, questions: list[Question]) -> None:
    for index, question in enumerate(questions):
        if question.position != index:
            question.position = index
            session.add(question)


def list_questions(session: Session, actor: Actor, job_id: uuid.UUID) -> list[Question]:
    job = get_job(session, actor, job_id)
    return _ordered(session, job.id)


def get_question(session: Session, actor: Actor, job_id: uuid.UUID,
                 question_id: uuid.UUID) -> tuple[JobTemplate, Question]:
    job = get_job(session, actor, job_id)
    question = session.get(Question, question_id)
    if question is None or question.job_template_id != job.id:
        raise E.NotFoundError("Question not found.", code=QUESTION_NOT_FOUND)
    return job, question


def _lock_job(session: Session, job: JobTemplate) -> None:
    """Serialise question writes of one job (positions are read-modify-write)."""
    session.get(JobTemplate, job.id, with_for_update=True, populate_existing=True)


def add_question(session: Session, actor: Actor, job_id: uuid.UUID, data: QuestionCreate) -> Question:
    actor.require("jobs:write")
    job = get_job(session, actor, job_id)
    _lock_job(session, job)
    questions = _ordered(session, job.id)
    if len(questions) >= MAX_QUESTIONS_PER_JOB:
        raise E.ConflictError(f"A job can have at most {MAX_QUESTIONS_PER_JOB} questions.", code=QUESTION_LIMIT)
    question = Question(job_template_id=job.id, text=data.text, weight=data.weight, key_points=list(data.key_points),
                        red_flags=list(data.red_flags), created_by=actor.id, position=len(questions))
    session.add(question)
    at = len(questions) if data.position is None else min(data.position, len(questions))
    questions.insert(at, question)
    _renumber(session, questions)
    session.flush()
    _touch(session, actor, job, "question.create", question.id)
    return question


def update_question(session: Session, actor: Actor, job_id: uuid.UUID, question_id: uuid.UUID,
                    data: QuestionUpdate) -> Question:
    actor.require("jobs:write")
    job, question = get_question(session, actor, job_id, question_id)
    _lock_job(session, job)
    changes = data.model_dump(exclude_unset=True)
    for key in ("text", "weight", "key_points", "red_flags"):
        if changes.get(key) is not None:
            setattr(question, key, list(changes[key]) if key in ("key_points", "red_flags") else changes[key])
    session.add(question)
    if changes.get("position") is not None:
        questions = [q for q in _ordered(session, job.id) if q.id != question.id]
        questions.insert(min(changes["position"], len(questions)), question)
        _renumber(session, questions)
    session.flush()
    _touch(session, actor, job, "question.update", question.id)
    return question


def delete_question(session: Session, actor: Actor, job_id: uuid.UUID, question_id: uuid.UUID) -> None:
    actor.require("jobs:write")
    job, question = get_question(session, actor, job_id, question_id)
    _lock_job(session, job)
    session.delete(question)
    session.flush()
    _renumber(session, _ordered(session, job.id))
    _touch(session, actor, job, "question.delete", question_id)


def reorder_questions(session: Session, actor: Actor, job_id: uuid.UUID, ids: list[uuid.UUID]) -> list[Question]:
    """Set the order; ``ids`` must be exactly the job's question ids, each once."""
    actor.require("jobs:write")
    job = get_job(session, actor, job_id)
    _lock_job(session, job)
    questions = {q.id: q for q in _ordered(session, job.id)}
    if len(ids) != len(set(ids)) or set(ids) != set(questions):
        raise E.ValidationError("ids must list every question of this job exactly once.", code=REORDER_MISMATCH)
    ordered = [questions[i] for i in ids]
    _renumber(session, ordered)
    session.flush()
    _touch(session, actor, job, "question.reorder", job.id)
    return ordered


def _touch(session: Session, actor: Actor, job: JobTemplate, action: str, entity_id: uuid.UUID) -> None:
    audit.record(session, actor=actor, action=action, entity_type="question", entity_id=entity_id,
                 company_id=job.company_id, details={"job_template_id": str(job.id)})
    cache.invalidate_jobs(session, job.company_id)
    job_queue.enqueue_after_commit(session, "refresh_job_fits", str(job.id))  # questions feed the job fit
