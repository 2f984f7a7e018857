"""Outgoing email: every message is written to the outbox table in the caller's transaction and
delivered by the ``send_email`` job (SMTP when configured; otherwise it stays readable in the
development outbox)."""

from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage as MimeMessage
from typing import Any

from sqlmodel import Session, col, func, select

from interviewer.core import errors as E
from interviewer.core.config import get_settings
from interviewer.core.security import utcnow
from interviewer.jobs.queue import enqueue_after_commit
from interviewer.models import EmailMessage, EmailStatus
from interviewer.services.authz import Actor
from interviewer.services.mail_render import render_html


def outbox_mail(
    session: Session,
    *,
    to: str,
    subject: str,
    body_text: str,
    kind: str,
    company_id: uuid.UUID | None = None,
    body_html: str | None = None,
    attachments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One message for the outbox as the values of its row (with its id), its ``send_email`` job
    queued for after the commit. The plain text is kept as written; without ``body_html`` the
    HTML part is rendered from it (clickable links), so every mail is readable in both forms.
    ``queue_email`` adds it to the session; a service writing its new rows in one statement
    passes ``(EmailMessage, outbox_mail(...))`` to ``db.insert_together``."""
    message_id = uuid.uuid4()
    enqueue_after_commit(session, "send_email", str(message_id), job_id=f"email-{message_id}")
    return {
        "id": message_id,
        "to_address": to,
        "subject": subject,
        "body_text": body_text,
        "body_html": body_html if body_html is not None else render_html(subject, body_text),
        "kind": kind,
        "company_id": company_id,
        "attachments": attachments or [],
    }


def queue_email(
    session: Session,
    *,
    to: str,
    subject: str,
    body_text: str,
    kind: str,
    company_id: uuid.UUID | None = None,
    body_html: str | None = None,
    attachments: list[dict[str, Any]] | None = None,
) -> EmailMessage:
    """Write one message to the outbox (sent by the ``send_email`` job after commit): the row of
    ``outbox_mail``, written with the caller's next flush or commit."""
    message = EmailMessage(**outbox_mail(session, to=to, subject=subject, body_text=body_text, kind=kind,
                                         company_id=company_id, body_html=body_html, attachments=attachments))
    session.add(message)
    return message


def _mime(message: EmailMessage, sender: str) -> MimeMessage:
    mime = MimeMessage()
    mime["From"] = sender
    mime["To"] = message.to_address
    mime["Subject"] = message.subject
    mime["Message-ID"] = f"<{message.id}@interviewer>"
    mime.set_content(message.body_text)
    if message.body_html:
        mime.add_alternative(message.body_html, subtype="html")
    for att in message.attachments:
        maintype, _, subtype = att.get("content_type", "application/octet-stream").partition("/")
        mime.add_attachment(att["content"].encode(), maintype=maintype, subtype=subtype.split(";")[0],
                            filename=att["filename"])
    return mime


def deliver(session: Session, message_id: uuid.UUID) -> EmailStatus:
    """Deliver one queued message. Idempotent: a message already delivered is not sent again."""
    message = session.get(EmailMessage, message_id, with_for_update=True)
    if message is None:
        return EmailStatus.FAILED
    if message.status in (EmailStatus.SENT, EmailStatus.OUTBOX):
        return message.status
    settings = get_settings()
    message.attempts += 1
    if not settings.SMTP_HOST:
        message.status = EmailStatus.OUTBOX
        return message.status
    try:
        with smtplib.SMTP(settings.SMTP_HOST, settings.SMTP_PORT, timeout=20) as smtp:
            if settings.SMTP_STARTTLS and smtp.has_extn("starttls"):
                smtp.starttls()
            if settings.SMTP_USER:
                smtp.login(settings.SMTP_USER, settings.SMTP_PASSWORD)
            smtp.send_message(_mime(message, settings.SMTP_FROM))
    except (OSError, smtplib.SMTPException) as exc:
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        message.status = EmailStatus.FAILED
        session.commit()
        raise
    message.status = EmailStatus.SENT
    message.sent_at = utcnow()
    message.last_error = None
    return message.status


# Mail that belongs to a company's records but carries a candidate's own credential (the by-link
# data export and erasure, services.privacy_links): only system admins see it in the outbox.
HIDDEN_FROM_COMPANY = frozenset({"privacy_link"})


def list_outbox(session: Session, actor: Actor, *, page: int = 1, per_page: int = 20) -> tuple[list[EmailMessage], int]:
    """The development outbox: admins see everything, HR their company's mail (except
    ``HIDDEN_FROM_COMPANY``)."""
    actor.require("users:write", "system:admin")
    query = select(EmailMessage)
    count = select(func.count()).select_from(EmailMessage)
    if not actor.is_admin:
        mine = (EmailMessage.company_id == actor.company_id, col(EmailMessage.kind).not_in(HIDDEN_FROM_COMPANY))
        query = query.where(*mine)
        count = count.where(*mine)
    total = session.exec(count).one()
    rows = session.exec(
        query.order_by(col(EmailMessage.created_at).desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return list(rows), total


def get_outbox_message(session: Session, actor: Actor, message_id: uuid.UUID) -> EmailMessage:
    """One message of the outbox, under the same scope as ``list_outbox`` (another company's
    message is "not found", like a missing one)."""
    actor.require("users:write", "system:admin")
    message = session.get(EmailMessage, message_id)
    if message is None or not (actor.is_admin or (message.company_id == actor.company_id
                                                  and message.kind not in HIDDEN_FROM_COMPANY)):
        raise E.NotFoundError("This email does not exist.", code="MAIL_404")
    return message


def get_outbox_attachment(session: Session, actor: Actor, message_id: uuid.UUID, index: int) -> dict[str, Any]:
    """``{"filename", "content_type", "content"}`` of one attachment (e.g. the invitation's .ics)."""
    attachments = get_outbox_message(session, actor, message_id).attachments or []
    if not 0 <= index < len(attachments):
        raise E.NotFoundError("This attachment does not exist.", code="MAIL_404")
    return attachments[index]
