"""Pure helpers for the web chat: values in, escaped Markdown strings out.

Everything that reaches `st.markdown` from an article (titles, passages, text) goes through
`escape_markdown` first, so article content can never become HTML, links or directives.
"""

from __future__ import annotations

import re
import string
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import quote, urlsplit

from assistant import NARRATOR, Answer, Citation, Statement, Story

# Colours `st.badge` / `:colour-badge[...]` accept; grey is kept for text without a party.
BADGE_COLOURS = ("blue", "red", "green", "violet", "orange", "yellow")
NO_PARTY_COLOUR = "gray"
HIGHLIGHT = "orange-background"

# Light tints of the badge colours, for table rows (dark text stays readable on them).
ROW_TINTS = {
    "blue": "#dbeafe",
    "red": "#fde2e1",
    "green": "#dcfce7",
    "violet": "#ede9fe",
    "orange": "#ffedd5",
    "yellow": "#fef9c3",
    "gray": "#f1f3f5",
}

_PUNCTUATION = frozenset(string.punctuation)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
# GFM turns URL- and address-shaped text into links after escapes are resolved, so escaping
# cannot stop it: an invisible WORD JOINER after the scheme, after `www` and after `@` breaks
# the shapes it looks for, and the text still reads (and copies) the same.
WORD_JOINER = "\u2060"
_AUTOLINK_SHAPES = re.compile(r"(?i)\b(?:https?|ftps?|mailto|xmpp)(?=:)|\bwww(?=\.)|@(?=[\w.-])")


def defuse_autolinks(text: str) -> str:
    """`text` with every would-be autolink literal (https://…, www.…, a@b.c) broken."""
    return _AUTOLINK_SHAPES.sub(lambda m: m.group(0) + WORD_JOINER, text)


def escape_markdown(text: str) -> str:
    """Text that Streamlit Markdown shows literally: every ASCII punctuation mark is escaped.

    CommonMark lets any ASCII punctuation be backslash-escaped, so this disarms HTML tags,
    links, emphasis, headings, lists, tables, `$` maths and `:colour[...]` directives alike.
    Runs of whitespace, newlines included, become one space (the result is one line), and
    URL-shaped text does not become a link (`defuse_autolinks`).
    """
    flat = defuse_autolinks(_SPACES.sub(" ", text.replace("\n", " ")).strip())
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in flat)


def markdown_paragraphs(text: str) -> str:
    """An article's text as escaped Markdown, one paragraph per non-blank line."""
    return "\n\n".join(escape_markdown(line) for line in text.splitlines() if line.strip())


def highlight_passage(
    text: str, start: int, end: int, context: int | None = None, style: str = HIGHLIGHT
) -> str:
    """The article as escaped Markdown with `text[start:end]` marked, paragraphs kept.

    With `context`, only the paragraphs holding the passage and `context` paragraphs on each
    side are shown, with `…` where text was left out. Offsets outside the text are clamped.
    """
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    if context is not None:
        lo, hi = _context_window(text, start, end, context)
        excerpt = highlight_passage(text[lo:hi], start - lo, end - lo, style=style)
        before = "…\n\n" if text[:lo].strip() else ""
        after = "\n\n…" if text[hi:].strip() else ""
        return f"{before}{excerpt}{after}"
    pieces = [(text[:start], False), (text[start:end], True), (text[end:], False)]
    lines: list[list[tuple[str, bool]]] = [[]]
    for piece, marked in pieces:
        for i, part in enumerate(piece.split("\n")):
            if i:
                lines.append([])
            if part:
                lines[-1].append((part, marked))
    paragraphs = []
    for line in lines:
        rendered = "".join(_render_piece(part, marked, style) for part, marked in line).strip()
        if rendered:
            paragraphs.append(rendered)
    return "\n\n".join(paragraphs)


def _context_window(text: str, start: int, end: int, context: int) -> tuple[int, int]:
    """Character bounds of the non-blank lines around [start, end), `context` lines each side."""
    spans = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    if not spans:
        return 0, len(text)
    hit = [i for i, (a, b) in enumerate(spans) if a < max(end, start + 1) and b > start]
    if not hit:
        hit = [min(range(len(spans)), key=lambda i: abs(spans[i][0] - start))]
    first = max(0, hit[0] - context)
    last = min(len(spans) - 1, hit[-1] + context)
    return min(spans[first][0], start), max(spans[last][1], end)


