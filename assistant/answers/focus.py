"""One story per question, its sentences ranked for the asked point, the asked speaker first,
and the decision whether they answer at all (pure: values in, values out)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib.resources import files

from assistant.answers.question import (
    NAMES_ASKED,
    Question,
    _similar,
    family,
    resolve_speaker,
    same_spelling,
)
from assistant.lexical import numbers_with_words, tokens
from assistant.types import NARRATOR
from assistant.verify.evidence import EvidenceSentence
from assistant.verify.figures import word_list
from assistant.verify.revisions import counts

MAX_STATEMENTS = 8  # a story's answer: the asked point, each party's side, the replies
OVERVIEW_STATEMENTS = 6  # 'the key facts of X'
# Calibrated on the eval set (benchmarks/results/qa_eval.md): the best sentence must cover at
# least this share of the question's weighted point words for the question to be answered.
ANSWERABLE_COVERAGE = 0.2


@dataclass(frozen=True, slots=True)
class DocScore:
    """A candidate article for a question: retrieval score and share of question names it has."""

    doc_id: str
    score: float
    names: float
    text: str
    title: str = ""


def name_cover(names: Sequence[str], text_tokens: set[str]) -> float:
    """Share of the question's names (places, people, groups) found in an article."""
    wanted = [t for n in names for t in tokens(n)[:1]]
    if not wanted:
        return 1.0
    hit = sum(1 for w in wanted if w in text_tokens or any(_similar(w, t) for t in text_tokens))
    return hit / len(wanted)


def choose_story(
    question: Question,
    candidates: Sequence[DocScore],
    also_in: Mapping[str, Iterable[str]] | None = None,
) -> list[str]:
    """The article that best answers, plus the other reports of the same story.

    The lead article has the most of the question's names, then the best retrieval score.
    Another article joins when it has as many of the names and a fair retrieval score (a later
    report, a syndicated copy); a question that spans stories keeps every article that does.
    """
    if not candidates:
        return []
    news_first = not asks_opinion(question.text)  # a column leads only when asked about
    ranked = sorted(
        candidates,
        key=lambda d: (-d.names, news_first and is_opinion(d.title), -d.score, d.doc_id),
    )
    lead = ranked[0]
    keep = [lead.doc_id]
    asked = set(tokens(question.text))
    lead_title = set(tokens(lead.title))
    # a name in the lead's headline ('Orvik') ties a later report of the same event to it
    headline_words = re.findall(r"(?<=\s)[A-Z][a-z][\w'’-]*", lead.title)
    title_names = {t for w in headline_words for t in tokens(w)}
    for d in ranked[1:]:
        if question.spans_stories:
            joins = d.names > 0 and d.names >= 0.5 * lead.names and d.score >= 0.15 * lead.score
        elif question.revision:  # a change between reports: every report with all the names
            joins = d.names > 0 and d.names >= lead.names and d.score >= 0.3 * lead.score
        elif is_opinion(d.title) != is_opinion(lead.title):
            joins = False  # a column on the topic is not another report of the event
        else:
            # another report of the same story: as many of the names, and a title that shares
            # two words with the lead's title, one of them the question's
            joins = (
                d.names >= lead.names
                and d.score >= 0.3 * lead.score
                and len(shared := set(tokens(d.title)) & lead_title) >= 2
                and bool(shared & (asked | title_names))
            )
        if joins:
            keep.append(d.doc_id)
    for doc in list(keep):
        for copy in (also_in or {}).get(doc, ()):
            if copy not in keep:
                keep.append(copy)
    return keep


@cache
def _opinion_words() -> frozenset[str]:
    name = "opinion_question_words.txt"
    text = files("assistant.answers.lexicons").joinpath(name).read_text("utf-8")
    return frozenset(
        w.lower() for line in text.splitlines() if not line.startswith("#") for w in line.split()
    )


def asks_opinion(question: str) -> bool:
    """The question asks about an opinion piece or a writer's argument."""
    return any(w in _opinion_words() for w in re.findall(r"[\w-]+", question.lower()))


def is_opinion(title: str) -> bool:
    """A title labelled as an opinion piece ('Comment: ...'), by the claims room's pattern."""
    from assistant.claims.analysis import load_discourse_patterns

    return bool(load_discourse_patterns()["opinion_title"].match(title or ""))


@dataclass(frozen=True, slots=True)
class Ranked:
    sentence: EvidenceSentence
    score: float  # share of the question's weighted point words the sentence covers (0..1+)
    coverage: float


def _has(word: str, toks: set[str]) -> bool:
    if word in toks:
        return True
    fam = family(word)
    if any(w in toks for w in fam) or any(_similar(word, t) for t in toks):
        return True
    # a compound is written open, closed or hyphenated ('duty-time', 'duty days'): a
    # hyphenated word is there when one of its longer parts is
    parts = [part for part in word.split("-") if len(part) >= 3] if "-" in word else []
    return any(_has(part, toks) for part in parts)


TITLE_SHARE = 0.75


@cache
def _instruction_patterns() -> tuple[re.Pattern[str], ...]:
    from assistant.answers.question import lexicon_lines

    return tuple(re.compile(p, re.I) for p in lexicon_lines("embedded_instructions.txt"))


def instructs_machines(text: str) -> bool:
    """The text addresses AI tools or gives them orders (embedded_instructions.txt)."""
    return any(p.search(text) for p in _instruction_patterns())


def rank_sentences(question: Question, evidence: Sequence[EvidenceSentence]) -> list[Ranked]:
    """Sentences by how much of the asked point they state: rare point words weigh most."""
    toks = [set(tokens(s.text)) for s in evidence]
    n = len(evidence) or 1
    point = list(question.point) or tokens(question.text)
    df = {w: sum(1 for t in toks if _has(w, t)) for w in point}
    names = {t for name in question.names for t in tokens(name)}
    # names chose the story already; within it, the point's other words decide
    # the headline's words chose the story as its names did: within it they tell less
    titled = {t for title in {s.title for s in evidence if s.title} for t in tokens(title)}
    weight = {
        w: math.log(1 + n / (1 + df[w]))
        * (0.4 if w in names else TITLE_SHARE if w in titled else 1.0)
        for w in point
    }
    if question.verb in weight:  # 'what are they demanding': the demand, whoever's words
        weight[question.verb] *= 2.5
    total = sum(weight.values()) or 1.0
    out = []
    for s, t in zip(evidence, toks, strict=True):
        if len(s.text.split()) < 4:
            continue
        coverage = sum(weight[w] for w in point if _has(w, t)) / total
        score = coverage
        nums = bool(numbers_with_words(s.text) - _years(s.text))
        if question.wants_number and nums:
            score += 0.15
            if question.counted and counts(s.text, question.counted):
                score += 0.15
        score += 0.02 / (1 + s.rank)
        if instructs_machines(s.text):  # an order to AI tools in the text is data, never the answer
            score, coverage = score * 0.1, coverage * 0.1
        out.append(Ranked(s, score, coverage))
    out = _answers_for_questions(out, evidence)
    out.sort(key=lambda r: (-r.score, r.sentence.rank, r.sentence.sentence_index))
    return out


