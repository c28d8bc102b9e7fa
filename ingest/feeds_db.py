"""Feed state and syndication links, in the article database's SQLite file, own tables.

`feeds`: one row per subscribed feed (its current URL, validators, pause, Retry-After, the last
poll). `feed_entries`: the entries already ingested, with a hash of what the feed said, so an
unchanged entry costs no page fetch. `article_minhash` and `article_copies`: each article's
MinHash signature, and which stored article an article copies (syndication). Rows of a deleted
or replaced article go with it (ON DELETE CASCADE), so a changed article is linked afresh.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ingest.database import ArticleDB, stored_day, stored_time

SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    outlet TEXT,
    added_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
    etag TEXT,
    last_modified TEXT,
    retry_at TEXT,
    last_fetched TEXT,
    last_status TEXT,
    last_http_status INTEGER,
    last_error TEXT,
    last_new INTEGER NOT NULL DEFAULT 0,
    last_updated INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS feed_entries (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    entry_key TEXT NOT NULL,
    entry_hash TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (feed_id, entry_key)
);
CREATE TABLE IF NOT EXISTS article_minhash (
    doc_id TEXT PRIMARY KEY REFERENCES articles(doc_id) ON DELETE CASCADE,
    signature BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS article_copies (
    doc_id TEXT PRIMARY KEY REFERENCES articles(doc_id) ON DELETE CASCADE,
    original TEXT NOT NULL REFERENCES articles(doc_id) ON DELETE CASCADE,
    similarity REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS article_copies_original ON article_copies(original);
"""

_FEED_COLUMNS = (
    "id, url, outlet, added_at, status, etag, last_modified, retry_at, last_fetched,"
    " last_status, last_http_status, last_error, last_new, last_updated"
)


@dataclass(frozen=True, slots=True)
class FeedRow:
    """A subscribed feed as stored."""

    id: int
    url: str
    outlet: str | None
    added_at: datetime
    status: str  # 'active' | 'paused' (the feed answered 410 Gone)
    etag: str | None
    last_modified: str | None  # the server's Last-Modified header, sent back as it came
    retry_at: datetime | None  # before this the server asked not to be polled
    last_fetched: datetime | None
    last_status: str | None
    last_http_status: int | None
    last_error: str | None
    last_new: int
    last_updated: int


@dataclass(frozen=True, slots=True)
class FeedPoll:
    """What one poll of a feed found, to remember until the next one."""

    fetched_at: datetime
    status: str
    http_status: int | None
    error: str | None
    new: int = 0
    updated: int = 0


def _stamp(at: datetime) -> str:
    """A time as the ISO text the columns hold (to the second)."""
    return at.isoformat(timespec="seconds")


def _feed_row(row: Sequence[Any]) -> FeedRow:
    """A row of `_FEED_COLUMNS` as a FeedRow: the time columns parsed once, here."""
    fid, url, outlet, added, status, etag, modified, retry, fetched, *rest = row
    return FeedRow(
        fid,
        url,
        outlet,
        stored_time(added),
        status,
        etag,
        modified,
        stored_time(retry) if retry else None,
        stored_time(fetched) if fetched else None,
        *rest,
    )


def ensure_feed_tables(db: ArticleDB) -> None:
    db.conn.executescript(SCHEMA)


# -- feeds ---------------------------------------------------------------------------------
def add_feed(db: ArticleDB, url: str, outlet: str | None, added_at: datetime) -> FeedRow:
    """Subscribe (idempotent: a known URL keeps its state, gets the new outlet, is resumed)."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO feeds (url, outlet, added_at) VALUES (?, ?, ?) ON CONFLICT(url) DO UPDATE"
            " SET outlet = COALESCE(excluded.outlet, outlet), status = 'active', retry_at = NULL",
            (url, outlet, _stamp(added_at)),
        )
    found = feed_by_url(db, url)
    assert found is not None
    return found


def feed_by_url(db: ArticleDB, url: str) -> FeedRow | None:
    row = db.conn.execute(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE url = ?", (url,)).fetchone()
    return _feed_row(row) if row else None


def list_feeds(db: ArticleDB) -> list[FeedRow]:
    rows = db.conn.execute(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id").fetchall()
    return [_feed_row(row) for row in rows]


def remove_feed(db: ArticleDB, url: str) -> bool:
    """Unsubscribe; the articles it brought stay. False when the URL was not subscribed."""
    with db.transaction() as conn:
        found = conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
        if found is None:
            return False
        conn.execute("DELETE FROM feed_entries WHERE feed_id = ?", (found[0],))
        conn.execute("DELETE FROM feeds WHERE id = ?", (found[0],))
    return True


def move_feed(db: ArticleDB, feed_id: int, new_url: str) -> None:
    """A permanent redirect: the feed is known by its new URL from now on."""
    with db.transaction() as conn:
        other = conn.execute(
            "SELECT id FROM feeds WHERE url = ? AND id != ?", (new_url, feed_id)
        ).fetchone()
        if other is not None:  # already subscribed under the new URL: keep one subscription
            conn.execute("DELETE FROM feed_entries WHERE feed_id = ?", (other[0],))
            conn.execute("DELETE FROM feeds WHERE id = ?", (other[0],))
        conn.execute("UPDATE feeds SET url = ? WHERE id = ?", (new_url, feed_id))


def record_poll(
    db: ArticleDB,
    feed_id: int,
    poll: FeedPoll,
    *,
    validators: tuple[str | None, str | None] | None = None,
    pause: bool = False,
    retry_at: datetime | None = None,
) -> None:
    """Remember a poll; validators (etag, last_modified) only once every entry is stored."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE feeds SET last_fetched = ?, last_status = ?, last_http_status = ?,"
            " last_error = ?, last_new = ?, last_updated = ?, retry_at = ? WHERE id = ?",
            (
                _stamp(poll.fetched_at),
                poll.status,
                poll.http_status,
                poll.error,
                poll.new,
                poll.updated,
                _stamp(retry_at) if retry_at else None,
                feed_id,
            ),
        )
        if validators is not None:
            conn.execute(
                "UPDATE feeds SET etag = ?, last_modified = ? WHERE id = ?", (*validators, feed_id)
            )
        if pause:
            conn.execute("UPDATE feeds SET status = 'paused' WHERE id = ?", (feed_id,))


