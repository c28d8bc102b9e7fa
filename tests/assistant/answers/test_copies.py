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


def test_which_outlets_reported_keeps_reports_that_carry_the_topics_point_words() -> None:
    from assistant.answers.coverage import coverage_statements
    from assistant.search.retrieval import RetrievedPassage
    from ingest.types import Passage

    ferry = _story([("narrator", None, "A ferry capsized off Velm on Tuesday.")], doc="f")
    quota = _story([("narrator", None, "The cod quota for Velm bay was cut by a third.")], doc="q")
    ferry = [replace(s, outlet="Velm Radio", title="Ferry capsizes off Velm") for s in ferry]
    quota = [replace(s, outlet="The Harbour Post", title="Velm cod quota cut") for s in quota]

    def hit(s, dense):  # type: ignore[no-untyped-def]
        passage = Passage(f"{s.doc_id}-0", s.doc_id, 0, s.start, s.end, s.text, 0, 0)
        return RetrievedPassage(passage, dense, dense, 0.0, s.title, s.outlet, s.published, None)

    said = coverage_statements(
        "Which outlets reported the ferry capsizing?",
        [hit(ferry[0], 0.62), hit(quota[0], 0.55)],  # both close in meaning
        [*ferry, *quota],
    )
    assert [s.text.split(" on ")[0] for s in said] == ["It was first reported by Velm Radio"]


def test_a_copy_s_differences_are_its_own_lines_the_cut_ones_and_a_cut_source() -> None:
    from assistant.answers.coverage import asks_differences, copy_differences

    original = _story(
        [
            ("narrator", None, "VELM, 4 May (Wire) -"),
            ("narrator", None, "A storm sank three fishing boats off Velm on Monday night."),
            ("Velm Rescue", "the group", "At least 12 crew were missing, the group said today."),
            ("narrator", None, "Velm, a port of 9,000 people, lies on the north coast."),
        ],
        doc="orig",
    )
    copy = _story(
        [
            ("narrator", None, "VELM, 4 May (Wire/Post) -"),
            ("narrator", None, "A storm sank three fishing boats off Velm on Monday night."),
            ("narrator", None, "At least 12 crew are missing today."),
            ("Tarn Ministry", "the ministry", "The ministry said no Tarn citizens were aboard."),
        ],
        doc="copy",
    )
    added, left_out, reworded = copy_differences(copy, original)
    assert [s.text for s in added] == [copy[3].text]  # no dateline, no unchanged lead
    assert [s.text for s in left_out] == [original[3].text]
    assert reworded == [(original[2], copy[2])]  # the copy no longer says who counts the crew
    assert asks_differences("What's different in the Post's version?")
    assert asks_differences("What did the copy leave out?")
    assert not asks_differences("Which articles are republished copies?")


def test_which_outlets_carried_a_story_asks_for_its_copies_named_by_its_headline() -> None:
    from assistant.answers.routing import _named_copies
    from assistant.serialise import possessive

    for asked in (
        "Which news outlets carried the Velm pilots strike?",
        "Who published the Velm pilots story, and what did the second version add?",
    ):
        assert is_copies_question(asked), asked
    assert not is_copies_question("Which outlets covered the Velm strike, and on which days?")
    leads = {}
    for doc, outlet, title in (
        ("c1", "The Harbour Post", "Pilots walk out"),
        ("o1", "Velm Wire", "Velm pilots strike"),
        ("c2", "Orvik Markets", "Kest Mining cuts 600 jobs"),
        ("o2", "Kest Times", "Kest Mining to cut jobs"),
    ):
        [lead] = _story([("narrator", None, f"{title} today.")], doc=doc)
        leads[doc] = replace(lead, outlet=outlet, title=title)
    copies = {"c1": "o1", "c2": "o2"}
    assert _named_copies("Which outlets carried the Kest Mining story?", copies, leads) == {
        "c2": "o2"
    }
    assert _named_copies("Which stories were syndicated?", copies, leads) == copies
    assert possessive("Orvik Markets") == "Orvik Markets'" and possessive("Velm Wire") == (
        "Velm Wire's"
    )