def _answers_for_questions(
    ranked: list[Ranked], evidence: Sequence[EvidenceSentence], reach: int = 2
) -> list[Ranked]:
    """An interviewer's question ('Q: What does the town need most now?') is never the answer:
    the sentences after it are. Each of the next `reach` sentences of the same story takes the
    question's score when it is higher than its own; the question itself scores nothing."""
    questions = [
        r for r in ranked if not r.sentence.is_claim and r.sentence.text.rstrip().endswith("?")
    ]
    if not questions:
        return ranked
    by_place = {(r.sentence.doc_id, r.sentence.sentence_index): r for r in ranked}
    lifted: dict[tuple[str, int], Ranked] = {}
    for q in questions:
        for step in range(1, reach + 1):
            key = (q.sentence.doc_id, q.sentence.sentence_index + step)
            after = by_place.get(key)
            if after is None or after.sentence.text.rstrip().endswith("?"):
                break
            current = lifted.get(key, after)
            if q.score > current.score:
                lifted[key] = Ranked(after.sentence, q.score, max(q.coverage, after.coverage))
    asked = {id(q) for q in questions}
    return [
        Ranked(r.sentence, 0.0, 0.0)
        if id(r) in asked
        else lifted.get((r.sentence.doc_id, r.sentence.sentence_index), r)
        for r in ranked
    ]


_DATE = re.compile(
    r"\b(?:(?:19|20)\d\d|january|february|march|april|may|june|july|august|september|october|"
    r"november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|"
    r"yesterday|next (?:week|month|year)|within \w+ (?:days|weeks|months)|"
    r"in \w+ (?:days|weeks|months|years))\b",
    re.I,
)


def _earlier_years(s: EvidenceSentence, question: Question) -> bool:
    """The reporter's sentence dates itself only to years before its story was published
    (background: 'the valley last flooded in 2011, when 40 houses were lost'), and the
    question names
    no year of its own."""
    years = _years(s.text)
    if s.is_claim or not years or _years(question.text) or s.published is None:
        return False  # a party's account of past years ('paid in 2020') is the story itself
    if re.search(r"\bwhen\b", question.text, re.I):
        return False
    return all(int(y) < s.published.year for y in years)


def _years(text: str) -> set[str]:
    return set(re.findall(r"\b(?:19|20)\d\d\b", text))


def speaker_names(
    evidence: Sequence[EvidenceSentence], aliases_of: Callable[[str], Sequence[str]]
) -> dict[str, set[str]]:
    """Each party speaking in the evidence -> its aliases and the speakers quoted for it."""
    names: dict[str, set[str]] = {}
    for s in evidence:
        if not s.is_claim:
            continue
        entry = names.setdefault(s.party, {s.party, *aliases_of(s.party)})
        if s.speaker:
            entry.add(s.speaker)
    return names


@dataclass(frozen=True, slots=True)
class Asked:
    """The parties a question asks about, with the names each goes by in the sources."""

    parties: dict[str, set[str]]
    missing: tuple[str, ...]  # speaker phrases that name nobody in the sources
    phrases: dict[str, str] = field(default_factory=dict)  # party -> the question's phrase
    unresolved: tuple[str, ...] = ()  # every speaker phrase found for nobody ('the defence')

    def owner(self, s: EvidenceSentence) -> str | None:
        """The asked party a sentence speaks for: its ledger party, its recorded speaker, or
        the question's own name for it given in the sentence as its source."""
        if s.party in self.parties:
            return s.party
        # a named party's sentence stays its own unless a name ties its speaker to the asked
        # party ('ministry spokesman Ana Ruiz'), never a generic role ('A ministry official');
        # a generic ledger party ('Prosecutors') may be the asked one under another name
        mine = not s.is_claim or _proper(s.speaker) or not _proper(s.party)
        speaker = s.speaker if mine else None
        for party, names in self.parties.items():
            if speaker and resolve_speaker(speaker, {party: names}) == party:
                return party
            # a generic party ('Prosecutors') speaks through one of its kind ('prosecutor
            # Ana Ruiz said ...'), whom the ledger may file under her own name
            kind = tokens(party)
            if not _proper(party) and kind and set(kind) <= set(tokens(s.speaker or "")):
                return party
            phrase = self.phrases.get(party)
            if phrase and self_sources(s.text, phrase_names(phrase)):
                return party
        return None


def _proper(name: str | None) -> bool:
    """A name with a capitalised word past its first ('ministry spokesman Ana Ruiz')."""
    words = (name or "").split()
    return any(w[:1].isupper() for w in words[1:])


def asked_parties(
    question: Question,
    evidence: Sequence[EvidenceSentence],
    aliases_of: Callable[[str], Sequence[str]],
    resolve: Callable[[str], str | None],
) -> Asked:
    """The parties the question asks about, and the speaker phrases naming nobody there.

    A phrase without a capitalised word ('each side') that names nobody is not a speaker.
    """
    names = speaker_names(evidence, aliases_of)
    found: dict[str, set[str]] = {}
    phrases: dict[str, str] = {}
    missing: list[str] = []
    unresolved: list[str] = []
    for phrase in question.speakers:
        # 'prosecutors in the X case': the speaker is the words before the preposition, when
        # the whole phrase names nobody
        head = re.split(r"\s+(?:in|at|on|for|from|over|behind)\s+", phrase, maxsplit=1)[0]
        if (
            head != phrase
            and not _party_for(phrase, evidence, names, resolve)
            and _party_for(head, evidence, names, resolve)
        ):
            phrase = head
        party = _party_for(phrase, evidence, names, resolve)
        if party and _names_another(phrase, party, names[party], evidence):
            missing.append(phrase)  # 'X's coach' where only X speaks: the coach says nothing
            continue
        if party:
            found.setdefault(party, names[party] | {phrase})
            phrases.setdefault(party, phrase)
        else:
            unresolved.append(phrase)
            if re.search(r"\b[A-Z]", phrase):
                missing.append(phrase)
    # 'what limits has X set': X, when it is a name of a party (not of a speaker: 'what
    # sentence did the court hand down' is not asked of 'the court's first witness')
    own_names = {p: {p, *aliases_of(p)} for p in names}
    for span in question.doers:
        words = span.split()
        # the doer ends before a preposition ('X put on the river'); 'of' joins a name
        cut = next((i for i, w in enumerate(words) if i and w.lower() in _PREPOSITIONS), None)
        words = words[:cut]
        for size in range(len(words), 0, -1):
            phrase = " ".join(words[:size])
            if words[size - 1].lower() in _DETERMINERS or not re.search(r"\b[A-Z]", phrase):
                continue
            # 'Velor's civil protection agency': the agency, though its names lack the country
            bare = re.sub(r"^[A-Z][\w-]*(?:'s|’s)\s+", "", phrase)
            party = resolve_speaker(phrase, own_names, resolve(phrase)) or (
                resolve_speaker(bare, own_names) if bare != phrase else None
            )
            if party:
                found.setdefault(party, names[party] | {phrase})
                phrases.setdefault(party, phrase)
                break
    # a short form the ledger kept apart ('the Defense Ministry' beside 'Velm's Defense
    # Ministry'): the one party whose name holds all its words speaks through it too
    for short in names:
        short_words = set(tokens(short))
        if short in found or len(short_words) < 2:
            continue
        holders = [p for p in names if p != short and short_words < set(tokens(p))]
        if len(holders) == 1 and holders[0] in found:
            found[short] = names[short] | {phrases[holders[0]]}
            phrases[short] = phrases[holders[0]]
    # 'X's foreign minister, Ana Ruiz, ...': a role in apposition to a found speaker is that one
    for phrase in list(unresolved):
        if found and any(f"{phrase}, {other}" in question.text for other in phrases.values()):
            unresolved.remove(phrase)
            if phrase in missing:
                missing.remove(phrase)
    # 'what has X's founder Ana Ruiz said': the person must speak in the story, not only the
    # body she belongs to ('X said in a statement ...' is not her word)
    for party, phrase in list(phrases.items()):
        person = _silent_person(phrase, party, evidence)
        if person:
            del found[party], phrases[party]
            missing.append(person)
    return Asked(found, tuple(missing), phrases, tuple(unresolved))


