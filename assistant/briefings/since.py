"""What changed since the last briefing: its stories, contests and revisions kept as a small
record, compared with the new briefing's (pure; the store keeps the record, `Assistant` the
clock)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from assistant.briefings.stories import Briefing, Contest, Revision, SinceLast

RECORD_KEY = "last_briefing"


@dataclass(frozen=True, slots=True)
class BriefingRecord:
    """What a written briefing held: when, which period, the articles of each story, each
    contest's topic and parties, each revision's party and figures."""

    at: datetime
    date: str  # the period's label (`Briefing.date`)
    stories: list[list[str]] = field(default_factory=list)
    contests: list[tuple[str, list[str]]] = field(default_factory=list)
    revisions: list[tuple[str, str, str]] = field(default_factory=list)


def record_of(b: Briefing, at: datetime) -> BriefingRecord:
    return BriefingRecord(
        at,
        b.date,
        [sorted(s.doc_ids) for s in b.stories],
        [(c.topic, sorted({p.party for p in c.positions})) for s in b.stories for c in s.contested],
        [(r.party, r.before, r.after) for s in b.stories for r in s.revisions],
    )


def dump_record(record: BriefingRecord) -> str:
    return json.dumps(
        {
            "at": record.at.isoformat(timespec="seconds"),
            "date": record.date,
            "stories": record.stories,
            "contests": [[t, ps] for t, ps in record.contests],
            "revisions": [list(r) for r in record.revisions],
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def load_record(text: str | None) -> BriefingRecord | None:
    """The stored record, or None when there is none or it cannot be read (a briefing then
    shows no 'since the last briefing' section rather than failing)."""
    if not text:
        return None
    try:
        data = json.loads(text)
        at = datetime.fromisoformat(str(data["at"]))
        return BriefingRecord(
            at if at.tzinfo else at.replace(tzinfo=UTC),
            str(data["date"]),
            [[str(d) for d in ids] for ids in data.get("stories", [])],
            [(str(t), [str(p) for p in ps]) for t, ps in data.get("contests", [])],
            [(str(p), str(b), str(a)) for p, b, a in data.get("revisions", [])],
        )
    except (ValueError, KeyError, TypeError):
        return None


def since_last(b: Briefing, last: BriefingRecord | None) -> SinceLast | None:
    """New stories (none of their articles were in the last briefing), figures a party revised
    that the last briefing did not show, and contests that were not there (a new topic, or a
    party newly in it). None without a last briefing."""
    if last is None:
        return None
    seen_docs = {d for ids in last.stories for d in ids}
    new_stories = [s.title for s in b.stories if not seen_docs & set(s.doc_ids)]
    seen_revisions = set(last.revisions)
    revised: list[Revision] = [
        r
        for s in b.stories
        for r in s.revisions
        if (r.party, r.before, r.after) not in seen_revisions
    ]
    seen_contests = {(t, p) for t, ps in last.contests for p in ps}
    contested: list[Contest] = []
    for s in b.stories:
        for c in s.contested:
            parties = {p.party for p in c.positions}
            if any((c.topic, p) not in seen_contests for p in parties):
                contested.append(Contest(f"{s.title}: {c.topic}", c.positions))
    return SinceLast(last.at, last.date, new_stories, revised, contested)
