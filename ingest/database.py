"""The article database (SQLite in the data dir): articles and their passages.

The claims layer keeps its own tables in the same file (`assistant.claims.store`); this module
knows nothing of claims. Each passage carries free-form `labels` (the claims layer stores the
parties speaking in it there) that retrieval can filter on.

Write order for one article: rows go in as `pending`, vectors go to the vector store, then the
article is marked `complete`. A `pending` or `deleting` row found later is an interrupted run
and is redone or finished (see assistant.ingestion.recover).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from ingest.errors import StoreError
from ingest.types import Article, Passage

ArticleStatus = Literal["pending", "complete", "deleting"]

# Version 1: the first release (passages.parties). Version 2: passages.labels.
SCHEMA_VERSION = 2

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
    labels TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
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
    published: date | None
    url: str | None
    author: str | None
    source_path: str | None
    content_hash: str
    ingested_at: datetime
    status: ArticleStatus
    chunks: int
    text: str = ""


def stored_day(value: object) -> date | None:
    """A `published` column value (ISO text) as a date; None when empty or unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def stored_time(value: object) -> datetime:
    """An ISO timestamp column value as a datetime (UTC when the text names no zone)."""
    stamp = datetime.fromisoformat(str(value))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def iso_day(day: date | None) -> str | None:
    """A date as the ISO text the `published` column holds."""
    return day.isoformat() if day else None


def _stored(row: Sequence[Any]) -> StoredArticle:
    """A row of `_COLUMNS` (and text) as a StoredArticle: the column text parsed once, here."""
    doc_id, title, outlet, published, url, author, source, digest, at, status, chunks = row[:11]
    text = row[11] if len(row) > 11 else ""
    return StoredArticle(
        doc_id,
        title,
        outlet,
        stored_day(published),
        url,
        author,
        source,
        digest,
        stored_time(at),
        status,
        chunks,
        text,
    )


def _use_wal(conn: sqlite3.Connection, attempts: int = 50) -> None:
    """Switch a database to WAL once (the mode is stored in the file). Setting the mode takes
    an exclusive lock and SQLite does not wait for it with the busy timeout, so two processes
    opening a new data dir at once retry here instead of failing with "database is locked"."""
    for attempt in range(attempts):
        try:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(min(0.05 * (attempt + 1), 0.5))


