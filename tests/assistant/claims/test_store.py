"""The claims tables: a party merged after its rows were stored reads back under its new name."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from assistant.claims.parties import PartyRegistry
from assistant.claims.store import (
    ensure_tables,
    ledger_rows,
    load_registry,
    party_summaries,
    read_ledger,
    save_registry,
)
from ingest.database import ArticleDB

V1 = Path(__file__).resolve().parents[2] / "data" / "migrations" / "schema_v1.sql"


def _db(tmp_path: Path) -> ArticleDB:
    path = tmp_path / "briefing.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(V1.read_text(encoding="utf-8"))
    conn.commit()
    conn.close()
    db = ArticleDB(path)
    ensure_tables(db)
    return db


def test_rows_of_a_party_that_merged_later_read_back_under_the_new_party(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with db.conn:  # as an earlier article left it: a person of her own
        db.conn.execute("UPDATE sentences SET party = 'Ana Brisk' WHERE party = 'The army'")
    assert [r.party for r in ledger_rows(db, "doc-1")] == ["narrator", "The group", "Ana Brisk"]
    registry = load_registry(db)
    registry.add_party("Ana Brisk")
    registry.add_alias("Velor military", "Ana Brisk")  # a later article: she speaks for it
    with db.conn:
        save_registry(db.conn, registry)
    assert [r.party for r in ledger_rows(db, "doc-1")] == [
        "narrator",
        "The group",
        "Velor military",
    ]
    assert [r.party for r in read_ledger(db, "doc-1")][2] == "Velor military"
    summaries = {s.party: s.sentences for s in party_summaries(db)}
    assert "Ana Brisk" not in summaries
    assert summaries["Velor military"] == 1
    db.close()


def test_rows_keep_their_party_when_nothing_merged(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with db.conn:
        save_registry(db.conn, PartyRegistry())
    assert [r.party for r in ledger_rows(db, "doc-1")] == ["narrator", "The group", "The army"]
    db.close()
