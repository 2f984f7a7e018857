"""Candidates (spec 5.4, 6.3): tenant-scoped CRUD, search, assignment, invitations and resumes.

Who sees what: HR and admins (``candidates:read``/``candidates:write``) every candidate of their
company; employees (``candidates:read_assigned``) only those assigned to them - anything else is
404, exactly like another company's id; candidates only their own rows (``list_my_candidates``).
Emails are stored lower-cased (every writer normalises), which keeps search and uniqueness simple.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlalchemy import and_, delete, func, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from interviewer.core import errors as E
from interviewer.db import email_domain, escape_like
from interviewer.jobs import queue as job_queue
from interviewer.models import Candidate, CandidateStatus, JobTemplate, ResumeCheck, User, UserRole
from interviewer.models.fit import JobFit
from interviewer.services import audit, pipeline, storage
from interviewer.services.ai.offline.matching import MATCHER_VERSION
from interviewer.services.auth import (
    find_user_by_email,
    issue_account_link,
    normalize_email,
    notify_existing_account,
    unusable_password_hash,
)
from interviewer.services.authz import Actor, get_in_tenant
from interviewer.services.availability import as_utc
from interviewer.services.candidate_schemas import CandidateCreate, CandidateUpdate

log = logging.getLogger("interviewer.candidates")

CAND_NOT_FOUND = pipeline.CAND_NOT_FOUND
CAND_EMAIL_TAKEN = "CAND_409"
CAND_BAD_ASSIGNEE = "CAND_422"
CAND_BAD_JOB = "CAND_423"
CAND_NEEDS_COMPANY = "CAND_424"
CAND_INVITE_CONFLICT = "CAND_425"
ASSIGNABLE_ROLES = (UserRole.HR, UserRole.EMPLOYEE)
SORTABLE = {"name": func.lower(Candidate.name), "email": col(Candidate.email),
            "created_at": col(Candidate.created_at), "status": col(Candidate.status),
            "fit": col(JobFit.score)}  # the fit of the resume to the candidate's own job (job_fit)


# --------------------------------------------------------------------------- visibility

def sees_all(actor: Actor) -> bool:
    return actor.can("candidates:read") or actor.can("candidates:write")


def scope_filters(actor: Actor, company_id: uuid.UUID | None = None) -> list:
    """The WHERE clauses limiting a query to what ``actor`` may read (403 when nothing)."""
    if company_id is not None:
        actor.company_param(company_id)  # another company named by a non-admin: refused
    if sees_all(actor):
        if actor.is_admin:
            return [Candidate.company_id == company_id] if company_id else []
        return [Candidate.company_id == actor.company_id]
    if actor.can("candidates:read_assigned") and actor.company_id is not None:
        return [Candidate.company_id == actor.company_id, Candidate.assigned_to == actor.id]
    raise E.PermissionDeniedError("You do not have permission to see candidates.", code=E.PERM_DENIED)


def get_candidate(session: Session, actor: Actor, candidate_id: uuid.UUID) -> Candidate:
    """A candidate the actor may read; others' (and other companies') answer 404."""
    scope_filters(actor)
    cand = get_in_tenant(session, Candidate, candidate_id, actor, what="Candidate", code=CAND_NOT_FOUND)
    if not sees_all(actor) and cand.assigned_to != actor.id:
        raise E.NotFoundError("Candidate not found.", code=CAND_NOT_FOUND)
    return cand


def get_for_write(session: Session, actor: Actor, candidate_id: uuid.UUID) -> Candidate:
    actor.require("candidates:write")
    return get_in_tenant(session, Candidate, candidate_id, actor, what="Candidate", code=CAND_NOT_FOUND)


TRIGRAM = 3  # the shortest term a pg_trgm index can serve as a substring (migration 0013)


def search_filter(term: str):
    """The WHERE clause of a candidate search for ``term`` (stripped, lower-cased, non-empty).

    - 3+ characters: any part of the name or the e-mail address ("tarev" finds "Natarevski").
    - With an "@" and something after it ("@globex", "lee@globex.test"): as above, and an address
      matches only if its domain starts with the part after the "@" (addresses have one "@": every
      writer validates them), an indexed prefix rather than a trigram search.
    - 1-2 characters (a trigram needs 3): the start of a word of the name, of the address or of
      its domain ("an" finds "Anna Ko", "Tom Andrews", "x@andersen.example"; not "Johanna").

    On PostgreSQL each branch is answered by a company-scoped index of migration 0013 (or 0004's
    prefix indexes); SQLite runs the same SQL as a scan."""
    name, email = func.lower(Candidate.name), col(Candidate.email)
    text = escape_like(term)
    _, at, domain = term.partition("@")
    if at and domain and "@" not in domain:
        # ``email || ''`` rechecks the whole term without offering the trigram index, whose
        # common trigrams ("com", "exa") would cost more than the domain's B-tree range.
        return or_(name.like(f"%{text}%", escape="\\"),
                   and_(email_domain(email).like(f"{escape_like(domain)}%", escape="\\"),
                        email.concat("").like(f"%{text}%", escape="\\")))
    if len(term) < TRIGRAM:
        return or_(name.like(f"{text}%", escape="\\"), name.like(f"% {text}%", escape="\\"),
                   email.like(f"{text}%", escape="\\"), email_domain(email).like(f"{text}%", escape="\\"))
    return or_(name.like(f"%{text}%", escape="\\"), email.like(f"%{text}%", escape="\\"))


def list_candidates(
    session: Session,
    actor: Actor,
    *,
    page: int = 1,
    per_page: int = 20,
    status: CandidateStatus | None = None,
    job_template_id: uuid.UUID | None = None,
    assigned_to: uuid.UUID | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    search: str | None = None,
    sort: str = "created_at",
    descending: bool = True,
    company_id: uuid.UUID | None = None,
) -> tuple[list[Candidate], int]:
    """One page plus the total. ``search`` is a case-insensitive part of the name or e-mail
    (a last name, an e-mail domain; word starts for 1-2 characters: ``search_filter``), served on
    PostgreSQL by company-scoped indexes (migration 0013); ``created_to`` is exclusive."""
    filters = scope_filters(actor, company_id)
    if status is not None:
        filters.append(Candidate.status == status)
    if job_template_id is not None:
        filters.append(Candidate.job_template_id == job_template_id)
    if assigned_to is not None:
        filters.append(Candidate.assigned_to == assigned_to)
    if created_from is not None:
        filters.append(col(Candidate.created_at) >= as_utc(created_from))
    if created_to is not None:
        filters.append(col(Candidate.created_at) < as_utc(created_to))
    term = (search or "").strip().lower()
    if term:
        filters.append(search_filter(term))
    if sort not in SORTABLE:
        raise E.ValidationError(f"Cannot sort by {sort!r}; use one of {', '.join(SORTABLE)}.", code="VAL_002")
    order = SORTABLE[sort]
    offset = (page - 1) * per_page
    query = select(Candidate).options(defer(Candidate.resume_text)).where(*filters)
    if sort == "fit":  # candidates without a computed fit come last either way
        query = query.join(JobFit, and_(JobFit.candidate_id == Candidate.id,
                                        JobFit.job_template_id == Candidate.job_template_id,
                                        JobFit.matcher_version == MATCHER_VERSION), isouter=True)
        order = order.desc().nulls_last() if descending else order.asc().nulls_last()
    else:
        order = order.desc() if descending else order.asc()
    rows = session.exec(
        query.order_by(order, col(Candidate.id).desc() if descending else col(Candidate.id).asc())
        .offset(offset).limit(per_page)
    ).all()
    if 0 < len(rows) < per_page or (page == 1 and not rows):
        total = offset + len(rows)  # the last page: no COUNT(*) needed
    else:
        total = session.exec(select(func.count()).select_from(Candidate).where(*filters)).one()
    return list(rows), total


def list_my_candidates(session: Session, actor: Actor) -> list[Candidate]:
    """A candidate user's own records (one per company that has them)."""
    return list(session.exec(
        select(Candidate).where(Candidate.user_id == actor.id).order_by(col(Candidate.created_at).desc())
    ))


