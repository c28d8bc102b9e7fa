"""A statement that is a stretch of its source, as written, is checked without a parse."""

from __future__ import annotations

import pytest

from assistant.verify import clauses, figures
from assistant.verify.verifier import find_problem
from tests.assistant.verify.test_verifier import _ev


@pytest.fixture
def no_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> None:
        raise AssertionError(f"parsed {text!r}")

    # clauses is imported above, before any patch: it holds the real `parse` to restore.
    monkeypatch.setattr(clauses, "parse", refuse)
    monkeypatch.setattr(figures, "_KNOWN", {})
    monkeypatch.setattr(figures, "_PARSED", {})
    monkeypatch.setattr(figures, "parse", refuse)


@pytest.mark.parametrize(
    "source",
    [
        "PORTVILLE, May 4 (Wire) – The relief agency said 27 people died in the storm.",
        "Q: The relief agency said 27 people died in the storm.",
    ],
    ids=["after a dateline", "after a label"],
)
def test_a_stretch_starting_with_a_capital_mid_source_is_a_copy(
    source: str, no_parser: None
) -> None:
    statement = "The relief agency said 27 people died in the storm."
    assert find_problem(statement, [_ev(source, "Relief Agency")]) is None


def test_a_changed_statement_is_still_checked(no_parser: None) -> None:
    source = "PORTVILLE, May 4 (Wire) – The relief agency said 27 people died in the storm."
    with pytest.raises(AssertionError, match="parsed"):  # not a copy: the parse checks run
        find_problem("The relief agency said 27 people were hurt.", [_ev(source, "Relief Agency")])
