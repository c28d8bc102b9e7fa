"""The Daily briefing page through Streamlit's AppTest.

The fast tests use the hash embedder without the claims ledger (no contested blocks there), plus
a made-up briefing rendered on its own; one integration test runs the real models on the demo
corpus and checks the strike story's contested figures.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.memory_media_file_storage import MemoryFile, MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from assistant.api import Assistant, demo_corpus_path
from assistant.briefings.stories import to_html, to_json, to_markdown
from assistant.settings import Settings
from tests.ui.conftest import WEB
from ui.render import party_colour, party_hex, unescape_markdown

BRIEFING_PAGE = "views/briefing.py"
DOWNLOAD_LABELS = ["Download Markdown", "Download HTML", "Download JSON"]
TIMEOUT_S = 180
UMF = "United Metalworkers Federation"
BRENNIC = "Brennic Steel Group"
STRIKE_TITLE = "Brennic strike enters second day as union and company trade figures"


class RecordingStorage(MemoryMediaFileStorage):
    """AppTest's in-memory media storage, kept so a test can read what a download holds."""

    made: list[RecordingStorage] = []

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        RecordingStorage.made.append(self)


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> list[RecordingStorage]:
    RecordingStorage.made = []
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    return RecordingStorage.made


def downloaded(media: list[RecordingStorage], at: AppTest) -> dict[str, MemoryFile]:
    """Download button label -> the file the last run stored for it."""
    return {
        button.proto.label: media[-1].get_file(button.proto.url.rsplit("/", 1)[1])
        for button in at.get("download_button")
    }


def briefing_page() -> AppTest:
    at = AppTest.from_file(str(WEB), default_timeout=TIMEOUT_S).run()
    at.switch_page(BRIEFING_PAGE).run()
    return at


def headings(at: AppTest) -> list[str]:
    return [unescape_markdown(s.value) for s in at.subheader]


def shown(at: AppTest) -> str:
    bodies = [m.value for m in at.markdown] + [c.value for c in at.caption]
    bodies += [e.value for kind in ("info", "warning", "error") for e in getattr(at, kind)]
    return "\n".join(unescape_markdown(body) for body in bodies)


def no_html_allowed(at: AppTest) -> bool:
    return not any(m.proto.allow_html for m in [*at.markdown, *at.caption, *at.info])


def charts(at: AppTest) -> list[dict[str, object]]:
    """Each Vega-Lite chart's spec, with the data it plots under "rows"."""
    found = []
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        rows: list[dict[str, object]] = []
        for dataset in chart.proto.datasets:
            from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

            rows += convert_arrow_bytes_to_pandas_df(dataset.data.data).to_dict("records")
        found.append({"spec": spec, "rows": rows})
    return found


def test_the_page_opens_on_the_latest_day_with_downloads(filled: Assistant) -> None:
    at = briefing_page()
    assert not at.exception
    assert at.title[0].value == "Daily briefing"
    assert at.date_input[0].value == date(2026, 3, 12) == filled.latest_day()
    assert at.toggle[0].label == "Range of days" and at.toggle[0].value is False
    assert headings(at) == ["1. Port Selwyn tram fares to rise by 10 percent in April", "Sources"]
    assert unescape_markdown(at.caption[0].value).startswith("1 story on 2026-03-12;")
    assert [b.proto.label for b in at.get("download_button")] == DOWNLOAD_LABELS


def test_a_picked_day_lists_its_stories_in_order_with_escaped_titles(filled: Assistant) -> None:
    at = briefing_page()
    at.date_input[0].set_value(date(2026, 3, 11)).run()
    assert not at.exception
    briefing = filled.summary(date(2026, 3, 11))
    expected = [f"{i}. {s.title}" for i, s in enumerate(briefing.stories, start=1)]
    assert len(expected) == 6
    assert headings(at) == [*expected, "Sources"]
    assert at.subheader[0].value == "1\\. Council vote \\<script\\>alert\\(1\\)\\<\\/script\\>"
    assert "Reported by Northgate Daily" in [unescape_markdown(c.value) for c in at.caption]
    # one numbered source line per citation, in order, the title linked to its http(s) url
    sources = [m.value for m in at.markdown if m.value.startswith("**\\[")]
    assert [re.match(r"\*\*\\\[(\d+)\\\]\*\*", s).group(1) for s in sources] == [  # type: ignore[union-attr]
        str(c.n) for c in briefing.citations
    ]
    hostile = next(s for s in sources if "Council vote" in s)
    assert hostile.startswith("**\\[3\\]** Northgate Daily · 2026\\-03\\-11 · [Council vote \\<")
    assert "](https://northgate-daily.example/2026/03/11/council-vote-hostile)" in hostile
    text = shown(at)
    assert "<img src=x onerror=alert(2)>" in text
    assert "voted 21 to 14" in text
    assert no_html_allowed(at)
    assert at.get("vega_lite_chart") == []  # no ledger, so no contested figures to plot


