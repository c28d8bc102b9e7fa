"""Question -> route (briefing, coverage, answer) and the extractive question path: retrieve,
focus on one story, rank its ledger sentences for the asked point and speaker, answer or say
what the sources do not give."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Literal

from assistant.answers.dates import find_period
from assistant.answers.focus import (
    Asked,
    DocScore,
    Ranked,
    answerable,
    asked_parties,
    choose_story,
    name_cover,
    overview,
    rank_sentences,
    replies,
    rival_figures,
    select,
    self_sources,
    speaker_names,
    what_came_of_it,
    who,
    with_account_next,
    with_openings,
)
from assistant.answers.question import Question, lexicon_lines, parse_question
from assistant.answers.spans import day_names_event, spans_stories
from assistant.lexical import names_in, tokens
from assistant.serialise import possessive
from assistant.types import Answer, Repair
from assistant.verify.evidence import EvidenceSentence

if TYPE_CHECKING:
    from assistant.search.retrieval import Filters, RetrievedPassage, Retriever
    from assistant.verify.verifier import Verified
    from ingest.database import ArticleDB, StoredArticle

REFUSAL = "The stored sources do not answer this question."
# Calibrated on benchmarks/data/retrieval_questions.jsonl (benchmarks/results/retrieval.md):
# lowest answerable 0.335, the unanswerable ones 0.200-0.485.
RELEVANCE_COSINE = 0.325
# Passages retrieved for a question that spans stories: grouped per story, then each story
# is judged on its own sentences (a wider pool, not a bigger answer).
STORY_POOL = 80


def _period_request() -> re.Pattern[str]:
    """lexicons/period_requests.txt: what asks for a period's news rather than one fact."""
    text = files("assistant.answers.lexicons").joinpath("period_requests.txt").read_text("utf-8")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return re.compile(r"\b(?:" + "|".join(lines) + r")\b", re.I)


_PERIOD_REQUEST = _period_request()


@dataclass(frozen=True, slots=True)
class Route:
    """Where a question goes: a period's briefing, the coverage metadata, or an answer."""

    kind: Literal["briefing", "answer"]
    since: date | None = None
    until: date | None = None
    period_named: bool = False


def route_question(
    question: str,
    today: date,
    since: date | None = None,
    until: date | None = None,
    latest_day: date | None = None,
) -> Route:
    """A day's-news request ('what happened on 11 March?') goes to the briefing path."""
    asks_period = bool(_PERIOD_REQUEST.search(question))
    period = None if (since or until) else find_period(question, today, loose=asks_period)
    start = since or (period.since if period else None)
    end = until or (period.until if period else None)
    if asks_period and (start or end or "briefing" in question.lower()):
        first = start or latest_day or today
        return Route("briefing", first, end or first, period is not None)
    return Route("answer", start, end, period is not None)


def story_in_scope(
    question: str,
    outlets: Sequence[str],
    texts: Sequence[str],
    known_outlets: Sequence[str] = (),
    titles: Sequence[str] = (),
    names: Sequence[str] | None = None,
) -> bool:
    """Whether a briefing story is in what a day's-news request names: an outlet ('what did
    the Gazette report'), a place or party ('what happened in Veska'); no names, every story.
    An outlet of `known_outlets` named in full ('what the Pemberia Press Agency published')
    keeps that outlet's stories only, though its words also name a place. A place in one of
    the story's `titles` keeps it; a place only in the text does not when the story was filed
    from another country's dateline."""
    from assistant.answers.dates import MONTHS, WEEKDAYS
    from assistant.answers.focus import name_cover

    # a day or a month names the period, not a place ('Veska headlines for Thursday')
    names = [
        n
        for n in (names_in(question) if names is None else names)
        if n.lower() not in MONTHS and n.lower() not in WEEKDAYS
    ]
    named_in_full = named_outlets(question, known_outlets)
    if named_in_full:
        return any(o in named_in_full for o in outlets)
    outlet_words = {w.lower() for o in outlets for w in re.findall(r"[\w'’]+", o)}
    named_outlet = [n for n in names if n.lower() in outlet_words]
    if named_outlet:
        return True
    every_outlet = re.compile(r"\b(?:briefing|news|report(?:ed)?)\b", re.I)
    places = [n for n in names if not every_outlet.fullmatch(n)]
    if not places:
        return True
    if titles and name_cover(places, set(tokens(" ".join(titles)))) > 0:
        return True  # the place is in a headline: the story is about it, wherever it was filed
    regions = {r for t in texts if (r := dateline_region(t))}
    asked = {t for p in places for t in tokens(p)}
    if regions and not any(_region_asked(r, asked) for r in regions):
        return False  # filed from another country that the story only mentions in passing
    text_tokens = set(tokens(" ".join(texts)))
    return name_cover(places, text_tokens) > 0


