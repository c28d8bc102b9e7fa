"""A period's articles -> a daily briefing: stories, cited summaries, agreed facts, contested
claims party by party, and revisions of a party's figures (pure: no I/O, no clock)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING

from assistant.lexical import jaccard, numbers, overlap, shingles
from assistant.serialise import day_text, iso, json_ready
from assistant.types import NARRATOR, Citation, Repair, Statement
from assistant.verify.evidence import CitationBook, EvidenceSentence
from assistant.verify.figures import Figure, figures_in, parse_ahead, same_thing
from assistant.verify.revisions import find_revisions
from assistant.verify.verifier import Draft, verify

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

SAME_STORY_COSINE = 0.62
SAME_STORY_WITH_PARTY = 0.42
SYNDICATED_JACCARD = 0.45
MAX_POSITIONS = 3
MAX_CONTESTS = 3
MAX_AGREED_REPORTS = 6  # independent reports compared pairwise for agreed facts


@dataclass(frozen=True, slots=True)
class BriefingArticle:
    """One article of the period with its ledger sentences and a vector for grouping."""

    doc_id: str
    title: str
    outlet: str | None
    published: date | None
    url: str | None
    sentences: list[EvidenceSentence]
    vector: list[float]
    copy_of: str | None = None  # the recorded original this syndicated copy copies


@dataclass(frozen=True, slots=True)
class Position:
    party: str
    statement: str
    citations: list[int]


@dataclass(frozen=True, slots=True)
class Contest:
    topic: str
    positions: list[Position]


@dataclass(frozen=True, slots=True)
class Revision:
    party: str
    statement: str
    citations: list[int]
    before: str
    after: str


@dataclass(slots=True)
class Story:
    title: str
    outlets: list[str]
    doc_ids: list[str]
    summary: list[Statement] = field(default_factory=list)
    agreed: list[Statement] = field(default_factory=list)
    contested: list[Contest] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SinceLast:
    """What is new since the last briefing written from this store (`briefings.since`)."""

    last_at: datetime  # when the last briefing was written (UTC)
    last_date: str  # the period it covered, as `Briefing.date` labelled it
    new_stories: list[str]  # titles of stories none of whose articles it held
    revised: list[Revision]  # figures a party revised that it did not show
    contested: list[Contest]  # contests it did not hold ('<story>: Figures for dead')


@dataclass(slots=True)
class Briefing:
    since: date
    until: date
    stories: list[Story]
    citations: list[Citation]
    repairs: list[Repair] = field(default_factory=list)
    since_last: SinceLast | None = None

    @property
    def date(self) -> str:
        """The period's label: "YYYY-MM-DD" for a day, "YYYY-MM-DD..YYYY-MM-DD" for a range."""
        day, last = self.since.isoformat(), self.until.isoformat()
        return day if day == last else f"{day}..{last}"


def _parties(article: BriefingArticle) -> set[str]:
    return {s.party for s in article.sentences if s.party != NARRATOR}


