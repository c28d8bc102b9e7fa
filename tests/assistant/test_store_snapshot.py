"""The assistant's embedded store reads a snapshot that follows every write, from any process."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.settings import Settings
from ingest.vector_snapshot import SnapshotStore

ARTICLE = "---\ntitle: {title}\noutlet: Metro Wire\npublished: 2024-03-1{day}\n---\n\n{body}\n"


@pytest.mark.integration
def test_snapshot_sees_what_another_assistant_ingested_and_removed(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", embedding_model="hash", ledger=False)
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.md").write_text(
        ARTICLE.format(title="Harbour", day=1, body="The harbour reopened on Monday."), "utf-8"
    )
    reader = Assistant(settings)
    assert isinstance(reader.store, SnapshotStore)
    reader.ingest([src])
    query = reader.embedder.embed(["tram line fares"])[0]
    assert reader.store.count() == 1

    (src / "b.md").write_text(
        ARTICLE.format(title="Tram", day=2, body="Tram line fares rise in June."), "utf-8"
    )
    writer = Assistant(settings)  # another process, in effect
    report = writer.ingest([src])
    assert report.added == 1
    new_id = writer.db.passages_of(report.doc_ids[-1])[0].id
    hits = reader.store.search(query, 1)
    assert [h.passage_id for h in hits] == [new_id]

    writer.remove(report.doc_ids[-1])
    assert [h.passage_id for h in reader.store.search(query, 5)] != [new_id]
    assert reader.store.count() == 1
