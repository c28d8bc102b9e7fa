"""The web chat through Streamlit's AppTest: hash embedder, no ledger, a temp data dir."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from assistant.api import Assistant
from assistant.settings import Settings
from ui.render import unescape_markdown

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "ui" / "web.py"
FORMATS = ROOT / "tests" / "data" / "formats"
HOSTILE_TITLE = "Council vote <script>alert(1)</script>"
COUNCIL_QUESTION = "What happened at the council vote on opening hours?"
TIMEOUT_S = 120


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data"
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(path))
    monkeypatch.setenv("BRIEFING_EMBEDDING_MODEL", "hash")
    monkeypatch.setenv("BRIEFING_LEDGER", "false")
    st.cache_resource.clear()
    return path


@pytest.fixture
def filled(data_dir: Path) -> Assistant:
    bot = Assistant(Settings())
    report = bot.ingest(sorted(FORMATS.iterdir()))
    assert report.failed == [] and report.added == 11
    return bot


def app() -> AppTest:
    return AppTest.from_file(str(WEB), default_timeout=TIMEOUT_S)


def shown(at: AppTest) -> str:
    """Everything the markdown-like elements show, as a reader sees it."""
    bodies = [m.value for m in at.markdown] + [c.value for c in at.caption]
    bodies += [e.value for kind in ("info", "warning", "error") for e in getattr(at, kind)]
    return "\n".join(unescape_markdown(body) for body in bodies)


def no_html_allowed(at: AppTest) -> bool:
    return not any(m.proto.allow_html for m in at.markdown)


def test_first_run_offers_the_demo_corpus_and_the_library(data_dir: Path) -> None:
    at = app().run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Load the demo corpus"]
    assert at.title[0].value == "Welcome to the briefing assistant"
    assert "Library" in at.get("page_link")[0].proto.label
    assert not at.chat_input


def test_demo_button_loads_the_corpus_then_shows_the_chat(data_dir: Path) -> None:
    at = app().run()
    at.button[0].click().run()
    assert not at.exception
    assert len(Assistant(Settings()).sources()) == 20
    assert at.title[0].value == "Ask the briefing assistant"
    assert len(at.chat_input) == 1


def test_chat_answers_with_cited_sources(filled: Assistant) -> None:
    at = app().run()
    assert not at.exception
    at.chat_input[0].set_value(COUNCIL_QUESTION).run()
    assert not at.exception
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    assistant = at.chat_message[1]
    answer = next(
        m.value for m in assistant.markdown if "[1]" in unescape_markdown(m.value)
    )
    assert "voted 21 to 14" in unescape_markdown(answer)
    sources = [unescape_markdown(m.value) for m in assistant.markdown if m.value.startswith("**\\[")]
    assert sources and re.match(r"\*\*\[1\]( \[\d\])*\*\* Northgate Daily · 2026-03-11 · \[", sources[0])
    # the title links to the article's url
    assert "](https://northgate-daily.example/2026/03/11/council-vote-hostile)" in sources[0]
    labels = [e.label for e in assistant.expander]
    assert labels[0].startswith("\\[1\\] ")
    # the expander shows the article with the cited passage highlighted
    highlighted = [m.value for m in assistant.expander[0].markdown if ":orange-background[" in m.value]
    assert len(highlighted) == 1
    assert no_html_allowed(at)


def test_history_stays_in_the_session_and_refusals_look_like_refusals(filled: Assistant) -> None:
    at = app().run()
    at.chat_input[0].set_value(COUNCIL_QUESTION).run()
    at.chat_input[0].set_value("qwzx vbjk?").run()
    assert not at.exception
    assert [m.name for m in at.chat_message] == ["user", "assistant", "user", "assistant"]
    refusal = at.chat_message[3].info
    assert len(refusal) == 1
    assert refusal[0].value == "The stored sources do not answer this question\\."
    assert len(at.session_state["conversation"].turns) == 2


def test_sidebar_offers_only_the_extractive_engine_without_an_llm(filled: Assistant) -> None:
    at = app().run()
    assert at.sidebar.radio[0].options == ["extractive"]
    outlets = at.sidebar.selectbox(key="outlet").options
    assert "Northgate Daily" in outlets and "The Harbour Ledger" in outlets


def test_library_lists_sources_and_escapes_the_hostile_title(filled: Assistant) -> None:
    at = app().run()
    at.switch_page("pages/library.py").run()
    assert not at.exception
    assert at.title[0].value == "Library"
    table = at.dataframe[0].value
    assert len(table) == 11
    assert HOSTILE_TITLE in list(table["title"])
    assert set(table.columns) >= {"title", "outlet", "published", "chunks"}

    hostile = next(a.doc_id for a in filled.sources() if a.title == HOSTILE_TITLE)
    at.selectbox(key="read_doc").set_value(hostile).run()
    assert not at.exception
    heading = next(m.value for m in at.markdown if m.value.startswith("####"))
    assert heading == "#### Council vote \\<script\\>alert\\(1\\)\\<\\/script\\>"
    text = shown(at)
    assert HOSTILE_TITLE in text
    assert "<img src=x onerror=alert(2)>" in text
    assert no_html_allowed(at)


def test_chat_shows_the_hostile_title_literally(filled: Assistant) -> None:
    at = app().run()
    at.chat_input[0].set_value(COUNCIL_QUESTION).run()
    source = next(m.value for m in at.chat_message[1].markdown if m.value.startswith("**\\[1"))
    assert "[Council vote \\<script\\>alert\\(1\\)\\<\\/script\\>](https://" in source
    assert no_html_allowed(at)


def test_upload_reports_each_file_by_its_own_name(data_dir: Path) -> None:
    at = app().run()
    at.switch_page("pages/library.py").run()
    good = (FORMATS / "plain.txt").read_bytes()
    at.file_uploader[0].set_value(
        [("cranes.txt", good, "text/plain"), ("broken.json", b"{not json", "application/json")]
    )
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    results = at.dataframe[0].value
    assert list(results["file"]) == ["cranes.txt", "broken.json"]
    assert list(results["added"]) == [1, 0]
    assert results["error"][0] == ""
    assert results["error"][1].startswith("broken.json")
    assert "briefing-upload-" not in results["error"][1]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("**broken\\.json**: broken\\.json")
    assert [a.title for a in Assistant(Settings()).sources()] == [
        "Harbour cranes at Calder Quay to be replaced under new port plan"
    ]


def test_remove_deletes_the_chosen_source(filled: Assistant) -> None:
    at = app().run()
    at.switch_page("pages/library.py").run()
    doomed = filled.sources()[0]
    at.selectbox(key="remove_doc").set_value(doomed.doc_id).run()
    next(b for b in at.button if b.label == "Remove").click().run()
    assert not at.exception
    assert doomed.doc_id not in {a.doc_id for a in filled.sources()}
    assert len(at.dataframe[0].value) == 10
