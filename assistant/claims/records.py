"""The ledger's records: who says one sentence, and the direct quotations in it."""

from __future__ import annotations

from dataclasses import dataclass

EXPLICIT = "explicit"
CONTINUATION = "continuation"
NO_CUE = "none"


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation; offsets into the article text, marks included."""

    start: int
    end: int
    text: str
    speaker: str | None
    party: str | None


@dataclass(frozen=True, slots=True)
class SentenceAttribution:
    """Who says one sentence: `text == article[start:end]`; speaker offsets into the article."""

    sentence_index: int
    start: int
    end: int
    text: str
    paragraph: int
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    party: str  # canonical party name, or NARRATOR
    cue: str  # "explicit" | "continuation" | "none"
    cue_text: str | None
    confidence: float
    quotes: tuple[Quote, ...]
