from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.api import Assistant, demo_corpus_path
from assistant.settings import Settings
from ingest.errors import ConfigError
from ingest.store import MemoryStore
from tests.conftest import CountingEmbedder

ROOT = Path(__file__).resolve().parents[2]


def _article(
    folder: Path, name: str, body: str, title: str = "Harbour strike enters day two"
) -> Path:
    path = folder / name
    path.write_text(
        f'---\ntitle: "{title}"\noutlet: Test Wire\npublished: 2026-03-11\n'
        f"url: https://test.example/{name}\n---\n\n{body}\n"
    )
    return path


BODY = (
    "Dock workers stayed off the job for a second day. The union said 900 members joined.\n\n"
    "The port company said only 300 workers were absent. It called the strike a failure.\n\n"
    "Talks are set for Friday. Ships waited outside the harbour."
)


@pytest.fixture
def bot(tmp_path: Path, hash_embedder: CountingEmbedder, memory_store: MemoryStore) -> Assistant:
    settings = Settings(
        data_dir=tmp_path / "data", embedding_model="hash", ledger=False, chunk_sentences=2
    )
    return Assistant(settings, embedder=hash_embedder, store=memory_store)


def _stored_chunks(bot: Assistant) -> dict[str, list[str]]:
    rows = bot.db.conn.execute("SELECT doc_id, id FROM passages ORDER BY doc_id, idx")
    out: dict[str, list[str]] = {}
    for doc_id, pid in rows:
        out.setdefault(doc_id, []).append(pid)
    return out


