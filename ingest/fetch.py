"""HTTP for feeds and pages, fetched the way a well-behaved feed reader does.

Conditional GET (ETag / Last-Modified), permanent redirects reported so the caller can update
the stored URL, Retry-After read on 429 / 503, one request at a time per host with a delay,
timeouts (per operation and in total), a size cap, a User-Agent naming the project, and
robots.txt for pages. HTTP error statuses are returned, not raised: the caller decides what a
410 or a 503 means for a feed. Network failures raise `IngestError` naming the URL.
"""

from __future__ import annotations

import email.utils
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from ingest.errors import BadInput, IngestError

log = logging.getLogger(__name__)

PRODUCT = "briefing-assistant"
USER_AGENT = f"{PRODUCT}/0.1 (news briefing feed reader; honours robots.txt)"
PERMANENT_REDIRECTS = frozenset({301, 308})
TEMPORARY_REDIRECTS = frozenset({302, 303, 307})
MAX_REDIRECTS = 5
DISALLOW_ALL = ["User-agent: *", "Disallow: /"]
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One GET: the final status and body, the validators, and where the resource moved."""

    url: str  # the URL asked for
    final_url: str  # after every redirect
    status: int
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    moved_to: str | None = None  # target of the leading permanent (301/308) redirects
    retry_after_s: float | None = None  # from Retry-After on 429 / 503
    content_type: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def check_url(url: str) -> str:
    """An absolute http(s) URL, stripped; anything else is `BadInput` naming it."""
    clean = url.strip()
    parts = urlsplit(clean)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadInput(f"{url!r} is not an http:// or https:// URL")
    return clean


ALLOW_PRIVATE_SETTING = "BRIEFING_FETCH_ALLOW_PRIVATE"


def check_public_url(
    url: str,
    allow_private: bool = False,
    resolve: Callable[[str], list[str]] | None = None,
) -> str:
    """`check_url`, and a host that is public: an address or a name that resolves (`resolve`,
    e.g. `resolve_host`) to loopback, private, link-local, reserved or multicast space, or an
    internal name ('localhost', '*.internal', a name without a dot), is `BadInput` naming the URL
    and the setting that allows it, unless `allow_private`."""
    clean = check_url(url)
    if allow_private:
        return clean
    host = (urlsplit(clean).hostname or "").rstrip(".").lower()
    reason = _internal_reason(host)
    if reason is None and resolve is not None and not _is_address(host):
        for address in resolve(host):
            if (why := _address_reason(address)) is not None:
                reason = f"resolves to {address}, {why}"
                break
    if reason is not None:
        raise BadInput(
            f"{url.strip()!r} points at {host!r}, {reason}: feeds are fetched from public "
            f"hosts only; set {ALLOW_PRIVATE_SETTING}=true to allow loopback, private and "
            "internal hosts"
        )
    return clean


def resolve_host(host: str) -> list[str]:
    """The addresses a host name resolves to; none when it does not resolve (the fetch then
    names the failure)."""
    import socket

    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})
    except (OSError, UnicodeError):
        return []


def _is_address(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _internal_reason(host: str) -> str | None:
    if not host:
        return "no host"
    if _is_address(host):
        return _address_reason(host)
    if any(host == s or host.endswith("." + s) for s in _internal_suffixes()):
        return "an internal host name"
    if "." not in host:
        return "a name without a domain (an internal host)"
    return None


def _address_reason(address: str) -> str | None:
    import ipaddress

    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for test, what in (
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_reserved or ip.is_unspecified, "a reserved address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_private, "a private address"),
    ):
        if test:
            return what
    return None


@cache
def _internal_suffixes() -> tuple[str, ...]:
    text = (Path(__file__).parent / "internal_hosts.txt").read_text("utf-8")
    return tuple(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def is_url(value: object) -> bool:
    """True for a string with a URL scheme (`https://...`), so paths and URLs can be mixed;
    `check_url` then refuses any scheme but http(s) by name."""
    return isinstance(value, str) and _SCHEME.match(value.strip()) is not None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP-date; None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Fetcher:
    """A polite HTTP client for one run: one request at a time per host, then a pause."""

    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        timeout_s: float = 20.0,
        max_bytes: int = 10_000_000,
        host_delay_s: float = 1.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = user_agent
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self.host_delay_s = host_delay_s
        self._sleep = sleep
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout_s),
            follow_redirects=False,
            transport=transport,
        )
        self._guard = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- GET -------------------------------------------------------------------------------
    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
    ) -> FetchResult:
        """GET with validators, following up to MAX_REDIRECTS redirects by hand."""
        url = check_url(url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        current, moved_to, permanent_so_far = url, None, True
        for _ in range(MAX_REDIRECTS + 1):
            status, response_headers, body = self._request(current, headers)
            if status in PERMANENT_REDIRECTS or status in TEMPORARY_REDIRECTS:
                location = response_headers.get("location")
                if not location:
                    raise IngestError(url, f"HTTP {status} redirect without a Location header")
                target = urljoin(current, location)
                if urlsplit(target).scheme not in ("http", "https"):
                    raise IngestError(url, f"redirect to a non-HTTP URL {target!r}")
                permanent_so_far = permanent_so_far and status in PERMANENT_REDIRECTS
                if permanent_so_far:
                    moved_to = target
                current = target
                continue
            retry = None
            if status in (429, 503):
                retry = parse_retry_after(response_headers.get("retry-after"))
            return FetchResult(
                url=url,
                final_url=current,
                status=status,
                body=body,
                etag=response_headers.get("etag"),
                last_modified=response_headers.get("last-modified"),
                moved_to=moved_to,
                retry_after_s=retry,
                content_type=response_headers.get("content-type"),
            )
        raise IngestError(url, f"more than {MAX_REDIRECTS} redirects (a redirect loop?)")

    def _request(self, url: str, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        host = urlsplit(url).netloc.lower()
        with self._guard:
            lock = self._host_locks.setdefault(host, threading.Lock())
        with lock:
            wait = self._last_request.get(host, -1e9) + self.host_delay_s - time.monotonic()
            if wait > 0:
                self._sleep(wait)
            try:
                return self._stream(url, headers)
            finally:
                self._last_request[host] = time.monotonic()

    def _stream(self, url: str, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        deadline = time.monotonic() + self.timeout_s * 3  # a trickling server cannot hold us
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise IngestError(url, self._too_large(int(declared)))
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise IngestError(url, self._too_large(size))
                    if time.monotonic() > deadline:
                        raise IngestError(
                            url, f"took longer than {self.timeout_s * 3:.0f} s to download"
                        )
                    chunks.append(chunk)
                return response.status_code, response.headers, b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise IngestError(
                url, f"timed out after {self.timeout_s:g} s ({type(exc).__name__})"
            ) from exc
        except httpx.HTTPError as exc:
            raise IngestError(url, f"cannot fetch: {exc or type(exc).__name__}") from exc

    def _too_large(self, size: int) -> str:
        return (
            f"response is over {self.max_bytes / 1e6:.1f} MB ({size / 1e6:.1f} MB so far); "
            "raise BRIEFING_MAX_FILE_MB to allow it"
        )

    # -- robots.txt ------------------------------------------------------------------------
    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's site lets this client fetch it (cached per site)."""
        parts = urlsplit(check_url(url))
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._guard:
            rules = self._robots.get(origin)
        if rules is None:
            rules = self._load_robots(origin)
            with self._guard:
                self._robots[origin] = rules
        return rules.can_fetch(self.user_agent, url)

    def _load_robots(self, origin: str) -> RobotFileParser:
        rules = RobotFileParser(origin + "/robots.txt")
        try:
            result = self.get(origin + "/robots.txt", accept="text/plain")
        except IngestError as exc:
            log.warning("robots.txt of %s unreachable (%s); not fetching its pages", origin, exc)
            rules.parse(DISALLOW_ALL)
            return rules
        if result.status >= 500:
            rules.parse(DISALLOW_ALL)  # RFC 9309: an unreachable robots.txt disallows all
        elif result.ok:
            rules.parse(result.body.decode("utf-8", errors="replace").splitlines())
        else:
            rules.parse([])  # RFC 9309: a 4xx (no robots.txt) allows everything
        return rules
