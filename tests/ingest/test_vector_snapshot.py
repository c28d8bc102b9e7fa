"""The numpy read snapshot: the store contract over real Chroma, and when it opens Chroma."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.store import ChromaStore, VectorStore
from ingest.vector_snapshot import SnapshotStore
from tests.ingest.test_store import META, VECTORS, VectorStoreContract


@pytest.mark.integration
class TestSnapshotOverChroma(VectorStoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> VectorStore:
        return SnapshotStore(
            lambda: ChromaStore.embedded(tmp_path / "chroma", "contract"),
            tmp_path / "snap",
            lambda: "1",
        )


@pytest.mark.integration
def test_a_matching_snapshot_answers_without_opening_chroma(tmp_path: Path) -> None:
    opened: list[int] = []

    def open_chroma() -> VectorStore:
        opened.append(1)
        return ChromaStore.embedded(tmp_path / "chroma", "snapcoll")

    version = ["v1"]
    writer = SnapshotStore(open_chroma, tmp_path / "snap", lambda: version[0])
    ids = list(VECTORS)
    writer.add(ids, [VECTORS[i] for i in ids], [META[i] for i in ids])
    first = writer.search([1.0, 0.1, 0.0], 2)
    assert [h.passage_id for h in first] == ["a1", "a2"]
    assert opened == [1]

    # a new process (a new instance) with the same version reads the snapshot file only
    reader = SnapshotStore(open_chroma, tmp_path / "snap", lambda: version[0])
    hits = reader.search([1.0, 0.1, 0.0], 2, where={"outlet": "X"})
    assert [(h.passage_id, round(h.score, 4)) for h in hits] == [
        (h.passage_id, round(h.score, 4)) for h in first
    ]
    assert hits[0].metadata["doc_id"] == "A"
    assert reader.count() == 4
    assert reader.vectors(["c1"]) == {"c1": [0.0, 0.0, 1.0]}
    assert opened == [1]
    assert sorted(reader.ids_for_doc("A")) == ["a1", "a2"]  # write-path bookkeeping: Chroma
    assert opened == [1, 1]

    # the vectors changed elsewhere (another version): rebuilt from Chroma
    ChromaStore.embedded(tmp_path / "chroma", "snapcoll").delete_doc("A")
    version[0] = "v2"
    assert [h.passage_id for h in reader.search([1.0, 0.1, 0.0], 4)] == ["b1", "c1"]
    assert opened == [1, 1]  # the reader's Chroma client, opened above, re-read
