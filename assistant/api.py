"""The library API that the CLI, the web chat and users' code all call."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.ingestion import Ingestor, IngestReport, Progress
from assistant.settings import Settings
from ingest.database import ArticleDB, StoredArticle
from ingest.embedding import Embedder
from ingest.errors import BriefingError, ConfigError
from ingest.loaders import load_file
from ingest.store import VectorStore

if TYPE_CHECKING:
    from spacy.language import Language

    from assistant.attribution import SentenceAttribution
    from assistant.ledger import PartySummary
    from assistant.parties import PartyRegistry

log = logging.getLogger(__name__)


def demo_corpus_path() -> Path:
    """The demo articles shipped inside the package."""
    return Path(str(resources.files("assistant") / "demo_corpus"))


@dataclass(frozen=True, slots=True)
class ArticleLedger:
    """One article's claims ledger: who says each sentence."""

    doc_id: str
    title: str
    outlet: str | None
    published: str | None
    stored: bool
    records: list[SentenceAttribution]


class Assistant:
    """News briefing assistant over one data dir.

    Example:
        >>> from assistant import Assistant, Settings
        >>> bot = Assistant(Settings(data_dir="./.briefing"))
        >>> report = bot.ingest(["articles/"])
        >>> [a.title for a in bot.sources()][:3]

    Heavy parts (spaCy, MiniLM, Chroma) load on first use, so listing sources stays fast.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
        store: VectorStore | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.db = ArticleDB(self.settings.sqlite_path)
        self._embedder_override = embedder
        self._store_override = store
        self._check_embedder()

    # -- services (lazy) -------------------------------------------------------------------
    @cached_property
    def embedder(self) -> Embedder:
        from assistant.wiring import make_embedder

        return self._embedder_override or make_embedder(self.settings)

    @cached_property
    def store(self) -> VectorStore:
        from assistant.wiring import make_store

        return self._store_override or make_store(self.settings)

    @cached_property
    def nlp(self) -> Language:
        from ingest.sentences import load_nlp

        return load_nlp(full=self.settings.ledger)

    @cached_property
    def registry(self) -> PartyRegistry:
        from assistant.ledger import load_registry
        from assistant.parties import PartyRegistry

        base = PartyRegistry()
        if self.settings.parties_file:
            base.load_user_file(self.settings.parties_file)
        return load_registry(self.db, base)

    @cached_property
    def ingestor(self) -> Ingestor:
        return Ingestor(
            self.db,
            self.store,
            embedder=lambda: self.embedder,
            nlp=lambda: self.nlp,
            registry=(lambda: self.registry) if self.settings.ledger else None,
            chunk_sentences=self.settings.chunk_sentences,
            chunk_overlap=self.settings.chunk_overlap,
            max_bytes=int(self.settings.max_file_mb * 1_000_000),
            on_change=self._on_change,
        )

    def _on_change(self) -> None:
        for name in ("_retriever",):
            self.__dict__.pop(name, None)

    def _check_embedder(self) -> None:
        stored = self.db.get_meta("embedding_model")
        wanted = self.settings.embedding_model
        if self._embedder_override is not None:
            wanted = self._embedder_override.name
        if stored is None:
            with self.db.transaction() as conn:
                self.db.set_meta(conn, "embedding_model", wanted)
        elif stored != wanted:
            raise ConfigError(
                f"the store in {self.settings.data_dir} was built with embedding model "
                f"{stored!r}, but {wanted!r} is configured (BRIEFING_EMBEDDING_MODEL); use the "
                "same model or another BRIEFING_DATA_DIR"
            )

    # -- library ---------------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[str | Path],
        outlet: str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Read files, folders or feeds into the store; bad files are reported, not raised."""
        return self.ingestor.ingest_paths(paths, outlet=outlet, progress=progress)

    def ingest_demo(self, progress: Progress | None = None) -> IngestReport:
        return self.ingest([demo_corpus_path()], progress=progress)

    def is_empty(self) -> bool:
        return self.db.count_articles() == 0

    def sources(self) -> list[StoredArticle]:
        return self.db.articles()

    def article(self, doc_id: str) -> StoredArticle:
        found = self.db.article(doc_id)
        if found is None:
            raise BriefingError(f"no article with doc_id {doc_id!r}; see `briefing sources`")
        return found

    def remove(self, doc_id: str) -> None:
        if not self.ingestor.remove(doc_id):
            raise BriefingError(f"no article with doc_id {doc_id!r}; see `briefing sources`")

    def claims(self, path_or_doc_id: str) -> ArticleLedger:
        """The ledger of a stored article (by doc_id or file path) or of a file not stored."""
        from assistant.attribution import attribute_article
        from assistant.ledger import read_ledger
        from ingest.sentences import parse_articles

        stored = self.db.article(path_or_doc_id)
        path = Path(path_or_doc_id)
        if stored is None and path.exists():
            loaded = load_file(path, max_bytes=int(self.settings.max_file_mb * 1_000_000))
            if loaded.errors and not loaded.articles:
                raise loaded.errors[0]
            article = loaded.articles[0]
            stored = self.db.article(article.doc_id)
            if stored is None or stored.content_hash != article.content_hash:
                from ingest.sentences import load_nlp

                parsed = next(parse_articles([article.text], load_nlp(full=True)))
                records = attribute_article(parsed, self.registry, title=article.title)
                return ArticleLedger(
                    article.doc_id,
                    article.title,
                    article.outlet,
                    article.published,
                    False,
                    records,
                )
        if stored is None:
            raise BriefingError(
                f"{path_or_doc_id!r} is neither a stored doc_id nor a readable file; "
                "see `briefing sources`"
            )
        return ArticleLedger(
            stored.doc_id,
            stored.title,
            stored.outlet,
            stored.published,
            True,
            read_ledger(self.db, stored.doc_id),
        )

    def parties(self) -> list[PartySummary]:
        from assistant.ledger import party_summaries

        return party_summaries(self.db)
