"""Reading and writing the claims ledger (the sentences table) and the party aliases."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.attribution import Quote, SentenceAttribution
from assistant.parties import PartyRegistry
from ingest.database import ArticleDB


@dataclass(frozen=True, slots=True)
class PartySummary:
    """One party of the corpus: its aliases and how many sentences it speaks."""

    party: str
    aliases: list[str]
    sentences: int
    articles: int


def write_ledger(
    conn: sqlite3.Connection, doc_id: str, records: Sequence[SentenceAttribution]
) -> None:
    conn.execute("DELETE FROM sentences WHERE doc_id = ?", (doc_id,))
    conn.executemany(
        'INSERT INTO sentences (doc_id, sentence_index, start, "end", paragraph, speaker,'
        " speaker_start, speaker_end, party, cue, cue_text, confidence, quotes)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                doc_id,
                r.sentence_index,
                r.start,
                r.end,
                r.paragraph,
                r.speaker,
                r.speaker_start,
                r.speaker_end,
                r.party,
                r.cue,
                r.cue_text,
                round(float(r.confidence), 4),
                json.dumps([[q.start, q.end, q.text, q.speaker, q.party] for q in r.quotes]),
            )
            for r in records
        ],
    )


def read_ledger(db: ArticleDB, doc_id: str) -> list[SentenceAttribution]:
    article = db.article(doc_id)
    if article is None:
        return []
    rows = db.conn.execute(
        'SELECT sentence_index, start, "end", paragraph, speaker, speaker_start, speaker_end,'
        " party, cue, cue_text, confidence, quotes FROM sentences WHERE doc_id = ?"
        " ORDER BY sentence_index",
        (doc_id,),
    )
    records = []
    for (
        index,
        start,
        end,
        paragraph,
        speaker,
        s_start,
        s_end,
        party,
        cue,
        cue_text,
        confidence,
        quotes,
    ) in rows:
        records.append(
            SentenceAttribution(
                sentence_index=index,
                start=start,
                end=end,
                text=article.text[start:end],
                paragraph=paragraph,
                speaker=speaker,
                speaker_start=s_start,
                speaker_end=s_end,
                party=party,
                cue=cue,
                cue_text=cue_text,
                confidence=confidence,
                quotes=tuple(Quote(q[0], q[1], q[2], q[3], q[4]) for q in json.loads(quotes)),
            )
        )
    return records


def ledger_for_passage_span(
    db: ArticleDB, doc_id: str, first: int, last: int
) -> list[tuple[int, int, str, str | None, str, float]]:
    """(start, end, party, speaker, cue, confidence) of sentences first..last of an article."""
    rows = db.conn.execute(
        'SELECT start, "end", party, speaker, cue, confidence FROM sentences'
        " WHERE doc_id = ? AND sentence_index BETWEEN ? AND ? ORDER BY sentence_index",
        (doc_id, first, last),
    )
    return [tuple(row) for row in rows]


def load_registry(db: ArticleDB, base: PartyRegistry | None = None) -> PartyRegistry:
    """The corpus-wide registry: stored aliases, merged over the user's file if given."""
    rows = db.conn.execute("SELECT canonical, alias FROM party_aliases ORDER BY canonical, alias")
    stored = PartyRegistry.from_records([(str(c), str(a)) for c, a in rows])
    if base is None:
        return stored
    base.merge(stored)
    return base


def save_registry(conn: sqlite3.Connection, registry: PartyRegistry) -> None:
    conn.execute("DELETE FROM party_aliases")
    conn.executemany(
        "INSERT OR REPLACE INTO party_aliases (canonical, alias) VALUES (?, ?)",
        registry.to_records(),
    )


def party_summaries(db: ArticleDB) -> list[PartySummary]:
    aliases: dict[str, list[str]] = {}
    for canonical, alias in db.conn.execute(
        "SELECT canonical, alias FROM party_aliases ORDER BY canonical, alias"
    ):
        aliases.setdefault(canonical, []).append(alias)
    rows = db.conn.execute(
        "SELECT s.party, COUNT(*), COUNT(DISTINCT s.doc_id) FROM sentences s"
        " JOIN articles a ON a.doc_id = s.doc_id AND a.status = 'complete'"
        " GROUP BY s.party ORDER BY COUNT(*) DESC, s.party"
    )
    return [
        PartySummary(party, [a for a in aliases.get(party, []) if a != party], count, articles)
        for party, count, articles in rows
    ]
