"""Question -> ranked passages: dense (vector store) + BM25, fused by reciprocal rank fusion,
filtered, near-duplicates across outlets collapsed."""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from assistant.lexical import jaccard, shingles, tokens
from ingest.database import ArticleDB
from ingest.embedding import Embedder
from ingest.store import VectorHit, VectorStore, Where
from ingest.types import Passage, day_number

log = logging.getLogger(__name__)
RRF_K = 60
# A filtered question first searches this many times deeper without the filter and keeps the
# hits that SQLite says pass it: a metadata filter inside Chroma costs ~100x an unfiltered
# query at 100k chunks. When fewer than `depth` hits pass, the exact filtered search runs.
OVERFETCH = 20
EXACT_MAX = 300  # up to this many passing passages, exact cosine over their stored vectors


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
    published: date | None
    url: str | None
    also_in: tuple[str, ...] = ()
    also_in_docs: tuple[str, ...] = field(default=())


def to_where(filters: Filters) -> Where | None:
    """Filters in Chroma's `where` syntax (published is stored as YYYYMMDD)."""
    clauses: list[dict[str, Any]] = []
    if filters.since and filters.since == filters.until:
        clauses.append({"published": {"$eq": day_number(filters.since)}})
    else:
        if filters.since:
            clauses.append({"published": {"$gte": day_number(filters.since)}})
        if filters.until:
            clauses.append({"published": {"$lte": day_number(filters.until)}})
    if filters.outlet:
        clauses.append({"outlet": filters.outlet})
    if filters.party:
        clauses.append({f"party:{filters.party}": True})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass(frozen=True, slots=True)
