"""Questions about the coverage itself ('which outlets reported X?', 'when was X first
reported?'), answered from article metadata with a citation to each report (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache

from assistant.answers.extractive import score_sentences
from assistant.search.retrieval import RetrievedPassage
from assistant.serialise import possessive
from assistant.types import NARRATOR
from assistant.verify.evidence import EvidenceSentence
from assistant.verify.verifier import Verified

COVERAGE_QUESTION = re.compile(
    r"\b(which|what)\s+(outlets?|media|papers?|newspapers?|news ?sites?|sources?|stations?)\b.*\b"
    r"(report|cover|carr|run|publish)|\bwho (first )?(reported|covered|broke)\b|"
    r"\bwhen was\b.*\b(first )?reported\b|\bfirst reported\b",
    re.I,
)
_COVERAGE_WORDS = re.compile(
    r"\b(which|what|outlets?|media|papers?|newspapers?|sources?|stations?|reported|report|"
    r"covered|cover|carried|first|when|was|who|broke|the news|news)\b",
    re.I,
)


def is_coverage_question(question: str) -> bool:
    return bool(COVERAGE_QUESTION.search(question))


def topic_of(question: str) -> str:
    """The question without its coverage words: what to retrieve."""
    return re.sub(r"\s+", " ", _COVERAGE_WORDS.sub(" ", question)).strip(" ?") or question


def _about_topic(question: str, evidence: Sequence[EvidenceSentence]) -> set[str]:
    """Reports whose own sentences carry the topic's names and point words (`spans`), however
    far their wording sits from the closest report's in meaning (an interview on the event)."""
    from assistant.answers.question import parse_question
    from assistant.answers.spans import key_terms, stories_about

    topic = parse_question(topic_of(question))
    if not topic.names or not key_terms(topic):
        return set()  # a topic without a name or a point word would take in every report
    by_doc: dict[str, list[EvidenceSentence]] = {}
    for s in evidence:
        by_doc.setdefault(s.doc_id, []).append(s)
    docs = list(by_doc)
    return {docs[i] for i in stories_about(topic, [by_doc[d] for d in docs], ratio=1.0)}


def _with_point_words(
    question: str, docs: set[str], evidence: Sequence[EvidenceSentence]
) -> set[str]:
    """Of the reports close in meaning, those whose sentences carry one of the topic's point
    words ('ferry' for 'which outlets reported the ferry capsizing'): a report on another
    event in the same bay is close in meaning but on another topic. All of them when the
    topic has no point word or none carries one."""
    from assistant.answers.focus import _has
    from assistant.answers.question import parse_question
    from assistant.answers.spans import key_terms
    from assistant.lexical import tokens

    terms = key_terms(parse_question(topic_of(question)))
    if not terms:
        return docs
    words: dict[str, set[str]] = {}
    for s in evidence:
        if s.doc_id in docs:
            words.setdefault(s.doc_id, set()).update(tokens(f"{s.title} {s.text}"))
    kept = {d for d in docs if any(_has(t, words.get(d, set())) for t in terms)}
    return kept or docs


def coverage_statements(
    question: str,
    hits: Sequence[RetrievedPassage],
    evidence: Sequence[EvidenceSentence],
    margin: float = 0.12,
) -> list[Verified]:
    """One statement per article on the topic, oldest first, each citing its best sentence."""
    if not hits:
        return []
    best = max(h.dense for h in hits)
    on_topic = {h.passage.doc_id for h in hits if h.dense >= best - margin}
    on_topic = _with_point_words(question, on_topic, evidence)
    on_topic |= _about_topic(question, evidence)
    for h in hits:  # syndicated copies collapsed into a kept passage count too
        if h.passage.doc_id in on_topic:
            on_topic.update(h.also_in_docs)
    ranked = score_sentences(topic_of(question), [s for s in evidence if s.doc_id in on_topic])
    best_sentence: dict[str, EvidenceSentence] = {}
    for item in ranked:
        best_sentence.setdefault(item.sentence.doc_id, item.sentence)
    reports = sorted(
        best_sentence.values(), key=lambda s: (s.published or date.max, s.outlet or "")
    )
    if not reports:
        return []
    first = reports[0]
    out = [
        Verified(
            f"It was first reported by {first.outlet or 'an unknown outlet'} on "
            f"{first.published or 'an unknown date'} (“{first.title}”).",
            [first],
            None,
            None,
        )
    ]
    for s in reports[1:]:
        out.append(
            Verified(
                f"{s.outlet or 'An unknown outlet'} reported it on "
                f"{s.published or 'an unknown date'} "
                f"(“{s.title}”).",
                [s],
                None,
                None,
            )
        )
    return out