def named_outlets(question: str, known_outlets: Sequence[str]) -> list[str]:
    """The outlets of `known_outlets` the question names in full ('what the Pemberia Press
    Agency published')."""
    asked_words = {n.lower() for n in names_in(question)}
    return [o for o in known_outlets if (w := _outlet_words(o)) and w <= asked_words]


_WORD = re.compile(r"[\w'’-]+")


def name_cases(texts: Sequence[str]) -> tuple[set[str], set[str]]:
    """The words (lowercased) the texts write capitalised somewhere, and lowercase somewhere."""
    capital: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        for match in _WORD.finditer(text):
            word = match.group()
            (capital if word[:1].isupper() else lower).add(word.lower())
    return capital, lower


def question_names(question: str, cases: tuple[set[str], set[str]]) -> list[str]:
    """The names a day's-news request uses, its first word too when the texts (`cases`, from
    `name_cases`) only ever write it capitalised ('Veska headlines for Monday?' names Veska;
    'Which stories ...' nothing)."""
    names = names_in(question)
    first = _WORD.search(question)
    if first and first.group() not in names:
        capital, lower = cases
        key = first.group().lower()
        if key in capital and key not in lower:
            names = [first.group(), *names]
    return names


def restore_names(question: str, cases: tuple[set[str], set[str]]) -> str:
    """The question with each word the texts (`cases`, from `name_cases`) only ever write
    capitalised (a place, a party) capitalised too: 'anything new from veska?' -> 'anything
    new from Veska?'."""
    capital, lower = cases

    def fix(match: re.Match[str]) -> str:
        word = match.group()
        key = word.lower()
        if word.islower() and key in capital and key not in lower and len(key) > 2:
            return word[:1].upper() + word[1:]
        return word

    return _WORD.sub(fix, question)


def _outlet_words(outlet: str) -> set[str]:
    """The words that name an outlet ('The Zorvik Gazette' -> zorvik, gazette)."""
    from assistant.lexical import STOPWORDS

    return {w.lower() for w in re.findall(r"[\w'’]+", outlet) if w.lower() not in STOPWORDS}


_DATELINE_REGION = re.compile(
    r"(?:^|\s)[A-Z][A-Z'’ -]{2,},\s+([A-Z][a-z][\w'’-]+),\s+(?:[A-Z][a-z]+\.?\s+\d|\d)"
)


def dateline_region(text: str, lead_chars: int = 400) -> str | None:
    """The country or region of a lead's dateline ('ZORVIK, Quellan, May 4 (Wire) -' ->
    'Quellan'); None when the dateline names a city alone or there is none."""
    match = _DATELINE_REGION.search(text[:lead_chars])
    return match.group(1) if match else None


def _region_asked(region: str, asked: set[str]) -> bool:
    from assistant.answers.question import _similar

    return any(_similar(t, a) for t in tokens(region) for a in asked)


def relevant(question: str, hits: Sequence[RetrievedPassage]) -> bool:
    """Retrieval found support: close enough in meaning, and every name the question uses
    appears in what was found (a question about 'Zorvath' is not answered from 'Kelmiro')."""
    if not hits or max(h.dense for h in hits) < RELEVANCE_COSINE:
        return False
    # the outlet counts too: 'the Observer's columnist' is found in the Observer's articles
    found = " ".join(f"{h.title} {h.outlet or ''} {h.passage.text}" for h in hits)
    found = found.lower().replace("’", "'")
    found_tokens = set(tokens(found))
    return all(_name_found(name, found, found_tokens) for name in names_in(question))


