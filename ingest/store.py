"""Passage vectors: a small protocol, Chroma (embedded or server) and an in-memory store."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ingest.errors import StoreError, StoreUnavailable

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

log = logging.getLogger(__name__)

Metadata = Mapping[str, str | int | float | bool]
Where = dict[str, Any]


@dataclass(frozen=True, slots=True)
class VectorHit:
    """A passage id found by a vector search, with cosine similarity (1 = identical)."""

    passage_id: str
    score: float
    metadata: Metadata


@runtime_checkable
class VectorStore(Protocol):
    """Where passage vectors live. `where` uses Chroma's filter syntax."""

    def add(
        self, ids: Sequence[str], vectors: Sequence[Sequence[float]], metadatas: Sequence[Metadata]
    ) -> None: ...

    def delete_doc(self, doc_id: str) -> None: ...

    def search(
        self,
        vector: Sequence[float],
        k: int,
        where: Where | None = None,
        metadata: bool = True,
        ids: Sequence[str] | None = None,
    ) -> list[VectorHit]:
        """The k nearest passages passing `where` (and among `ids`, when given);
        `metadata=False` leaves hit metadata empty."""
        ...

    def count(self) -> int: ...

    def ids_for_doc(self, doc_id: str) -> list[str]: ...

    def all_doc_ids(self) -> set[str]: ...

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]: ...


