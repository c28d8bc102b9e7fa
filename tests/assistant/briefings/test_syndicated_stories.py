"""The briefing's story merge and independent-source count follow recorded syndication links."""

from __future__ import annotations

from datetime import date

from assistant.briefings.stories import BriefingArticle, group_stories, write_briefing
from assistant.verify.evidence import EvidenceSentence


def _article(
    doc: str, outlet: str, text: str, vector: list[float], copy_of: str | None = None
) -> BriefingArticle:
    sentence = EvidenceSentence(
        doc, 0, 0, len(text), text, "narrator", None, "none", 1.0, 0, f"{doc}-p0",
        f"Title {doc}", outlet, date(2031, 4, 2), None,
    )  # fmt: skip
    return BriefingArticle(
        doc, f"Title {doc}", outlet, date(2031, 4, 2), None, [sentence], vector, copy_of
    )


ORIGINAL = _article(
    "orig", "Tarn Wire", "The harbour bridge closed for repairs on Monday morning.", [1, 0, 0]
)
# A rewritten copy: nothing in its vector or words would merge it; the recorded link does.
COPY = _article(
    "copy",
    "Quill Post",
    "Repairs shut the span across the port from early this week.",
    [0, 1, 0],
    "orig",
)
OTHER = _article(
    "other",
    "Tarn Wire",
    "The city council voted to raise parking fees next year in full.",
    [0, 0, 1],
)


def _no_aliases(party: str) -> list[str]:
    return [party]


def test_a_recorded_copy_joins_its_originals_story_and_group() -> None:
    stories, group = group_stories([COPY, ORIGINAL, OTHER])
    assert sorted(map(sorted, stories)) == [[0, 1], [2]]
    assert group[0] == group[1] != group[2]


def test_without_the_link_the_rewritten_copy_is_a_story_of_its_own() -> None:
    unlinked = _article("copy", "Quill Post", COPY.sentences[0].text, [0, 1, 0])
    stories, _ = group_stories([unlinked, ORIGINAL, OTHER])
    assert len(stories) == 3


def test_a_copy_is_not_an_independent_source() -> None:
    briefing = write_briefing(
        [ORIGINAL, COPY, OTHER], date(2031, 4, 2), date(2031, 4, 2), _no_aliases
    )
    [bridge] = [s for s in briefing.stories if "orig" in s.doc_ids]
    assert sorted(bridge.doc_ids) == ["copy", "orig"]
    assert bridge.outlets == ["Quill Post", "Tarn Wire"]
    assert len(bridge.summary) == 1  # one lead: one independent report


def test_two_copies_of_an_original_outside_the_period_are_one_source() -> None:
    first = _article("c1", "Quill Post", ORIGINAL.sentences[0].text, [1, 0, 0], "older")
    second = _article("c2", "Fenn Times", COPY.sentences[0].text, [0, 1, 0], "older")
    briefing = write_briefing(
        [first, second, OTHER], date(2031, 4, 2), date(2031, 4, 2), _no_aliases
    )
    [copies] = [s for s in briefing.stories if "c1" in s.doc_ids]
    assert sorted(copies.doc_ids) == ["c1", "c2"] and len(copies.summary) == 1


def test_an_uncontested_story_gives_its_figures_after_the_lead() -> None:
    lines = [
        "The harbour bridge closed for repairs on Monday morning in the old town.",
        "Nobody was hurt.",
        "The repairs will cost 4.2 million crowns and take 19 weeks, the council said.",
        "Traffic will use the 2 ferries meanwhile, which run every 12 minutes.",
        "The bridge opened in 1931 and carries 40,000 cars a day.",
    ]
    sentences, pos = [], 0
    for i, text in enumerate(lines):
        sentences.append(
            EvidenceSentence(
                "solo",
                i,
                pos,
                pos + len(text),
                text,
                "narrator",
                None,
                "none",
                1.0,
                i,
                f"solo-p{i}",
                "Title solo",
                "Tarn Wire",
                date(2031, 4, 2),
                None,
            )  # fmt: skip
        )
        pos += len(text) + 1
    solo = BriefingArticle(
        "solo", "Title solo", "Tarn Wire", date(2031, 4, 2), None, sentences, [1, 0, 0]
    )
    briefing = write_briefing([solo], date(2031, 4, 2), date(2031, 4, 2), _no_aliases)
    summary = [s.text for s in briefing.stories[0].summary]
    assert summary[0].startswith("The harbour bridge closed")
    assert any("4.2 million crowns" in s for s in summary)
    assert len(summary) == 3 and not any("Nobody was hurt" in s for s in summary)