# --------------------------------------------------------------------------- create / update / delete

def check_assignee(session: Session, user_id: uuid.UUID | None, company_id: uuid.UUID) -> None:
    if user_id is None:
        return
    user = session.get(User, user_id)
    if user is None or user.company_id != company_id or user.role not in ASSIGNABLE_ROLES or not user.is_active:
        raise E.ValidationError("assigned_to must be an active employee or HR user of this company.",
                                code=CAND_BAD_ASSIGNEE)


def check_job(session: Session, job_template_id: uuid.UUID | None, company_id: uuid.UUID) -> None:
    if job_template_id is None:
        return
    job = session.get(JobTemplate, job_template_id)
    if job is None or job.company_id != company_id:
        raise E.ValidationError("job_template_id must be a job of this company.", code=CAND_BAD_JOB)


def _check_email_free(session: Session, company_id: uuid.UUID, email: str, exclude: uuid.UUID | None = None) -> None:
    other = session.exec(select(Candidate.id).where(Candidate.company_id == company_id, Candidate.email == email)).first()
    if other is not None and other != exclude:
        raise E.ConflictError("A candidate with this email already exists in this company.", code=CAND_EMAIL_TAKEN)


def _flush_unique(session: Session) -> None:
    """Flush; a concurrent insert of the same email (unique constraint) becomes a clean 409."""
    try:
        session.flush()
    except IntegrityError as exc:
        if "uq_candidates_company_email" in str(exc.orig) or "UNIQUE" in str(exc.orig):
            raise E.ConflictError("A candidate with this email already exists in this company.",
                                  code=CAND_EMAIL_TAKEN) from None
        raise


