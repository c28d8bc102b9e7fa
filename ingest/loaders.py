"""Files, folders and feeds -> Articles. Every failure is an IngestError naming the path."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ingest.errors import IngestError
from ingest.types import Article

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
SUPPORTED_SUFFIXES = (
    TEXT_SUFFIXES
    | MARKDOWN_SUFFIXES
    | HTML_SUFFIXES
    | JSON_SUFFIXES
    | JSONL_SUFFIXES
    | FEED_SUFFIXES
)
MIN_HTML_WORDS = 8  # fewer extracted words than this is a menu or a stub, not an article
# Longest title, outlet or author an article may carry; a longer one is a hostile or broken file.
MAX_FIELD_CHARS = 1000
MAX_URL_CHARS = 4096
FRONT_MATTER_FIELDS = ("title", "outlet", "published", "date", "url", "author")
# Unicode bidirectional-control classes (embeddings, overrides, isolates): they reorder what a
# terminal or page shows, so they never survive loading.
_BIDI_CONTROLS = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
_KEEP_CONTROLS = frozenset("\n\t\r")
log = logging.getLogger(__name__)
_WS = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")
# Elements whose content is never visible text (an unclosed one runs to the end).
_INVISIBLE = re.compile(
    r"<(script|style|template|noscript)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL
)


@dataclass(slots=True)
class LoadResult:
    """What one file gave: its articles and the problems found in it."""

    path: str
    articles: list[Article] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


def find_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[IngestError]]:
    """Expand folders recursively (hidden files skipped); a missing path is an error.

    Symbolic links that lead nowhere (a loop, a missing target) are reported as skipped.
    """
    files: list[Path] = []
    errors: list[IngestError] = []
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                for child in sorted(path.rglob("*")):
                    relative = child.relative_to(path)
                    if any(p.startswith(".") for p in relative.parts):
                        continue
                    if child.is_symlink():
                        problem = _broken_link(child)
                        if problem:
                            errors.append(IngestError(child, problem))
                            continue
                        if child.is_dir():  # never followed: it may lead back up (a cycle)
                            errors.append(IngestError(child, "skipped: symbolic link to a folder"))
                            continue
                    if child.suffix.lower() in SUPPORTED_SUFFIXES and child.is_file():
                        files.append(child)
            elif path.is_file():
                files.append(path)
            elif path.is_symlink() and _broken_link(path):
                errors.append(IngestError(path, str(_broken_link(path))))
            elif path.exists():
                errors.append(IngestError(path, "not a regular file or folder"))
            else:
                errors.append(IngestError(path, "no such file or folder"))
        except OSError as exc:  # e.g. a name over 255 bytes, a folder we may not list
            errors.append(IngestError(path, f"cannot read: {exc.strerror or exc}"))
    return files, errors


def _broken_link(path: Path) -> str | None:
    """Why a symbolic link cannot be followed, or None when it leads to something."""
    try:
        path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 raises this for a loop
        return "skipped: symbolic link loop"
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            return "skipped: symbolic link loop"
        return f"skipped: symbolic link to a missing target ({exc.strerror or exc})"
    return None


def load_file(path: Path, outlet: str | None = None, max_bytes: int = 20_000_000) -> LoadResult:
    """Read one file into articles; never raises for bad content, reports it instead."""
    result = LoadResult(str(path))
    try:
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
            raise IngestError(
                path, f"unsupported file type {suffix or '(none)'!r}; use one of {supported}"
            )
        raw = _read_bytes(path, max_bytes)
        if suffix in HTML_SUFFIXES:
            result.articles.append(_from_html(path, raw, outlet))
        elif suffix in FEED_SUFFIXES:
            result.articles.extend(_from_feed(path, raw, outlet, result.errors))
        else:
            text = _decode(path, raw)
            if suffix in TEXT_SUFFIXES:
                result.articles.append(_from_text(path, text, outlet))
            elif suffix in MARKDOWN_SUFFIXES:
                result.articles.append(_from_markdown(path, text, outlet))
            elif suffix in JSON_SUFFIXES:
                result.articles.extend(_from_json(path, text, outlet, result.errors))
            else:
                result.articles.extend(_from_jsonl(path, text, outlet, result.errors))
    except IngestError as exc:
        result.errors.append(exc)
    except RecursionError as exc:
        result.articles.clear()
        result.errors.append(IngestError(path, "nested too deeply to read"))
        log.debug("recursion reading %s", path, exc_info=exc)
    except Exception as exc:  # hostile files find parser bugs: name the file, go on
        log.warning("unexpected error reading %s", path, exc_info=True)
        result.articles.clear()
        detail = _short(str(exc))
        result.errors.append(
            IngestError(
                path, f"cannot read the file ({type(exc).__name__}{': ' if detail else ''}{detail})"
            )
        )
    return result


def _short(text: str, limit: int = 200) -> str:
    text = clean_text(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clean_text(text: str) -> str:
    """`text` without control characters (newline, tab and CR kept) or bidi overrides.

    Loaded text reaches terminals and pages; an escape sequence or a right-to-left override in
    a title must not reach them as anything but nothing.
    """
    if text.isprintable():
        return text
    return _DROPPED.sub("", text)


# The characters `_kept` refuses, as one class (a test checks the two agree on every code
# point): C0/C1 controls but newline, tab and CR; the bidi embeddings, overrides and isolates.
_DROPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _kept(ch: str) -> bool:
    if ch in _KEEP_CONTROLS:
        return True
    if unicodedata.category(ch) == "Cc":
        return False
    return unicodedata.bidirectional(ch) not in _BIDI_CONTROLS


def make_article(
    *,
    text: str,
    title: str | None,
    outlet: str | None,
    published: object,
    url: str | None,
    source_path: str | None,
    where: str,
    author: str | None = None,
) -> Article:
    """Normalise fields, give a stable doc_id and a content hash; reject empty text."""
    body = _normalise_text(clean_text(text))
    if not body:
        raise IngestError(where, "no article text (the text is empty or only whitespace)")
    title = _capped(title, "title", where)
    outlet = _capped(outlet, "outlet", where)
    author = _capped(author, "author", where)
    url = _capped(url, "url", where, MAX_URL_CHARS)
    clean_title = _WS.sub(" ", title or "").strip() or _first_words(body)
    clean_outlet = _WS.sub(" ", outlet or "").strip() or None
    clean_url = (url or "").strip() or None
    day = parse_published(published, where)
    iso_day = day.isoformat() if day else None  # hashed as ISO text: stored hashes stay valid
    content_hash = _sha(json.dumps([body, clean_title, clean_outlet, iso_day, clean_url, author]))
    if clean_url:
        doc_id = _sha("url:" + clean_url.rstrip("/").lower())[:16]
    elif title and (clean_outlet or day):
        key = "|".join([clean_title.lower(), (clean_outlet or "").lower(), iso_day or ""])
        doc_id = _sha("meta:" + key)[:16]
    else:
        doc_id = _sha("text:" + body)[:16]
    return Article(
        doc_id=doc_id,
        title=clean_title,
        text=body,
        content_hash=content_hash,
        outlet=clean_outlet,
        published=day,
        url=clean_url,
        author=(author or "").strip() or None,
        source_path=source_path,
    )


def _capped(value: str | None, name: str, where: str, limit: int = MAX_FIELD_CHARS) -> str | None:
    if value is None:
        return None
    if len(value) > limit:
        raise IngestError(where, f"{name} is {len(value):,} characters, over the {limit:,} limit")
    return clean_text(value)


def parse_published(value: object, where: str = "") -> date | None:
    """Any date-ish value -> its day; None stays None (never 'today'). The one place a
    published string becomes a `date`."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        from dateutil import parser as dateparser

        try:
            day: date = dateparser.parse(value.strip()).date()
            return day
        except (ValueError, OverflowError) as exc:
            raise IngestError(where, f"cannot read published date {value!r}") from exc
    raise IngestError(where, f"cannot read published date {value!r}")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """At most `max_bytes` of a regular file: the limit holds for what is read, not for what
    `stat()` claimed (a growing file or a /proc file reports less than it yields)."""
    limit = f"over the {max_bytes / 1e6:.1f} MB limit (BRIEFING_MAX_FILE_MB)"
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below anyway.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise IngestError(path, "not a regular file (a device, pipe or socket)")
            if info.st_size > max_bytes:
                raise IngestError(path, f"file is {info.st_size / 1e6:.1f} MB, {limit}")
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise IngestError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if len(raw) > max_bytes:
        raise IngestError(path, f"file holds more than stat() said, {limit}")
    if not raw.strip():
        raise IngestError(path, "file is empty")
    if b"\x00" in raw[:8192]:
        raise IngestError(path, "binary file (contains NUL bytes), not text")
    return raw


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            path,
            f"not valid UTF-8 text (byte {exc.start}: {raw[exc.start : exc.start + 1]!r}); "
            "convert it to UTF-8",
        ) from exc


