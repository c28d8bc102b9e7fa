"""A party's figure that changed between reports of different dates (pure).

A revision compares the same counted thing from the same party: a toll with a toll, heaters
with heaters, never a count of clinics with a toll (`figures.same_thing`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from assistant.lexical import numbers_with_words, tokens
from assistant.serialise import day_text
from assistant.types import NARRATOR
from assistant.verify.evidence import EvidenceSentence
from assistant.verify.figures import Figure, figures_in, same_thing, spell_digits, word_list
from assistant.verify.verifier import display_party


@cache
def _revision_cue() -> re.Pattern[str]:
    cues = sorted(word_list("revision_cues"), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(cues) + r")\b|\bfrom [\d,.]+ to [\d,.]+", re.I)


def signals_change(text: str) -> bool:
    """'raised', 'revised', 'up from', 'from 4 to 7': the sentence presents a changed figure."""
    return bool(_revision_cue().search(text))


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
            f"{day_text(self.earlier.published)}, then {self.after} on "
            f"{day_text(self.later.published)}."
        )


def figure(value: str) -> str:
    """'18000' -> '18,000'; other values as they are."""
    return f"{int(value):,}" if value.isdigit() and len(value) > 4 else value


def counts(text: str, counted: str) -> bool:
    """Whether the text gives a figure for the counted thing (a stemmed noun: 'worker')."""
    return any(f.noun == counted for f in figures_in(text))


def _figures(s: EvidenceSentence) -> list[Figure]:
    return [f for f in figures_in(s.text) if f.known]


def _is_increment(text: str, value: str) -> bool:
    """'three more bodies', 'another 12 cases': the number counts an addition, not a total."""
    markers = "|".join(sorted(word_list("increment_markers")))
    spelled = normalise_text(spell_digits(text))
    v = re.escape(value)
    return bool(
        re.search(rf"\b{v}\s+(?:{markers})\b", spelled, re.I)
        or re.search(rf"\b(?:{markers})\s+{v}\b", spelled, re.I)
    )


def normalise_text(text: str) -> str:
    """Thousands separators dropped ('4,200' -> '4200') so figures match their values."""
    return re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)


def find_revisions(sentences: Sequence[EvidenceSentence], limit: int = 3) -> list[FigureChange]:
    """Changes of one party's figure for one counted thing across report dates.

    The later figure must count the same thing as the earlier one and differ from it; the
    later sentence presents it as a change ('raised', 'up from') or the thing counted is an
    outcome tally (the dead, the injured) that a later report of the same story updates.
    Each party and counted thing gives one change: the earliest figure against the latest.
    """
    claims = [s for s in sentences if s.party != NARRATOR and s.published and _figures(s)]
    claims.sort(key=lambda s: (s.published or date.min, s.doc_id, s.sentence_index))
    found: dict[tuple[str, str], FigureChange] = {}
    for later in claims:
        cue = signals_change(later.text)
        before_it = [
            e
            for e in claims
            if e.party == later.party and (e.published or date.min) < (later.published or date.min)
        ]
        later_figures = _figures(later)
        for new in later_figures:
            if _is_increment(later.text, new.value):
                continue  # 'three more bodies' adds to a toll; it is not the new toll
            # 'from 18,000 to 29,000': the figure the later report gives as the old one
            restated = {
                g.value for g in later_figures if g.value != new.value and same_thing(g, new)
            }
            if not cue and new.measure is None:
                continue
            if any(
                same_thing(f, new) and f.value == new.value for e in before_it for f in _figures(e)
            ):
                continue  # 'up from the four it reported': the old figure, repeated
            for earlier in before_it:
                old = next(
                    (
                        f
                        for f in _figures(earlier)
                        if f.value != new.value and (same_thing(f, new) or f.value in restated)
                    ),
                    None,
                )
                if old is None:
                    continue
                key = (later.party, new.label() or old.label())
                first = found.get(key)
                found[key] = FigureChange(
                    later.party,
                    first.earlier if first else earlier,
                    later,
                    first.before if first else figure(old.value),
                    figure(new.value),
                    first.unit if first else (old.label() or new.label()),
                )
                break
    out = [c for c in found.values() if c.before != c.after]
    out.sort(key=lambda c: (c.later.published or date.min, c.party, c.unit))
    return out[:limit]


def figures(text: str) -> Iterator[tuple[str, list[str]]]:
    """Each number in the text ('4,200', 'seven' -> '7') with the three words after it (a
    cheap, parse-free scan for ranking; `figures.figures_in` is the parsed reading)."""
    words = re.findall(r"[\w,.%-]+", text)
    for i, word in enumerate(words):
        value = numbers_with_words(word.strip(",."))
        if value:
            yield next(iter(value)), [w.strip(",.") for w in words[i + 1 : i + 4]]


def number_units(text: str, surface: bool = False) -> dict[str, str]:
    """number -> the content word after it ('4,200 workers' -> {'4200': 'worker'}); with
    `surface`, the word as written ('workers'), for display."""
    not_counted = word_list("not_counted")
    units: dict[str, str] = {}
    for value, followers in figures(text):
        for follower in followers:
            toks = tokens(follower)
            if toks and toks[0] in not_counted:
                break
            if toks and not toks[0][0].isdigit():
                units[value] = follower.lower() if surface else toks[0]
                break
    return units
