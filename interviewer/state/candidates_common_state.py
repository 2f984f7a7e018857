"""Plain view models and formatting shared by the candidate, import and resume-check states
(no Reflex state class here: only dataclasses the states hold and small pure helpers)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, datetime, time, timedelta, timezone

from interviewer.models import CandidateStatus
from interviewer.state.dashboard_state import stage_label

ALL = "all"  # select value meaning "no filter" (Radix selects refuse "")
NONE = "none"  # select value meaning "nobody / no job"
PIPELINE = [s.value for s in CandidateStatus]


@dataclasses.dataclass
class Option:
    value: str = ""
    label: str = ""


def status_options() -> list[Option]:
    return [Option(value=s, label=stage_label(s)) for s in PIPELINE]


def fmt_date(value: datetime | None) -> str:
    return value.strftime("%d %b %Y") if value else ""


def fmt_datetime(value: datetime | None) -> str:
    """Server times are UTC; say so, since recruiters sit in several time zones."""
    return value.strftime("%d %b %Y, %H:%M UTC") if value else ""


def parse_uuid(value: str) -> uuid.UUID | None:
    if not value or value in (ALL, NONE):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def day_start(value: str, *, plus_days: int = 0) -> datetime | None:
    """``YYYY-MM-DD`` from a date input -> that day's 00:00 UTC (+ days); None when empty/invalid."""
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return datetime.combine(day + timedelta(days=plus_days), time.min, tzinfo=timezone.utc)


def clip(text: str, limit: int) -> str:
    return (text or "").strip()[:limit]
