"""Data export and erasure by emailed link, for candidates without an account.

A person enters their email address on ``/privacy-request`` (or ``POST /api/v1/privacy-requests``).

- The answer is the same whether or not the address is known (and when the per-address limit
  holds a mail back); only the address's owner learns anything, by email. Per client, the
  request counts against the public auth limit (``rate_limits``: ``RATE_LIMIT_AUTH``); per
  address, at most ``RATE_LIMIT_PRIVACY_REQUEST`` mails.
- For every company where the address is a candidate, one mail with one link: the link opens
  that company's data about that address only. Only the SHA-256 of a token is stored
  (``privacy_links``); a link expires after ``PRIVACY_LINK_EXPIRE_MINUTES``.
- With a valid link the person sees what is held, downloads it (the same document as a signed-in
  candidate's ``export_my_data``) and may erase it after typing the address again. The erasure is
  ``candidate_rights.erase_records``, the same rule as ``erase_me``: aggregates (verdicts,
  scores, stages, the adverse-impact report) stay, without a person behind them. It spends the
  link, and every other outstanding link of that company and address goes with the address.
- Audit log: ``privacy.link_requested``, ``privacy.data_exported`` and ``candidate.erased``
  (counts only, ``via: link``); none holds the address.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import redis
from sqlalchemy import func
from sqlmodel import Session, col, select

from interviewer.core import errors as E
from interviewer.core.config import get_settings
from interviewer.core.ratelimit import Limit, hit
from interviewer.core.security import hash_opaque_token, new_opaque_token, utcnow
from interviewer.models import Candidate, Company, EmailMessage, Interview, PrivacyLink
from interviewer.services import audit
from interviewer.services.auth import normalize_email
from interviewer.services.candidate_rights import erase_records, export_records
from interviewer.services.email import queue_email
from interviewer.services.mail_render import PRIVACY_REQUEST_PATH, app_url

MAIL_KIND = "privacy_link"
REQUEST_ACCEPTED = ("If this address belongs to a candidate of a company that uses AI Interviewer, we have emailed "
                    "it a link for each such company. Each link works for {minutes} minutes.")
UNKNOWN_LINK = "This link is not valid. Check that you opened the whole link from the email, or request a new one."
USED_LINK = "This link was already used to erase the data. If you need anything else, request a new link."
EXPIRED_LINK = "This link has expired. Request a new one: it is emailed at once."
LINK_NOT_FOUND = "PRIVACY_404"
LINK_GONE = "PRIVACY_410"
CONFIRM_MISMATCH = "PRIVACY_422"


class PrivacyLinkGoneError(E.DomainError):
    """The link was valid once: already used for an erasure, or expired (HTTP 410, ``reason``)."""

    status_code = 410
    code = LINK_GONE


@dataclass(frozen=True)
class LinkSummary:
    """What a valid link shows before anything is downloaded or erased."""

    company: str
    email: str
    expires_at: datetime
    applications: int
    interviews: int
    emails: int


def accepted_message() -> str:
    return REQUEST_ACCEPTED.format(minutes=get_settings().PRIVACY_LINK_EXPIRE_MINUTES)


def _address_allowed(email: str) -> bool:
    """At most RATE_LIMIT_PRIVACY_REQUEST mails per address (a mailbox cannot be flooded)."""
    settings = get_settings()
    if not settings.RATE_LIMIT_ENABLED:
        return True
    try:
        allowed, _, _ = hit("privacy", hash_opaque_token(email)[:32], Limit.parse(settings.RATE_LIMIT_PRIVACY_REQUEST))
    except redis.RedisError:
        return True
    return allowed


def _records(session: Session, company_id: uuid.UUID, email: str) -> list[Candidate]:
    return list(session.exec(select(Candidate).where(Candidate.company_id == company_id,
                                                     func.lower(Candidate.email) == email)
                             .order_by(col(Candidate.created_at))))


def _mails(session: Session, company_id: uuid.UUID, email: str) -> list[EmailMessage]:
    """What the company's side sent to the address (its privacy-link mails included)."""
    return list(session.exec(select(EmailMessage).where(func.lower(EmailMessage.to_address) == email,
                                                        EmailMessage.company_id == company_id)
                             .order_by(col(EmailMessage.created_at))))


