"""Dates named in a question ('yesterday', 'on 11 March', 'last week') -> a period (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b\.?(?:\s+(\d{{4}}))?", re.I
)
_MONTH_DAY = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I
)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# 'between 5 and 6 May', 'from 3 to 9 March': two days of one month
_DAY_RANGE = re.compile(
    rf"\b(?:between|from)\s+(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:and|to|-)\s+"
    rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b\.?(?:\s+(\d{{4}}))?",
    re.I,
)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive date range and the words in the question that named it."""

    since: date
    until: date
    phrase: str


def _resolve_year(month: int, day: int, year: str | None, today: date) -> date | None:
    try:
        if year:
            return date(int(year), month, day)
        candidate = date(today.year, month, day)
    except ValueError:
        return None
    # A date later than today without a year is most likely last year's.
    if candidate > today + timedelta(days=1):
        candidate = candidate.replace(year=today.year - 1)
    return candidate


STALE_STORE_DAYS = 7


def reference_day(
    today: date, latest_day: date | None, stale_after: int = STALE_STORE_DAYS
) -> date:
    """The day that 'Wednesday', 'yesterday' or '11 March' are read against.

    Today, while the store holds recent news. A store whose newest article is older than
    `stale_after` days (an archive, an evaluation set, a corpus loaded once) is read as of its
    newest day: there 'on Wednesday' means the Wednesday of its latest coverage, not one the store
    has nothing about."""
    if latest_day is not None and latest_day < today - timedelta(days=stale_after):
        return latest_day
    return today


def find_period(question: str, today: date) -> Period | None:
    """The period a question asks about, resolved against `today`; None when it names none."""
    text = question.lower()
    if match := _ISO.search(text):
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            return Period(day, day, match.group())
        except ValueError:
            pass
    if match := _DAY_RANGE.search(text):
        month = MONTHS[match.group(3).lower().rstrip(".")]
        first = _resolve_year(month, int(match.group(1)), match.group(4), today)
        last = _resolve_year(month, int(match.group(2)), match.group(4), today)
        if first and last and first <= last:
            return Period(first, last, match.group())
    for pattern, order in ((_DAY_MONTH, "dm"), (_MONTH_DAY, "md")):
        if match := pattern.search(text):
            day_s, month_s = (
                (match.group(1), match.group(2))
                if order == "dm"
                else (match.group(2), match.group(1))
            )
            resolved = _resolve_year(
                MONTHS[month_s.lower().rstrip(".")], int(day_s), match.group(3), today
            )
            if resolved:
                return Period(resolved, resolved, match.group())
    if "day before yesterday" in text:
        day = today - timedelta(days=2)
        return Period(day, day, "day before yesterday")
    if re.search(r"\byesterday'?s?\b", text):
        day = today - timedelta(days=1)
        return Period(day, day, "yesterday")
    if re.search(r"\b(today|this morning|tonight)\b", text):
        return Period(today, today, "today")
    if "last week" in text or "past week" in text:
        return Period(today - timedelta(days=7), today, "last week")
    if "this week" in text:
        start = today - timedelta(days=today.weekday())
        return Period(start, today, "this week")
    for i, name in enumerate(WEEKDAYS):
        if re.search(rf"\b(on|last)\s+{name}\b", text):
            back = (today.weekday() - i) % 7 or 7
            day = today - timedelta(days=back)
            return Period(day, day, name)
    return None