def _names_another(
    phrase: str, party: str, own_names: Iterable[str], evidence: Sequence[EvidenceSentence]
) -> bool:
    """'Velm's coach', 'the Orvik League council': a phrase of a name and a common noun which
    none of the party's names carries, nor titles one of its speakers in the story, nor is a
    kind of body or a representative role, asks about someone the story names only through
    the party ('council' is not 'Orvik League Monitoring Mission'; 'X's spokesman' and 'X's
    regulator' are X)."""
    from assistant.answers.question import _role_words
    from assistant.answers.spans import role_family, titles_speaker

    words = re.sub(r"[^\w'’-]+$", "", phrase).split()
    if len(words) < 2 or not re.fullmatch(r"[a-z][a-z-]+", words[-1]):
        return False
    head = tokens(words[-1])
    rest = set(tokens(" ".join(words[:-1])))
    if not head or not rest or head[0] in _role_words() or role_family(head[0]):
        return False
    own = {t for name in (party, *own_names) for t in tokens(name)}
    if head[0] in own or family(head[0]) & own or any(_similar(head[0], t) for t in own):
        return False
    return not any(s.party == party and titles_speaker(head[0], s) for s in evidence)


def _party_for(
    phrase: str,
    evidence: Sequence[EvidenceSentence],
    names: Mapping[str, set[str]],
    resolve: Callable[[str], str | None],
) -> str | None:
    """The party a speaker phrase names: by its names, then as the body a story introduces
    with it, a generic noun, a description, a role or a side of a case."""
    party = resolve_speaker(phrase, dict(names), resolve(phrase))
    generic = generic_party(phrase, evidence, names)
    if party and generic and not _names_kind(phrase, names[party]):
        party = generic  # 'the Velorian government' is not the Velor Unity Party
    found = (
        party
        or introduced_party(phrase, evidence, names)
        or generic
        or described_party(phrase, evidence, names)
        or role_party(phrase, evidence, names)
        or side_party(phrase, evidence, names)
        or surname_party(phrase, names)
    )
    # "Velm's electoral commission": the commission, though none of its names has the country
    bare = re.sub(r"^(?:the\s+)?[A-Z][\w-]*(?:'s|’s)\s+", "", phrase)
    if not found and bare != phrase and len(bare.split()) >= 2:
        return _party_for(bare, evidence, names, resolve)
    return found


_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|miss|dr|prof|professor|sir|dame)\.?\s+", re.I)


def surname_party(phrase: str, names: Mapping[str, set[str]]) -> str | None:
    """'Ana Ruiz' when the story calls her 'Ms Ruiz' only: the one party with a name that is
    an honorific and the phrase's surname."""
    words = phrase.split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return None
    surname = tokens(words[-1])
    holders = {
        party
        for party, own in names.items()
        for name in (party, *own)
        if _HONORIFIC.match(name) and tokens(_HONORIFIC.sub("", name)) == surname
    }
    return holders.pop() if len(holders) == 1 else None


_PERSON = re.compile(r"\b([A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*)+)\s*$")


def _silent_person(phrase: str, party: str, evidence: Sequence[EvidenceSentence]) -> str | None:
    """The person a speaker phrase ends with ('X's founder Ana Ruiz' -> 'Ana Ruiz'), when no
    sentence of the story has her as its speaker; None when she speaks or none is named."""
    match = _PERSON.search(phrase)
    if not match or set(tokens(match.group(1))) <= set(tokens(party)):
        return None  # no name, or the party's own ('Velm Port Authority', 'Ana Ruiz')
    person = re.split(r"(?:'s|’s)\s+", match.group(1))[-1]  # 'X's Ana Ruiz' -> 'Ana Ruiz'
    before = phrase[: len(phrase.rstrip()) - len(person)].strip()
    if not re.sub(r"^(?:the|a|an)\b", "", before, flags=re.I).strip():
        return None  # a name alone ('Kest General Hospital'), no role or body before it
    if len(person.split()) < 2 or set(tokens(person)) <= set(tokens(party)):
        return None
    surname = tokens(person)[-1]
    for s in evidence:
        if s.cue != "continuation" and surname in tokens(s.speaker or ""):
            return None
    return person


_PRONOUNS = frozenset(["she", "he", "it", "they", "we", "i", "this report"])
_PREPOSITIONS = frozenset(
    ["to", "on", "in", "for", "at", "from", "with", "by", "about", "over", "after", "into"]
)
_DETERMINERS = frozenset(["the", "a", "an", "its", "their", "his", "her", "of", "to", "for"])


