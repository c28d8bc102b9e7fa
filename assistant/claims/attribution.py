"""The claims ledger: who says each sentence of an article.

`attribute_article` gives every sentence the party whose account it reports, or `NARRATOR` for the
reporter's own voice, with the cue that shows it:

- explicit: the sentence names its source. A reporting verb with a clause, a quote or (for verbs
  such as "denied", "termed", "accused") an object, whose subject is the source ("X said ...",
  "..., X reported", "X claimed to have ...", "X described how ..."); "according to X"; a statement
  as subject ("The statement also honoured ..."); "In a statement, X ...". Pronouns and generic
  phrases ("it", "the group", "the spokesperson", "the military") resolve to the last compatible
  source; "spokesperson Y" with no organisation named speaks for the organisation last heard.
- continuation: no cue, but the sentence goes on with the running account: later sentences of the
  source's paragraph, and following paragraphs while no new source or reporter framing intervenes.
  A floating quote continues the last quoted speaker.
- none: the reporter's voice: framing ("against a backdrop of", "could not be independently
  verified", "did not say how many"), background in the present tense after the account's
  paragraph, wire credits and page furniture, and uncued sentences next to another source's cue.

A source the text leaves unnamed ("officials said") keeps its speaker span and cue but gets
`NARRATOR` as party, with low confidence: there is no party to hand the claim to. Cue words inside
quotation marks are not cues. Rules are about how news is written; nothing here names an
article's parties. Runs in one pass over the parse (no re-parsing, no article-wide rescans).

The work is split by concern: `cues` (reporting lexicon, the cue of a sentence), `quotes`
(quotation regions), `speakers` (speaker phrases and names), `analysis` (what one sentence shows
on its own), `discourse` (the running account); word classes are data (`words`, `lexicons/`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.claims.analysis import analyse_sentences
from assistant.claims.cues import ReportingLexicon, load_reporting_lexicon
from assistant.claims.discourse import Ledger
from assistant.claims.records import (
    CONTINUATION,
    EXPLICIT,
    NO_CUE,
    Quote,
    SentenceAttribution,
)
from assistant.types import NARRATOR

if TYPE_CHECKING:
    from assistant.claims.parties import PartyRegistry
    from ingest.sentences import ParsedArticle

__all__ = [
    "CONTINUATION",
    "EXPLICIT",
    "NARRATOR",
    "NO_CUE",
    "Quote",
    "ReportingLexicon",
    "SentenceAttribution",
    "attribute_article",
    "load_reporting_lexicon",
]


def attribute_article(
    parsed: ParsedArticle,
    registry: PartyRegistry,
    title: str = "",
    lexicon: ReportingLexicon | None = None,
    continuation_model: bool | None = None,
) -> list[SentenceAttribution]:
    """One `SentenceAttribution` per sentence of `parsed.sentences`, same order and offsets.

    Pure apart from `registry`, which learns the parties and aliases the article teaches (its
    organisations, acronyms, military and press-wing names, and new speakers): deterministic for
    a given registry state, and attributing an article twice gives the same records.
    `continuation_model` re-decides the cue-less sentences with the statistical layer (default:
    `assistant.claims.model.continuation.ENABLED_BY_DEFAULT`).
    """
    if not parsed.sentences:
        return []
    lexicon = lexicon or load_reporting_lexicon()
    article_parties = registry.learn_article(parsed, title)
    try:
        quotes, infos = analyse_sentences(parsed, lexicon)
        records = Ledger(parsed, registry, article_parties, quotes, title).attribute(infos)
    finally:
        registry.end_article()  # the article's own reading of short names ends with it
    from assistant.claims.model import continuation as layer

    if layer.ENABLED_BY_DEFAULT if continuation_model is None else continuation_model:
        records = layer.refine_records(parsed, records)
    return records