@cache
def _copies_patterns() -> tuple[re.Pattern[str], ...]:
    from assistant.answers.question import lexicon_lines

    return tuple(re.compile(line.strip(), re.I) for line in lexicon_lines("copies_requests.txt"))


def is_copies_question(question: str) -> bool:
    """'Which articles are republished copies of another outlet's report?'"""
    return any(p.search(question) for p in _copies_patterns())


def copies_statements(
    copies: Mapping[str, str], leads: Mapping[str, EvidenceSentence]
) -> list[Verified]:
    """One statement per stored copy (copy doc_id -> the original it copies), oldest original
    first, citing the lead of the copy and of the original."""
    pairs = [(leads[c], leads[o]) for c, o in copies.items() if c in leads and o in leads]
    pairs.sort(key=lambda p: (p[1].published or date.max, p[1].outlet or "", p[0].outlet or ""))
    out = []
    for copy, original in pairs:
        out.append(
            Verified(
                f"{possessive(copy.outlet or 'An unknown outlet')} “{copy.title}” "
                f"({copy.published or 'undated'}) republishes “{original.title}”, first "
                f"published by {original.outlet or 'an unknown outlet'} on "
                f"{original.published or 'an unknown date'}.",
                [copy, original],
                None,
                None,
            )
        )
    return out


@cache
def _difference_request() -> re.Pattern[str]:
    from assistant.answers.question import any_of, lexicon_lines

    return any_of(lexicon_lines("copy_differences.txt"))


def asks_differences(question: str) -> bool:
    """A copies question asking how a copy differs from its original."""
    return bool(_difference_request().search(question))


REWORDED = 0.35  # at least this much: the same sentence, edited


def copy_differences(
    copy: Sequence[EvidenceSentence], original: Sequence[EvidenceSentence], limit: int = 4
) -> tuple[
    list[EvidenceSentence], list[EvidenceSentence], list[tuple[EvidenceSentence, EvidenceSentence]]
]:
    """What a copy adds (its sentences found nowhere in the original), what it leaves out
    (the original's found nowhere in it), and the sentences it rewords (original, copy),
    each in article order and at most `limit`."""
    from assistant.answers.extractive import strip_dateline
    from assistant.lexical import jaccard, shingles, tokens
    from assistant.verify.verifier import REPORTING

    def said(sentences: Sequence[EvidenceSentence]) -> list[EvidenceSentence]:
        return [
            s
            for s in sentences
            if len(strip_dateline(s.text).split()) >= 4
            and not re.search(r"\)\s*[-–—]\s*$", s.text)  # a dateline cut off alone
        ]

    copy, original = said(copy), said(original)
    grams = {id(s): shingles(s.text) for s in [*copy, *original]}
    words: dict[int, set[tuple[str, ...]]] = {
        id(s): {(t,) for t in tokens(s.text)} for s in [*copy, *original]
    }

    def alike(a: EvidenceSentence, b: EvidenceSentence) -> float:
        """Shingles for long sentences; words for short ones, where one edit breaks most
        shingles ('42 houses were destroyed' / '42 homes were destroyed')."""
        return max(jaccard(grams[id(a)], grams[id(b)]), jaccard(words[id(a)], words[id(b)]))

    def best(
        s: EvidenceSentence, others: Sequence[EvidenceSentence]
    ) -> tuple[float, EvidenceSentence | None]:
        scored = [(alike(s, o), o) for o in others]
        return max(scored, key=lambda t: t[0], default=(0.0, None))

    added = [s for s in copy if best(s, original)[0] < REWORDED]
    left_out = [s for s in original if best(s, copy)[0] < REWORDED]
    reworded = []
    for s in copy:
        score, match = best(s, original)
        if match is None or score < REWORDED:
            continue
        # an edit that cut the words naming the source ('..., the group said,'), or that
        # leaves the reporter saying what the original gave to a party
        cut_cue = bool(REPORTING.search(match.text)) and not REPORTING.search(s.text)
        if cut_cue or (match.party != NARRATOR and s.party == NARRATOR):
            reworded.append((match, s))
    return added[:limit], left_out[:limit], reworded[:limit]
