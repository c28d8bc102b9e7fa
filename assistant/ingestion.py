"""The one ingest path: files -> articles -> sentences, ledger, passages -> SQLite + vectors.

The CLI, the upload page and the library all call `Ingestor.ingest_paths`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.chunking import chunk_article
from ingest.database import ArticleDB
from ingest.embedding import Embedder
from ingest.errors import StoreError
from ingest.feeds_db import ensure_feed_tables, save_signatures
from ingest.loaders import find_files, load_file
from ingest.sentences import ParsedArticle, one_blas_thread, parse_articles, parsed_sentences
from ingest.store import Metadata, VectorStore
from ingest.types import Article, Passage, day_number

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span

    from assistant.claims.attribution import SentenceAttribution
    from assistant.claims.parties import PartyRegistry

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
GROUP_ARTICLES = 32  # most articles parsed, encoded and written together
PIPELINE_GROUPS = 4  # a smaller ingest is cut into about this many groups, so they overlap


def group_size(total: int) -> int:
    """Articles per group for an ingest of `total`: GROUP_ARTICLES, or less for a small ingest
    so that it still has a few groups whose parse and encode can overlap."""
    return max(1, min(GROUP_ARTICLES, -(-total // PIPELINE_GROUPS)))


def group_bounds(total: int) -> list[tuple[int, int]]:
    """(lo, hi) of each group of an ingest of `total` articles, in order. Groups are
    `group_size(total)` articles, except that the first ones ramp up (1/8, 1/4, 1/2 of it):
    the encode cannot start before the first group is parsed, so while that group is parsed
    a core sits idle, and a small first group keeps that short (a 32-article first group
    was ~6 s of one idle core in a 150-article ledger-on ingest)."""
    size = group_size(total)
    bounds: list[tuple[int, int]] = []
    lo, step = 0, max(1, size // 8)
    while lo < total:
        hi = min(total, lo + step)
        bounds.append((lo, hi))
        lo, step = hi, min(size, step * 2)
    return bounds


LOCK_TIMEOUT_S = 120.0


@dataclass(frozen=True, slots=True)
class FileFailure:
    """A file (or one record in it) that could not be ingested, and why."""

    path: str
    error: str


@dataclass(frozen=True, slots=True)
class Replacement:
    """A stored article (same doc_id, e.g. the same URL) replaced by one from another source."""

    doc_id: str
    title: str
    old_source: str | None
    new_source: str | None


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did; `failed` is empty when every file was read."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[FileFailure] = field(default_factory=list)
    chunks: int = 0
    recovered: int = 0
    doc_ids: list[str] = field(default_factory=list)
    replaced: list[Replacement] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article ready to write: passages, their vectors' texts, ledger and parties."""

    article: Article
    passages: list[Passage]
    passage_parties: list[list[str]]
    ledger: list[SentenceAttribution]
    figures: list[tuple[str, str]] = field(default_factory=list)  # figure_store.figure_rows
    signature: bytes = b""  # syndication.signature_bytes: the MinHash that links copies