def _render_piece(part: str, marked: bool, style: str) -> str:
    if not part.strip():
        return " "
    lead = " " if part[0].isspace() else ""
    trail = " " if part[-1].isspace() else ""
    body = escape_markdown(part)
    if marked:
        body = f":{style}[**{body}**]"
    return f"{lead}{body}{trail}"


def safe_url(url: str | None) -> str | None:
    """An http(s) URL fit for a Markdown link target, or None for anything else."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe="/:?#[]@!$&'*+,;=%-._~")


def party_colour(party: str | None) -> str:
    """One stable badge colour per party name; grey for no party and the narrator."""
    if not party or party == NARRATOR:
        return NO_PARTY_COLOUR
    return BADGE_COLOURS[zlib.crc32(party.encode("utf-8")) % len(BADGE_COLOURS)]


def party_badge(party: str | None) -> str:
    """A Markdown badge naming the party, in its colour."""
    label = escape_markdown(party) if party else "no party"
    return f":{party_colour(party)}-badge[{label}]"


def party_row_style(party: str | None) -> str:
    """CSS for a table row of this party (used with a pandas Styler)."""
    return f"background-color: {ROW_TINTS[party_colour(party)]}; color: #1f2328"


def answer_markdown(answer: Answer) -> str:
    """The answer text, escaped, one paragraph per answer line."""
    lines = [escape_markdown(line) for line in answer.answer.splitlines() if line.strip()]
    return "\n\n".join(lines)


def stream_pieces(markdown: str) -> list[str]:
    """Words with their following whitespace, for `st.write_stream`; joined they give `markdown`.

    Splitting only at whitespace never cuts a backslash escape in half.
    """
    return re.findall(r"\S+\s*|\s+", markdown)


def citation_marks(numbers: Sequence[int]) -> str:
    return "".join(f"\\[{n}\\]" for n in numbers)


def statement_markdown(statement: Statement) -> str:
    marks = citation_marks(statement.citations)
    return f"{escape_markdown(statement.text)} {marks}".strip()


@dataclass(frozen=True, slots=True)
class PartyColumn:
    party: str
    statements: list[Statement]


def party_columns(answer: Answer) -> list[PartyColumn]:
    """Statements grouped by party in order of appearance; empty unless >= 2 parties speak."""
    groups: dict[str, list[Statement]] = {}
    for statement in answer.statements:
        if statement.party and statement.party != NARRATOR:
            groups.setdefault(statement.party, []).append(statement)
    if len(groups) < 2:
        return []
    return [PartyColumn(party, statements) for party, statements in groups.items()]


def source_groups(citations: Sequence[Citation]) -> list[list[Citation]]:
    """Citations grouped by article, in order of first citation, so each source is listed once."""
    groups: dict[str, list[Citation]] = {}
    for citation in citations:
        groups.setdefault(citation.doc_id, []).append(citation)
    return list(groups.values())


def source_markdown(citations: Sequence[Citation]) -> str:
    """`[1] [3] Outlet · date · [Title](url)` for one article, escaped, with its parties' badges."""
    first = citations[0]
    title = escape_markdown(first.title) or "untitled"
    url = safe_url(first.url)
    linked = f"[{title}]({url})" if url else title
    outlet = escape_markdown(first.outlet) if first.outlet else "unknown outlet"
    published = escape_markdown(first.published.isoformat()) if first.published else "undated"
    numbers = " ".join(f"\\[{c.n}\\]" for c in citations)
    line = f"**{numbers}** {outlet} · {published} · {linked}"
    parties = list(dict.fromkeys(c.party for c in citations if c.party and c.party != NARRATOR))
    if parties:
        line += " " + " ".join(party_badge(p) for p in parties)
    also_in = list(dict.fromkeys(o for c in citations for o in c.also_in))
    if also_in:
        line += " · also in " + ", ".join(escape_markdown(o) for o in also_in)
    return line


