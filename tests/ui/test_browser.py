"""The web chat in a real browser: real models, the demo corpus, the Kalat seed article.

Starts `streamlit run ui/web.py` on a free port and drives it with Playwright (Chromium).
Screenshots of each step go to tests/artifacts/ at 1280 and 390 px wide.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.api import Assistant, demo_corpus_path
from assistant.settings import Settings
from tests.conftest import free_port, stop, wait_for_port
from tests.stand_in_openai import StandInServer

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SEED = Path(__file__).resolve().parents[2].parent / "shared/data/seed/kalat-ani.txt"
HOSTILE = ROOT / "tests" / "data" / "formats" / "hostile.md"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = (1280, 390)
# URL- and address-shaped text that GFM would turn into links (issue 13, item 9).
LINKY = """---
title: Quay notice with addresses
outlet: Northgate Daily
published: 2026-03-11
---
The harbour office posted its notice at https://evil.example/track and at www.evil.example today.
Questions go to press@evil.example, the office said, and the quay stays open until Friday.
"""
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
TIMEOUT_MS = 120_000
LINE_PAUSE_S = 4.0


def _two_lines(request: dict) -> str:  # type: ignore[type-arg]
    """The stand-in model's answer: the first two source sentences, one a line, cited."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    sentences = re.findall(r"says: <<<(.*?)>>>", user)
    return f"{sentences[0]} [1]\n{sentences[1]} [1]\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install -y chromium)")
    if not SEED.exists():
        pytest.skip(f"shared seed article not found at {SEED}")
    base = tmp_path_factory.mktemp("web")
    data_dir = base / "data"
    linky = base / "linky.md"
    linky.write_text(LINKY)
    report = Assistant(Settings(data_dir=data_dir)).ingest(
        [demo_corpus_path(), SEED, HOSTILE, linky]
    )
    assert report.failed == [] and report.added == 23
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env["BRIEFING_DATA_DIR"] = str(data_dir)
    # The llm engine talks to a stand-in model that pauses after each line it writes.
    llm = StandInServer(_two_lines, pause_s=LINE_PAUSE_S)
    env["BRIEFING_LLM_BASE_URL"] = llm.__enter__()
    env["BRIEFING_LLM_MODEL"] = "stand-in"
    log = (base / "streamlit.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "ui/web.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, 60, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)
        log.close()
        llm.__exit__()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()


def idle(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(300)
    page.locator(IDLE).wait_for()


def shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Screenshots of the whole app at each width; the app scrolls inside, so grow the window."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(500)
        height = page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))"
        )
        page.set_viewport_size({"width": width, "height": max(900, min(int(height), 8000))})
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"))
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.wait_for_timeout(300)


def ask(page, question: str) -> float:  # type: ignore[no-untyped-def]
    """Ask in the chat; seconds from pressing Enter to the first answer text."""
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    before = page.get_by_test_id("stChatMessage").count()
    started = time.perf_counter()
    box.press("Enter")
    page.wait_for_function(
        """n => {
            const m = document.querySelectorAll('[data-testid=stChatMessage]');
            if (m.length < n + 2) return false;
            // the answer's first words (markdown) or a refusal (alert), not the spinner
            const md = m[n + 1].querySelector('[data-testid=stMarkdown], [data-testid=stAlert]');
            return md !== null && md.innerText.trim().length > 0;
        }""",
        arg=before,
        polling="raf",
    )
    latency = time.perf_counter() - started
    idle(page)
    return latency


def open_chat(page, server: str) -> float:  # type: ignore[no-untyped-def]
    """Open the chat; seconds until the page is idle (the first run also loads the models)."""
    started = time.perf_counter()
    page.goto(server)
    page.get_by_test_id("stChatInputTextArea").wait_for()
    idle(page)
    return time.perf_counter() - started


def test_kalat_answer_shows_both_parties_figures_badges_and_highlight(page, server: str) -> None:  # type: ignore[no-untyped-def]
    ready = open_chat(page, server)
    shoot(page, "01-chat-empty")
    latency = ask(page, "How many soldiers were killed in Kalat?")
    print(f"\nchat page ready (models loaded) {ready:.1f} s after opening it")
    print(f"first answer text {latency * 1000:.0f} ms after pressing Enter")
    answer = page.get_by_test_id("stChatMessage").nth(1)
    text = answer.inner_text()
    assert "25 personnel" in text
    assert "23 BLA fighters" in text
    badges = answer.locator(".stMarkdownBadge")
    names = set(badges.all_inner_texts())
    assert {"Baloch Liberation Army", "Pakistan military"} <= names
    colours = {
        name: badges.filter(has_text=name).first.evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        for name in ("Baloch Liberation Army", "Pakistan military")
    }
    assert colours["Baloch Liberation Army"] != colours["Pakistan military"]
    side_by_side = answer.get_by_test_id("stColumn")
    assert side_by_side.count() >= 2
    shoot(page, "02-chat-kalat-answer")

    first = answer.get_by_test_id("stExpander").first
    first.locator("summary").click()
    details = first.get_by_test_id("stExpanderDetails")
    details.wait_for()
    highlighted = details.locator("strong")
    assert highlighted.count() == 1
    passage = highlighted.inner_text()
    assert "25 personnel" in passage
    assert highlighted.is_visible()
    first.scroll_into_view_if_needed()
    shoot(page, "03-chat-citation-1")
    assert page.dialogs == []


