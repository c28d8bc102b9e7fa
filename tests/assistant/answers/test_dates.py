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


def test_on_a_weekday_asked_that_weekday_is_today_and_last_one_a_week_ago() -> None:
    thursday = date(2026, 5, 7)
    on = find_period("What happened on Thursday?", thursday)
    last = find_period("What happened last Thursday?", thursday)
    assert on is not None and on.since == thursday
    assert last is not None and last.since == date(2026, 4, 30)


def test_a_bare_weekday_or_day_of_month_counts_only_when_loose() -> None:
    thursday = date(2026, 5, 7)
    assert find_period("Tuesday's headlines", thursday) is None
    loose = find_period("Tuesday's headlines", thursday, loose=True)
    assert loose is not None and loose.since == date(2026, 5, 5)
    assert find_period("news on the 6th?", thursday) is None
    sixth = find_period("news on the 6th?", thursday, loose=True)
    assert sixth is not None and sixth.since == date(2026, 5, 6)
    # a day later in the month than today is last month's
    late = find_period("what happened on the 28th?", thursday, loose=True)
    assert late is not None and late.since == date(2026, 4, 28)
    # an ordinal that is not a day of the month
    assert find_period("the 5th round of talks", thursday, loose=True) is None
