"""The library API that the CLI, the web chat and users' code all call."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.ingestion import Ingestor, IngestReport, Progress
from assistant.settings import Settings
from assistant.types import Answer, Source

if TYPE_CHECKING:
    from assistant.briefings.stories import Briefing
from ingest.database import ArticleDB, StoredArticle
from ingest.embedding import Embedder
from ingest.errors import BadInput, ConfigError, NotFound
from ingest.loaders import load_file
from ingest.store import VectorStore

if TYPE_CHECKING:
    from spacy.language import Language

    from assistant.claims.attribution import SentenceAttribution
    from assistant.claims.parties import PartyRegistry
    from assistant.claims.store import PartySummary
    from assistant.feeds import Feed, FeedProgress, FeedReader, FetchReport
    from assistant.llm.chat import ChatModel, Message
    from assistant.search.retrieval import RetrievedPassage, Retriever
    from assistant.verify.evidence import EvidenceSentence

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
        """Load the model, store, indexes and answer code now, so no user waits for them.

        With `freeze_gc`, everything loaded so far (~500k objects: torch, Chroma, spaCy) moves
        to Python's permanent GC generation: a full collection then no longer pauses a question
        by ~250 ms. For long-running processes (web chat, terminal chat, benchmarks).
        """
        import gc

        import assistant.answers.extractive
        import assistant.verify.evidence
        import assistant.verify.verifier  # noqa: F401

        self.embedder.embed(["warm up"])
        _ = self.store, self.registry
        self.retriever.retrieve("warm up", 1)
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

        return FeedReader(
            self.db,
            lambda articles: self.ingestor.ingest_articles(articles),
            fetcher,
            on_stored=self._link_copies,
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
        """Answer from the stored sources: every sentence cited, every claim attributed."""
        from assistant.answers.dates import find_period
        from assistant.answers.extractive import REFUSAL, answer_extractive
        from assistant.search.retrieval import Filters
        from assistant.verify.evidence import expand_to_sentences

        if engine not in ("extractive", "llm"):
            raise BadInput(f"unknown engine {engine!r}; use 'extractive' or 'llm'")
        question = question.strip()
        if not question:
            raise BadInput("the question is empty")
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        today = today or date.today()
        period = None if (since or until) else find_period(question, today)
        base = Filters(outlet=outlet, party=self.resolve_party(party))
        filters = Filters(
            since or (period.since if period else None),
            until or (period.until if period else None),
            base.outlet,
            base.party,
        )
        if _PERIOD_REQUEST.search(question) and (
            period or since or until or "briefing" in question.lower()
        ):
            start = since or (period.since if period else None) or self.latest_day() or today
            end = until or (period.until if period else None) or start
            answer = briefing_answer(question, self.summary(start, end))
            answer.timings_ms["total"] = _ms(t0)
            if on_text:
                on_text(answer.answer)
            return answer
        from assistant.answers.coverage import is_coverage_question, topic_of

        coverage = is_coverage_question(question)
        query = topic_of(question) if coverage else question
        if coverage:
            k = max(k, 12)
        vector = self.embedder.embed([query])[0]
        timings["embed"] = _ms(t0)
        hits = self.retriever.retrieve(query, k, filters, vector=vector)
        if period and not _relevant(query, hits):
            # A date in the question can name the event, not the report: retry without it.
            hits = self.retriever.retrieve(query, k, base, vector=vector)
        timings["retrieve"] = _ms(t0) - timings["embed"]
        if not _relevant(query, hits):
            timings["total"] = _ms(t0)
            answer = Answer(question, REFUSAL, engine, True, timings_ms=timings)
            if on_text:
                on_text(answer.answer)
            return answer
        evidence = expand_to_sentences(self.db, hits, leads=True)
        if filters.party:  # asked for one party: its own sentences answer, when it has any
            evidence = [e for e in evidence if e.party == filters.party] or evidence
        if coverage:
            from assistant.answers.coverage import coverage_statements
            from assistant.answers.extractive import assemble

            answer = assemble(
                question, "extractive", coverage_statements(question, hits, evidence), [], timings
            )
            timings["total"] = _ms(t0)
            if on_text:
                on_text(answer.answer)
            return answer
        notice = None
        if engine == "llm":
            from assistant.llm.chat import ChatError

            try:
                answer = self._answer_llm(question, evidence, timings, t0, on_text)
                timings["total"] = _ms(t0)
                return answer
            except (ChatError, ConfigError) as exc:
                notice = f"The LLM engine failed ({exc}); this is the extractive answer."
                log.warning("%s", notice)
        answer = answer_extractive(question, evidence, self.registry.aliases_of, timings, notice)
        timings["total"] = _ms(t0)
        if on_text:
            on_text(answer.answer)
        return answer

    def _answer_llm(
        self,
        question: str,
        evidence: list[EvidenceSentence],
        timings: dict[str, float],
        t0: float,
        on_text: Callable[[str], None] | None,
    ) -> Answer:
        from assistant.answers.extractive import assemble, drafts_from_llm_text, number_evidence
        from assistant.llm.chat import Message
        from assistant.llm.prompts import render
        from assistant.verify.verifier import verify

        if self.chat_model is None:
            raise ConfigError(
                "no LLM configured; set BRIEFING_LLM_BASE_URL (and BRIEFING_LLM_MODEL)"
            )
        numbered = number_evidence(evidence)
        messages = [
            Message("system", render("answer_system")),
            Message(
                "user", render("answer_user", question=question, passages=fence_sources(numbered))
            ),
        ]
        parts: list[str] = []
        for piece in self.chat_model.stream(messages):
            if not parts:
                timings["first_token"] = _ms(t0)
            parts.append(piece)
        text = "".join(parts)
        timings["llm"] = _ms(t0) - timings.get("retrieve", 0) - timings.get("embed", 0)
        verified, repairs = verify(drafts_from_llm_text(text, numbered), self.registry.aliases_of)
        answer = assemble(question, "llm", verified, repairs, timings)
        if on_text:
            on_text(answer.answer)
        return answer

    # -- briefings -------------------------------------------------------------------------
    def latest_day(self) -> date | None:
        latest = self.db.latest_published()
        return date.fromisoformat(latest) if latest else None

    def summary(self, since: date, until: date | None = None) -> Briefing:
        """The briefing for a day or a period: stories, agreed vs contested, revisions."""
        from assistant.briefings.stories import BriefingArticle, write_briefing
        from assistant.verify.evidence import article_sentences

        until = until or since
        if until < since:
            raise BadInput(f"--until {until} is before --since {since}")
        doc_ids = self.db.published_between(since.isoformat(), until.isoformat())
        stored_articles = [a for doc_id in doc_ids if (a := self.db.article(doc_id)) is not None]
        # An article's vector: the mean of its first two stored passage vectors (no re-embedding).
        firsts = {
            a.doc_id: [p.id for p in self.db.passages_of(a.doc_id)[:2]] for a in stored_articles
        }
        stored = self.store.vectors([pid for ids in firsts.values() for pid in ids])
        articles = []
        for a in stored_articles:
            sentences = article_sentences(self.db, a.doc_id)
            found = [stored[pid] for pid in firsts[a.doc_id] if pid in stored]
            if found:
                vector = [sum(col) / len(found) for col in zip(*found, strict=True)]
            else:
                lead = f"{a.title}. " + " ".join(s.text for s in sentences[:3])
                vector = self.embedder.embed([lead])[0]
            articles.append(
                BriefingArticle(a.doc_id, a.title, a.outlet, a.published, a.url, sentences, vector)
            )
        return write_briefing(
            articles, since.isoformat(), until.isoformat(), self.registry.aliases_of
        )


def fence_sources(numbered: list) -> str:  # type: ignore[type-arg]
    """Number the passages and fence everything from the article (outlet, title, speakers and
    text alike) as quoted data; only the number stays outside."""
    blocks = []
    for n, sentences in enumerate(numbered, start=1):
        first = sentences[0]
        speakers = sorted({_unfence(s.party) for s in sentences})
        outlet = _unfence(first.outlet or "unknown outlet")
        day = first.published or "undated"
        lines = [
            f"[{n}]",
            "    <<<",
            f'    source: {outlet}, {day}, "{_unfence(first.title)}"',
            f"    speakers: {', '.join(speakers)}",
        ]
        for s in sentences:
            lines.append(f"    ({_unfence(s.party)}) {_unfence(s.text)}")
        lines.append("    >>>")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _unfence(text: str) -> str:
    """Article text that cannot close (or open) a fence, on one line."""
    return " ".join(text.replace("<<<", "< < <").replace(">>>", "> > >").split())


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


def _relevant(question: str, hits: list[RetrievedPassage]) -> bool:
    """Retrieval found support: close enough in meaning, and every name the question uses
    appears in what was found (a question about 'Halberg' is not answered from 'Drevik')."""
    from assistant.lexical import names_in

    if not hits or max(h.dense for h in hits) < RELEVANCE_COSINE:
        return False
    found = " ".join(f"{h.title} {h.passage.text}" for h in hits).lower()
    return all(name.lower() in found for name in names_in(question))


# Calibrated on benchmarks/data/retrieval_questions.jsonl (benchmarks/results/retrieval.md):
# lowest answerable 0.335, the unanswerable ones 0.200-0.485.
RELEVANCE_COSINE = 0.325
_PERIOD_REQUEST = re.compile(
    r"\b(what happened|briefing|main stories|top stories|headlines|the news|news (?:of|from|on)|"
    r"summary|summari[sz]e|what'?s new)\b",
    re.I,
)


def briefing_answer(question: str, briefing: Briefing) -> Answer:
    """A period's briefing in the ask contract: statements and citations."""
    from assistant.answers.extractive import REFUSAL
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
