"""The claims tables (the ledger's sentences and the party aliases), behind typed methods.

They live in the article database's SQLite file, next to the articles they describe (a deleted
article takes its ledger with it), but only this module knows their shape.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

# records, not attribution: listing sources or reading the ledger needs no attribution code
from assistant.claims.records import Quote, SentenceAttribution
from assistant.types import Cue
from ingest.database import ArticleDB

if TYPE_CHECKING:
    from assistant.claims.parties import PartyRegistry

SCHEMA = """
CREATE TABLE IF NOT EXISTS sentences (
    doc_id TEXT NOT NULL REFERENCES articles(doc_id) ON DELETE CASCADE,
    sentence_index INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    speaker TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    party TEXT NOT NULL,
    cue TEXT NOT NULL,
    cue_text TEXT,
    confidence REAL NOT NULL,
    quotes TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (doc_id, sentence_index)
);
CREATE INDEX IF NOT EXISTS sentences_party ON sentences(party);
CREATE TABLE IF NOT EXISTS party_aliases (
    alias TEXT PRIMARY KEY,
    canonical TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One sentence's label as stored: offsets into the article, who says it, how we know."""

    sentence_index: int
    start: int
    end: int
    party: str
    speaker: str | None
    cue: Cue
    confidence: float


def ensure_tables(db: ArticleDB) -> None:
    """Create the claims tables in the article database if they are not there yet."""
    db.conn.executescript(SCHEMA)


# A party stored with an article may since have merged into another (a person later found to
# speak for a body): rows read back under the party that holds the name now.
_CURRENT_PARTY = (
    "COALESCE((SELECT a.canonical FROM party_aliases a WHERE a.alias = sentences.party), party)"
)


def ledger_rows(
    db: ArticleDB, doc_id: str, first: int | None = None, last: int | None = None
) -> list[LedgerRow]:
    """The stored labels of an article's sentences (all, or sentences first..last)."""
    sql = (
        f'SELECT sentence_index, start, "end", {_CURRENT_PARTY}, speaker, cue, confidence'
        " FROM sentences WHERE doc_id = ?"
    )
    args: list[object] = [doc_id]
    if first is not None and last is not None:
        sql += " AND sentence_index BETWEEN ? AND ?"
        args += [first, last]
    rows = db.conn.execute(sql + " ORDER BY sentence_index", args).fetchall()
    return [LedgerRow(r[0], r[1], r[2], r[3], r[4], cast(Cue, r[5]), float(r[6])) for r in rows]


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
        f" {_CURRENT_PARTY}, cue, cue_text, confidence, quotes FROM sentences WHERE doc_id = ?"
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


def load_registry(db: ArticleDB, base: PartyRegistry | None = None) -> PartyRegistry:
    """The corpus-wide registry: stored aliases, merged over the user's file if given."""
    rows = db.conn.execute("SELECT canonical, alias FROM party_aliases ORDER BY canonical, alias")
    from assistant.claims.parties import PartyRegistry

    stored = PartyRegistry.from_records([(str(c), str(a)) for c, a in rows])
    if base is None:
        return stored
    base.merge(stored)
    return base


def save_registry(conn: sqlite3.Connection, registry: PartyRegistry) -> None:
    """Upsert the registry's aliases; aliases another process learned stay (no delete-all)."""
    conn.executemany(
        "INSERT INTO party_aliases (canonical, alias) VALUES (?, ?)"
        " ON CONFLICT(alias) DO UPDATE SET canonical = excluded.canonical",
        registry.to_records(),
    )


def party_summaries(db: ArticleDB) -> list[PartySummary]:
    aliases: dict[str, list[str]] = {}
    for canonical, alias in db.conn.execute(
        "SELECT canonical, alias FROM party_aliases ORDER BY canonical, alias"
    ):
        aliases.setdefault(canonical, []).append(alias)
    rows = db.conn.execute(
        "SELECT party, COUNT(*), COUNT(DISTINCT doc_id) FROM ("
        f"SELECT {_CURRENT_PARTY} AS party, sentences.doc_id AS doc_id FROM sentences"
        " JOIN articles a ON a.doc_id = sentences.doc_id AND a.status = 'complete')"
        " GROUP BY party ORDER BY COUNT(*) DESC, party"
    )
    return [
        PartySummary(party, [a for a in aliases.get(party, []) if a != party], count, articles)
        for party, count, articles in rows
    ]
