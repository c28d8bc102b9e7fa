"""The polite HTTP client, against a real server on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from ingest.errors import BadInput, IngestError
from ingest.fetch import USER_AGENT, Fetcher, check_url, is_url, parse_retry_after
from tests.feed_server import HTTP_DATE, FeedServer, Route


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(host_delay_s=0, timeout_s=2) as client:
        yield client


def test_conditional_get_with_etag_gets_304(server: FeedServer, fetcher: Fetcher) -> None:
    server.route("/feed", Route("<rss/>", etag='"v1"'))
    first = fetcher.get(server.url("/feed"))
    assert (first.status, first.body, first.etag) == (200, b"<rss/>", '"v1"')
    second = fetcher.get(server.url("/feed"), etag=first.etag)
    assert second.not_modified and second.body == b""
    assert server.requests[-1].headers["if-none-match"] == '"v1"'


def test_conditional_get_with_last_modified(server: FeedServer, fetcher: Fetcher) -> None:
    server.route("/feed", Route("<rss/>", last_modified=HTTP_DATE))
    first = fetcher.get(server.url("/feed"))
    assert first.last_modified == HTTP_DATE
    assert fetcher.get(server.url("/feed"), last_modified=first.last_modified).status == 304


def test_user_agent_names_the_project(server: FeedServer, fetcher: Fetcher) -> None:
    server.route("/p", Route("x"))
    fetcher.get(server.url("/p"))
    assert server.requests[0].headers["user-agent"] == USER_AGENT
    assert "briefing-assistant" in USER_AGENT


@pytest.mark.parametrize(
    ("first", "second", "moved"),
    [(301, None, "/new"), (308, None, "/new"), (302, None, None), (301, 302, "/new")],
)
def test_redirects_report_only_leading_permanent_moves(
    server: FeedServer, fetcher: Fetcher, first: int, second: int | None, moved: str | None
) -> None:
    server.route("/old", Route(status=first, headers={"Location": "/new"}))
    if second:
        server.route("/new", Route(status=second, headers={"Location": "/final"}))
        server.route("/final", Route("body"))
    else:
        server.route("/new", Route("body"))
    result = fetcher.get(server.url("/old"))
    assert result.body == b"body"
    assert result.final_url == server.url("/final" if second else "/new")
    assert result.moved_to == (server.url(moved) if moved else None)


def test_redirect_to_another_scheme_is_refused(server: FeedServer, fetcher: Fetcher) -> None:
    server.route("/r", Route(status=301, headers={"Location": "file:///etc/passwd"}))
    with pytest.raises(IngestError, match="non-HTTP"):
        fetcher.get(server.url("/r"))


def test_redirect_loop_is_named(server: FeedServer, fetcher: Fetcher) -> None:
    server.route("/a", Route(status=302, headers={"Location": "/b"}))
    server.route("/b", Route(status=302, headers={"Location": "/a"}))
    with pytest.raises(IngestError, match="redirects") as caught:
        fetcher.get(server.url("/a"))
    assert caught.value.path == server.url("/a")


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_read(server: FeedServer, fetcher: Fetcher, status: int) -> None:
    server.route("/busy", Route("slow down", status=status, headers={"Retry-After": "120"}))
    result = fetcher.get(server.url("/busy"))
    assert (result.status, result.retry_after_s) == (status, 120.0)


def test_parse_retry_after_http_date() -> None:
    now = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)
    assert parse_retry_after("Wed, 11 Mar 2026 12:05:00 GMT", now) == 300.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_timeout_is_named(server: FeedServer) -> None:
    server.route("/slow", Route("late", delay_s=1.5))
    with (
        Fetcher(host_delay_s=0, timeout_s=0.3) as client,
        pytest.raises(IngestError, match="timed out") as caught,
    ):
        client.get(server.url("/slow"))
    assert caught.value.path == server.url("/slow")


def test_size_cap(server: FeedServer) -> None:
    server.route("/big", Route(b"x" * 5000))
    with Fetcher(host_delay_s=0, max_bytes=1000) as client:
        with pytest.raises(IngestError, match="over 0.0 MB"):
            client.get(server.url("/big"))
        server.route("/small", Route(b"x" * 900))
        assert len(client.get(server.url("/small")).body) == 900


def test_one_host_waits_between_requests(server: FeedServer) -> None:
    waits: list[float] = []
    server.route("/p", Route("x"))
    with Fetcher(host_delay_s=5.0, sleep=waits.append) as client:
        client.get(server.url("/p"))
        assert waits == []  # the first request to a host does not wait
        client.get(server.url("/p"))
    assert len(waits) == 1 and 4.0 < waits[0] <= 5.0


def test_robots_txt_disallow_is_respected_and_cached(server: FeedServer, fetcher: Fetcher) -> None:
    server.route(
        "/robots.txt",
        Route("User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
    )
    assert fetcher.allowed(server.url("/news/a.html"))
    assert not fetcher.allowed(server.url("/private/b.html"))
    assert server.hits("/robots.txt") == 1


def test_robots_txt_naming_this_client(server: FeedServer, fetcher: Fetcher) -> None:
    server.route(
        "/robots.txt",
        Route("User-agent: briefing-assistant\nDisallow: /\n\nUser-agent: *\nAllow: /\n"),
    )
    assert not fetcher.allowed(server.url("/news/a.html"))


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (500, False)])
def test_missing_robots_allows_unreachable_disallows(
    server: FeedServer, fetcher: Fetcher, status: int, allowed: bool
) -> None:
    server.route("/robots.txt", Route("", status=status))
    assert fetcher.allowed(server.url("/a.html")) is allowed


def test_urls_are_checked() -> None:
    assert check_url(" https://example.org/feed ") == "https://example.org/feed"
    assert is_url("http://x.org/a") and is_url("ftp://x.org/a")
    assert not is_url("articles/a.md") and not is_url("C:/news/a.md")
    with pytest.raises(BadInput, match="not an http"):
        check_url("file:///etc/passwd")
