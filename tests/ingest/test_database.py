"""The article database: schema migration of data dirs written by older releases."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

from assistant.claims.store import ensure_tables, ledger_rows, load_registry, read_ledger
from ingest.database import SCHEMA_VERSION, ArticleDB, stored_day

V1 = Path(__file__).resolve().parents[1] / "data" / "migrations" / "schema_v1.sql"


def _v1_db(tmp_path: Path) -> Path:
    path = tmp_path / "briefing.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(V1.read_text(encoding="utf-8"))
    conn.commit()
    conn.close()
    return path


def test_a_version_1_data_dir_is_migrated_in_place_and_keeps_everything(tmp_path: Path) -> None:
    db = ArticleDB(_v1_db(tmp_path))
    ensure_tables(db)
    assert db.schema_version() == SCHEMA_VERSION == 2
    assert [a.doc_id for a in db.articles()] == ["doc-1"]
    assert db.passage_labels(["doc-1:0"]) == {"doc-1:0": ["The group", "The army"]}
    assert db.filter_passages(label="The army") == {"doc-1:0"}
    assert db.filter_passages(label="The navy") == set()
    ledger = read_ledger(db, "doc-1")
    assert [r.party for r in ledger] == ["narrator", "The group", "The army"]
    assert ledger[1].text == "The group said it killed 25 soldiers."
    assert [r.sentence_index for r in ledger_rows(db, "doc-1", 1, 2)] == [1, 2]
    assert load_registry(db).resolve("NF") == "Northern Front"
    db.close()
    # opening again is a no-op: same version, same rows
    again = ArticleDB(tmp_path / "briefing.sqlite3")
    assert again.schema_version() == 2
    assert again.passage_labels(["doc-1:0"])["doc-1:0"] == ["The group", "The army"]
    again.close()


def test_stored_text_is_read_once_into_dates_and_times(tmp_path: Path) -> None:
    """The columns hold ISO text (old data dirs too); the records carry a date and a UTC time,
    and the date filters take dates."""
    db = ArticleDB(_v1_db(tmp_path))
    ensure_tables(db)
    [article] = db.articles()
    assert article.published == date(2026, 3, 10)
    assert article.ingested_at == datetime(2026, 3, 10, tzinfo=UTC)
    assert db.latest_published() == date(2026, 3, 10)
    assert db.published_between(date(2026, 3, 10), date(2026, 3, 10)) == ["doc-1"]
    assert db.published_between(date(2026, 3, 11), date(2026, 3, 12)) == []
    assert db.filter_passages(since=date(2026, 3, 10)) == {"doc-1:0"}
    assert db.filter_passages(until=date(2026, 3, 9)) == set()
    assert db.article_heads(["doc-1"])["doc-1"][2] == date(2026, 3, 10)
    db.close()


def test_stored_day_reads_the_iso_date_part_and_gives_none_for_anything_else() -> None:
    assert stored_day("2026-03-10") == date(2026, 3, 10)
    assert stored_day("2026-03-10T08:00:00Z") == date(2026, 3, 10)
    assert stored_day(None) is None and stored_day("") is None and stored_day("March") is None


def test_a_new_data_dir_starts_at_the_current_version(tmp_path: Path) -> None:
    db = ArticleDB(tmp_path / "new.sqlite3")
    assert db.schema_version() == SCHEMA_VERSION
    columns = {r[1] for r in db.conn.execute("PRAGMA table_info(passages)")}
    assert "labels" in columns and "parties" not in columns
    tables = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master")}
    assert "sentences" not in tables  # the claims layer creates its own tables
    ensure_tables(db)
    tables = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master")}
    assert {"sentences", "party_aliases"} <= tables
    db.close()


def _open_and_count(path: str) -> int:
    from ingest.database import ArticleDB

    db = ArticleDB(Path(path))
    try:
        return len(db.states(["x"]))
    finally:
        db.close()


def test_processes_opening_a_new_data_dir_at_once_all_succeed(tmp_path: Path) -> None:
    """Switching a new database to WAL takes an exclusive lock SQLite does not wait for; every
    opener must still get in (two `briefing ingest` runs started together on a new data dir)."""
    import multiprocessing

    path = tmp_path / "d" / "briefing.sqlite"
    with multiprocessing.get_context("spawn").Pool(6) as pool:
        counts = pool.map(_open_and_count, [str(path)] * 12)
    assert counts == [0] * 12
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
