"""Date filters in the user's own calendar: "created on 3 Dec" means 3 December where the user
is, not in UTC. Every list that filters by day (candidates, interviews) turns the days the user
picked into a UTC range here, so both pages mean the same day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def user_zone(name: str | None) -> ZoneInfo:
    """The IANA zone the browser reported; UTC when missing or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _day(value: str | date | None) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def day_start(value: str | date | None, tz: str | None) -> datetime | None:
    """00:00 of the day in the user's zone, as UTC (None for an empty or invalid day)."""
    day = _day(value)
    if day is None:
        return None
    try:
        return datetime.combine(day, time.min, tzinfo=user_zone(tz)).astimezone(timezone.utc)
    except OverflowError:  # 0001-01-01 east of UTC starts before any UTC time: no bound
        return None


def day_range(day_from: str | date | None, day_to: str | date | None,
              tz: str | None) -> tuple[datetime | None, datetime | None]:
    """[start of ``day_from``, end of ``day_to``) in the user's zone, as UTC; both days are
    included, an empty or invalid end leaves that side open."""
    last = _day(day_to)
    if last == date.max:  # 9999-12-31 has no next day: the range is open at its end
        last = None
    return day_start(day_from, tz), day_start(last + timedelta(days=1), tz) if last else None
