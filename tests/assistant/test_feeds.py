"""Feeds and pages by URL, polled over real HTTP on a loopback port (hash embedder, no ledger)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.feeds import parse_feed
from assistant.settings import Settings
from assistant.syndication import independent_of
from ingest.errors import IngestError, NotFound
from ingest.store import MemoryStore
from tests.conftest import CountingEmbedder
from tests.feed_server import FeedServer, Route, page, rss

VOCAB = [
    "harbour",
    "council",
    "minister",
    "river",
    "bridge",
    "election",
    "vote",
    "union",
    "strike",
    "port",
    "ferry",
    "court",
    "judge",
    "budget",
    "school",
    "hospital",
    "police",
    "market",
    "farmers",
    "fishing",
    "quota",
    "storm",
    "flood",
    "village",
    "mayor",
    "contract",
    "tender",
    "railway",
    "station",
    "airport",
    "licence",
    "inspector",
    "report",
    "survey",
    "workers",
    "wages",
    "talks",
    "agreement",
    "protest",
    "crowd",
    "square",
    "museum",
    "library",
    "festival",
    "weather",
    "winter",
    "coast",
    "road",
]


def body(seed: int, paragraphs: int = 3, words: int = 40) -> list[str]:
    """Distinct, deterministic article paragraphs (no accidental near-copies between seeds)."""
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(VOCAB) for _ in range(words)).capitalize() + "."
        for _ in range(paragraphs)
    ]


def item(n: int, base: str, **extra: str) -> dict[str, str]:
    paragraphs = body(n)
    return {
        "title": f"Story number {n}",
        "link": f"{base}/news/{n}",
        "guid": f"story-{n}",
        "pubDate": "Wed, 11 Mar 2026 08:00:00 GMT",
        "description": paragraphs[0][:80],
        "content": "".join(f"<p>{p}</p>" for p in paragraphs),
        **extra,
    }


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def bot(tmp_path: Path, hash_embedder: CountingEmbedder, memory_store: MemoryStore) -> Assistant:
    settings = Settings(
        data_dir=tmp_path / "data",
        embedding_model="hash",
        ledger=False,
        fetch_host_delay_s=0,
        fetch_timeout_s=0.5,
        fetch_allow_private=True,  # the test server is on loopback
    )
    return Assistant(settings, embedder=hash_embedder, store=memory_store)


def _text(bot: Assistant, doc_id: str) -> str:
    return bot.article(doc_id).text


def _articles(bot: Assistant) -> int:
    return int(bot.db.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


def test_first_fetch_stores_entries_then_304_stores_nothing(
    bot: Assistant, server: FeedServer, hash_embedder: CountingEmbedder
) -> None:
    base = server.url("")
    server.route(
        "/feed.xml", Route(rss("Test Wire", [item(i, base) for i in range(3)]), etag='"a"')
    )
    bot.add_feed(server.url("/feed.xml"), outlet="Test Wire")
    first = bot.fetch()
    assert (first.added, first.updated, first.unchanged, first.failed) == (3, 0, 0, [])
    assert first.feeds[0].status == "ok" and first.feeds[0].new == 3
    assert {s.outlet for s in bot.sources()} == {"Test Wire"}
    assert {s.published for s in bot.sources()} == {date(2026, 3, 11)}
    embedded = hash_embedder.texts
    second = bot.fetch()
    assert second.feeds[0].status == "not_modified" and second.feeds[0].http_status == 304
    assert (second.added, second.updated, second.unchanged) == (0, 0, 0)
    assert hash_embedder.texts == embedded and _articles(bot) == 3
    assert server.requests[-1].headers["if-none-match"] == '"a"'
    assert server.hits("/news/0") == 0  # full text in the feed: no page fetched


def test_changed_feed_adds_only_its_new_entry(
    bot: Assistant, server: FeedServer, hash_embedder: CountingEmbedder
) -> None:
    base = server.url("")
    route = server.route(
        "/feed.xml", Route(rss("W", [item(i, base) for i in range(3)]), etag='"1"')
    )
    bot.add_feed(server.url("/feed.xml"))
    bot.fetch()
    embedded = hash_embedder.texts
    route.body, route.etag = rss("W", [item(i, base) for i in range(4)]), '"2"'
    report = bot.fetch()
    assert (report.added, report.updated, report.unchanged) == (1, 0, 3)
    assert _articles(bot) == 4
    new_doc = next(s for s in bot.sources() if s.title == "Story number 3")
    assert hash_embedder.texts - embedded == new_doc.chunks


def test_changed_entry_replaces_its_article(bot: Assistant, server: FeedServer) -> None:
    base = server.url("")
    route = server.route("/feed.xml", Route(rss("W", [item(1, base)])))
    bot.add_feed(server.url("/feed.xml"))
    bot.fetch()
    changed = item(1, base, content="<p>" + " ".join(body(99)) + "</p>")
    route.body = rss("W", [changed])
    report = bot.fetch()
    assert (report.added, report.updated) == (0, 1)
    assert _articles(bot) == 1 and body(99)[0] in _text(bot, bot.sources()[0].doc_id)


def test_summary_only_entry_fetches_the_page(bot: Assistant, server: FeedServer) -> None:
    base = server.url("")
    paragraphs = body(7)
    server.route(
        "/news/7?utm_source=feed",
        Route(
            page(
                "Bridge opens",
                paragraphs,
                canonical="/news/7",
                site_name="Harbour Ledger",
                published="2026-03-09T07:00:00Z",
            )
        ),
    )
    server.route("/news/8", Route(page("Second story", body(8))))
    entries = [
        {
            "title": "Bridge opens",
            "link": f"{base}/news/7?utm_source=feed",
            "description": "Short.",
        },
        {
            "title": "Second",
            "link": f"{base}/news/8",
            "description": "Short.",
            "pubDate": "Tue, 10 Mar 2026 09:00:00 GMT",
        },
    ]
    server.route("/feed.xml", Route(rss("Feed Title", entries)))
    bot.add_feed(server.url("/feed.xml"), outlet="The Feed Outlet")
    report = bot.fetch()
    assert report.added == 2 and report.failed == []
    by_title = {s.title: s for s in bot.sources()}
    first = by_title["Bridge opens"]
    assert first.url == f"{base}/news/7"  # the canonical URL, not the tracking link
    assert (first.outlet, first.published) == ("Harbour Ledger", date(2026, 3, 9))
    text = _text(bot, first.doc_id)
    assert paragraphs[1] in text and "Home | World" not in text
    second = by_title["Second story"]
    assert (second.outlet, second.published) == ("The Feed Outlet", date(2026, 3, 10))


def test_failures_are_named_and_the_other_feeds_go_on(bot: Assistant, server: FeedServer) -> None:
    base = server.url("")
    server.route("/ok.xml", Route(rss("OK", [item(1, base), item(2, base)])))
    server.route("/broken.xml", Route("oops", status=500))
    server.route("/slow.xml", Route(rss("Slow", [item(3, base)]), delay_s=2.0))
    server.route("/garbage.xml", Route("<html><body>this is no feed</body></html>"))
    urls = [server.url(p) for p in ("/broken.xml", "/slow.xml", "/garbage.xml", "/ok.xml")]
    for url in urls:
        bot.add_feed(url)
    report = bot.fetch()
    errors = {f.url: f.error for f in report.failed}
    assert set(errors) == set(urls[:3])
    assert "HTTP 500" in errors[urls[0]]
    assert "timed out" in errors[urls[1]]
    assert "not a readable RSS/Atom feed" in errors[urls[2]]
    assert report.added == 2
    statuses = {r.url: r.status for r in report.feeds}
    assert statuses == {urls[0]: "failed", urls[1]: "failed", urls[2]: "failed", urls[3]: "ok"}
    listed = {f.url: f for f in bot.feeds()}
    assert listed[urls[0]].last_error == "HTTP 500" and listed[urls[3]].last_new == 2


def test_permanent_redirect_updates_the_stored_url(bot: Assistant, server: FeedServer) -> None:
    base = server.url("")
    server.route("/old.xml", Route(status=301, headers={"Location": "/new.xml"}))
    server.route("/temp.xml", Route(status=302, headers={"Location": "/new.xml"}))
    server.route("/new.xml", Route(rss("W", [item(1, base)])))
    bot.add_feed(server.url("/old.xml"))
    first = bot.fetch()
    assert first.feeds[0].url == server.url("/new.xml")
    assert first.feeds[0].moved_from == server.url("/old.xml")
    assert [f.url for f in bot.feeds()] == [server.url("/new.xml")]
    bot.fetch()
    assert server.hits("/old.xml") == 1 and server.hits("/new.xml") == 2
    bot.remove_feed(server.url("/new.xml"))
    bot.add_feed(server.url("/temp.xml"))
    bot.fetch()
    assert [f.url for f in bot.feeds()] == [server.url("/temp.xml")]  # 302: not moved


def test_gone_feed_is_paused(bot: Assistant, server: FeedServer) -> None:
    server.route("/gone.xml", Route("", status=410))
    bot.add_feed(server.url("/gone.xml"))
    first = bot.fetch()
    assert first.feeds[0].status == "paused" and "410" in first.failed[0].error
    second = bot.fetch()
    assert second.feeds[0].status == "paused" and second.failed == []
    assert server.hits("/gone.xml") == 1 and bot.feeds()[0].status == "paused"
    bot.add_feed(server.url("/gone.xml"))  # adding again resumes it
    assert bot.feeds()[0].status == "active"


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_defers_the_next_poll(bot: Assistant, server: FeedServer, status: int) -> None:
    server.route("/busy.xml", Route("", status=status, headers={"Retry-After": "600"}))
    bot.add_feed(server.url("/busy.xml"))
    first = bot.fetch()
    assert first.feeds[0].status == "deferred" and "next poll after" in first.failed[0].error
    [feed] = bot.feeds()
    assert feed.retry_at is not None and feed.last_fetched is not None
    assert feed.retry_at - feed.last_fetched == timedelta(seconds=600)  # Retry-After, in UTC
    assert feed.retry_at.tzinfo is not None and feed.retry_at.microsecond == 0
    assert f"next poll after {feed.retry_at.isoformat()}" in first.failed[0].error
    second = bot.fetch()
    assert second.feeds[0].status == "deferred" and second.failed == []
    assert server.hits("/busy.xml") == 1


def test_robots_txt_disallow_is_respected(bot: Assistant, server: FeedServer) -> None:
    base = server.url("")
    server.route("/robots.txt", Route("User-agent: *\nDisallow: /private/\n"))
    server.route("/private/9", Route(page("Private", body(9))))
    summary = " ".join(body(9, paragraphs=1, words=30))
    server.route(
        "/feed.xml",
        Route(
            rss("W", [{"title": "Private", "link": f"{base}/private/9", "description": summary}])
        ),
    )
    bot.add_feed(server.url("/feed.xml"))
    report = bot.fetch()
    assert server.hits("/private/9") == 0
    assert report.added == 1 and _text(bot, bot.sources()[0].doc_id) == summary


def test_page_that_fails_is_named_and_retried_next_time(bot: Assistant, server: FeedServer) -> None:
    base = server.url("")
    server.route("/news/5", Route(page("Fine", body(5))))
    entries = [
        {"title": "Fine", "link": f"{base}/news/5", "description": "s", "guid": "5"},
        {"title": "Missing", "link": f"{base}/news/6", "description": "s", "guid": "6"},
    ]
    server.route("/feed.xml", Route(rss("W", entries), etag='"x"'))
    bot.add_feed(server.url("/feed.xml"))
    report = bot.fetch()
    assert [f.url for f in report.failed] == [f"{base}/news/6"]
    assert "HTTP 404" in report.failed[0].error and report.added == 1
    assert report.feeds[0].status == "partial"
    server.route("/news/6", Route(page("Missing no more", body(6))))
    again = bot.fetch()  # no 304: the validators wait until every entry is stored
    assert (again.added, again.unchanged, again.failed) == (1, 1, [])
    assert server.hits("/news/5") == 1


def test_unusable_entry_is_named_once_and_does_not_block_304(
    bot: Assistant, server: FeedServer
) -> None:
    base = server.url("")
    entries = [item(1, base), {"title": "Empty", "description": " "}]
    server.route("/feed.xml", Route(rss("W", entries), etag='"v"'))
    bot.add_feed(server.url("/feed.xml"))
    first = bot.fetch()
    assert first.added == 1 and len(first.failed) == 1
    assert "no article text" in first.failed[0].error
    second = bot.fetch()
    assert second.feeds[0].status == "not_modified" and second.failed == []


def test_syndicated_copy_from_a_second_feed_is_linked(bot: Assistant, server: FeedServer) -> None:
    base = server.url("")
    original = body(21, paragraphs=4)
    copy = [original[0].replace(".", ", officials said."), *original[1:], "Reporting by a wire."]
    a = {
        "title": "Port strike",
        "link": f"{base}/a/1",
        "content": "".join(f"<p>{p}</p>" for p in original),
        "pubDate": "Tue, 10 Mar 2026 08:00:00 GMT",
    }
    b = {
        "title": "Port strike continues",
        "link": f"{base}/b/1",
        "content": "".join(f"<p>{p}</p>" for p in copy),
        "pubDate": "Tue, 10 Mar 2026 11:00:00 GMT",
    }
    other = item(30, base)
    server.route("/a.xml", Route(rss("Outlet A", [a])))
    server.route("/b.xml", Route(rss("Outlet B", [b, other])))
    bot.add_feed(server.url("/a.xml"))
    bot.add_feed(server.url("/b.xml"))
    report = bot.fetch()
    assert report.added == 3 and report.copies == 1
    ids = {s.title: s.doc_id for s in bot.sources()}
    assert bot.copies_of(ids.values()) == {ids["Port strike continues"]: ids["Port strike"]}
    groups = independent_of(bot.db, ids.values())
    assert len(set(groups.values())) == 2


def test_the_earliest_report_is_the_original(bot: Assistant, tmp_path: Path) -> None:
    text = "\n\n".join(body(40, paragraphs=4))
    later = tmp_path / "later.md"
    later.write_text(f"---\ntitle: Later\noutlet: B\npublished: 2026-03-12\n---\n\n{text}\nMore.\n")
    earlier = tmp_path / "earlier.md"
    earlier.write_text(f"---\ntitle: Earlier\noutlet: A\npublished: 2026-03-10\n---\n\n{text}\n")
    bot.ingest([later])
    bot.ingest([earlier])  # ingested second, published first: it is the original
    ids = {s.title: s.doc_id for s in bot.sources()}
    assert bot.copies_of(ids.values()) == {ids["Later"]: ids["Earlier"]}
    bot.remove(ids["Earlier"])
    assert bot.copies_of(ids.values()) == {}


def test_of_same_day_copies_the_one_the_other_credits_is_the_original(
    bot: Assistant, tmp_path: Path
) -> None:
    text = "\n\n".join(body(41, paragraphs=4))
    copy = tmp_path / "copy.md"
    copy.write_text(
        f"---\ntitle: Copy\noutlet: The Harbour Post\npublished: 2026-03-10\n---\n\n"
        f"VELM, March 10 (Velm Wire via The Harbour Post) -\n\n{text}\n"
        "This report first appeared in Velm Wire Service.\n"
    )
    original = tmp_path / "original.md"
    original.write_text(
        f"---\ntitle: Original\noutlet: Velm Wire Service\npublished: 2026-03-10\n---\n\n{text}\n"
    )
    bot.ingest([copy])  # stored first, but it credits the other outlet
    bot.ingest([original])
    ids = {s.title: s.doc_id for s in bot.sources()}
    assert bot.copies_of(ids.values()) == {ids["Copy"]: ids["Original"]}
    answer = bot.ask("Which articles are republished copies of another outlet's report?")
    assert not answer.refused
    [statement] = answer.statements
    assert (
        "The Harbour Post" in statement.text
        and "first published by Velm Wire Service" in statement.text
    )
    assert {c.title for c in answer.citations} == {"Copy", "Original"}
    assert not any(c.passage.endswith(") -") for c in answer.citations)  # a lead, not a dateline
    bot.remove(ids["Original"])
    none = bot.ask("Are there duplicate articles?")
    assert not none.refused and none.answer.startswith("None of the stored articles")


def test_a_copy_credits_an_outlet_only_in_a_credit_frame() -> None:
    from assistant.syndication import credits_outlet

    assert credits_outlet(
        "... the toll rose. This report first appeared in Velm Wire.", "Velm Wire"
    )
    assert credits_outlet("VELM, 5 May (Tidewater/QPA) - A landslide ...", "Tidewater Dispatch")
    assert credits_outlet("Reprinted with permission from The Velm Post.", "The Velm Post")
    assert credits_outlet("VELM, March 11 (Velm Wire via The Harbour Post) - ...", "Velm Wire")
    assert not credits_outlet(
        "The Velm Post said on Monday that it had no comment.", "The Velm Post"
    )
    assert not credits_outlet("A landslide hit Velm on Monday.", "")


def test_ingest_urls_mixed_with_paths(bot: Assistant, server: FeedServer, tmp_path: Path) -> None:
    server.route("/story", Route(page("A page story", body(50), site_name="Page Outlet")))
    path = tmp_path / "local.txt"
    path.write_text("Local title\n" + " ".join(body(51)))
    report = bot.ingest([server.url("/story"), path, server.url("/missing"), "ftp://x/y"])
    assert (report.added, report.unchanged) == (2, 0)
    errors = {f.path: f.error for f in report.failed}
    assert set(errors) == {server.url("/missing"), "ftp://x/y"}
    assert "HTTP 404" in errors[server.url("/missing")] and "not an http" in errors["ftp://x/y"]
    assert {s.outlet for s in bot.sources()} == {"Page Outlet", None}
    assert bot.ingest([server.url("/story")]).unchanged == 1


def test_ingest_url_respects_robots_txt(bot: Assistant, server: FeedServer) -> None:
    server.route("/robots.txt", Route("User-agent: *\nDisallow: /members/\n"))
    server.route("/members/story", Route(page("Members only", body(70))))
    report = bot.ingest([server.url("/members/story")])
    assert report.added == 0 and server.hits("/members/story") == 0
    assert "robots.txt" in report.failed[0].error


def test_feed_list_and_remove(bot: Assistant, server: FeedServer) -> None:
    feed = bot.add_feed(server.url("/f.xml"), outlet="  Wire  ")
    assert (feed.url, feed.outlet, feed.status) == (server.url("/f.xml"), "Wire", "active")
    assert [f.url for f in bot.feeds()] == [server.url("/f.xml")]
    bot.remove_feed(server.url("/f.xml"))
    assert bot.feeds() == []
    with pytest.raises(NotFound, match="briefing feeds list"):
        bot.remove_feed(server.url("/f.xml"))


def test_parse_feed_names_garbage() -> None:
    with pytest.raises(IngestError, match="not a readable RSS/Atom feed"):
        parse_feed("http://x/feed", b"\x00\x01 nothing")
    title, entries = parse_feed(
        "http://x/feed", rss("T", [{"title": "a", "link": "/rel"}]).encode()
    )
    assert title == "T" and entries[0].link == "http://x/rel"