def _name_found(name: str, found: str, found_tokens: set[str]) -> bool:
    """A name as written, without its possessive ('the Observer's' -> 'observer'), or each of
    its words in another form of itself ('Quellish' for 'Quell')."""
    from assistant.answers.question import _similar

    bare = re.sub(r"'s?$", "", name.lower().replace("’", "'"))
    if bare in found:
        return True
    words = tokens(bare)
    return bool(words) and all(any(_similar(w, t) for t in found_tokens) for w in words)


def story_of(question: Question, hits: Sequence[RetrievedPassage], db: ArticleDB) -> list[str]:
    """The doc_ids of the one story a question is about (all stories, when it spans them)."""
    scores: dict[str, float] = {}
    also: dict[str, list[str]] = {}
    for h in hits:
        scores[h.passage.doc_id] = scores.get(h.passage.doc_id, 0.0) + h.score
        for copy in h.also_in_docs:
            also.setdefault(h.passage.doc_id, []).append(copy)
    candidates = []
    for doc_id, score in scores.items():
        article = db.article(doc_id)
        if article is None:
            continue
        # the outlet counts as a name the article has ('what did the Gazette report')
        text_tokens = set(tokens(f"{article.title} {article.outlet or ''} {article.text}"))
        candidates.append(
            DocScore(
                doc_id,
                score,
                name_cover(question.names, text_tokens),
                article.text,
                article.title,
            )
        )
    return choose_story(question, candidates, also)


def story_sentences(db: ArticleDB, doc_ids: Sequence[str]) -> list[EvidenceSentence]:
    from assistant.verify.evidence import article_sentences

    out = []
    for rank, doc_id in enumerate(doc_ids):
        out += [replace(s, rank=rank) for s in article_sentences(db, doc_id)]
    return out


def answer_question(
    question: str,
    *,
    db: ArticleDB,
    retriever: Retriever,
    embed: Callable[[str], list[float]],
    aliases_of: Callable[[str], Sequence[str]],
    resolve: Callable[[str], str | None],
    filters: Filters,
    unfiltered: Filters,
    period_named: bool,
    k: int = 12,
    llm: Callable[[list[EvidenceSentence]], Answer] | None = None,
    timings: dict[str, float] | None = None,
) -> Answer:
    """The question path below routing: retrieval, focus, selection, answerability, wording."""
    from assistant.answers.coverage import (
        coverage_statements,
        is_copies_question,
        is_coverage_question,
        topic_of,
    )
    from assistant.answers.extractive import assemble

    timings = timings if timings is not None else {}
    t0 = time.perf_counter()
    if is_copies_question(question):  # the store's syndication links answer, not a text
        scope = report_filters(filters, unfiltered, period_named)
        return _copies_answer(question, db, scope, aliases_of)
    parsed = parse_question(question)
    coverage = is_coverage_question(question)
    query = topic_of(question) if coverage else question
    vector = embed(query)
    depth = 20 if (coverage or parsed.spans_stories) else k
    asked_period = filters  # 'which stories ... on <day>': the stories reported that day
    filters = report_filters(filters, unfiltered, period_named)
    hits = retriever.retrieve(query, depth, filters, vector=vector)
    timings["retrieve"] = _ms(t0)
    if not relevant(query, hits):
        return Answer(question, REFUSAL, "extractive", True, timings_ms=timings)
    if coverage:
        from assistant.verify.evidence import expand_to_sentences

        evidence = expand_to_sentences(db, list(hits), leads=True)
        return assemble(
            question, "extractive", coverage_statements(question, hits, evidence), [], timings
        )
    if llm is None and spans_stories(parsed):
        period = filters if day_names_event(question) else asked_period
        wide = retriever.retrieve(query, STORY_POOL, period, depth=STORY_POOL, vector=vector)
        return _across_stories(parsed, wide or hits, db, aliases_of, resolve, timings)
    docs = story_of(parsed, hits, db)
    if llm is not None:  # the model sees the story's retrieved passages, numbered
        from assistant.verify.evidence import expand_to_sentences

        passages = [e for e in expand_to_sentences(db, list(hits), leads=True) if e.doc_id in docs]
        return llm(_party_only(passages, filters.party))
    evidence = story_sentences(db, docs)
    return answer_from_story(parsed, evidence, aliases_of, resolve, timings, filters.party)


