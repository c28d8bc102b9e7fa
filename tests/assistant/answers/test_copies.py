"""'Which articles are copies of another outlet's report?': the question, and the statements
built from the store's syndication links (invented articles)."""

from __future__ import annotations

from dataclasses import replace

from assistant.answers.coverage import copies_statements, is_copies_question
from tests.assistant.answers.test_question_path import _story


def test_questions_about_republished_copies_are_recognised() -> None:
    for asked in (
        "Which stories were syndicated?",
        "Are there duplicate articles in the sources?",
        "Did any outlet copy another outlet's story?",
        "Which articles are republished copies of another outlet's report?",
    ):
        assert is_copies_question(asked), asked
    for asked in (
        "Which reports copied figures from the ministry?",
        "What did the union say about the copies of the rota?",
        "Which outlets reported on the Velm strike?",
    ):
        assert not is_copies_question(asked), asked


def test_each_copy_names_its_original_and_cites_both() -> None:
    [copy] = _story([("narrator", None, "Pilots at Velm walked out on Monday.")], doc="c")
    [original] = _story([("narrator", None, "Pilots at Velm walked out on Monday.")], doc="o")
    copy = replace(copy, outlet="The Harbour Post", title="Pilots walk out")
    original = replace(original, outlet="Velm Wire", title="Velm pilots strike")
    [statement] = copies_statements({"c": "o"}, {"c": copy, "o": original})
    assert statement.text.startswith("The Harbour Post's “Pilots walk out”")
    assert "republishes “Velm pilots strike”, first published by Velm Wire" in statement.text
    assert statement.sources == [copy, original]
    assert copies_statements({"c": "gone"}, {"c": copy}) == []  # an original no longer stored