def group_stories(articles: Sequence[BriefingArticle]) -> tuple[list[list[int]], dict[int, int]]:
    """Greedy clustering in date order: an article joins the story whose members it is most
    like (every member close enough, so chains of loosely related articles do not snowball),
    or starts a new one. Recorded copies (`copy_of`) and near-copies (shingle Jaccard) always
    join and share a syndication group. Returns the stories (article indices, in date order)
    and article -> syndication group."""
    import numpy as np

    n = len(articles)
    if n == 0:
        return [], {}
    raw = np.array([a.vector for a in articles], dtype=np.float32).reshape(n, -1)
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    matrix = raw / np.where(norms == 0, 1.0, norms)
    cosines = matrix @ matrix.T
    parties = [_parties(a) for a in articles]
    sigs: dict[int, set[tuple[str, ...]]] = {}

    def signature(i: int) -> set[tuple[str, ...]]:
        if i not in sigs:
            sigs[i] = shingles(" ".join(s.text for s in articles[i].sentences))
        return sigs[i]

    # A recorded syndication link (`copy_of`) decides at once: copies of one original share a
    # syndication group, and a copy joins its original's story; originals are placed first.
    origin = [a.copy_of or a.doc_id for a in articles]
    syndicated = [origin.index(origin[i]) for i in range(n)]
    placed: dict[str, int] = {}  # origin -> story holding an article of it
    stories: list[list[int]] = []
    for i in sorted(range(n), key=lambda i: (articles[i].copy_of is not None, i)):
        if origin[i] in placed:
            stories[placed[origin[i]]].append(i)
            continue
        best, best_score = None, -1.0
        for k, members in enumerate(stories):
            copy = next(
                (
                    j
                    for j in members
                    if cosines[i, j] >= 0.8
                    and jaccard(signature(i), signature(j)) >= SYNDICATED_JACCARD
                ),
                None,
            )
            if copy is not None:
                syndicated[i] = syndicated[copy]
                best, best_score = k, 2.0
                break
            worst = float(min(cosines[i, j] for j in members))
            shared = any(parties[i] & parties[j] for j in members)
            if worst >= SAME_STORY_COSINE or (worst >= SAME_STORY_WITH_PARTY and shared):
                score = float(np.mean([cosines[i, j] for j in members]))
                if score > best_score:
                    best, best_score = k, score
        if best is None:
            stories.append([i])
            best = len(stories) - 1
        else:
            stories[best].append(i)
        placed.setdefault(origin[i], best)
    stories = [sorted(members) for members in stories]
    return stories, {i: syndicated[i] for i in range(n)}


def _joined(
    article: BriefingArticle, aliases_of: Callable[[str], Sequence[str]]
) -> BriefingArticle:
    """The article with sentences the splitter cut apart joined again (`fragments`)."""
    from assistant.briefings.fragments import alias_lookup, join_fragments

    party_of = alias_lookup(sorted(_parties(article)), aliases_of)
    return replace(article, sentences=join_fragments(article.sentences, party_of))


def _latest_figures_first(sentences: list[EvidenceSentence]) -> list[EvidenceSentence]:
    """Each party's last figure of the period (the latest report, the last entry of a live
    page) first, so a day's final count is never crowded out by its earlier ones."""
    latest: dict[str, EvidenceSentence] = {}
    for s in sentences:
        if not numbers(s.text):
            continue
        key = (s.published or date.min, s.sentence_index)
        held = latest.get(s.party)
        if held is None or key > (held.published or date.min, held.sentence_index):
            latest[s.party] = s
    first = [s for s in sentences if latest.get(s.party) is s]
    return first + [s for s in sentences if latest.get(s.party) is not s]


def _lead(article: BriefingArticle) -> EvidenceSentence | None:
    for s in article.sentences:
        if len(s.text.split()) >= 8:
            return s
    return None


def _key_facts(
    article: BriefingArticle, drafts: Sequence[Draft], limit: int = 2
) -> list[EvidenceSentence]:
    """The sentences after the lead that carry a figure (up to `limit`), for a story no party
    contests: what a reader of its one account wants after the lead."""
    used = {(x.doc_id, x.sentence_index) for d in drafts for x in d.sources}
    after = max(x.sentence_index for d in drafts for x in d.sources if x.doc_id == article.doc_id)
    out = []
    for s in article.sentences:
        if s.sentence_index <= after or (s.doc_id, s.sentence_index) in used:
            continue
        if len(s.text.split()) >= 6 and re.search(r"\d", s.text):
            out.append(s)
        if len(out) >= limit:
            break
    return out


