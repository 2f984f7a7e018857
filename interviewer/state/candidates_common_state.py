"""Plain view models and formatting shared by the candidate, import and resume-check states
(no Reflex state class here: only dataclasses the states hold and small pure helpers)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime

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


def clip(text: str, limit: int) -> str:
    return (text or "").strip()[:limit]
