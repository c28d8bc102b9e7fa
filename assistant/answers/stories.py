"""Questions that span stories ('which stories ...', 'in which reports ...'): the stories
retrieval found, each named by its title, outlet and day, with its best sentences on the
asked point, one per party, each cited (pure)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from assistant.answers.focus import Ranked, _has_figure, name_cover, rank_sentences
from assistant.answers.question import Question
from assistant.answers.spans import asks_the_outlet, key_terms, outlet_speaks
from assistant.lexical import tokens
from assistant.serialise import day_text
from assistant.types import NARRATOR, Answer, Repair, Statement
from assistant.verify.evidence import CitationBook, EvidenceSentence
from assistant.verify.verifier import Verified

MAX_STORIES = 8
PER_STORY = 8
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
    if not key_terms(question):  # 'which stories involve X, and what happened': each in brief
        return story_in_brief(evidence, limit)
    if asks_the_outlet(question):  # 'did the outlet say ...': its own sentences answer
        return [s for s in evidence if outlet_speaks(s)][:limit] or [ranked[0].sentence]
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
    for party, own in by_party.items():
        if wants_figures:
            own = [r for r in own if _has_figure(r.sentence)] or own
        firsts.append(own[0].sentence)
        # its second: its best figure (a party's figure is news), in the report of its first
        # when that has one, else its next best sentence
        figures = [
            r.sentence
            for r in ranked
            if r.sentence.party == party
            and r.sentence is not own[0].sentence
            and _has_figure(r.sentence)
        ]
        figure = next(
            (f for f in figures if f.doc_id == own[0].sentence.doc_id),
            figures[0] if figures else None,
        )
        seconds += [figure] if figure else [r.sentence for r in own[1:2]]
    contest = contested_pair(evidence) if asks_for_sides(question) else []
    picks = list(dict.fromkeys(firsts + contest + seconds))  # every party once, then the rest
    if not firsts or ranked[0].sentence.party not in by_party:
        picks.insert(0, ranked[0].sentence)
    return picks[:limit]


@cache
def _dispute_words() -> frozenset[str]:
    text = files("assistant.answers.lexicons").joinpath("dispute_words.txt").read_text("utf-8")
    return frozenset(
        t for line in text.splitlines() if not line.startswith("#") for t in tokens(line)
    )


def asks_for_sides(question: Question) -> bool:
    """'What does each side say', 'a disputed count': the question wants both sides."""
    return bool(set(tokens(question.text)) & _dispute_words())


def contested_pair(
    evidence: Sequence[EvidenceSentence], rare_df: int = 3, shared: int = 2
) -> list[EvidenceSentence]:
    """The two sentences of different parties that share the most rare words of the story (at
    least `shared` words found in at most `rare_df` of its sentences): one party's claim and the
    other's answer to it ('the seal numbers did not match' / 'the seal numbers differed because
    of a clerical error'); none when no pair shares that much."""
    toks = [set(tokens(s.text)) for s in evidence]
    n = len(evidence) or 1
    df: dict[str, int] = {}
    for t in toks:
        for w in t:
            df[w] = df.get(w, 0) + 1
    claims = [(s, t) for s, t in zip(evidence, toks, strict=True) if s.is_claim]
    best: tuple[float, list[EvidenceSentence]] = (0.0, [])
    for i, (a, ta) in enumerate(claims):
        for b, tb in claims[i + 1 :]:
            rare = [w for w in ta & tb if df[w] <= rare_df and not w[0].isdigit()]
            if a.party == b.party or len(rare) < shared:
                continue
            weight = sum(math.log(1 + n / df[w]) for w in rare)
            if weight > best[0]:
                best = (weight, [a, b])
    return best[1]


def story_in_brief(
    evidence: Sequence[EvidenceSentence], limit: int = PER_STORY
) -> list[EvidenceSentence]:
    """A story told in brief: its lead, then each other party's first claim, in the order the
    report gives them (a report puts its main points first)."""
    body = [s for s in evidence if len(s.text.split()) >= 6]
    if not body:
        return list(evidence[:1])
    lead = body[0]
    picks = [lead]
    seen = {lead.party}
    for s in body[1:]:
        if s.is_claim and s.party not in seen:
            seen.add(s.party)
            picks.append(s)
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
        meta = ", ".join(x for x in (head.outlet, day_text(head.published)) if x)
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
