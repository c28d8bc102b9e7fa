"""The web chat's pure rendering helpers: escaping, highlighting, colours, grouping."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.briefings.stories import Contest, Position, Revision, Story
from assistant.types import Answer, Citation, Statement
from ui.render import (
    BADGE_COLOURS,
    BADGE_HEX,
    FigurePoint,
    answer_markdown,
    briefing_file_name,
    briefing_source_markdown,
    citation_label,
    escape_markdown,
    figure_points,
    first_figure,
    highlight_passage,
    markdown_paragraphs,
    party_badge,
    party_colour,
    party_columns,
    party_hex,
    party_row_style,
    safe_url,
    source_groups,
    source_markdown,
    statement_markdown,
    stream_pieces,
    unescape_markdown,
)

HOSTILE = "Vote <script>alert(1)</script> <img src=x onerror=alert(2)>"


def citation(**changes: object) -> Citation:
    values: dict[str, object] = dict(
        n=1,
        doc_id="d1",
        title="Kalat attack",
        outlet="World News",
        published=date(2025, 2, 2),
        url="https://example.org/kalat",
        passage="killing at least 25 personnel",
        start=10,
        end=39,
        speaker="the BLA",
        party="Baloch Liberation Army",
        cue="explicit",
    )
    values.update(changes)
    return Citation(**values)  # type: ignore[arg-type]


def test_escape_markdown_backslashes_every_ascii_punctuation_mark() -> None:
    assert escape_markdown(HOSTILE) == (
        "Vote \\<script\\>alert\\(1\\)\\<\\/script\\> \\<img src\\=x onerror\\=alert\\(2\\)\\>"
    )
    assert escape_markdown(":red[x] $5 **b** # h [l](u)") == (
        "\\:red\\[x\\] \\$5 \\*\\*b\\*\\* \\# h \\[l\\]\\(u\\)"
    )


@pytest.mark.parametrize(
    "text", [HOSTILE, "a\\b", "*_`~|&;'\"", "Ünïcode — “quotes” 25%", "C:\\path\\to"]
)
def test_escaping_round_trips_to_the_same_text(text: str) -> None:
    assert unescape_markdown(escape_markdown(text)) == text


def test_escape_markdown_flattens_whitespace_to_one_line() -> None:
    assert escape_markdown("  one\n\n two\t three  ") == "one two three"


def test_markdown_paragraphs_keeps_one_paragraph_per_line() -> None:
    assert markdown_paragraphs("First.\n\n    # Second\nThird") == "First\\.\n\n\\# Second\n\nThird"


def test_highlight_passage_marks_exactly_the_offsets() -> None:
    text = "The army said 23 died. The BLA said 25 died. Talks follow."
    start = text.index("The BLA")
    end = text.index(" Talks")
    assert highlight_passage(text, start, end) == (
        "The army said 23 died\\. :orange-background[**The BLA said 25 died\\.**] Talks follow\\."
    )


def test_highlight_passage_spans_paragraphs_and_escapes_inside() -> None:
    text = "Intro <b>.\nA [claim]\nends here. Outro"
    start = text.index("<b>")
    end = text.index(" Outro")
    assert highlight_passage(text, start, end) == (
        "Intro :orange-background[**\\<b\\>\\.**]\n\n"
        ":orange-background[**A \\[claim\\]**]\n\n"
        ":orange-background[**ends here\\.**] Outro"
    )


def test_highlight_passage_clamps_bad_offsets() -> None:
    assert highlight_passage("abc", -5, 99) == ":orange-background[**abc**]"
    assert highlight_passage("abc", 2, 1) == "abc"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://ex.org/a b(c)", "https://ex.org/a%20b%28c%29"),
        ("http://ex.org/x?q=1&r=2#f", "http://ex.org/x?q=1&r=2#f"),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//ex.org/x", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url_keeps_only_http_links(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_party_colour_is_stable_and_grey_for_no_party() -> None:
    assert party_colour("Baloch Liberation Army") == party_colour("Baloch Liberation Army")
    assert party_colour("Baloch Liberation Army") in BADGE_COLOURS
    assert party_colour("Baloch Liberation Army") != party_colour("Pakistan military")
    assert party_colour(None) == party_colour("narrator") == "gray"


def test_party_badge_escapes_the_name() -> None:
    colour = party_colour("A [b]")
    assert party_badge("A [b]") == f":{colour}-badge[A \\[b\\]]"
    assert party_badge(None) == ":gray-badge[no party]"


def test_party_row_style_is_a_light_tint_with_dark_text() -> None:
    assert party_row_style(None) == "background-color: #f1f3f5; color: #1f2328"


def test_answer_markdown_escapes_and_keeps_lines() -> None:
    answer = Answer(
        "q", "Accounts differ:\nBLA: 25 killed. [1]\n\nArmy: 23 killed. [2]", "extractive", False
    )
    assert answer_markdown(answer) == (
        "Accounts differ\\:\n\nBLA\\: 25 killed\\. \\[1\\]\n\nArmy\\: 23 killed\\. \\[2\\]"
    )


def test_stream_pieces_join_back_and_never_split_an_escape() -> None:
    markdown = "BLA\\: 25 killed\\. \\[1\\]\n\nArmy"
    pieces = stream_pieces(markdown)
    assert "".join(pieces) == markdown
    assert pieces == ["BLA\\: ", "25 ", "killed\\. ", "\\[1\\]\n\n", "Army"]


def test_party_columns_need_two_parties() -> None:
    bla = Statement("25 killed.", [1], "Baloch Liberation Army", "the BLA")
    army = Statement("23 killed.", [2], "Pakistan military", "the army")
    more = Statement("Bases seized.", [3], "Baloch Liberation Army", None)
    plain = Statement("Kalat is in Balochistan.", [4])
    both = Answer("q", "", "extractive", False, statements=[bla, army, plain, more])
    columns = party_columns(both)
    assert [(c.party, c.statements) for c in columns] == [
        ("Baloch Liberation Army", [bla, more]),
        ("Pakistan military", [army]),
    ]
    one = Answer("q", "", "extractive", False, statements=[bla, plain, more])
    assert party_columns(one) == []


def test_statement_markdown_carries_its_numbers() -> None:
    assert statement_markdown(Statement("25 killed.", [1, 3])) == "25 killed\\. \\[1\\]\\[3\\]"


def test_source_groups_list_each_article_once_in_citation_order() -> None:
    one, two, three = (
        citation(n=1, doc_id="a"),
        citation(n=2, doc_id="b"),
        citation(n=3, doc_id="a"),
    )
    assert source_groups([one, two, three]) == [[one, three], [two]]


def test_source_markdown_links_the_escaped_title_and_shows_each_party_once() -> None:
    group = [
        citation(title=HOSTILE, also_in=("Radio <x>",)),
        citation(n=3, party="Pakistan military"),
        citation(n=4),
    ]
    bla, army = party_colour("Baloch Liberation Army"), party_colour("Pakistan military")
    assert source_markdown(group) == (
        "**\\[1\\] \\[3\\] \\[4\\]** World News · 2025\\-02\\-02 · "
        f"[{escape_markdown(HOSTILE)}](https://example.org/kalat)"
        f" :{bla}-badge[Baloch Liberation Army] :{army}-badge[Pakistan military]"
        " · also in Radio \\<x\\>"
    )


def test_source_markdown_drops_unsafe_links_and_names_missing_fields() -> None:
    line = source_markdown(
        [citation(url="javascript:alert(1)", outlet=None, published=None, party=None)]
    )
    assert line == "**\\[1\\]** unknown outlet · undated · Kalat attack"


def test_citation_label_names_the_party_and_shortens_the_passage() -> None:
    label = citation_label(citation(passage="word " * 40), width=20)
    assert label == "\\[1\\] **Baloch Liberation Army** — “word word word word…”"
    assert citation_label(citation(party=None, passage="<b>")) == "\\[1\\] “\\<b\\>”"


def test_highlight_passage_with_context_shows_neighbouring_paragraphs_only() -> None:
    text = "P1.\n\nP2 is here.\nP3 holds the claim.\nP4 follows.\n\nP5.\nP6."
    start = text.index("the claim")
    end = start + len("the claim")
    assert highlight_passage(text, start, end, context=1) == (
        "…\n\nP2 is here\\.\n\nP3 holds :orange-background[**the claim**]\\.\n\nP4 follows\\.\n\n…"
    )
    assert highlight_passage(text, start, end, context=0) == (
        "…\n\nP3 holds :orange-background[**the claim**]\\.\n\n…"
    )
    assert highlight_passage(text, 0, 3, context=1) == (
        ":orange-background[**P1\\.**]\n\nP2 is here\\.\n\n…"
    )
    assert highlight_passage(text, start, end, context=9) == highlight_passage(text, start, end)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The UMF said 4,200 workers were out, 90 percent.", 4200.0),
        ("The rate stays at 4.75 percent.", 4.75),
        ("At 26.", 26.0),
        ("a 12-year-old girl and 3 others", 12.0),
        ("seven more fighters", None),
        ("", None),
    ],
)
def test_first_figure_reads_the_first_number_in_digits(text: str, expected: float | None) -> None:
    assert first_figure(text) == expected


def test_party_hex_matches_the_badge_colour() -> None:
    assert set(BADGE_HEX) == {*BADGE_COLOURS, "gray"}
    assert party_hex("Pakistan military") == BADGE_HEX[party_colour("Pakistan military")]
    assert party_hex(None) == party_hex("narrator") == BADGE_HEX["gray"]


def test_figure_points_date_each_figure_by_its_source_and_join_revisions() -> None:
    cites = [
        citation(n=1, published=date(2026, 3, 10), party="union"),
        citation(n=2, published=date(2026, 3, 11), party="union"),
        citation(n=3, published=date(2026, 3, 11), party="company"),
        citation(n=4, published=None, party="company"),
    ]
    revised = "The union first gave 4,000 workers on 2026-03-10 [1], then 4,200 on 2026-03-11 [2]."
    story = Story(
        "Strike",
        ["Daily"],
        ["d1"],
        contested=[
            Contest(
                "Figures (worker)",
                [
                    Position("union", "The union said 4,200 workers were out.", [2]),
                    Position("company", "About 1,100 employees were absent.", [3]),
                    Position("company", "Production continued on all shifts.", [3]),
                    Position("company", "An undated 900.", [4]),
                ],
            )
        ],
        revisions=[Revision("union", revised, [1, 2], "4,000", "4,200")],
    )
    day10, day11 = date(2026, 3, 10), date(2026, 3, 11)
    assert figure_points(story, cites) == [
        FigurePoint("company", day11, 1100.0, 3, "About 1,100 employees were absent."),
        FigurePoint("union", day10, 4000.0, 1, revised, revision=0),
        FigurePoint("union", day11, 4200.0, 2, revised, revision=0),
    ]
    assert figure_points(Story("Quiet", ["Daily"], ["d1"]), cites) == []


def test_briefing_source_markdown_escapes_links_safely_and_quotes_the_passage() -> None:
    line = briefing_source_markdown(citation(title=HOSTILE, passage="25 [killed](x)"))
    assert line == (
        f"**\\[1\\]** World News · 2025\\-02\\-02 · [{escape_markdown(HOSTILE)}]"
        f"(https://example.org/kalat) :{party_colour('Baloch Liberation Army')}-badge"
        "[Baloch Liberation Army]  \n“25 \\[killed\\]\\(x\\)”"
    )
    bare = briefing_source_markdown(
        citation(url="javascript:alert(1)", outlet=None, published=None, party="narrator")
    )
    assert (
        bare
        == "**\\[1\\]** unknown outlet · undated · Kalat attack  \n“killing at least 25 personnel”"
    )


def test_briefing_file_name_keeps_ranges_readable() -> None:
    assert briefing_file_name("2026-03-11", "md") == "briefing-2026-03-11.md"
    assert briefing_file_name("2026-03-10..2026-03-12", "json") == (
        "briefing-2026-03-10_2026-03-12.json"
    )


def test_url_shaped_text_is_defused_and_reads_the_same() -> None:
    from ui.render import WORD_JOINER, defuse_autolinks, escape_markdown, unescape_markdown

    text = "Visit https://evil.example/x, www.evil.example or write to a.b@evil.example."
    escaped = escape_markdown(text)
    assert unescape_markdown(escaped) == text
    plain = escaped.replace("\\", "")
    for shape in ("https:", "www.", "@evil"):
        assert shape not in plain  # each shape GFM autolinks is broken by a word joiner
    assert defuse_autolinks("https://x.y").startswith("https" + WORD_JOINER + ":")
    assert defuse_autolinks("no links here: just text") == "no links here: just text"