class ChromaStore:
    """Chroma through PersistentClient (a folder) or HttpClient (`chroma run`): one code path."""

    def __init__(self, client: ClientAPI, collection: str, where_label: str) -> None:
        self.where_label = where_label
        self._client = client
        try:
            # embedding_function=None: we always embed on our side, so Chroma's default
            # embedder (which downloads weights) never runs.
            self._collection: Collection = client.get_or_create_collection(
                name=collection,
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
            )
        except Exception as exc:
            raise _wrap(exc, where_label) from exc

    @classmethod
    def embedded(cls, path: Path, collection: str) -> ChromaStore:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        path.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(
            path=str(path), settings=ChromaSettings(anonymized_telemetry=False)
        )
        return cls(client, collection, f"Chroma folder {path}")

    @classmethod
    def server(
        cls,
        host: str,
        port: int,
        collection: str,
        token: str | None = None,
        ssl: bool = False,
    ) -> ChromaStore:
        """A `chroma run` server, over https with `ssl`; `token` goes out as Chroma's token
        auth header (`Authorization: Bearer ...`)."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        label = f"Chroma server at {host}:{port}" + (" (https)" if ssl else "")
        auth: dict[str, Any] = {}
        if token:
            auth = {
                "chroma_client_auth_provider": "chromadb.auth.token_authn.TokenAuthClientProvider",
                "chroma_client_auth_credentials": token,
            }
        try:
            client = chromadb.HttpClient(
                host=host,
                port=port,
                ssl=ssl,
                settings=ChromaSettings(anonymized_telemetry=False, **auth),
            )
            client.heartbeat()
        except Exception as exc:
            if _is_auth_error(exc):
                raise StoreUnavailable(_auth_message(label, token)) from exc
            raise StoreUnavailable(
                f"{label} is unreachable ({type(exc).__name__}); start it with "
                f"`chroma run --path DIR --host {host} --port {port}` or set "
                "BRIEFING_CHROMA_MODE=embedded"
            ) from exc
        try:
            return cls(client, collection, label)
        except StoreError as exc:
            if _is_auth_error(exc.__cause__ or exc):
                raise StoreUnavailable(_auth_message(label, token)) from exc
            raise

    def add(
        self, ids: Sequence[str], vectors: Sequence[Sequence[float]], metadatas: Sequence[Metadata]
    ) -> None:
        if not ids:
            return
        try:
            for lo in range(0, len(ids), 2000):
                hi = lo + 2000
                self._collection.upsert(
                    ids=list(ids[lo:hi]),
                    embeddings=[list(v) for v in vectors[lo:hi]],  # type: ignore[arg-type]
                    metadatas=[dict(m) for m in metadatas[lo:hi]],
                )
        except Exception as exc:
            raise _wrap(exc, self.where_label) from exc

    def delete_doc(self, doc_id: str) -> None:
        try:
            self._collection.delete(where={"doc_id": doc_id})
        except Exception as exc:
            raise _wrap(exc, self.where_label) from exc

    def search(
        self,
        vector: Sequence[float],
        k: int,
        where: Where | None = None,
        metadata: bool = True,
        ids: Sequence[str] | None = None,
    ) -> list[VectorHit]:
        if ids is not None and not ids:
            return []
        # Fetching metadata is most of a query's cost at large k (600 hits: 24 ms vs 6 ms).
        include: list[Any] = ["distances", "metadatas"] if metadata else ["distances"]
        try:
            try:
                result = self._query(vector, k, where, ids, include)
            except Exception as exc:
                if ids is None or "finding id" not in str(exc):
                    raise
                # Chroma rejects an allow-list naming an id it does not hold: keep the held ones.
                held = self._collection.get(ids=list(ids), include=[])["ids"]
                if not held:
                    return []
                result = self._query(vector, k, where, held, include)
        except Exception as exc:
            raise _wrap(exc, self.where_label) from exc
        found = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        metadatas = (result.get("metadatas") or [[]])[0] if metadata else [None] * len(found)
        return [
            VectorHit(pid, 1.0 - float(dist), dict(meta or {}))
            for pid, dist, meta in zip(found, distances, metadatas, strict=True)
        ]

    def _query(
        self,
        vector: Sequence[float],
        k: int,
        where: Where | None,
        ids: Sequence[str] | None,
        include: list[Any],
    ) -> Any:
        return self._collection.query(
            query_embeddings=[list(vector)],  # type: ignore[arg-type]
            n_results=k,
            where=where or None,
            ids=list(ids) if ids is not None else None,
            include=include,
        )

    def count(self) -> int:
        try:
            return int(self._collection.count())
        except Exception as exc:
            raise _wrap(exc, self.where_label) from exc

    def ids_for_doc(self, doc_id: str) -> list[str]:
        try:
            return list(self._collection.get(where={"doc_id": doc_id}, include=[])["ids"])
        except Exception as exc:
            raise _wrap(exc, self.where_label) from exc

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors of these passages (missing ids are left out)."""
        return _chroma_vectors(self._collection, ids, self.where_label)

    def all_doc_ids(self) -> set[str]:
        doc_ids: set[str] = set()
        offset = 0
        try:
            while True:
                page = self._collection.get(include=["metadatas"], limit=5000, offset=offset)
                metadatas = page.get("metadatas") or []
                doc_ids.update(str(m["doc_id"]) for m in metadatas if m and "doc_id" in m)
                if len(page["ids"]) < 5000:
                    return doc_ids
                offset += 5000
        except Exception as exc:
            raise _wrap(exc, self.where_label) from exc


def _chroma_vectors(
    collection: Collection, ids: Sequence[str], label: str
) -> dict[str, list[float]]:
    if not ids:
        return {}
    try:
        got = collection.get(ids=list(ids), include=["embeddings"])
    except Exception as exc:
        raise _wrap(exc, label) from exc
    embeddings = got.get("embeddings")
    if embeddings is None:
        return {}
    return {pid: [float(x) for x in vec] for pid, vec in zip(got["ids"], embeddings, strict=True)}


def _is_auth_error(exc: BaseException) -> bool:
    """Chroma (or a proxy in front of it) refused the credentials: 401 / 403."""
    text = f"{type(exc).__name__} {exc}".lower()
    marks = ("authorization", "authentication", "unauthorized", "forbidden", "401", "403")
    return any(mark in text for mark in marks)


