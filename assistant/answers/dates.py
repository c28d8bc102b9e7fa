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
# 'on the 6th', 'the 6th': a day of the month the question does not name (today's month)
_BARE_DAY = re.compile(
    r"\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b(?=\s*(?:$|[?.!,;:]|and\b|or\b))", re.I
)
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}
# 'over the last two days', 'in the past 3 days'
_LAST_DAYS = re.compile(
    r"\b(?:last|past|previous)\s+(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\s+days\b", re.I
)


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


def find_period(question: str, today: date, loose: bool = False) -> Period | None:
    """The period a question asks about, resolved against `today`; None when it names none.

    A weekday is a day when the question says 'on' or 'last' before it; with `loose` (the
    question asks for a period's news), any weekday ('Tuesday's headlines', 'recap of
    Thursday'), and a day of the month alone ('anything new on the 6th?'), are days too."""
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
    if match := _LAST_DAYS.search(text):
        value = match.group(1)
        count = int(value) if value.isdigit() else _NUMBER_WORDS[value]
        if count >= 1:
            return Period(today - timedelta(days=count - 1), today, match.group())
    if "last week" in text or "past week" in text:
        return Period(today - timedelta(days=7), today, "last week")
    if "this week" in text:
        start = today - timedelta(days=today.weekday())
        return Period(start, today, "this week")
    for i, name in enumerate(WEEKDAYS):
        if match := re.search(rf"\b(?:(on|last|this)\s+)?{name}\b", text):
            if not (loose or match.group(1) in ("on", "last")):
                continue
            back = (today.weekday() - i) % 7
            if back == 0 and match.group(1) == "last":
                back = 7  # 'last Thursday', asked on a Thursday
            day = today - timedelta(days=back)
            return Period(day, day, name)
    if loose and (match := _BARE_DAY.search(text)):
        month_day = int(match.group(1))
        candidate = _resolve_year(today.month, month_day, str(today.year), today)
        if candidate and candidate > today:  # 'the 28th', asked on the 3rd: last month's
            last_month = today.replace(day=1) - timedelta(days=1)
            candidate = _resolve_year(last_month.month, month_day, str(last_month.year), today)
        if candidate:
            return Period(candidate, candidate, match.group())
    return None
