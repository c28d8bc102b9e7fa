"""Evidence -> Answer. The extractive engine needs no LLM; the LLM engine writes, the verifier
checks both the same way, and the citations are renumbered to what the final answer uses."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.lexical import numbers, tokens
from assistant.types import Answer, AnswerEngine, Repair, Statement
from assistant.verify.evidence import CitationBook, EvidenceSentence
from assistant.verify.revisions import counts
from assistant.verify.verifier import Draft, Verified, display_party, verify

REFUSAL = "The stored sources do not answer this question."
MAX_STATEMENTS = 5
COUNT_QUESTION = re.compile(
    r"\b(how many|how much|number of|toll|figures?|casualt|killed|dead|died)\b", re.I
)
_MARKER = re.compile(r"\[(\d+)\]")
_COUNTED = re.compile(r"\bhow many\s+(?:more\s+|of the\s+)?([a-z][\w-]*)", re.I)


@dataclass(frozen=True, slots=True)
class ScoredSentence:
    sentence: EvidenceSentence
    score: float


def score_sentences(question: str, evidence: Sequence[EvidenceSentence]) -> list[ScoredSentence]:
    """Rank evidence sentences for a question.

    Question words count by how rare they are among the evidence (a place name that few
    sentences share outweighs 'killed'); words the article shares with the question lift all
    of its sentences a little; numbers help when the question asks for a figure.
    """
    import math

    wanted = set(tokens(question))
    wants_number = bool(COUNT_QUESTION.search(question))
    text_tokens = [set(tokens(s.text)) for s in evidence]
    sentence_tokens = [
        own | set(tokens(s.title)) for s, own in zip(evidence, text_tokens, strict=True)
    ]
    doc_tokens: dict[str, set[str]] = {}
    for s, toks in zip(evidence, sentence_tokens, strict=True):
        doc_tokens.setdefault(s.doc_id, set()).update(toks)
    n = len(evidence) or 1
    weight = {
        w: math.log(1 + n / (1 + sum(1 for toks in sentence_tokens if w in toks))) for w in wanted
    }
    total = sum(weight.values()) or 1.0
    # Focus words: question words only some of the articles share (a place, a name). Articles
    # with none of them are about something else and step back.
    docs = set(doc_tokens)
    focus = {w for w in wanted if 0 < sum(1 for d in docs if w in doc_tokens[d]) < len(docs) / 2}
    scored = []
    for s, toks in zip(evidence, text_tokens, strict=True):
        if len(s.text.split()) < 4:
            continue
        own = sum(weight[w] for w in wanted if w in toks) / total
        article = sum(weight[w] for w in wanted if w in doc_tokens[s.doc_id]) / total
        score = own + 0.5 * article
        if focus and not focus & doc_tokens[s.doc_id]:
            score *= 0.5
        if wants_number and numbers(s.text):
            score += 0.2
        score += 0.1 / (1 + s.rank)
        scored.append(ScoredSentence(s, score))
    scored.sort(key=lambda x: (-x.score, x.sentence.rank, x.sentence.sentence_index))
    return scored


def counted_thing(question: str) -> str | None:
    """What a 'how many X' question counts, as a token ('workers' -> 'worker')."""
    match = _COUNTED.search(question)
    if not match:
        return None
    found = tokens(match.group(1))
    return found[0] if found else None


def select_sentences(
    scored: Sequence[ScoredSentence], limit: int = MAX_STATEMENTS, counted: str | None = None
) -> list[EvidenceSentence]:
    """The best sentences, making room for every party that speaks to the question.

    With `counted` (the thing a 'how many' question counts), a party whose own figure for it
    scores lower (its words differ: 'stayed away' against 'joined') still gets its best such
    sentence, so competing figures stand side by side.
    """
    if not scored:
        return []
    best = scored[0].score
    relevant = [s for s in scored if s.score >= 0.6 * best]
    chosen: list[EvidenceSentence] = []
    seen_parties: set[str] = set()
    for item in relevant:  # first: the best sentence of each party
        if item.sentence.party not in seen_parties:
            seen_parties.add(item.sentence.party)
            chosen.append(item.sentence)
    if counted:
        for item in scored:  # a party's competing figure for the counted thing
            s = item.sentence
            if (
                s.is_claim
                and s.party not in seen_parties
                and item.score >= 0.3 * best
                and counts(s.text, counted)
            ):
                seen_parties.add(s.party)
                chosen.append(s)
    for item in relevant:
        if len(chosen) >= limit:
            break
        if item.sentence not in chosen and item.score >= 0.75 * best:
            chosen.append(item.sentence)
    chosen = chosen[:limit]
    # Same near-duplicate sentence from a syndicated copy: keep one.
    unique: list[EvidenceSentence] = []
    for s in chosen:
        if not any(set(tokens(s.text)) == set(tokens(u.text)) for u in unique):
            unique.append(s)
    return unique


def extractive_drafts(question: str, evidence: Sequence[EvidenceSentence]) -> list[Draft]:
    """One draft per chosen sentence, the sentence's own words; the verifier adds parties."""
    counted = counted_thing(question)
    chosen = select_sentences(score_sentences(question, evidence), counted=counted)
    return [Draft(s.text, [s]) for s in chosen]


