"""Questions that span stories ('which stories ...', 'in which reports ...'): the stories
retrieval found, each named by its title, outlet and day, with its best sentences on the
asked point, one per party, each cited (pure)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.answers.focus import name_cover, rank_sentences, select
from assistant.answers.question import Question
from assistant.lexical import tokens
from assistant.types import Answer, Repair, Statement
from assistant.verify.evidence import CitationBook, EvidenceSentence
from assistant.verify.verifier import Verified

MAX_STORIES = 6
PER_STORY = 3
# a story joins when its best sentence scores this share of the best story's best sentence
STORY_RATIO = 0.7  # calibrated on the eval set's multi-story questions (0.0 and 0.85 score lower)


@dataclass(frozen=True, slots=True)
class StoryHit:
    """One article found for the question: its retrieval score and its syndicated copies."""

    doc_id: str
    score: float
    copies: tuple[str, ...] = ()


def group_stories(
    question: Question,
    hits: Sequence[StoryHit],
    texts: Mapping[str, str],
    floor: float = 0.25,
    limit: int = MAX_STORIES,
) -> list[list[str]]:
    """The stories the question spans, best first: articles whose summed retrieval score is at
    least `floor` of the best, holding the question's names when it uses any; a syndicated
    copy joins its original's story instead of making another."""
    scores: dict[str, float] = {}
    copies: dict[str, list[str]] = {}
    for h in hits:
        scores[h.doc_id] = scores.get(h.doc_id, 0.0) + h.score
        copies.setdefault(h.doc_id, []).extend(h.copies)
    if not scores:
        return []
    best = max(scores.values())
    groups: list[list[str]] = []
    seen: set[str] = set()
    for doc_id in sorted(scores, key=lambda d: (-scores[d], d)):
        if doc_id in seen or scores[doc_id] < floor * best:
            continue
        if question.names and not name_cover(question.names, set(tokens(texts.get(doc_id, "")))):
            continue
        group = [doc_id, *(c for c in dict.fromkeys(copies[doc_id]) if c not in seen)]
        seen.update(group)
        groups.append(group)
        if len(groups) >= limit:
            break
    return groups


def story_picks(
    question: Question, evidence: Sequence[EvidenceSentence], limit: int = PER_STORY
) -> list[EvidenceSentence]:
    """A story's sentences that best state the asked point, one per party where they differ."""
    ranked = rank_sentences(question, evidence)
    if not ranked:
        return []
    return select(question, ranked, None, limit=limit) or [ranked[0].sentence]


def assemble_stories(
    question: str,
    stories: Sequence[tuple[EvidenceSentence, Sequence[Verified]]],
    repairs: list[Repair],
    timings_ms: dict[str, float],
    refusal: str,
) -> Answer:
    """One block per story: 'Title (Outlet, day):' then its cited, attributed sentences."""
    stories = [(head, kept) for head, kept in stories if kept]
    if not stories:
        return Answer(question, refusal, "extractive", True, repairs=repairs, timings_ms=timings_ms)
    book = CitationBook()
    statements: list[Statement] = []
    lines = [f"{len(stories)} stories in the sources speak to this:"]
    for head, kept in stories:
        meta = ", ".join(x for x in (head.outlet, head.published) if x)
        lines.append(f"- {head.title}" + (f" ({meta})" if meta else "") + ":")
        for v in kept:
            numbers_used = [book.cite(s) for s in v.sources]
            statements.append(Statement(v.text, numbers_used, v.party, v.speaker))
            lines.append(f"  {v.text} " + "".join(f"[{n}]" for n in numbers_used))
    return Answer(
        question, "\n".join(lines), "extractive", False, statements, book.items, repairs, timings_ms
    )


def answer_across_stories(
    question: Question,
    groups: Sequence[Sequence[str]],
    sentences_of: Callable[[Sequence[str]], list[EvidenceSentence]],
    verify_chosen: Callable[
        [Sequence[EvidenceSentence], Sequence[EvidenceSentence]],
        tuple[list[Verified], list[Repair]],
    ],
    timings_ms: dict[str, float],
    refusal: str,
    ratio: float = STORY_RATIO,
) -> Answer:
    """Each story's picks, verified against that story's own sentences; a story whose best
    sentence states much less of the asked point than the best story's does is left out."""
    found = []
    for group in groups:
        evidence = sentences_of(group)
        ranked = rank_sentences(question, evidence)
        if ranked:
            found.append((evidence, ranked[0].score))
    best = max((score for _, score in found), default=0.0)
    blocks: list[tuple[EvidenceSentence, Sequence[Verified]]] = []
    repairs: list[Repair] = []
    for evidence, score in found:
        if score < ratio * best:
            continue
        kept, fixed = verify_chosen(story_picks(question, evidence), evidence)
        repairs += fixed
        blocks.append((evidence[0], kept))
    return assemble_stories(question.text, blocks, repairs, timings_ms, refusal)
