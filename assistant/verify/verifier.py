"""Checks every answer statement against the evidence it cites, before anything reaches a user.

Rules: each statement cites >= 1 evidence sentence that supports it (lexical overlap);
every number in it appears in a cited source;
a statement resting on a party's claim names that party with a reporting word. Otherwise it is
repaired (party added, unsupported citation removed) or dropped, and the repair is recorded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.lexical import NUMBER_WORDS, STOPWORDS, numbers, numbers_with_words, overlap
from assistant.types import Repair
from assistant.verify.evidence import EvidenceSentence

SUPPORT_OVERLAP = 0.5
REPORTING = re.compile(
    r"\b(according to|says?|said|claim(?:s|ed)?|state[sd]?|report(?:s|ed)?|insist(?:s|ed)?|"
    r"den(?:y|ies|ied)|assert(?:s|ed)?|accuse[sd]?|alleg(?:e|es|ed)|maintain(?:s|ed)?|"
    r"told|announc(?:e|es|ed)|describ(?:e|es|ed)|add(?:s|ed)|termed|called|put|estimate[sd]?|"
    r"counter(?:s|ed)?|argue[sd]?|reject(?:s|ed)?|confirm(?:s|ed)?|version|account|view)\b",
    re.I,
)


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


def display_party(party: str) -> str:
    """'Pakistan Army' -> 'the Pakistan Army', 'BLA' -> 'the BLA'; company or person names as is."""
    if party.lower().startswith("the "):
        return party
    first = party.split(" ", 1)[0]
    if (
        _INSTITUTION.search(party)
        or (party.isupper() and len(party) >= 2)
        or first
        in {
            "Ministry",
            "Department",
            "Office",
            "Directorate",
            "Inter-Services",
        }
    ):
        return f"the {party}"
    return party


def names_party(text: str, aliases: Sequence[str]) -> bool:
    """True when the text names the party (any alias, whole words) with a reporting word."""
    if not REPORTING.search(text):
        return False
    lowered = text.lower()
    for alias in aliases:
        a = alias.lower().removeprefix("the ").strip()
        if a and re.search(rf"(?<!\w){re.escape(a)}(?!\w)", lowered):
            return True
    return False


# Sentence openers that are common words but not stopwords ("Fierce clashes ...").
_COMMON_OPENERS = frozenset({"Despite", "Near", "Fierce", "Several", "None", "Without"})


def attribute(text: str, party: str) -> str:
    """Prefix a claim with its party: 'According to the X, ...'."""
    body = text.strip()
    first = body.split(" ", 1)[0]
    common = first.lower() in STOPWORDS or first.lower() in NUMBER_WORDS
    capitalised = first != "I" and (first[1:] == "" or first[1:].islower())  # not "IT", "I"
    if capitalised and (common or first in _COMMON_OPENERS):
        body = body[0].lower() + body[1:]
    return f"According to {display_party(party)}, {body}"


def verify(
    drafts: Sequence[Draft],
    aliases_of: Callable[[str], Sequence[str]],
) -> tuple[list[Verified], list[Repair]]:
    """Keep what the sources support, repair attribution, drop the rest; record every change."""
    kept: list[Verified] = []
    repairs: list[Repair] = []
    for draft in drafts:
        text = draft.text.strip()
        if not draft.sources:
            repairs.append(Repair("dropped", "no citation", text))
            continue
        supporting = []
        for source in draft.sources:
            score = overlap(text, source.text)
            if score >= SUPPORT_OVERLAP:
                supporting.append(source)
        if len(supporting) < len(draft.sources):
            removed = [s for s in draft.sources if s not in supporting]
            if supporting:
                repairs.append(
                    Repair(
                        "citation_removed", f"{len(removed)} cited source(s) do not say this", text
                    )
                )
        if not supporting:
            repairs.append(Repair("dropped", "no cited source supports it", text))
            continue
        source_numbers: set[str] = set()
        for s in supporting:
            source_numbers |= numbers_with_words(s.text)
        missing = numbers(text) - source_numbers
        if missing:
            repairs.append(
                Repair(
                    "dropped",
                    f"number(s) {', '.join(sorted(missing))} not in the cited sources",
                    text,
                )
            )
            continue
        claim_sources = [s for s in supporting if s.is_claim]
        party = speaker = None
        if claim_sources:
            main = max(claim_sources, key=lambda s: overlap(text, s.text))
            party, speaker = main.party, main.speaker
            aliases = list(aliases_of(party)) or [party]
            if party not in aliases:
                aliases.append(party)
            if not names_party(text, aliases):
                fixed = attribute(text, party)
                repairs.append(
                    Repair("party_added", f"claim by {party} stated as fact", text, fixed)
                )
                text = fixed
        kept.append(Verified(text, supporting, party, speaker))
    return kept, repairs
