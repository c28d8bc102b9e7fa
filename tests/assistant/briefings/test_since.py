"""'Since the last briefing': new stories, figures revised, claims newly contested."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from assistant.api import Assistant
from assistant.briefings.since import (
    BriefingRecord,
    dump_record,
    load_record,
    record_of,
    since_last,
)
from assistant.briefings.stories import (
    Briefing,
    Contest,
    Position,
    Revision,
    Story,
    to_html,
    to_json,
    to_markdown,
)
from assistant.settings import Settings

AT = datetime(2031, 5, 1, 18, 0, tzinfo=UTC)  # when the last briefing was written


def _ferry(revised: bool = False, contested_by: tuple[str, ...] = ("Port Board",)) -> Story:
    return Story(
        "Ferry <runs> aground",
        ["Tarn Wire"],
        ["ferry-1", "ferry-2"] if revised else ["ferry-1"],
        contested=[
            Contest(
                "Figures for injured",
                [
                    Position(p, f"{p} said {3 + i} were hurt.", [1])
                    for i, p in enumerate(contested_by)
                ],
            )
        ],
        revisions=[
            Revision("Port Board", "The Port Board first said 3 [1], then 5 [2].", [1, 2], "3", "5")
        ]
        if revised
        else [],
    )


def _budget() -> Story:
    return Story("Budget passes", ["Quill Post"], ["budget-1"])


def test_no_last_briefing_means_no_section() -> None:
    b = Briefing(date(2031, 5, 1), date(2031, 5, 1), [_ferry()], [])
    assert since_last(b, None) is None
    assert "since_last" not in json.loads(to_json(b))
    assert "Since the last briefing" not in to_markdown(b)


def test_new_stories_revisions_and_contests_since_the_last_briefing() -> None:
    first = Briefing(date(2031, 5, 1), date(2031, 5, 1), [_ferry()], [])
    record = load_record(dump_record(record_of(first, AT)))
    assert record == BriefingRecord(
        AT,
        "2031-05-01",
        [["ferry-1"]],
        [("Figures for injured", ["Port Board"])],
        [],
    )
    second = Briefing(
        date(2031, 5, 2),
        date(2031, 5, 2),
        [_ferry(revised=True, contested_by=("Port Board", "Crew Union")), _budget()],
        [],
    )
    changes = since_last(second, record)
    assert changes is not None
    assert changes.last_at == AT
    assert changes.new_stories == ["Budget passes"]  # the ferry story was there already
    assert [(r.party, r.before, r.after) for r in changes.revised] == [("Port Board", "3", "5")]
    [contest] = changes.contested  # the union joined the ferry contest
    assert contest.topic == "Ferry <runs> aground: Figures for injured"
    second.since_last = changes
    md = to_markdown(second)
    assert "## Since the last briefing (2031-05-01T18:00:00+00:00, covering 2031-05-01)" in md
    assert "- Budget passes" in md
    assert "**Newly contested — Ferry \\<runs\\> aground: Figures for injured**" in md
    assert md.index("Since the last briefing") < md.index("## 1. Ferry")
    page = to_html(second)
    assert "<h3>Figures revised</h3>" in page and "Ferry &lt;runs&gt; aground" in page
    data = json.loads(to_json(second))
    assert data["since_last"]["new_stories"] == ["Budget passes"]


def test_nothing_new_is_said_so() -> None:
    b = Briefing(date(2031, 5, 1), date(2031, 5, 1), [_ferry()], [])
    b.since_last = since_last(b, record_of(b, AT))
    assert b.since_last is not None and not b.since_last.new_stories
    assert "Nothing new since then." in to_markdown(b)
    assert "<p>Nothing new since then.</p>" in to_html(b)


def test_an_unreadable_record_is_no_record() -> None:
    assert load_record("{not json") is None
    assert load_record(json.dumps({"date": "x"})) is None
    assert load_record(None) is None


def test_the_store_keeps_the_last_briefing(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    body = "The harbour board approved the new ferry timetable on Monday after a long debate. "
    front = '---\ntitle: "Ferry timetable"\noutlet: "Tarn Wire"\npublished: 2031-05-01\n---\n'
    (folder / "a.md").write_text(f"{front}\n{body * 3}\n")
    bot = Assistant(Settings(data_dir=tmp_path / "d", embedding_model="hash", ledger=False))
    assert bot.ingest([folder]).failed == []
    day = date(2031, 5, 1)
    assert bot.summary(day).since_last is None  # a plain summary neither reads nor writes it
    assert bot.summary(day, since_last=True).since_last is None  # no briefing before
    again = bot.summary(day, since_last=True)
    assert again.since_last is not None and again.since_last.new_stories == []
    assert again.since_last.last_date == "2031-05-01"
