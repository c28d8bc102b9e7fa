"""A percentage is a share of something: two shares of different things are never one
revised figure (invented sentences)."""

from __future__ import annotations

from assistant.lexical import tokens
from assistant.verify.figures import figures_in, same_thing
from assistant.verify.revisions import find_revisions
from tests.assistant.answers.test_question_path import _story


def _share(text: str) -> str | None:
    [figure] = [f for f in figures_in(text) if f.surface == "percent"]
    return figure.noun


def test_a_percentage_names_what_it_is_a_share_of() -> None:
    def of(word: str) -> str:
        return f"percent:{tokens(word)[0]}"

    assert _share("Fares in Selkby rose by 9 per cent last year.") == of("fares")
    assert _share("The board revised turnout down to 41.5 per cent.") == of("turnout")
    assert _share("With 70 per cent of ballots counted, the count goes on.") == of("ballots")


def test_shares_of_different_things_differ_and_unknown_shares_match() -> None:
    [fares] = figures_in("Fares rose by 9 per cent.")
    [wages] = figures_in("Wages rose by 3 per cent.")
    assert not same_thing(fares, wages)
    [bare] = figures_in("It was 3 per cent.")
    assert bare.noun == "percent" and same_thing(fares, bare)  # 'it': no share named


def test_a_share_of_another_thing_is_no_revision() -> None:
    office = "Selk statistics office"
    first = _story([(office, "the office", "Fares rose by 9 per cent, the office said.")])
    later = _story(
        [(office, "the office", "Wages rose by 3 per cent, the office said.")],
        doc="d2",
        day="2031-02-04",
    )
    assert find_revisions([*first, *later]) == []
    revised = _story(
        [(office, "the office", "Fares rose by 7 per cent, the office said in a correction.")],
        doc="d3",
        day="2031-02-04",
    )
    [change] = find_revisions([*first, *revised])
    assert (change.before, change.after) == ("9", "7")