def write_briefing(
    articles: Sequence[BriefingArticle],
    since: date,
    until: date,
    aliases_of: Callable[[str], Sequence[str]],
) -> Briefing:
    """Stories ordered by independent outlets then recency; every sentence verified and cited."""
    articles = [_joined(a, aliases_of) for a in articles]
    parse_ahead(s.text for a in articles for s in a.sentences if s.party != NARRATOR)
    ordered = sorted(articles, key=lambda a: (a.published or date.min, a.outlet or "", a.doc_id))
    groups, syndicated = group_stories(ordered)
    cites = CitationBook()
    repairs: list[Repair] = []
    built: list[tuple[int, date, str, Story]] = []
    for group in groups:
        members = [ordered[i] for i in group]
        independent = sorted({syndicated[i] for i in group})
        outlets = sorted({a.outlet or "unknown outlet" for a in members})
        latest = max(members, key=lambda a: (a.published or date.min, a.doc_id))
        story = Story(title=latest.title, outlets=outlets, doc_ids=[a.doc_id for a in members])
        # Summary: the lead of each independent report, oldest first, at most three.
        leads = [_lead(ordered[i]) for i in independent]
        drafts = [Draft(s.text, [s]) for s in leads if s is not None][:3]
        story.summary, fixed = _statements(drafts, aliases_of, cites)
        repairs += fixed
        story.agreed = _agreed(ordered, independent, aliases_of, cites)
        in_summary = {(x.doc_id, x.sentence_index) for d in drafts for x in d.sources}
        story.contested = _contested(members, aliases_of, cites, repairs, in_summary)
        if not story.contested and drafts:  # one account: its next facts, not the lead alone
            more = [Draft(s.text, [s]) for s in _key_facts(ordered[independent[0]], drafts)]
            extra, fixed = _statements(more, aliases_of, cites)
            story.summary += extra
            repairs += fixed
        story.revisions = _revisions(members, aliases_of, cites)
        built.append((len(independent), latest.published or date.min, story.title, story))
    # More independent outlets first, then the latest report first, then by title.
    built.sort(key=lambda t: (-t[0], -t[1].toordinal(), t[2]))
    return Briefing(since, until, [b[3] for b in built], cites.items, repairs)


def _statements(
    drafts: list[Draft], aliases_of: Callable[[str], Sequence[str]], cites: CitationBook
) -> tuple[list[Statement], list[Repair]]:
    verified, repairs = verify(drafts, aliases_of)
    out = [
        Statement(v.text, [cites.cite(s) for s in v.sources], v.party, v.speaker) for v in verified
    ]
    return out, repairs


def _agreed(
    ordered: Sequence[BriefingArticle],
    independent: list[int],
    aliases_of: Callable[[str], Sequence[str]],
    cites: CitationBook,
) -> list[Statement]:
    """Reporter's-voice facts that two or more independent reports state alike."""
    found: list[Statement] = []
    used: set[tuple[str, int]] = set()
    recent = independent[-MAX_AGREED_REPORTS:]
    for a_i, i in enumerate(recent):
        for j in recent[a_i + 1 :]:
            for s in ordered[i].sentences:
                if (
                    s.party != NARRATOR
                    or len(s.text.split()) < 8
                    or (s.doc_id, s.sentence_index) in used
                ):
                    continue
                for t in ordered[j].sentences:
                    if (
                        t.party == NARRATOR
                        and overlap(s.text, t.text) >= 0.6
                        and overlap(t.text, s.text) >= 0.6
                    ):
                        used.add((s.doc_id, s.sentence_index))
                        verified, _ = verify([Draft(s.text, [s, t])], aliases_of)
                        for v in verified:
                            found.append(
                                Statement(v.text, [cites.cite(x) for x in v.sources], None, None)
                            )
                        break
            if len(found) >= 3:
                return found
    return found


