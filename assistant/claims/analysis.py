"""Per-sentence analysis: what one sentence shows on its own (its cue, quotations, framing,
tense, topic words) before the running account is applied."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

from assistant.claims.cues import Cue, ReportingLexicon, find_cue
from assistant.claims.quote_runs import attach_quote_frames, attach_split_cues, quote_runs
from assistant.claims.quotes import QuoteRegion, is_direct, only_marks, quote_regions
from assistant.claims.words import (
    EVIDENTIAL_PASSIVES,
    EVIDENTIALS,
    FOREIGN_FUNCTION_WORDS,
    sentence_pattern,
)
from ingest.sentences import doc_ents

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from ingest.sentences import ParsedArticle, ParsedParagraph
    from ingest.types import Sentence

_FRAMING = sentence_pattern("framing")
_BOILERPLATE = sentence_pattern("boilerplate")
_WIRE_CREDIT = sentence_pattern("wire_credit")


@lru_cache(maxsize=1)
def load_discourse_patterns() -> dict[str, re.Pattern[str]]:
    """Paragraph-role patterns (lexicons/discourse_patterns.yaml)."""
    import yaml

    text = files("assistant.claims.lexicons").joinpath("discourse_patterns.yaml").read_text("utf-8")
    return {str(k): re.compile(str(v)) for k, v in (yaml.safe_load(text) or {}).items()}


def interview_turn(paragraph: str) -> str | None:
    patterns = load_discourse_patterns()
    if patterns["interview_question"].match(paragraph):
        return "question"
    if patterns["interview_answer"].match(paragraph):
        return "answer"
    return None


_LABEL = re.compile(r"([^\W\d_][\w.'\u2019-]*(?: [^\W\d_][\w.'\u2019-]*){0,3}) ?:(?:\s|$)")
_LABEL_NAMES = frozenset({"PERSON", "ORG"})


def named_labels(parsed: ParsedArticle) -> frozenset[str]:
    """Turn labels of a transcript ("REYES: ...", "Gov. Pell: ..."): a capitalised phrase and a
    colon opening a paragraph, whose last word is the surname (or last word) of a person or
    organisation the article names elsewhere. Returned lower-cased; `find_cue` reads such a label
    as the speaker even where the parser sees no entity in it (all capitals, a surname alone)."""
    surnames: set[str] = set()
    for paragraph in parsed.paragraphs:
        for ent in doc_ents(paragraph.doc):
            if ent.label_ in _LABEL_NAMES:
                surnames.add(ent[-1].lower_)
    found: set[str] = set()
    for paragraph in parsed.paragraphs:
        match = _LABEL.match(paragraph.text)
        if match is None:
            continue
        label = match.group(1)
        words = label.split()
        if all(w[0].isupper() for w in words) and words[-1].lower().strip(".") in surnames:
            found.add(label.lower())
    return frozenset(found)


@dataclass(slots=True)
class SentenceInfo:
    """What one sentence shows on its own, before the running account is applied."""

    sentence: Sentence
    span: Span | None
    paragraph: ParsedParagraph | None
    cue: Cue | None = None
    borrowed: bool = False  # cue taken from the sentence that closes the same quotation
    framing: bool = False
    boilerplate: bool = False
    fragment: bool = False
    foreign: bool = False
    quote_only: bool = False
    present: bool = False
    place_subject: bool = False
    evidential: bool = False
    ents: list[Span] = field(default_factory=list)  # the sentence's named entities
    topic: frozenset[str] = frozenset()  # content words, to tell whether it continues an account
    quote_ids: list[int] = field(default_factory=list)
    turn: str | None = None  # "question" | "answer": a paragraph of an interview
    introduces: bool = False  # the subject is described in passing: background


def analyse_sentences(
    parsed: ParsedArticle, lexicon: ReportingLexicon
) -> tuple[list[QuoteRegion], list[SentenceInfo]]:
    quotes: list[QuoteRegion] = []
    by_start: dict[int, tuple[ParsedParagraph, Span, list[bool], list[Span]]] = {}
    for paragraph in parsed.paragraphs:
        doc = paragraph.doc
        ents = list(doc_ents(doc))
        in_quote = [False] * len(doc)
        regions = quote_regions(paragraph.text)
        # token start offsets as one array (no Token objects made): a region's tokens are
        # those whose first character falls inside it
        offsets = doc.to_array("IDX").tolist() if regions else []
        for start, end in regions:
            first, stop = bisect_left(offsets, start), bisect_left(offsets, end)
            in_quote[first:stop] = [True] * (stop - first)
            span = doc.char_span(start, end, alignment_mode="expand")
            direct = span is not None and is_direct(span)
            offset = paragraph.start
            quotes.append(QuoteRegion(offset + start, offset + end, paragraph.index, direct))
        for sent in doc.sents:
            raw = sent.text
            if not raw.strip():
                continue
            start = paragraph.start + sent.start_char + (len(raw) - len(raw.lstrip()))
            by_start[start] = (paragraph, sent, in_quote, ents)

    labels = named_labels(parsed)
    infos: list[SentenceInfo] = []
    direct_quotes = [(i, q) for i, q in enumerate(quotes) if q.direct]
    q_cursor = 0
    for sentence in parsed.sentences:
        found = by_start.get(sentence.start)
        if found is None:
            infos.append(SentenceInfo(sentence, None, None, foreign=True))
            continue
        paragraph, sent, in_quote, ents = found
        info = SentenceInfo(sentence, sent, paragraph)
        # A turn marker opens a sentence ("Q: ... ? A: ..." may share a paragraph); the
        # sentences after it in its paragraph keep its turn.
        info.turn = interview_turn(sentence.text)
        previous = infos[-1] if infos else None
        if (
            info.turn is None
            and previous is not None
            and previous.sentence.paragraph == sentence.paragraph
        ):
            info.turn = previous.turn
        info.ents = [e for e in ents if e.start >= sent.start and e.end <= sent.end]
        while q_cursor < len(direct_quotes) and direct_quotes[q_cursor][1].end <= sentence.start:
            q_cursor += 1
        k = q_cursor
        while k < len(direct_quotes) and direct_quotes[k][1].start < sentence.end:
            region = direct_quotes[k][1]
            # a splitter may leave a quotation's opening mark at the end of the sentence before
            # it ("... he said. ''"): that sentence does not hold the quotation
            if not only_marks(parsed.text[region.start : sentence.end]):
                info.quote_ids.append(direct_quotes[k][0])
            k += 1
        _describe(info, sent, paragraph, in_quote, lexicon, labels)
        infos.append(info)
    attach_split_cues(infos, lexicon)
    attach_quote_frames(infos, quotes)
    borrow_quote_cues(infos, quotes, quote_runs(parsed, quotes))
    return quotes, infos


def _describe(
    info: SentenceInfo,
    sent: Span,
    paragraph: ParsedParagraph,
    in_quote: list[bool],
    lexicon: ReportingLexicon,
    labels: frozenset[str] = frozenset(),
) -> None:
    tokens = list(sent)  # one pass over spaCy's token objects, reused below
    text = sent.text
    if _looks_foreign(tokens, text):
        info.foreign = True
        return
    words = [t for t in tokens if t.is_alpha]
    outside = "".join(
        t.text_with_ws if not in_quote[t.i] else " " * len(t.text_with_ws) for t in tokens
    )
    lowered = outside.lower().replace("’", "'").replace("‘", "'")
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in tokens)
    info.quote_only = bool(words) and all(in_quote[t.i] for t in words)
    # a quoted sentence is speech however short ("Honestly?", "Not a chance."), not furniture
    quoted = info.quote_only and bool(info.quote_ids)
    info.boilerplate = bool(_BOILERPLATE.match(text.lower())) or (
        len(tokens) <= 6 and not has_verb and not quoted and bool(_WIRE_CREDIT.match(text))
    )
    # Page furniture and datelines: no verb, and short or not ended like a sentence.
    info.fragment = (
        not has_verb
        and not quoted
        and (len(words) < 4 or not text.rstrip().endswith((".", "!", "?", '"', "”")))
    )
    info.framing = bool(_FRAMING.search(lowered))
    root = sent.root
    info.present = root.tag_ in ("VBZ", "VBP") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP", "MD") for c in root.children
    )
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    info.place_subject = subject is not None and subject.ent_type_ in ("GPE", "LOC")
    # A past perfect ("had played") is reported speech shifted back, not the reporter's background.
    backshifted = any(c.dep_ == "aux" and c.lower_ == "had" for c in root.children)
    info.introduces = subject is not None and not backshifted and _introduces(subject)
    # "reportedly", or a passive hedge: "X is said to have ...", "is understood to"
    info.evidential = any(t.lower_ in EVIDENTIALS for t in words) or (
        root.lower_ in EVIDENTIAL_PASSIVES
        and any(c.dep_ == "auxpass" for c in root.children)
        and any(c.dep_ == "xcomp" for c in root.children)
    )
    info.topic = _topic_words(words)
    cue, absence = find_cue(sent, tokens, paragraph, in_quote, lexicon, labels)
    if cue is not None and cue.cue_text == ":":
        # a turn label cut off as a sentence of its own ("REYES:") is a speaker, not furniture
        info.boilerplate = info.fragment = False
    info.cue = cue
    info.framing = info.framing or absence


# Function words of other languages written in Latin letters (German, French, Spanish, Italian,

_NOT_TOPICAL = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})


def _introduces(subject: Token) -> bool:
    """The reporter introducing an actor: the subject carries a description between commas
    ("X, a mutual owned by its members, covers ...", "The plant, which employs 380 people,
    was fined ...")."""
    doc = subject.doc
    for child in subject.children:
        if child.i <= subject.i or child.dep_ not in ("appos", "relcl"):
            continue
        edge = child.left_edge.i
        if edge > 0 and doc[edge - 1].text == ",":
            return True
    return False


def _topic_words(tokens: Sequence[Token]) -> frozenset[str]:
    """Nouns and names of a sentence, lower-cased, a plural -s dropped."""
    words = set()
    for token in tokens:
        if (
            token.pos_ in ("NOUN", "PROPN")
            and token.is_alpha
            and not token.is_stop
            and (len(token.text) >= 3 and token.ent_type_ not in _NOT_TOPICAL)
        ):
            word = token.lower_
            if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
                word = word[:-1]
            words.add(word)
    return frozenset(words)


def _looks_foreign(tokens: Sequence[Token], text: str) -> bool:
    """Not English (or not prose): mostly non-Latin letters, or lower-case words with almost no
    English function words among them. Names are left out: they are not evidence either way."""
    if not text.isascii():
        letters = [ch for ch in text if ch.isalpha()]
        if len(letters) >= 4 and sum(ch.isascii() for ch in letters) < len(letters) / 2:
            return True
    lower = [t for t in tokens if t.is_alpha and t.text[0].islower()]
    if len(lower) < 4:
        return False
    english = sum(t.is_stop for t in lower)
    other = sum(t.text in FOREIGN_FUNCTION_WORDS for t in lower)
    return (len(lower) >= 6 and english < 0.12 * len(lower)) or (other >= 2 and other > english)


def _cue_after(infos: list[SentenceInfo], at: int, quote: QuoteRegion) -> SentenceInfo | None:
    """'"Is that fair?" | former adviser X asked on the radio.': the sentence that starts right
    where the quotation closed, in its paragraph, with a bare reporting verb and no quotation of
    its own, is the quotation's cue split off by the sentence splitter."""
    if at >= len(infos):
        return None
    after = infos[at]
    cue = after.cue
    if (
        cue is None
        or cue.kind != "verb"
        or cue.level > 1
        or cue.clausal
        or after.quote_ids
        or after.sentence.paragraph != quote.paragraph
        or not 0 <= after.sentence.start - quote.end <= 1
    ):
        return None
    return after


def borrow_quote_cues(
    infos: list[SentenceInfo], quotes: list[QuoteRegion], runs: list[int] | None = None
) -> None:
    """A quotation split over sentences (or, as one run, over paragraphs) takes the cue of the
    sentence that attributes it, or of the bare cue the splitter cut off right after it."""
    runs = runs if runs is not None else list(range(len(quotes)))
    holders: dict[int, list[SentenceInfo]] = {}
    direct: set[int] = set()
    last_quote: dict[int, int] = {}
    for info in infos:
        for quote_id in info.quote_ids:
            members = holders.setdefault(runs[quote_id], [])
            if not members or members[-1] is not info:
                members.append(info)
            if quotes[quote_id].direct:
                direct.add(runs[quote_id])
            last_quote[runs[quote_id]] = quote_id
    position = {id(info): i for i, info in enumerate(infos)}
    for run, members in holders.items():
        if run not in direct:
            continue
        cued = next((m for m in members if m.cue is not None and m.cue.kind == "verb"), None)
        if cued is None:
            cued = _cue_after(infos, position[id(members[-1])] + 1, quotes[last_quote[run]])
        if cued is None or len(members) < 2 and cued in members:
            continue
        for member in members:
            if member.cue is None and member.quote_only:
                member.cue = cued.cue
                member.borrowed = True