def create_candidate(session: Session, actor: Actor, data: CandidateCreate) -> Candidate:
    actor.require("candidates:write")
    company_id = actor.company_param(data.company_id)
    if company_id is None:
        raise E.ValidationError("company_id is required.", code=CAND_NEEDS_COMPANY)
    email = normalize_email(data.email)
    _check_email_free(session, company_id, email)
    check_assignee(session, data.assigned_to, company_id)
    check_job(session, data.job_template_id, company_id)
    cand = Candidate(company_id=company_id, email=email, name=data.name, phone=data.phone or None,
                     source=data.source or None, status=data.status, assigned_to=data.assigned_to,
                     job_template_id=data.job_template_id)
    session.add(cand)
    _flush_unique(session)
    pipeline.record_initial(session, cand, actor, "Created")
    audit.record(session, actor=actor, action="candidate.create", entity_type="candidate", entity_id=cand.id,
                 company_id=company_id, details={"email": email, "status": cand.status.value})
    return cand


def update_candidate(session: Session, actor: Actor, candidate_id: uuid.UUID, data: CandidateUpdate) -> Candidate:
    cand = get_for_write(session, actor, candidate_id)
    changes = data.model_dump(exclude_unset=True)
    for required in ("name", "email"):
        if required in changes and changes[required] is None:
            raise E.ValidationError(f"{required} cannot be empty.")
    if "email" in changes:
        changes["email"] = normalize_email(changes["email"])
        _check_email_free(session, cand.company_id, changes["email"], exclude=cand.id)
    if "assigned_to" in changes:
        check_assignee(session, changes["assigned_to"], cand.company_id)
    if "job_template_id" in changes:
        check_job(session, changes["job_template_id"], cand.company_id)
    moved = "job_template_id" in changes and changes["job_template_id"] != cand.job_template_id
    for key, value in changes.items():
        setattr(cand, key, value if value != "" else None)
    session.add(cand)
    _flush_unique(session)
    if moved:  # the job fit follows the candidate to their new job
        job_queue.enqueue_after_commit(session, "refresh_candidate_fit", str(cand.id))
    audit.record(session, actor=actor, action="candidate.update", entity_type="candidate", entity_id=cand.id,
                 company_id=cand.company_id, details={k: str(v) for k, v in changes.items()})
    return cand


