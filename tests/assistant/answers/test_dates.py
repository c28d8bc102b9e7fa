"""Relative dates in questions: the day they are read against."""

from __future__ import annotations

from datetime import date

from assistant.answers.dates import find_period, reference_day


def test_a_recent_store_reads_dates_against_today() -> None:
    today = date(2026, 12, 2)
    assert reference_day(today, date(2026, 12, 1)) == today
    assert reference_day(today, None) == today


def test_an_old_store_reads_weekdays_against_its_newest_day() -> None:
    latest = date(2026, 5, 7)  # a Thursday
    anchor = reference_day(date(2026, 12, 2), latest)
    assert anchor == latest
    period = find_period("What was the turnout on Wednesday?", anchor)
    assert period is not None and period.since == period.until == date(2026, 5, 6)


def test_the_stale_limit_is_a_parameter() -> None:
    today = date(2026, 12, 2)
    assert reference_day(today, date(2026, 11, 20), stale_after=30) == today
    assert reference_day(today, date(2026, 11, 20), stale_after=7) == date(2026, 11, 20)