def _normalise_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    paragraphs = [_WS.sub(" ", p).strip() for p in _BLANK_LINES.split(text)]
    lines: list[str] = []
    for paragraph_block in paragraphs:
        if paragraph_block:
            lines.append(paragraph_block)
    # Single newlines inside a block are kept as paragraph breaks when the source used them
    # between full paragraphs (plain-text wire copy does); see _from_text.
    return "\n\n".join(lines)


def _first_words(text: str, n: int = 12) -> str:
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _from_text(path: Path, text: str, outlet: str | None) -> Article:
    lines = text.replace("\r\n", "\n").split("\n")
    non_empty = [i for i, line in enumerate(lines) if line.strip()]
    title: str | None = None
    body_lines = lines
    if len(non_empty) > 1:
        title = lines[non_empty[0]].strip()
        body_lines = lines[non_empty[0] + 1 :]
    # Plain-text copy often puts one paragraph per line: keep each line its own paragraph.
    body = "\n\n".join(line.strip() for line in body_lines if line.strip())
    return make_article(
        text=body,
        title=title,
        outlet=outlet,
        published=None,
        url=None,
        source_path=str(path),
        where=str(path),
    )


def _from_markdown(path: Path, text: str, outlet: str | None) -> Article:
    import frontmatter

    try:
        post = frontmatter.loads(text, handler=_front_matter_handler())
    except _AliasFound as exc:
        raise IngestError(
            path, f"front matter uses a YAML alias ({exc}); write each value out in full"
        ) from exc
    except Exception as exc:  # yaml.YAMLError, or a ValueError from a constructor
        raise IngestError(path, f"front matter is not valid YAML: {_short(str(exc))}") from exc
    if not isinstance(post.metadata, dict):
        raise IngestError(path, "front matter must be a mapping of fields (title: ..., url: ...)")
    meta: dict[str, Any] = {}
    for key in FRONT_MATTER_FIELDS:
        value = post.metadata.get(key)
        if value is not None and not isinstance(value, str | int | float | date):
            raise IngestError(
                path,
                f"front matter field {key!r} must be a single text or date value, "
                f"not a {type(value).__name__}",
            )
        meta[key] = value
    body = post.content
    title = meta.get("title")
    if not title:
        match = re.match(r"\s*#\s+(.+)\n", body)
        if match:
            title = match.group(1)
            body = body[match.end() :]
    return make_article(
        text=body,
        title=_str_or_none(title),
        outlet=_str_or_none(meta.get("outlet")) or outlet,
        published=meta.get("published") or meta.get("date"),
        url=_str_or_none(meta.get("url")),
        author=_str_or_none(meta.get("author")),
        source_path=str(path),
        where=str(path),
    )


