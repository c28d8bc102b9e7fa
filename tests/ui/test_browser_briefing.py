"""The Daily briefing page in a real browser: real models, the demo corpus, Playwright (Chromium).

Reuses the server, browser and page fixtures of test_browser.py (a module of its own here, so
this module starts its own `streamlit run`). Screenshots go to tests/artifacts/briefing-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui import test_browser as base

pytestmark = pytest.mark.slow

server = base.server
browser = base.browser
page = base.page

DAY = "2026-03-11"
STRIKE_TITLE = "Brennic strike enters second day as union and company trade figures"
UMF = "United Metalworkers Federation"
BRENNIC = "Brennic Steel Group"


def open_briefing(page, server: str) -> None:  # type: ignore[no-untyped-def]
    """Open the app, then the page through its sidebar entry (as web.py registers it)."""
    base.open_chat(page, server)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Daily briefing").click()
    page.get_by_role("heading", name="Daily briefing").wait_for()
    page.get_by_test_id("stDateInput").wait_for()
    base.idle(page)
    assert page.url == f"{server}/briefing"


def pick_day(page, day: str) -> None:  # type: ignore[no-untyped-def]
    box = page.get_by_test_id("stDateInput").locator("input")
    box.fill(day)
    box.press("Enter")
    page.keyboard.press("Escape")  # close the calendar pop-over
    page.get_by_role("heading", name="Daily briefing").click()  # blur the date box
    page.mouse.move(0, 0)
    page.get_by_text(f"on {day};").wait_for()
    base.idle(page)


def test_briefing_page_shows_contested_figures_and_downloads_markdown(
    page,  # type: ignore[no-untyped-def]
    server: str,
    tmp_path: Path,
) -> None:
    open_briefing(page, server)
    assert page.get_by_test_id("stDateInput").locator("input").input_value() == "2026-03-12"
    base.shoot(page, "briefing-01-latest-day")

    pick_day(page, DAY)
    assert page.get_by_test_id("stDateInput").locator("input").input_value() == DAY
    heading = page.get_by_role("heading", name=STRIKE_TITLE)
    assert heading.count() == 1 and heading.is_visible()
    story = page.locator("[class*=st-key-story-]").filter(has=heading)
    text = story.inner_text()
    assert "Reported by Northgate Daily" in text
    assert "Contested — Figures" in text
    columns = story.get_by_test_id("stColumn")
    union = columns.filter(has=page.locator(".stMarkdownBadge", has_text=UMF))
    company = columns.filter(has=page.locator(".stMarkdownBadge", has_text=BRENNIC))
    assert "4,200 workers were out again" in union.first.inner_text()
    assert "about 1,100 employees were absent" in company.first.inner_text()
    colours = [
        story.locator(".stMarkdownBadge", has_text=name).first.evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        for name in (UMF, BRENNIC)
    ]
    assert colours[0] != colours[1]
    chart = story.get_by_test_id("stVegaLiteChart")
    chart.wait_for()
    assert chart.is_visible()
    base.shoot(page, "briefing-02-2026-03-11")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download Markdown").click()
    download = info.value
    assert download.suggested_filename == f"briefing-{DAY}.md"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    markdown = saved.read_text(encoding="utf-8")
    assert markdown.startswith(f"# Briefing for {DAY}\n")
    assert f". {STRIKE_TITLE}\n" in markdown
    assert "4,200" in markdown and "1,100" in markdown
    assert page.dialogs == []
