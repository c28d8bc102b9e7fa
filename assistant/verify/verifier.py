"""Checks every answer statement against the evidence it cites, before anything reaches a user.

A statement must cite evidence that supports it (lexical overlap). Then, against the cited
sentences: every number (digits or words) appears in them; each number counts the same thing
there; no verb is negated against them; doer and done-to are not swapped; text in quotation
marks is an exact substring of them; a party named as the source is the ledger's speaker; and
a claim names its party. A statement that fails is repaired (party added or corrected, citation
removed, replaced by the cited sentence's own words) or dropped, and every change is recorded.
Statements that copy a cited sentence word for word skip the checks a copy cannot fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from assistant.lexical import STOPWORDS, overlap
from assistant.types import Repair, VerifierCheck
from assistant.verify.evidence import EvidenceSentence
from assistant.verify.figures import (
    figures_in,
    is_number_word,
    numbers_in,
    same_thing,
    word_list,
)

SUPPORT_OVERLAP = 0.5


def reporting_pattern() -> re.Pattern[str]:
    """Any reporting word of lexicons/reporting_words (said, told, claims, ...), as one regex."""
    return _reporting()


def __getattr__(name: str) -> re.Pattern[str]:
    if name == "REPORTING":  # the pattern, built on first use
        return _reporting()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _reporting() -> re.Pattern[str]:
    words = sorted(word_list("reporting_words"), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.I)


@dataclass(frozen=True, slots=True)
class Draft:
    """An engine's statement before verification: text and the evidence it cites."""

    text: str
    sources: list[EvidenceSentence]


@dataclass(frozen=True, slots=True)
class Verified:
    """A statement that passed, with the evidence that supports it."""

    text: str
    sources: list[EvidenceSentence]
    party: str | None
    speaker: str | None


_INSTITUTION = re.compile(
    r"\b(army|military|forces|ministry|department|authority|commission|federation|front|party|"
    r"alliance|council|union|board|bank|guard|network|directorate|office|service|police|"
    r"government|agency|coalition|movement|observatory|cooperative|association|committee|"
    r"court|parliament|assembly|navy|air force|group)$",
    re.I,
)
_INSTITUTION_FIRST = re.compile(r"^(Ministry|Department|Office|Directorate)\b")


def display_party(party: str) -> str:
    """'Velor Army' -> 'the Velor Army', 'XLF' -> 'the XLF'; company or person names as is."""
    if party.lower().startswith("the ") or re.match(r"[\w-]+(?:'s|’s)\s", party):
        return party  # 'Velor's Foreign Ministry' takes no article
    if re.fullmatch(r"(?:A|An)\s+[a-z][\w -]*", party):  # the ledger's 'A group': 'the group'
        return "the " + party.split(None, 1)[1]
    if (
        _INSTITUTION.search(party)
        or (party.isupper() and len(party) >= 2)
        or _INSTITUTION_FIRST.match(party)
    ):
        return f"the {party}"
    return party


def _alias_pattern(alias: str) -> str:
    return rf"(?<!\w){re.escape(alias.lower().removeprefix('the ').strip())}(?!\w)"


def names_party(text: str, aliases: Sequence[str]) -> bool:
    """True when the text names the party (any alias, whole words) with a reporting word, or
    has the party as its subject with a reporting participle ("X kept the rate, saying ...")."""
    lowered = text.lower()
    if not _reporting().search(text):
        return _participle().search(text) is not None and any(
            alias.strip() and re.match(r"(?:the\s+)?" + _alias_pattern(alias), lowered)
            for alias in aliases
        )
    return any(alias.strip() and re.search(_alias_pattern(alias), lowered) for alias in aliases)


@cache
def _participle() -> re.Pattern[str]:
    words = sorted(word_list("reporting_participles"), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.I)


def named_as_source(text: str, aliases: Sequence[str]) -> bool:
    """True when the text gives the party as the one speaking: 'according to X', 'X says',
    'X's spokesman said' (a mention elsewhere in the sentence does not count)."""
    lowered = text.lower()
    for alias in aliases:
        if not alias.strip():
            continue
        a = _alias_pattern(alias)
        if re.search(rf"according to (?:the )?{a}", lowered):
            return True
        for match in re.finditer(a, lowered):
            after = lowered[match.end() : match.end() + 40].split()[:3]
            if any(_reporting().fullmatch(w.strip(",.;:")) for w in after):
                return True
    return False


_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "it"})


def _inside_quote(text: str, position: int) -> bool:
    """True when `position` lies inside a double-quoted stretch of `text`."""
    return any(m.start() < position < m.end() for m in _QUOTED.finditer(text))


