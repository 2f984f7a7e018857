"""The UI's local date and time parsing (interviews_common_state): what a person types into a date
field either becomes a UTC time or a ValueError the page turns into "Choose a valid date and time",
never an exception that breaks the page."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from interviewer.state.interviews_common_state import day_bounds, parse_local


def test_a_local_time_becomes_utc():
    assert parse_local("2026-12-05", "14:30", "Europe/Berlin") == datetime(2026, 12, 5, 13, 30, tzinfo=timezone.utc)
    start, end = day_bounds("2026-12-05", "America/New_York")
    assert (start, end) == (datetime(2026, 12, 5, 5, tzinfo=timezone.utc), datetime(2026, 12, 6, 5, tzinfo=timezone.utc))


@pytest.mark.parametrize("day, clock, tz", [
    ("0001-01-01", "00:00", "Asia/Tokyo"),        # before the first UTC time a date can hold
    ("9999-12-31", "23:00", "America/New_York"),  # after the last
    ("2026-02-30", "10:00", "UTC"),
    ("", "10:00", "UTC"),
    ("2026-12-05", "25:00", "UTC"),
])
def test_dates_without_a_utc_time_are_value_errors(day, clock, tz):
    with pytest.raises(ValueError):
        parse_local(day, clock, tz)


def test_the_last_day_has_no_next_day():
    with pytest.raises(ValueError):
        day_bounds("9999-12-31", "UTC")