def test_hostile_title_is_plain_text_in_the_chat(page, server: str) -> None:  # type: ignore[no-untyped-def]
    open_chat(page, server)
    ask(page, "How did the Northgate council vote on shop opening hours?")
    answer = page.get_by_test_id("stChatMessage").nth(1)
    link = answer.locator("a", has_text="Council vote")
    assert link.first.inner_text() == "Council vote <script>alert(1)</script>"
    assert answer.locator("script, img[src=x]").count() == 0
    shoot(page, "04-chat-hostile-source")
    assert page.dialogs == []


def test_library_names_the_bad_upload_and_shows_the_hostile_article_as_text(
    page, server: str
) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/library")
    page.get_by_text("Read an article and its claims").wait_for()
    idle(page)
    shoot(page, "05-library")

    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        [
            {"name": "empty.txt", "mimeType": "text/plain", "buffer": b""},
            {"name": "broken.json", "mimeType": "application/json", "buffer": b"{not json"},
        ]
    )
    page.get_by_role("button", name="Ingest").click()
    errors = page.get_by_test_id("stAlertContentError")
    errors.first.wait_for()
    idle(page)
    messages = errors.all_inner_texts()
    assert any(m.startswith("empty.txt:") for m in messages), messages
    assert any(m.startswith("broken.json:") for m in messages), messages
    assert not any("briefing-upload-" in m for m in messages), messages
    shoot(page, "06-library-bad-upload")

    article = page.get_by_test_id("stSelectbox").filter(has_text="Article")
    article.click()
    page.keyboard.type("Council vote")
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name="Council vote <script>alert(1)</script>")
    heading.wait_for()
    idle(page)
    assert heading.is_visible()
    text = page.locator("[data-testid=stMarkdownContainer] p")
    script = text.filter(has_text="three hours. <script>alert(1)</script> The change takes effect")
    img = text.filter(has_text="18:00. <img src=x onerror=alert(2)> Opponents said")
    assert script.count() == 1 and script.is_visible()
    assert img.count() == 1 and img.is_visible()
    assert page.locator("[data-testid=stMain] img[src=x]").count() == 0
    shoot(page, "07-library-hostile-article")
    assert page.dialogs == []


def test_url_shaped_article_text_is_not_a_link(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/library")
    page.get_by_text("Read an article and its claims").wait_for()
    idle(page)
    article = page.get_by_test_id("stSelectbox").filter(has_text="Article")
    article.click()
    page.keyboard.type("Quay notice")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Quay notice with addresses").wait_for()
    idle(page)
    main = page.get_by_test_id("stMain")
    shown = main.inner_text().replace("\u2060", "")
    assert "https://evil.example/track" in shown
    assert "press@evil.example" in shown
    assert main.locator("a[href*='evil.example']").count() == 0
    shoot(page, "08-library-url-text")


def test_llm_answers_stream_sentence_by_sentence(page, server: str) -> None:  # type: ignore[no-untyped-def]
    """The first verified sentence is on screen while the model is still writing the next."""
    open_chat(page, server)
    page.get_by_test_id("stSidebar").get_by_text("llm", exact=True).click()
    idle(page)
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill("How many soldiers were killed in Kalat?")
    started = time.perf_counter()
    box.press("Enter")
    answer = page.get_by_test_id("stChatMessage").nth(1)
    answer.get_by_test_id("stMarkdown").first.wait_for()
    first_seen = time.perf_counter() - started
    partial = answer.inner_text()
    assert "Sources" not in partial  # the answer is not finished yet
    idle(page)
    finished = time.perf_counter() - started
    full = answer.inner_text()
    assert "Sources" in full and "llm engine" in full
    assert finished - first_seen >= LINE_PAUSE_S / 2, (first_seen, finished)
    print(f"\nfirst sentence {first_seen:.1f} s, whole answer {finished:.1f} s after Enter")
    shoot(page, "08-chat-llm-streamed")
    assert page.dialogs == []