def _check_files(session: Session, candidate_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Stored files of the candidates' ATS checks (the rows go with the candidate; the files must too)."""
    files: dict[uuid.UUID, list[str]] = {}
    for cid, path in session.exec(select(ResumeCheck.candidate_id, ResumeCheck.file_path)
                                  .where(col(ResumeCheck.candidate_id).in_(candidate_ids))):
        files.setdefault(cid, [])
        files[cid].extend(k for k in path.split("|") if k)
    return files


def delete_candidate(session: Session, actor: Actor, candidate_id: uuid.UUID) -> None:
    cand = get_for_write(session, actor, candidate_id)
    storage.delete_after_commit(session, [cand.resume_url, *_check_files(session, [cand.id]).get(cand.id, [])])
    session.delete(cand)
    audit.record(session, actor=actor, action="candidate.delete", entity_type="candidate", entity_id=candidate_id,
                 company_id=cand.company_id, details={"email": cand.email})


def bulk_delete(session: Session, actor: Actor, ids: list[uuid.UUID]) -> tuple[int, int]:
    """Delete many in one statement (one transaction). Ids of other companies (or unknown ones)
    are never touched and count as not found. Returns (deleted, not_found)."""
    actor.require("candidates:write")
    wanted = list(dict.fromkeys(ids))
    if len(wanted) > 1000:
        raise E.ValidationError("At most 1000 ids per request.")
    stmt = delete(Candidate).where(col(Candidate.id).in_(wanted))
    if not actor.is_admin:
        stmt = stmt.where(Candidate.company_id == actor.company_id)
    check_files = _check_files(session, wanted)
    rows = session.execute(stmt.returning(Candidate.id, Candidate.resume_url, Candidate.company_id)).all()
    deleted = {r.id for r in rows}
    storage.delete_after_commit(session, [r.resume_url for r in rows]
                                + [key for cid, keys in check_files.items() if cid in deleted for key in keys])
    for company_id in {r.company_id for r in rows}:
        audit.record(session, actor=actor, action="candidate.bulk_delete", entity_type="candidate", entity_id=None,
                     company_id=company_id,
                     details={"ids": [str(r.id) for r in rows if r.company_id == company_id]})
    return len(rows), len(wanted) - len(rows)


def assign_candidate(session: Session, actor: Actor, candidate_id: uuid.UUID, user_id: uuid.UUID | None) -> Candidate:
    cand = get_for_write(session, actor, candidate_id)
    check_assignee(session, user_id, cand.company_id)
    previous = cand.assigned_to
    cand.assigned_to = user_id
    session.add(cand)
    audit.record(session, actor=actor, action="candidate.assign", entity_type="candidate", entity_id=cand.id,
                 company_id=cand.company_id, details={"from": str(previous) if previous else None,
                                                      "to": str(user_id) if user_id else None})
    return cand


def change_status(session: Session, actor: Actor | None, candidate_id: uuid.UUID,
                  new_status: CandidateStatus | str, note: str | None = None) -> Candidate:
    """See :func:`interviewer.services.pipeline.change_status`."""
    return pipeline.change_status(session, actor, candidate_id, new_status, note)


def history(session: Session, actor: Actor, candidate_id: uuid.UUID):
    get_candidate(session, actor, candidate_id)
    return pipeline.list_history(session, candidate_id)


# --------------------------------------------------------------------------- candidate accounts

def invite_candidate(session: Session, actor: Actor, candidate_id: uuid.UUID) -> tuple[User, str]:
    """Give the candidate an account: an existing CANDIDATE user with the email is linked;
    otherwise one is created and a set-password link is emailed (re-sent while still unused).
    Returns (user, outcome) with outcome ``invited`` | ``resent`` | ``linked``."""
    cand = get_for_write(session, actor, candidate_id)
    user = find_user_by_email(session, cand.email)
    if user is not None and user.role != UserRole.CANDIDATE:
        # A staff account's address cannot be a candidate login. HR gets the ordinary "invited"
        # answer (whose accounts exist is not theirs to learn); the address's owner is told by email.
        company = (actor.profile or {}).get("company_name") or "a company"
        notify_existing_account(session, user, attempted=f"invite this address as a candidate of {company}")
        audit.record(session, actor=actor, action="candidate.invite", entity_type="candidate", entity_id=cand.id,
                     company_id=cand.company_id, details={"outcome": "refused_staff_email"})
        return User(email=cand.email, name=cand.name, role=UserRole.CANDIDATE, company_id=None,
                    password_hash=unusable_password_hash(), email_verified=False), "invited"
    if user is None:
        user = User(email=cand.email, name=cand.name, role=UserRole.CANDIDATE, company_id=None,
                    password_hash=unusable_password_hash(), email_verified=False)
        session.add(user)
        session.flush()
        issue_account_link(session, user, purpose="set_password")
        outcome = "invited"
    elif not user.email_verified and user.password_hash.startswith("!"):
        issue_account_link(session, user, purpose="set_password")
        outcome = "resent"
    else:
        outcome = "linked"
    cand.user_id = user.id
    session.add(cand)
    audit.record(session, actor=actor, action="candidate.invite", entity_type="candidate", entity_id=cand.id,
                 company_id=cand.company_id, details={"user_id": str(user.id), "outcome": outcome})
    return user, outcome


# --------------------------------------------------------------------------- resumes

def attach_resume(session: Session, actor: Actor, candidate_id: uuid.UUID, data: bytes, filename: str) -> Candidate:
    """Store a PDF/DOCX/TXT resume (type by magic bytes; 413/415 otherwise) and queue the text
    extraction. The previous file is removed once this change commits."""
    cand = get_for_write(session, actor, candidate_id)
    fmt = storage.sniff_resume(data, filename)  # validated as the ATS check validates, before storing
    key = storage.save(data, kind="resumes", company_id=cand.company_id, ext=fmt)
    storage.delete_after_rollback(session, key)
    storage.delete_after_commit(session, [cand.resume_url])
    cand.resume_url = key
    cand.resume_text = None  # the old text would describe the old file
    session.add(cand)
    job_queue.enqueue_after_commit(session, "extract_resume", str(cand.id))
    audit.record(session, actor=actor, action="candidate.resume", entity_type="candidate", entity_id=cand.id,
                 company_id=cand.company_id, details={"filename": (filename or "")[:255], "format": fmt,
                                                      "bytes": len(data)})
    return cand


def read_resume(session: Session, actor: Actor, candidate_id: uuid.UUID) -> tuple[bytes, str, str]:
    """(content, media type, download filename) of the candidate's resume."""
    cand = get_candidate(session, actor, candidate_id)
    if not cand.resume_url or not storage.exists(cand.resume_url):
        raise E.NotFoundError("This candidate has no resume.", code="FILE_404")
    ext = cand.resume_url.rsplit(".", 1)[-1]
    return storage.read(cand.resume_url), storage.RESUME_TYPES[ext], f"resume-{cand.id}.{ext}"


def extract_resume_text(session: Session, candidate_id: uuid.UUID) -> str:
    """The job's work: fill ``resume_text`` from the stored file. Returns ``done``, ``gone``
    (candidate or file removed meanwhile) or ``unreadable`` (the file has no extractable text;
    retrying cannot help, so no exception)."""
    from interviewer.services.ai.extract import ExtractionError, extract_text

    cand = session.get(Candidate, candidate_id)
    if cand is None or not cand.resume_url or not storage.exists(cand.resume_url):
        return "gone"
    key = cand.resume_url
    data = storage.read(key)
    try:
        text = extract_text(data, key.rsplit("/", 1)[-1], storage.RESUME_TYPES[key.rsplit(".", 1)[-1]]).text
    except ExtractionError as exc:
        log.warning("resume unreadable", extra={"metadata": {"candidate_id": str(candidate_id), "code": exc.code}})
        audit.record(session, actor=None, action="candidate.resume_unreadable", entity_type="candidate",
                     entity_id=candidate_id, company_id=cand.company_id,
                     details={"code": exc.code, "message": exc.message})
        return "unreadable"
    session.refresh(cand, with_for_update=True)
    if cand.resume_url != key:  # replaced while we read: the newer file's own job fills the text
        return "gone"
    cand.resume_text = text.replace("\x00", "")
    session.add(cand)
    job_queue.enqueue_after_commit(session, "refresh_candidate_fit", str(cand.id))  # a new resume, a new fit
    return "done"
