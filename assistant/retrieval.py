"""Question -> ranked passages: dense (vector store) + BM25, fused by reciprocal rank fusion,
filtered, near-duplicates across outlets collapsed."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from assistant.lexical import jaccard, shingles, tokens
from ingest.database import ArticleDB
from ingest.embedding import Embedder
from ingest.store import VectorStore, Where
from ingest.types import Passage

log = logging.getLogger(__name__)
RRF_K = 60


@dataclass(frozen=True, slots=True)
class Filters:
    """Which passages may answer: published range, outlet, a party that speaks in it."""

    since: date | None = None
    until: date | None = None
    outlet: str | None = None
    party: str | None = None

    def is_empty(self) -> bool:
        return not (self.since or self.until or self.outlet or self.party)


@dataclass(frozen=True, slots=True)
class RetrievedPassage:
    """A passage with its scores and article metadata."""

    passage: Passage
    score: float  # fused RRF score
    dense: float  # cosine similarity to the question (0 when only BM25 found it)
    bm25: float
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    also_in: tuple[str, ...] = ()
    also_in_docs: tuple[str, ...] = field(default=())


def to_where(filters: Filters) -> Where | None:
    """Filters in Chroma's `where` syntax (published is stored as YYYYMMDD)."""
    clauses: list[dict[str, Any]] = []
    if filters.since:
        clauses.append({"published": {"$gte": int(filters.since.strftime("%Y%m%d"))}})
    if filters.until:
        clauses.append({"published": {"$lte": int(filters.until.strftime("%Y%m%d"))}})
    if filters.outlet:
        clauses.append({"outlet": filters.outlet})
    if filters.party:
        clauses.append({f"party:{filters.party}": True})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class BM25Index:
    """bm25s over every stored passage, persisted in the data dir, rebuilt when ingest changes."""

    def __init__(self, path: Path, db: ArticleDB) -> None:
        self.path = path
        self.db = db
        self._lock = threading.Lock()
        self._model: Any = None
        self._ids: list[str] = []
        self._version: str | None = None

    def _current_version(self) -> str:
        return self.db.corpus_version()

    def _ensure(self) -> None:
        version = self._current_version()
        if self._version == version and self._model is not None:
            return
        import bm25s

        meta_file = self.path / "ids.json"
        if meta_file.exists():
            saved = json.loads(meta_file.read_text())
            if saved.get("version") == version:
                self._model = bm25s.BM25.load(str(self.path / "index"))
                self._ids = saved["ids"]
                self._version = version
                return
        rows = self.db.conn.execute(
            "SELECT p.id, a.title || ' ' || p.text FROM passages p JOIN articles a "
            "ON a.doc_id = p.doc_id AND a.status = 'complete' ORDER BY p.id"
        ).fetchall()
        self._ids = [r[0] for r in rows]
        corpus = [tokens(r[1]) or ["_empty_"] for r in rows]
        model = bm25s.BM25()
        if corpus:
            model.index(corpus, show_progress=False)
            self.path.mkdir(parents=True, exist_ok=True)
            model.save(str(self.path / "index"))
            meta_file.write_text(json.dumps({"version": version, "ids": self._ids}))
        self._model = model if corpus else None
        self._version = version

    def search(
        self, question: str, k: int, allowed: set[str] | None = None
    ) -> list[tuple[str, float]]:
        with self._lock:
            self._ensure()
            if self._model is None or not self._ids:
                return []
            query = [t for t in tokens(question) if t in self._model.vocab_dict]
            if not query:
                return []
            mask = None
            if allowed is not None:
                mask = np.array([pid in allowed for pid in self._ids], dtype=np.float32)
                if not mask.any():
                    return []
            k = min(k, len(self._ids))
            docs, scores = self._model.retrieve([query], k=k, show_progress=False, weight_mask=mask)
        hits = []
        for index, score in zip(docs[0], scores[0], strict=True):
            if score > 0:
                hits.append((self._ids[int(index)], float(score)))
        return hits