def _phrase_forms(phrase: str) -> list[str]:
    """The forms a speaker phrase is written in a story: itself without its article or
    possessive, and its run of capitalised words ('columnist Yvra Quenby' -> 'Yvra Quenby')."""
    bare = re.sub(r"^(the|a|an)\s+", "", phrase.strip(), flags=re.I)
    bare = re.sub(r"(?:'s|’s)$", "", bare)
    runs = re.findall(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+", bare)
    return [f for f in dict.fromkeys([bare, *runs]) if len(f) > 3]


def introduced_party(
    phrase: str, evidence: Sequence[EvidenceSentence], names: Mapping[str, set[str]]
) -> str | None:
    """The party whose speaker a story introduces with the asked name beside it ('At Kest
    General Hospital, director Ana Diaz said ...', 'A group calling itself the Blue Hand
    claimed ...'): the asked name stands for that party, when the ledger files it under the
    person or a generic noun."""
    from assistant.verify.verifier import REPORTING

    forms = [f.lower() for f in _phrase_forms(phrase)]
    votes: dict[str, int] = {}
    for s in evidence:
        if not s.is_claim:
            continue
        low = s.text.lower()
        verb = REPORTING.search(s.text)
        subject_end = verb.start() if verb else 0  # the introduction precedes the verb
        spans = [
            (m.start(), m.end())
            for f in forms
            for m in re.finditer(re.escape(f), low)
            if m.end() <= subject_end
        ]
        if not spans:
            continue
        for n in names.get(s.party, ()):
            n_low = n.lower()
            if len(n_low) <= 3 or n_low in _PRONOUNS:
                continue
            for m in re.finditer(re.escape(n_low), low):
                if any(max(m.start() - e, b - m.end(), 0) <= 40 for b, e in spans):
                    votes[s.party] = votes.get(s.party, 0) + 1
    return max(votes, key=lambda p: votes[p]) if votes else None


def described_party(
    phrase: str, evidence: Sequence[EvidenceSentence], names: Mapping[str, set[str]]
) -> str | None:
    """'the harbour pilots union' for the story's Velm Harbour Pilots' Union, 'the mountain
    rescuers' for its Mountain Rescue: a description (no capital) whose head noun ends the names of
    exactly one party of the story, when the story has the description's other words too."""
    if re.search(r"[A-Z]", phrase):
        return None
    words = [t for t in tokens(phrase) if t not in ("the", "a", "an")]
    if len(words) < 2:  # a bare 'the union' is the ledger's own generic alias, or nobody's
        return None
    head, rest = words[-1], words[:-1]
    fits = [
        p
        for p in names
        if p != NARRATOR
        and any(
            re.search(r"[A-Z]", n) and (toks := tokens(n)) and _similar(toks[-1], head)
            for n in names[p]
        )
    ]
    if len(fits) != 1:
        return None
    text = set(tokens(" ".join(s.text for s in evidence)))
    return fits[0] if all(_has(w, text) for w in rest) else None


def role_party(
    phrase: str,
    evidence: Sequence[EvidenceSentence],
    names: Mapping[str, set[str]],
    window: int = 60,
) -> str | None:
    """'Velmia's opposition leader' for the story's 'Ana Brill, leader of the opposition
    Velmian Unity Party, said ...': the one party one of whose names has all the
    phrase's lower-case words (its role) within `window` characters of it in one of its own
    sentences, when the story also has the phrase's capitalised words."""
    role = [
        t for t in tokens(re.sub(r"\b[A-Z][\w'’-]*", " ", phrase)) if t not in ("the", "a", "an")
    ]
    if len(role) < 2:  # a bare 'the defence' is too loose a description to find anyone by
        return None
    capitals = [t for c in re.findall(r"\b[A-Z][\w'’-]*", phrase) for t in tokens(c)]
    text = set(tokens(" ".join(s.text for s in evidence)))
    if not all(_has(c, text) for c in capitals):
        return None
    return _introduced_with(evidence, names, lambda near: all(_has(w, near) for w in role), window)


def _introduced_with(
    evidence: Sequence[EvidenceSentence],
    names: Mapping[str, set[str]],
    fits_words: Callable[[set[str]], bool],
    window: int,
) -> str | None:
    """The one party of the story one of whose names has words beside it (within `window`
    characters, in one of the party's own sentences) that `fits_words` accepts."""
    fits: set[str] = set()
    for s in evidence:
        if not s.is_claim or s.party in fits:
            continue
        for name in names.get(s.party, ()):
            if len(name) <= 3 or name.lower() in _PRONOUNS:
                continue
            at = s.text.find(name)
            if at < 0:
                continue
            if fits_words(set(tokens(s.text[max(0, at - window) : at + len(name) + window]))):
                fits.add(s.party)
                break
    return next(iter(fits)) if len(fits) == 1 else None


@cache
def _sides() -> dict[str, frozenset[str]]:
    text = files("assistant.answers.lexicons").joinpath("sides.txt").read_text("utf-8")
    out: dict[str, frozenset[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#") and ":" in line:
            sides, roles = line.split(":", 1)
            for side in sides.split():
                out[side.lower()] = frozenset(tokens(roles))
    return out


def side_party(
    phrase: str,
    evidence: Sequence[EvidenceSentence],
    names: Mapping[str, set[str]],
    window: int = 40,
) -> str | None:
    """'the defence' for the story's "the mayor's lawyer said ...": the one party
    one of whose names, or the words beside it in its own sentences, has a role word of the
    asked side (sides.txt)."""
    words = [w for w in re.findall(r"[a-z]+", phrase.lower()) if w not in ("the", "a", "an")]
    if len(words) != 1 or words[0] not in _sides():
        return None
    roles = _sides()[words[0]]
    fits: set[str] = set()
    for party, party_names in names.items():
        if party == NARRATOR:
            continue
        if any(set(tokens(n)) & roles for n in party_names):
            fits.add(party)
    if not fits:
        return _introduced_with(evidence, names, lambda near: bool(near & roles), window)
    return next(iter(fits)) if len(fits) == 1 else None


def generic_party(
    phrase: str, evidence: Sequence[EvidenceSentence], names: Mapping[str, set[str]]
) -> str | None:
    """'the Velorian government' for a story whose ledger files it as 'government': the one
    generic party (no capital in its name) the phrase's other words name, when the story
    mentions the phrase's capitalised words and no named party answers to those words."""
    capitals = re.findall(r"\b[A-Z][\w'’-]*", phrase)
    rest = [t for t in tokens(re.sub(r"\b[A-Z][\w'’-]*", " ", phrase)) if t not in ("the", "a")]
    if not capitals or not rest:
        return None
    text = set(tokens(" ".join(s.text for s in evidence)))
    if not all(any(_similar(t, w) for w in text) for c in capitals for t in tokens(c)[:1]):
        return None

    def named_by(party: str) -> bool:
        have = [t for n in names[party] for t in tokens(n)]
        return all(any(_similar(r, h) for h in have) for r in rest)

    fits = [p for p in names if p != NARRATOR and named_by(p)]
    # the ledger may write a generic party with its sentence's capital ('Government')
    generic = [p for p in fits if not re.search(r"[A-Z]", p[1:])]
    return generic[0] if len(generic) == 1 and len(fits) == 1 else None


def _names_kind(phrase: str, names: Iterable[str]) -> bool:
    """A party's names include the kind of body the phrase names (its lower-case words:
    'government', 'foreign ministry')."""
    kind = [t for t in tokens(re.sub(r"\b[A-Z][\w'’-]*", " ", phrase)) if t not in ("the", "a")]
    have = [t for n in names for t in tokens(n)]
    return not kind or any(_similar(k, h) for k in kind for h in have)


def phrase_names(phrase: str) -> list[str]:
    """A speaker phrase and its name alone: 'Zentrix Airways' -> also 'Zentrix'."""
    bare = re.sub(r"^(the|a|an)\s+", "", phrase.strip(), flags=re.I)
    capitals = re.findall(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*", bare)
    out = [bare, *capitals]
    out += [c.split()[0] for c in capitals if len(c.split()) > 1]
    return [n.removesuffix("'s").removesuffix("’s") for n in dict.fromkeys(out) if len(n) > 3]


def self_sources(text: str, names: Sequence[str]) -> list[str]:
    """The names a sentence gives as its own source: a name followed (within three words) by
    a reporting verb, or after 'according to'."""
    from assistant.verify.verifier import REPORTING

    found = []
    lowered = text.lower()
    for name in names:
        n = name.lower().removeprefix("the ").strip()
        if not n or n in ("she", "he", "it", "they", "this report"):
            continue
        for m in re.finditer(rf"(?<!\w){re.escape(n)}(?:'s|’s)?(?!\w)", lowered):
            after = lowered[m.end() : m.end() + 40].split()[:3]
            before = lowered[max(0, m.start() - 18) : m.start()]
            if any(REPORTING.fullmatch(w.strip(",.;:")) for w in after) or "according to" in before:
                found.append(name)
                break
    return found


def select(
    question: Question,
    ranked: Sequence[Ranked],
    asked: Asked | None = None,
    limit: int = MAX_STATEMENTS,
    rivals: float = 0.3,
) -> list[EvidenceSentence]:
    """The sentences that answer: the asked parties' own when asked, else the best of each
    party that speaks to the point, competing figures side by side."""
    if not ranked:
        return []
    best = ranked[0].score
    chosen: list[EvidenceSentence] = []
    if asked and asked.parties and not asked.unresolved and not question.multi_part:
        per_party = max(2, (limit - 1) // len(asked.parties))
        for party in asked.parties:  # each asked party's best sentences
            own = [r for r in ranked if asked.owner(r.sentence) == party]
            if question.wants_number:  # its figures first
                own.sort(key=lambda r: not _figure(r.sentence, question))
            if not own:
                continue
            # the story is chosen already: each of the party's sentences says its piece
            picks = [r.sentence for r in own][:per_party]
            direct = next((r.sentence for r in own if r.sentence.party == party), None)
            if direct is not None and direct not in picks:  # and one filed under its name
                picks[-1:] = [direct]
            chosen += picks
    else:
        whole = ranked  # every sentence of the story, before a figure question narrows it
        if question.wants_number and not question.multi_part:
            # a figure question is answered by figures, each party's latest report first
            figures = [r for r in ranked if _has_figure(r.sentence)]
            if figures and figures[0].score >= 0.4 * best:
                ranked = latest_first(figures)
                best = ranked[0].score
        elif not question.multi_part:  # a party's account as its latest report gives it
            ranked = latest_first(ranked, margin=0.9)
        seen: set[str] = set()
        # a figure question about a counted thing: past the best sentence, only figures of it
        # ('how many people' is also counted as a crowd, marchers, a turnout: any figure)
        counted_only = (
            question.wants_number
            and question.counted is not None
            and question.counted not in word_list("generic_counted")
        )
        for r in ranked:  # the best sentence of each party that speaks to the point
            if r.score < 0.6 * best:
                break
            if chosen and counted_only and not _counts(r.sentence, question):
                continue
            if r.sentence.party not in seen:
                seen.add(r.sentence.party)
                chosen.append(r.sentence)
        if not question.wants_number:  # each other party's position on it, side by side
            # (and each named voice of a party: the accused and his lawyer, a ministry and its
            # spokesman, may each state a piece of the party's account)
            voices = {(s.party, _voice(s)) for s in chosen}
            for r in ranked:
                s = r.sentence
                if not s.is_claim or r.coverage < rivals * best or s in chosen:
                    continue
                voice = _voice(s)
                if s.party not in seen or (voice is not None and (s.party, voice) not in voices):
                    seen.add(s.party)
                    voices.add((s.party, voice))
                    chosen.append(s)
        if question.wants_number:  # a party's competing figure in other words
            for r in ranked:
                s = r.sentence
                if counted_only and not _counts(s, question):
                    continue
                if s.is_claim and s.party not in seen and r.score >= 0.4 * best and _has_figure(s):
                    seen.add(s.party)
                    chosen.append(s)
        if not counted_only:  # the other side's answer in its own words, on the same names
            for s in shared_name_rivals(question, chosen, whole, best):
                seen.add(s.party)
                chosen.append(s)
        if not question.wants_number:  # figure questions have their rival figures below
            for s in same_figure_rivals(chosen, ranked):
                seen.add(s.party)
                chosen.append(s)
        for party in asked.parties if asked else ():  # every asked party has its say
            if party not in seen:
                own = [r for r in ranked if asked.owner(r.sentence) == party]  # type: ignore[union-attr]
                if own:
                    seen.add(party)
                    chosen.append(own[0].sentence)
        if question.wants_number and question.counted:  # every figure for the counted thing
            for r in ranked:
                if len(chosen) >= limit:
                    break
                if (
                    r.sentence not in chosen
                    and r.score >= 0.4 * best
                    and _counts(r.sentence, question)
                ):
                    chosen.append(r.sentence)
        for r in ranked:
            if len(chosen) >= limit or counted_only:
                break
            fill = 0.6 if question.wants_number else 0.8
            if r.sentence not in chosen and r.score >= fill * best:
                chosen.append(r.sentence)
        lone = len(chosen) == 1 and chosen[0].is_claim
        if lone and not (question.wants_number or question.wants_date or question.multi_part):
            chosen += same_party_detail(chosen[0], ranked)
    unique: list[EvidenceSentence] = []
    for s in chosen[:limit]:
        if not any(_same_sentence(s, u) for u in unique):
            unique.append(s)
    return unique


def _voice(sentence: EvidenceSentence) -> str | None:
    """Who in a party says a sentence ("brisk's lawyer, x"); None for a pronoun or nobody."""
    words = (sentence.speaker or "").split()
    if not words or words[0].lower() in _PRONOUNS:
        return None
    if not any(w[:1].isupper() for w in words[1:]) and not words[0][:1].isupper():
        return None  # "the union": the party itself, no voice of its own
    if len(words) == 1 or not any(w[:1].isupper() for w in words[1:]):
        return None
    return " ".join(words).lower()


def same_party_detail(
    lone: EvidenceSentence, ranked: Sequence[Ranked], limit: int = 2
) -> list[EvidenceSentence]:
    """A lone answer sentence is a party's headline; the same party's other sentences of the
    report that share an asked word give what it found ('the concentration was 40 times ...')."""
    return [
        r.sentence
        for r in ranked
        if r.sentence is not lone
        and r.sentence.party == lone.party
        and r.sentence.doc_id == lone.doc_id
        and r.coverage > 0
    ][:limit]


def same_figure_rivals(
    chosen: Sequence[EvidenceSentence], ranked: Sequence[Ranked]
) -> list[EvidenceSentence]:
    """Another party's sentence on a figure or date the answer gives ('the 21 April report
    was about another product'): its position on the same point, whatever its words."""
    if not chosen:
        return []
    given = numbers_with_words(chosen[0].text) - _years(chosen[0].text)  # the answer's point
    out: list[EvidenceSentence] = []
    parties = {chosen[0].party}
    for r in ranked:
        s = r.sentence
        if (
            s.is_claim
            and s.party not in parties
            and s not in chosen
            and given & numbers_with_words(s.text)
        ):
            parties.add(s.party)
            out.append(s)
    return out[:2]


_CAPITAL = re.compile(r"(?<=[\s(“\"‘'])[A-Z][a-z][\w-]*")


def entity_words(text: str) -> set[str]:
    """The names a sentence mentions past its first word and its dateline (a firm, a place,
    a person): its capitalised words, months and weekdays aside."""
    from assistant.answers.extractive import strip_dateline

    body = strip_dateline(text)
    found = {m.group().removesuffix("’s").removesuffix("'s") for m in _CAPITAL.finditer(body)}
    return {t for w in found for t in tokens(w) if not _DATE.fullmatch(w)}


def shared_name_rivals(
    question: Question,
    chosen: Sequence[EvidenceSentence],
    ranked: Sequence[Ranked],
    best: float,
    floor: float = 0.3,
) -> list[EvidenceSentence]:
    """Another party's best sentence on a name the answer's best sentence gives beyond the
    question's own ('repayments of a loan to the firm's founder' beside 'took 4.6 million in
    bribes from the firm'): its answer to the point in its own words."""
    if not chosen:
        return []
    asked = {t for name in question.names for t in tokens(name)} | set(tokens(question.text))
    names = entity_words(chosen[0].text) - asked
    if not names:
        return []
    seen = {s.party for s in chosen}
    voices = {(s.party, _voice(s)) for s in chosen}  # a party's other named voice may answer
    out: list[EvidenceSentence] = []
    for r in ranked:
        s = r.sentence
        if r.score < floor * best:
            break
        if not s.is_claim or s in chosen or not names & entity_words(s.text):
            continue
        voice = _voice(s)
        if s.party not in seen or (voice is not None and (s.party, voice) not in voices):
            seen.add(s.party)
            voices.add((s.party, voice))
            out.append(s)
    return out[:2]


def what_came_of_it(
    question: Question,
    chosen: Sequence[EvidenceSentence],
    evidence: Sequence[EvidenceSentence],
    limit: int = 2,
) -> list[EvidenceSentence]:
    """'What happened to the X?': the later sentences of the first chosen one's story that
    name the X again ('the broadcaster later removed the report'), the first of them first."""
    if not question.fate or not chosen:
        return []
    first = chosen[0]
    later = [
        s
        for s in evidence
        if s.doc_id == first.doc_id
        and s.sentence_index > first.sentence_index
        and s not in chosen
        and _has(question.fate, set(tokens(s.text)))
    ]
    later.sort(key=lambda s: s.sentence_index)
    return later[:limit]


def with_account_next(
    chosen: Sequence[EvidenceSentence], evidence: Sequence[EvidenceSentence]
) -> list[EvidenceSentence]:
    """The best chosen claim, then the sentence after it when the ledger continues the same
    party's account there ('Welbrook said it would not pay.' 'It has hired a security firm.'),
    then the rest."""
    first = next((s for s in chosen if s.is_claim), None)
    if first is None:
        return list(chosen)
    at = {(s.doc_id, s.sentence_index): s for s in evidence}
    after = at.get((first.doc_id, first.sentence_index + 1))
    if (
        after is None
        or after in chosen
        or after.party != first.party
        or after.cue != "continuation"
    ):
        return list(chosen)
    where = chosen.index(first) + 1
    return [*chosen[:where], after, *chosen[where:]]


def replies(
    chosen: Sequence[EvidenceSentence], evidence: Sequence[EvidenceSentence], reach: int = 2
) -> list[EvidenceSentence]:
    """The other side's reply where the story gives it, right after a chosen claim: within
    the next `reach` sentences, another party's claim on the same thing (a content word in
    common: 'ballot papers ran out' / 'no reports of ballot shortages')."""
    at = {(s.doc_id, s.sentence_index): s for s in evidence}
    out: list[EvidenceSentence] = []
    for s in chosen:
        if not s.is_claim:
            continue
        words = set(tokens(s.text)) - set(tokens(s.party))
        for step in range(1, reach + 1):
            after = at.get((s.doc_id, s.sentence_index + step))
            if after is None or not after.is_claim or after.party == s.party:
                continue
            if after in chosen or after in out:
                break
            if words & (set(tokens(after.text)) - set(tokens(after.party))):
                out.append(after)
            break
    return out


def with_openings(
    chosen: Sequence[EvidenceSentence], evidence: Sequence[EvidenceSentence]
) -> list[EvidenceSentence]:
    """A party's sentence that continues its paragraph ('Data on current customers was not
    affected') comes with the paragraph's opening sentence that names the party saying it and
    what it is about ('X said an intruder reached the records of 38,000 former customers')."""
    out: list[EvidenceSentence] = []
    for s in chosen:
        opening = _opening(s, evidence) if s.is_claim and s.cue == "continuation" else None
        if opening is not None and opening not in out:  # before it, even if chosen later
            out.append(opening)
        if s not in out:
            out.append(s)
    return out


def _opening(s: EvidenceSentence, evidence: Sequence[EvidenceSentence]) -> EvidenceSentence | None:
    """The explicit sentence of the same party that begins the paragraph `s` continues: the
    sentences between touch (one space, no blank line) and are all that party's."""
    doc = sorted((e for e in evidence if e.doc_id == s.doc_id), key=lambda e: e.sentence_index)
    by_index = {e.sentence_index: e for e in doc}
    current = s
    while (prev := by_index.get(current.sentence_index - 1)) is not None:
        if prev.party != s.party or current.start - prev.end > 1:
            return None  # another speaker, or a paragraph break
        if prev.cue == "explicit":
            return prev
        current = prev
    return None


def overview(
    evidence: Sequence[EvidenceSentence], limit: int = OVERVIEW_STATEMENTS
) -> list[EvidenceSentence]:
    """A story's key facts: its lead, then each party's first figure (or first claim) in the
    order the reports give them, the latest report first."""
    if not evidence:
        return []
    by_doc = sorted(evidence, key=lambda s: (s.rank, s.sentence_index))
    lead = by_doc[0]
    chosen = [lead]
    parties: dict[str, EvidenceSentence] = {}
    for s in by_doc:
        if not s.is_claim or s.party == lead.party or len(s.text.split()) < 4:
            continue
        if s.party not in parties or (
            not _has_figure(parties[s.party]) and _has_figure(s) and s.doc_id == lead.doc_id
        ):
            parties[s.party] = s
    chosen += list(parties.values())
    return chosen[:limit]


def latest_first(ranked: Sequence[Ranked], margin: float = 0.75) -> list[Ranked]:
    """Each party's sentences from its latest report move ahead of its earlier ones of a
    near score: a revised figure answers before the figure it replaced."""
    out = list(ranked)
    for i, r in enumerate(out):
        later = [
            x
            for x in out[i + 1 :]
            if x.sentence.party == r.sentence.party
            and (x.sentence.published or date.min) > (r.sentence.published or date.min)
            and x.score >= margin * r.score
        ]
        if later:
            j = out.index(later[0])
            out[i], out[j] = out[j], out[i]
    return out


def rival_figures(
    question: Question,
    ranked: Sequence[Ranked],
    chosen: Sequence[EvidenceSentence],
    floor: float = 0.2,
) -> list[EvidenceSentence]:
    """A figure question already answered: each other party's own best figure in the story,
    beside the chosen ones, even when it counts in other words ('accounts' for 'households')."""
    if not ranked or not question.wants_number:
        return []
    from assistant.verify.revisions import number_units

    best = ranked[0].score
    seen = {s.party for s in chosen}
    docs = {s.doc_id for s in chosen}  # a rival in the reports that answer, not in another
    units = {u for s in chosen if _counts(s, question) for u in number_units(s.text).values()}

    def same_unit(s: EvidenceSentence) -> bool:  # '2 million litres' beside '5 million liters'
        return any(
            u == w or same_spelling(u, w) for u in number_units(s.text).values() for w in units
        )

    pool = []
    for r in ranked:
        s = r.sentence
        if s.doc_id not in docs:
            continue
        counted = _counts(s, question) or same_unit(s)
        if question.measured and not counted:
            continue  # a measured quantity ('how much rain') has no rival in other words
        if s.is_claim and r.score >= floor * best and _has_figure(s):
            pool.append((not counted, s))  # a rival count of the same thing first
    out = []
    for _, s in sorted(pool, key=lambda item: item[0]):
        if s.party not in seen:
            seen.add(s.party)
            out.append(s)
    return out[:2]


_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
)
_DAY_OF_MONTH = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\b|\b{_MONTHS}\s+\d{{1,2}}\b", re.I
)


def _has_figure(s: EvidenceSentence) -> bool:
    """A number that counts something: not a year, not a day of a month ('19 May')."""
    text = _DAY_OF_MONTH.sub(" ", s.text)
    return bool(numbers_with_words(text) - _years(text))


def _counts(s: EvidenceSentence, question: Question) -> bool:
    """The sentence gives a figure for the thing counted ('1,100 workers', 'four civilians')."""
    from assistant.verify.revisions import figures

    if not question.counted:
        if re.search(r"\bhow much\b", question.text, re.I):  # an amount, never a head count
            return _amount(s.text)
        return bool(numbers_with_words(s.text) - _years(s.text))
    if question.counted in word_list("generic_counted"):
        # 'how many people died': any head count of the asked outcome ('killed 19 fighters')
        outcome = [h for h in question.heads if h != question.counted]
        said = set(tokens(s.text))
        if _has_figure(s) and outcome and all(_has(h, said) for h in outcome):
            return True
    if question.outcome and not _has(question.outcome, set(tokens(s.text))):
        return False  # 'how many soldiers did they wound': '27 soldiers killed' counts others
    wanted = family(question.counted)
    if _measures(s.text, wanted, window=6 if question.measured else 4):  # '11 reports of X'
        return True
    for _, followers in figures(s.text):
        for follower in followers:
            toks = tokens(follower)
            if toks and (toks[0] in wanted or any(_similar(toks[0], w) for w in wanted)):
                return True
    return False


def _amount(text: str) -> bool:
    """A figure that can answer 'how much': not a year and not a count of people ('a plant
    that employs about 380 people' says nothing of how much it was fined)."""
    from assistant.verify.revisions import figures

    years = _years(text)
    people = word_list("generic_counted")
    for value, followers in figures(text):
        if value in years:
            continue
        first = next((f.lower() for f in followers if f.lower() not in _SCALES), "")
        if first not in people:
            return True
    return False


_SCALES = frozenset({"hundred", "thousand", "million", "billion", "trillion", "m", "bn"})


def _measures(text: str, wanted: frozenset[str], window: int = 6) -> bool:
    """A figure with the measured noun among the few words after it, in the same clause
    ('3,500 litres of treated water' for 'how much water')."""
    from assistant.verify.figures import spell_digits

    text = spell_digits(text)
    for match in re.finditer(r"\d[\d,.]*", text):
        clause = re.split(r"[,;:.!?](?:\s|$)", text[match.end() :], maxsplit=1)[0]
        for w in tokens(" ".join(clause.split()[:window])):
            if w in wanted or any(_similar(w, x) for x in wanted):
                return True
    return False


def _figure(s: EvidenceSentence, question: Question) -> bool:
    """The sentence gives a figure (not a year), for the counted thing when there is one."""
    if not numbers_with_words(s.text) - _years(s.text):
        return False
    return (
        not question.counted
        or counts(s.text, question.counted)
        or _has(question.counted, set(tokens(s.text)))
        or (question.counted in word_list("generic_counted") and _counts(s, question))
    )


def _same_sentence(a: EvidenceSentence, b: EvidenceSentence) -> bool:
    ta, tb = set(tokens(a.text)), set(tokens(b.text))
    return bool(ta) and len(ta & tb) / len(ta | tb) >= 0.7


def answerable(
    question: Question,
    ranked: Sequence[Ranked],
    chosen: Sequence[EvidenceSentence],
    asked: Asked | None = None,
    story: Sequence[Ranked] | None = None,
) -> bool:
    """A chosen sentence states the asked point: it covers enough of the point's weighted
    words (a party's own sentences on the story do, when the question asks what it said),
    and a figure question gets a figure for what it counts."""
    if not chosen:
        return False
    words = [set(tokens(r.sentence.text)) for r in (story or ranked)]
    if any(not any(_has(h, t) for t in words) for h in question.heads):
        return False  # the story never names what is asked ('the type of drones')
    coverage = {id(r.sentence): r.coverage for r in ranked}
    if question.wants_date and not any(
        _DATE.search(_undated(s.text))
        and (coverage.get(id(s), 0.0) >= ANSWERABLE_COVERAGE or (asked and asked.owner(s)))
        and (not question.dated_deed or _has(question.dated_deed, set(tokens(s.text))))
        for s in chosen
    ):
        return False  # no date in a sentence that states the point (and its deed) or is the
        # asked party's: 'closed since Monday' does not say when it will reopen
    if question.wants_number and not any(
        _counts(s, question)
        and not opposed(question.text, s.text)
        and not _earlier_years(s, question)
        for s in chosen
    ):
        return False  # no figure of the asked thing, or only one on the other side of it, or
        # only one of years before the story ('40 houses were lost in 2011')
    if asked and asked.parties and not question.wants_number and not question.multi_part:
        # what X said on the story: X's own sentences answer, whatever the topic; but not
        # when the question names a thing others speak of and X never does ('what did the
        # trackers say about the debris', 'what turnout did the observers report')
        return not _silent_on(question, chosen, story or ranked, asked)
    if question.event:  # 'did the crew vote ...?': not when every mention is still to come
        done = [s for s in chosen if _has(question.event, set(tokens(s.text)))]
        if done and all(pending(s.text) or _not_yet(question.event, s.text) for s in done):
            return False
    if question.heads and not question.wants_number:
        holders = [s for s in chosen if _states_point(question, s)]
        if question.identity:  # 'which supplier ...': 'a supplier whose line ...' names none
            holders = [s for s in holders if _names_someone(question, s.text)]
        if not holders or all(pending(s.text) for s in holders):
            return False  # no chosen sentence states it, or each says it is still to come
    names_asked = NAMES_ASKED.search(question.text) and not question.wants_number
    if names_asked and not any(_names_someone(question, s.text) for s in chosen):
        return False  # 'I need their names': a sentence that names nobody does not answer
    if max(coverage.get(id(s), 0.0) for s in chosen) >= ANSWERABLE_COVERAGE:
        return True
    return question.multi_part and _answers_a_part(question, chosen, story or ranked)


_NAME_WORD = re.compile(r"(?<=[\s(“\"‘'])(?:[A-Z][a-z][\w'’-]*|[A-Z]{2,})")


@cache
def _explanation_nouns() -> frozenset[str]:
    from assistant.answers.question import lexicon_lines

    return frozenset(t for line in lexicon_lines("explanation_nouns.txt") for t in tokens(line))


SILENT_SHARE = 0.25  # a detail, not the story's topic: in at most this share of its sentences


def _silent_on(
    question: Question, chosen: Sequence[EvidenceSentence], story: Sequence[Ranked], asked: Asked
) -> bool:
    """The question's head noun is a detail of the story (in a few of its sentences, not its
    headline: 'the spill' of a spill story is what every sentence is about), and none of the
    asked party's sentences has it."""
    if not question.heads:
        return False
    head = question.heads[-1]
    if head in _explanation_nouns():
        return False  # 'what reason did X give': a 'because' sentence answers in other words
    own = [s for s in chosen if asked.owner(s)]
    if not own or any(_has(head, set(tokens(s.text))) for s in own):
        return False
    titles = {t for title in {r.sentence.title for r in story} for t in tokens(title)}
    if _has(head, titles):
        return False
    holders = sum(1 for r in story if _has(head, set(tokens(r.sentence.text))))
    return 0 < holders <= max(1.0, SILENT_SHARE * len(story))


def _names_someone(question: Question, text: str) -> bool:
    """The sentence names someone the question does not: a capitalised word past its first
    word that is no day or month and not one of the question's own names."""
    from assistant.answers.dates import MONTHS, WEEKDAYS

    asked = {t for name in question.names for t in tokens(name)}
    for match in _NAME_WORD.finditer(_undated(text)):
        word = match.group().rstrip("'’s").lower()
        if word in MONTHS or word in WEEKDAYS:
            continue
        if not set(tokens(word)) <= asked:
            return True
    return False


def _not_yet(verb: str, text: str) -> bool:
    """The verb comes after a modal or 'to' ('members would vote next week', 'plans to
    vote'): the deed is still to come."""
    modal = r"\b(?:would|will|could|may|might|to)\s+(\w+)(?:\s+(\w+))?"
    for match in re.finditer(modal, text, re.I):
        if any(w and tokens(w)[:1] == [verb] for w in match.groups()):
            return True
    return False


def _answers_a_part(
    question: Question, chosen: Sequence[EvidenceSentence], story: Sequence[Ranked]
) -> bool:
    """A two-part question's point words are split between its parts: a chosen sentence that
    covers enough of one part's words states that part."""
    from assistant.answers.question import parse_question, question_parts

    sentences = [r.sentence for r in story]
    wanted = {id(s) for s in chosen}
    for part in question_parts(question.text):
        for r in rank_sentences(parse_question(part), sentences):
            if id(r.sentence) in wanted and r.coverage >= ANSWERABLE_COVERAGE:
                return True
    return False


def _undated(text: str) -> str:
    """The sentence without its dateline: the day a story was filed answers no 'when'."""
    from assistant.answers.extractive import strip_dateline

    return strip_dateline(text)


def _states_point(question: Question, s: EvidenceSentence) -> bool:
    """The sentence has one of the asked point's nouns and, when the question has any, one of
    its other content words: 'a reduced sentence in another case' does not state the sentence a
    court handed down."""
    toks = set(tokens(s.text))
    if not any(_has(h, toks) for h in question.heads):
        return False
    names = {t for name in question.names for t in tokens(name)}
    context = [w for w in question.point if w not in question.heads and w not in names]
    # a two-part question's other words belong to its other part
    return question.multi_part or not context or any(_has(w, toks) for w in context)


@cache
def _pending() -> re.Pattern[str]:
    text = files("assistant.answers.lexicons").joinpath("pending_markers.txt").read_text("utf-8")
    phrases = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.I)


@cache
def _opposites() -> dict[str, set[str]]:
    text = (
        files("assistant.answers.lexicons").joinpath("opposed_prepositions.txt").read_text("utf-8")
    )
    out: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            a, b = line.split()
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
    return out


def opposed(question: str, text: str) -> bool:
    """The sentence puts the question's place or time on the other side ('sold in Velor' for
    'sold outside Velor'): a preposition and a capitalised name the question joins, joined in
    the sentence by an opposite preposition."""
    pairs = re.findall(r"\b([a-z]+)\s+(?:the\s+)?([A-Z][\w'’-]+)", question)
    opposites = _opposites()
    for prep, name in pairs:
        for other in opposites.get(prep.lower(), ()):
            there = re.search(rf"\b{other}\s+(?:the\s+)?{re.escape(name)}\b", text)
            asked = re.search(rf"\b{prep}\s+(?:the\s+)?{re.escape(name)}\b", text, re.I)
            if there and not asked:
                return True
    return False


@cache
def _duration() -> re.Pattern[str]:
    text = files("assistant.answers.lexicons").joinpath("duration_markers.txt").read_text("utf-8")
    phrases = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.I)


def duration(text: str) -> bool:
    """The sentence bounds how long something lasts: a marker with a date or span right after
    it ('until Saturday', 'within two weeks'; not 'until this week, ...')."""
    span = re.compile(r"\s*(?:\w+\s+)?(?:\d|\w+\s+(?:hours|days|weeks|months|years)\b)")
    return any(
        " " in m.group()  # 'for days', 'expected to last'
        or _DATE.match(text[m.end() :].lstrip())
        or span.match(text[m.end() :])
        for m in _duration().finditer(text)
    )


_SPAN_OF_TIME = re.compile(
    r"\b([\d.,]+|[a-z]+)(?:[\s-]+and[\s-]+a[\s-]+half)?[\s-]+"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b",
    re.I,
)


def takes_time(text: str) -> bool:
    """A span of time stated as a figure with its unit ('takes 31 minutes', 'a three-hour
    wait'): how long something takes or lasts."""
    return any(numbers_with_words(m.group(1)) for m in _SPAN_OF_TIME.finditer(text))


def pending(text: str) -> bool:
    """The sentence presents its point as still to come ('results are expected on Friday')."""
    return bool(_pending().search(text))


def who(party: str) -> str:
    from assistant.verify.verifier import display_party

    return display_party(party) if party != NARRATOR else "the reporting outlet"
