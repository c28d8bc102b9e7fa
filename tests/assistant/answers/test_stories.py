"""Questions that span stories: stories grouped from retrieval, one cited block per story."""

from __future__ import annotations

from datetime import date

from assistant.answers.question import parse_question
from assistant.answers.stories import StoryHit, assemble_stories, group_stories
from assistant.verify.evidence import EvidenceSentence
from assistant.verify.verifier import Verified


def _sentence(doc: str, i: int, text: str, party: str = "narrator") -> EvidenceSentence:
    return EvidenceSentence(
        doc, i, i * 100, i * 100 + len(text), text, party, None, "none", 1.0, 0,
        f"{doc}-p{i}", f"Title of {doc}", "Quillpost", date(2031, 2, int(doc[-1])), None,
    )  # fmt: skip


def test_group_stories_merges_copies_and_drops_weak_or_unnamed() -> None:
    question = parse_question("Which stories involve Zorvik, and what happened in each?")
    hits = [
        StoryHit("d1", 0.9, ("d1copy",)),
        StoryHit("d2", 0.5),
        StoryHit("d1copy", 0.4),
        StoryHit("d3", 0.6),  # never names Zorvik
        StoryHit("d4", 0.1),  # too weak
    ]
    texts = {
        "d1": "Floods in Zorvik",
        "d1copy": "Floods in Zorvik",
        "d2": "Zorvik vote",
        "d3": "Harbour strike",
        "d4": "Zorvik fair",
    }
    assert group_stories(question, hits, texts) == [["d1", "d1copy"], ["d2"]]


def test_assemble_stories_heads_each_story_and_numbers_citations() -> None:
    a = _sentence("d1", 1, "The agency said 12 people died in the floods.", "Agency")
    b = _sentence("d2", 2, "The vote passed with 51 per cent.")
    answer = assemble_stories(
        "Which stories ...?",
        [(a, [Verified(a.text, [a], "Agency", None)]), (b, [Verified(b.text, [b], None, None)])],
        [],
        {},
        "no",
    )
    assert not answer.refused
    lines = answer.answer.splitlines()
    assert lines[1] == "- Title of d1 (Quillpost, 1 February 2031):"
    assert lines[2].endswith("[1]") and lines[4].endswith("[2]")
    assert [s.party for s in answer.statements] == ["Agency", None]
    assert [c.doc_id for c in answer.citations] == ["d1", "d2"]


def test_assemble_stories_without_sentences_refuses() -> None:
    a = _sentence("d1", 1, "Nothing here at all.")
    answer = assemble_stories("q", [(a, [])], [], {}, "no answer")
    assert answer.refused and answer.answer == "no answer"


def test_a_story_far_from_the_asked_point_is_left_out() -> None:
    from assistant.answers.stories import answer_across_stories

    question = parse_question("Which stories report a flood toll that was raised?")
    stories = {
        "d1": [_sentence("d1", 1, "The agency raised the flood toll to 12 on Friday.", "Agency")],
        "d2": [_sentence("d2", 1, "The council approved a new budget for the harbour.")],
    }
    answer = answer_across_stories(
        question,
        [["d1"], ["d2"]],
        lambda docs: [s for d in docs for s in stories[d]],
        lambda chosen, _evidence: ([Verified(s.text, [s], s.party, None) for s in chosen], []),
        {},
        "no",
    )
    assert [c.doc_id for c in answer.citations] == ["d1"]
    assert "Title of d2" not in answer.answer