def name_generic_speaker(text: str, speaker: str | None, party: str) -> str | None:
    """'..., the service said.' where the ledger's speaker ('the service') is the party's own
    head word ('X Meteorological Service'), or 'she said' / 'it said' where the ledger resolved
    the pronoun to the party: the party's name in the speaker's place, so the sentence is not
    attributed twice ('According to X, she accused ...'). None when the speaker is neither, is
    not the sentence's source, or sits inside a quotation (quoted words stay exact)."""
    if not speaker:
        return None
    words = speaker.split()
    pronoun = len(words) == 1 and words[0].lower() in _SUBJECT_PRONOUNS
    if words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    party_words = {w.lower() for w in re.findall(r"[\w'-]+", party)}
    if not pronoun:
        if not words or any(w[:1].isupper() for w in words):
            return None
        if not all(w.lower() in party_words for w in words):
            return None
    if not named_as_source(text, [speaker]):
        return None
    match = re.search(rf"\b{re.escape(speaker)}\b", text, flags=re.I)
    if match is None or _inside_quote(text, match.start()):
        return None
    name = display_party(party)
    if match.start() == 0:
        name = name[:1].upper() + name[1:]
    return text[: match.start()] + name + text[match.end() :]


# An interview's speaker label ('A: We counted ...'): not part of the words an answer quotes
_INTERVIEW_LABEL = re.compile(r"^[QA]:\s+")


def attribute(text: str, party: str) -> str:
    """Prefix a claim with its party: 'According to the X, ...'. A sentence that opens with
    'According to <a generic source>,' ('the union') gets the party in that place instead, and
    one opening with a person's name gets the party beside it ('According to Ana Ruiz of X')."""
    body = _INTERVIEW_LABEL.sub("", text.strip())
    if re.match(r"(?:I|We|My|Our)\b", body) and not _QUOTED.search(body):
        return f"According to {display_party(party)}: “{body}”"  # the speaker's own words
    if opener := _ACCORDING.match(body):
        source, rest = opener.group(1).strip(), body[opener.end() :]
        words = source.split()
        if words and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        if not any(w[:1].isupper() for w in words):
            return f"According to {display_party(party)}, {rest}"
        return f"According to {source} of {display_party(party)}, {rest}"
    first, _, rest_words = body.partition(" ")
    common = first.lower() in STOPWORDS or is_number_word(first)
    capitalised = first != "I" and (first[1:] == "" or first[1:].islower())  # not "IT", "I"
    # a gerund subject ('Fishing and the abstraction of water are banned')
    gerund = bool(re.fullmatch(r"[A-Z][a-z]{3,}ing", first)) and rest_words[:1].islower()
    if capitalised and (common or gerund or first.lower() in word_list("common_openers")):
        body = body[0].lower() + body[1:]
    return f"According to {display_party(party)}, {body}"


_DATELINE = re.compile(
    r"^[A-Z][A-Z .'\-]{1,40}(?:,\s*[A-Z][\w .'\-]{0,30}){0,2}"
    r"(?:,?\s*[A-Z][a-z]{2,8}\.? \d{1,2})?\s*(?:\([^)]{1,30}\))?\s*[:\u2014\u2013-]+\s+"
)
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{3,})[\"\u201d]")
_ACCORDING = re.compile(r"^according to ([^,]{1,80}),\s*", re.I)


def strip_dateline(text: str) -> str:
    """'TESSIN, Velor, Feb 2 (Wire): The XLF said ...' -> 'The XLF said ...'."""
    stripped = _DATELINE.sub("", text, count=1)
    return stripped if len(stripped) >= 12 else text


def _plain(text: str) -> str:
    """Quote marks, apostrophes and spacing made uniform, for substring tests."""
    table = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
    return " ".join(text.translate(table).split())


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _is_copy(text: str, sources: Sequence[EvidenceSentence]) -> bool:
    """The statement's words (less an 'According to X,' opener and the final stop) are a
    stretch of one cited sentence."""
    words = _plain(_ACCORDING.sub("", text.strip())).rstrip(".")
    body = _lower_first(words)
    if len(body) < 12:
        return False
    # As written, too: a stretch that starts mid-sentence keeps its capital ('The agency said'
    # after a dateline or a 'Q:' label) and is still a copy, needing no parse to check.
    return any(body in _lower_first(_plain(s.text)) or words in _plain(s.text) for s in sources)


@dataclass(frozen=True, slots=True)
class Problem:
    check: VerifierCheck
    reason: str


def find_problem(text: str, sources: Sequence[EvidenceSentence]) -> Problem | None:
    """The first way the statement misstates the sentences it cites, or None."""
    joined = " ".join(s.text for s in sources)
    for quoted in _QUOTED.findall(text):
        if _plain(quoted).strip(" ,.") not in _plain(joined):
            return Problem("quote", f"the quotation “{quoted}” is not in the cited sources")
    missing = numbers_in(text) - numbers_in(joined)
    if missing:
        return Problem("number", f"number(s) {', '.join(sorted(missing))} not in the cited sources")
    if _is_copy(text, sources):
        return None
    theirs = [f for s in sources for f in figures_in(s.text)]
    for mine in figures_in(text):
        same_value = [f for f in theirs if f.value == mine.value]
        if not mine.known or any(same_thing(mine, f) for f in same_value):
            continue
        if same_value and not any(f.known for f in same_value):
            continue
        counted = mine.label() or "something"
        there = next((f.label() for f in same_value if f.known), None)
        where = f" the sources give it for {there}" if there else " the sources do not"
        return Problem("number_binding", f"{mine.value} is given for {counted};{where}")
    from assistant.verify.clauses import negation_flipped, roles_swapped

    main = max(sources, key=lambda s: overlap(text, s.text))
    if negation_flipped(text, main.text):
        return Problem("negation", "a negation that the cited source does not make, or the reverse")
    if roles_swapped(text, main.text):
        return Problem("roles", "who did what to whom is the reverse of the cited source")
    return None


