"""Date filters mean the user's own calendar days on every list (issue 13, item 14)."""

from __future__ import annotations

from datetime import datetime, timezone

from interviewer.services.local_days import day_range, day_start


def test_a_day_is_the_users_day_not_the_utc_day():
    start, end = day_range("2026-12-03", "2026-12-03", "Europe/Paris")
    assert start == datetime(2026, 12, 2, 23, 0, tzinfo=timezone.utc)
    assert end == datetime(2026, 12, 3, 23, 0, tzinfo=timezone.utc)
    late_evening_utc = datetime(2026, 12, 2, 23, 30, tzinfo=timezone.utc)  # already 3 Dec in Paris
    assert start <= late_evening_utc < end
    start, end = day_range("2026-12-03", "2026-12-04", "America/New_York")
    assert (start.hour, end.day, end.hour) == (5, 5, 5)


def test_open_sides_invalid_days_and_unknown_zones():
    assert day_range("", None, "UTC") == (None, None)
    assert day_range("not-a-day", "2026-12-03", "UTC")[0] is None
    assert day_start("2026-12-03", "Mars/Olympus") == datetime(2026, 12, 3, tzinfo=timezone.utc)


def test_the_ends_of_the_calendar_leave_the_range_open():
    """A date field can hold 0001-01-01 and 9999-12-31: east of UTC the first has no UTC start,
    and the last has no next day. Both leave that side of the range open (they overflowed: the
    list page's event failed)."""
    assert day_range("0001-01-01", "9999-12-31", "Asia/Tokyo") == (None, None)
    start, end = day_range("0001-01-02", "9999-12-30", "Asia/Tokyo")
    assert start is not None and end is not None and start < end
