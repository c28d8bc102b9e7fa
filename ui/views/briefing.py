"""Daily briefing page: one day's (or a period's) stories, contested figures per party, sources."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from assistant import (
    Assistant,
    Briefing,
    BriefingError,
    Statement,
    Story,
    to_html,
    to_json,
    to_markdown,
)
from ui.render import (
    FigurePoint,
    briefing_file_name,
    briefing_source_markdown,
    escape_markdown,
    figure_points,
    party_badge,
    party_hex,
    statement_markdown,
)
from ui.views import get_assistant, show_error

COLUMNS_PER_ROW = 3
CHART_HEIGHT_PX = 170  # plot and axis; the legend adds a row per party
LEGEND_ROW_PX = 20
TOOLTIP_CHARS = 90
CHAT_PAGE = "views/chat.py"  # relative to ui/web.py
LIBRARY_PAGE = "views/library.py"
DAY_KEY = "briefing_day"
DAYS_KEY = "briefing_days"
RANGE_KEY = "briefing_range"
DOWNLOADS = (
    ("Download Markdown", "md", "text/markdown", to_markdown, ":material/description:"),
    ("Download HTML", "html", "text/html", to_html, ":material/html:"),
    ("Download JSON", "json", "application/json", to_json, ":material/data_object:"),
)


def chosen_period(default: date) -> tuple[date, date]:
    """The day, or with the range toggle on the first and last day, from the controls."""
    # Defaults go into the session state, not `value=`, so `show_day` can set the day too.
    st.session_state.setdefault(DAY_KEY, default)
    st.session_state.setdefault(DAYS_KEY, (default, default))
    picker, toggle = st.columns([3, 1], vertical_alignment="bottom")
    with toggle:
        is_range = st.toggle("Range of days", key=RANGE_KEY)
    with picker:
        if not is_range:
            day = st.date_input("Day", key=DAY_KEY, format="YYYY-MM-DD")
            return day, day
        chosen = st.date_input("Days", key=DAYS_KEY, format="YYYY-MM-DD")
    if isinstance(chosen, date):
        return chosen, chosen
    if not chosen:
        return default, default
    return chosen[0], chosen[-1]


def period_label(briefing: Briefing) -> str:
    if briefing.since == briefing.until:
        return f"on {briefing.since}"
    return f"from {briefing.since} to {briefing.until}"


def show_day(day: date) -> None:
    """Button callback: switch the controls to one day (runs before the widgets are drawn)."""
    st.session_state[RANGE_KEY] = False
    st.session_state[DAY_KEY] = day


def nothing_published(bot: Assistant, briefing: Briefing) -> None:
    if bot.is_empty():
        st.info(
            "The store is empty, so there is nothing to brief on yet. Load the demo corpus on "
            "the **Chat** page or add your own files in the **Library**.",
            icon=":material/inbox:",
        )
        left, right = st.columns(2)
        left.page_link(CHAT_PAGE, label="Load the demo corpus", icon=":material/forum:")
        right.page_link(LIBRARY_PAGE, label="Upload files", icon=":material/upload:")
        return
    latest = bot.latest_day()
    hint = f" The latest day with articles is **{latest.isoformat()}**." if latest else ""
    st.info(
        f"No articles were published {escape_markdown(period_label(briefing))}.{hint}",
        icon=":material/event_busy:",
    )
    if latest:
        st.button(
            f"Show {latest.isoformat()}",
            icon=":material/today:",
            on_click=show_day,
            args=(latest,),
        )


def downloads(briefing: Briefing) -> None:
    for slot, (label, extension, mime, renderer, icon) in zip(
        st.columns(len(DOWNLOADS)), DOWNLOADS, strict=True
    ):
        slot.download_button(
            label,
            data=renderer(briefing),
            file_name=briefing_file_name(briefing.date, extension),
            mime=mime,
            icon=icon,
            on_click="ignore",
            width="stretch",
        )


def figures_chart(points: list[FigurePoint]) -> alt.LayerChart:
    """Each party's figures by report date, in the parties' badge colours; lines join revisions."""
    rows = [
        {
            "report date": p.day.isoformat(),
            "figure": p.figure,
            "party": p.party,
            "source": f"[{p.citation}]",
            "statement": p.statement[:TOOLTIP_CHARS]
            + ("…" if len(p.statement) > TOOLTIP_CHARS else ""),
            "revision": -1 if p.revision is None else p.revision,
        }
        for p in points
    ]
    frame = pd.DataFrame(rows)
    parties = list(dict.fromkeys(p.party for p in points))
    # Six badge colours for any number of parties: a shape per party tells same-coloured apart.
    legend = alt.Legend(orient="bottom", title=None, columns=1, labelLimit=320)
    colour = alt.Color(
        "party:N",
        scale=alt.Scale(domain=parties, range=[party_hex(p) for p in parties]),
        legend=legend,
    )
    shape = alt.Shape("party:N", scale=alt.Scale(domain=parties), legend=legend)
    base = alt.Chart(frame).encode(
        x=alt.X("report date:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("figure:Q", title=None, axis=alt.Axis(format=",~r", tickCount=4)),
        color=colour,
    )
    dots = base.mark_point(size=80, filled=True, opacity=0.9).encode(
        shape=shape,
        tooltip=["party:N", "report date:O", "figure:Q", "source:N", "statement:N"],
    )
    lines = (
        base.transform_filter(alt.datum.revision >= 0)
        .mark_line(strokeWidth=2)
        .encode(detail="revision:N")
    )
    height = CHART_HEIGHT_PX + LEGEND_ROW_PX * len(parties)
    return (lines + dots).properties(height=height)


def render_statements(statements: list[Statement], bullet: bool = False) -> None:
    if bullet:
        st.markdown("\n".join(f"- {statement_markdown(s)}" for s in statements))
    else:
        st.markdown("\n\n".join(statement_markdown(s) for s in statements))


def render_story(number: int, story: Story, briefing: Briefing) -> None:
    with st.container(border=True, key=f"story-{number}"):  # CSS class st-key-story-<n>
        st.subheader(f"{number}\\. {escape_markdown(story.title)}", anchor=False)
        st.caption("Reported by " + ", ".join(escape_markdown(o) for o in story.outlets))
        if story.summary:
            st.markdown("\n\n".join(statement_markdown(s) for s in story.summary))
        if story.agreed:
            st.markdown("**Agreed**")
            render_statements(story.agreed, bullet=True)
        for contest in story.contested:
            st.markdown(f"**Contested — {escape_markdown(contest.topic)}**")
            by_party: dict[str, list[Statement]] = {}
            for position in contest.positions:
                by_party.setdefault(position.party, []).append(
                    Statement(position.statement, position.citations, position.party)
                )
            groups = list(by_party.items())
            for lo in range(0, len(groups), COLUMNS_PER_ROW):
                row = groups[lo : lo + COLUMNS_PER_ROW]
                for (party, statements), slot in zip(
                    row, st.columns(len(row), border=True), strict=True
                ):
                    with slot:
                        st.markdown(party_badge(party))
                        render_statements(statements)
        if story.revisions:
            st.markdown("**Revised figures**")
            st.markdown(
                "\n".join(
                    f"- {party_badge(r.party)} {escape_markdown(r.statement)}"
                    for r in story.revisions
                )
            )
        points = figure_points(story, briefing.citations)
        if points:
            st.caption("Figures by report date")
            st.altair_chart(figures_chart(points), width="stretch")


def render_briefing(briefing: Briefing) -> None:
    """The briefing's stories in order, then the numbered sources and the verifier's repairs."""
    for number, story in enumerate(briefing.stories, start=1):
        render_story(number, story, briefing)
    if briefing.citations:
        st.subheader("Sources", anchor=False)
        for citation in briefing.citations:
            st.markdown(briefing_source_markdown(citation))
    if briefing.repairs:
        with st.expander(f"Verifier repairs ({len(briefing.repairs)})"):
            for repair in briefing.repairs:
                line = f"**{escape_markdown(repair.action)}** — {escape_markdown(repair.reason)}"
                line += f"  \nbefore: {escape_markdown(repair.before)}"
                if repair.after:
                    line += f"  \nafter: {escape_markdown(repair.after)}"
                st.markdown(line)


def main() -> None:
    bot = get_assistant()
    st.title("Daily briefing")
    since, until = chosen_period(bot.latest_day() or date.today())
    try:
        with st.spinner("Writing the briefing…"):
            briefing = bot.summary(since, until)
    except BriefingError as exc:
        show_error(exc)
        return
    if not briefing.stories:
        nothing_published(bot, briefing)
        return
    count = len(briefing.stories)
    noun = "story" if count == 1 else "stories"
    period = period_label(briefing)
    st.caption(
        f"{count} {noun} {escape_markdown(period)}; every sentence cites its source, and "
        "contested figures are shown party by party."
    )
    downloads(briefing)
    render_briefing(briefing)


if __name__ == "__main__":  # Streamlit runs a page as __main__; tests import it
    main()
