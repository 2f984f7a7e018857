"""A candidate's rights over their data: a copy of everything kept about them (access), and erasure.

``export_my_data`` / ``erase_me`` act on the signed-in candidate's own records across every
company that has them (``candidates.user_id``); ``services/privacy_links.py`` uses the same
``export_records`` / ``erase_records`` for one company's records of an email address, through an
emailed link (candidates without an account). Erasure removes the person and keeps the facts
aggregates need:

* names, email and phone become an anonymous label; the account (if any) is closed;
* resumes (files and text), ATS checks, job fits, interview words, detailed AI reports,
  integrity signals, accommodation requests, outstanding privacy links and the bodies of emails
  sent to them are deleted;
* what stays: each interview's status, dates, verdict and score, and the pipeline stages, so
  dashboards and the adverse-impact report still count the application (without a person
  behind it);
* the audit log records the erasure (counts only) and loses the email addresses it held.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy import false as sa_false
from sqlmodel import Session, col, select

from interviewer.core import errors as E
from interviewer.core.security import hash_password, new_opaque_token, utcnow
from interviewer.models import (
    AuditLog,
    Candidate,
    Company,
    EmailMessage,
    IntegritySignal,
    Interview,
    InterviewScore,
    JobTemplate,
    ResumeCheck,
    TranscriptEntry,
    User,
    UserRole,
)
from interviewer.models.fit import JobFit, ResumeProfile
from interviewer.models.rights import AccommodationRequest, PrivacyLink
from interviewer.services import audit, storage
from interviewer.services.accommodations import ACTION as ACCOMMODATION_ACTION
from interviewer.services.auth import revoke_all_for_user
from interviewer.services.authz import Actor

ERASED_NAME = "Erased candidate"


def _require_candidate(actor: Actor) -> None:
    if actor.role != UserRole.CANDIDATE:
        raise E.PermissionDeniedError("Only a candidate can export or erase their own data here.",
                                      code=E.PERM_DENIED)


def _records(session: Session, actor: Actor) -> list[Candidate]:
    return list(session.exec(select(Candidate).where(Candidate.user_id == actor.id)))


def _in(ids: list) -> list:
    """``ids`` for an IN clause that matches nothing when empty (no ``IN ()``)."""
    return ids or [uuid.uuid4()]


def export_records(session: Session, records: list[Candidate], *, mails: list[EmailMessage],
                   account: User | None = None, user_id: uuid.UUID | None = None) -> dict[str, Any]:
    """The export document of ``records`` (candidate rows), the ``mails`` sent to the person and,
    with an account, the account itself and its own resume checks. One shape for the signed-in
    candidate and for the by-link request (``services/privacy_links.py``)."""
    ids = [c.id for c in records]
    interviews = list(session.exec(select(Interview).where(col(Interview.candidate_id).in_(ids)))) if ids else []
    words: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for e in session.exec(select(TranscriptEntry).where(col(TranscriptEntry.interview_id).in_([i.id for i in interviews]))
                          .order_by(TranscriptEntry.seq)) if interviews else []:
        words.setdefault(e.interview_id, []).append({"speaker": e.speaker, "kind": e.kind, "text": e.text})
    owner = ResumeCheck.user_id == user_id if user_id else sa_false()
    checks = session.exec(select(ResumeCheck).where(owner | col(ResumeCheck.candidate_id).in_(_in(ids)))).all()
    requests: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for r in session.exec(select(AccommodationRequest).where(col(AccommodationRequest.candidate_id).in_(_in(ids)))
                          .order_by(col(AccommodationRequest.created_at))):
        requests.setdefault(r.candidate_id, []).append({
            "kind": r.kind, "message": r.message, "status": r.status.value, "answer": r.answer,
            "created_at": r.created_at.isoformat(), "answered_at": r.answered_at.isoformat() if r.answered_at else None})
    names = {c.id: c.name for c in session.exec(select(Company).where(col(Company.id).in_(
        _in([r.company_id for r in records]))))}
    jobs = {j.id: j.title for j in session.exec(select(JobTemplate).where(col(JobTemplate.id).in_(_in(
        [r.job_template_id for r in records if r.job_template_id]
        + [i.job_template_id for i in interviews if i.job_template_id]))))}
    return {
        "exported_at": utcnow().isoformat(),
        "account": ({"name": account.name, "email": account.email, "created_at": account.created_at.isoformat()}
                    if account else None),
        "applications": [{
            "company": names.get(c.company_id, ""), "job": jobs.get(c.job_template_id, "") if c.job_template_id else "",
            "name": c.name, "email": c.email, "phone": c.phone, "status": c.status.value, "source": c.source,
            "created_at": c.created_at.isoformat(), "resume_text": c.resume_text,
            "interviews": [{
                "job": jobs.get(i.job_template_id, ""), "status": i.status.value,
                "scheduled_at": i.scheduled_at.isoformat() if i.scheduled_at else None,
                "completed_at": i.completed_at.isoformat() if i.completed_at else None,
                "score": i.score, "verdict": i.verdict.value if i.verdict else None,
                "human_decision": i.verdict_override.value if i.verdict_override else None,
                "report": i.ai_report, "transcript": words.get(i.id, []),
            } for i in interviews if i.candidate_id == c.id],
            "accommodation_requests": requests.get(c.id, []),
        } for c in records],
        "resume_checks": [{"filename": r.filename, "created_at": r.created_at.isoformat(), "score": r.score,
                           "result": r.result} for r in checks],
        "emails": [{"subject": m.subject, "sent_at": m.created_at.isoformat(), "body": m.body_text} for m in mails],
    }


def export_my_data(session: Session, actor: Actor) -> dict[str, Any]:
    """Everything kept about the signed-in candidate, as one JSON-ready document."""
    _require_candidate(actor)
    user = session.get(User, actor.id)
    records = _records(session, actor)
    mails = session.exec(select(EmailMessage).where(EmailMessage.to_address == user.email)
                         .order_by(col(EmailMessage.created_at))).all()
    data = export_records(session, records, mails=list(mails), account=user, user_id=actor.id)
    audit.record(session, actor=actor, action="candidate.data_exported", entity_type="user", entity_id=actor.id,
                 company_id=None, details={"records": len(records),
                                           "interviews": sum(len(a["interviews"]) for a in data["applications"])})
    return data


def erase_records(session: Session, records: list[Candidate], *, email: str, mails: list[EmailMessage],
                  user_id: uuid.UUID | None = None) -> dict[str, int]:
    """Erase the person behind ``records`` (see the module docstring) and the ``mails`` sent to
    ``email``; with ``user_id``, also the account's own resume checks and its audit entries. The
    caller closes the account (``erase_me``) and writes the ``candidate.erased`` entries. One rule
    for the signed-in candidate and the by-link request (``services/privacy_links.py``)."""
    ids = [c.id for c in records]
    interview_ids = list(session.exec(select(Interview.id).where(col(Interview.candidate_id).in_(ids)))) if ids else []
    counts = {"applications": len(records), "interviews": len(interview_ids), "transcript_entries": 0,
              "resumes": 0, "emails": 0, "accommodation_requests": 0}
    files: list[str | None] = []
    if interview_ids:
        counts["transcript_entries"] = session.execute(
            delete(TranscriptEntry).where(col(TranscriptEntry.interview_id).in_(interview_ids))).rowcount or 0
        session.execute(delete(IntegritySignal).where(col(IntegritySignal.interview_id).in_(interview_ids)))
        session.execute(update(Interview).where(col(Interview.id).in_(interview_ids))
                        .values(ai_report=None, override_reason=None))
        session.execute(update(InterviewScore).where(col(InterviewScore.interview_id).in_(interview_ids))
                        .values(report={"erased": True}, reason=None))
    owner = ResumeCheck.user_id == user_id if user_id else sa_false()
    checks = session.exec(select(ResumeCheck).where(owner | col(ResumeCheck.candidate_id).in_(_in(ids)))).all()
    for check in checks:
        files.extend((check.file_path or "").split("|"))
        check.file_path, check.result, check.measures, check.job_description = "", None, None, None
        check.filename = "erased"
        session.add(check)
    for cand in records:
        counts["resumes"] += bool(cand.resume_url or cand.resume_text)
        files.append(cand.resume_url)
        cand.name, cand.email, cand.phone = ERASED_NAME, f"erased-{cand.id.hex}@erased.invalid", None
        cand.resume_url = cand.resume_text = cand.source = None
        cand.user_id = None
        session.add(cand)
    if ids:
        session.execute(delete(ResumeProfile).where(col(ResumeProfile.candidate_id).in_(ids)))
        session.execute(delete(JobFit).where(col(JobFit.candidate_id).in_(ids)))
        # The requests hold the person's own words (and HR's answer to them): the task goes too.
        counts["accommodation_requests"] = session.execute(
            delete(AccommodationRequest).where(col(AccommodationRequest.candidate_id).in_(ids))).rowcount or 0
    for mail in mails:
        mail.to_address, mail.body_text, mail.body_html, mail.attachments = "erased@erased.invalid", "[erased]", None, []
        session.add(mail)
    counts["emails"] = len(mails)
    # Outstanding by-link requests name the address: they go (a link is useless after erasure).
    session.execute(delete(PrivacyLink).where(col(PrivacyLink.company_id).in_(_in([c.company_id for c in records])),
                                              PrivacyLink.email == email.lower()))
    # The audit trail keeps what happened, not who it was.
    entities = [str(x) for x in (*ids, *interview_ids, *([user_id] if user_id else []))]
    for row in session.exec(select(AuditLog).where(col(AuditLog.entity_id).in_(entities or ["-"]))):
        details = dict(row.details or {})
        if row.action == ACCOMMODATION_ACTION and "message" in details:
            details["message"] = "[erased]"
        details = {k: ("[erased]" if email.lower() in str(v).lower() else v) for k, v in details.items()}
        if details != row.details:
            row.details = details
            session.add(row)
    storage.delete_after_commit(session, [f for f in files if f])
    return counts


def erase_me(session: Session, actor: Actor, *, confirm_email: str) -> dict[str, int]:
    """Erase the signed-in candidate (see the module docstring). ``confirm_email`` must be the
    account's email address: the request is deliberate."""
    _require_candidate(actor)
    user = session.get(User, actor.id, with_for_update=True)
    if user is None or (confirm_email or "").strip().lower() != user.email.lower():
        raise E.ValidationError("Type your account's email address to confirm the erasure.", code="ERASE_422")
    email = user.email
    records = _records(session, actor)
    mails = list(session.exec(select(EmailMessage).where(EmailMessage.to_address == email)).all())
    counts = erase_records(session, records, email=email, mails=mails, user_id=user.id)
    user.name, user.email = ERASED_NAME, f"erased-{user.id.hex}@erased.invalid"
    user.password_hash = hash_password(new_opaque_token())
    user.is_active = False
    session.add(user)
    revoke_all_for_user(session, user.id)  # refresh tokens; the session cache drops the changed user itself
    for company_id in {c.company_id for c in records} or {None}:
        audit.record(session, actor=None, action="candidate.erased", entity_type="user", entity_id=user.id,
                     company_id=company_id, details=counts)
    return counts
