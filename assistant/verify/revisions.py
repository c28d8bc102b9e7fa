"""A party's figure that changed between reports of different dates (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from assistant.lexical import numbers_with_words, tokens
from assistant.types import NARRATOR
from assistant.verify.evidence import EvidenceSentence
from assistant.verify.verifier import display_party

REVISION_CUE = re.compile(
    r"\b(raised|raising|revised|revising|rose|risen|increased|lowered|updated|corrected|"
    r"up from|down from|from (?:about |some )?[\d,.]+ to)\b",
    re.I,
)


# Words after a number that are dates, not the thing counted ("23 on Tuesday").
_NOT_UNITS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)


@dataclass(frozen=True, slots=True)
class FigureChange:
    """`party` gave `before` in `earlier` and `after` in the later report `later`."""

    party: str
    earlier: EvidenceSentence
    later: EvidenceSentence
    before: str
    after: str
    unit: str

    def describe(self) -> str:
        who = display_party(self.party)
        what = f" {self.unit}" if self.unit else ""
        return (
            f"{who[0].upper()}{who[1:]} first gave {self.before}{what} on "
            f"{self.earlier.published}, then {self.after} on {self.later.published}."
        )


def figure(value: str) -> str:
    """'18000' -> '18,000'; other values as they are."""
    return f"{int(value):,}" if value.isdigit() and len(value) > 4 else value


def figures(text: str) -> Iterator[tuple[str, list[str]]]:
    """Each number in the text ('4,200', 'seven' -> '7') with the three words after it."""
    words = re.findall(r"[\w,.%-]+", text)
    for i, word in enumerate(words):
        value = numbers_with_words(word.strip(",."))
        if value:
            yield next(iter(value)), [w.strip(",.") for w in words[i + 1 : i + 4]]


def number_units(text: str, surface: bool = False) -> dict[str, str]:
    """number -> the content word after it ('4,200 workers' -> {'4200': 'worker'}); with
    `surface`, the word as written ('workers'), for display."""
    units: dict[str, str] = {}
    for value, followers in figures(text):
        for follower in followers:
            toks = tokens(follower)
            if toks and toks[0] in _NOT_UNITS:
                break
            if toks and not toks[0][0].isdigit():
                units[value] = follower.lower() if surface else toks[0]
                break
    return units


def counts(text: str, counted: str) -> bool:
    """Whether the text gives a figure for the counted thing: a number, then within three
    words the thing ('1,100 workers', 'six more people'); not '34-year-old nurse'."""
    return any(
        tokens(follower) == [counted] for _, followers in figures(text) for follower in followers
    )


def find_revisions(sentences: Sequence[EvidenceSentence], limit: int = 3) -> list[FigureChange]:
    """Changes of one party's figure across report dates.

    The later sentence must signal a change ('raised', 'revised', 'from X to Y', 'up from')
    and either repeat the earlier figure beside a new one or count the same thing (the same
    word after the number).
    """
    claims = [
        s for s in sentences if s.party != NARRATOR and s.published and numbers_with_words(s.text)
    ]
    claims.sort(key=lambda s: (s.published or "", s.doc_id, s.sentence_index))
    out: list[FigureChange] = []
    seen: set[tuple[str, str]] = set()
    for later in claims:
        if not REVISION_CUE.search(later.text):
            continue
        later_numbers = numbers_with_words(later.text)
        later_units = number_units(later.text)
        for earlier in claims:
            if earlier.party != later.party or (earlier.published or "") >= (later.published or ""):
                continue
            earlier_numbers = numbers_with_words(earlier.text)
            earlier_units = number_units(earlier.text)
            new = sorted(later_numbers - earlier_numbers, key=lambda n: (later.text.find(n), n))
            repeated = sorted(earlier_numbers & later_numbers)
            pair: tuple[str, str, str] | None = None
            if repeated and new:
                # "raised the toll to seven, up from the four it reported": old figure repeated.
                pair = (repeated[0], new[0], earlier_units.get(repeated[0], ""))
            else:
                for b in new:
                    unit = later_units.get(b)
                    olds = [a for a, u in earlier_units.items() if unit and u == unit]
                    if olds:
                        pair = (olds[0], b, unit or "")
                        break
            if pair is None or (later.party, pair[1]) in seen:
                continue
            seen.add((later.party, pair[1]))
            shown = number_units(earlier.text, surface=True).get(pair[0]) or pair[2]
            out.append(
                FigureChange(later.party, earlier, later, figure(pair[0]), figure(pair[1]), shown)
            )
    return out[:limit]
