"""The briefing's Markdown and HTML come from templates over one story view (pure)."""

from __future__ import annotations

import json
from datetime import date

from assistant.briefings.stories import (
    Briefing,
    Contest,
    Position,
    Revision,
    Story,
    to_html,
    to_json,
    to_markdown,
)
from assistant.types import Citation, Statement


def _citation(n: int, party: str | None = None) -> Citation:
    return Citation(
        n, f"d{n}", f"Harbour <b>{n}</b> *news*", "Quill & [Post]", date(2031, 3, n), None,
        "The board said <img src=x onerror=alert(1)> 'yes' [link](http://x.example)",
        0, 10, None, party, None,
    )  # fmt: skip


def _briefing() -> Briefing:
    first = Story(
        "Floods <script>alert(1)</script> *hit*",
        ["Quill & Post", "Tarn Wire"],
        ["d1", "d2"],
        summary=[Statement("Water rose _fast_ [1](x).", [1], None, None)],
        agreed=[Statement("Roads # closed.", [2], None, None)],
        contested=[
            Contest(
                "Figures for <dead>",
                [
                    Position("Board <i>", "The board said 4.", [3]),
                    Position("Rescuers", "Rescuers said 9.", [1, 3]),
                ],
            )
        ],
        revisions=[
            Revision("Board <i>", "The board first said 2 [2], then 4 [3].", [2, 3], "2", "4")
        ],
    )
    second = Story(
        "Budget passes", ["Tarn Wire"], ["d3"], summary=[Statement("It passed.", [3], None, None)]
    )
    return Briefing(
        date(2031, 3, 1),
        date(2031, 3, 2),
        [first, second],
        [_citation(1), _citation(2), _citation(3, "Board")],
    )


def test_markdown_layout_and_escaping() -> None:
    md = to_markdown(_briefing())
    lines = md.splitlines()
    assert lines[0] == "# Briefing for 2031-03-01..2031-03-02"
    assert lines[2] == r"## 1. Floods \<script\>alert(1)\</script\> \*hit\*"
    assert lines[4] == r"*Reported by: Quill \& Post, Tarn Wire*"
    assert lines[6] == r"Water rose \_fast\_ \[1\](x). [1]"
    assert r"**Contested — Figures for \<dead\>**" in lines
    assert r"- **Board \<i\>:** The board said 4. [3]" in lines
    assert r"- **Rescuers:** Rescuers said 9. [1][3]" in lines
    assert r"- The board first said 2 \[2\], then 4 \[3\]." in lines
    assert "## 2. Budget passes" in lines
    assert lines[-1].startswith("[3] Quill \\& \\[Post\\], 2031-03-03: Harbour \\<b\\>3\\</b\\>")
    assert " — Board — " in lines[-1]
    assert "\\<img src" in md and "<img" not in md.replace("\\<img", "")
    assert "\\[link\\](http\u2060://" in md  # no live link, no autolink
    assert md.endswith("\n") and not md.endswith("\n\n")


def test_html_autoescapes_every_article_value() -> None:
    page = to_html(_briefing())
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "<h2>1. Floods &lt;script&gt;alert(1)&lt;/script&gt; *hit*</h2>" in page
    assert "<span class='party'>Board &lt;i&gt;:</span> The board said 4." in page
    assert "<sup><a href='#c1'>[1]</a></sup><sup><a href='#c3'>[3]</a></sup>" in page
    assert "<li id='c3'>Quill &amp; [Post], 2031-03-03:" in page
    assert page.count("<h2>") == 3  # two stories and the sources
    assert page.endswith("</body></html>\n")


def test_both_formats_show_the_same_stories_and_blocks_in_the_same_order() -> None:
    b = _briefing()
    md, page = to_markdown(b), to_html(b)
    order = ["Agreed across independent reports", "Contested", "Revised figures", "Budget passes"]
    assert [md.index(x) for x in order] == sorted(md.index(x) for x in order)
    assert [page.index(x) for x in order] == sorted(page.index(x) for x in order)


def test_an_empty_period_says_so_in_both_formats() -> None:
    empty = Briefing(date(2031, 3, 5), date(2031, 3, 5), [], [])
    assert to_markdown(empty) == (
        "# Briefing for 2031-03-05\n\nNo articles were published in this period (2031-03-05).\n"
    )
    page = to_html(empty)
    assert "<p>No articles were published in this period (2031-03-05).</p>" in page
    assert "Sources" not in page


def test_json_is_the_dataclasses_unchanged() -> None:
    data = json.loads(to_json(_briefing()))
    assert data["date"] == "2031-03-01..2031-03-02"
    assert data["stories"][0]["title"] == "Floods <script>alert(1)</script> *hit*"
    assert data["stories"][0]["contested"][0]["positions"][1]["citations"] == [1, 3]
