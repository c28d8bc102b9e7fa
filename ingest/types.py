"""Small frozen value types shared by every layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def day_number(day: date) -> int:
    """A day as the YYYYMMDD integer held in the vector store's `published` metadata."""
    return day.year * 10000 + day.month * 100 + day.day


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as loaded, before it is stored."""

    doc_id: str
    title: str
    text: str
    content_hash: str
    outlet: str | None = None
    published: date | None = None  # None when unknown
    url: str | None = None
    author: str | None = None
    source_path: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article: `text == article.text[start:end]`."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int


@dataclass(frozen=True, slots=True)
class Passage:
    """A chunk of a few sentences: `text == article.text[start:end]`."""

    id: str
    doc_id: str
    index: int
    start: int
    end: int
    text: str
    first_sentence: int
    last_sentence: int
