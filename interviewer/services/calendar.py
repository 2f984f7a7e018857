"""iCalendar (RFC 5545) invitations for interviews, written by hand (no third-party library).

Covered: CRLF line endings, TEXT escaping (backslash, semicolon, comma, newline), quoted
parameter values, UTC date-times, and folding of content lines longer than 75 octets without
splitting a UTF-8 character. ``METHOD:REQUEST`` invites or updates (same UID, higher SEQUENCE),
``METHOD:CANCEL`` withdraws the event (RFC 5546).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//AI Interviewer//Interview Scheduling//EN"


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
