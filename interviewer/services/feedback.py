"""Feedback letters (optional per company): a short letter to the candidate drawn from the key points
their answers covered and missed, in plain language, which HR reads, edits and then sends.

The draft uses only the per-point judgements of the interview report: never the score, the
verdict, integrity signals or anything about the person. Nothing is sent without HR pressing
send; each letter sent is in the outbox and the audit log."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, col, select

from interviewer.core import errors as E
from interviewer.models import AuditLog, Candidate, Interview, InterviewStatus, JobTemplate
from interviewer.services import audit
from interviewer.services.ai.judgement import NOT_JUDGED_FLAGS
from interviewer.services.authz import Actor
from interviewer.services.cache import company_settings, invalidate_company_settings
from interviewer.services.email import queue_email

MAX_SUBJECT, MAX_BODY = 200, 8000
MAX_ITEMS = 4  # per list: a letter names a few things, not the whole rubric


def enabled(session: Session, company_id: uuid.UUID) -> bool:
    return bool((company_settings(session, company_id).get("feedback") or {}).get("enabled"))


def set_enabled(session: Session, actor: Actor, value: bool, company_id: uuid.UUID | None = None) -> bool:
    actor.require("company:settings")
    target = actor.company_param(company_id)
    if target is None:
        raise E.ValidationError("company_id is required.")
    from interviewer.models import Company

    company = session.get(Company, target, with_for_update=True)
    if company is None:
        raise E.NotFoundError("Company not found.", code=E.COMPANY_NOT_FOUND)
    company.settings = {**(company.settings or {}), "feedback": {"enabled": bool(value)}}
    session.add(company)
    invalidate_company_settings(target, session)
    audit.record(session, actor=actor, action="feedback.settings", entity_type="company", entity_id=target,
                 company_id=target, details={"enabled": bool(value)})
    return bool(value)


def _interview(session: Session, actor: Actor, interview_id: uuid.UUID) -> Interview:
    from interviewer.services.interviews import get_interview

    actor.require("verdicts:override")  # the people who decide on candidates write to them
    interview = get_interview(session, actor, interview_id)  # tenancy and scope
    if not enabled(session, interview.company_id):
        raise E.ConflictError("Feedback letters are off for this company; turn them on in the settings.",
                              code="FEEDBACK_409")
    if interview.status != InterviewStatus.COMPLETED or not interview.ai_report:
        raise E.ConflictError("A feedback letter needs a completed interview with its report.", code="FEEDBACK_409")
    return interview


def _plain(point: str) -> str:
    point = " ".join(point.split()).rstrip(".")
    return point[:1].lower() + point[1:] if point[:2] != point[:2].upper() else point


def draft(session: Session, actor: Actor, interview_id: uuid.UUID) -> dict[str, Any]:
    """A letter for HR to edit: strengths (key points covered), then things to develop (key points
    missed or only partly covered), from the interview's per-point judgements; an answer nobody
    judged (a story left to a person, another language) gives neither."""
    interview = _interview(session, actor, interview_id)
    candidate = session.get(Candidate, interview.candidate_id)
    job = session.get(JobTemplate, interview.job_template_id) if interview.job_template_id else None
    covered: list[str] = []
    develop: list[str] = []
    for item in interview.ai_report.get("questions") or []:
        if NOT_JUDGED_FLAGS & set(item.get("flags") or []):
            continue  # nobody judged it: its points were neither shown nor missing
        covered += [p for p in item.get("covered_points") or [] if p not in covered]
        develop += [p for p in (item.get("missed_points") or []) + (item.get("partial_points") or [])
                    if p not in develop]
    role = job.title if job else "the role"
    lines = [f"Dear {candidate.name if candidate else 'candidate'},", "",
             f"Thank you for taking the time to interview for {role}. We promised you feedback on your "
             "answers; here it is.", ""]
    if covered:
        lines.append("What came across well:")
        lines += [f"- You explained {_plain(p)}." for p in covered[:MAX_ITEMS]]
        lines.append("")
    if develop:
        lines.append("What to develop further:")
        lines += [f"- We would have liked to hear more about {_plain(p)}." for p in develop[:MAX_ITEMS]]
        lines.append("")
    lines += ["This feedback is about your answers in this interview only. A person at our company reviewed it "
              "before sending.", "", "Kind regards,", actor_name(session, actor)]
    return {"to": candidate.email if candidate else "", "subject": f"Feedback on your interview for {role}",
            "body": "\n".join(lines), "covered": covered[:MAX_ITEMS], "develop": develop[:MAX_ITEMS],
            "already_sent": _sent_count(session, interview.id)}


def actor_name(session: Session, actor: Actor) -> str:
    from interviewer.models import User

    user = session.get(User, actor.id)
    return user.name if user else "The hiring team"


def _sent_count(session: Session, interview_id: uuid.UUID) -> int:
    return len(session.exec(select(AuditLog.id).where(AuditLog.action == "feedback.sent",
                                                      AuditLog.entity_id == interview_id)).all())


def send(session: Session, actor: Actor, interview_id: uuid.UUID, subject: str, body: str) -> dict[str, Any]:
    """Queue the letter HR edited to the candidate's email (outbox) and record it."""
    interview = _interview(session, actor, interview_id)
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject or len(subject) > MAX_SUBJECT:
        raise E.ValidationError(f"The subject must be 1-{MAX_SUBJECT} characters.", code="FEEDBACK_422")
    if len(body) < 20 or len(body) > MAX_BODY:
        raise E.ValidationError(f"The letter must be 20-{MAX_BODY} characters.", code="FEEDBACK_422")
    candidate = session.get(Candidate, interview.candidate_id)
    message = queue_email(session, to=candidate.email, subject=subject, body_text=body, kind="feedback_letter",
                          company_id=interview.company_id)
    audit.record(session, actor=actor, action="feedback.sent", entity_type="interview", entity_id=interview.id,
                 company_id=interview.company_id, details={"message_id": str(message.id), "subject": subject})
    return {"message_id": str(message.id), "to": candidate.email, "sent_before": _sent_count(session, interview.id) - 1}


def letters_sent(session: Session, actor: Actor, interview_id: uuid.UUID) -> list[dict[str, Any]]:
    from interviewer.services.interviews import get_interview

    get_interview(session, actor, interview_id)
    rows = session.exec(select(AuditLog).where(AuditLog.action == "feedback.sent",
                                               AuditLog.entity_id == interview_id)
                        .order_by(col(AuditLog.created_at))).all()
    return [{"subject": r.details.get("subject"), "at": r.created_at.isoformat()} for r in rows]
