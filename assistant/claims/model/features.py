"""Features of a cue-less sentence for the continuation model: parse and discourse facts only.

For every ledger record without an explicit cue, the candidate party is the one the rules
continued (cue "continuation"), else the party of the nearest earlier attributed sentence. The
features describe the sentence (tense, modals, pronouns, quotation, numbers), its place
(paragraph position, distance to the candidate's last explicit cue) and its neighbours (who the
previous and next sentences belong to). No feature looks at a content word of an article; the
closed-class word lists are data (`closed_class.yaml`). Pure: values in, values out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

from assistant.types import NARRATOR

if TYPE_CHECKING:
    from spacy.tokens import Span

    from assistant.claims.records import SentenceAttribution
    from ingest.sentences import ParsedArticle, ParsedParagraph

EXPLICIT = "explicit"
CONTINUATION = "continuation"
# How far back (in paragraphs) an earlier party may still be the candidate.
MAX_PARAGRAPHS_BACK = 3
# Parties considered per sentence. Two (the rules' party and the one heard before it) lost to one
# on the eval set (continuation 0.68 against 0.74), so the layer only decides continue-or-narrator.
MAX_CANDIDATES = 1

FEATURE_NAMES: tuple[str, ...] = (
    "rule_choice",
    "rule_confidence",
    "log_sentences_since_cue",
    "paragraphs_since_cue",
    "same_paragraph_as_cue",
    "candidate_has_cue",
    "previous_is_candidate",
    "previous_explicit_candidate",
    "previous_narrator",
    "previous_explicit_other",
    "next_is_candidate",
    "next_explicit_candidate",
    "next_explicit_other",
    "next_narrator",
    "paragraph_first",
    "paragraph_last",
    "first_paragraph",
    "paragraph_share_candidate",
    "inside_open_quote",
    "has_quote_marks",
    "starts_with_quote",
    "first_person",
    "second_person",
    "modal",
    "root_past",
    "root_present",
    "past_perfect",
    "source_pronoun_subject",
    "names_candidate",
    "names_other_entity",
    "has_number",
    "has_date",
    "starts_with_marker",
    "hedge",
    "log_tokens",
    "question",
    "adjective_share",
    "subject_is_candidate",
    "subject_names_other",
    "present_new_paragraph",
    "previous_has_quote",
    "adverb_share",
    "next_speaker_in_paragraph",
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A cue-less record, the party it may continue, and its feature vector (FEATURE_NAMES)."""

    position: int  # index into the records
    party: str
    source: int | None  # position of the candidate's last explicit record, if any
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class ClosedClass:
    first_person: frozenset[str]
    second_person: frozenset[str]
    markers: tuple[tuple[str, ...], ...]  # each marker as lower-case words
    source_pronouns: frozenset[str]
    hedges: frozenset[str]


@lru_cache(maxsize=1)
def load_closed_class() -> ClosedClass:
    import yaml

    raw = yaml.safe_load(
        files("assistant.claims.model").joinpath("closed_class.yaml").read_text(encoding="utf-8")
    )

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in raw.get(key, []))

    markers = tuple(
        sorted(
            (tuple(str(m).lower().split()) for m in raw.get("discourse_markers", [])),
            key=len,
            reverse=True,
        )
    )
    return ClosedClass(
        words("first_person"),
        words("second_person"),
        markers,
        words("source_pronouns"),
        words("hedges"),
    )


def sentence_spans(parsed: ParsedArticle) -> dict[int, Span]:
    """The spaCy span of each sentence, keyed by its article start offset."""
    spans: dict[int, Span] = {}
    for paragraph in parsed.paragraphs:
        for sent in paragraph.doc.sents:
            raw = sent.text
            if not raw.strip():
                continue
            start = paragraph.start + sent.start_char + (len(raw) - len(raw.lstrip()))
            spans[start] = sent
    return spans


def _quote_open_before(text: str, offset: int) -> bool:
    """Whether a double quotation is open at `offset` of a paragraph's text."""
    open_ = False
    for char in text[:offset]:
        if char in "“«„":
            open_ = True
        elif char in "”»":
            open_ = False
        elif char == '"':
            open_ = not open_
    return open_


def _name_words(party: str) -> frozenset[str]:
    return frozenset(
        w.lower() for w in party.replace("'s", "").split() if len(w) > 2 and w[0].isupper()
    )


def candidates(parsed: ParsedArticle, records: Sequence[SentenceAttribution]) -> list[Candidate]:
    """Candidates of every record without an explicit cue: the party the rules continued, then
    the parties heard most recently (within MAX_PARAGRAPHS_BACK), at most MAX_CANDIDATES."""
    closed = load_closed_class()
    spans = sentence_spans(parsed)
    paragraph_docs = {p.index: p for p in parsed.paragraphs}
    by_paragraph: dict[int, list[SentenceAttribution]] = {}
    for record in records:
        by_paragraph.setdefault(record.paragraph, []).append(record)
    found: list[Candidate] = []
    recent: list[tuple[str, int]] = []  # (party, position of its latest record), latest first
    last_cue: dict[str, int] = {}  # party -> position of its latest explicit record
    for position, record in enumerate(records):
        span = spans.get(record.start)
        if record.cue != EXPLICIT and span is not None:
            parties: list[str] = []
            if record.cue == CONTINUATION and record.party != NARRATOR:
                parties.append(record.party)
            for party, at in recent:
                if record.paragraph - records[at].paragraph > MAX_PARAGRAPHS_BACK:
                    break
                if party not in parties:
                    parties.append(party)
            speaker = _next_speaker(records, position)
            for party in parties[:MAX_CANDIDATES]:
                source = last_cue.get(party)
                values = _features(
                    parsed,
                    records,
                    position,
                    party,
                    source,
                    span,
                    paragraph_docs,
                    by_paragraph,
                    closed,
                ) + (float(party == speaker),)
                found.append(Candidate(position, party, source, values))
        if record.party != NARRATOR:
            recent = [(record.party, position)] + [r for r in recent if r[0] != record.party]
            if record.cue == EXPLICIT:
                last_cue[record.party] = position
    return found