def _actors(
    sentences: Sequence[EvidenceSentence], aliases_of: Callable[[str], Sequence[str]]
) -> dict[str, str]:
    """Party -> the one party that stands for the same actor in this story: a party listed
    among another's aliases (a spokesman under his organisation, an acronym) joins it."""
    parties = sorted({s.party for s in sentences if s.party != NARRATOR})
    names = {p: {a.lower().removeprefix("the ") for a in [p, *aliases_of(p)]} for p in parties}
    actor = {p: p for p in parties}
    for p in parties:
        for q in parties:
            if p != q and actor[q] == q and p.lower().removeprefix("the ") in names[q]:
                actor[p] = q
                break
    return actor


def _contested(
    members: Sequence[BriefingArticle],
    aliases_of: Callable[[str], Sequence[str]],
    cites: CitationBook,
    repairs: list[Repair],
    skip: set[tuple[str, int]],
) -> list[Contest]:
    """Each party's figures side by side, grouped by what they count ('Figures for dead');
    figures no other party gives for the same thing go to one last 'Other figures' group."""
    candidates = [
        s
        for article in sorted(
            members, key=lambda a: (a.published or date.min, a.doc_id), reverse=True
        )
        for s in article.sentences
        if s.party != NARRATOR and (s.doc_id, s.sentence_index) not in skip
    ]
    candidates = _one_per_text(candidates)  # a copy's sentence is its original's
    actor = _actors(candidates, aliases_of)
    # Figures in digits first (counts, percentages), then spelled-out small numbers.
    candidates = _latest_figures_first(candidates)
    candidates.sort(key=lambda s: 0 if numbers(s.text) else 1)
    with_figures = [(s, [f for f in figures_in(s.text) if f.known]) for s in candidates]
    # A group holds figures that all count the same thing, pairwise ('4 soldiers' may join
    # '31 soldiers killed' or '6 soldiers wounded', never both). Figures that name an outcome
    # (killed, wounded) found the groups; a bare count then joins the one with most parties.
    groups: list[tuple[list[Figure], dict[str, list[EvidenceSentence]]]] = []
    for outcome_pass in (True, False):
        for s, found in with_figures:
            for f in found:
                if (f.measure is not None) != outcome_pass:
                    continue
                fits = [g for g in groups if all(same_thing(x, f) for x in g[0])]
                group = max(fits, key=lambda g: len(g[1] | {actor[s.party]: []}), default=None)
                if group is None:
                    groups.append(([], {}))
                    group = groups[-1]
                bucket = group[1].setdefault(actor[s.party], [])
                if len(bucket) < 2 and all(overlap(s.text, b.text) < 0.7 for b in bucket):
                    bucket.append(s)
                    group[0].append(f)
    contests: list[Contest] = []
    used: set[tuple[str, int]] = set()
    shared = sorted(
        (g for g in groups if len(g[1]) >= 2), key=lambda g: -sum(map(len, g[1].values()))
    )
    for members_of, by_party in shared[:MAX_CONTESTS]:
        rep = max(members_of, key=lambda f: (f.measure is not None, f.noun is not None))
        by_party = {
            p: [s for s in ss if (s.doc_id, s.sentence_index) not in used]
            for p, ss in by_party.items()
        }
        by_party = {p: ss for p, ss in by_party.items() if ss}
        if len(by_party) < 2:
            continue
        positions = _positions(by_party, aliases_of, cites, repairs)
        used |= {(s.doc_id, s.sentence_index) for ss in by_party.values() for s in ss}
        if len({p.party for p in positions}) >= 2:
            contests.append(Contest(f"Figures for {rep.label()}", positions))
    rest: dict[str, list[EvidenceSentence]] = {}
    for s, found in with_figures:
        if not found or (s.doc_id, s.sentence_index) in used:
            continue
        bucket = rest.setdefault(actor[s.party], [])
        if len(bucket) < MAX_POSITIONS and all(overlap(s.text, b.text) < 0.7 for b in bucket):
            bucket.append(s)
    # Every party's remaining figures stay visible: beside the grouped ones, or (no group)
    # side by side when two or more parties give figures.
    if rest and (contests or len(rest) >= 2):
        positions = _positions(rest, aliases_of, cites, repairs)
        if positions and (contests or len({p.party for p in positions}) >= 2):
            contests.append(Contest("Other figures" if contests else "Figures", positions))
    return contests


