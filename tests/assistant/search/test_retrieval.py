from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from assistant.answers.dates import find_period
from assistant.api import Assistant
from assistant.search.retrieval import BM25Index, Filters, to_where
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


def test_single_day_is_one_equality_clause() -> None:
    day = date(2026, 3, 11)
    assert to_where(Filters(since=day, until=day)) == {"published": {"$eq": 20260311}}


def _many_articles(folder: Path) -> None:
    folder.mkdir()
    places = ["harbour", "bridge", "market", "airport", "school", "depot", "clinic", "station"]
    for i in range(36):
        place = places[i % len(places)]
        day = f"2026-03-{10 + i % 3:02d}"
        outlet = ["Wire", "Post", "Herald"][i // 12]
        (folder / f"a{i}.md").write_text(
            f"---\ntitle: Report {i} on the {place}\noutlet: {outlet}\npublished: {day}\n---\n\n"
            f"The {place} crew counted {i * 7} crates on Monday. Officials said the {place} "
            f"reopened after {i % 5 + 1} days. Residents near the {place} welcomed the news. "
            f"Traders said prices at the {place} rose by {i % 9 + 2} percent.\n"
        )


def _same_ranking(got: list[tuple[str, float]], want: list[tuple[str, float]]) -> None:
    """Same scores in the same order; equal-scored passages may swap, also at the cut."""
    assert [round(s, 4) for _, s in got] == [round(s, 4) for _, s in want]
    if want:
        last = round(want[-1][1], 4)
        above = {p for p, s in want if round(s, 4) > last}
        assert above == {p for p, s in got if round(s, 4) > last}


@pytest.mark.parametrize("exact_max", [300, 0])
@pytest.mark.parametrize("backend", ["memory", "chroma"])
def test_filtered_search_equals_the_filtered_query(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, exact_max: int
) -> None:
    """Wide unfiltered hits kept when they pass; too few pass -> every passing passage searched
    (exact cosine over stored vectors, or the store's id allow-list): the filtered ranking."""
    import assistant.search.retrieval as retrieval

    store = MemoryStore() if backend == "memory" else None
    bot = Assistant(
        Settings(data_dir=tmp_path / "d", embedding_model="hash", ledger=False),
        embedder=CountingEmbedder(),
        store=store,
    )
    _many_articles(tmp_path / "src")
    bot.ingest([tmp_path / "src"])
    retriever = bot.retriever
    monkeypatch.setattr(retrieval, "OVERFETCH", 2)
    monkeypatch.setattr(retrieval, "EXACT_MAX", exact_max)
    paths: list[str] = []
    search, vectors = bot.store.search, bot.store.vectors

    def tracking_search(vector, k, where=None, metadata=True, ids=None):  # type: ignore[no-untyped-def]
        paths.append("wide" if ids is None else "ids")
        assert where is None  # no metadata filter inside the store
        return search(vector, k, where, metadata, ids)

    def tracking_vectors(ids):  # type: ignore[no-untyped-def]
        paths.append("exact")
        return vectors(ids)

    monkeypatch.setattr(bot.store, "search", tracking_search)
    monkeypatch.setattr(bot.store, "vectors", tracking_vectors)
    cases = [
        Filters(since=date(2026, 3, 10), until=date(2026, 3, 10)),
        Filters(since=date(2026, 3, 11)),
        Filters(outlet="Herald"),
        Filters(outlet="Post", until=date(2026, 3, 11)),
        Filters(outlet="Nobody"),
    ]
    questions = ["crates at the harbour", "prices rose at the market", "airport reopened"]
    for filters in cases:
        allowed = retriever.allowed_ids(filters)
        for question in questions:
            vec = bot.embedder.embed([question])[0]
            for depth in (3, 8):
                got = retriever.dense_search(vec, depth, filters)
                want = search(vec, depth, to_where(filters))
                _same_ranking(
                    [(h.passage_id, h.score) for h in got], [(h.passage_id, h.score) for h in want]
                )
                lexical = retriever.lexical_search(question, depth, filters)
                _same_ranking(lexical, retriever.bm25.search(question, depth, allowed))
                assert {pid for pid, _ in lexical} <= (allowed or set())
    # every path ran: enough passing among the wide hits, and the fallback for narrow filters
    fallback = "exact" if exact_max else "ids"
    assert paths.count("wide") > paths.count(fallback) > 0
    assert ("ids" if exact_max else "exact") not in paths


def test_exact_nearest_ranks_by_cosine() -> None:
    from assistant.search.retrieval import exact_nearest

    vectors = {"a": [1.0, 0.0], "b": [0.6, 0.8], "c": [0.0, 2.0], "d": [0.0, 0.0]}
    hits = exact_nearest([0.0, 1.0], vectors, 3)
    assert [h.passage_id for h in hits] == ["c", "b", "a"]
    assert [round(h.score, 3) for h in hits] == [1.0, 0.8, 0.0]
    assert exact_nearest([1.0, 0.0], {}, 3) == []


def test_collapse_with_a_limit_still_lists_every_copy() -> None:
    from assistant.search.retrieval import RetrievedPassage, collapse_duplicates
    from ingest.types import Passage

    def hit(n: int, doc: str, outlet: str, text: str) -> RetrievedPassage:
        passage = Passage(f"{doc}:{n}", doc, n, 0, len(text), text, 0, 0)
        return RetrievedPassage(passage, 1.0 / (n + 1), 0.5, 0.0, "t", outlet, None, None)

    story = "The bridge over the Quillon river reopened on Friday after nine weeks of repairs."
    results = [
        hit(0, "a", "Wire", story),
        hit(1, "b", "Post", "Fishermen in the delta reported a record catch of sardines."),
        hit(2, "c", "Herald", "The city council approved a new budget for schools on Tuesday."),
        hit(3, "d", "Gazette", story + " Traffic was light."),
    ]
    top = collapse_duplicates(results, limit=2)
    assert [r.passage.doc_id for r in top] == ["a", "b"]
    assert top[0].also_in == ("Gazette",)
    assert top[0].also_in_docs == ("d",)
    assert collapse_duplicates(results)[:2] == top


@pytest.mark.parametrize("damage", ["truncate-ids", "drop-index-file", "garbage-ids"])
def test_a_corrupt_bm25_index_is_rebuilt_with_a_notice(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    bot = Assistant(
        Settings(data_dir=tmp_path / "d", embedding_model="hash", ledger=False),
        embedder=CountingEmbedder(),
        store=MemoryStore(),
    )
    src = tmp_path / "src"
    src.mkdir()
    _write(src, "a.md", "Zorblat harbour", "The zorblat crane collapsed at dawn. Nobody was hurt.")
    _write(src, "b.md", "Quillon bridge", "The quillon bridge reopened on Friday after repairs.")
    bot.ingest([src])
    expected = bot.retriever.bm25.search("zorblat crane", 5)
    assert len(expected) == 1
    folder = bot.settings.bm25_path
    ids = folder / "ids.json"
    saved = ids.read_text()
    index_dir = folder / json.loads(saved)["index"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(["ids.json", index_dir.name])
    if damage == "truncate-ids":
        ids.write_text(saved[: len(saved) // 2])
    elif damage == "drop-index-file":
        (index_dir / "vocab.index.json").unlink()
    else:
        ids.write_text(json.dumps({"version": json.loads(saved)["version"], "ids": ["x"]}))
    fresh = BM25Index(folder, bot.db)  # the next process
    assert fresh.search("zorblat crane", 5) == expected
    assert "rebuilding it from the article database" in caplog.text
    json.loads(ids.read_text())  # rewritten whole
    caplog.clear()
    assert BM25Index(folder, bot.db).search("zorblat crane", 5) == expected
    assert "rebuilding" not in caplog.text
