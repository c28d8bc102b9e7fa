"""The figures of each evidence text, read at ingest and kept in the article database.

A number question ranks sentences by what their figures count and the verifier compares
figures; reading them needs spaCy's parser (about 2 s to load). Ingest reads them once per
text that will be evidence (a ledger sentence, or a passage when the ledger is off) and stores
them here, keyed by the text and by `figures.figures_version()`; a question loads the rows of
its evidence and parses only what is missing (a data dir from before this table, or stored
under another version).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from assistant.verify.figures import (
    Figure,
    figures_version,
    is_known,
    read_figures,
    remember_figures,
)
from ingest.database import ArticleDB

if TYPE_CHECKING:
    from spacy.tokens import Span

SCHEMA = """
CREATE TABLE IF NOT EXISTS figures (
    doc_id TEXT NOT NULL REFERENCES articles(doc_id) ON DELETE CASCADE,
    text_key TEXT NOT NULL,
    version TEXT NOT NULL,
    figures TEXT NOT NULL,
    PRIMARY KEY (doc_id, text_key)
);
CREATE INDEX IF NOT EXISTS figures_key ON figures(text_key);
"""
FILLED_KEY = "figures_version"  # meta: every complete article has rows of this version
_MAX_VARS = 500  # keys per SELECT (SQLite's bound-parameter limit is 999 on old builds)


def ensure_figure_table(db: ArticleDB) -> None:
    """Create the figures table if the data dir does not have it yet (older data dirs)."""
    db.conn.executescript(SCHEMA)


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def encode_figures(found: Sequence[Figure]) -> str:
    return json.dumps([[f.value, f.noun, f.surface, f.measure] for f in found])


def decode_figures(raw: str) -> list[Figure]:
    return [Figure(str(v), n, s, m) for v, n, s, m in json.loads(raw)]


def figure_rows(
    texts: Iterable[str], parsed: Mapping[str, Span] | None = None
) -> list[tuple[str, str]]:
    """(text_key, encoded figures) for each distinct text that holds a number; a text found in
    `parsed` (its parse made already, e.g. by the ledger) is read from it, the rest parsed here."""
    unique = list(dict.fromkeys(texts))
    spans = [parsed.get(t) for t in unique] if parsed else None
    return [
        (text_key(text), encode_figures(found))
        for text, found in zip(unique, read_figures(unique, parsed=spans), strict=True)
        if found is not None
    ]


def write_figures(conn: sqlite3.Connection, doc_id: str, rows: Sequence[tuple[str, str]]) -> None:
    """Replace the article's stored figures (inside the caller's transaction)."""
    conn.execute("DELETE FROM figures WHERE doc_id = ?", (doc_id,))
    version = figures_version()
    conn.executemany(
        "INSERT OR REPLACE INTO figures (doc_id, text_key, version, figures) VALUES (?, ?, ?, ?)",
        [(doc_id, key, version, raw) for key, raw in rows],
    )


def load_figures(db: ArticleDB, texts: Iterable[str]) -> int:
    """Make the stored figures of these texts known to `figures_in`; how many were found.
    Texts without a number or already known are skipped; a data dir without the table (an
    older release, opened read-only) simply has none."""
    wanted = {text_key(t): t for t in dict.fromkeys(texts) if not is_known(t)}
    if not wanted:
        return 0
    keys = list(wanted)
    version = figures_version()
    found: list[tuple[str, list[Figure]]] = []
    try:
        for lo in range(0, len(keys), _MAX_VARS):
            chunk = keys[lo : lo + _MAX_VARS]
            marks = ",".join("?" * len(chunk))
            rows = db.conn.execute(
                "SELECT text_key, figures FROM figures"
                f" WHERE version = ? AND text_key IN ({marks})",
                [version, *chunk],
            ).fetchall()
            found += [(wanted[key], decode_figures(raw)) for key, raw in rows]
    except sqlite3.OperationalError:
        return 0  # no figures table: every text is parsed when asked for
    remember_figures(found)
    return len(found)
