"""Library page: the stored sources and parties, uploads, removal, and one article's claims."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from assistant import Assistant, BriefingError, Source, clean_text, iso
from ui.render import (
    NARRATOR,
    escape_markdown,
    markdown_paragraphs,
    party_badge,
    party_row_style,
    safe_url,
)
from ui.views import get_assistant, progress_bar, show_error

UPLOAD_TYPES = ["txt", "md", "html", "htm", "json", "jsonl", "rss", "atom", "xml"]


def article_label(article: Source) -> str:
    return (
        f"{article.title} — {article.outlet or 'unknown outlet'}, "
        f"{iso(article.published) or 'undated'}"
    )


MAX_NAME_BYTES = 255  # the usual file-name limit of the disk the upload is written to


def upload_name(raw: str, i: int) -> str:
    """The name an upload is shown and recorded under: its last path part, printable."""
    name = clean_text(raw.replace("\\", "/")).replace("\n", " ").replace("\t", " ")
    name = name.rsplit("/", 1)[-1].strip()
    return name if name not in ("", ".", "..") else f"upload-{i}"


def disk_name(name: str) -> str:
    """`name` cut to fit the file system's limit, keeping its suffix (the loader needs it)."""
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    suffix = Path(name).suffix[:16]
    stem = name[: len(name) - len(suffix)] if suffix else name
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem + suffix


def ingest_uploads(bot: Assistant, files: list[UploadedFile]) -> list[dict[str, Any]]:
    """Ingest each uploaded file under its own name; one result row per file, whatever
    happens to the others."""
    rows = []
    slot = st.empty()
    bar = progress_bar("Ingesting", slot)
    with tempfile.TemporaryDirectory(prefix="briefing-upload-") as tmp:
        for i, upload in enumerate(files):
            name = upload_name(upload.name, i)
            path = Path(tmp) / str(i) / disk_name(name)
            bar(i, len(files), name)
            row: dict[str, Any] = {
                "file": name,
                "added": 0,
                "updated": 0,
                "unchanged": 0,
                "chunks": 0,
                "replaced": "",
                "error": "",
            }
            try:
                path.parent.mkdir()
                path.write_bytes(upload.getvalue())
                report = bot.ingest([path], sources={str(path): f"upload:{name}"})
            except OSError as exc:
                row["error"] = f"cannot store the upload: {exc.strerror or exc}"
            except BriefingError as exc:
                row["error"] = str(exc).replace(str(path), name)
            else:
                row.update(
                    added=report.added,
                    updated=report.updated,
                    unchanged=report.unchanged,
                    chunks=report.chunks,
                )
                row["replaced"] = "; ".join(
                    f"{r.title} (was from {r.old_source or '?'})" for r in report.replaced
                )
                row["error"] = "; ".join(
                    f.error
                    if f.path == str(path)
                    else f"{f.path}: {f.error}".replace(str(path), name)
                    for f in report.failed
                )
            rows.append(row)
    slot.empty()
    return rows


def upload_section(bot: Assistant) -> None:
    st.subheader("Add articles")
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader(
            "Article files: plain text, Markdown, HTML, JSON/JSONL or an RSS/Atom feed",
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
        )
        submitted = st.form_submit_button("Ingest", type="primary", icon=":material/upload:")
    if submitted and files:
        st.session_state["upload_results"] = ingest_uploads(bot, list(files))
    elif submitted:
        st.warning("Choose one or more files first.")
    results = st.session_state.get("upload_results")
    if results:
        for row in results:
            if row["error"]:
                st.error(f"**{escape_markdown(row['file'])}**: {escape_markdown(row['error'])}")
            if row.get("replaced"):
                st.warning(
                    f"**{escape_markdown(row['file'])}** replaced a stored article with the "
                    f"same URL: {escape_markdown(row['replaced'])}"
                )
        st.dataframe(pd.DataFrame(results), hide_index=True, width="stretch")


def sources_section(bot: Assistant, sources: list[Source]) -> None:
    st.subheader(f"Sources ({len(sources)})")
    table = pd.DataFrame(
        [
            {
                "title": a.title,
                "outlet": a.outlet,
                "published": iso(a.published),
                "chunks": a.chunks,
                "url": safe_url(a.url),
                "doc_id": a.doc_id,
            }
            for a in sources
        ],
        columns=["title", "outlet", "published", "chunks", "url", "doc_id"],
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={"url": st.column_config.LinkColumn("url", display_text="open")},
    )
    by_id = {a.doc_id: a for a in sources}
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    doc_id = left.selectbox(
        "Remove a source",
        list(by_id),
        index=None,
        placeholder="Choose a source to remove",
        format_func=lambda d: article_label(by_id[d]),
        key="remove_doc",
    )
    if right.button("Remove", icon=":material/delete:", disabled=doc_id is None):
        bot.remove(str(doc_id))
        st.toast(f"Removed {escape_markdown(by_id[str(doc_id)].title)}")
        st.session_state.pop("remove_doc", None)
        st.rerun()


