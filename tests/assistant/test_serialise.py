"""JSON-ready records: dates become ISO text at the output edge, everything else keeps its shape."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

from assistant.serialise import iso, json_ready
from assistant.types import Citation


@dataclass(frozen=True, slots=True)
class _Dated:
    day: date | None
    at: datetime
    tags: tuple[str, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)


def test_iso_writes_days_and_times_as_iso_text() -> None:
    assert iso(date(2026, 3, 9)) == "2026-03-09"
    assert iso(datetime(2026, 3, 9, 7, 5, 3, 999, tzinfo=UTC)) == "2026-03-09T07:05:03+00:00"
    plus_two = timezone(timedelta(hours=2))
    assert iso(datetime(2026, 3, 9, 7, tzinfo=plus_two)) == "2026-03-09T07:00:00+02:00"
    assert iso(None) is None


def test_json_ready_turns_nested_dates_into_text_and_keeps_field_order() -> None:
    record = _Dated(
        date(2026, 3, 9),
        datetime(2026, 3, 10, 18, tzinfo=UTC),
        ("a", "b"),
        {
            "when": date(2026, 1, 2),
            "n": 3,
            "inner": [_Dated(None, datetime(2026, 1, 1, tzinfo=UTC))],
        },
    )
    ready = json_ready(record)
    assert ready == {
        "day": "2026-03-09",
        "at": "2026-03-10T18:00:00+00:00",
        "tags": ["a", "b"],
        "extra": {
            "when": "2026-01-02",
            "n": 3,
            "inner": [{"day": None, "at": "2026-01-01T00:00:00+00:00", "tags": [], "extra": {}}],
        },
    }
    assert list(ready) == ["day", "at", "tags", "extra"]  # type: ignore[arg-type]
    assert json.loads(json.dumps(ready)) == ready


def test_a_citation_reads_as_it_did_when_dates_were_text() -> None:
    cite = Citation(
        1, "d1", "T", "Wire", date(2026, 3, 11), None, "p", 0, 1, None, None, None, ("Post",)
    )
    ready = json_ready(cite)
    assert isinstance(ready, dict)
    assert ready["published"] == "2026-03-11" and ready["also_in"] == ["Post"]
    assert json_ready(Citation(2, "d2", "T", None, None, None, "p", 0, 1, None, None, None)) == {
        **ready,
        "n": 2,
        "doc_id": "d2",
        "outlet": None,
        "published": None,
        "also_in": [],
    }


def test_day_text_writes_a_day_as_a_reader_does() -> None:
    from datetime import date

    from assistant.serialise import day_text

    assert day_text(date(2031, 2, 1)) == "1 February 2031"
    assert day_text(date(2026, 12, 24)) == "24 December 2026"
    assert day_text(None) is None
