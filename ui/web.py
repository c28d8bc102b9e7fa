"""The web chat, run by `briefing serve`: pages parse input, call the library, render."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from assistant import Assistant, BriefingError
from ui.views import get_assistant, show_error

PAGES = Path(__file__).with_name("views")

st.set_page_config(page_title="Briefing assistant", page_icon=":material/newspaper:", layout="wide")

pages = [
    st.Page(PAGES / "chat.py", title="Chat", icon=":material/forum:", default=True),
    st.Page(PAGES / "library.py", title="Library", icon=":material/library_books:"),
]
# The daily briefing page appears once the library offers `Assistant.summary` and the page exists.
if hasattr(Assistant, "summary") and (PAGES / "briefing.py").exists():
    pages.append(st.Page(PAGES / "briefing.py", title="Daily briefing", icon=":material/today:"))

page = st.navigation(pages)
try:
    get_assistant()
    page.run()
except BriefingError as exc:
    show_error(exc)
