"""Quotation regions: quoted stretches of a paragraph, and which of them are quotations.

The marks of each house style are data (lexicons/quote_marks.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span


@dataclass(frozen=True, slots=True)
class QuoteRegion:
    start: int  # article offsets, marks included
    end: int
    paragraph: int
    direct: bool


@dataclass(frozen=True, slots=True)
class _Marks:
    opening: frozenset[str]
    closing: frozenset[str]
    either: frozenset[str]
    aliases: dict[str, str]
    pattern: re.Pattern[str]


def _marks(entry: dict[str, object]) -> _Marks:
    def listed(key: str) -> frozenset[str]:
        value = entry.get(key) or []
        return frozenset(str(v) for v in value) if isinstance(value, list) else frozenset()

    raw_aliases = entry.get("aliases") or {}
    aliases = (
        {str(k): str(v) for k, v in raw_aliases.items()} if isinstance(raw_aliases, dict) else {}
    )
    opening, closing, either = listed("open"), listed("close"), listed("either")
    alternatives = sorted({*aliases, *opening, *closing, *either}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(m) for m in alternatives))
    return _Marks(opening, closing, either, aliases, pattern)


@lru_cache(maxsize=1)
def load_quote_marks() -> dict[str, _Marks]:
    """The house styles of quotation marks (lexicons/quote_marks.yaml)."""
    import yaml

    text = files("assistant.claims.lexicons").joinpath("quote_marks.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    return {str(style): _marks(entry) for style, entry in data.items()}


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Quotation regions of one paragraph (marks included); an unclosed opening quote runs to
    the paragraph end, a closing mark with no opening one is ignored. Double marks; in a
    paragraph with none, the single marks of the British style."""
    styles = load_quote_marks()
    double = styles["double"]
    regions = _regions(text, double)
    if regions or double.pattern.search(text) or "single" not in styles:
        return regions
    return _regions(text, styles["single"], single=True)


def _regions(text: str, marks: _Marks, single: bool = False) -> list[tuple[int, int]]:
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    for match in marks.pattern.finditer(text):
        i, j = match.start(), match.end()
        mark = marks.aliases.get(match.group(), match.group())
        before = text[i - 1] if i else " "
        after = text[j] if j < len(text) else " "
        if mark in marks.opening:
            if open_at is None and (not single or before.isspace() or before in _BEFORE_OPEN):
                open_at = i
        elif mark in marks.closing:
            if open_at is not None and (not single or _closes_single(text, i, j)):
                regions.append((open_at, j))
                open_at = None
        elif open_at is None:
            if (before.isspace() or before in _BEFORE_OPEN) and not after.isspace():
                open_at = i
        elif not before.isspace() or after.isspace():
            regions.append((open_at, j))
            open_at = None
    if open_at is not None and open_at < len(text) - 1:
        regions.append((open_at, len(text)))
    return regions


_BEFORE_OPEN = "([{—–-/:"


def _closes_single(text: str, i: int, j: int) -> bool:
    """A single closing mark, not an apostrophe: not inside a word ("don’t"), and not the
    plural possessive before a word ("the workers’ union")."""
    after = text[j] if j < len(text) else " "
    before = text[i - 1] if i else " "
    if before.isspace() or after.isalnum():
        return False
    if before == "s" and after == " " and text[j + 1 : j + 2].isalpha():
        return text[j + 1 : j + 2].isupper()
    return True


def only_marks(fragment: str) -> bool:
    """Nothing but quotation marks (and spaces): a mark cut off from its quotation."""
    stripped = fragment.strip()
    marks = load_quote_marks()["double"]
    return bool(stripped) and not marks.pattern.sub("", stripped).strip()


def is_direct(span: Span) -> bool:
    """A quotation, not a scare-quoted word or a title: two words or more, not all capitalised."""
    words = [t for t in span if t.is_alpha]
    if len(words) < 2:
        return False
    content = [t for t in words if not t.is_stop]
    return not (content and all(t.text[:1].isupper() for t in content))
