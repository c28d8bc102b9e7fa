"""Chat page: ask questions, read cited answers with each party's claims side by side."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from assistant import Answer, Assistant, BriefingError, Citation, Conversation
from ui.render import (
    NARRATOR,
    answer_markdown,
    citation_label,
    escape_markdown,
    highlight_passage,
    party_badge,
    party_columns,
    source_groups,
    source_markdown,
    statement_markdown,
)
from ui.views import get_assistant, progress_bar, show_error, warm_up

COLUMNS_PER_ROW = 3
LIBRARY_PAGE = "views/library.py"  # relative to ui/web.py


def first_run(bot: Assistant) -> None:
    st.title("Welcome to the briefing assistant")
    st.markdown(
        "Ask questions about news articles and get answers in which **every sentence cites its "
        "source** and **every claim names who makes it**. The store is empty, so there is "
        "nothing to ask about yet. Either:\n\n"
        "1. load the bundled demo corpus (a small set of short news articles; this takes "
        "about a minute), or\n"
        "2. go to the **Library** page and upload your own files "
        "(.txt, .md, .html, .json, .jsonl, RSS or Atom)."
    )
    left, right = st.columns([1, 1])
    if left.button("Load the demo corpus", type="primary", icon=":material/download:"):
        with st.spinner("Reading, attributing and embedding the demo articles…"):
            report = bot.ingest_demo(progress=progress_bar("Loading the demo corpus"))
        if report.failed:
            for failure in report.failed:
                st.error(f"{escape_markdown(failure.path)}: {escape_markdown(failure.error)}")
        else:
            st.rerun()
    right.page_link(LIBRARY_PAGE, label="Upload files in the Library", icon=":material/upload:")


def sidebar_filters(bot: Assistant) -> tuple[str, dict[str, Any]]:
    """Engine and filters from the sidebar, as keyword arguments for `Conversation.ask`."""
    with st.sidebar:
        engines = ["extractive"] + (["llm"] if bot.chat_model is not None else [])
        engine = st.radio(
            "Answer engine",
            engines,
            key="engine",
            horizontal=True,
            help="extractive quotes the sources directly; llm writes prose that a verifier checks.",
        )
        if bot.chat_model is None:
            st.caption("Set BRIEFING_LLM_BASE_URL to enable the llm engine.")
        st.subheader("Filters")
        sources = bot.sources()
        dates = sorted(a.published for a in sources if a.published)
        filters: dict[str, Any] = {}
        if dates:
            chosen = st.date_input(
                "Published between",
                value=(),
                min_value=dates[0],
                max_value=dates[-1],
                key="dates",
                help="Leave empty for any date.",
            )
            if isinstance(chosen, date):
                chosen = (chosen,)
            if len(chosen) >= 1:
                filters["since"] = chosen[0]
            if len(chosen) == 2:
                filters["until"] = chosen[1]
        outlets = sorted({a.outlet for a in sources if a.outlet})
        outlet = st.selectbox(
            "Outlet", outlets, index=None, placeholder="All outlets", key="outlet"
        )
        if outlet:
            filters["outlet"] = outlet
        parties = [p.party for p in bot.parties() if p.party != NARRATOR]
        party = st.selectbox("Party", parties, index=None, placeholder="All parties", key="party")
        if party:
            filters["party"] = party
        if st.button("New conversation", icon=":material/refresh:"):
            st.session_state.pop("conversation", None)
    return str(engine), filters


class LiveAnswer:
    """`on_text` for `Assistant.ask`: each verified sentence appears in the chat as it arrives
    (the LLM engine verifies a sentence the moment the model completes it)."""

    def __init__(self) -> None:
        self.slot = st.empty()
        self.text = ""

    def __call__(self, piece: str) -> None:
        self.text += piece
        lines = [escape_markdown(line) for line in self.text.splitlines() if line.strip()]
        self.slot.markdown("\n\n".join(lines))

    def clear(self) -> None:
        self.slot.empty()


def render_citation(bot: Assistant, citation: Citation, library_page: str | None) -> None:
    with st.expander(citation_label(citation)):
        text = ""
        try:
            text = bot.article(citation.doc_id).text
        except BriefingError as exc:
            show_error(exc)
        if text and text[citation.start : citation.end] == citation.passage:
            st.caption(
                f"The cited passage in context (characters {citation.start}–{citation.end})."
            )
            st.markdown(highlight_passage(text, citation.start, citation.end, context=1))
            if library_page:
                st.page_link(
                    library_page,
                    label="Read the whole article and its claims",
                    icon=":material/article:",
                    query_params={"doc": citation.doc_id},
                )
        else:
            st.caption("The stored article has changed since; the cited passage was:")
            st.markdown(escape_markdown(citation.passage))


def render_answer(bot: Assistant, answer: Answer, library_page: str | None = LIBRARY_PAGE) -> None:
    if answer.notice:
        st.warning(escape_markdown(answer.notice), icon=":material/warning:")
    if answer.standalone_question:
        st.caption(f"Answered as: {escape_markdown(answer.standalone_question)}")
    text = answer_markdown(answer)
    if answer.refused:
        st.info(text, icon=":material/block:")
    else:
        st.markdown(text)
    columns = party_columns(answer)
    if columns:
        st.markdown("**Side by side**")
        for lo in range(0, len(columns), COLUMNS_PER_ROW):
            row = columns[lo : lo + COLUMNS_PER_ROW]
            for column, slot in zip(row, st.columns(len(row), border=True), strict=True):
                with slot:
                    st.markdown(party_badge(column.party))
                    for statement in column.statements:
                        st.markdown(statement_markdown(statement))
    if answer.citations:
        st.markdown("**Sources**")
        for group in source_groups(answer.citations):
            st.markdown(source_markdown(group))
            for citation in group:
                render_citation(bot, citation, library_page)
    if answer.repairs:
        with st.expander(f"Verifier repairs ({len(answer.repairs)})"):
            for repair in answer.repairs:
                line = (
                    f"**{escape_markdown(repair.action)}** — {escape_markdown(repair.reason)}  \n"
                )
                line += f"before: {escape_markdown(repair.before)}"
                if repair.after:
                    line += f"  \nafter: {escape_markdown(repair.after)}"
                st.markdown(line)
    total = answer.timings_ms.get("total")
    st.caption(f"{answer.engine} engine" + (f" · {total:.0f} ms" if total is not None else ""))


def main() -> None:
    bot = get_assistant()
    if bot.is_empty():
        first_run(bot)
        return

    engine, filters = sidebar_filters(bot)
    conversation: Conversation = st.session_state.setdefault("conversation", Conversation(bot))
    conversation.engine = engine

    st.title("Ask the briefing assistant")
    question = st.chat_input(
        "Ask about the stored news, e.g. how many soldiers were killed in Kalat?"
    )
    if not conversation.turns and not question:
        st.caption(
            "Answers quote the stored articles; each sentence carries its source number, and "
            "claims name the party that makes them."
        )
    for turn in conversation.turns:
        with st.chat_message("user"):
            st.markdown(escape_markdown(turn.question))
        with st.chat_message("assistant"):
            render_answer(bot, turn.answer)

    with st.spinner("Loading the models (first question only)…"):
        warm_up(bot)

    if question:
        with st.chat_message("user"):
            st.markdown(escape_markdown(question))
        with st.chat_message("assistant"):
            live = LiveAnswer()
            try:
                with st.spinner("Searching the sources…"):
                    answer = conversation.ask(question, on_text=live, **filters)
            except BriefingError as exc:
                live.clear()
                show_error(exc)
            else:
                live.clear()
                render_answer(bot, answer)


if __name__ == "__main__":  # Streamlit runs a page as __main__; tests import it
    main()