def _copies_answer(
    question: str,
    db: ArticleDB,
    filters: Filters,
    aliases_of: Callable[[str], Sequence[str]] = lambda party: [party],
) -> Answer:
    """Which stored articles (in the asked period and outlet) copy another's report; asked
    how a copy differs, what each copy the question names adds, leaves out and rewords."""
    from assistant.answers.coverage import asks_differences, copies_statements
    from assistant.answers.extractive import assemble, strip_dateline
    from assistant.syndication import copies_of

    def in_scope(a: StoredArticle) -> bool:
        if filters.outlet and (a.outlet or "").lower() != filters.outlet.lower():
            return False
        if a.published is None:
            return not (filters.since or filters.until)
        return (filters.since is None or a.published >= filters.since) and (
            filters.until is None or a.published <= filters.until
        )

    docs = [a.doc_id for a in db.articles() if a.status == "complete" and in_scope(a)]
    copies = copies_of(db, docs)
    leads: dict[str, EvidenceSentence] = {}
    for doc_id in {*copies, *copies.values()}:
        sentences = sorted(story_sentences(db, [doc_id]), key=lambda s: s.sentence_index)
        # the lead: the first sentence that says something past its dateline
        lead = next(
            (
                s
                for s in sentences
                if not re.search(r"\)\s*[-–—]\s*$", s.text)  # a dateline cut off alone
                and len(strip_dateline(s.text).split()) >= 5
            ),
            None,
        )
        if lead is not None or sentences:
            leads[doc_id] = lead or sentences[0]
    copies = _named_copies(question, copies, leads)
    statements = copies_statements(copies, leads)
    if statements and asks_differences(question):
        return _differences_answer(question, db, copies, leads, aliases_of)
    if not statements:
        note = "None of the stored articles in scope copies another outlet's report."
        return Answer(question, note, "extractive", False)
    return assemble(question, "extractive", statements, [], {})


def _named_copies(
    question: str, copies: Mapping[str, str], leads: Mapping[str, EvidenceSentence]
) -> dict[str, str]:
    """The copy pairs whose headlines or outlets share the most words with the question ('which
    outlets carried the Velm port strike?' -> that story's copies); all, when it names none."""
    asked = set(tokens(question)) - _COPY_WORDS

    def about(doc_id: str) -> int:
        lead = leads.get(doc_id)
        words = f"{lead.title} {lead.outlet or ''}" if lead else ""
        return len(asked & set(tokens(words)))

    named = {pair: about(pair[0]) + about(pair[1]) for pair in copies.items()}
    top = max(named.values(), default=0)
    return dict(pair for pair, score in named.items() if score == top)


# words of any copies question, which name no story ('which outlets carried the story')
_COPY_WORDS = frozenset(t for line in lexicon_lines("copy_words.txt") for t in tokens(line))


def _differences_answer(
    question: str,
    db: ArticleDB,
    copies: Mapping[str, str],
    leads: Mapping[str, EvidenceSentence],
    aliases_of: Callable[[str], Sequence[str]],
) -> Answer:
    """How each copy the question names (by outlet, title or story words; all, when it names
    none) differs from its original: the sentences only one version has, and the ones the copy
    rewords so that another party, or none, gives them. Every sentence cited and verified."""
    from assistant.answers.coverage import copy_differences
    from assistant.answers.extractive import assemble
    from assistant.verify.verifier import Verified

    pairs = list(_named_copies(question, copies, leads).items())  # all, when none is named
    statements: list[Verified] = []
    repairs: list[Repair] = []
    for copy_id, original_id in pairs:
        copy = sorted(story_sentences(db, [copy_id]), key=lambda s: s.sentence_index)
        original = sorted(story_sentences(db, [original_id]), key=lambda s: s.sentence_index)
        if not copy or not original:
            continue
        added, left_out, reworded = copy_differences(copy, original)
        statements.append(
            copies_header(leads.get(copy_id, copy[0]), leads.get(original_id, original[0]))
        )
        for label, picked, evidence in (
            (f"Only in {possessive(copy[0].outlet or 'the copy')} version", added, copy),
            (
                f"Only in {possessive(original[0].outlet or 'the original')} original",
                left_out,
                original,
            ),
        ):
            verified, fixed = verify_each(picked, evidence, aliases_of)
            repairs += fixed
            statements += [replace(v, text=f"{label}: {v.text}") for v in verified]
        for before, after in reworded:
            # both versions verbatim, and whose words the original says they are
            source = f"; the original gives them to {who(before.party)}" if before.is_claim else ""
            statements.append(
                Verified(
                    f"Reworded in the copy: the original reads “{before.text}”, the copy "
                    f"“{after.text}”{source}.",
                    [before, after],
                    before.party if before.is_claim else None,
                    before.speaker if before.is_claim else None,
                )
            )
    return assemble(question, "extractive", statements, repairs, {}, by_party=False)


