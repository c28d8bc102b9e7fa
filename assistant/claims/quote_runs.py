"""Quotations over several sentences and paragraphs, and the cue that attributes them.

Two news conventions the per-sentence cue misses:

- a cue split off its quotation: the quotation ends with "?" or "!" and the sentence splitter
  leaves the speaker on its own ('"Is it over?" the driver asked.' read as two sentences). That
  bare cue - a subject and a reporting verb with no content of its own - attributes the
  quotation that closes just before it in its paragraph.
- a quotation over paragraphs: a paragraph whose quotation has no closing mark goes on in the next
  paragraph when that one opens with a mark; the run is one quotation, attributed by the cue of
  any of its sentences (often after the quotation, in its last paragraph).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.claims.cues import Cue
from assistant.claims.speakers import generic_word, speaker_tokens
from assistant.claims.words import (
    COMMENTATORS,
    FIRST_PERSON_PRONOUNS,
    GENERIC_SOURCES,
    GROUP_PRONOUNS,
    PERSON_PRONOUNS,
    ROLE_WORDS,
    SPOKES_ROLES,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

    from assistant.claims.analysis import SentenceInfo
    from assistant.claims.cues import ReportingLexicon
    from assistant.claims.quotes import QuoteRegion
    from ingest.sentences import ParsedArticle

_CLOSING = re.compile(r"(''|[\"”»’'])\W*$")
# dependents that give a reporting verb content of its own: then it is not a bare cue
_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "csubj", "parataxis", "oprd", "attr", "acomp"})
_BARE_LENGTH = 14  # tokens: a bare cue is short ("X said on Monday, referring to Y.")


def bare_cue(info: SentenceInfo, lexicon: ReportingLexicon, own_cue: bool = False) -> Cue | None:
    """The cue of a sentence that is only a speaker and a reporting verb ("the driver asked.",
    "she said, smiling."), or None. With `own_cue`, also when the sentence has found that cue
    itself (a verb after a split quotation counts as governing it)."""
    sent = info.span
    if sent is None or info.paragraph is None or info.quote_ids:
        return None
    verb = info.cue.verb if info.cue is not None else None
    if info.cue is not None and not (own_cue and verb is not None and verb.i == sent.root.i):
        return None
    # a lower-case start: the splitter cut one sentence after the quotation's "?" or "!", so
    # this is the quotation's own frame, whatever its verb and length
    first = next((t for t in sent if t.is_alpha), None)
    cut = first is not None and first.text[0].islower()
    if len(sent) > _BARE_LENGTH and not cut:
        return None
    root = sent.root
    if root.pos_ != "VERB" or not (cut or root.lower_ in lexicon.verbs):
        return None
    if any(c.dep_ in _CONTENT_DEPS or c.dep_ == "neg" for c in root.children):
        return None  # "The board did not say.": no one gave the quotation
    if any(c.dep_ == "dobj" and not _addressee(c) for c in root.children):
        return None
    subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ not in ("PROPN", "PRON", "NOUN"):
        return None
    if subject.lower_ in _NOT_SPEAKERS or (cut and subject.i > root.i + 2):
        return None
    return Cue("verb", 0, root.text, subject, speaker_tokens(subject), info.paragraph)


def _addressee(token: Token) -> bool:
    """ "told reporters", "told him": the object is who was told, not what."""
    return token.pos_ in ("PRON", "PROPN") or token.tag_ == "NNS"


def attach_split_cues(infos: list[SentenceInfo], lexicon: ReportingLexicon) -> None:
    """A bare cue right after a sentence that closes a quotation, in the same paragraph, is the
    cue of that quotation: its sentences with no cue of their own borrow it, and so does the bare
    cue's own sentence."""
    for position in range(1, len(infos)):
        info = infos[position]
        previous = infos[position - 1]
        if previous.sentence.paragraph != info.sentence.paragraph or not previous.quote_ids:
            continue
        if not _CLOSING.search(previous.sentence.text.rstrip()):
            continue
        cue = bare_cue(info, lexicon, own_cue=True)
        if cue is None:
            continue
        if info.cue is None:
            info.cue = cue
        quote_id = previous.quote_ids[-1]
        for earlier in range(position - 1, -1, -1):
            member = infos[earlier]
            if quote_id not in member.quote_ids or member.sentence.paragraph != cue.paragraph.index:
                break
            if member.cue is None and member.quote_only:
                member.cue = cue
                member.borrowed = True


