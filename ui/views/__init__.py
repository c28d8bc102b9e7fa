"""What the web pages share: the one Assistant per process, progress bars, error display."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from assistant import Assistant, BriefingError, Settings, StoreUnavailable, load_settings
from ui.render import escape_markdown


@st.cache_resource(show_spinner=False)
def _assistant_for(settings_key: str, _settings: Settings) -> Assistant:
    return Assistant(_settings)


def get_assistant() -> Assistant:
    """The process's Assistant for the current settings (BRIEFING_* environment); a bad
    setting raises a one-line SettingsError (a BriefingError the page shows)."""
    settings = load_settings()
    return _assistant_for(settings.model_dump_json(), settings)


@st.cache_resource(show_spinner=False)
def _warm(settings_key: str, _bot: Assistant) -> bool:
    # Load the embedding model and the indexes once, so the first question is not the slow one.
    _bot.warm_up()
    return True


def warm_up(bot: Assistant) -> None:
    _warm(bot.settings.model_dump_json(), bot)


def show_error(exc: BriefingError) -> None:
    """A library error as the user should see it: the message, no traceback."""
    if isinstance(exc, StoreUnavailable):
        st.error(
            "**The vector store is unreachable.** " + escape_markdown(str(exc)),
            icon=":material/cloud_off:",
        )
    else:
        st.error(escape_markdown(str(exc)), icon=":material/error:")


def progress_bar(label: str, slot: DeltaGenerator | None = None) -> Callable[[int, int, str], None]:
    """A Streamlit progress bar as an ingest progress callback `(done, total, title)`.

    Give a `slot` (from `st.empty()`) to be able to clear the bar afterwards.
    """
    bar = (slot or st).progress(0.0, text=label)

    def update(done: int, total: int, title: str) -> None:
        fraction = done / total if total else 1.0
        detail = f" — {escape_markdown(title[:60])}" if title else ""
        bar.progress(min(1.0, fraction), text=f"{label} {done}/{total}{detail}")

    return update
