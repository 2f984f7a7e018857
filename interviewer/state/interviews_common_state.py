"""What the hiring pages share: the browser's time zone (times are shown and entered in it and
stored in UTC), date formatting and parsing, and the select option shape."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.services.authz import Actor
from interviewer.state.auth_state import AuthState, SessionEnded

TZ_JS = "Intl.DateTimeFormat().resolvedOptions().timeZone"
ALL = "all"  # "no filter" value of selects (Radix selects refuse "")


@dataclasses.dataclass
class Option:
    value: str = ""
    label: str = ""


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def as_aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def fmt_dt(moment: datetime | str | None, tz: str, *, with_year: bool = True) -> str:
    """'27 Nov 2025, 14:05' in the browser's zone ('' for None)."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    local = as_aware(moment).astimezone(zone(tz))
    return local.strftime("%d %b %Y, %H:%M" if with_year else "%d %b, %H:%M")


def fmt_time(moment: datetime, tz: str) -> str:
    return as_aware(moment).astimezone(zone(tz)).strftime("%H:%M")


def local_date(moment: datetime, tz: str) -> str:
    """'2025-11-27': the calendar day of ``moment`` in the browser's zone."""
    return as_aware(moment).astimezone(zone(tz)).date().isoformat()


def fmt_utc(moment: datetime) -> str:
    return as_aware(moment).astimezone(timezone.utc).strftime("%d %b %Y, %H:%M UTC")


def local_today(tz: str) -> date:
    return datetime.now(zone(tz)).date()


def parse_local(day: str, clock: str, tz: str) -> datetime:
    """'2025-11-27' + '14:30' in ``tz`` -> an aware UTC datetime. Raises ValueError (also for the
    first and last days a date can hold, which have no UTC time in some zones: 0001-01-01)."""
    moment = datetime.combine(date.fromisoformat(day), time.fromisoformat(clock or "00:00"), tzinfo=zone(tz))
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError as exc:
        raise ValueError(f"{day} {clock} has no UTC time") from exc


def day_bounds(day: str, tz: str) -> tuple[datetime, datetime]:
    """The UTC range [start, end) of a local calendar day. Raises ValueError."""
    start = parse_local(day, "00:00", tz)
    try:
        end = datetime.combine(date.fromisoformat(day) + timedelta(days=1), time(0), tzinfo=zone(tz))
        return start, end.astimezone(timezone.utc)
    except OverflowError as exc:
        raise ValueError(f"{day} has no next day") from exc


def mmss(ms: int | None) -> str:
    if ms is None:
        return ""
    seconds = max(0, int(ms) // 1000)
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class HiringState(AuthState):
    """Base of the hiring pages: remembers the browser's time zone for this tab."""

    tz: str = "UTC"

    def _accept_tz(self, name: str) -> None:
        name = str(name or "UTC")
        self.tz = name if zone(name).key == name else "UTC"

    def _route_id(self) -> str:
        """The record id at the end of the current path (/jobs/<id>, /interviews/<id>) as a UUID
        string, or '' when it is not one."""
        raw = str(self.router.url.path or "").rstrip("/").rsplit("/", 1)[-1]
        try:
            return str(uuid.UUID(raw))
        except ValueError:
            return ""

    def _open_page(self, work: Callable[[Session, Actor], Any], *, fallback: str) -> Any:
        """on_load of a detail page: like ``_run(page_load=True)``, and a missing (or another
        company's) record returns to ``fallback`` with a toast."""
        try:
            return self._call(work, load_user=True)
        except SessionEnded:
            return self._end_session()
        except E.PermissionDeniedError as exc:
            return [rx.toast.error(exc.message), rx.redirect(self.home_path if self.user.id else "/login")]
        except E.NotFoundError as exc:
            return [rx.toast.error(exc.message), rx.redirect(fallback)]
        except E.DomainError as exc:
            return rx.toast.error(exc.message)

    @rx.var
    def tz_label(self) -> str:
        return self.tz.replace("_", " ")
