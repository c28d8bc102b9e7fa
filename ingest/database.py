"""The article database (SQLite in the data dir): articles, passages, the claims ledger, parties.

Write order for one article: rows go in as `pending`, vectors go to the vector store, then the
article is marked `complete`. A `pending` or `deleting` row found later is an interrupted run
and is redone or finished (see assistant.ingestion.recover).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import StoreError
from ingest.types import Article, Passage

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    doc_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    outlet TEXT,
    published TEXT,
    url TEXT,
    author TEXT,
    source_path TEXT,
    content_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'complete', 'deleting')),
    chunks INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE TABLE IF NOT EXISTS passages (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES articles(doc_id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    first_sentence INTEGER NOT NULL,
    last_sentence INTEGER NOT NULL,
    parties TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
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
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as stored, with its bookkeeping."""

    doc_id: str
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    author: str | None
    source_path: str | None
    content_hash: str
    ingested_at: str
    status: str
    chunks: int
    text: str = ""


class ArticleDB:
    """Thin typed access to the SQLite file; one connection per instance."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the article database {path}: {exc}") from exc

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit: everything inside commits together or not at all."""
        try:
            with self.conn:
                yield self.conn
        except sqlite3.Error as exc:
            raise StoreError(f"article database {self.path}: {exc}") from exc

    # -- articles --------------------------------------------------------------------------
    def states(self, doc_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """doc_id -> (content_hash, status) for the ids that are stored."""
        ids = list(dict.fromkeys(doc_ids))
        found: dict[str, tuple[str, str]] = {}
        for lo in range(0, len(ids), 500):
            part = ids[lo : lo + 500]
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(
                f"SELECT doc_id, content_hash, status FROM articles WHERE doc_id IN ({marks})", part
            )
            found.update({r[0]: (r[1], r[2]) for r in rows})
        return found

    def write_pending(
        self,
        conn: sqlite3.Connection,
        article: Article,
        passages: Sequence[Passage],
        passage_parties: Sequence[str],
        ingested_at: str,
    ) -> None:
        """Replace every row of the article with the new version, marked pending."""
        conn.execute("DELETE FROM articles WHERE doc_id = ?", (article.doc_id,))
        conn.execute(
            "INSERT INTO articles (doc_id, title, outlet, published, url, author, source_path,"
            " content_hash, text, ingested_at, status, chunks)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)",
            (
                article.doc_id,
                article.title,
                article.outlet,
                article.published,
                article.url,
                article.author,
                article.source_path,
                article.content_hash,
                article.text,
                ingested_at,
                len(passages),
            ),
        )
        conn.executemany(
            'INSERT INTO passages (id, doc_id, idx, start, "end", text, first_sentence,'
            " last_sentence, parties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    p.id,
                    p.doc_id,
                    p.index,
                    p.start,
                    p.end,
                    p.text,
                    p.first_sentence,
                    p.last_sentence,
                    parties,
                )
                for p, parties in zip(passages, passage_parties, strict=True)
            ],
        )

    def mark(self, conn: sqlite3.Connection, doc_ids: Sequence[str], status: str) -> None:
        conn.executemany(
            "UPDATE articles SET status = ? WHERE doc_id = ?", [(status, d) for d in doc_ids]
        )
        if status == "complete":
            self._bump_version(conn)

    def delete(self, conn: sqlite3.Connection, doc_id: str) -> None:
        conn.execute("DELETE FROM articles WHERE doc_id = ?", (doc_id,))
        self._bump_version(conn)

    def _bump_version(self, conn: sqlite3.Connection) -> None:
        """Every change to the complete corpus bumps a counter: indexes compare it, cheaply."""
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('corpus_version', '1') ON CONFLICT(key) "
            "DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
        )

    def corpus_version(self) -> str:
        return self.get_meta("corpus_version") or "0"

    def unfinished(self) -> list[StoredArticle]:
        """Articles a crashed run left pending or half-deleted, with their text."""
        rows = self.conn.execute(
            f"SELECT {_COLUMNS}, text FROM articles WHERE status != 'complete' ORDER BY doc_id"
        )
        return [StoredArticle(*row) for row in rows]

    def articles(self, with_text: bool = False) -> list[StoredArticle]:
        extra = ", text" if with_text else ""
        rows = self.conn.execute(
            f"SELECT {_COLUMNS}{extra} FROM articles WHERE status = 'complete'"
            " ORDER BY published DESC, title"
        )
        return [StoredArticle(*row) for row in rows]

    def article(self, doc_id: str) -> StoredArticle | None:
        row = self.conn.execute(
            f"SELECT {_COLUMNS}, text FROM articles WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return StoredArticle(*row) if row else None

    def article_by_source(self, source_path: str) -> StoredArticle | None:
        row = self.conn.execute(
            f"SELECT {_COLUMNS}, text FROM articles WHERE source_path = ? ORDER BY doc_id",
            (source_path,),
        ).fetchone()
        return StoredArticle(*row) if row else None

    def count_articles(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    # -- passages --------------------------------------------------------------------------
    def passages(self, ids: Sequence[str]) -> dict[str, Passage]:
        found: dict[str, Passage] = {}
        for lo in range(0, len(ids), 500):
            part = list(ids[lo : lo + 500])
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(
                f'SELECT id, doc_id, idx, start, "end", text, first_sentence, last_sentence'
                f" FROM passages WHERE id IN ({marks})",
                part,
            )
            found.update({row[0]: Passage(*row) for row in rows})
        return found

    def passages_of(self, doc_id: str) -> list[Passage]:
        rows = self.conn.execute(
            'SELECT id, doc_id, idx, start, "end", text, first_sentence, last_sentence'
            " FROM passages WHERE doc_id = ? ORDER BY idx",
            (doc_id,),
        )
        return [Passage(*row) for row in rows]

    def passage_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0])

    def all_passage_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM passages ORDER BY id")]

    # -- meta ------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ?",
            (key, value, value),
        )


_COLUMNS = (
    "doc_id, title, outlet, published, url, author, source_path, content_hash, ingested_at,"
    " status, chunks"
)
