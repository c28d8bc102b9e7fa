"""One contract, every vector store: MemoryStore, embedded Chroma and a real `chroma run`."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import StoreUnavailable
from ingest.store import ChromaStore, MemoryStore, VectorStore

VECTORS = {
    "a1": [1.0, 0.0, 0.0],
    "a2": [0.8, 0.6, 0.0],
    "b1": [0.0, 1.0, 0.0],
    "c1": [0.0, 0.0, 1.0],
}
META = {
    "a1": {"doc_id": "A", "published": 20260310, "outlet": "X", "party:Army": True},
    "a2": {"doc_id": "A", "published": 20260310, "outlet": "X"},
    "b1": {"doc_id": "B", "published": 20260311, "outlet": "Y", "party:Army": True},
    "c1": {"doc_id": "C", "published": 20260312, "outlet": "Y"},
}


class VectorStoreContract:
    @pytest.fixture
    def store(self) -> VectorStore:
        raise NotImplementedError

    def _fill(self, store: VectorStore) -> None:
        ids = list(VECTORS)
        store.add(ids, [VECTORS[i] for i in ids], [META[i] for i in ids])

    def test_search_ranks_by_cosine(self, store: VectorStore) -> None:
        self._fill(store)
        hits = store.search([1.0, 0.1, 0.0], k=3)
        assert [h.passage_id for h in hits] == ["a1", "a2", "b1"]
        assert hits[0].score > hits[1].score > hits[2].score
        assert hits[0].metadata["doc_id"] == "A"
        bare = store.search([1.0, 0.1, 0.0], k=3, metadata=False)
        assert [(h.passage_id, round(h.score, 5)) for h in bare] == [
            (h.passage_id, round(h.score, 5)) for h in hits
        ]
        assert all(h.metadata == {} for h in bare)

    def test_search_among_ids(self, store: VectorStore) -> None:
        self._fill(store)
        hits = store.search([1.0, 0.1, 0.0], 10, ids=["b1", "c1", "zz"])
        assert [h.passage_id for h in hits] == ["b1", "c1"]
        assert store.search([1.0, 0.0, 0.0], 10, ids=[]) == []
        both = store.search([1.0, 0.0, 0.0], 10, {"outlet": "X"}, ids=["a2", "b1"])
        assert [h.passage_id for h in both] == ["a2"]

    def test_asking_for_more_than_stored_gives_all(self, store: VectorStore) -> None:
        self._fill(store)
        assert len(store.search([1.0, 0.0, 0.0], k=600, metadata=False)) == 4
        assert [h.passage_id for h in store.search([0, 1, 0], 600, {"outlet": "Y"})] == [
            "b1",
            "c1",
        ]

    def test_filters(self, store: VectorStore) -> None:
        self._fill(store)
        assert {h.passage_id for h in store.search([1, 0, 0], 10, {"party:Army": True})} == {
            "a1",
            "b1",
        }
        late = store.search([1, 0, 0], 10, {"published": {"$gte": 20260311}})
        assert {h.passage_id for h in late} == {"b1", "c1"}
        both = {"$and": [{"outlet": "Y"}, {"published": {"$lte": 20260311}}]}
        assert [h.passage_id for h in store.search([1, 0, 0], 10, both)] == ["b1"]

    def test_delete_doc_and_counts(self, store: VectorStore) -> None:
        self._fill(store)
        assert store.count() == 4
        assert sorted(store.ids_for_doc("A")) == ["a1", "a2"]
        store.delete_doc("A")
        assert store.count() == 2
        assert store.ids_for_doc("A") == []
        assert store.all_doc_ids() == {"B", "C"}

    def test_add_is_an_upsert(self, store: VectorStore) -> None:
        self._fill(store)
        store.add(["a1"], [[0.0, 0.0, 1.0]], [META["a1"]])
        assert store.count() == 4
        assert store.search([0.0, 0.0, 1.0], 1)[0].passage_id in {"a1", "c1"}


class TestMemoryStore(VectorStoreContract):
    @pytest.fixture
    def store(self) -> VectorStore:
        return MemoryStore()


@pytest.mark.integration
class TestEmbeddedChroma(VectorStoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> VectorStore:
        return ChromaStore.embedded(tmp_path / "chroma", "contract")


@pytest.mark.integration
class TestChromaServer(VectorStoreContract):
    @pytest.fixture
    def store(self, chroma_server: tuple[str, int], request: pytest.FixtureRequest) -> VectorStore:
        host, port = chroma_server
        return ChromaStore.server(host, port, f"contract-{abs(hash(request.node.name)) % 10**8}")


@pytest.mark.integration
def test_unreachable_server_names_host_and_port() -> None:
    from tests.conftest import free_port

    port = free_port()
    with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{port}"):
        ChromaStore.server("127.0.0.1", port, "nothing")