def _wrong_party(
    text: str,
    main: EvidenceSentence,
    parties: Sequence[str],
    aliases_of: Callable[[str], Sequence[str]],
) -> str | None:
    """Another party the statement gives as its source, when the ledger says `main.party`."""
    own = _aliases(main.party, aliases_of) if main.is_claim else []
    if _is_copy(text, [main]):
        # The source's own words name whom they name; only an opener we added can be wrong.
        opener = _ACCORDING.match(text.strip())
        if opener is None:
            return None
        text = opener.group()
    if own and named_as_source(text, own):
        return None
    for party in parties:
        if party == main.party:
            continue
        if named_as_source(text, _aliases(party, aliases_of)):
            return party
    return None


def _short_form(speaker: str | None, party: str) -> list[str]:
    """The recorded speaker when it is a short form of the party's own name ('Velm' for
    'Velm Chemicals'): a sentence that names it with a reporting word names the party."""
    words = re.sub(r"^the\s+", "", (speaker or "").strip(), flags=re.I)
    own = {w.lower() for w in re.findall(r"[\w'’-]+", party)}
    found = [w.lower() for w in re.findall(r"[\w'’-]+", words)]
    if words[:1].isupper() and found and set(found) <= own and len(words) >= 3:
        return [words]
    return []


def _aliases(party: str, aliases_of: Callable[[str], Sequence[str]]) -> list[str]:
    aliases = list(aliases_of(party)) or [party]
    return aliases if party in aliases else [*aliases, party]


def _source_words(source: EvidenceSentence) -> str:
    return strip_dateline(source.text.strip())


def verify(
    drafts: Sequence[Draft],
    aliases_of: Callable[[str], Sequence[str]],
    parties: Sequence[str] = (),
) -> tuple[list[Verified], list[Repair]]:
    """Keep what the sources support, repair what they contradict, drop the rest; record
    every change. `parties`: every party of the evidence (a statement naming one of them as
    its source must cite that party's sentence)."""
    kept: list[Verified] = []
    repairs: list[Repair] = []
    for draft in drafts:
        text = draft.text.strip()
        if not draft.sources:
            repairs.append(Repair("dropped", "no citation", text, check="uncited"))
            continue
        supporting = [s for s in draft.sources if overlap(text, s.text) >= SUPPORT_OVERLAP]
        if supporting and len(supporting) < len(draft.sources):
            removed = len(draft.sources) - len(supporting)
            reason = f"{removed} cited source(s) do not say this"
            repairs.append(Repair("citation_removed", reason, text, check="unsupported"))
        if not supporting:
            repairs.append(
                Repair("dropped", "no cited source supports it", text, check="unsupported")
            )
            continue
        main = max(supporting, key=lambda s: overlap(text, s.text))
        problem = find_problem(text, supporting)
        known = list(dict.fromkeys([*parties, *(s.party for s in draft.sources if s.is_claim)]))
        wrong = None if problem else _wrong_party(text, main, known, aliases_of)
        if wrong is not None:
            problem = Problem(
                "wrong_party",
                f"names {wrong} as the source; the cited sentence is "
                + (f"{main.party}'s" if main.is_claim else "the reporter's own"),
            )
        if problem is not None:
            fixed = _source_words(main)
            if fixed == text or find_problem(fixed, [main]) is not None:
                repairs.append(Repair("dropped", problem.reason, text, check=problem.check))
                continue
            repairs.append(Repair("replaced", problem.reason, text, fixed, check=problem.check))
            text, supporting = fixed, [main]
        party = speaker = None
        claim_sources = [s for s in supporting if s.is_claim]
        if claim_sources:
            main = max(claim_sources, key=lambda s: overlap(text, s.text))
            party, speaker = main.party, main.speaker
            # a short form of the party's own name counts only as the one speaking ('X says')
            short = _short_form(speaker, party)
            named = names_party(text, _aliases(party, aliases_of))
            if not (named or (short and named_as_source(text, short))):
                fixed = name_generic_speaker(text, speaker, party) or attribute(text, party)
                repairs.append(
                    Repair(
                        "party_added",
                        f"claim by {party} stated as fact",
                        text,
                        fixed,
                        check="unattributed",
                    )
                )
                text = fixed
        kept.append(Verified(text, supporting, party, speaker))
    return kept, repairs
