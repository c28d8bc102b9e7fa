"""The library API that the CLI, the web chat and users' code all call."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.settings import Settings
from assistant.types import Answer, Source

if TYPE_CHECKING:
    from assistant.briefings.stories import Briefing
from ingest.database import ArticleDB, StoredArticle
from ingest.errors import BadInput, ConfigError, NotFound

# The ingest path, the embedder and the vector store load where used: `sources`, `parties`
# and a question never import the ingest code.
if TYPE_CHECKING:
    from spacy.language import Language

    from assistant.claims.attribution import SentenceAttribution
    from assistant.claims.parties import PartyRegistry
    from assistant.claims.store import PartySummary
    from assistant.feeds import Feed, FeedProgress, FeedReader, FetchReport
    from assistant.ingestion import Ingestor, IngestReport, Progress
    from assistant.llm.chat import ChatModel, Message
    from assistant.search.retrieval import Filters, Retriever
    from assistant.verify.evidence import EvidenceSentence
    from ingest.embedding import Embedder
    from ingest.store import VectorStore

log = logging.getLogger(__name__)


def demo_corpus_path() -> Path:
    """The demo articles shipped inside the package."""
    return Path(str(resources.files("assistant") / "demo_corpus"))


@dataclass(frozen=True, slots=True)
class ReembedReport:
    """What `Assistant.reembed` did: from which embedder to which, how much, how long."""

    before: str | None
    after: str
    articles: int
    passages: int
    seconds: float


@dataclass(frozen=True, slots=True)
class ArticleLedger:
    """One article's claims ledger: who says each sentence."""

    doc_id: str
    title: str
    outlet: str | None
    published: date | None
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
        chat_model: ChatModel | None = None,
        check_embedder: bool = True,
    ) -> None:
        """`check_embedder=False` opens a store built with another embedder (for `reembed`)."""
        self.settings = settings or Settings()
        self.db = ArticleDB(self.settings.sqlite_path)
        from assistant.claims.store import ensure_tables

        ensure_tables(self.db)
        self._embedder_override = embedder
        self._store_override = store
        self._chat_override = chat_model
        self._review_failure: Exception | None = None
        if check_embedder:
            self._check_embedder()

    # -- services (lazy) -------------------------------------------------------------------
    @cached_property
    def embedder(self) -> Embedder:
        from assistant.wiring import make_embedder

        return self._embedder_override or make_embedder(self.settings)

    @cached_property
    def store(self) -> VectorStore:
        from assistant.wiring import make_store

        return self._store_override or make_store(self.settings, version=self._vectors_version)

    def _vectors_version(self) -> str:
        """Changes whenever the stored vectors do: the corpus (every write bumps it) and the
        embedder that made them (`reembed`)."""
        return f"{self.db.corpus_version()}|{self.db.get_meta('embedder')}"

    @cached_property
    def nlp(self) -> Language:
        from ingest.sentences import load_nlp

        return load_nlp(full=self.settings.ledger)

    @cached_property
    def registry(self) -> PartyRegistry:
        from assistant.claims.parties import PartyRegistry
        from assistant.claims.store import load_registry

        base = PartyRegistry()
        if self.settings.parties_file:
            base.load_user_file(self.settings.parties_file)
        return load_registry(self.db, base)

    @cached_property
    def ingestor(self) -> Ingestor:
        from assistant.ingestion import Ingestor

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
            review=self._review if self.settings.ledger_llm_review else None,
            lock_timeout_s=self.settings.lock_timeout_s,
            sweep_orphans=self.settings.chroma_mode != "http",
            figures=self.settings.ledger
            if self.settings.figures_at_ingest is None
            else self.settings.figures_at_ingest,
        )

    def _review(self, records: list[SentenceAttribution]) -> list[SentenceAttribution]:
        from assistant.claims.review import review_ledger

        if self.chat_model is None:
            raise ConfigError(
                "BRIEFING_LEDGER_LLM_REVIEW=true needs an LLM: set BRIEFING_LLM_BASE_URL"
            )
        if self._review_failure is not None:
            return records  # the LLM failed earlier in this run: not asked again per article
        chat = _FailOnce(self.chat_model)
        reviewed, changed = review_ledger(records, chat)
        if chat.failure is not None:
            self._review_failure = chat.failure
            log.warning(
                "LLM ledger review is off for the rest of this run after its first failure "
                "(%s); the rule-based ledger is kept",
                chat.failure,
            )
        if changed:
            log.info("LLM review changed %d ledger sentence(s)", changed)
        return reviewed

    def _on_change(self) -> None:
        """Ingest changed the corpus; the BM25 index notices by itself (version check)."""

    @cached_property
    def retriever(self) -> Retriever:
        from assistant.search.retrieval import BM25Index, Retriever

        return Retriever(
            self.db, self.store, self.embedder, BM25Index(self.settings.bm25_path, self.db)
        )

    @cached_property
    def chat_model(self) -> ChatModel | None:
        from assistant.wiring import make_chat_model

        return self._chat_override or make_chat_model(self.settings)

    def warm_up(self, freeze_gc: bool = True) -> None:
        """Load the model, store, indexes, parser and answer code now, so no user waits.

        With `freeze_gc`, everything loaded so far (~500k objects: torch, Chroma, spaCy) moves
        to Python's permanent GC generation: a full collection then no longer pauses a question
        by ~250 ms. For long-running processes (web chat, terminal chat, benchmarks).
        """
        import gc

        import assistant.answers.extractive
        import assistant.verify.evidence
        import assistant.verify.verifier  # noqa: F401
        from assistant.verify.figures import figures_in

        self.embedder.embed(["warm up"])
        _ = self.store, self.registry
        self.retriever.retrieve("warm up", 1)
        figures_in("2 warm up")  # loads the dependency parser number questions use (spaCy)
        if freeze_gc:
            gc.collect()
            gc.freeze()

    def _wanted_identity(self) -> str:
        from assistant.wiring import embedder_identity

        if self._embedder_override is not None:
            override = self._embedder_override
            return str(getattr(override, "identity", override.name))
        return embedder_identity(self.settings)

    def stored_embedder(self) -> str | None:
        """The identity (model, runtime, quantization) of the vectors in this store."""
        from assistant.wiring import legacy_identity

        stored = self.db.get_meta("embedder")
        if stored is None and (legacy := self.db.get_meta("embedding_model")) is not None:
            stored = legacy_identity(legacy)
        return stored

    def _check_embedder(self) -> None:
        stored = self.stored_embedder()
        wanted = self._wanted_identity()
        if stored is None or (stored == wanted and self.db.get_meta("embedder") is None):
            with self.db.transaction() as conn:
                self.db.set_meta(conn, "embedder", wanted)
        elif stored != wanted:
            raise ConfigError(
                f"the store in {self.settings.data_dir} was built with embedder {stored!r}, but "
                f"{wanted!r} is configured (BRIEFING_EMBEDDING_MODEL, BRIEFING_EMBEDDING_RUNTIME, "
                "BRIEFING_EMBEDDING_QUANTIZATION); run `briefing reembed` to re-embed the store "
                "with the configured embedder, or configure the one it was built with"
            )

    def reembed(self, progress: Progress | None = None, batch_passages: int = 512) -> ReembedReport:
        """Re-embed every stored passage with the configured embedder, then record it as the
        store's embedder. Interrupted, the store is marked incomplete; run it again."""
        from assistant.ingestion import _metadata

        wanted = self._wanted_identity()
        before = self.stored_embedder()
        t0 = time.perf_counter()
        ids = self.db.all_passage_ids()
        embedder, store = self.embedder, self.store
        if ids and (old := store.vectors(ids[:1])):
            old_dim = len(next(iter(old.values())))
            if old_dim != embedder.dimension:
                raise ConfigError(
                    f"the store in {self.settings.data_dir} holds {old_dim}-dimensional vectors "
                    f"({before}); {wanted} makes {embedder.dimension}: ingest the articles into "
                    "another BRIEFING_DATA_DIR instead"
                )
        with self.db.transaction() as conn:
            self.db.set_meta(conn, "embedder", f"{wanted} [re-embedding incomplete]")
        articles = self.db.articles()
        for done, article in enumerate(articles, start=1):
            passages = self.db.passages_of(article.doc_id)
            labels = self.db.passage_labels([p.id for p in passages])
            for lo in range(0, len(passages), batch_passages):
                part = passages[lo : lo + batch_passages]
                vectors = embedder.embed([p.text for p in part])
                metadatas = [_metadata(article, p, labels.get(p.id, [])) for p in part]  # type: ignore[arg-type]
                store.add([p.id for p in part], vectors, metadatas)
            if progress:
                progress(done, len(articles), article.title)
        with self.db.transaction() as conn:
            self.db.set_meta(conn, "embedder", wanted)
        return ReembedReport(before, wanted, len(articles), len(ids), _ms(t0) / 1000)

    # -- library ---------------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[str | Path],
        outlet: str | None = None,
        progress: Progress | None = None,
        sources: Mapping[str, str] | None = None,
    ) -> IngestReport:
        """Read files, folders, feed files or article URLs (http/https) into the store; bad
        files and pages are reported, not raised. Syndicated copies are linked.

        `sources` maps a file path to the source name to record (an upload's own name)."""
        from ingest.fetch import is_url

        self._review_failure = None  # each run gives the LLM review one chance
        items = list(paths)
        urls = [str(p) for p in items if is_url(p)]
        files = [p for p in items if not is_url(p)]
        report = self.ingestor.ingest_paths(
            files, outlet=outlet, progress=progress, sources=sources
        )
        if urls:
            from assistant.feeds import combine

            report = combine(report, self.feed_reader.ingest_pages(urls, outlet))
        if report.added or report.updated:
            self._link_copies(report.doc_ids)
        return report

    # -- feeds -----------------------------------------------------------------------------
    @cached_property
    def feed_reader(self) -> FeedReader:
        from assistant.feeds import FeedReader
        from ingest.fetch import Fetcher

        def fetcher() -> Fetcher:
            return Fetcher(
                timeout_s=self.settings.fetch_timeout_s,
                max_bytes=int(self.settings.max_file_mb * 1_000_000),
                host_delay_s=self.settings.fetch_host_delay_s,
            )

        from ingest.fetch import resolve_host

        return FeedReader(
            self.db,
            lambda articles: self.ingestor.ingest_articles(articles),
            fetcher,
            on_stored=self._link_copies,
            allow_private=self.settings.fetch_allow_private,
            resolve=resolve_host,
        )

    def _link_copies(self, doc_ids: list[str]) -> int:
        from assistant.syndication import link_copies

        return len(link_copies(self.db, doc_ids))

    def add_feed(self, url: str, outlet: str | None = None) -> Feed:
        """Subscribe to an RSS/Atom feed; `fetch` polls it. Adding it again resumes it."""
        return self.feed_reader.add(url, outlet)

    def feeds(self) -> list[Feed]:
        return self.feed_reader.feeds()

    def remove_feed(self, url: str) -> None:
        """Unsubscribe; the articles the feed brought stay stored."""
        self.feed_reader.remove(url)

    def fetch(self, progress: FeedProgress | None = None) -> FetchReport:
        """Poll every feed once and store what is new; failures are named, the rest go on."""
        return self.feed_reader.fetch_all(progress)

    def copies_of(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """Syndicated copy doc_id -> the stored original it copies."""
        from assistant.syndication import copies_of

        return copies_of(self.db, doc_ids)

    def ingest_demo(self, progress: Progress | None = None) -> IngestReport:
        return self.ingest([demo_corpus_path()], progress=progress)

    def is_empty(self) -> bool:
        return self.db.count_articles() == 0

    def sources(self) -> list[Source]:
        return [_source(a) for a in self.db.articles()]

    def article(self, doc_id: str) -> Source:
        found = self.db.article(doc_id)
        if found is None:
            raise NotFound(f"no article with doc_id {doc_id!r}; see `briefing sources`")
        return _source(found)

    def remove(self, doc_id: str) -> None:
        if not self.ingestor.remove(doc_id):
            raise NotFound(f"no article with doc_id {doc_id!r}; see `briefing sources`")

    def claims(self, path_or_doc_id: str) -> ArticleLedger:
        """The ledger of a stored article (by doc_id or file path) or of a file not stored."""
        from assistant.claims.attribution import attribute_article
        from assistant.claims.store import read_ledger
        from ingest.sentences import parse_articles

        stored = self.db.article(path_or_doc_id)
        path = Path(path_or_doc_id)
        if stored is None and path.exists():
            from ingest.loaders import load_file

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
            raise NotFound(
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
        from assistant.claims.store import party_summaries

        return party_summaries(self.db)

    # -- questions -------------------------------------------------------------------------
    def resolve_party(self, name: str | None) -> str | None:
        if not name:
            return None
        return self.registry.resolve(name) or name

    def ask(
        self,
        question: str,
        *,
        since: date | None = None,
        until: date | None = None,
        outlet: str | None = None,
        party: str | None = None,
        engine: str = "extractive",
        today: date | None = None,
        k: int = 6,
        on_text: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer from the stored sources: every sentence cited, every claim attributed.

        `on_text` receives the answer text as it becomes final: with the llm engine each
        sentence once the model has completed it and the verifier has passed or repaired it;
        otherwise the whole answer at once. The pieces joined equal `Answer.answer`.
        """
        from assistant.answers.routing import route_question
        from assistant.search.retrieval import Filters

        if engine not in ("extractive", "llm"):
            raise BadInput(f"unknown engine {engine!r}; use 'extractive' or 'llm'")
        question = question.strip()
        if not question:
            raise BadInput("the question is empty")
        from assistant.answers.question import without_instructions

        asked_as, orders = without_instructions(question)
        question = asked_as  # orders inside a question are never followed, only noted
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        from assistant.answers.dates import reference_day

        latest = self.latest_day()
        today = today or reference_day(date.today(), latest)
        route = route_question(question, today, since, until, latest)
        if route.kind == "briefing" and route.since:
            from assistant.answers.routing import (
                name_cases,
                named_outlets,
                question_names,
                restore_names,
                story_in_scope,
            )

            stored = {a.doc_id: a for a in self.db.articles(with_text=True)}
            texts = {d: f"{a.title} {a.text}" for d, a in stored.items()}
            day_docs = self.db.published_between(route.since, route.until or route.since)
            known = sorted({o for d in day_docs if d in stored and (o := stored[d].outlet)})
            # 'anything new from veska?': the question's names as the day's stories write them
            cases = name_cases([texts.get(d, "") for d in day_docs])
            question = restore_names(question, cases)
            asked_names = question_names(question, cases)
            # an outlet named in full: its own articles, its copies cited to it
            asked_outlets = named_outlets(question, known)
            briefing = self.summary(route.since, route.until, outlets=asked_outlets)
            kept = [
                story
                for story in briefing.stories
                if story_in_scope(
                    question,
                    story.outlets,
                    [texts.get(d, "") for d in story.doc_ids],
                    known,
                    [stored[d].title for d in story.doc_ids if d in stored],
                    asked_names,
                )
            ]
            if kept:  # 'what happened in X', 'what did outlet Y report': that part of the day
                briefing = replace(briefing, stories=kept)
            answer = briefing_answer(question, briefing)
        else:
            unfiltered = Filters(outlet=outlet, party=self.resolve_party(party))
            filters = replace(unfiltered, since=route.since, until=route.until)
            answer = self._answer(
                question, engine, filters, unfiltered, route.period_named, k, timings, t0, on_text
            )
        if orders:
            note = (
                "The question's instructions to the assistant were not followed; the answer "
                "comes from the sources only."
            )
            answer.notice = f"{note} {answer.notice}" if answer.notice else note
        answer.timings_ms["total"] = _ms(t0)
        if on_text and not (engine == "llm" and answer.engine == "llm"):
            on_text(answer.answer)
        return answer

    def _answer(
        self,
        question: str,
        engine: str,
        filters: Filters,
        unfiltered: Filters,
        period_named: bool,
        k: int,
        timings: dict[str, float],
        t0: float,
        on_text: Callable[[str], None] | None,
    ) -> Answer:
        from assistant.answers.routing import answer_question

        def ask(llm: Callable[[list[EvidenceSentence]], Answer] | None) -> Answer:
            return answer_question(
                question,
                db=self.db,
                retriever=self.retriever,
                embed=lambda text: self.embedder.embed([text])[0],
                aliases_of=self.registry.aliases_of,
                resolve=self.registry.resolve,
                filters=filters,
                unfiltered=unfiltered,
                period_named=period_named,
                k=max(k, 12),
                llm=llm,
                timings=timings,
            )

        if engine == "llm":
            from assistant.answers.llm_engine import answer_llm
            from assistant.llm.chat import ChatError

            try:
                chat_model = self.chat_model
                if chat_model is None:
                    raise ConfigError(
                        "no LLM configured; set BRIEFING_LLM_BASE_URL (and BRIEFING_LLM_MODEL)"
                    )
                return ask(
                    lambda ev: answer_llm(
                        question, ev, chat_model, self.registry.aliases_of, on_text, timings
                    )
                )
            except (ChatError, ConfigError) as exc:
                notice = f"The LLM engine failed ({exc}); this is the extractive answer."
                log.warning("%s", notice)
                answer = ask(None)
                answer.notice = notice
                return answer
        return ask(None)

    # -- briefings -------------------------------------------------------------------------
    def latest_day(self) -> date | None:
        return self.db.latest_published()

    def summary(
        self,
        since: date,
        until: date | None = None,
        *,
        since_last: bool = False,
        outlets: Sequence[str] = (),
    ) -> Briefing:
        """The briefing for a day or a period: stories, agreed vs contested, revisions.

        With `since_last` (what `briefing summary` and `watch` write), the briefing also says
        what is new since the last such briefing (new stories, figures a party revised,
        claims newly contested), and is recorded in the store as the last briefing."""
        from datetime import UTC, datetime

        from assistant.briefings.build import build_briefing
        from assistant.briefings.since import (
            RECORD_KEY,
            dump_record,
            load_record,
            record_of,
        )
        from assistant.briefings.since import since_last as changes_since

        briefing = build_briefing(
            self.db,
            self.store,
            lambda: self.embedder,
            self.registry.aliases_of,
            since,
            until,
            outlets,
        )
        if since_last:
            briefing.since_last = changes_since(briefing, load_record(self.db.get_meta(RECORD_KEY)))
            at = datetime.now(UTC).replace(microsecond=0)
            with self.db.transaction() as conn:
                self.db.set_meta(conn, RECORD_KEY, dump_record(record_of(briefing, at)))
        return briefing


class _FailOnce:
    """A chat model that, once it has failed, fails at once instead of asking a dead server."""

    def __init__(self, chat: ChatModel) -> None:
        self.chat = chat
        self.name = chat.name
        self.failure: Exception | None = None

    def complete(self, messages: Sequence[Message]) -> str:
        if self.failure is not None:
            raise self.failure
        try:
            return self.chat.complete(messages)
        except Exception as exc:
            self.failure = exc
            raise

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        return iter([self.complete(messages)])


def briefing_answer(question: str, briefing: Briefing) -> Answer:
    """A period's briefing in the ask contract: statements and citations."""
    from assistant.answers.routing import REFUSAL
    from assistant.types import Statement

    if not briefing.stories:
        return Answer(
            question, f"No articles were published in {briefing.date}. {REFUSAL}", "briefing", True
        )
    statements: list[Statement] = []
    lines = [f"Briefing for {briefing.date}:"]
    for i, story in enumerate(briefing.stories, start=1):
        lines.append(f"{i}. {story.title} ({', '.join(story.outlets)})")
        for st in story.summary:
            statements.append(st)
            lines.append(f"   {st.text} {''.join(f'[{n}]' for n in st.citations)}")
        for contest in story.contested:
            for pos in contest.positions:
                statements.append(Statement(pos.statement, pos.citations, pos.party, None))
                lines.append(
                    f"   {pos.party}: {pos.statement} {''.join(f'[{n}]' for n in pos.citations)}"
                )
        for rev in story.revisions:
            statements.append(Statement(rev.statement, rev.citations, rev.party, None))
            lines.append(f"   {rev.statement}")
    used = {n for st in statements for n in st.citations}
    citations = [c for c in briefing.citations if c.n in used]
    return Answer(
        question, "\n".join(lines), "briefing", False, statements, citations, briefing.repairs
    )


def _source(stored: StoredArticle) -> Source:
    return Source(
        doc_id=stored.doc_id,
        title=stored.title,
        outlet=stored.outlet,
        published=stored.published,
        url=stored.url,
        author=stored.author,
        source_path=stored.source_path,
        chunks=stored.chunks,
        status=stored.status,
        text=stored.text,
    )


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)