def request_links(session: Session, *, email: str, ip: str | None = None) -> str:
    """Email one link per company where ``email`` is a candidate; returns the answer to show,
    which is the same in every case."""
    email = normalize_email(email or "")
    companies = list(session.exec(select(Company).where(col(Company.id).in_(
        select(Candidate.company_id).where(func.lower(Candidate.email) == email).distinct()))
        .order_by(Company.name))) if email else []
    if not companies or not _address_allowed(email):
        return accepted_message()
    settings = get_settings()
    minutes = settings.PRIVACY_LINK_EXPIRE_MINUTES
    for company in companies:
        token = new_opaque_token()
        session.add(PrivacyLink(company_id=company.id, email=email, token_hash=hash_opaque_token(token),
                                ip_address=ip, expires_at=utcnow() + timedelta(minutes=minutes)))
        link = app_url(f"{PRIVACY_REQUEST_PATH}?token={token}")
        # The company's mail about the address (erased with it); its HR does not see it in the
        # outbox (services.email.HIDDEN_FROM_COMPANY): the link is the candidate's credential.
        queue_email(session, to=email, subject=f"Your data at {company.name}",
                    body_text=(f"Hello,\n\nSomeone (hopefully you) asked to see what {company.name} keeps about "
                               f"this email address in AI Interviewer, its interview tool. See it, download a "
                               f"copy or ask for it to be erased here:\n{link}\n\nThe link works for {minutes} "
                               "minutes and is spent by an erasure. If you did not ask for it, ignore this email: "
                               "nothing changes.\n"),
                    kind=MAIL_KIND, company_id=company.id)
        audit.record(session, actor=None, action="privacy.link_requested", entity_type="company",
                     entity_id=company.id, company_id=company.id, details={"ip": ip})
    return accepted_message()


def _link(session: Session, token: str, *, lock: bool = False) -> PrivacyLink:
    query = select(PrivacyLink).where(PrivacyLink.token_hash == hash_opaque_token(token or ""))
    row = session.exec(query.with_for_update() if lock else query).first() if token else None
    if row is None:
        raise E.NotFoundError(UNKNOWN_LINK, code=LINK_NOT_FOUND)
    if row.used_at is not None:
        raise PrivacyLinkGoneError(USED_LINK, extra={"reason": "used"})
    if row.expires_at < utcnow():
        raise PrivacyLinkGoneError(EXPIRED_LINK, extra={"reason": "expired"})
    return row


def summary(session: Session, token: str) -> LinkSummary:
    """What the link opens: the company, the address and how much is held."""
    link = _link(session, token)
    company = session.get(Company, link.company_id)
    records = _records(session, link.company_id, link.email)
    ids = [c.id for c in records]
    interviews = session.exec(select(func.count()).select_from(Interview).where(
        col(Interview.candidate_id).in_(ids))).one() if ids else 0
    return LinkSummary(company=company.name if company else "", email=link.email, expires_at=link.expires_at,
                       applications=len(records), interviews=interviews,
                       emails=len(_mails(session, link.company_id, link.email)))


def export_data(session: Session, token: str) -> dict[str, Any]:
    """The company's data about the link's address: the document ``export_my_data`` gives a
    signed-in candidate (``account`` is null)."""
    link = _link(session, token)
    records = _records(session, link.company_id, link.email)
    data = export_records(session, records, mails=_mails(session, link.company_id, link.email))
    audit.record(session, actor=None, action="privacy.data_exported", entity_type="company",
                 entity_id=link.company_id, company_id=link.company_id,
                 details={"via": "link", "records": len(records),
                          "interviews": sum(len(a["interviews"]) for a in data["applications"])})
    return data


def erase(session: Session, token: str, *, confirm_email: str) -> dict[str, int]:
    """Erase the company's data about the link's address (``erase_records``, as ``erase_me``).
    ``confirm_email`` must be the address: the request is deliberate. Spends the link."""
    link = _link(session, token, lock=True)
    if normalize_email(confirm_email or "") != link.email:
        raise E.ValidationError("Type the email address this link was sent to, to confirm the erasure.",
                                code=CONFIRM_MISMATCH)
    company_id, email = link.company_id, link.email
    # Spent, and anonymous: it still answers "already used" if opened again.
    link.used_at, link.email = utcnow(), f"erased-{link.id.hex}@erased.invalid"
    session.add(link)
    session.flush()
    records = _records(session, company_id, email)
    # Also removes the company's other outstanding links for the address.
    counts = erase_records(session, records, email=email, mails=_mails(session, company_id, email))
    audit.record(session, actor=None, action="candidate.erased", entity_type="company", entity_id=company_id,
                 company_id=company_id, details={**counts, "via": "link"})
    return counts