def test_unchanged_reingest_embeds_nothing(
    bot: Assistant, hash_embedder: CountingEmbedder, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    _article(src, "a.md", BODY)
    first = bot.ingest([src])
    assert (first.added, first.updated, first.unchanged, first.failed) == (1, 0, 0, [])
    assert first.chunks == bot.store.count() > 0
    embedded = hash_embedder.texts
    second = bot.ingest([src])
    assert (second.added, second.updated, second.unchanged, second.chunks) == (0, 0, 1, 0)
    assert hash_embedder.texts == embedded


def test_vector_metadata_holds_only_what_queries_filter_on(
    bot: Assistant, memory_store: MemoryStore, tmp_path: Path
) -> None:
    """The passage's offsets live in SQLite; the vector store keeps the filter fields only."""
    (tmp_path / "src").mkdir()
    bot.ingest([_article(tmp_path / "src", "a.md", BODY)])
    doc_id = next(iter(_stored_chunks(bot)))
    metas = [meta for _, meta in memory_store._rows.values()]
    assert metas
    for meta in metas:
        assert meta["doc_id"] == doc_id
        assert meta["outlet"] == "Test Wire"
        assert isinstance(meta["published"], int)
        assert not {"start", "end", "index"} & set(meta)
        assert all(k.startswith("party:") for k in set(meta) - {"doc_id", "outlet", "published"})


def test_changed_article_replaces_all_old_chunks(bot: Assistant, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    path = _article(src, "a.md", BODY)
    bot.ingest([src])
    [doc_id] = _stored_chunks(bot)
    old_ids = set(_stored_chunks(bot)[doc_id])
    _article(src, "a.md", BODY.replace("900", "1,200") + " A late addition was made.")
    report = bot.ingest([path])
    assert (report.added, report.updated) == (0, 1)
    new_ids = set(_stored_chunks(bot)[doc_id])
    assert set(bot.store.ids_for_doc(doc_id)) == new_ids
    assert old_ids - new_ids  # some passages changed offsets and were removed
    assert bot.store.count() == len(new_ids)
    assert bot.db.count_articles() == 1
    assert "1,200" in bot.article(doc_id).text


def test_bad_files_are_reported_and_the_batch_goes_on(bot: Assistant, tmp_path: Path) -> None:
    good = tmp_path / "good"
    good.mkdir()
    _article(good, "a.md", BODY)
    bot.ingest([good])
    before = (bot.db.count_articles(), bot.store.count(), sorted(bot.store.all_doc_ids()))

    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "empty.txt").write_text("")
    (batch / "binary.txt").write_bytes(b"\x00\xff\x00")
    (batch / "latin.txt").write_bytes("Títle\n\nCafé".encode("latin-1"))
    (batch / "bad.json").write_text("{oops")
    (batch / "bad.rss").write_text("<rss>")
    (batch / "x.csv").write_text("a,b")  # skipped inside a folder, an error when named
    (tmp_path / "y.csv").write_text("a,b")
    _article(batch, "b.md", BODY.replace("harbour", "port"), title="Another story")
    report = bot.ingest([batch, good, tmp_path / "nope.md", tmp_path / "y.csv"])
    failed = {Path(f.path).name: f.error for f in report.failed}
    assert set(failed) == {
        "empty.txt",
        "binary.txt",
        "latin.txt",
        "bad.json",
        "bad.rss",
        "y.csv",
        "nope.md",
    }
    assert report.added == 1 and report.unchanged == 1
    assert bot.db.count_articles() == before[0] + 1
    assert set(before[2]) < bot.store.all_doc_ids()


def test_remove_deletes_rows_and_vectors(bot: Assistant, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    _article(src, "a.md", BODY)
    _article(src, "b.md", BODY, title="Other")
    bot.ingest([src])
    doc_id = sorted(_stored_chunks(bot))[0]
    bot.remove(doc_id)
    assert doc_id not in _stored_chunks(bot)
    assert bot.store.ids_for_doc(doc_id) == []
    assert bot.db.count_articles() == 1


def test_store_built_with_another_embedder_is_refused(tmp_path: Path) -> None:
    Assistant(Settings(data_dir=tmp_path / "d", embedding_model="hash"), store=MemoryStore())
    with pytest.raises(ConfigError, match="built with embedder 'hash-256'"):
        Assistant(Settings(data_dir=tmp_path / "d", embedding_model="minilm"), store=MemoryStore())


def test_interrupted_run_is_redone(bot: Assistant, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    _article(src, "a.md", BODY)
    bot.ingest([src])
    [doc_id] = _stored_chunks(bot)
    # Simulate a crash after the SQLite write and before the vectors: pending, no vectors.
    with bot.db.transaction() as conn:
        conn.execute("UPDATE articles SET status='pending' WHERE doc_id=?", (doc_id,))
    bot.store.delete_doc(doc_id)
    bot.store.add(["orphan"], [[1.0] * 256], [{"doc_id": "gone"}])
    report = bot.ingest([])
    assert report.recovered == 1
    assert set(bot.store.ids_for_doc(doc_id)) == set(_stored_chunks(bot)[doc_id])
    assert bot.store.all_doc_ids() == {doc_id}


@pytest.mark.integration
def test_real_models_embedded_and_server_chroma_agree(
    tmp_path: Path, chroma_server: tuple[str, int]
) -> None:
    host, port = chroma_server
    results = []
    for mode in ("embedded", "http"):
        settings = Settings(
            data_dir=tmp_path / mode,
            chroma_mode=mode,
            chroma_host=host,
            chroma_port=port,
            collection=f"parity-{mode}",
            ledger=False,
        )
        bot = Assistant(settings)
        report = bot.ingest([demo_corpus_path()])
        assert report.failed == [] and report.added >= 15
        vector = bot.embedder.embed(["How many workers joined the steel strike?"])[0]
        hits = bot.store.search(vector, 5)
        results.append([(h.passage_id, h.score) for h in hits])
        assert bot.store.count() == bot.db.passage_count()
    assert [pid for pid, _ in results[0]] == [pid for pid, _ in results[1]]
    for (_, a), (_, b) in zip(results[0], results[1], strict=True):
        assert a == pytest.approx(b, abs=1e-3)


@pytest.mark.integration
def test_minilm_puts_paraphrases_closer(minilm) -> None:  # type: ignore[no-untyped-def]
    a, b, c = minilm.embed(
        [
            "The army said it killed 23 militants in the attack.",
            "Twenty-three fighters died in the assault, according to the military.",
            "The bakery on Main Street sells sourdough bread.",
        ]
    )
    dot = lambda x, y: sum(p * q for p, q in zip(x, y, strict=True))  # noqa: E731
    assert abs(dot(a, a) - 1.0) < 1e-4  # normalised
    assert dot(a, b) > dot(a, c) + 0.3
    assert minilm.dimension == 384


CRASH_SCRIPT = """
import sys
from assistant.api import Assistant
from assistant.settings import Settings
bot = Assistant(Settings(data_dir=sys.argv[1], ledger=False))
report = bot.ingest([sys.argv[2]])
print("DONE", report.added, report.updated, report.unchanged, flush=True)
"""


@pytest.mark.integration
def test_sigkill_mid_batch_then_rerun_stores_each_article_once(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(150):
        _article(
            src,
            f"a{i:03}.md",
            BODY.replace("900", str(900 + i)) + f" Item {i}.",
            title=f"Story {i}",
        )
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASH_SCRIPT, str(data), str(src)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    db_path = data / "briefing.sqlite3"
    deadline = time.monotonic() + 120
    killed_mid_batch = False
    while time.monotonic() < deadline and proc.poll() is None:
        if db_path.exists():
            try:
                done = (
                    sqlite3.connect(db_path)
                    .execute("SELECT COUNT(*) FROM articles WHERE status='complete'")
                    .fetchone()[0]
                )
            except sqlite3.Error:
                done = 0
            if done >= 32:
                proc.send_signal(signal.SIGKILL)
                killed_mid_batch = True
                break
        time.sleep(0.05)
    proc.wait(30)
    assert killed_mid_batch, "ingest finished before it could be killed"
    rerun = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, str(data), str(src)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "DONE" in rerun.stdout
    bot = Assistant(Settings(data_dir=data, ledger=False))
    conn = bot.db.conn
    assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT doc_id) FROM articles").fetchone() == (
        150,
        150,
    )
    assert (
        conn.execute("SELECT COUNT(*) FROM articles WHERE status != 'complete'").fetchone()[0] == 0
    )
    sqlite_ids = {r[0] for r in conn.execute("SELECT id FROM passages")}
    chroma_ids = set()
    for doc_id in bot.store.all_doc_ids():
        chroma_ids.update(bot.store.ids_for_doc(doc_id))
    assert sqlite_ids == chroma_ids
    assert bot.store.count() == len(sqlite_ids)
    assert json.loads("[]") == []


def test_signatures_are_written_with_the_article_and_follow_a_change(
    bot: Assistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.syndication as syndication

    src = tmp_path / "src"
    src.mkdir()
    path = _article(src, "a.md", BODY)
    _article(src, "b.md", BODY + " A line only the copy has.", title="Harbour strike: day two")

    def stored() -> dict[str, bytes]:
        rows = bot.db.conn.execute("SELECT doc_id, signature FROM article_minhash")
        return dict(rows.fetchall())

    computed: list[str] = []
    real = syndication.signature
    monkeypatch.setattr(syndication, "signature", lambda text: computed.append(text) or real(text))

    report = bot.ingestor.ingest_paths([src])  # the ingest alone, before any linking
    assert report.added == 2 and len(computed) == 2
    signed = stored()
    for doc_id in report.doc_ids:  # written with the article's rows
        article = bot.article(doc_id)
        assert signed[doc_id] == real(f"{article.title}\n{article.text}").tobytes()
    computed.clear()
    assert len(syndication.link_copies(bot.db, report.doc_ids)) == 1  # the near-copy is linked
    assert computed == []  # from the stored signatures: nothing signed again

    _article(src, "a.md", "The harbour reopened on Friday. Ships sailed at dawn again.")
    again = bot.ingest([path])
    assert again.updated == 1
    [doc_a] = again.doc_ids
    article = bot.article(doc_a)
    assert computed == [f"{article.title}\n{article.text}"]  # the changed text, once
    assert stored()[doc_a] != signed[doc_a]
    assert bot.copies_of(report.doc_ids) == {}  # no longer a copy of the other
