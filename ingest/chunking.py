"""Sentences -> passages of a few sentences with overlap, offsets kept (pure)."""

from __future__ import annotations

import hashlib

from ingest.types import Passage, Sentence


def passage_id(doc_id: str, start: int, end: int) -> str:
    """Stable id: the same article span always gets the same id."""
    return hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:24]


def chunk_article(
    doc_id: str, text: str, sentences: list[Sentence], size: int = 4, overlap: int = 1
) -> list[Passage]:
    """Group consecutive sentences into passages; `text[p.start:p.end] == p.text` always."""
    if size < 1 or not 0 <= overlap < size:
        raise ValueError(f"need size >= 1 and 0 <= overlap < size, got {size=} {overlap=}")
    passages: list[Passage] = []
    step = size - overlap
    first = 0
    while first < len(sentences):
        group = sentences[first : first + size]
        start, end = group[0].start, group[-1].end
        passages.append(
            Passage(
                id=passage_id(doc_id, start, end),
                doc_id=doc_id,
                index=len(passages),
                start=start,
                end=end,
                text=text[start:end],
                first_sentence=group[0].index,
                last_sentence=group[-1].index,
            )
        )
        if first + size >= len(sentences):
            break
        first += step
    return passages