def test_downloads_hold_the_renderers_output(filled: Assistant, media: list) -> None:
    at = briefing_page()
    at.date_input[0].set_value(date(2026, 3, 11)).run()
    files = downloaded(media, at)
    briefing = filled.summary(date(2026, 3, 11))
    markdown, page, data = (files[label] for label in DOWNLOAD_LABELS)
    assert markdown.content.decode() == to_markdown(briefing)
    assert markdown.content.startswith(b"# Briefing for 2026-03-11\n")
    assert (markdown.filename, markdown.mimetype) == ("briefing-2026-03-11.md", "text/markdown")
    assert page.content.decode() == to_html(briefing)
    assert (page.filename, page.mimetype) == ("briefing-2026-03-11.html", "text/html")
    assert data.content.decode() == to_json(briefing)
    assert json.loads(data.content)["date"] == "2026-03-11"
    assert data.filename == "briefing-2026-03-11.json"


def test_a_day_without_articles_points_to_the_latest_day(filled: Assistant) -> None:
    at = briefing_page()
    at.date_input[0].set_value(date(2026, 3, 13)).run()
    assert not at.exception
    assert [unescape_markdown(i.value) for i in at.info] == [
        "No articles were published on 2026-03-13. The latest day with articles is **2026-03-12**."
    ]
    assert at.get("download_button") == []
    assert headings(at) == []
    at.button[0].click().run()
    assert at.date_input[0].value == date(2026, 3, 12)
    assert headings(at)[0] == "1. Port Selwyn tram fares to rise by 10 percent in April"


def test_the_range_toggle_briefs_on_several_days(filled: Assistant, media: list) -> None:
    at = briefing_page()
    at.toggle[0].set_value(True).run()
    assert at.date_input[0].label == "Days"
    assert at.date_input[0].value == (date(2026, 3, 12), date(2026, 3, 12))
    at.date_input[0].set_value((date(2026, 3, 10), date(2026, 3, 12))).run()
    assert not at.exception
    briefing = filled.summary(date(2026, 3, 10), date(2026, 3, 12))
    assert headings(at)[:-1] == [f"{i}. {s.title}" for i, s in enumerate(briefing.stories, start=1)]
    assert len(briefing.stories) == 9
    assert unescape_markdown(at.caption[0].value).startswith(
        "9 stories from 2026-03-10 to 2026-03-12;"
    )
    markdown = downloaded(media, at)["Download Markdown"]
    assert markdown.filename == "briefing-2026-03-10_2026-03-12.md"
    assert markdown.content.startswith(b"# Briefing for 2026-03-10..2026-03-12\n")


def test_an_empty_store_says_how_to_fill_it(data_dir: Path) -> None:
    at = briefing_page()
    assert not at.exception
    assert at.date_input[0].value == date.today()
    assert len(at.info) == 1
    assert unescape_markdown(at.info[0].value).startswith("The store is empty")
    labels = [link.proto.label for link in at.get("page_link")]
    assert labels == ["Load the demo corpus", "Upload files"]
    assert at.button == []


def _render_a_contested_briefing() -> None:
    """Runs as a Streamlit script (AppTest.from_function): a made-up briefing, no store."""
    from datetime import date

    from assistant.briefings.stories import Briefing, Contest, Position, Revision, Story
    from assistant.types import Citation, Repair, Statement
    from ui.views.briefing import render_briefing

    umf, brennic = "United Metalworkers Federation", "Brennic Steel Group"

    def cite(n: int, published: date, passage: str, party: str | None, **more: str) -> Citation:
        values = dict(
            title="Strike <b>day</b> two",
            outlet="Northgate Daily",
            url="https://northgate.example/strike",
        )
        values.update(more)
        return Citation(
            n, f"d{n}", values["title"], values["outlet"], published, values["url"], passage,
            0, len(passage), None, party, "explicit",
        )  # fmt: skip

    citations = [
        cite(1, date(2026, 3, 10), "The union said 4,000 workers walked out.", umf),
        cite(2, date(2026, 3, 11), "The union said 4,200 workers were out.", umf),
        cite(3, date(2026, 3, 11), "The company said about 1,100 employees were absent.", brennic),
        cite(
            4,
            date(2026, 3, 11),
            "The plant is in Kessport [map](http://evil.example).",
            None,
            outlet="Radio <x>",
            url="javascript:alert(1)",
        ),
    ]
    story = Story(
        "Strike <b>day</b> two",
        ["Northgate Daily", "Radio <x>"],
        ["d1", "d2", "d3", "d4"],
        summary=[Statement("The strike entered its *second* day.", [2, 4])],
        agreed=[Statement("The plant is in Kessport.", [4])],
        contested=[
            Contest(
                "Figures (worker)",
                [
                    Position(umf, "The union said 4,200 workers were out.", [2]),
                    Position(brennic, "The company said about 1,100 employees were absent.", [3]),
                    Position(brennic, "Production continued on all shifts.", [3]),
                ],
            )
        ],
        revisions=[
            Revision(
                umf,
                f"The {umf} first gave 4,000 worker on 2026-03-10 [1], then 4,200 on "
                "2026-03-11 [2].",
                [1, 2],
                "4,000",
                "4,200",
            )
        ],
    )
    repairs = [Repair("number_removed", "31 is in no source", "31 died.", None)]
    render_briefing(Briefing(date(2026, 3, 11), date(2026, 3, 11), [story], citations, repairs))


