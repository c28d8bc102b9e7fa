"""Live news: subscribed feeds and pages by URL -> articles, through the one ingest path.

A poll of a feed: a conditional GET (a 304 stores nothing and parses nothing); a permanent
redirect moves the subscription; 410 pauses it; 429 / 503 defer it until Retry-After. Each entry
not seen before (or changed since) becomes an article: the feed's full text when it carries
one, else the linked page (robots.txt permitting) extracted with trafilatura, under its
canonical URL, dated by the feed or else by the page (htmldate). Articles are stored in small
batches, and an entry is remembered only once its article is complete, and the feed's
validators only once every entry is: a run killed at any point and rerun stores each article
exactly once. Syndicated copies are linked to their originals (`assistant.syndication`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urljoin, urlsplit

from assistant.ingestion import FileFailure, IngestReport
from assistant.serialise import iso
from ingest.database import ArticleDB
from ingest.errors import BadInput, IngestError, NotFound
from ingest.feeds_db import (
    FeedPoll,
    FeedRow,
    add_feed,
    ensure_feed_tables,
    feed_by_url,
    list_feeds,
    move_feed,
    record_entries,
    record_poll,
    remove_feed,
    seen_entries,
)
from ingest.fetch import Fetcher, FetchResult, check_public_url, check_url
from ingest.loaders import MIN_HTML_WORDS, html_fragment_text, make_article
from ingest.types import Article

log = logging.getLogger(__name__)

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
MIN_FULL_TEXT_WORDS = 80  # feed content shorter than this is a summary: the page is fetched
BATCH_ENTRIES = 16  # entries stored per batch (an interrupted poll keeps what was stored)
DEFAULT_RETRY_S = 3600.0  # a 429 / 503 without Retry-After waits this long


class PageUnavailable(IngestError):
    """An entry's page could not be fetched this time (network, HTTP status): retried later."""


@dataclass(frozen=True, slots=True)
class Feed:
    """A subscribed feed and how its last poll went."""

    url: str
    outlet: str | None
    status: str  # 'active' | 'paused'
    added_at: datetime
    last_fetched: datetime | None
    last_status: str | None
    last_http_status: int | None
    last_error: str | None
    last_new: int
    last_updated: int
    retry_at: datetime | None


@dataclass(frozen=True, slots=True)
class FeedResult:
    """One feed in one `fetch`: status is ok, not_modified, partial, paused, deferred, failed."""

    url: str
    status: str
    http_status: int | None
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str | None = None
    moved_from: str | None = None


@dataclass(frozen=True, slots=True)
class FetchFailure:
    url: str
    error: str


@dataclass(slots=True)
class FetchReport:
    """What one `fetch` did; `failed` names every feed or entry that could not be read."""

    feeds: list[FeedResult] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[FetchFailure] = field(default_factory=list)
    copies: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item as the feed tells it; `digest` changes when the feed's item changes."""

    key: str
    digest: str
    title: str | None
    link: str | None
    summary_html: str
    content_html: str
    published: date | None
    author: str | None


Ingest = Callable[[list[Article]], IngestReport]
FeedProgress = Callable[[int, int, str], None]


