"""RFC 5545 output: escaping, folding at 75 octets, CRLF, and a round trip through a parser."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from interviewer.services.calendar import (
    CalendarEvent,
    Person,
    build_ics,
    escape_text,
    fold,
    format_utc,
    param_value,
)

START = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


def unfold(text: str) -> list[str]:
    """Content lines: split on CRLF, join continuation lines (those starting with a space or tab)."""
    lines: list[str] = []
    for raw in text.split("\r\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            out.append({"n": "\n", "N": "\n"}.get(value[i + 1], value[i + 1]))
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def props(text: str) -> dict[str, str]:
    result = {}
    for line in unfold(text):
        name, _, value = line.partition(":")
        result.setdefault(name.split(";")[0], value)
    return result


def _event(**kw) -> CalendarEvent:
    base = dict(uid="interview-1@testserver", sequence=0, start=START, end=START + timedelta(minutes=30),
                summary="Interview: Backend Engineer at Acme, Inc.", description="Join; now\nhttps://x/interview/t",
                organizer=Person("no-reply@interviewer.local", "Acme, Inc."),
                attendee=Person("casey@example.test", "Casey Jones"), url="https://x/interview/t",
                stamp=START - timedelta(days=1))
    base.update(kw)
    return CalendarEvent(**base)


def test_escape_text():
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_param_value_quotes_and_strips():
    assert param_value("Casey Jones") == "Casey Jones"
    assert param_value("Acme, Inc.") == '"Acme, Inc."'
    assert param_value('Bad "quote"') == "Bad quote"


def test_format_utc_converts_zones():
    cet = timezone(timedelta(hours=1))
    assert format_utc(datetime(2026, 12, 1, 11, 0, tzinfo=cet)) == "20261201T100000Z"
    assert format_utc(datetime(2026, 12, 1, 10, 0)) == "20261201T100000Z"


@pytest.mark.parametrize("text", ["x" * 74, "x" * 75, "x" * 76, "D" * 500, "é" * 100, "ab€" * 60, "🎉" * 40])
def test_fold_limits_every_line_to_75_octets_and_unfolds_back(text):
    folded = fold(text)
    physical = folded.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert all(line.startswith(" ") for line in physical[1:])
    assert unfold(folded) == [text]
    folded.encode("utf-8").decode("utf-8")  # no character was cut in half


def test_build_request_ics():
    ics = build_ics(_event(sequence=2))
    assert ics.endswith("\r\n") and "\n" not in ics.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    p = props(ics)
    assert p["METHOD"] == "REQUEST" and p["VERSION"] == "2.0" and p["SEQUENCE"] == "2"
    assert p["UID"] == "interview-1@testserver" and p["STATUS"] == "CONFIRMED"
    assert p["DTSTART"] == "20261201T100000Z" and p["DTEND"] == "20261201T103000Z"
    assert p["DTSTAMP"] == "20261130T100000Z"
    assert unescape(p["SUMMARY"]) == "Interview: Backend Engineer at Acme, Inc."
    assert unescape(p["DESCRIPTION"]) == "Join; now\nhttps://x/interview/t"
    lines = unfold(ics)
    assert 'ORGANIZER;CN="Acme, Inc.":mailto:no-reply@interviewer.local' in lines
    assert any(line.startswith("ATTENDEE;CN=Casey Jones;") and line.endswith(":mailto:casey@example.test")
               and "RSVP=TRUE" in line for line in lines)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1


def test_build_cancel_ics():
    ics = build_ics(_event(sequence=3), method="cancel")
    p = props(ics)
    assert p["METHOD"] == "CANCEL" and p["STATUS"] == "CANCELLED" and p["SEQUENCE"] == "3"
    assert "URL" not in p
    with pytest.raises(ValueError):
        build_ics(_event(), method="PUBLISH")


def test_long_description_is_folded_and_survives():
    description = "Línea larga; con comas, y acentos. " * 20
    ics = build_ics(_event(description=description))
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    assert unescape(props(ics)["DESCRIPTION"]) == description
