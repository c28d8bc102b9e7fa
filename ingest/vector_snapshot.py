"""A read snapshot of the vector store: searches without importing chromadb.

Importing chromadb and opening its client takes longer than the rest of a cold question. The
embedded store's vectors are therefore also kept as one float32 matrix (plus ids and metadata)
in the data dir, keyed by a version string the caller supplies (the article database's corpus
version and embedder identity). While the key matches, `search`, `vectors` and `count` read the
snapshot with numpy (exact cosine, the same `where` syntax as `MemoryStore`); writes go to
Chroma and drop the snapshot; a stale snapshot is rebuilt from Chroma on the next read.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.errors import StoreError
from ingest.store import Metadata, VectorHit, VectorStore, Where, matches

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)
FORMAT = 1


class _Snapshot:
    def __init__(self, ids: list[str], metas: list[dict[str, Any]], matrix: np.ndarray) -> None:
        self.ids = ids
        self.metas = metas
        self.matrix = matrix
        self.row = {pid: i for i, pid in enumerate(ids)}


class SnapshotStore:
    """Chroma for writes, a numpy snapshot for reads while `version()` is unchanged."""

    def __init__(
        self, open_store: Callable[[], VectorStore], folder: Path, version: Callable[[], str]
    ) -> None:
        self._open_store = open_store
        self._inner: VectorStore | None = None
        self.folder = folder
        self._version = version
        self._snapshot: _Snapshot | None = None
        self._snapshot_key: str | None = None

    # -- writes: the real store, then the snapshot is gone ---------------------------------
    @property
    def inner(self) -> VectorStore:
        if self._inner is None:
            self._inner = self._open_store()
        return self._inner

    def add(
        self, ids: Sequence[str], vectors: Sequence[Sequence[float]], metadatas: Sequence[Metadata]
    ) -> None:
        self.drop()
        self.inner.add(ids, vectors, metadatas)

    def delete_doc(self, doc_id: str) -> None:
        self.drop()
        self.inner.delete_doc(doc_id)

    def drop(self) -> None:
        self._snapshot = None
        self._snapshot_key = None
        (self.folder / "meta.json").unlink(missing_ok=True)

    # -- reads -----------------------------------------------------------------------------
    def search(
        self,
        vector: Sequence[float],
        k: int,
        where: Where | None = None,
        metadata: bool = True,
        ids: Sequence[str] | None = None,
    ) -> list[VectorHit]:
        import numpy as np

        snap = self._current()
        if ids is not None and not ids:
            return []
        query = np.asarray(vector, dtype=np.float32)
        query /= float(np.linalg.norm(query)) or 1.0
        if ids is not None:
            rows = np.array(sorted({snap.row[p] for p in ids if p in snap.row}), dtype=np.int64)
        else:
            rows = np.arange(len(snap.ids), dtype=np.int64)
        if where:
            rows = rows[[matches(snap.metas[i], where) for i in rows.tolist()]]
        if not len(rows) or k <= 0:
            return []
        scores = snap.matrix[rows] @ query
        top = np.argpartition(-scores, k - 1)[:k] if len(rows) > k else np.arange(len(rows))
        top = top[np.argsort(-scores[top], kind="stable")]
        return [
            VectorHit(
                snap.ids[rows[i]],
                float(scores[i]),
                dict(snap.metas[rows[i]]) if metadata else {},
            )
            for i in top.tolist()
        ]

    def count(self) -> int:
        return len(self._current().ids)

    # Bookkeeping of the write path (crash recovery, removal) asks Chroma itself: a writer
    # that died between its Chroma write and the corpus-version bump left vectors that only
    # Chroma knows of.
    def ids_for_doc(self, doc_id: str) -> list[str]:
        return self.inner.ids_for_doc(doc_id)

    def all_doc_ids(self) -> set[str]:
        return self.inner.all_doc_ids()

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        snap = self._current()
        return {p: snap.matrix[snap.row[p]].tolist() for p in ids if p in snap.row}

    # -- the snapshot ----------------------------------------------------------------------
    def _current(self) -> _Snapshot:
        key = f"{FORMAT}|{self._version()}"
        if self._snapshot is not None and self._snapshot_key == key:
            return self._snapshot
        snap = self._load(key)
        if snap is None:
            snap = self._rebuild(key)
        self._snapshot, self._snapshot_key = snap, key
        return snap

    def _load(self, key: str) -> _Snapshot | None:
        import numpy as np

        try:
            meta = json.loads((self.folder / "meta.json").read_text("utf-8"))
            if meta.get("key") != key:
                return None
            matrix = np.load(self.folder / meta["matrix"], mmap_mode="r")
            rows = json.loads((self.folder / meta["rows"]).read_text("utf-8"))
        except (OSError, ValueError, KeyError):
            return None
        if len(rows["ids"]) != len(matrix):
            return None
        return _Snapshot(rows["ids"], rows["metas"], np.asarray(matrix))

    def _rebuild(self, key: str) -> _Snapshot:
        import numpy as np

        ids, metas, matrix = _export(self.inner)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix /= np.where(norms > 0, norms, 1.0)
        try:
            self._write(key, ids, metas, matrix)
        except OSError as exc:  # a read-only data dir still answers, from Chroma's export
            log.warning("cannot write the vector snapshot in %s: %s", self.folder, exc)
        return _Snapshot(ids, metas, matrix)

    def _write(
        self, key: str, ids: list[str], metas: list[dict[str, Any]], matrix: np.ndarray
    ) -> None:
        import numpy as np

        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"v{os.getpid()}-{abs(hash(key)) % 10**8}"
        matrix_name, rows_name = f"{stem}.npy", f"{stem}.json"
        np.save(self.folder / matrix_name, matrix)
        (self.folder / rows_name).write_text(json.dumps({"ids": ids, "metas": metas}), "utf-8")
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"key": key, "matrix": matrix_name, "rows": rows_name}, handle)
        os.replace(tmp, self.folder / "meta.json")
        for old in self.folder.iterdir():  # earlier snapshots
            if old.suffix in (".npy", ".json") and old.stem != stem and old.name != "meta.json":
                old.unlink(missing_ok=True)


def _export(store: VectorStore) -> tuple[list[str], list[dict[str, Any]], np.ndarray]:
    """Every id, metadata and vector of the store (Chroma pages through its collection)."""
    import numpy as np

    collection = getattr(store, "_collection", None)
    if collection is None:
        raise TypeError(f"{type(store).__name__} cannot be snapshotted")
    ids: list[str] = []
    metas: list[dict[str, Any]] = []
    blocks: list[np.ndarray] = []
    offset = 0
    try:
        while True:
            page = collection.get(include=["embeddings", "metadatas"], limit=5000, offset=offset)
            ids.extend(page["ids"])
            metas.extend(dict(m or {}) for m in page["metadatas"])
            if len(page["ids"]):
                blocks.append(np.asarray(page["embeddings"], dtype=np.float32))
            if len(page["ids"]) < 5000:
                break
            offset += 5000
    except Exception as exc:
        raise StoreError(
            f"reading the vectors of {getattr(store, 'where_label', 'the store')} failed: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    matrix = np.concatenate(blocks) if blocks else np.zeros((0, 0), dtype=np.float32)
    return ids, metas, matrix