def _one_per_text(sentences: Sequence[EvidenceSentence]) -> list[EvidenceSentence]:
    """The sentences with each text once (the first kept): a syndicated copy repeats its
    original's sentences word for word, give or take punctuation and curly quotes."""
    seen: set[str] = set()
    out = []
    for s in sentences:
        key = re.sub(r"\W+", " ", s.text.lower()).strip()
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def _positions(
    by_party: dict[str, list[EvidenceSentence]],
    aliases_of: Callable[[str], Sequence[str]],
    cites: CitationBook,
    repairs: list[Repair],
) -> list[Position]:
    positions: list[Position] = []
    for party in sorted(by_party, key=lambda p: (-len(by_party[p]), p)):
        verified, fixed = verify([Draft(s.text, [s]) for s in by_party[party]], aliases_of)
        repairs += fixed
        for v in verified:
            positions.append(Position(party, v.text, [cites.cite(s) for s in v.sources]))
    return positions


def _revisions(
    members: Sequence[BriefingArticle],
    aliases_of: Callable[[str], Sequence[str]],
    cites: CitationBook,
) -> list[Revision]:
    """A party's figures that changed between the story's reports, each with both citations;
    a spokesman's figure and his organisation's count as one actor's."""
    sentences = [s for a in members for s in a.sentences]
    actor = _actors(sentences, aliases_of)
    as_actors = [replace(s, party=actor.get(s.party, s.party)) for s in sentences]
    out = []
    for change in find_revisions(as_actors):
        n1, n2 = cites.cite(change.earlier), cites.cite(change.later)
        text = change.describe().rstrip(".")
        first_day = day_text(change.earlier.published)
        text = text.replace(f" on {first_day},", f" on {first_day} [{n1}],")
        out.append(Revision(change.party, f"{text} [{n2}].", [n1, n2], change.before, change.after))
    return out