# -- pure parts ----------------------------------------------------------------------------
def parse_feed(url: str, raw: bytes) -> tuple[str | None, list[FeedEntry]]:
    """RSS / Atom bytes -> (feed title, entries); garbage is an IngestError naming the URL."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(raw))
    if not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        detail = f" ({reason})" if reason else ""
        raise IngestError(url, f"not a readable RSS/Atom feed{detail}")
    entries: list[FeedEntry] = []
    for item in parsed.entries:
        content = ""
        if item.get("content"):
            content = "\n".join(str(c.get("value", "")) for c in item["content"])
        summary = str(item.get("summary", "") or "")
        if content and content.strip() == summary.strip():
            summary = ""  # feedparser copies a lone description into both
        link = item.get("link")
        if link:
            link = urljoin(url, str(link))
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        published = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
        title = item.get("title")
        digest = _sha(
            json.dumps([title, link, summary, content, item.get("updated"), str(published)])
        )
        key = str(item.get("id") or link or digest)
        entries.append(
            FeedEntry(
                key=key,
                digest=digest,
                title=str(title) if title else None,
                link=str(link) if link else None,
                summary_html=summary,
                content_html=content,
                published=published,
                author=str(item["author"]) if item.get("author") else None,
            )
        )
    feed_title = parsed.feed.get("title") if hasattr(parsed, "feed") else None
    return (str(feed_title).strip() or None) if feed_title else None, entries


def page_head(raw: bytes, page_url: str) -> tuple[str | None, str | None]:
    """(canonical URL, site name) that the page itself declares, when it declares them.

    A canonical URL on another site (a syndication partner's) is not taken: the copy keeps its
    own URL and identity, and the syndication link records the relation instead.
    """
    import lxml.html

    try:
        root = lxml.html.document_fromstring(raw)
    except Exception:  # lxml raises several kinds on broken markup; no head data then
        return None, None
    canonical = None
    for link in root.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        if "canonical" in rels and link.get("href"):
            target = urljoin(page_url, link.get("href", "").strip())
            if urlsplit(target).scheme in ("http", "https") and _same_site(target, page_url):
                canonical = target
            break
    site = None
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in ("og:site_name", "application-name") and (meta.get("content") or "").strip():
            site = " ".join((meta.get("content") or "").split())
            break
    return canonical, site


def _same_site(a: str, b: str) -> bool:
    def host(url: str) -> str:
        name = (urlsplit(url).hostname or "").lower()
        return name[4:] if name.startswith("www.") else name

    return host(a) == host(b)


def page_date(raw: bytes, page_url: str) -> str | None:
    """The page's original publication date (htmldate), as an ISO date, or None."""
    from htmldate import find_date

    try:
        found = find_date(
            raw.decode("utf-8", errors="replace"),
            url=page_url,
            original_date=True,
            outputformat="%Y-%m-%d",
        )
    except Exception:  # htmldate parses arbitrary markup; a failure just means no date
        return None
    return str(found) if found else None


def article_from_page(
    page: FetchResult,
    *,
    outlet: str | None = None,
    title: str | None = None,
    published: date | str | None = None,
    author: str | None = None,
    source: str | None = None,
) -> Article:
    """An article page -> Article: main text by trafilatura, canonical URL, date, outlet."""
    import trafilatura

    where = page.final_url
    try:
        document = trafilatura.bare_extraction(
            page.body,
            url=page.final_url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise IngestError(where, f"cannot parse the page's HTML: {exc}") from exc
    text = str(getattr(document, "text", None) or "")
    if len(text.split()) < MIN_HTML_WORDS:
        raise IngestError(
            where, f"no article text found in the page (only {len(text.split())} words)"
        )
    canonical, site = page_head(page.body, page.final_url)
    return make_article(
        text=text,
        title=getattr(document, "title", None) or title,
        outlet=site or outlet,
        published=published or page_date(page.body, page.final_url),
        url=canonical or page.final_url,
        author=author or getattr(document, "author", None),
        source_path=source or page.final_url,
        where=where,
    )


def combine(first: IngestReport, second: IngestReport) -> IngestReport:
    """One report for an ingest of files and URLs together (counts add, lists join)."""
    merged = IngestReport()
    for spec in dataclasses.fields(IngestReport):
        a, b = getattr(first, spec.name), getattr(second, spec.name)
        setattr(merged, spec.name, [*a, *b] if isinstance(a, list) else a + b)
    return merged


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _feed(row: FeedRow) -> Feed:
    return Feed(
        url=row.url,
        outlet=row.outlet,
        status=row.status,
        added_at=row.added_at,
        last_fetched=row.last_fetched,
        last_status=row.last_status,
        last_http_status=row.last_http_status,
        last_error=row.last_error,
        last_new=row.last_new,
        last_updated=row.last_updated,
        retry_at=row.retry_at,
    )


# -- the reader ----------------------------------------------------------------------------
class FeedReader:
    """Subscriptions and polls over one article database; `ingest` stores the articles."""

    def __init__(
        self,
        db: ArticleDB,
        ingest: Ingest,
        fetcher: Callable[[], Fetcher],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_stored: Callable[[list[str]], int] | None = None,
        allow_private: bool = False,
        resolve: Callable[[str], list[str]] | None = None,
    ) -> None:
        """`allow_private`: subscribe to loopback / private / internal hosts too; `resolve`
        (host -> addresses) also checks where a public-looking name points."""
        self.db = db
        self._allow_private = allow_private
        self._resolve = resolve
        ensure_feed_tables(db)
        self._ingest = ingest
        self._fetcher = fetcher
        self._clock = clock
        self._on_stored = on_stored  # e.g. link syndicated copies; returns links made

    def _now(self) -> datetime:
        """The clock's time to the second, in UTC when the clock names no zone."""
        now = self._clock().replace(microsecond=0)
        return now if now.tzinfo else now.replace(tzinfo=UTC)

    # -- subscriptions ---------------------------------------------------------------------
    def add(self, url: str, outlet: str | None = None) -> Feed:
        clean_outlet = " ".join((outlet or "").split()) or None
        checked = check_public_url(url, self._allow_private, self._resolve)
        return _feed(add_feed(self.db, checked, clean_outlet, self._now()))

    def feeds(self) -> list[Feed]:
        return [_feed(row) for row in list_feeds(self.db)]

    def remove(self, url: str) -> None:
        if not remove_feed(self.db, url.strip()):
            raise NotFound(f"no feed with URL {url!r}; see `briefing feeds list`")

    # -- polling ---------------------------------------------------------------------------
    def fetch_all(self, progress: FeedProgress | None = None) -> FetchReport:
        """Poll every feed once; a feed that fails is named and the others go on."""
        report = FetchReport()
        rows = list_feeds(self.db)
        with self._fetcher() as fetcher:
            for i, row in enumerate(rows):
                if progress:
                    progress(i, len(rows), row.url)
                result, failures = self._poll(fetcher, row, report)
                report.feeds.append(result)
                report.failed.extend(failures)
            if progress:
                progress(len(rows), len(rows), "")
        return report

    def _poll(
        self, fetcher: Fetcher, row: FeedRow, report: FetchReport
    ) -> tuple[FeedResult, list[FetchFailure]]:
        now = stamp = self._now()
        if row.status == "paused":
            return FeedResult(row.url, "paused", row.last_http_status), []
        if row.retry_at and row.retry_at > stamp:
            return FeedResult(row.url, "deferred", row.last_http_status), []
        try:
            got = fetcher.get(
                row.url, etag=row.etag, last_modified=row.last_modified, accept=FEED_ACCEPT
            )
        except IngestError as exc:
            return self._failed(row, row.url, None, exc.reason, stamp)
        url, moved_from = row.url, None
        if got.moved_to and got.moved_to != row.url:
            move_feed(self.db, row.id, got.moved_to)
            url, moved_from = got.moved_to, row.url
            log.info("feed %s moved permanently to %s", row.url, url)
        if got.not_modified:
            record_poll(self.db, row.id, FeedPoll(stamp, "not_modified", 304, None))
            return FeedResult(url, "not_modified", 304, moved_from=moved_from), []
        if got.status == 410:
            error = f"HTTP 410 Gone: the feed was removed; paused (`briefing feeds add {url}`)"
            record_poll(self.db, row.id, FeedPoll(stamp, "paused", 410, error), pause=True)
            result = FeedResult(url, "paused", 410, error=error, moved_from=moved_from)
            return result, [FetchFailure(url, error)]
        if got.status in (429, 503):
            wait = got.retry_after_s if got.retry_after_s is not None else DEFAULT_RETRY_S
            retry_at = now + timedelta(seconds=wait)
            error = f"HTTP {got.status}: the server asked to wait; next poll after {iso(retry_at)}"
            record_poll(
                self.db, row.id, FeedPoll(stamp, "deferred", got.status, error), retry_at=retry_at
            )
            result = FeedResult(url, "deferred", got.status, error=error, moved_from=moved_from)
            return result, [FetchFailure(url, error)]
        if not got.ok:
            return self._failed(row, url, got.status, f"HTTP {got.status}", stamp)
        try:
            feed_title, entries = parse_feed(url, got.body)
        except IngestError as exc:
            return self._failed(row, url, got.status, exc.reason, stamp)
        outlet = row.outlet or feed_title
        seen = seen_entries(self.db, row.id)
        todo = [e for e in entries if seen.get(e.key) != e.digest]
        new = updated = 0
        unchanged = len(entries) - len(todo)
        failures: list[FetchFailure] = []
        retry = False
        for lo in range(0, len(todo), BATCH_ENTRIES):
            articles: list[Article] = []
            keys: list[tuple[str, str, str]] = []
            for entry in todo[lo : lo + BATCH_ENTRIES]:
                try:
                    article = self._entry_article(fetcher, entry, outlet, url)
                except PageUnavailable as exc:  # tried again at the next poll
                    failures.append(FetchFailure(exc.path, exc.reason))
                    retry = True
                    continue
                except IngestError as exc:  # the entry itself is unusable: not until it changes
                    failures.append(FetchFailure(exc.path, exc.reason))
                    keys.append((entry.key, entry.digest, ""))
                    continue
                articles.append(article)
                keys.append((entry.key, entry.digest, article.doc_id))
            stored = self._ingest(articles) if articles else IngestReport()
            failures.extend(FetchFailure(f.path, f.error) for f in stored.failed)
            new, updated = new + stored.added, updated + stored.updated
            unchanged += stored.unchanged
            record_entries(self.db, row.id, keys, stamp)
            if self._on_stored and (stored.added or stored.updated):
                report.copies += self._on_stored([a.doc_id for a in articles])
        report.added += new
        report.updated += updated
        report.unchanged += unchanged
        status = "partial" if failures else "ok"
        summary = f"{len(failures)} entr(ies) failed" if failures else None
        # Validators only when no entry waits for a retry: the next poll must see those again.
        validators = None if retry else (got.etag, got.last_modified)
        poll = FeedPoll(stamp, status, got.status, summary, new, updated)
        record_poll(self.db, row.id, poll, validators=validators)
        result = FeedResult(url, status, got.status, new, updated, unchanged, summary, moved_from)
        return result, failures

    def _failed(
        self, row: FeedRow, url: str, http_status: int | None, error: str, stamp: datetime
    ) -> tuple[FeedResult, list[FetchFailure]]:
        record_poll(self.db, row.id, FeedPoll(stamp, "failed", http_status, error))
        return FeedResult(url, "failed", http_status, error=error), [FetchFailure(url, error)]

    def _entry_article(
        self, fetcher: Fetcher, entry: FeedEntry, outlet: str | None, feed_url: str
    ) -> Article:
        where = entry.link or f"{feed_url}#{entry.key}"
        content = html_fragment_text(entry.content_html) if entry.content_html else ""
        if entry.link and len(content.split()) < MIN_FULL_TEXT_WORDS:
            if fetcher.allowed(entry.link):
                try:
                    got = fetcher.get(entry.link, accept=PAGE_ACCEPT)
                except IngestError as exc:
                    raise PageUnavailable(exc.path, exc.reason) from exc
                if not got.ok:
                    raise PageUnavailable(entry.link, f"HTTP {got.status} for the article page")
                return article_from_page(
                    got,
                    outlet=outlet,
                    title=entry.title,
                    published=entry.published,
                    author=entry.author,
                    source=feed_url,
                )
            log.info("robots.txt disallows %s; storing the feed's own text", entry.link)
        text = content or html_fragment_text(entry.summary_html)
        return make_article(
            text=text,
            title=entry.title,
            outlet=outlet,
            published=entry.published,
            url=entry.link,
            author=entry.author,
            source_path=feed_url,
            where=where,
        )

    # -- single pages ----------------------------------------------------------------------
    def ingest_pages(self, urls: Sequence[str], outlet: str | None = None) -> IngestReport:
        """`briefing ingest URL`: each page fetched (robots.txt permitting) and stored."""
        articles: list[Article] = []
        failed: list[FileFailure] = []
        with self._fetcher() as fetcher:
            for raw_url in urls:
                try:
                    url = check_url(raw_url)
                    if not fetcher.allowed(url):
                        raise IngestError(url, "robots.txt of the site disallows fetching it")
                    got = fetcher.get(url, accept=PAGE_ACCEPT)
                    if not got.ok:
                        raise IngestError(url, f"HTTP {got.status}")
                    articles.append(article_from_page(got, outlet=outlet))
                except IngestError as exc:
                    failed.append(FileFailure(exc.path, exc.reason))
                except BadInput as exc:  # not an http(s) URL: named like a bad file
                    failed.append(FileFailure(raw_url, str(exc)))
        report = self._ingest(articles) if articles else IngestReport()
        report.failed[:0] = failed
        return report


def feed_status(db: ArticleDB, url: str) -> Feed:
    """One feed's state by URL (NotFound names the command that lists feeds)."""
    ensure_feed_tables(db)
    row = feed_by_url(db, url.strip())
    if row is None:
        raise NotFound(f"no feed with URL {url!r}; see `briefing feeds list`")
    return _feed(row)