def copies_header(copy: EvidenceSentence, original: EvidenceSentence) -> Verified:
    """'X's “...” republishes “...”, first published by Y': the first line of a copy's
    differences, citing both leads."""
    from assistant.answers.coverage import copies_statements

    return copies_statements(
        {copy.doc_id: original.doc_id}, {copy.doc_id: copy, original.doc_id: original}
    )[0]


def report_filters(filters: Filters, unfiltered: Filters, period_named: bool) -> Filters:
    """A date the question names dates the event, not the report: the reports published since
    that day (one before it cannot tell what happened on it; one after it can, and may carry
    the latest figures). Dates the caller passes as filters stay as they are."""
    if period_named and filters.since:
        return replace(unfiltered, since=filters.since)
    return filters


def _across_stories(
    parsed: Question,
    hits: Sequence[RetrievedPassage],
    db: ArticleDB,
    aliases_of: Callable[[str], Sequence[str]],
    resolve: Callable[[str], str | None],
    timings: dict[str, float],
) -> Answer:
    """'Which stories ...': the stories of a wide candidate set that are about the point, each
    with its own cited sentences."""
    from assistant.answers.stories import StoryHit, answer_across_stories, group_stories

    texts = {}
    for h in hits:
        article = db.article(h.passage.doc_id)
        if article is not None:
            texts[h.passage.doc_id] = f"{article.title} {article.outlet or ''} {article.text}"
    found = [StoryHit(h.passage.doc_id, h.score, h.also_in_docs) for h in hits]
    groups = group_stories(parsed, found, texts, floor=0.0, limit=STORY_POOL)
    return answer_across_stories(
        parsed,
        groups,
        lambda docs: relabel_self_sourced(story_sentences(db, docs), aliases_of, resolve),
        lambda chosen, evidence: verify_each(chosen, evidence, aliases_of),
        timings,
        REFUSAL,
    )


def _party_only(evidence: list[EvidenceSentence], party: str | None) -> list[EvidenceSentence]:
    """Asked for one party: its own sentences answer, when it has any."""
    if not party:
        return evidence
    return [e for e in evidence if e.party == party] or evidence


def answer_from_story(
    question: Question,
    evidence: Sequence[EvidenceSentence],
    aliases_of: Callable[[str], Sequence[str]],
    resolve: Callable[[str], str | None],
    timings: dict[str, float] | None = None,
    party: str | None = None,
) -> Answer:
    """The extractive answer from one story's sentences (pure); with `party` (a filter), that
    party's own sentences answer when it has any."""
    from assistant.answers.extractive import assemble, revision_statements

    timings = timings if timings is not None else {}
    evidence = relabel_self_sourced(evidence, aliases_of, resolve)
    story = rank_sentences(question, evidence)
    ranked = [r for r in story if r.sentence.party == party] or story if party else story
    asked = asked_parties(question, evidence, aliases_of, resolve)
    parties = list(asked.parties)
    if asked.missing and not parties:
        note = f"The stored sources carry no statement from {asked.missing[0]} on this."
        return _refusal(question.text, note, ranked[:1], evidence, aliases_of, timings)
    if question.overview and not asked.parties:  # 'the key facts of X'
        verified, repairs = verify_each(overview(evidence), evidence, aliases_of)
        return assemble(question.text, "extractive", verified, repairs, timings)
    chosen = select(question, ranked, asked)
    chosen += [s for s in other_parts(question, evidence, chosen, asked) if s not in chosen]
    chosen[1:1] = what_came_of_it(question, chosen, evidence)
    if not answerable(question, ranked, chosen, asked, story):
        note = _missing_note(question, ranked, parties)
        closest = _closest(ranked, asked)
        return _refusal(question.text, note, closest, evidence, aliases_of, timings)
    if not asked.parties:  # nobody asked for: the other parties' figures side by side
        chosen += [s for s in rival_figures(question, ranked, chosen) if s not in chosen]
    chosen = with_account_next(chosen, evidence)
    # the other side's reply after a chosen claim; 'what did X say' is X's sentences only
    if not question.wants_number and (len(asked.parties) != 1 or question.multi_part):
        chosen += [s for s in replies(chosen, evidence) if s not in chosen]
    chosen = with_openings(chosen, evidence)
    verified, repairs = verify_each(chosen, evidence, aliases_of)
    extra = (
        revision_statements(verified, evidence, None if question.revision else question.counted)
        if (question.revision or question.wants_number)
        else []
    )
    return assemble(question.text, "extractive", verified + extra, repairs, timings)