def quote_runs(parsed: ParsedArticle, quotes: list[QuoteRegion]) -> list[int]:
    """The run of each quotation region: a region that runs unclosed to its paragraph's end and
    the region opening the next paragraph share one run (news convention: the closing mark is left
    off a paragraph the quotation goes on after)."""
    ends = {p.index: p.start + len(p.text.rstrip()) for p in parsed.paragraphs}
    starts = {p.index: p.start + len(p.text) - len(p.text.lstrip()) for p in parsed.paragraphs}
    runs: list[int] = []
    for i, region in enumerate(quotes):
        run = i
        if i > 0:
            before = quotes[i - 1]
            text = parsed.text
            unclosed = before.end >= ends.get(before.paragraph, -1) and not _CLOSING.search(
                text[before.start + 1 : before.end]
            )
            if (
                unclosed
                and region.paragraph == before.paragraph + 1
                and region.start == starts.get(region.paragraph)
            ):
                run = runs[i - 1]
        runs.append(run)
    return runs


# -- a quotation framed by a speaker and a verb ---------------------------------------------
_FRAME_PUNCT = (",", ":")
_NOT_SPEAKERS = frozenset({"this", "that", "there", "what", "which", "who"})
_AFTER_LENGTH = 10  # tokens after a closing quotation: "..., he went on, smiling."


def attach_quote_frames(infos: list[SentenceInfo], quotes: list[QuoteRegion]) -> None:
    """A quotation set off by a comma or a colon from a clause of its own - 'X went on, "..."',
    'X summed up the mood: "..."', '"...," X went on.' - is that clause's subject's, whatever the
    verb: the frame, not the verb, says it is quoted speech. Only for sentences with no cue."""
    for info in infos:
        if info.cue is not None or not info.quote_ids or info.quote_only:
            continue
        sent, paragraph = info.span, info.paragraph
        if sent is None or paragraph is None:
            continue
        regions = [quotes[q] for q in info.quote_ids]
        base = paragraph.start

        def quoted(token: Token, regions: list[QuoteRegion] = regions, base: int = base) -> bool:
            at = base + token.idx
            return any(r.start <= at < r.end for r in regions)

        tokens = list(sent)
        verb = _frame_before(tokens, quoted) or _frame_after(tokens, quoted)
        if verb is None:
            continue
        subject = next(c for c in verb.children if c.dep_ == "nsubj")
        info.cue = Cue("verb", 0, verb.text, subject, speaker_tokens(subject), paragraph)


def _frame_verb(verb: Token, quoted: Callable[[Token], bool], strict: bool) -> bool:
    """A verb of the frame: its subject outside the quotation, and (`strict`, for a comma
    before the quotation, the weakest frame) one that can speak."""
    if verb.pos_ != "VERB" or quoted(verb):
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return (
        subject is not None
        and not quoted(subject)
        and subject.lower_ not in _NOT_SPEAKERS
        and (_can_speak(subject) if strict else subject.pos_ in ("PROPN", "PRON", "NOUN"))
        and not any(c.dep_ == "neg" for c in verb.children)
    )


def _can_speak(subject: Token) -> bool:
    """A name, a person's pronoun or a word for a person or a body: "the old plant closed in
    May, "..."" frames a reporter's phrase, not a quotation."""
    lowered = subject.lower_
    if subject.pos_ == "PROPN" or subject.ent_type_ in ("PERSON", "ORG", "NORP"):
        return True
    if subject.pos_ == "PRON":
        return lowered in PERSON_PRONOUNS | GROUP_PRONOUNS | FIRST_PERSON_PRONOUNS
    return subject.pos_ == "NOUN" and (
        generic_word(subject) is not None
        or lowered in ROLE_WORDS | SPOKES_ROLES | COMMENTATORS | GENERIC_SOURCES
    )


def _frame_before(tokens: list[Token], quoted: Callable[[Token], bool]) -> Token | None:
    """'X went on, "...': the clause before the first quotation ends in a comma or a colon."""
    first = next((k for k, t in enumerate(tokens) if quoted(t)), None)
    if first is None or first < 3 or tokens[first - 1].text not in _FRAME_PUNCT:
        return None
    clause = tokens[: first - 1]
    if any(quoted(t) for t in clause):
        return None
    # the verb whose clause runs up to the punctuation ("X called them on it:")
    last = max(t.i for t in clause if not t.is_punct)
    strict = tokens[first - 1].text == ","  # a colon introduces; a comma may only append
    return next(
        (t for t in clause if _frame_verb(t, quoted, strict) and t.right_edge.i >= last),
        None,
    )


def _frame_after(tokens: list[Token], quoted: Callable[[Token], bool]) -> Token | None:
    """'"...," X went on.': a short clause after the last quotation, set off by a comma inside
    or just after the closing mark."""
    last = max((k for k, t in enumerate(tokens) if quoted(t)), default=None)
    if last is None or last < 2:
        return None
    rest = [t for t in tokens[last + 1 :] if not (t.is_punct and t.text != ",")]
    closing = [t.text for t in tokens[max(0, last - 1) : last + 2]]
    if "," not in closing or not rest or len(rest) > _AFTER_LENGTH:
        return None
    if any(quoted(t) for t in tokens[last + 1 :]):
        return None
    return next((t for t in rest if _frame_verb(t, quoted, strict=False)), None)
