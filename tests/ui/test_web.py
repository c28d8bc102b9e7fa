"""The web chat through Streamlit's AppTest: hash embedder, no ledger, a temp data dir."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.api import Assistant
from assistant.settings import Settings
from tests.ui.conftest import FORMATS, HOSTILE_TITLE, WEB
from ui.render import unescape_markdown

COUNCIL_QUESTION = "What happened at the council vote on opening hours?"
TIMEOUT_S = 120


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
    answer = next(m.value for m in assistant.markdown if "[1]" in unescape_markdown(m.value))
    assert "voted 21 to 14" in unescape_markdown(answer)
    sources = [
        unescape_markdown(m.value) for m in assistant.markdown if m.value.startswith("**\\[")
    ]
    assert sources and re.match(
        r"\*\*\[1\]( \[\d\])*\*\* Northgate Daily · 2026-03-11 · \[", sources[0]
    )
    # the title links to the article's url
    assert "](https://northgate-daily.example/2026/03/11/council-vote-hostile)" in sources[0]
    labels = [e.label for e in assistant.expander]
    assert labels[0].startswith("\\[1\\] ")
    # the expander shows the article with the cited passage highlighted
    highlighted = [
        m.value for m in assistant.expander[0].markdown if ":orange-background[" in m.value
    ]
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
    at.switch_page("views/library.py").run()
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
    at.switch_page("views/library.py").run()
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
    assert results["error"][1].startswith("invalid JSON")
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("**broken\\.json**: invalid JSON")
    assert "briefing\\-upload" not in errors[0]
    assert [a.title for a in Assistant(Settings()).sources()] == [
        "Harbour cranes at Calder Quay to be replaced under new port plan"
    ]


def test_remove_deletes_the_chosen_source(filled: Assistant) -> None:
    at = app().run()
    at.switch_page("views/library.py").run()
    doomed = filled.sources()[0]
    at.selectbox(key="remove_doc").set_value(doomed.doc_id).run()
    next(b for b in at.button if b.label == "Remove").click().run()
    assert not at.exception
    assert doomed.doc_id not in {a.doc_id for a in filled.sources()}
    assert len(at.dataframe[0].value) == 10


def test_an_unreachable_chroma_server_shows_a_banner(
    filled: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import free_port

    monkeypatch.setenv("BRIEFING_CHROMA_MODE", "http")
    monkeypatch.setenv("BRIEFING_CHROMA_PORT", str(free_port()))
    at = app().run()
    assert not at.exception
    assert len(at.error) == 1
    banner = unescape_markdown(at.error[0].value)
    assert banner.startswith("**The vector store is unreachable.** Chroma server at 127.0.0.1:")
    assert "chroma run" in banner


def test_the_chat_links_a_citation_to_its_article_in_the_library(filled: Assistant) -> None:
    at = app().run()
    at.chat_input[0].set_value(COUNCIL_QUESTION).run()
    link = at.chat_message[1].expander[0].get("page_link")[0].proto
    assert link.label == "Read the whole article and its claims"
    hostile = next(a.doc_id for a in filled.sources() if a.title == HOSTILE_TITLE)
    assert f"doc={hostile}" in link.query_string

    library = app()
    library.query_params["doc"] = hostile
    library.run()
    library.switch_page("views/library.py").run()
    assert not library.exception
    assert library.selectbox(key="read_doc").value == hostile
    assert any(m.value.startswith("#### Council vote") for m in library.markdown)


def test_a_failing_llm_engine_falls_back_with_a_visible_notice(
    filled: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import free_port

    monkeypatch.setenv("BRIEFING_LLM_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    at = app().run()
    assert at.sidebar.radio[0].options == ["extractive", "llm"]
    at.sidebar.radio[0].set_value("llm").run()
    at.chat_input[0].set_value(COUNCIL_QUESTION).run()
    assert not at.exception
    warnings = [unescape_markdown(w.value) for w in at.chat_message[1].warning]
    assert len(warnings) == 1 and warnings[0].startswith("The LLM engine failed")
    assert at.chat_message[1].caption[-1].value.startswith("extractive engine")


def _render_a_two_party_answer() -> None:
    """Runs as a Streamlit script (AppTest.from_function): a made-up answer, no store."""
    from datetime import date
    from types import SimpleNamespace

    from assistant.types import Answer, Citation, Repair, Statement
    from ui.views.chat import render_answer

    text = "Kalat, Feb 2. The BLA said 25 <b>soldiers</b> died.\nThe army said 23 fighters died."
    bla_at, army_at = text.index("The BLA"), text.index("The army")
    citations = [
        Citation(
            1,
            "d1",
            "Kalat <i>clash</i>",
            "Wire",
            date(2025, 2, 2),
            "javascript:alert(1)",
            text[bla_at : text.index("\n")],
            bla_at,
            text.index("\n"),
            "The BLA",
            "Baloch Liberation Army",
            "explicit",
        ),
        Citation(
            2,
            "d1",
            "Kalat <i>clash</i>",
            "Wire",
            date(2025, 2, 2),
            "javascript:alert(1)",
            text[army_at:],
            army_at,
            len(text),
            "The army",
            "Pakistan military",
            "explicit",
        ),
    ]
    answer = Answer(
        "How many died?",
        "Accounts differ:\nThe BLA said 25 <b>soldiers</b> died. [1]\n"
        "The army said 23 fighters died. [2]",
        "llm",
        False,
        statements=[
            Statement("The BLA said 25 <b>soldiers</b> died.", [1], "Baloch Liberation Army"),
            Statement("The army said 23 fighters died.", [2], "Pakistan military"),
        ],
        citations=citations,
        repairs=[Repair("number_removed", "31 is in no source", "31 died.", None)],
        notice="The LLM engine was slow",
        standalone_question="How many died in Kalat?",
    )
    bot = SimpleNamespace(article=lambda doc_id: SimpleNamespace(text=text))
    render_answer(bot, answer, library_page=None)


def test_an_answer_renders_parties_side_by_side_with_repairs_and_notice() -> None:
    at = AppTest.from_function(_render_a_two_party_answer, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert unescape_markdown(at.warning[0].value) == "The LLM engine was slow"
    assert unescape_markdown(at.caption[0].value) == "Answered as: How many died in Kalat?"
    columns = at.columns
    assert len(columns) == 2
    assert columns[0].markdown[0].value.endswith("-badge[Baloch Liberation Army]")
    assert unescape_markdown(columns[0].markdown[1].value) == (
        "The BLA said 25 <b>soldiers</b> died. [1]"
    )
    assert columns[1].markdown[0].value.endswith("-badge[Pakistan military]")
    assert unescape_markdown(columns[1].markdown[1].value) == "The army said 23 fighters died. [2]"
    # one source line for the article; the javascript: url is not linked
    source = next(m.value for m in at.markdown if m.value.startswith("**\\[1\\] \\[2\\]**"))
    assert "javascript" not in source and "](" not in source
    assert "Kalat \\<i\\>clash\\<\\/i\\>" in source
    labels = [e.label for e in at.expander]
    assert labels == [
        "\\[1\\] **Baloch Liberation Army** — “The BLA said 25 \\<b\\>soldiers\\<\\/b\\> died\\.”",
        "\\[2\\] **Pakistan military** — “The army said 23 fighters died\\.”",
        "Verifier repairs (1)",
    ]
    assert at.expander[1].markdown[0].value == (
        "Kalat\\, Feb 2\\. The BLA said 25 \\<b\\>soldiers\\<\\/b\\> died\\.\n\n"
        ":orange-background[**The army said 23 fighters died\\.**]"
    )
    repair = unescape_markdown(at.expander[2].markdown[0].value)
    assert repair == "**number_removed** — 31 is in no source  \nbefore: 31 died."
    assert at.caption[-1].value == "llm engine"
    assert no_html_allowed(at)


def test_the_llm_engine_shows_only_verified_sentences(
    filled: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stand-in OpenAI-compatible server answers with one true and one invented sentence."""
    from tests.stand_in_openai import StandInServer, first_source_sentence

    invented = "The council also banned every car from the old town for ten years."
    true: list[str] = []

    def reply(request: dict) -> str:  # type: ignore[type-arg]
        true.append(first_source_sentence(request))
        return f"{true[-1]} [1]\n{invented} [1]"

    with StandInServer(reply) as url:
        monkeypatch.setenv("BRIEFING_LLM_BASE_URL", url)
        at = app().run()
        at.sidebar.radio[0].set_value("llm").run()
        at.chat_input[0].set_value(COUNCIL_QUESTION).run()
    assert not at.exception
    answer = at.chat_message[1]
    in_expanders = {m.value for e in answer.expander for m in e.markdown}
    text = "\n".join(
        unescape_markdown(m.value) for m in answer.markdown if m.value not in in_expanders
    )
    assert invented not in text and "banned every car" not in text
    assert true and true[0][4:40].lower() in text.lower()
    assert answer.caption[-1].value.startswith("llm engine")
    [repairs] = [e for e in answer.expander if e.label.startswith("Verifier repairs")]
    recorded = "\n".join(unescape_markdown(m.value) for m in repairs.markdown)
    assert "banned every car" in recorded and "dropped" in recorded
