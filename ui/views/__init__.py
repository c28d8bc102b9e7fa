"""What the web pages share: the one Assistant per process, progress bars, error display."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from assistant import Assistant, BriefingError, Settings, StoreUnavailable, load_settings
from ui.render import escape_markdown

log = logging.getLogger(__name__)


# One Assistant per settings, and its warm-up done once, for the whole process: page scripts
# and the warm-up thread `briefing serve` starts before the first visit share them.
_BOTS: dict[str, Assistant] = {}
_BOTS_LOCK = threading.Lock()
_WARMED: set[str] = set()
_WARM_LOCK = threading.Lock()


def _assistant_for(settings_key: str, settings: Settings) -> Assistant:
    with _BOTS_LOCK:
        bot = _BOTS.get(settings_key)
        if bot is None:
            bot = _BOTS[settings_key] = Assistant(settings)
        return bot


def get_assistant() -> Assistant:
    """The process's Assistant for the current settings (BRIEFING_* environment); a bad
    setting raises a one-line SettingsError (a BriefingError the page shows)."""
    settings = load_settings()
    return _assistant_for(settings.model_dump_json(), settings)


def warm_up(bot: Assistant) -> None:
    """Load the embedding model and the indexes once, so the first question is not the slow
    one; when the start-up warm-up is still running, wait for it instead of loading twice."""
    key = bot.settings.model_dump_json()
    with _WARM_LOCK:
        if key not in _WARMED:
            bot.warm_up()
            _WARMED.add(key)


def warm_in_background() -> threading.Thread:
    """Build and warm the process's Assistant in a daemon thread (`briefing serve` calls this
    as the server starts): the first visitor finds the models loaded. A bad setting is left
    for the page to report."""

    def run() -> None:
        try:
            warm_up(get_assistant())
        except BriefingError as exc:
            log.info("start-up warm-up skipped: %s", exc)
        except Exception:  # the page's own warm-up runs again and shows what is wrong
            log.exception("start-up warm-up failed")

    thread = threading.Thread(target=run, name="briefing-warm-up", daemon=True)
    thread.start()
    return thread


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