def _next_speaker(records: Sequence[SentenceAttribution], position: int) -> str | None:
    """The party of the next explicit cue in the same paragraph, if any."""
    paragraph = records[position].paragraph
    for record in records[position + 1 :]:
        if record.paragraph != paragraph:
            return None
        if record.cue == EXPLICIT and record.party != NARRATOR:
            return record.party
    return None


def _features(
    parsed: ParsedArticle,
    records: Sequence[SentenceAttribution],
    position: int,
    party: str,
    source: int | None,
    span: Span,
    paragraph_docs: dict[int, ParsedParagraph],
    by_paragraph: dict[int, list[SentenceAttribution]],
    closed: ClosedClass,
) -> tuple[float, ...]:
    record = records[position]
    previous = records[position - 1] if position > 0 else None
    following = records[position + 1] if position + 1 < len(records) else None
    same_paragraph = by_paragraph[record.paragraph]
    if source is not None:
        anchor = records[source]
        since = position - source
        paragraphs_since = min(3, record.paragraph - anchor.paragraph)
    else:
        since = 10
        paragraphs_since = 3

    def is_explicit(r: SentenceAttribution | None, own: bool) -> bool:
        return (
            r is not None
            and r.cue == EXPLICIT
            and r.party != NARRATOR
            and ((r.party == party) == own)
        )

    paragraph = paragraph_docs.get(record.paragraph)
    paragraph_start = paragraph.start if paragraph is not None else record.start
    paragraph_text = parsed.text[paragraph_start : record.start]
    tokens = [t for t in span if not t.is_space]
    lowered = [t.lower_ for t in tokens]
    words = [t for t in tokens if t.is_alpha]
    root = span.root
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
    candidate_words = _name_words(party)
    entity_words = {
        w.lower()
        for e in span.ents
        if e.label_ in ("PERSON", "ORG", "NORP", "GPE")
        for w in e.text.split()
    }
    names_candidate = bool(candidate_words & entity_words) or bool(
        candidate_words and candidate_words <= {t.lower_ for t in tokens}
    )
    other = any(
        e.label_ in ("PERSON", "ORG")
        and not ({w.lower() for w in e.text.split()} & candidate_words)
        for e in span.ents
    )
    marker = any(tuple(lowered[: len(m)]) == m for m in closed.markers)
    past_perfect = any(t.lower_ == "had" and t.dep_ in ("aux", "auxpass") for t in tokens)
    subject_words = {w.lower_ for s in subjects for w in s.subtree}
    subject_is_candidate = bool(candidate_words and candidate_words & subject_words) or any(
        s.lower_ in closed.source_pronouns for s in subjects
    )
    subject_names_other = any(
        w.pos_ == "PROPN" and w.lower_ not in candidate_words for s in subjects for w in s.subtree
    )
    paragraph_first = previous is None or previous.paragraph != record.paragraph
    text = record.text
    share = sum(r.party == party for r in same_paragraph) / max(1, len(same_paragraph))
    return (
        float(record.cue == CONTINUATION and record.party == party),
        record.confidence,
        math.log1p(since),
        float(paragraphs_since),
        float(source is not None and records[source].paragraph == record.paragraph),
        float(source is not None),
        float(previous is not None and previous.party == party),
        float(is_explicit(previous, True)),
        float(previous is None or previous.party == NARRATOR),
        float(is_explicit(previous, False)),
        float(following is not None and following.party == party),
        float(is_explicit(following, True)),
        float(is_explicit(following, False)),
        float(following is None or following.party == NARRATOR),
        float(previous is None or previous.paragraph != record.paragraph),
        float(following is None or following.paragraph != record.paragraph),
        float(record.paragraph == 0),
        share,
        float(_quote_open_before(paragraph_text, len(paragraph_text))),
        float(any(c in text for c in '"“”«»')),
        float(text[:1] in '"“«'),
        float(any(w in closed.first_person for w in lowered)),
        float(any(w in closed.second_person for w in lowered)),
        float(any(t.tag_ == "MD" for t in tokens)),
        float(
            root.tag_ == "VBD"
            or any(c.tag_ == "VBD" and c.dep_ in ("aux", "auxpass") for c in root.children)
        ),
        float(
            root.tag_ in ("VBZ", "VBP")
            or any(c.tag_ in ("VBZ", "VBP") and c.dep_ in ("aux", "auxpass") for c in root.children)
        ),
        float(past_perfect),
        float(any(s.lower_ in closed.source_pronouns for s in subjects)),
        float(names_candidate),
        float(other),
        float(
            any(
                t.like_num or t.ent_type_ in ("CARDINAL", "PERCENT", "MONEY", "QUANTITY")
                for t in tokens
            )
        ),
        float(any(t.ent_type_ in ("DATE", "TIME") for t in tokens)),
        float(marker),
        float(any(w in closed.hedges for w in lowered)),
        math.log1p(len(tokens)),
        float(text.rstrip().endswith("?")),
        sum(t.pos_ == "ADJ" for t in words) / max(1, len(words)),
        float(subject_is_candidate),
        float(subject_names_other and not subject_is_candidate),
        float(paragraph_first and root.tag_ in ("VBZ", "VBP")),
        float(previous is not None and any(c in previous.text for c in '"“”«»')),
        sum(t.pos_ == "ADV" for t in words) / max(1, len(words)),
    )