# 'where does she say ...': a later part whose speaker is a pronoun for the asked party
_PART_PRONOUN_SPEAKER = re.compile(
    r"\b(?:he|she|they|it)\s+(?:says?|said|claims?|claimed|thinks?|believes?|blames?|"
    r"argues?|insists?|accepts?|admits?|denies|denied)\b",
    re.I,
)


def other_parts(
    question: Question,
    evidence: Sequence[EvidenceSentence],
    chosen: Sequence[EvidenceSentence],
    asked: Asked | None = None,
) -> list[EvidenceSentence]:
    """'..., and how long will it last?': each part of a two-part question gets its own best
    sentence (a date or figure when the part asks for one; the whole question's ranking may
    favour one part's words), when the chosen sentences do not already give it. A part whose
    speaker is a pronoun ('where does she say it came from?') asks the question's one asked
    party: its best sentence is that party's."""
    from assistant.answers.focus import (
        _DATE,
        ANSWERABLE_COVERAGE,
        _has_figure,
        duration,
        takes_time,
    )
    from assistant.answers.question import parse_question, question_parts

    if not question.multi_part:
        return []
    out: list[EvidenceSentence] = []
    for part in question_parts(question.text):
        sub = parse_question(part)
        how_long = bool(re.match(r"\W*how long\b", part, re.I))
        pool = evidence
        pronoun = bool(_PART_PRONOUN_SPEAKER.search(part))
        if pronoun and asked is not None and len(asked.parties) == 1:
            pool = [s for s in evidence if asked.owner(s)] or evidence
        ranked = rank_sentences(sub, pool)
        # 'how long': a bound first ('until Saturday'), else a span with its unit ('31 minutes')
        for bounds in (duration, takes_time) if how_long else (None,):
            fits = []
            for r in ranked:
                if r.coverage < ANSWERABLE_COVERAGE:
                    break
                s = r.sentence
                if sub.wants_date and not _DATE.search(s.text):
                    continue
                if bounds is not None and not bounds(s.text):
                    continue
                if sub.wants_number and not _has_figure(s):
                    continue
                fits.append(r)
            # of sentences that state the part as well as each other, one not yet chosen
            best = fits[0].coverage if fits else 0.0
            tied = [r.sentence for r in fits if r.coverage >= best - 1e-9]
            found = next((s for s in tied if s not in chosen), tied[0] if tied else None)
            if found is not None:
                if found not in chosen and found not in out:
                    out.append(found)
                break
    return out


def _closest(ranked: Sequence[Ranked], asked: Asked, floor: float = 0.3) -> list[Ranked]:
    """The nearest the sources come, when it is on the question's topic at all."""
    pool = [r for r in ranked if asked.owner(r.sentence)] if asked.parties else list(ranked)
    return [r for r in pool[:1] if asked.parties or r.coverage >= floor]