class Ingestor:
    """Owns the write order that keeps SQLite and the vector store in agreement."""

    def __init__(
        self,
        db: ArticleDB,
        store: VectorStore,
        embedder: Callable[[], Embedder],
        nlp: Callable[[], Language],
        registry: Callable[[], PartyRegistry] | None,
        chunk_sentences: int = 4,
        chunk_overlap: int = 1,
        max_bytes: int = 20_000_000,
        on_change: Callable[[], None] | None = None,
        review: Callable[[list[SentenceAttribution]], list[SentenceAttribution]] | None = None,
        lock_path: Path | None = None,
        lock_timeout_s: float = LOCK_TIMEOUT_S,
        sweep_orphans: bool = True,
        figures: bool = True,
    ) -> None:
        from assistant.claims.store import ensure_tables
        from assistant.verify.figure_store import ensure_figure_table

        self.db = db
        ensure_tables(db)
        ensure_figure_table(db)
        ensure_feed_tables(db)  # article_minhash, written with each group
        self.store = store
        self._embedder = embedder
        self._nlp = nlp
        self._registry = registry
        self.chunk_sentences = chunk_sentences
        self.chunk_overlap = chunk_overlap
        self.max_bytes = max_bytes
        self.on_change = on_change
        self.review = review
        self.lock_path = lock_path or db.path.parent / "writer.lock"
        self.lock_timeout_s = lock_timeout_s
        # False for a shared Chroma server: vectors without a local article are another data
        # dir's, never debris of a crash here.
        self.sweep_orphans = sweep_orphans
        # Read the figures of each evidence text at ingest (questions then load no parser);
        # off, they are read at question time, and the next ingest does not fill them in.
        self.figures = figures
        from filelock import FileLock

        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(self.lock_path)  # re-entrant; one context per thread

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the data dir's writer lock (ingest, remove, recover): one writer at a time,
        across processes and threads; wait up to `lock_timeout_s`, then say who holds it."""
        from filelock import Timeout

        lock = self._lock
        pid_file = self.lock_path.with_suffix(".pid")
        outer = not lock.is_locked
        try:
            lock.acquire(timeout=self.lock_timeout_s)
        except Timeout as exc:
            holder = _read_pid(pid_file)
            raise StoreError(
                f"busy: another ingest is running (pid {holder}) on {self.lock_path.parent}; "
                f"waited {self.lock_timeout_s:.0f} s; try again when it has finished"
            ) from exc
        try:
            if outer:
                pid_file.write_text(str(os.getpid()), encoding="utf-8")
            yield
        finally:
            lock.release()

    # -- public ----------------------------------------------------------------------------
    def ingest_paths(
        self,
        paths: Iterable[str | Path],
        outlet: str | None = None,
        progress: Progress | None = None,
        sources: Mapping[str, str] | None = None,
    ) -> IngestReport:
        """Read and store files; `sources` maps a file path to the source name to record
        (an upload's own name instead of its temporary path)."""
        with self.writing():
            return self._ingest_paths(paths, outlet, progress, sources or {})

    def _ingest_paths(
        self,
        paths: Iterable[str | Path],
        outlet: str | None,
        progress: Progress | None,
        sources: Mapping[str, str],
    ) -> IngestReport:
        report = IngestReport()
        report.recovered = self.recover()
        files, missing = find_files(paths)
        report.failed.extend(FileFailure(e.path, e.reason) for e in missing)
        articles: dict[str, Article] = {}
        for path in files:
            loaded = load_file(path, outlet=outlet, max_bytes=self.max_bytes)
            report.failed.extend(FileFailure(e.path, e.reason) for e in loaded.errors)
            for article in loaded.articles:
                label = sources.get(article.source_path or "")
                if label is not None:
                    article = replace(article, source_path=label)
                earlier = articles.get(article.doc_id)
                if earlier is not None and earlier.source_path != article.source_path:
                    report.replaced.append(
                        Replacement(
                            article.doc_id, article.title, earlier.source_path, article.source_path
                        )
                    )
                articles[article.doc_id] = article
        self._ingest_articles(list(articles.values()), report, progress)
        if self.figures:
            self._fill_figures()
        return report

    def ingest_articles(
        self, articles: Iterable[Article], progress: Progress | None = None
    ) -> IngestReport:
        """Store articles already loaded (from feeds or pages): same lock and write order."""
        with self.writing():
            report = IngestReport()
            report.recovered = self.recover()
            unique = {a.doc_id: a for a in articles}
            self._ingest_articles(list(unique.values()), report, progress)
            if self.figures:
                self._fill_figures()
            return report

    def remove(self, doc_id: str) -> bool:
        """Delete an article, its ledger and its vectors. False when it was not stored."""
        with self.writing():
            if self.db.article(doc_id) is None:
                return False
            with self.db.transaction() as conn:
                self.db.mark(conn, [doc_id], "deleting")
            self.store.delete_doc(doc_id)
            with self.db.transaction() as conn:
                self.db.delete(conn, doc_id)
        self._changed()
        return True

    def recover(self) -> int:
        """Finish what an interrupted run left: redo pending articles, finish deletions.

        Under the writer lock, a pending row is never another live writer's work.
        """
        with self.writing():
            return self._recover()

    def _recover(self) -> int:
        unfinished = self.db.unfinished()
        if not unfinished:
            return 0
        log.warning(
            "recovering %d article(s) left unfinished by an interrupted run", len(unfinished)
        )
        redo: list[Article] = []
        for stored in unfinished:
            if stored.status == "deleting":
                self.store.delete_doc(stored.doc_id)
                with self.db.transaction() as conn:
                    self.db.delete(conn, stored.doc_id)
                continue
            redo.append(
                Article(
                    doc_id=stored.doc_id,
                    title=stored.title,
                    text=stored.text,
                    content_hash=stored.content_hash,
                    outlet=stored.outlet,
                    published=stored.published,
                    url=stored.url,
                    author=stored.author,
                    source_path=stored.source_path,
                )
            )
        for lo in range(0, len(redo), GROUP_ARTICLES):
            self._write_group(self._prepare(redo[lo : lo + GROUP_ARTICLES]), replace=True)
        # Vectors whose article is gone (a crash between the two stores) are dropped too.
        if self.sweep_orphans:
            known = {a.doc_id for a in self.db.articles()}
            for orphan in self.store.all_doc_ids() - known:
                self.store.delete_doc(orphan)
        self._changed()
        return len(unfinished)

    # -- steps -----------------------------------------------------------------------------
    def _ingest_articles(
        self, articles: list[Article], report: IngestReport, progress: Progress | None
    ) -> None:
        states = self.db.states(a.doc_id for a in articles)
        stored_sources = self.db.source_paths(a.doc_id for a in articles if a.doc_id in states)
        todo: list[Article] = []
        for article in articles:
            state = states.get(article.doc_id)
            if state == (article.content_hash, "complete"):
                report.unchanged += 1
            else:
                todo.append(article)
                if state is None:
                    report.added += 1
                else:
                    report.updated += 1
                    old = stored_sources.get(article.doc_id)
                    if old != article.source_path:
                        report.replaced.append(
                            Replacement(article.doc_id, article.title, old, article.source_path)
                        )
            report.doc_ids.append(article.doc_id)
        total = len(todo)
        if progress:
            progress(0, total, "")
        done = 0
        # A pipeline of two stages: while one group's passages are encoded in a worker thread
        # (ONNX Runtime and torch release the GIL), the next group is parsed and attributed
        # here. Groups are still written one at a time and in order, each once its vectors
        # exist, so the write order (pending, vectors, complete) is unchanged. numpy's BLAS
        # runs on one thread throughout (the parse, the continuation model, the figures):
        # OpenBLAS's second thread spins after each call on the core the encode needs.
        pending: tuple[Future[list[list[float]]], list[Prepared], bool, list[Article]] | None
        pending = None
        with (
            one_blas_thread(),
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="encode") as encoder,
        ):
            try:
                for lo, hi in group_bounds(total):
                    group = todo[lo:hi]
                    prepared = self._prepare(group)
                    texts = [p.text for item in prepared for p in item.passages]
                    if texts:
                        vectors = encoder.submit(self._embedder().embed, texts)
                    else:
                        vectors = Future()
                        vectors.set_result([])
                    if pending is not None:
                        report.chunks += self._finish_group(*pending[:3])
                        done += len(pending[3])
                        if progress:
                            progress(done, total, pending[3][-1].title)
                    pending = (vectors, prepared, any(a.doc_id in states for a in group), group)
                if pending is not None:
                    report.chunks += self._finish_group(*pending[:3])
                    done += len(pending[3])
                    if progress:
                        progress(done, total, pending[3][-1].title)
                    pending = None
            finally:
                if pending is not None:  # an error before the last write: drop its encode
                    pending[0].cancel()
        if todo:
            self._changed()

    def _finish_group(
        self, vectors: Future[list[list[float]]], prepared: list[Prepared], replace: bool
    ) -> int:
        return self._write_group(prepared, replace, vectors.result())

    def _prepare(self, articles: list[Article]) -> list[Prepared]:
        from assistant.syndication import signature_bytes

        nlp = self._nlp()
        registry = self._registry() if self._registry else None
        prepared = []
        parses: dict[str, Span] = {}  # sentence text -> its parse, where the pipeline parsed
        for article, parsed in zip(
            articles, parse_articles([a.text for a in articles], nlp), strict=True
        ):
            passages = chunk_article(
                article.doc_id,
                article.text,
                parsed.sentences,
                self.chunk_sentences,
                self.chunk_overlap,
            )
            ledger = self._attribute(parsed, article, registry)
            parties = _parties_per_passage(passages, ledger)
            signature = signature_bytes(article.title, article.text)
            prepared.append(Prepared(article, passages, parties, ledger, signature=signature))
            if ledger:
                parses.update(parsed_sentences(parsed, digits_only=True))
        return self._with_figures(prepared, parses) if self.figures else prepared

    def _with_figures(
        self, prepared: list[Prepared], parses: Mapping[str, Span] | None = None
    ) -> list[Prepared]:
        """Read the figures of every text that will be evidence (one parse batch for the
        group), so that questions find them stored and load no parser. A sentence in `parses`
        (the ledger's own parse of it) is read from that parse, not parsed a second time."""
        from assistant.verify.evidence import evidence_texts
        from assistant.verify.figure_store import figure_rows, text_key

        per_article = [
            evidence_texts(
                item.article.text, [(r.start, r.end) for r in item.ledger], item.passages
            )
            for item in prepared
        ]
        rows = dict(figure_rows((t for texts in per_article for t in texts), parses))
        out = []
        for item, texts in zip(prepared, per_article, strict=True):
            keys = dict.fromkeys(text_key(t) for t in texts)
            out.append(replace(item, figures=[(k, rows[k]) for k in keys if k in rows]))
        return out

    def fill_figures(self) -> int:
        """Store the figures of every stored article that has none of the current version
        (under the writer lock); the next ingest does it anyway. Returns articles filled."""
        with self.writing():
            return self._fill_figures()

    def _fill_figures(self) -> int:
        """Migrate a data dir whose articles have no stored figures of the current version
        (written by an older release, or before a change to the figure reader or its word
        lists): read them once, so later questions need no parser. Returns articles filled."""
        from assistant.claims.store import ledger_rows
        from assistant.verify.evidence import evidence_texts
        from assistant.verify.figure_store import (
            FILLED_KEY,
            figure_rows,
            text_key,
            write_figures,
        )
        from assistant.verify.figures import figures_version

        version = figures_version()
        if self.db.get_meta(FILLED_KEY) == version:
            return 0
        have = {
            r[0]
            for r in self.db.conn.execute(
                "SELECT DISTINCT doc_id FROM figures WHERE version = ?", (version,)
            )
        }
        todo = [a.doc_id for a in self.db.articles() if a.status == "complete"]
        todo = [d for d in todo if d not in have]
        if todo:
            log.info("reading the figures of %d stored article(s) once", len(todo))
        for lo in range(0, len(todo), GROUP_ARTICLES):
            group: list[tuple[str, list[str]]] = []
            for doc_id in todo[lo : lo + GROUP_ARTICLES]:
                stored = self.db.article(doc_id)
                if stored is None:
                    continue
                ledger = [(r.start, r.end) for r in ledger_rows(self.db, doc_id)]
                texts = evidence_texts(stored.text, ledger, self.db.passages_of(doc_id))
                group.append((doc_id, texts))
            rows = dict(figure_rows(t for _, texts in group for t in texts))
            with self.db.transaction() as conn:
                for doc_id, texts in group:
                    keys = dict.fromkeys(text_key(t) for t in texts)
                    write_figures(conn, doc_id, [(k, rows[k]) for k in keys if k in rows])
        with self.db.transaction() as conn:
            self.db.set_meta(conn, FILLED_KEY, version)
        return len(todo)

    def _attribute(
        self, parsed: ParsedArticle, article: Article, registry: PartyRegistry | None
    ) -> list[SentenceAttribution]:
        if registry is None:
            return []
        from assistant.claims.attribution import attribute_article

        records = attribute_article(parsed, registry, title=article.title)
        return self.review(records) if self.review else records

    def _write_group(
        self, prepared: list[Prepared], replace: bool, vectors: list[list[float]] | None = None
    ) -> int:
        """Write a group: pending rows, then vectors (encoded here unless given), then complete."""
        passages = [p for item in prepared for p in item.passages]
        if vectors is None:
            vectors = self._embedder().embed([p.text for p in passages]) if passages else []
        now = datetime.now(UTC).replace(microsecond=0)
        registry = self._registry() if self._registry else None
        with self.db.transaction() as conn:
            for item in prepared:
                self.db.write_pending(
                    conn,
                    item.article,
                    item.passages,
                    ["|".join(parties) for parties in item.passage_parties],
                    now,
                )
                if item.ledger:
                    from assistant.claims.store import write_ledger

                    write_ledger(conn, item.article.doc_id, item.ledger)
                from assistant.verify.figure_store import write_figures

                write_figures(conn, item.article.doc_id, item.figures)
            save_signatures(
                conn, [(i.article.doc_id, i.signature) for i in prepared if i.signature]
            )
            if registry is not None:
                from assistant.claims.store import save_registry

                save_registry(conn, registry)
        if replace:
            for item in prepared:
                self.store.delete_doc(item.article.doc_id)
        metadatas: list[Metadata] = []
        for item in prepared:
            for passage, parties in zip(item.passages, item.passage_parties, strict=True):
                metadatas.append(_metadata(item.article, passage, parties))
        self.store.add([p.id for p in passages], vectors, metadatas)
        with self.db.transaction() as conn:
            self.db.mark(conn, [item.article.doc_id for item in prepared], "complete")
        return len(passages)

    def _changed(self) -> None:
        if self.on_change:
            self.on_change()


def _read_pid(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip() or "unknown"
    except OSError:
        return "unknown"


def _parties_per_passage(
    passages: list[Passage], ledger: list[SentenceAttribution]
) -> list[list[str]]:
    if not ledger:
        return [[] for _ in passages]
    from assistant.types import NARRATOR

    result = []
    for passage in passages:
        parties = {
            record.party
            for record in ledger[passage.first_sentence : passage.last_sentence + 1]
            if record.party != NARRATOR
        }
        result.append(sorted(parties))
    return result


def party_metadata_key(party: str) -> str:
    """The metadata key that marks passages where a party speaks."""
    return f"party:{party}"


def _metadata(article: Article, passage: Passage, parties: list[str]) -> Metadata:
    # Only what a query filters on: the passage's place in its article (index, start, end)
    # lives in SQLite beside its text, and each further field costs the upsert ~0.05 CPU s
    # per 1,000 passages.
    meta: dict[str, str | int | float | bool] = {"doc_id": article.doc_id}
    if article.outlet:
        meta["outlet"] = article.outlet
    if article.published:
        meta["published"] = day_number(article.published)
    for party in parties:
        meta[party_metadata_key(party)] = True
    return meta
