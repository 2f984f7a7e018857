"""iCalendar (RFC 5545) invitations for interviews, written by hand (no third-party library).

Covered: CRLF line endings, TEXT escaping (backslash, semicolon, comma, newline), quoted
parameter values, UTC date-times, and folding of content lines longer than 75 octets without
splitting a UTF-8 character. ``METHOD:REQUEST`` invites or updates (same UID, higher SEQUENCE),
``METHOD:CANCEL`` withdraws the event (RFC 5546).
``send_interview_email`` writes the candidate's invitation / update / cancellation email with
the matching ``.ics`` attachment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parseaddr
from urllib.parse import urlparse

from sqlmodel import Session

from interviewer.core.config import get_settings
from interviewer.models import Candidate, Company, Interview, JobTemplate
from interviewer.services.email import queue_email
from interviewer.services.mail_render import human_datetime, privacy_footer

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//AI Interviewer//Interview Scheduling//EN"
ICS_INVITE, ICS_CANCEL = "invite.ics", "cancel.ics"


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def param_value(value: str) -> str:
    """A parameter value (3.2): quoted when it holds ``:;,``; DQUOTE and controls are not allowed."""
    cleaned = "".join(ch for ch in value if ch != '"' and (ch == "\t" or ord(ch) >= 0x20) and ch != "\x7f")
    return f'"{cleaned}"' if any(ch in cleaned for ch in ":;,") else cleaned


def format_utc(moment: datetime) -> str:
    """DATE-TIME in UTC form, e.g. 20261201T100000Z (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold one content line into chunks of at most 75 octets, continuation lines starting with
    a single space (3.1); multi-octet UTF-8 characters are never split."""
    chunks: list[str] = []
    current, size, limit = [], 0, MAX_OCTETS
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            chunks.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1  # the leading space counts
        current.append(ch)
        size += width
    chunks.append("".join(current))
    return (CRLF + " ").join(chunks)


@dataclass(frozen=True)
class Person:
    email: str
    name: str | None = None

    def address(self, prop: str, extra: str = "") -> str:
        cn = f";CN={param_value(self.name)}" if self.name else ""
        return f"{prop}{cn}{extra}:mailto:{self.email}"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    description: str
    organizer: Person
    attendee: Person
    url: str | None = None
    stamp: datetime | None = None


def build_ics(event: CalendarEvent, *, method: str = "REQUEST") -> str:
    """A complete VCALENDAR object with one VEVENT; ``method`` is REQUEST or CANCEL."""
    method = method.upper()
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unsupported METHOD {method!r}")
    cancel = method == "CANCEL"
    stamp = event.stamp or datetime.now(timezone.utc)
    partstat = "" if cancel else ";PARTSTAT=NEEDS-ACTION;RSVP=TRUE"
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"SEQUENCE:{int(event.sequence)}",
        f"DTSTAMP:{format_utc(stamp)}",
        f"DTSTART:{format_utc(event.start)}",
        f"DTEND:{format_utc(event.end)}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        event.organizer.address("ORGANIZER"),
        event.attendee.address("ATTENDEE", f";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT{partstat}"),
        f"STATUS:{'CANCELLED' if cancel else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
    ]
    if event.url and not cancel:
        lines += [f"URL:{event.url}", f"LOCATION:{escape_text(event.url)}"]
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)


# --- interview emails ---------------------------------------------------------------------------

def interview_uid(interview_id) -> str:
    """Stable for the life of the interview, so calendar apps update rather than duplicate it."""
    host = urlparse(get_settings().PUBLIC_URL).hostname or "interviewer.local"
    return f"interview-{interview_id}@{host}"


def send_interview_email(session: Session, interview: Interview, *, link: str, sequence: int,
                         update: bool = False, cancel: bool = False, reason: str | None = None) -> None:
    """Queue the candidate's email for a new, moved or cancelled interview, with its .ics."""
    candidate = session.get(Candidate, interview.candidate_id)
    company = session.get(Company, interview.company_id)
    job = session.get(JobTemplate, interview.job_template_id) if interview.job_template_id else None
    job_title = job.title if job else "Interview"
    company_name = company.name if company else "our company"
    start = interview.scheduled_at
    end = start + timedelta(minutes=interview.duration_minutes)
    when = f"{human_datetime(start)}, {interview.duration_minutes} minutes"
    first_name = (candidate.name.split() or [candidate.name])[0]
    if cancel:
        subject = f"Interview cancelled: {job_title} at {company_name}"
        lead = f"Your interview for the {job_title} position at {company_name} on {when} has been cancelled."
        text = lead + (f"\nReason: {reason}" if reason else "") + "\nThe interview link no longer works."
        text += f"\n\nThe attached calendar file ({ICS_CANCEL}) removes the interview from your calendar."
        description = lead + (f"\nReason: {reason}" if reason else "")
    else:
        subject = (f"Updated interview time: {job_title} at {company_name}" if update
                   else f"Interview invitation: {job_title} at {company_name}")
        lead = ("Your interview has been moved to a new time; the previous link no longer works." if update else
                f"You are invited to an AI-assisted interview for the {job_title} position at {company_name}.")
        expires = (f"\nThe link is valid until {human_datetime(interview.expires_at)}."
                   if interview.expires_at else "")
        text = (f"{lead}\n\nPosition: {job_title}\nCompany: {company_name}\nWhen: {when}\n"
                f"Your interview link: {link}{expires}\n\nPlease use a quiet place, a microphone and a recent browser."
                f"\n\nThe attached calendar file ({ICS_INVITE}) adds the interview to your calendar.")
        description = f"Interview for {job_title} at {company_name}.\nJoin: {link}{expires}"
    sender_name, sender_email = parseaddr(get_settings().SMTP_FROM)
    event = CalendarEvent(
        uid=interview_uid(interview.id), sequence=sequence, start=start, end=end,
        summary=f"Interview: {job_title} at {company_name}", description=description,
        organizer=Person(sender_email or "no-reply@interviewer.local", company_name or sender_name),
        attendee=Person(candidate.email, candidate.name), url=None if cancel else link)
    method = "CANCEL" if cancel else "REQUEST"
    text += "\n" + privacy_footer(company_name).rstrip("\n")
    queue_email(session, to=candidate.email, subject=subject, body_text=f"Hello {first_name},\n\n{text}\n",
                kind="interview_cancelled" if cancel else ("interview_updated" if update else "interview_invitation"),
                company_id=interview.company_id,
                attachments=[{"filename": ICS_CANCEL if cancel else ICS_INVITE,
                              "content_type": f"text/calendar; method={method}; charset=utf-8",
                              "content": build_ics(event, method=method)}])