def verify_each(
    chosen: Sequence[EvidenceSentence],
    evidence: Sequence[EvidenceSentence],
    aliases_of: Callable[[str], Sequence[str]],
) -> tuple[list[Verified], list[Repair]]:
    """The verifier over each chosen sentence; a sentence that names its own source with a
    reporting verb ('The police put the crowd at 18,500') keeps its words, whatever party the
    ledger gave it, and is never prefixed with another party's name."""
    from assistant.answers.extractive import phrase_drafts
    from assistant.verify.verifier import verify

    names = sorted(
        {n for ns in speaker_names(evidence, aliases_of).values() for n in ns if len(n) > 3},
        key=len,
        reverse=True,
    )
    kept: list[Verified] = []
    repairs: list[Repair] = []
    for draft in phrase_drafts(chosen):
        party = draft.sources[0].party if draft.sources else ""
        own = [n for n in self_sources(draft.text, names) if _names_someone(n, aliases_of(party))]

        def aliases(party: str, own: list[str] = own) -> list[str]:
            return [*aliases_of(party), *own]

        v, r = verify([draft], aliases)
        kept += v
        repairs += r
    return kept, repairs


def _names_someone(name: str, aliases: Sequence[str]) -> bool:
    """A source a reader can place: an alias of the party or a proper name ('Yvra Ovor',
    'Kest Water's director'); 'A spokeswoman' or 'the update' needs its party beside it."""
    if name.lower() in {a.lower() for a in aliases}:
        return True
    words = name.split()
    first_named = words[0][:1].isupper() and words[0].lower() not in _DETERMINERS
    return first_named or any(w[:1].isupper() for w in words[1:])


_DETERMINERS = frozenset(["a", "an", "the", "its", "his", "her", "their", "one", "our"])


def relabel_self_sourced(
    evidence: Sequence[EvidenceSentence],
    aliases_of: Callable[[str], Sequence[str]],
    resolve: Callable[[str], str | None] = lambda _: None,
) -> list[EvidenceSentence]:
    """A sentence that names its source ('The police put the crowd at 18,500') belongs to that
    source, whichever party the ledger carried over from the sentence before."""
    owners = speaker_names(evidence, aliases_of)
    names = sorted({n for ns in owners.values() for n in ns if len(n) > 3}, key=len, reverse=True)
    out = []
    for s in evidence:
        source = named_source(s.text, resolve, set(owners))
        if source is None:
            own = self_sources(s.text, names)
            parties = [p for p, ns in owners.items() if own and own[0] in ns]
            source = parties[0] if parties and s.party not in parties else None
        if source and source != s.party and not _ledger_named(s, source, aliases_of):
            s = replace(s, party=source, cue="explicit")
        out.append(s)
    return out


def _ledger_named(
    s: EvidenceSentence, source: str, aliases_of: Callable[[str], Sequence[str]]
) -> bool:
    """The ledger found the named source as this sentence's speaker and chose its party
    knowing more ('The housing minister, Ana Brisk, says' -> the ministry): it stands."""
    speaker = (s.speaker or "").lower()
    names = [source, *aliases_of(source)]
    return bool(speaker) and any(len(n) > 3 and n.lower() in speaker for n in names)


@cache
def _noun_reports() -> frozenset[str]:
    text = files("assistant.answers.lexicons").joinpath("noun_reports.txt").read_text("utf-8")
    return frozenset(
        w for line in text.splitlines() if not line.startswith("#") for w in line.lower().split()
    )


# A determiner and up to two modifiers right before a reporting word: it is a noun there.
_NOUN_PHRASE_END = re.compile(
    r"\b(?:the|a|an|this|that|these|those|its|their|his|her|our|every|another)"
    r"\s+(?:[\w'’-]+\s+){0,2}$",
    re.I,
)