def seen_entries(db: ArticleDB, feed_id: int) -> dict[str, str]:
    """entry key -> hash of the entry as last ingested."""
    rows = db.conn.execute(
        "SELECT entry_key, entry_hash FROM feed_entries WHERE feed_id = ?", (feed_id,)
    )
    return {str(r[0]): str(r[1]) for r in rows}


def record_entries(
    db: ArticleDB, feed_id: int, entries: Sequence[tuple[str, str, str]], seen_at: datetime
) -> None:
    """(entry key, entry hash, doc_id) of entries whose article is now stored."""
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO feed_entries (feed_id, entry_key, entry_hash, doc_id, seen_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(feed_id, entry_key) DO UPDATE SET"
            " entry_hash = excluded.entry_hash, doc_id = excluded.doc_id,"
            " seen_at = excluded.seen_at",
            [(feed_id, key, digest, doc_id, _stamp(seen_at)) for key, digest, doc_id in entries],
        )


# -- syndication ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SignedArticle:
    """A complete article around a period, with its stored MinHash signature if it has one."""

    doc_id: str
    published: date | None
    ingested_at: datetime
    signature: bytes | None
    written: int  # SQLite rowid: later writes get larger ones (orders same-second ingests)


def articles_for_syndication(
    db: ArticleDB, since: date | None, until: date | None
) -> list[SignedArticle]:
    """Complete articles published in [since, until] (or undated), with their signatures."""
    sql = (
        "SELECT a.doc_id, a.published, a.ingested_at, m.signature, a.rowid FROM articles a"
        " LEFT JOIN article_minhash m ON m.doc_id = a.doc_id WHERE a.status = 'complete'"
    )
    args: list[str] = []
    if since and until:
        sql += " AND (a.published IS NULL OR a.published BETWEEN ? AND ?)"
        args = [since.isoformat(), until.isoformat()]
    rows = db.conn.execute(sql + " ORDER BY a.doc_id", args).fetchall()
    return [SignedArticle(r[0], stored_day(r[1]), stored_time(r[2]), r[3], int(r[4])) for r in rows]


def save_signatures(
    db: ArticleDB | sqlite3.Connection, signatures: Iterable[tuple[str, bytes]]
) -> None:
    """Store MinHash signatures: in their own transaction, or in the caller's open one when
    given its connection (the ingest writes them with the article's other rows)."""
    sql = "INSERT OR REPLACE INTO article_minhash (doc_id, signature) VALUES (?, ?)"
    if isinstance(db, sqlite3.Connection):
        db.executemany(sql, list(signatures))
        return
    with db.transaction() as conn:
        conn.executemany(sql, list(signatures))


def save_copies(db: ArticleDB, links: Iterable[tuple[str, str, float]]) -> None:
    """(copy doc_id, original doc_id, similarity); an original is never a copy itself."""
    with db.transaction() as conn:
        for copy, original, similarity in links:
            _link(conn, copy, original, similarity)


def _link(conn: sqlite3.Connection, copy: str, original: str, similarity: float) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO article_copies (doc_id, original, similarity) VALUES (?, ?, ?)",
        (copy, original, similarity),
    )
    # Copies of the new copy now point at its original (one level, no chains).
    conn.execute("UPDATE article_copies SET original = ? WHERE original = ?", (original, copy))
    conn.execute("DELETE FROM article_copies WHERE doc_id = original")


def copies_of(db: ArticleDB, doc_ids: Iterable[str]) -> dict[str, str]:
    """copy doc_id -> original doc_id, for the given ids that copy a stored article."""
    ids = list(dict.fromkeys(doc_ids))
    found: dict[str, str] = {}
    for lo in range(0, len(ids), 500):
        part = ids[lo : lo + 500]
        rows = db.conn.execute(
            "SELECT c.doc_id, c.original FROM article_copies c JOIN articles a"
            " ON a.doc_id = c.original AND a.status = 'complete'"
            f" WHERE c.doc_id IN ({','.join('?' * len(part))})",
            part,
        )
        found.update({str(r[0]): str(r[1]) for r in rows})
    return found
