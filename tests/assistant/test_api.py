"""The Assistant facade's process-level helpers."""

from __future__ import annotations

import gc
from pathlib import Path

from assistant.api import Assistant
from assistant.settings import Settings
from ingest.store import MemoryStore
from tests.conftest import CountingEmbedder


def test_warm_up_loads_everything_and_freezes_the_gc(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    bot = Assistant(
        Settings(data_dir=tmp_path / "d", embedding_model="hash", ledger=False),
        embedder=embedder,
        store=MemoryStore(),
    )
    src = tmp_path / "a.md"
    src.write_text(
        "---\ntitle: Harbour\noutlet: Wire\npublished: 2026-03-11\n---\n\nThe crane fell.\n"
    )
    bot.ingest([src])
    before = embedder.calls
    try:
        bot.warm_up()
        assert gc.get_freeze_count() > 0
        assert embedder.calls > before  # the model ran once
        assert bot.retriever.bm25._postings is not None  # the index is loaded
        [hit] = bot.retriever.retrieve("crane fell", 1)
        assert hit.passage.text == "The crane fell."
    finally:
        gc.unfreeze()
    bot.warm_up(freeze_gc=False)
    assert gc.get_freeze_count() == 0