class Retriever:
    """Hybrid retrieval through the Embedder and VectorStore protocols."""

    def __init__(
        self, db: ArticleDB, store: VectorStore, embedder: Embedder, bm25: BM25Index
    ) -> None:
        self.db = db
        self.store = store
        self.embedder = embedder
        self.bm25 = bm25

    def allowed_ids(self, filters: Filters) -> set[str] | None:
        if filters.is_empty():
            return None
        sql = [
            "SELECT p.id FROM passages p JOIN articles a ON a.doc_id = p.doc_id"
            " WHERE a.status='complete'"
        ]
        args: list[Any] = []
        if filters.since:
            sql.append("AND a.published >= ?")
            args.append(filters.since.isoformat())
        if filters.until:
            sql.append("AND a.published <= ?")
            args.append(filters.until.isoformat())
        if filters.outlet:
            sql.append("AND a.outlet = ?")
            args.append(filters.outlet)
        if filters.party:
            sql.append("AND ('|' || p.parties || '|') LIKE ?")
            args.append(f"%|{filters.party}|%")
        return {r[0] for r in self.db.conn.execute(" ".join(sql), args)}

    def retrieve(
        self,
        question: str,
        k: int = 6,
        filters: Filters | None = None,
        mode: str = "hybrid",
        depth: int = 30,
        vector: Sequence[float] | None = None,
    ) -> list[RetrievedPassage]:
        """Top-k passages; `mode` is 'hybrid', 'dense' or 'bm25' (for the benchmark)."""
        filters = filters or Filters()
        dense_hits: dict[str, float] = {}
        ranked: dict[str, float] = {}
        if mode in ("hybrid", "dense"):
            vec = vector if vector is not None else self.embedder.embed([question])[0]
            for rank, hit in enumerate(self.store.search(vec, depth, to_where(filters))):
                dense_hits[hit.passage_id] = hit.score
                ranked[hit.passage_id] = ranked.get(hit.passage_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        bm25_hits: dict[str, float] = {}
        if mode in ("hybrid", "bm25"):
            allowed = self.allowed_ids(filters)
            for rank, (pid, score) in enumerate(self.bm25.search(question, depth, allowed)):
                bm25_hits[pid] = score
                ranked[pid] = ranked.get(pid, 0.0) + 1.0 / (RRF_K + rank + 1)
        order = sorted(ranked, key=lambda pid: (-ranked[pid], pid))
        passages = self.db.passages(order)
        docs = self._articles({p.doc_id for p in passages.values()})
        results: list[RetrievedPassage] = []
        for pid in order:
            passage = passages.get(pid)
            if passage is None or passage.doc_id not in docs:
                continue  # the vector of an article removed meanwhile
            title, outlet, published, url = docs[passage.doc_id]
            results.append(
                RetrievedPassage(
                    passage,
                    ranked[pid],
                    dense_hits.get(pid, 0.0),
                    bm25_hits.get(pid, 0.0),
                    title,
                    outlet,
                    published,
                    url,
                )
            )
        return collapse_duplicates(results)[:k]

    def _articles(
        self, doc_ids: set[str]
    ) -> dict[str, tuple[str, str | None, str | None, str | None]]:
        if not doc_ids:
            return {}
        ids = list(doc_ids)
        marks = ",".join("?" * len(ids))
        rows = self.db.conn.execute(
            f"SELECT doc_id, title, outlet, published, url FROM articles WHERE status='complete' "
            f"AND doc_id IN ({marks})",
            ids,
        )
        return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}


def collapse_duplicates(
    results: list[RetrievedPassage], threshold: float = 0.5
) -> list[RetrievedPassage]:
    """Keep the best-ranked of near-identical passages from other articles; list their outlets."""
    kept: list[RetrievedPassage] = []
    signatures: list[set[tuple[str, ...]]] = []
    for item in results:
        sig = shingles(item.passage.text)
        for i, other in enumerate(kept):
            if (
                other.passage.doc_id != item.passage.doc_id
                and jaccard(sig, signatures[i]) >= threshold
            ):
                outlets = other.also_in
                if item.outlet and item.outlet != other.outlet and item.outlet not in outlets:
                    outlets = (*outlets, item.outlet)
                kept[i] = replace(
                    other, also_in=outlets, also_in_docs=(*other.also_in_docs, item.passage.doc_id)
                )
                break
        else:
            kept.append(item)
            signatures.append(sig)
    return kept
