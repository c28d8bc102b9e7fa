"""A day's-news request scoped to a place keeps the stories filed from there or about it."""

from __future__ import annotations

from datetime import date

from assistant.answers.routing import dateline_region, story_in_scope


def test_dateline_region_needs_a_country_between_city_and_date() -> None:
    assert dateline_region("Floods ZORVIK, Quellan, May 4 (Wire) – Rain fell.") == "Quellan"
    assert dateline_region("Floods ZORVIK, 4 May (Wire) - Rain fell.") is None
    assert dateline_region("Rain fell in Zorvik, Quellan, on Monday.") is None


def test_a_story_filed_from_another_country_is_out_of_a_place_scope() -> None:
    filed_elsewhere = "Raid ZORVIK, Quellan, May 4 (Wire) – near the border with Pemberia."
    about_the_place = "Strike A walkout across Pemberia grounded flights."
    question = "What happened in Pemberia on 2031-05-04?"
    assert not story_in_scope(question, ["Wire"], [filed_elsewhere])
    assert story_in_scope(question, ["Wire"], [about_the_place])
    assert story_in_scope(
        "What was reported about Quellan on 2031-05-04?", ["Wire"], [filed_elsewhere]
    )


def test_a_place_in_the_headline_keeps_a_story_filed_from_another_country() -> None:
    title = "Quellan says it downed drones from Pemberia; Pemberia denies it"
    text = f"{title} ZORVIK, Quellan, May 4 (Wire) – Quellan's army said it shot down drones."
    question = "What happened in Pemberia on 2031-05-04?"
    assert not story_in_scope(question, ["Wire"], [text])  # the dateline's country alone
    assert story_in_scope(question, ["Wire"], [text], titles=[title])
    assert not story_in_scope(question, ["Wire"], [text], titles=["Quellan downs drones"])


def test_an_unscoped_request_keeps_every_story() -> None:
    assert story_in_scope("What happened on 2031-05-04?", ["Wire"], ["Anything at all."])


def _hit(text: str, dense: float = 0.6):
    from assistant.search.retrieval import RetrievedPassage
    from ingest.types import Passage

    passage = Passage("p1", "d1", 0, 0, len(text), text, 0, 0)
    return RetrievedPassage(passage, 0.5, dense, 1.0, "Title", "Wire", date(2031, 2, 3), None)


def test_relevant_finds_a_name_in_its_possessive_or_adjective_form() -> None:
    from assistant.answers.routing import relevant

    hits = [_hit("The Quillpost Observer said Quellan's ministry denied the report.")]
    assert relevant("What does the Observer's columnist say?", hits)
    assert relevant("Which Quellanian firms were named?", hits)
    assert not relevant("What did Pemberia say?", hits)
    assert not relevant("What does the Observer's columnist say?", [_hit("Quellan.", 0.1)])


def test_an_outlet_named_in_full_keeps_its_own_stories_only() -> None:
    known = ["Pemberia Press Agency", "The Zorvik Gazette"]
    question = "Summarise what the Pemberia Press Agency published on 2031-05-04."
    other = "Strike ZORVIK, 4 May - A walkout across Pemberia grounded flights."
    assert story_in_scope(question, ["Pemberia Press Agency"], ["Anything."], known)
    assert not story_in_scope(question, ["The Zorvik Gazette"], [other], known)
    # the place alone still scopes by place: the Gazette's story about Pemberia stays
    assert story_in_scope("What happened in Pemberia on 2031-05-04?", ["The Zorvik Gazette"],
                          [other], known)  # fmt: skip


def test_a_lower_case_place_and_a_leading_place_scope_the_request() -> None:
    from assistant.answers.routing import (
        name_cases,
        named_outlets,
        question_names,
        restore_names,
    )

    texts = name_cases(["Floods hit Pemberia. In Pemberia the river may rise.", "Quellan votes."])
    asked = restore_names("anything new from pemberia on monday?", texts)
    assert asked == "anything new from Pemberia on monday?"
    assert restore_names("what may happen?", texts) == "what may happen?"  # also lower case
    assert question_names("Pemberia headlines for Monday?", texts) == ["Pemberia"]
    assert question_names("Which stories ran on Monday?", texts) == []
    # a weekday names the period, not a place
    assert story_in_scope("Pemberia headlines for Monday?", ["Wire"], ["Pemberia floods."])
    assert not story_in_scope(
        "Pemberia headlines for Monday?",
        ["Wire"],
        ["Quellan votes on Monday."],
        names=["Pemberia", "Monday"],
    )
    known = ["Tarn Wire", "Quill Post"]
    assert named_outlets("Summarise the Quill Post's stories from 2 May.", known) == ["Quill Post"]