# -- rendering -------------------------------------------------------------------------------
def _marks(numbers: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


# The characters that open Markdown or HTML syntax inside a line (emphasis, code, links, images,
# raw HTML, entities, tables, strikethrough, headings). Commas, dots, colons, dashes, quotes and
# parentheses stay as written, so figures ("4,200") and times read normally; text is always
# placed after our own line prefix, so line-start syntax (lists, "1.") cannot begin with it.
_MD_PUNCTUATION = frozenset("\\`*_{}[]<>#+!|~&")
_MD_SPACES = re.compile(r"\s+")


def escape_md(text: str) -> str:
    """Article text as inert Markdown, one line: every character that opens Markdown or HTML
    syntax is backslash-escaped, so no title or passage becomes an image, a link, HTML or
    emphasis; URL-shaped text is not autolinked; control characters and bidi overrides are
    dropped."""
    flat = _AUTOLINK_SHAPES.sub(lambda m: m.group(0) + "\u2060", _MD_SPACES.sub(" ", text).strip())
    kept = (
        ch
        for ch in flat
        if unicodedata.category(ch) != "Cc" and unicodedata.bidirectional(ch) not in _BIDI
    )
    return "".join("\\" + ch if ch in _MD_PUNCTUATION else ch for ch in kept)


_BIDI = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
# GFM links URL-shaped text after escapes are resolved: a WORD JOINER (U+2060) after the
# scheme, `www` or `@` breaks the shape and reads the same.
_AUTOLINK_SHAPES = re.compile(r"(?i)\b(?:https?|ftps?|mailto|xmpp)(?=:)|\bwww(?=\.)|@(?=[\w.-])")


def to_markdown(b: Briefing) -> str:
    """The briefing as Markdown (templates/briefing.md); every piece of article text goes
    through escape_md (dates and citation numbers are ours)."""
    return _render("briefing.md", b)


def to_dict(b: Briefing) -> dict[str, object]:
    """The briefing as JSON-ready data; `since_last` only when the section was asked for."""
    out: dict[str, object] = {
        "date": b.date,
        "since": iso(b.since),
        "until": iso(b.until),
        "stories": json_ready(b.stories),
        "citations": json_ready(b.citations),
        "repairs": json_ready(b.repairs),
    }
    if b.since_last is not None:
        out["since_last"] = json_ready(b.since_last)
    return out


def to_json(b: Briefing) -> str:
    return json.dumps(to_dict(b), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def to_html(b: Briefing) -> str:
    """Self-contained HTML (templates/briefing.html, autoescape on): every piece of article
    text is escaped."""
    return _render("briefing.html", b)


@dataclass(frozen=True, slots=True)
class _Line:
    """One rendered line: a statement, the party it is given to, its citation numbers."""

    text: str
    marks: list[int]
    party: str | None = None


@dataclass(frozen=True, slots=True)
class _Block:
    label: str  # ours ('Contested')
    topic: str | None  # built from article text ('Figures for dead'): escaped
    lines: list[_Line]


@dataclass(frozen=True, slots=True)
class _StoryView:
    number: int
    title: str
    outlets: str
    summary: list[_Line]
    blocks: list[_Block]


def _story_views(b: Briefing) -> list[_StoryView]:
    """The one story loop both formats render: what each story shows, in which order."""
    views = []
    for number, story in enumerate(b.stories, start=1):
        blocks = []
        if story.agreed:
            lines = [_Line(st.text, st.citations) for st in story.agreed]
            blocks.append(_Block("Agreed across independent reports", None, lines))
        for contest in story.contested:
            lines = [_Line(p.statement, p.citations, p.party) for p in contest.positions]
            blocks.append(_Block("Contested", contest.topic, lines))
        if story.revisions:
            lines = [_Line(r.statement, []) for r in story.revisions]
            blocks.append(_Block("Revised figures", None, lines))
        summary = [_Line(st.text, st.citations) for st in story.summary]
        views.append(_StoryView(number, story.title, ", ".join(story.outlets), summary, blocks))
    return views


def _since_view(b: Briefing) -> list[_Block] | None:
    """The 'since the last briefing' section as blocks, or None when it was not asked for."""
    if b.since_last is None:
        return None
    last = b.since_last
    blocks = []
    if last.new_stories:
        blocks.append(_Block("New stories", None, [_Line(t, []) for t in last.new_stories]))
    if last.revised:
        lines = [_Line(r.statement, []) for r in last.revised]
        blocks.append(_Block("Figures revised", None, lines))
    for contest in last.contested:
        lines = [_Line(p.statement, p.citations, p.party) for p in contest.positions]
        blocks.append(_Block("Newly contested", contest.topic, lines))
    return blocks


def _render(template: str, b: Briefing) -> str:
    env = _environment(html=template.endswith(".html"))
    last = b.since_last
    return env.get_template(template).render(
        date=b.date,
        stories=_story_views(b),
        citations=b.citations,
        since_last=_since_view(b),
        last_at=iso(last.last_at) if last else None,
        last_date=last.last_date if last else None,
    )


@cache
def _environment(html: bool) -> Environment:
    """Templates from templates/; HTML autoescapes everything, Markdown escapes through the
    `md` filter. StrictUndefined: a missing value fails instead of rendering empty."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("assistant.briefings", "templates"),
        autoescape=html,
        trim_blocks=True,
        keep_trailing_newline=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters["md"] = escape_md
    env.filters["marks"] = _html_marks if html else _marks
    return env


def _html_marks(numbers: Sequence[int]) -> Markup:
    from markupsafe import Markup

    return Markup("").join(
        Markup("<sup><a href='#c{0}'>[{0}]</a></sup>").format(n) for n in numbers
    )