class ArticleDB:
    """Thin typed access to the SQLite file; one connection per thread.

    The web app serves each browser session from its own thread: a shared connection would
    interleave their transactions, so every thread gets its own (WAL lets them read at once).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._migrate()
            self.conn.executescript(SCHEMA)
            if self.get_meta("schema_version") != str(SCHEMA_VERSION):
                with self.conn:
                    self.set_meta(self.conn, "schema_version", str(SCHEMA_VERSION))
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the article database {path}: {exc}") from exc

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                _use_wal(conn)
                conn.execute("PRAGMA foreign_keys=ON")
                conn.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.Error as exc:
                raise StoreError(
                    f"cannot open the article database {self.path}: {exc}; check the data dir "
                    "(BRIEFING_DATA_DIR) is writable"
                ) from exc
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    def _migrate(self) -> None:
        """Bring a data dir written by an older release up to SCHEMA_VERSION, in place."""
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master")}
        if "passages" not in tables:
            return  # a new database
        columns = {r[1] for r in self.conn.execute("PRAGMA table_info(passages)")}
        if "parties" in columns and "labels" not in columns:  # version 1 -> 2
            with self.conn:
                self.conn.execute("ALTER TABLE passages RENAME COLUMN parties TO labels")

    def schema_version(self) -> int:
        value = self.get_meta("schema_version")
        return int(value) if value else 1

    def close(self) -> None:
        """Close every thread's connection."""
        with self._all_lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

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

    def source_paths(self, doc_ids: Iterable[str]) -> dict[str, str | None]:
        """doc_id -> the source it was read from, for the ids that are stored."""
        ids = list(dict.fromkeys(doc_ids))
        found: dict[str, str | None] = {}
        for lo in range(0, len(ids), 500):
            part = ids[lo : lo + 500]
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(
                f"SELECT doc_id, source_path FROM articles WHERE doc_id IN ({marks})", part
            )
            found.update({r[0]: r[1] for r in rows})
        return found

    def write_pending(
        self,
        conn: sqlite3.Connection,
        article: Article,
        passages: Sequence[Passage],
        passage_labels: Sequence[str],
        ingested_at: datetime,
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
                iso_day(article.published),
                article.url,
                article.author,
                article.source_path,
                article.content_hash,
                article.text,
                ingested_at.isoformat(timespec="seconds"),
                len(passages),
            ),
        )
        conn.executemany(
            'INSERT INTO passages (id, doc_id, idx, start, "end", text, first_sentence,'
            " last_sentence, labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    labels,
                )
                for p, labels in zip(passages, passage_labels, strict=True)
            ],
        )

    def mark(self, conn: sqlite3.Connection, doc_ids: Sequence[str], status: ArticleStatus) -> None:
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
        return [_stored(row) for row in rows]

    def articles(self, with_text: bool = False) -> list[StoredArticle]:
        extra = ", text" if with_text else ""
        rows = self.conn.execute(
            f"SELECT {_COLUMNS}{extra} FROM articles WHERE status = 'complete'"
            " ORDER BY published DESC, title"
        )
        return [_stored(row) for row in rows]

    def article(self, doc_id: str) -> StoredArticle | None:
        row = self.conn.execute(
            f"SELECT {_COLUMNS}, text FROM articles WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return _stored(row) if row else None

    def article_by_source(self, source_path: str) -> StoredArticle | None:
        row = self.conn.execute(
            f"SELECT {_COLUMNS}, text FROM articles WHERE source_path = ? ORDER BY doc_id",
            (source_path,),
        ).fetchone()
        return _stored(row) if row else None

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
    def first_passage_id(self, doc_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT id FROM passages WHERE doc_id = ? ORDER BY idx LIMIT 1", (doc_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def passage_labels(self, ids: Sequence[str]) -> dict[str, list[str]]:
        """passage id -> its labels (the parties speaking in it, for the claims layer)."""
        found: dict[str, list[str]] = {}
        for lo in range(0, len(ids), 500):
            chunk = list(ids[lo : lo + 500])
            rows = self.conn.execute(
                f"SELECT id, labels FROM passages WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update({pid: [x for x in value.split("|") if x] for pid, value in rows})
        return found

    def complete_passage_texts(self) -> list[tuple[str, str]]:
        """(passage id, article title + passage text) of every complete article, by id."""
        rows = self.conn.execute(
            "SELECT p.id, a.title || ' ' || p.text FROM passages p JOIN articles a "
            "ON a.doc_id = p.doc_id AND a.status = 'complete' ORDER BY p.id"
        ).fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]

    def filter_passages(
        self,
        *,
        among: Sequence[str] | None = None,
        since: date | None = None,
        until: date | None = None,
        outlet: str | None = None,
        label: str | None = None,
    ) -> set[str]:
        """Ids of complete articles' passages that pass every given filter."""
        sql = [
            "SELECT p.id FROM passages p JOIN articles a ON a.doc_id = p.doc_id"
            " WHERE a.status='complete'"
        ]
        args: list[str] = []
        if among is not None:
            if not among:
                return set()
            sql.append(f"AND p.id IN ({','.join('?' * len(among))})")
            args.extend(among)
        if since:
            sql.append("AND a.published >= ?")
            args.append(since.isoformat())
        if until:
            sql.append("AND a.published <= ?")
            args.append(until.isoformat())
        if outlet:
            sql.append("AND a.outlet = ?")
            args.append(outlet)
        if label:
            sql.append("AND ('|' || p.labels || '|') LIKE ?")
            args.append(f"%|{label}|%")
        return {str(r[0]) for r in self.conn.execute(" ".join(sql), args)}

    def article_heads(
        self, doc_ids: Iterable[str]
    ) -> dict[str, tuple[str, str | None, date | None, str | None]]:
        """doc_id -> (title, outlet, published, url) of the complete ones among `doc_ids`."""
        ids = list(doc_ids)
        if not ids:
            return {}
        rows = self.conn.execute(
            "SELECT doc_id, title, outlet, published, url FROM articles WHERE status='complete' "
            f"AND doc_id IN ({','.join('?' * len(ids))})",
            ids,
        )
        return {r[0]: (r[1], r[2], stored_day(r[3]), r[4]) for r in rows}

    def latest_published(self) -> date | None:
        row = self.conn.execute(
            "SELECT MAX(published) FROM articles WHERE status='complete'"
        ).fetchone()
        return stored_day(row[0]) if row else None

    def published_between(self, since: date, until: date) -> list[str]:
        """doc_ids of complete articles published in [since, until], by date then id."""
        rows = self.conn.execute(
            "SELECT doc_id FROM articles WHERE status='complete' AND published BETWEEN ? AND ?"
            " ORDER BY published, doc_id",
            (since.isoformat(), until.isoformat()),
        ).fetchall()
        return [str(r[0]) for r in rows]

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