_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+)*"  # CITY
    r"(?:,\s*[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+)*)?"  # , Country
    r"(?:,?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}))?"  # , May 4 / 5 May
    r"\s*(?:\([^)]{1,40}\))?\s*[–—-]{1,2}\s+"  # (Agency) –
    r"|^\s*\d{1,2}[:.]\d{2}\s*[–—-]{1,2}\s+)"  # 19:41 —
)


def strip_dateline(text: str) -> str:
    """'TESSIN, Velor, March 3 (Wire) – The XLF said ...' -> 'The XLF said ...'."""
    match = _DATELINE.match(text)
    if (
        not match
        or not text[match.end() :][:1].isupper()
        and text[match.end() :][:1] not in "\"“‘'"
    ):
        return text
    return text[match.end() :]


_INTERVIEW_MARK = re.compile(r"^\s*[QA]:\s+(?=\S)")


def phrase_drafts(chosen: Sequence[EvidenceSentence]) -> list[Draft]:
    """One draft per chosen sentence: its own words, the dateline and an interview's 'Q:' /
    'A:' mark off; the verifier names the party when the sentence does not."""
    return [Draft(_INTERVIEW_MARK.sub("", strip_dateline(s.text)), [s]) for s in chosen]


# Before a sentence of an article that addresses AI tools or gives them orders
INSTRUCTION_NOTE = (
    "(The article carries this instruction aimed at AI tools; it is quoted as data, not followed.)"
)


def assemble(
    question: str,
    engine: AnswerEngine,
    verified: Sequence[Verified],
    repairs: list[Repair],
    timings_ms: dict[str, float],
    notice: str | None = None,
    by_party: bool = True,
) -> Answer:
    """Number citations in order of use and lay claims out party by party (with `by_party`
    False, in the order given: a comparison of two versions keeps its own layout)."""
    if not verified:
        return Answer(
            question, REFUSAL, engine, True, repairs=repairs, timings_ms=timings_ms, notice=notice
        )
    book = CitationBook()
    statements: list[Statement] = []
    # Group: narrator facts first, then each party in order of first appearance.
    order: list[str | None] = []
    for v in verified:
        if v.party not in order:
            order.append(v.party)
    order.sort(key=lambda p: 0 if p is None else 1)
    groups = [[v for v in verified if v.party == party] for party in order]
    from assistant.answers.focus import instructs_machines

    flagged = set()
    for v in (v for group in (groups if by_party else [list(verified)]) for v in group):
        numbers_used = [book.cite(s) for s in v.sources]
        text = v.text
        if instructs_machines(text):  # article text is data: say so, and follow none of it
            text = f"{INSTRUCTION_NOTE} {text}"
            flagged.add(v.party)
        statements.append(Statement(text, numbers_used, v.party, v.speaker))
    citations = book.items
    speaking = {v.party for v in verified if not instructs_machines(v.text)}
    parties = [p for p in order if p is not None and (p in speaking or p not in flagged)]
    parties = parties if by_party else []
    lines = []
    for st in statements:
        marks = "".join(f"[{n}]" for n in st.citations)
        lines.append(f"{st.text} {marks}")
    if len(parties) >= 2:
        names = " and ".join(display_party(p) for p in parties[:3])
        lines.insert(
            sum(1 for s in statements if s.party is None), f"Accounts differ between {names}:"
        )
    return Answer(
        question,
        "\n".join(lines),
        engine,
        False,
        statements,
        citations,
        repairs,
        timings_ms,
        notice,
    )


