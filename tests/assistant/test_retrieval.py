from __future__ import annotations

from datetime import date
from pathlib import Path

from assistant.api import Assistant
from assistant.dates import find_period
from assistant.retrieval import BM25Index, Filters, to_where
from assistant.settings import Settings
from ingest.store import MemoryStore
from tests.conftest import CountingEmbedder


def _write(folder: Path, name: str, title: str, body: str, day: str = "2026-03-11") -> Path:
    path = folder / name
    path.write_text(f"---\ntitle: {title}\noutlet: Wire\npublished: {day}\n---\n\n{body}\n")
    return path


def test_bm25_follows_ingest_and_remove_and_reloads_from_disk(tmp_path: Path) -> None:
    bot = Assistant(
        Settings(data_dir=tmp_path / "d", embedding_model="hash", ledger=False),
        embedder=CountingEmbedder(),
        store=MemoryStore(),
    )
    src = tmp_path / "src"
    src.mkdir()
    _write(src, "a.md", "Zorblat harbour", "The zorblat crane collapsed at dawn. Nobody was hurt.")
    bot.ingest([src])
    [hit] = bot.retriever.bm25.search("zorblat crane", 5)
    [doc] = bot.sources()
    assert bot.db.passages([hit[0]])[hit[0]].doc_id == doc.doc_id
    again = BM25Index(bot.settings.bm25_path, bot.db)  # a new process: loads the saved index
    assert again.search("zorblat", 5) == bot.retriever.bm25.search("zorblat", 5)
    bot.remove(doc.doc_id)
    assert bot.retriever.bm25.search("zorblat", 5) == []
    _write(src, "b.md", "Quillon bridge", "The quillon bridge reopened on Friday after repairs.")
    (src / "a.md").unlink()
    bot.ingest([src])
    assert bot.retriever.bm25.search("zorblat", 5) == []
    assert len(bot.retriever.bm25.search("quillon bridge", 5)) == 1


def test_filters_become_chroma_where_clauses() -> None:
    assert to_where(Filters()) is None
    where = to_where(Filters(since=date(2026, 3, 10), outlet="Wire", party="Army"))
    assert where == {
        "$and": [
            {"published": {"$gte": 20260310}},
            {"outlet": "Wire"},
            {"party:Army": True},
        ]
    }


def test_dates_in_questions_resolve_against_today() -> None:
    today = date(2026, 3, 12)
    assert find_period("What happened yesterday?", today).since == date(2026, 3, 11)  # type: ignore[union-attr]
    on = find_period("What did the army say on 10 March?", today)
    assert (on.since, on.until) == (date(2026, 3, 10), date(2026, 3, 10))  # type: ignore[union-attr]
    week = find_period("main stories last week", today)
    assert (week.since, week.until) == (date(2026, 3, 5), today)  # type: ignore[union-attr]
    assert find_period("How many soldiers were killed?", today) is None