def article_section(bot: Assistant, sources: list[Source]) -> None:
    st.subheader("Read an article and its claims")
    by_id = {a.doc_id: a for a in sources}
    linked = st.query_params.get("doc")  # the chat links here with ?doc=<doc_id>
    if linked in by_id and "read_doc" not in st.session_state:
        st.session_state["read_doc"] = linked
    doc_id = st.selectbox(
        "Article",
        list(by_id),
        index=None,
        placeholder="Choose an article",
        format_func=lambda d: article_label(by_id[d]),
        key="read_doc",
    )
    if doc_id is None:
        return
    article = bot.article(doc_id)
    ledger = bot.claims(doc_id)
    st.markdown(f"#### {escape_markdown(article.title)}")
    url = safe_url(article.url)
    meta = f"{escape_markdown(article.outlet or 'unknown outlet')} · "
    meta += escape_markdown(iso(article.published) or "undated")
    if url:
        meta += f" · [source]({url})"
    st.caption(meta)
    speakers = sorted({r.party for r in ledger.records if r.party != NARRATOR})
    if speakers:
        st.markdown("Parties speaking: " + " ".join(party_badge(p) for p in speakers))
    if ledger.records:
        rows = pd.DataFrame(
            [
                {
                    "#": r.sentence_index,
                    "party": r.party,
                    "sentence": r.text,
                    "speaker": r.speaker or "",
                    "cue": r.cue,
                    "confidence": round(r.confidence, 2),
                }
                for r in ledger.records
            ]
        )
        styled = rows.style.apply(
            lambda row: [party_row_style(row["party"])] * len(row), axis=1
        ).format({"confidence": "{:.2f}"})
        st.dataframe(styled, hide_index=True, width="stretch")
    else:
        st.info("No claims ledger is stored for this article (it was ingested without one).")
    with st.container(height=360, border=True):
        st.markdown(markdown_paragraphs(article.text))


def parties_section(bot: Assistant) -> None:
    parties = [p for p in bot.parties() if p.party != NARRATOR]
    st.subheader(f"Parties ({len(parties)})")
    if not parties:
        st.caption("No parties recorded yet.")
        return
    table = pd.DataFrame(
        [
            {
                "party": p.party,
                "sentences": p.sentences,
                "articles": p.articles,
                "aliases": ", ".join(p.aliases),
            }
            for p in parties
        ]
    )
    styled = table.style.apply(lambda row: [party_row_style(row["party"])] * len(row), axis=1)
    st.dataframe(styled, hide_index=True, width="stretch")


def main() -> None:
    bot = get_assistant()
    st.title("Library")
    upload_section(bot)
    try:
        feeds_section(bot)
    except BriefingError as exc:
        show_error(exc)
    sources = bot.sources()
    if not sources:
        st.info(
            "The store is empty: upload files above, or load the demo corpus from the Chat page."
        )
        return
    sources_section(bot, sources)
    try:
        article_section(bot, sources)
    except BriefingError as exc:
        show_error(exc)
    parties_section(bot)


def feeds_section(bot: Assistant) -> None:
    """Subscribe to feeds, poll them now with progress, and see how each last poll went."""
    st.subheader("Feeds")
    with st.form("add_feed", clear_on_submit=True):
        left, right = st.columns([3, 1])
        url = left.text_input("Feed URL (RSS or Atom)", placeholder="https://example.org/feed.xml")
        outlet = right.text_input("Outlet (optional)")
        if st.form_submit_button("Add feed", icon=":material/rss_feed:") and url.strip():
            feed = bot.add_feed(url, outlet or None)
            st.toast(f"Subscribed to {escape_markdown(feed.url)}")
    feeds = bot.feeds()
    if not feeds:
        st.caption("No feeds yet; `briefing feeds add URL` or the form above subscribes to one.")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "url": f.url,
                    "outlet": f.outlet,
                    "status": f.status,
                    "last fetched": iso(f.last_fetched),
                    "last poll": f.last_status,
                    "new": f.last_new,
                    "error": f.last_error or "",
                }
                for f in feeds
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    left, middle, right = st.columns([3, 1, 1], vertical_alignment="bottom")
    chosen = left.selectbox("Remove a feed", [f.url for f in feeds], index=None, key="remove_feed")
    if middle.button("Remove feed", icon=":material/delete:", disabled=chosen is None):
        bot.remove_feed(str(chosen))
        st.session_state.pop("remove_feed", None)
        st.rerun()
    if right.button("Fetch now", type="primary", icon=":material/refresh:"):
        slot = st.empty()
        report = bot.fetch(progress=progress_bar("Fetching", slot))
        slot.empty()
        st.session_state["fetch_report"] = (
            f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
            f"{len(report.failed)} failed",
            [f"{f.url}: {f.error}" for f in report.failed],
        )
        st.rerun()
    done = st.session_state.get("fetch_report")
    if done:
        st.success(escape_markdown(done[0]))
        for line in done[1]:
            st.error(escape_markdown(line))


if __name__ == "__main__":  # Streamlit runs a page as __main__; tests import it
    main()
