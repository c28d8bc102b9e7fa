"""One way for the claims tests to run the ledger over a small invented text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.claims.attribution import SentenceAttribution, attribute_article
from assistant.claims.parties import PartyRegistry

if TYPE_CHECKING:
    from spacy.language import Language


def attribute(
    nlp: Language,
    text: str,
    registry: PartyRegistry | None = None,
    title: str = "",
    continuation_model: bool | None = None,
) -> list[SentenceAttribution]:
    from ingest.sentences import parse_articles

    return attribute_article(
        next(parse_articles([text], nlp)),
        registry or PartyRegistry(),
        title=title,
        continuation_model=continuation_model,
    )
