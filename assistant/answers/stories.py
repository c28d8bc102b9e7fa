"""Questions that span stories ('which stories ...', 'in which reports ...'): the stories
retrieval found, each named by its title, outlet and day, with its best sentences on the
asked point, one per party, each cited (pure)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.answers.focus import Ranked, _has_figure, name_cover, rank_sentences
from assistant.answers.question import Question
from assistant.lexical import tokens
from assistant.types import NARRATOR, Answer, Repair, Statement
from assistant.verify.evidence import CitationBook, EvidenceSentence
from assistant.verify.verifier import Verified

MAX_STORIES = 8
PER_STORY = 4
PARTY_FLOOR = 0.3  # a party's sentence speaks to the point when it scores this share of the best
_FIGURE_WORDS = frozenset(tokens("figure figures number numbers toll tolls count counts tally"))


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
    """A story's sentences that best state the asked point: each speaking party's best one (its
    best with a figure when the question asks for figures), parties in order of their best
    sentence; a story where no party speaks to the point gives its best sentence."""
    ranked = rank_sentences(question, evidence)
    if not ranked:
        return []
    wants_figures = question.wants_number or bool(set(tokens(question.text)) & _FIGURE_WORDS)
    best = ranked[0].score
    by_party: dict[str, list[Ranked]] = {}
    for r in ranked:
        # the story is about the point already: any party's figure answers a figure question
        on_point = r.score >= PARTY_FLOOR * best or (wants_figures and _has_figure(r.sentence))
        if r.sentence.is_claim and on_point:
            by_party.setdefault(r.sentence.party, []).append(r)
    firsts: list[EvidenceSentence] = []
    seconds: list[EvidenceSentence] = []
    for own in by_party.values():
        if wants_figures:
            own = [r for r in own if _has_figure(r.sentence)] or own
        firsts.append(own[0].sentence)
        seconds += [r.sentence for r in own[1:2]]
    picks = firsts + seconds  # every party once before any party twice
    if not firsts or ranked[0].sentence.party not in by_party:
        picks.insert(0, ranked[0].sentence)
    return picks[:limit]


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
            text = _with_party(v.text, v.party)
            statements.append(Statement(text, numbers_used, v.party, v.speaker))
            lines.append(f"  {text} " + "".join(f"[{n}]" for n in numbers_used))
    return Answer(
        question, "\n".join(lines), "extractive", False, statements, book.items, repairs, timings_ms
    )


def _with_party(text: str, party: str | None) -> str:
    """A claim whose words name its party only generically ('the group said') gets the party's
    name in front, so no story's line leaves a claim without its claimant."""
    if not party or party == NARRATOR:
        return text
    own = set(tokens(text))
    if any(t in own for t in tokens(party)):
        return text
    return f"{party}: {text}"


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
    limit: int = MAX_STORIES,
) -> Answer:
    """Each story about the point (`spans.stories_about`), with its picks verified against that
    story's own sentences; a story that only shares a common word with the question stays out."""
    from assistant.answers.spans import stories_about

    pool = [sentences_of(group) for group in groups]
    pool = [evidence for evidence in pool if evidence]
    blocks: list[tuple[EvidenceSentence, Sequence[Verified]]] = []
    repairs: list[Repair] = []
    for i in stories_about(question, pool)[:limit]:
        evidence = pool[i]
        kept, fixed = verify_chosen(story_picks(question, evidence), evidence)
        repairs += fixed
        blocks.append((evidence[0], kept))
    return assemble_stories(question.text, blocks, repairs, timings_ms, refusal)