def answer_extractive(
    question: str,
    evidence: Sequence[EvidenceSentence],
    aliases_of: Callable[[str], Sequence[str]],
    timings_ms: dict[str, float],
    notice: str | None = None,
) -> Answer:
    verified, repairs = verify(extractive_drafts(question, evidence), aliases_of)
    return assemble(
        question,
        "extractive",
        verified + revision_statements(verified, evidence),
        repairs,
        timings_ms,
        notice,
    )


def revision_statements(
    verified: Sequence[Verified],
    evidence: Sequence[EvidenceSentence],
    counted: str | None = None,
) -> list[Verified]:
    """'X first gave 4 on D1, then 7 on D2' for parties the answer quotes, with both sources;
    with `counted` (the stemmed noun a 'how many' question counts), only changes of its count
    ('how many houses' is not answered by a change in the death toll)."""
    from assistant.answers.question import _similar
    from assistant.lexical import tokens
    from assistant.verify.revisions import find_revisions

    parties = {v.party for v in verified if v.party}
    return [
        Verified(change.describe(), [change.earlier, change.later], change.party, None)
        for change in find_revisions(evidence)
        if change.party in parties
        and (counted is None or any(_similar(counted, t) for t in tokens(change.unit)))
    ]


def number_evidence(
    evidence: Sequence[EvidenceSentence], limit: int = 8
) -> list[list[EvidenceSentence]]:
    """Evidence grouped by passage, best passages first: the numbered sources an LLM sees."""
    groups: dict[str, list[EvidenceSentence]] = {}
    for s in evidence:
        groups.setdefault(s.passage_id, []).append(s)
    return list(groups.values())[:limit]


def drafts_from_llm_text(text: str, numbered: Sequence[Sequence[EvidenceSentence]]) -> list[Draft]:
    """Split model output into sentences; each cites the sentences of the passages it names."""
    drafts = []
    pieces = re.split(r"(?<=[.!?])\s+|\n+", text.strip())
    # A trailing citation that the split moved to the next piece belongs to the sentence before.
    merged: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if _MARKER.fullmatch(piece.replace(" ", "")) or re.fullmatch(r"(\[\d+\]\s*)+[.]?", piece):
            if merged:
                merged[-1] += " " + piece
            continue
        merged.append(piece)
    for piece in merged:
        cited = [int(n) for n in _MARKER.findall(piece)]
        body = _MARKER.sub("", piece).strip()
        body = re.sub(r"\s+([.,;:!?])", r"\1", body)
        if not body or not re.search(r"\w", body):
            continue
        sources: list[EvidenceSentence] = []
        for n in cited:
            if 1 <= n <= len(numbered):
                sources.extend(numbered[n - 1])
        # Narrow each cited passage to its sentences that say the most of this statement.
        drafts.append(Draft(body, _best_sentences(body, sources)))
    return drafts


def _best_sentences(body: str, sources: list[EvidenceSentence]) -> list[EvidenceSentence]:
    from assistant.lexical import overlap

    if not sources:
        return []
    ranked = sorted(sources, key=lambda s: -overlap(body, s.text))
    best = overlap(body, ranked[0].text)
    return [s for s in ranked[:2] if overlap(body, s.text) >= max(0.01, best * 0.8)]