class _AliasFound(Exception):
    """A YAML alias (`*name`): refused, since nested aliases multiply a small file."""


@functools.cache
def _front_matter_handler() -> Any:
    """python-frontmatter's YAML handler with aliases refused and impossible dates kept as
    text (for parse_published to name); built on first use so importing stays cheap."""
    import yaml
    from frontmatter.default_handlers import YAMLHandler

    class NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _AliasFound(f"line {mark.line + 1}")
            return super().compose_node(parent, index)

        def construct_yaml_timestamp(self, node: Any) -> Any:
            try:
                return super().construct_yaml_timestamp(node)
            except ValueError:  # 2026-02-30
                return self.construct_scalar(node)

    NoAliasLoader.add_constructor(
        "tag:yaml.org,2002:timestamp", NoAliasLoader.construct_yaml_timestamp
    )

    class SafeYAMLHandler(YAMLHandler):
        def load(self, fm: str, **kwargs: object) -> Any:
            return yaml.load(fm, Loader=NoAliasLoader)  # noqa: S506 - a SafeLoader subclass

    return SafeYAMLHandler()


def _from_html(path: Path, raw: bytes, outlet: str | None) -> Article:
    import trafilatura

    try:
        document: Any = trafilatura.bare_extraction(
            raw,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise IngestError(path, f"cannot parse HTML: {exc}") from exc
    text = str(getattr(document, "text", None) or "")
    if len(text.split()) < MIN_HTML_WORDS:
        raise IngestError(
            path, f"no article text found in the HTML (only {len(text.split())} words of text)"
        )
    return make_article(
        text=text,
        title=document.title,
        outlet=document.sitename or outlet,
        published=document.date,
        url=document.url,
        author=document.author,
        source_path=str(path),
        where=str(path),
    )


def _from_record(path: Path, where: str, record: object, outlet: str | None) -> Article:
    if not isinstance(record, dict):
        raise IngestError(where, f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise IngestError(where, "missing 'text' (a non-empty string)")
    return make_article(
        text=text,
        title=_str_or_none(record.get("title")),
        outlet=_str_or_none(record.get("outlet")) or outlet,
        published=record.get("published"),
        url=_str_or_none(record.get("url")),
        author=_str_or_none(record.get("author")),
        source_path=str(path),
        where=where,
    )


def _from_json(
    path: Path, text: str, outlet: str | None, errors: list[IngestError]
) -> Iterator[Article]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(
            path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise IngestError(path, "JSON nested too deeply to read (arrays or objects)") from exc
    records = value if isinstance(value, list) else [value]
    for i, record in enumerate(records):
        where = f"{path}[{i}]" if isinstance(value, list) else str(path)
        try:
            yield _from_record(path, where, record, outlet)
        except IngestError as exc:
            errors.append(exc)


def _from_jsonl(
    path: Path, text: str, outlet: str | None, errors: list[IngestError]
) -> Iterator[Article]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(IngestError(where, f"invalid JSON: {exc.msg} (column {exc.colno})"))
            continue
        except RecursionError:
            errors.append(IngestError(where, "JSON nested too deeply to read"))
            continue
        try:
            yield _from_record(path, where, record, outlet)
        except IngestError as exc:
            errors.append(exc)


def _from_feed(
    path: Path, raw: bytes, outlet: str | None, errors: list[IngestError]
) -> Iterator[Article]:
    import feedparser

    # Bytes in a stream: feedparser treats a str as a file name or URL first.
    feed = feedparser.parse(io.BytesIO(raw))
    xml_error = _xml_error(feed)
    if not feed.entries:
        detail = f": {xml_error}" if xml_error else ""
        raise IngestError(path, f"not a readable RSS/Atom feed (no entries found){detail}")
    feed_title = feed.feed.get("title") if hasattr(feed, "feed") else None
    entry_errors: list[IngestError] = []
    found = 0
    for i, entry in enumerate(feed.entries):
        where = f"{path}#entry{i + 1}"
        html = ""
        if entry.get("content"):
            html = entry["content"][0].get("value", "")
        html = html or entry.get("summary", "")
        published = None
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        if parsed:
            published = date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        try:
            yield make_article(
                text=html_fragment_text(html),
                title=entry.get("title"),
                outlet=outlet or feed_title,
                published=published,
                url=entry.get("link"),
                author=entry.get("author"),
                source_path=str(path),
                where=where,
            )
            found += 1
        except IngestError as exc:
            entry_errors.append(exc)
    if xml_error and not found:
        # The loose parser salvaged entries without text: the XML error is the real reason.
        errors.append(IngestError(path, f"broken feed XML: {xml_error}"))
    else:
        errors.extend(entry_errors)


def _xml_error(feed: Any) -> str | None:
    """The XML well-formedness error feedparser recovered from, with its line, if any."""
    exc = getattr(feed, "bozo_exception", None) if getattr(feed, "bozo", False) else None
    if exc is None:
        return None
    import xml.sax

    if not isinstance(exc, xml.sax.SAXException):
        return None  # e.g. a declared encoding that differs from the real one: harmless
    line = getattr(exc, "getLineNumber", lambda: None)()
    where = f" at line {line}" if line else ""
    return f"{_short(exc.getMessage() if hasattr(exc, 'getMessage') else str(exc))}{where}"


def html_fragment_text(html: str) -> str:
    """Visible text of an HTML fragment, one paragraph per block element."""
    if "<" not in html:
        return html
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # malformed fragments: fall back to dropping tags
        return re.sub(r"<[^>]+>", " ", _INVISIBLE.sub(" ", html))
    for bad in root.xpath("//script|//style|//template|//noscript"):
        bad.drop_tree()
    for block in root.xpath("//p|//br|//div|//li|//h1|//h2|//h3|//h4|//blockquote"):
        block.tail = "\n\n" + (block.tail or "")
    return str(root.text_content())


def _str_or_none(value: object) -> str | None:
    if value is None:
        return None
    return str(value)