def _auth_message(label: str, token: str | None) -> str:
    if not token:
        return f"{label} asks for a token: set BRIEFING_CHROMA_TOKEN to the server's token"
    return (
        f"{label} refused the token in BRIEFING_CHROMA_TOKEN; set it to the token the server "
        "(or the proxy in front of it) expects"
    )


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it was raised from or during, innermost last."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _is_unreachable(exc: BaseException) -> bool:
    """The server cannot be reached: told by the exception types of the transport first."""
    import httpx

    kinds = (ConnectionError, TimeoutError, httpx.TransportError)
    if any(isinstance(e, kinds) for e in _causes(exc)):
        return True
    # chromadb reports a server it could not reach as a plain ValueError; its text is all there is.
    text = str(exc).lower()
    return isinstance(exc, ValueError) and any(
        word in text for word in ("could not connect", "connection refused", "unreachable")
    )


def _wrap(exc: Exception, where_label: str) -> StoreError:
    if _is_unreachable(exc):
        return StoreUnavailable(f"{where_label} is unreachable: {exc}")
    return StoreError(f"{where_label}: {type(exc).__name__}: {exc}")


class MemoryStore:
    """Exact cosine search over a dict; for tests and tiny corpora."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[list[float], dict[str, Any]]] = {}

    def add(
        self, ids: Sequence[str], vectors: Sequence[Sequence[float]], metadatas: Sequence[Metadata]
    ) -> None:
        for pid, vector, meta in zip(ids, vectors, metadatas, strict=True):
            self._rows[pid] = (list(vector), dict(meta))

    def delete_doc(self, doc_id: str) -> None:
        for pid in self.ids_for_doc(doc_id):
            del self._rows[pid]

    def search(
        self,
        vector: Sequence[float],
        k: int,
        where: Where | None = None,
        metadata: bool = True,
        ids: Sequence[str] | None = None,
    ) -> list[VectorHit]:
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        among = set(ids) if ids is not None else None
        hits = []
        for pid, (row, meta) in self._rows.items():
            if among is not None and pid not in among:
                continue
            if where and not matches(meta, where):
                continue
            row_norm = math.sqrt(sum(v * v for v in row)) or 1.0
            score = sum(a * b for a, b in zip(vector, row, strict=True)) / (norm * row_norm)
            hits.append(VectorHit(pid, score, meta if metadata else {}))
        hits.sort(key=lambda h: (-h.score, h.passage_id))
        return hits[:k]

    def count(self) -> int:
        return len(self._rows)

    def ids_for_doc(self, doc_id: str) -> list[str]:
        return [pid for pid, (_, meta) in self._rows.items() if meta.get("doc_id") == doc_id]

    def all_doc_ids(self) -> set[str]:
        return {str(meta["doc_id"]) for _, meta in self._rows.values()}

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        return {pid: list(self._rows[pid][0]) for pid in ids if pid in self._rows}


def matches(meta: Mapping[str, Any], where: Mapping[str, Any]) -> bool:
    """Evaluate the subset of Chroma's `where` syntax we use, for MemoryStore."""
    for key, condition in where.items():
        if key == "$and":
            if not all(matches(meta, sub) for sub in condition):
                return False
            continue
        if key == "$or":
            if not any(matches(meta, sub) for sub in condition):
                return False
            continue
        value = meta.get(key)
        if not isinstance(condition, dict):
            condition = {"$eq": condition}
        for op, operand in condition.items():
            if op == "$eq" and value != operand:
                return False
            if op == "$ne" and value == operand:
                return False
            if op == "$in" and value not in operand:
                return False
            if op in ("$gte", "$lte", "$gt", "$lt"):
                if value is None:
                    return False
                if op == "$gte" and not value >= operand:
                    return False
                if op == "$lte" and not value <= operand:
                    return False
                if op == "$gt" and not value > operand:
                    return False
                if op == "$lt" and not value < operand:
                    return False
    return True