class BM25Postings:
    """A bm25s index as plain arrays: for each term, the rows it occurs in and their BM25 scores
    (bm25s precomputes them at index time). A question is scored with numpy alone: importing
    bm25s pulls in scipy, about 0.3 s of a cold `briefing ask`. Scores equal bm25s' own."""

    vocab: dict[str, int]
    data: np.ndarray  # score of each (term, row) posting, grouped by term
    indices: np.ndarray  # the row of each posting
    indptr: np.ndarray  # term t's postings are data[indptr[t]:indptr[t + 1]]
    num_docs: int
    nonoccurrence: np.ndarray | None = None  # bm25l / bm25+: a term's score where it is absent

    @classmethod
    def load(cls, folder: Path) -> BM25Postings:
        """Read an index written by `bm25s.BM25.save(folder)` (its file names, numpy arrays)."""
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        vocab = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        nnoc = folder / "nonoccurrence_array.index.npy"
        return cls(
            vocab={str(term): int(tid) for term, tid in vocab.items()},
            data=np.load(folder / "data.csc.index.npy", mmap_mode="r"),
            indices=np.load(folder / "indices.csc.index.npy", mmap_mode="r"),
            indptr=np.load(folder / "indptr.csc.index.npy"),
            num_docs=int(params["num_docs"]),
            nonoccurrence=np.load(nnoc) if nnoc.exists() else None,
        )

    @classmethod
    def of_model(cls, model: Any) -> BM25Postings:
        """The arrays of a `bm25s.BM25` just indexed in this process."""
        return cls(
            vocab=dict(model.vocab_dict),
            data=np.asarray(model.scores["data"]),
            indices=np.asarray(model.scores["indices"]),
            indptr=np.asarray(model.scores["indptr"]),
            num_docs=int(model.scores["num_docs"]),
            nonoccurrence=getattr(model, "nonoccurrence_array", None),
        )

    def scores(self, terms: Sequence[str], mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every row for the query terms (a repeated term counts again, unknown
        terms count nothing); rows where `mask` is 0 score 0."""
        ids = [self.vocab[t] for t in terms if t in self.vocab]
        scores = np.zeros(self.num_docs, dtype=self.data.dtype)
        for tid in ids:
            start, end = int(self.indptr[tid]), int(self.indptr[tid + 1])
            # A term's postings name each row once, so plain fancy-index addition is exact.
            scores[self.indices[start:end]] += self.data[start:end]
        if self.nonoccurrence is not None and ids:
            scores += self.nonoccurrence[np.asarray(ids, dtype=np.int64)].sum()
        if mask is not None:
            scores *= mask
        return scores

    def top(
        self,
        terms: Sequence[str],
        k: int,
        mask: np.ndarray | None = None,
        tie_rank: np.ndarray | None = None,
    ) -> list[tuple[int, float]]:
        """The k best (row, score) with a positive score, best first; equal scores in the order
        of `tie_rank[row]` (default: the row), so which tied rows make the cut is fixed."""
        scores = self.scores(terms, mask)
        rows = np.flatnonzero(scores > 0)
        if len(rows) == 0 or k <= 0:
            return []
        ties = rows if tie_rank is None else tie_rank[rows]
        order = np.lexsort((ties, -scores[rows]))[:k]
        return [(int(rows[i]), float(scores[rows[i]])) for i in order]


class BM25Index:
    """BM25 over every stored passage, persisted in the data dir, rebuilt when ingest changes.

    bm25s builds and saves the index (at ingest); a question reads the saved arrays through
    `BM25Postings`, so it never imports bm25s or scipy."""

    def __init__(self, path: Path, db: ArticleDB) -> None:
        self.path = path
        self.db = db
        self._lock = threading.Lock()
        self._postings: BM25Postings | None = None
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._id_rank = np.empty(0, dtype=np.int64)
        self._version: str | None = None

    def _current_version(self) -> str:
        return self.db.corpus_version()

    def _ensure(self) -> None:
        version = self._current_version()
        if self._version == version:
            return
        meta_file = self.path / "ids.json"
        if meta_file.exists():
            try:
                saved = json.loads(meta_file.read_text(encoding="utf-8"))
                if saved.get("version") == version:
                    postings = BM25Postings.load(self.path / saved.get("index", "index"))
                    ids = [str(pid) for pid in saved["ids"]]
                    if postings.num_docs != len(ids):
                        raise ValueError(f"{len(ids)} ids for {postings.num_docs} rows")
                    self._postings = postings
                    self._set_ids(ids)
                    self._version = version
                    return
            except Exception as exc:  # truncated, half-written or foreign files: rebuild
                log.warning(
                    "the BM25 index in %s is unreadable (%s: %s); rebuilding it from the "
                    "article database",
                    self.path,
                    type(exc).__name__,
                    str(exc)[:200],
                )
        import bm25s

        rows = self.db.complete_passage_texts()
        self._set_ids([r[0] for r in rows])
        corpus = [tokens(r[1]) or ["_empty_"] for r in rows]
        self._postings = None
        if corpus:
            model = bm25s.BM25()
            model.index(corpus, show_progress=False)
            self._save(model, version)
            self._postings = BM25Postings.of_model(model)
        self._version = version

    def _save(self, model: Any, version: str) -> None:
        """Write the index atomically: a fresh folder, then `ids.json` (naming it) replaced in
        one rename, so a reader sees the old index or the new one, never half of one."""
        import os
        import shutil
        import tempfile

        try:
            self.path.mkdir(parents=True, exist_ok=True)
            folder = tempfile.mkdtemp(prefix=f"index-{version}-", dir=self.path)
            model.save(folder)
            meta = json.dumps({"version": version, "index": Path(folder).name, "ids": self._ids})
            fd, tmp = tempfile.mkstemp(prefix="ids-", suffix=".json.tmp", dir=self.path)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(meta)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path / "ids.json")
        except OSError as exc:  # a read-only data dir still answers, from memory
            log.warning("cannot save the BM25 index in %s: %s", self.path, exc)
            return
        for old in self.path.iterdir():  # earlier indexes and leftovers of crashed writers
            if old.name != Path(folder).name and (
                old.name.startswith("index") or old.name.endswith(".json.tmp")
            ):
                if old.is_dir():
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    old.unlink(missing_ok=True)

    def _set_ids(self, ids: list[str]) -> None:
        self._ids = ids
        self._rows = {pid: row for row, pid in enumerate(ids)}
        # Each row's place in id order: tied scores are cut and listed by passage id.
        self._id_rank = np.empty(len(ids), dtype=np.int64)
        self._id_rank[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))

    def search(
        self, question: str, k: int, allowed: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """The k best passages for the question; only `allowed` ones when that is given."""
        with self._lock:
            self._ensure()
            postings = self._postings
            if postings is None or not self._ids:
                return []
            query = tokens(question)
            mask = None
            if allowed is not None:
                rows = [self._rows[pid] for pid in allowed if pid in self._rows]
                if not rows:
                    return []
                mask = np.zeros(len(self._ids), dtype=postings.data.dtype)
                mask[np.asarray(rows, dtype=np.int64)] = 1.0
            best = postings.top(query, min(k, len(self._ids)), mask, self._id_rank)
        hits = [(self._ids[row], score) for row, score in best]
        hits.sort(key=lambda hit: (-hit[1], hit[0]))  # ties in a fixed order
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
        self.skipped = 0  # vector hits of the last question with no local passage

    def allowed_ids(self, filters: Filters, among: Sequence[str] | None = None) -> set[str] | None:
        """Ids of the passages the filters let through (only those `among`, when given)."""
        if filters.is_empty():
            return None
        return self.db.filter_passages(
            among=among,
            since=filters.since,
            until=filters.until,
            outlet=filters.outlet,
            label=filters.party,
        )

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
        # computed once, and only when a narrow filter needs every passing id
        allowed = functools.cache(lambda: self.allowed_ids(filters) or set())
        dense_hits: dict[str, float] = {}
        ranked: dict[str, float] = {}
        if mode in ("hybrid", "dense"):
            vec = vector if vector is not None else self.embedder.embed([question])[0]
            for rank, hit in enumerate(self.dense_search(vec, depth, filters, allowed)):
                dense_hits[hit.passage_id] = hit.score
                ranked[hit.passage_id] = ranked.get(hit.passage_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        bm25_hits: dict[str, float] = {}
        if mode in ("hybrid", "bm25"):
            hits = self.lexical_search(question, depth, filters, allowed)
            for rank, (pid, score) in enumerate(hits):
                bm25_hits[pid] = score
                ranked[pid] = ranked.get(pid, 0.0) + 1.0 / (RRF_K + rank + 1)
        order = sorted(ranked, key=lambda pid: (-ranked[pid], pid))
        passages = self.db.passages(order)
        docs = self._articles({p.doc_id for p in passages.values()})
        results: list[RetrievedPassage] = []
        missing = [pid for pid in order if pid not in passages]
        self.skipped = len(missing)
        if missing:
            # A shared Chroma server holds other data dirs' vectors: named, then skipped.
            log.warning(
                "skipped %d vector hit(s) with no passage in the local article database %s "
                "(another data dir's articles on a shared Chroma server, or removed ones)",
                len(missing),
                self.db.path,
            )
        for pid in order:
            passage = passages.get(pid)
            if passage is None or passage.doc_id not in docs:
                continue  # counted above, or an article removed meanwhile
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
        return collapse_duplicates(results, limit=k)

    def dense_search(
        self,
        vector: Sequence[float],
        depth: int,
        filters: Filters,
        allowed: Callable[[], set[str]] | None = None,
    ) -> list[VectorHit]:
        """The `depth` nearest passages that pass the filters, best first (no hit metadata).

        Filtered: the unfiltered top `depth * OVERFETCH`, kept when SQLite says they pass; when
        fewer than `depth` pass (a narrow filter), every passing passage is searched: a few
        hundred by exact cosine over their stored vectors, more through the store's id
        allow-list. A metadata `where` inside Chroma costs 75-150 ms at 100k chunks, whatever
        the filter; these paths cost 5-25 ms.
        """
        if filters.is_empty():
            return self.store.search(vector, depth, metadata=False)
        wide = self.store.search(vector, depth * OVERFETCH, metadata=False)
        among = self.allowed_ids(filters, [hit.passage_id for hit in wide]) or set()
        passed = [hit for hit in wide if hit.passage_id in among]
        if len(passed) >= depth or len(wide) < depth * OVERFETCH:
            return passed[:depth]  # the filtered ranking's top, or everything there is
        ids = sorted(allowed() if allowed else self.allowed_ids(filters) or set())
        if not ids:
            return []
        if len(ids) <= EXACT_MAX:
            return exact_nearest(vector, self.store.vectors(ids), depth)
        return self.store.search(vector, depth, metadata=False, ids=ids)

    def lexical_search(
        self,
        question: str,
        depth: int,
        filters: Filters,
        allowed: Callable[[], set[str]] | None = None,
    ) -> list[tuple[str, float]]:
        """The `depth` best BM25 passages that pass the filters, best first."""
        if filters.is_empty():
            return self.bm25.search(question, depth)
        wide = self.bm25.search(question, depth * OVERFETCH)
        among = self.allowed_ids(filters, [pid for pid, _ in wide]) or set()
        passed = [(pid, score) for pid, score in wide if pid in among]
        if len(passed) >= depth or len(wide) < depth * OVERFETCH:
            return passed[:depth]
        return self.bm25.search(
            question, depth, allowed() if allowed else self.allowed_ids(filters)
        )

    def _articles(
        self, doc_ids: set[str]
    ) -> dict[str, tuple[str, str | None, date | None, str | None]]:
        return self.db.article_heads(doc_ids)


def exact_nearest(
    vector: Sequence[float], vectors: dict[str, list[float]], k: int
) -> list[VectorHit]:
    """The k most cosine-similar of `vectors`, best first (ties by id)."""
    if not vectors:
        return []
    ids = list(vectors)
    matrix = np.asarray([vectors[pid] for pid in ids], dtype=np.float32)
    query = np.asarray(vector, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1) * (float(np.linalg.norm(query)) or 1.0)
    scores = matrix @ query / np.where(norms == 0, 1.0, norms)
    order = sorted(range(len(ids)), key=lambda i: (-float(scores[i]), ids[i]))[:k]
    return [VectorHit(ids[i], float(scores[i]), {}) for i in order]


def collapse_duplicates(
    results: list[RetrievedPassage], threshold: float = 0.5, limit: int | None = None
) -> list[RetrievedPassage]:
    """Keep the best-ranked of near-identical passages from other articles; list their outlets.

    With `limit`, at most that many are kept; later passages are still checked against them so
    every copy of a kept passage is listed in `also_in`.
    """
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
            if limit is None or len(kept) < limit:
                kept.append(item)
                signatures.append(sig)
    return kept