def citation_label(citation: Citation, width: int = 70) -> str:
    """A one-line expander label: `[n] Party — “start of the passage…”`, escaped."""
    flat = " ".join(citation.passage.split())
    if len(flat) > width:
        flat = flat[: width - 1].rstrip() + "…"
    who = ""
    if citation.party and citation.party != NARRATOR:
        who = f"**{escape_markdown(citation.party)}** — "
    return f"\\[{citation.n}\\] {who}“{escape_markdown(flat)}”"


def unescape_markdown(markdown: str) -> str:
    """What a reader sees of escaped text (used by tests and to check round trips)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace(WORD_JOINER, "")


# -- daily briefing -------------------------------------------------------------------------
# Hex values of the badge colours, so a chart gives each party the hue of its badge.
BADGE_HEX = {
    "blue": "#1c83e1",
    "red": "#ff4b4b",
    "green": "#21c354",
    "violet": "#803df5",
    "orange": "#ffa421",
    "yellow": "#faca2b",
    "gray": "#808495",
}
_FIGURE = re.compile(r"\d(?:[\d,]*\d)?(?:\.\d+)?")


def party_hex(party: str | None) -> str:
    """The party's badge colour as a hex value, for charts."""
    return BADGE_HEX[party_colour(party)]


def first_figure(text: str) -> float | None:
    """The first number written with digits, commas removed ('4,200 workers' -> 4200.0)."""
    match = _FIGURE.search(text)
    return float(match.group().replace(",", "")) if match else None


@dataclass(frozen=True, slots=True)
class FigurePoint:
    """One party's figure as reported on one day, with the citation it comes from."""

    party: str
    day: date
    figure: float
    citation: int
    statement: str
    revision: int | None = None  # index of the story's revision this point belongs to


def figure_points(story: Story, citations: Sequence[Citation]) -> list[FigurePoint]:
    """Each contested position's and each revision's figure by report date.

    A position gives the first figure in its statement, dated by its first citation; a revision
    gives two points, its earlier and its later figure, dated by its two citations. Statements
    without a figure in digits, or whose source is undated, give no point.
    """
    published = {c.n: c.published for c in citations}

    def point(party: str, figure_text: str, statement: str, number: int) -> FigurePoint | None:
        figure = first_figure(figure_text)
        day = published.get(number)
        if figure is None or day is None:
            return None
        return FigurePoint(party, day, figure, number, statement)

    revised: list[FigurePoint] = []
    for i, revision in enumerate(story.revisions):
        if len(revision.citations) < 2:
            continue
        ends = (
            point(revision.party, revision.before, revision.statement, revision.citations[0]),
            point(revision.party, revision.after, revision.statement, revision.citations[-1]),
        )
        revised += [replace(end, revision=i) for end in ends if end is not None]
    positions: list[FigurePoint] = []
    seen = {(p.party, p.day, p.figure) for p in revised}
    for contest in story.contested:
        for position in contest.positions:
            if not position.citations:
                continue
            found = point(
                position.party, position.statement, position.statement, position.citations[0]
            )
            if found is not None and (found.party, found.day, found.figure) not in seen:
                seen.add((found.party, found.day, found.figure))
                positions.append(found)
    return positions + revised


def briefing_source_markdown(citation: Citation) -> str:
    """`[n] Outlet · date · [Title](url) badge` and the quoted passage, all escaped."""
    title = escape_markdown(citation.title) or "untitled"
    url = safe_url(citation.url)
    linked = f"[{title}]({url})" if url else title
    outlet = escape_markdown(citation.outlet) if citation.outlet else "unknown outlet"
    published = escape_markdown(citation.published.isoformat()) if citation.published else "undated"
    line = f"**\\[{citation.n}\\]** {outlet} · {published} · {linked}"
    if citation.party and citation.party != NARRATOR:
        line += " " + party_badge(citation.party)
    return f"{line}  \n“{escape_markdown(citation.passage)}”"


def briefing_file_name(period: str, extension: str) -> str:
    """`briefing-2026-03-11.md`, or `briefing-2026-03-10_2026-03-12.md` for a range."""
    return f"briefing-{period.replace('..', '_')}.{extension}"
