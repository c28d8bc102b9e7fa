"""Quotation regions: double-quoted stretches of a paragraph, and which of them are quotations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span

# Double quotation marks; two apostrophes or backticks stand for one in converted text.
_QUOTE_CHARS = re.compile(r"''|``|[\"“”«»„]")


@dataclass(frozen=True, slots=True)
class QuoteRegion:
    start: int  # article offsets, marks included
    end: int
    paragraph: int
    direct: bool


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Double-quotation regions of one paragraph (marks included); an unclosed opening quote
    runs to the paragraph end, a closing mark with no opening one is ignored."""
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    for match in _QUOTE_CHARS.finditer(text):
        i, mark, j = match.start(), match.group(), match.end()
        mark = {"''": '"', "``": "“"}.get(mark, mark)
        before = text[i - 1] if i else " "
        after = text[j] if j < len(text) else " "
        if mark in "“«„":
            if open_at is None:
                open_at = i
        elif mark in "”»":
            if open_at is not None:
                regions.append((open_at, j))
                open_at = None
        elif open_at is None:
            if (before.isspace() or before in "([{—–-/:") and not after.isspace():
                open_at = i
        elif not before.isspace() or after.isspace():
            regions.append((open_at, j))
            open_at = None
    if open_at is not None and open_at < len(text) - 1:
        regions.append((open_at, len(text)))
    return regions


def is_direct(span: Span) -> bool:
    """A quotation, not a scare-quoted word or a title: two words or more, not all capitalised."""
    words = [t for t in span if t.is_alpha]
    if len(words) < 2:
        return False
    content = [t for t in words if not t.is_stop]
    return not (content and all(t.text[:1].isupper() for t in content))
