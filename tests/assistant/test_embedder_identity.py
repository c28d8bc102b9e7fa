"""The store records which embedder made its vectors; a mismatch is refused; reembed migrates."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.settings import Settings
from assistant.wiring import embedder_identity, legacy_identity
from ingest.embedding import HashEmbedder
from ingest.errors import ConfigError
from ingest.store import MemoryStore

BODY = (
    "---\ntitle: Port strike\noutlet: Coastal Times\npublished: 2024-03-11\n---\n\n"
    "Dock workers walked out on Monday. The union said 4,000 members joined the strike.\n\n"
    "The port authority said talks would resume on Friday. Ships queued outside the harbour.\n"
)


class ShiftedEmbedder:
    """A different embedder of the same dimension: hash vectors, sign flipped."""

    def __init__(self) -> None:
        self.inner = HashEmbedder()
        self.name = "shifted"
        self.identity = "shifted (test, fp32)"
        self.dimension = self.inner.dimension
        self.texts = 0

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.texts += len(texts)
        return [[-x for x in row] for row in self.inner.embed(texts)]


def _store_with_one_article(tmp_path: Path, store: MemoryStore) -> Assistant:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.md").write_text(BODY, "utf-8")
    bot = Assistant(
        Settings(data_dir=tmp_path / "d", ledger=False, chunk_sentences=2),
        embedder=HashEmbedder(),
        store=store,
    )
    assert bot.ingest([src]).added == 1
    return bot


def test_identity_is_known_from_settings_without_loading_a_model() -> None:
    assert embedder_identity(Settings()) == (
        "all-MiniLM-L6-v2 (onnx, int8 per-channel 7-bit, FFN output fp32)"
    )
    assert embedder_identity(Settings(embedding_quantization="fp32")) == (
        "all-MiniLM-L6-v2 (onnx, fp32)"
    )
    assert embedder_identity(Settings(embedding_runtime="torch")) == (
        "all-MiniLM-L6-v2 (torch, fp32)"
    )
    assert embedder_identity(Settings(embedding_model="hash")) == HashEmbedder().identity
    # stores from before identities were recorded: the torch model made their vectors
    assert legacy_identity("minilm") == "all-MiniLM-L6-v2 (torch, fp32)"
    assert legacy_identity("hash") == "hash-256"


def test_another_runtime_is_refused_with_the_fix(tmp_path: Path) -> None:
    Assistant(Settings(data_dir=tmp_path / "d", embedding_runtime="torch"), store=MemoryStore())
    with pytest.raises(ConfigError) as caught:
        Assistant(Settings(data_dir=tmp_path / "d"), store=MemoryStore())
    message = str(caught.value)
    assert "'all-MiniLM-L6-v2 (torch, fp32)'" in message
    assert "'all-MiniLM-L6-v2 (onnx, int8 per-channel 7-bit, FFN output fp32)'" in message
    assert "briefing reembed" in message and "BRIEFING_EMBEDDING_RUNTIME" in message


def test_a_store_from_before_identities_counts_as_torch(tmp_path: Path) -> None:
    bot = Assistant(Settings(data_dir=tmp_path / "d", embedding_runtime="torch"))
    with bot.db.transaction() as conn:
        conn.execute("DELETE FROM meta WHERE key = 'embedder'")
        bot.db.set_meta(conn, "embedding_model", "minilm")
    again = Assistant(Settings(data_dir=tmp_path / "d", embedding_runtime="torch"))
    assert again.stored_embedder() == "all-MiniLM-L6-v2 (torch, fp32)"
    with pytest.raises(ConfigError, match="briefing reembed"):
        Assistant(Settings(data_dir=tmp_path / "d"))


def test_reembed_migrates_every_vector_and_the_recorded_identity(tmp_path: Path) -> None:
    store = MemoryStore()
    bot = _store_with_one_article(tmp_path, store)
    ids = bot.db.all_passage_ids()
    before = store.vectors(ids)
    settings = Settings(data_dir=tmp_path / "d", ledger=False, chunk_sentences=2)
    with pytest.raises(ConfigError, match="built with embedder 'hash-256'"):
        Assistant(settings, embedder=ShiftedEmbedder(), store=store)

    shifted = ShiftedEmbedder()
    seen: list[tuple[int, int]] = []
    migrating = Assistant(settings, embedder=shifted, store=store, check_embedder=False)
    report = migrating.reembed(progress=lambda done, total, _title: seen.append((done, total)))

    assert (report.before, report.after) == ("hash-256", "shifted (test, fp32)")
    assert (report.articles, report.passages) == (1, len(ids)) and len(ids) >= 2
    assert seen == [(1, 1)] and shifted.texts == len(ids)
    after = store.vectors(ids)
    for pid in ids:
        assert after[pid] == [-x for x in before[pid]]
    assert set(store.ids_for_doc(bot.sources()[0].doc_id)) == set(ids)  # metadata kept
    # the new embedder opens the store; the old one is now the mismatch
    assert Assistant(settings, embedder=ShiftedEmbedder(), store=store).stored_embedder() == (
        "shifted (test, fp32)"
    )
    with pytest.raises(ConfigError, match="briefing reembed"):
        Assistant(settings, embedder=HashEmbedder(), store=store)


def test_reembed_refuses_another_dimension(tmp_path: Path) -> None:
    store = MemoryStore()
    _store_with_one_article(tmp_path, store)
    settings = Settings(data_dir=tmp_path / "d", ledger=False)
    bot = Assistant(
        settings, embedder=HashEmbedder(dimension=64), store=store, check_embedder=False
    )
    with pytest.raises(ConfigError, match="256-dimensional"):
        bot.reembed()
    assert bot.stored_embedder() == "hash-256"  # nothing was touched
