"""Files, folders and feeds -> Articles. Every failure is an IngestError naming the path."""

from __future__ import annotations

import hashlib
import json
import re
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
_WS = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")


@dataclass(slots=True)
class LoadResult:
    """What one file gave: its articles and the problems found in it."""

    path: str
    articles: list[Article] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


def find_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[IngestError]]:
    """Expand folders recursively (hidden files skipped); a missing path is an error."""
    files: list[Path] = []
    errors: list[IngestError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                hidden = any(p.startswith(".") for p in relative.parts)
                if child.is_file() and not hidden and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(child)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            errors.append(IngestError(path, "not a regular file or folder"))
        else:
            errors.append(IngestError(path, "no such file or folder"))
    return files, errors


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
    return result


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
    body = _normalise_text(text)
    if not body:
        raise IngestError(where, "no article text (the text is empty or only whitespace)")
    clean_title = _WS.sub(" ", title or "").strip() or _first_words(body)
    clean_outlet = _WS.sub(" ", outlet or "").strip() or None
    clean_url = (url or "").strip() or None
    day = parse_published(published, where)
    content_hash = _sha(json.dumps([body, clean_title, clean_outlet, day, clean_url, author]))
    if clean_url:
        doc_id = _sha("url:" + clean_url.rstrip("/").lower())[:16]
    elif title and (clean_outlet or day):
        key = "|".join([clean_title.lower(), (clean_outlet or "").lower(), day or ""])
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


def parse_published(value: object, where: str = "") -> str | None:
    """Any date-ish value -> ISO date; None stays None (never 'today')."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        from dateutil import parser as dateparser

        try:
            return str(dateparser.parse(value.strip()).date().isoformat())
        except (ValueError, OverflowError) as exc:
            raise IngestError(where, f"cannot read published date {value!r}") from exc
    raise IngestError(where, f"cannot read published date {value!r}")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(
                path,
                f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit "
                "(BRIEFING_MAX_FILE_MB)",
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(path, f"cannot read file: {exc.strerror or exc}") from exc
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
    import yaml

    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        raise IngestError(path, f"front matter is not valid YAML: {exc}") from exc
    meta: dict[str, Any] = dict(post.metadata)
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
        try:
            yield _from_record(path, where, record, outlet)
        except IngestError as exc:
            errors.append(exc)


def _from_feed(
    path: Path, raw: bytes, outlet: str | None, errors: list[IngestError]
) -> Iterator[Article]:
    import feedparser

    feed = feedparser.parse(raw)
    if not feed.entries:
        reason = getattr(feed, "bozo_exception", None)
        detail = f": {reason}" if reason else ""
        raise IngestError(path, f"not a readable RSS/Atom feed (no entries found){detail}")
    feed_title = feed.feed.get("title") if hasattr(feed, "feed") else None
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
        except IngestError as exc:
            errors.append(exc)


def html_fragment_text(html: str) -> str:
    """Visible text of an HTML fragment, one paragraph per block element."""
    if "<" not in html:
        return html
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # malformed fragments: fall back to dropping tags
        return re.sub(r"<[^>]+>", " ", html)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for block in root.xpath("//p|//br|//div|//li|//h1|//h2|//h3|//h4|//blockquote"):
        block.tail = "\n\n" + (block.tail or "")
    return str(root.text_content())


def _str_or_none(value: object) -> str | None:
    if value is None:
        return None
    return str(value)