def named_source(
    text: str, resolve: Callable[[str], str | None], present: set[str] | None = None
) -> str | None:
    """The party the sentence's first reporting verb has as its subject, when the words
    before the verb name a known party ('The army put the toll at 9' -> the army's party).
    A generic name ('the company') counts only for a party `present` in the story."""
    from assistant.verify.verifier import REPORTING

    def known(words: list[str]) -> str | None:
        party = resolve(" ".join(words).strip(",."))
        named = any(w[:1].isupper() and not _common(w) for w in words)
        return party if party and (named or present is None or party in present) else None

    for match in REPORTING.finditer(text):
        if re.search(r"(?:'s|’s|s')\s+$", text[: match.start()]):
            continue  # "the army's claims": whose claim, not who speaks
        if match.group().lower() in _noun_reports() and _NOUN_PHRASE_END.search(
            text[: match.start()]
        ):
            continue  # "dismissed the rival account as ...": a noun, not the sentence's verb
        if match.group().lower() == "according to":
            after = re.match(r"\s*((?:[\w'’-]+\s*){1,5})", text[match.end() :])
            words = after.group(1).split() if after else []
            for n in range(len(words), 0, -1):
                if party := known(words[:n]):
                    return party
            continue
        before = re.findall(r"[\w'’-]+", text[: match.start()])[-5:]
        for n in range(len(before), 0, -1):
            if party := known(before[-n:]):
                return party
        return None  # the first reporting verb's subject is no known party
    return None


def _common(word: str) -> bool:
    """A capitalised word that names nobody: 'The', 'Three' opening a sentence."""
    from assistant.lexical import STOPWORDS
    from assistant.verify.figures import is_number_word

    return word.lower() in STOPWORDS or is_number_word(word)


_CLOCK_UNIT = re.compile(r"[ap]\.?\s?m\.?|gmt|utc", re.I)  # '1:10 a.m.': a time


def _counted_units(text: str) -> list[str]:
    """What a sentence's figures count, as written, past names and dates: 'killed 27
    Velm soldiers' -> soldiers; a dateline's 'May 4 (Wire)' and '1:10 a.m.' count
    nothing."""
    from assistant.answers.focus import _DAY_OF_MONTH, _undated
    from assistant.verify.figures import word_list
    from assistant.verify.revisions import figures

    not_counted = word_list("not_counted")
    out = []
    for _, followers in figures(_DAY_OF_MONTH.sub(" ", _undated(text))):
        for follower in followers:
            found = tokens(follower)
            if follower[:1].isupper() or not found:
                continue  # 'Velm' before 'soldiers'
            counts = found[0] not in not_counted and not found[0][0].isdigit()
            if counts and not _CLOCK_UNIT.fullmatch(follower):
                out.append(follower.lower())
            break
    return out


def _missing_note(question: Question, ranked: Sequence[Ranked], parties: Sequence[str]) -> str:
    """'The sources give the army's figures for soldiers, but no figure from the army for
    civilians.' or, without a figure, what the question asked that no sentence states."""

    if question.wants_number and parties:
        party = parties[0]
        units = []
        for r in ranked:
            if r.sentence.party == party:
                units += _counted_units(r.sentence.text)
        units = list(dict.fromkeys(units))[:3]
        asked = question.counted_as_written or "what the question asks"
        deed = [
            w
            for w in re.findall(r"[A-Za-z]+", question.text)
            if question.outcome and w.lower().startswith(question.outcome)
        ]
        if question.counted_as_written and deed:  # 'people displaced', not just 'people'
            asked = f"{asked} {deed[-1].lower()}"
        given = f" for {', '.join(units)}" if units else ""
        return (
            f"The sources give {who(party)}'s figures{given}, but no figure from "
            f"{who(party)} for {asked}."
        )
    if parties:
        return (
            f"The sources quote {who(parties[0])} on this story, but not on what the question asks."
        )
    return "The stored sources do not say what the question asks."


def _refusal(
    question: str,
    note: str,
    closest: Sequence[Ranked],
    evidence: Sequence[EvidenceSentence],
    aliases_of: Callable[[str], Sequence[str]],
    timings: dict[str, float],
) -> Answer:
    """refused=True, with what the sources do give (cited, attributed) after the note."""
    from assistant.answers.extractive import assemble

    verified, repairs = verify_each([r.sentence for r in closest], evidence, aliases_of)
    if not verified:
        return Answer(question, note, "extractive", True, timings_ms=timings)
    answer = assemble(question, "extractive", verified, repairs, timings)
    answer.answer = f"{note} What they do give:\n{answer.answer}"
    answer.refused = True
    return answer


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)


__all__ = [
    "REFUSAL",
    "Route",
    "answer_from_story",
    "answer_question",
    "relevant",
    "route_question",
]