def test_a_story_shows_agreed_contested_revised_figures_chart_and_sources() -> None:
    at = AppTest.from_function(_render_a_contested_briefing, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert at.subheader[0].value == "1\\. Strike \\<b\\>day\\<\\/b\\> two"
    assert unescape_markdown(at.caption[0].value) == "Reported by Northgate Daily, Radio <x>"
    bodies = [m.value for m in at.markdown]
    assert "The strike entered its \\*second\\* day\\. \\[2\\]\\[4\\]" in bodies
    agreed = bodies.index("**Agreed**")
    assert bodies[agreed + 1] == "- The plant is in Kessport\\. \\[4\\]"
    assert "**Contested — Figures \\(worker\\)**" in bodies
    # one bordered column per party, headed by its badge, in the chat page's colours
    columns = at.columns
    assert len(columns) == 2
    assert columns[0].markdown[0].value == f":{party_colour(UMF)}-badge[{UMF}]"
    assert unescape_markdown(columns[0].markdown[1].value) == (
        "The union said 4,200 workers were out. [2]"
    )
    assert columns[1].markdown[0].value == f":{party_colour(BRENNIC)}-badge[{BRENNIC}]"
    assert unescape_markdown(columns[1].markdown[1].value) == (
        "The company said about 1,100 employees were absent. [3]\n\n"
        "Production continued on all shifts. [3]"
    )
    revised = bodies[bodies.index("**Revised figures**") + 1]
    assert unescape_markdown(revised) == (
        f"- :{party_colour(UMF)}-badge[{UMF}] The {UMF} first gave 4,000 worker on "
        "2026-03-10 [1], then 4,200 on 2026-03-11 [2]."
    )
    # the chart: each party's figures by report date, coloured like its badge
    (chart,) = charts(at)
    points = sorted(
        (row["party"], row["report date"], row["figure"], row["source"]) for row in chart["rows"]
    )
    assert points == [
        (BRENNIC, "2026-03-11", 1100.0, "[3]"),
        (UMF, "2026-03-10", 4000.0, "[1]"),
        (UMF, "2026-03-11", 4200.0, "[2]"),
    ]
    scales = json.dumps(chart["spec"])
    assert party_hex(UMF) in scales and party_hex(BRENNIC) in scales
    # the sources: escaped, linked only when http(s), each with its party's badge
    sources = [unescape_markdown(b) for b in bodies if b.startswith("**\\[")]
    assert sources[0] == (
        "**[1]** Northgate Daily · 2026-03-10 · [Strike <b>day</b> two](https://northgate."
        f"example/strike) :{party_colour(UMF)}-badge[{UMF}]  \n"
        "“The union said 4,000 workers walked out.”"
    )
    assert sources[3] == (
        "**[4]** Radio <x> · 2026-03-11 · Strike <b>day</b> two  \n"
        "“The plant is in Kessport [map](http://evil.example).”"
    )
    assert "](http://evil" not in bodies[-1]
    assert at.expander[0].label == "Verifier repairs (1)"
    assert no_html_allowed(at)


@pytest.mark.integration
def test_real_models_show_the_strike_story_contested_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, media: list
) -> None:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(data_dir))
    bot = Assistant(Settings())
    report = bot.ingest([demo_corpus_path()])
    assert report.failed == [] and report.added == 20

    at = briefing_page()
    at.date_input[0].set_value(date(2026, 3, 11)).run()
    assert not at.exception
    titles = headings(at)
    strike = next(i for i, title in enumerate(titles) if title.endswith(STRIKE_TITLE))
    assert titles[strike] == f"{strike + 1}. {STRIKE_TITLE}"
    # the strike story's contested block: the union's 4,200 beside the company's 1,100
    badges = {
        unescape_markdown(column.markdown[0].value): unescape_markdown(
            "\n".join(m.value for m in column.markdown[1:])
        )
        for column in at.columns
        if column.markdown and "-badge[" in column.markdown[0].value
    }
    umf = badges[f":{party_colour(UMF)}-badge[{UMF}]"]
    brennic = badges[f":{party_colour(BRENNIC)}-badge[{BRENNIC}]"]
    assert "said 4,200 workers were out again on Wednesday" in umf
    assert "about 1,100 employees were absent on Wednesday" in brennic
    plotted = {(row["party"], row["figure"]) for chart in charts(at) for row in chart["rows"]}
    assert {(UMF, 4200.0), (BRENNIC, 1100.0)} <= plotted
    files = downloaded(media, at)
    assert list(files) == DOWNLOAD_LABELS
    assert files["Download Markdown"].content.startswith(b"# Briefing for 2026-03-11\n")
    assert f"## {strike + 1}. {STRIKE_TITLE}".encode() in files["Download Markdown"].content
    assert files["Download HTML"].content.startswith(b"<!doctype html>")
    assert json.loads(files["Download JSON"].content)["stories"][strike]["title"] == STRIKE_TITLE
    assert no_html_allowed(at)
