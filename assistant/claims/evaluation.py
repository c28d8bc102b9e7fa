"""Scoring the claims ledger against sentence-level gold: loaders, alignment, per-fixture scores.

Used by `benchmarks/attribution_eval.py` and by the tests, so neither re-implements the other.
Loaders take the folder they read (nothing here knows where a checkout keeps its data); scoring
is pure apart from the spaCy pipeline passed in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.claims.attribution import SentenceAttribution, attribute_article
from assistant.claims.parties import PartyRegistry
from assistant.types import NARRATOR

if TYPE_CHECKING:
    from spacy.language import Language

CUE_TYPES = ("explicit", "continuation", "none")


@dataclass(frozen=True, slots=True)
class GoldSentence:
    """One labelled sentence; `party` None is the reporter's voice."""

    index: int
    text: str
    party: str | None
    speaker: str | None  # the surface span as annotated (may carry a "(= ...)" note)
    cue: str  # explicit | continuation | none
    ambiguous: bool = False


@dataclass(frozen=True, slots=True)
class Fixture:
    """An article with gold for every sentence, and the gold's party aliases."""

    name: str
    title: str
    text: str
    gold: list[GoldSentence]
    aliases: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TextacyCase:
    text: str
    expected: list[list[str]]  # speaker tokens per quotation, in order
    flat: bool  # compare flattened tokens (cases given as `speaker_tokens`)


@dataclass(slots=True)
class Score:
    """Right/total pairs of one fixture, and a line per miss."""

    fixture: str
    sentences: int
    party: tuple[int, int]
    explicit: tuple[int, int]
    continuation: tuple[int, int]
    none: tuple[int, int]
    speaker_exact: tuple[int, int]
    speaker_overlap: tuple[int, int]
    misses: list[str] = field(default_factory=list)
    calibration: dict[str, tuple[int, int]] = field(default_factory=dict)


# --- loading -------------------------------------------------------------------------------
def read_jsonl(path: Path) -> list[dict[str, object]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _party(value: object) -> str | None:
    return None if value is None or str(value).lower() == NARRATOR else str(value)


def _gold_row(row: Mapping[str, object]) -> GoldSentence:
    index = row["sentence_index"]
    return GoldSentence(
        int(index) if isinstance(index, int | str) else 0,
        str(row["text"]),
        _party(row["party"]),
        None if row.get("speaker") is None else str(row["speaker"]),
        str(row["cue"]),
        bool(row.get("ambiguous")),
    )


def load_seed(article: Path, gold: Path) -> Fixture:
    """A `.txt` article (title on the first line) and its sentence gold (JSONL)."""
    raw = article.read_text(encoding="utf-8")
    title, _, text = raw.partition("\n")
    rows = [_gold_row(r) for r in read_jsonl(gold)]
    return Fixture("seed", title.strip(), text, rows)


def load_synthetic(folder: Path) -> Fixture:
    """The synthetic conflict article of `shared/data/attribution`."""
    text = (folder / "synthetic_conflict_article.txt").read_text(encoding="utf-8")
    gold = []
    for r in read_jsonl(folder / "synthetic_conflict_article.gold.jsonl"):
        speaker = r["speaker"]
        if not r["claim"]:
            cue = "none"
        elif speaker is None or str(speaker).startswith("("):
            cue, speaker = "continuation", None
        else:
            cue = "explicit"
        gold.append(
            GoldSentence(
                int(str(r["sent_idx"])),
                str(r["sentence"]),
                _party(r["party"]),
                None if speaker is None else str(speaker),
                cue,
            )
        )
    return Fixture("synthetic", "", text, gold)


def split_front_matter(raw: str) -> tuple[str, str]:
    """(title, body) of a markdown article with YAML front matter."""
    import yaml

    if not raw.startswith("---"):
        return "", raw
    _, front, body = raw.split("---", 2)
    meta = yaml.safe_load(front) or {}
    return str(meta.get("title", "")), body.lstrip("\n")


def load_demo(gold_dir: Path, corpus_dir: Path) -> list[Fixture]:
    """Gold files `<article>.jsonl` for markdown articles of `corpus_dir`, if any exist."""
    if not gold_dir.is_dir():
        return []
    parties_file = gold_dir / "parties.json"
    aliases: dict[str, list[str]] = (
        json.loads(parties_file.read_text(encoding="utf-8")) if parties_file.exists() else {}
    )
    fixtures = []
    for path in sorted(gold_dir.glob("*.jsonl")):
        rows = read_jsonl(path)
        article = corpus_dir / f"{rows[0]['article'] if rows else path.stem}.md"
        if not rows or not article.exists():
            continue
        title, text = split_front_matter(article.read_text(encoding="utf-8"))
        gold = [_gold_row(r) for r in rows]
        fixtures.append(Fixture(f"demo:{path.stem[:32]}", title, text, gold, aliases))
    return fixtures


def load_gold_folder(folder: Path, name: str = "") -> list[Fixture]:
    """A folder laid out like the public eval set: `articles/*.md`, `attribution.jsonl` (one row
    per body sentence, with its `article` stem) and `parties.json`. Each article's text is its
    title, a blank line and its body, as the eval scorer writes it."""
    gold_file = folder / "attribution.jsonl"
    if not gold_file.exists():
        return []
    parties_file = folder / "parties.json"
    aliases: dict[str, list[str]] = (
        json.loads(parties_file.read_text(encoding="utf-8")) if parties_file.exists() else {}
    )
    by_article: dict[str, list[GoldSentence]] = {}
    for row in read_jsonl(gold_file):
        by_article.setdefault(str(row["article"]), []).append(_gold_row(row))
    fixtures = []
    for stem, gold in sorted(by_article.items()):
        path = folder / "articles" / f"{stem}.md"
        if not path.exists():
            continue
        title, body = split_front_matter(path.read_text(encoding="utf-8"))
        label = f"{name}:{stem}" if name else stem
        fixtures.append(Fixture(label, title, body.strip("\n") + "\n", gold, aliases))
    return fixtures


def load_textacy_cases(path: Path) -> list[TextacyCase]:
    cases = []
    for r in read_jsonl(path):
        quotes = r.get("quotes")
        if isinstance(quotes, list):
            cases.append(TextacyCase(str(r["text"]), [q["speaker"] for q in quotes], flat=False))
        else:
            tokens = r["speaker_tokens"]
            cases.append(TextacyCase(str(r["text"]), [list(tokens)], flat=True))  # type: ignore[call-overload]
    return cases


# --- scoring -------------------------------------------------------------------------------
def party_matches(
    gold: str | None,
    predicted: str,
    registry: PartyRegistry,
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> bool:
    """A gold party matches a predicted canonical name when they are equal (ignoring case), the
    registry resolves the gold name (or one of its gold aliases that names it, not a generic
    word) to it. None/narrator match NARRATOR."""
    if gold is None or gold.lower() == NARRATOR:
        return predicted == NARRATOR
    if predicted == NARRATOR:
        return False
    if gold.casefold() == predicted.casefold():
        return True
    resolved = registry.resolve(gold)
    if resolved is not None:
        return resolved == predicted
    names = [a for a in (aliases or {}).get(gold, []) if any(ch.isupper() for ch in a)]
    if any(a.casefold() == predicted.casefold() for a in names):
        return True
    return any(registry.resolve(a) == predicted for a in names)


def gold_speaker_surface(speaker: str | None, sentence: str) -> str | None:
    """The span a gold speaker names in its sentence: annotation notes such as "it (the group)"
    or "It (=The group)" are dropped, a real parenthesis ("Front (XYZ)") is kept."""
    if speaker is None or speaker.startswith("("):
        return None
    if speaker in sentence:
        return speaker
    return re.sub(r"\s*\([^()]*\)\s*$", "", speaker).strip() or None


def align(
    gold: Sequence[GoldSentence], records: Sequence[SentenceAttribution], text: str
) -> list[SentenceAttribution | None]:
    """For each gold sentence, the predicted sentence overlapping its place in the text most."""
    aligned: list[SentenceAttribution | None] = []
    cursor = 0
    for sentence in gold:
        pattern = r"\s+".join(re.escape(word) for word in sentence.text.split())
        match = re.compile(pattern).search(text, cursor)
        if match is None:
            aligned.append(None)
            continue
        cursor = match.start() + 1
        start, end = match.span()
        best = max(records, key=lambda r: min(end, r.end) - max(start, r.start), default=None)
        aligned.append(best if best is not None and best.end > start and best.start < end else None)
    return aligned


def confidence_bucket(confidence: float) -> str:
    """Buckets of width 0.1 ("0.9" holds 0.9 to 1.0)."""
    return f"{min(9, int(confidence * 10)) / 10:.1f}"


def score_fixture(
    fixture: Fixture, nlp: Language, registry: PartyRegistry | None = None
) -> tuple[Score, list[SentenceAttribution], PartyRegistry]:
    """Attribute one fixture with a fresh registry and count what matches its gold."""
    from ingest.sentences import parse_articles

    registry = registry if registry is not None else PartyRegistry()
    parsed = next(parse_articles([fixture.text], nlp))
    records = attribute_article(parsed, registry, title=fixture.title)
    aligned = align(fixture.gold, records, fixture.text)
    counts = {k: [0, 0] for k in ("all", *CUE_TYPES, "exact", "overlap")}
    calibration: dict[str, list[int]] = {}
    misses = []
    for gold, record in zip(fixture.gold, aligned, strict=True):
        predicted = record.party if record else "<unaligned>"
        ok = record is not None and party_matches(gold.party, predicted, registry, fixture.aliases)
        for key in ("all", gold.cue if gold.cue in counts else "none"):
            counts[key][1] += 1
            counts[key][0] += ok
        if record is not None and not gold.ambiguous:
            cell = calibration.setdefault(confidence_bucket(record.confidence), [0, 0])
            cell[0] += ok
            cell[1] += 1
        if not ok:
            misses.append(
                f"{gold.index}: gold {gold.party or NARRATOR} ({gold.cue}), "
                f"got {predicted} ({record.cue if record else '-'})"
            )
        surface = gold_speaker_surface(gold.speaker, gold.text)
        if surface is None or gold.cue != "explicit":
            continue
        counts["exact"][1] += 1
        counts["overlap"][1] += 1
        got = record.speaker if record else None
        exact = got is not None and _squash(got) == _squash(surface)
        counts["exact"][0] += exact
        if not exact:
            misses.append(f"{gold.index}: speaker {surface!r}, got {got!r}")
        if record is not None and record.speaker_start is not None and got is not None:
            found = re.search(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", record.text)
            if found:
                lo, hi = record.start + found.start(), record.start + found.end()
                counts["overlap"][0] += bool(
                    record.speaker_end is not None
                    and record.speaker_start < hi
                    and lo < record.speaker_end
                )
    score = Score(
        fixture.name,
        len(fixture.gold),
        _pair(counts["all"]),
        _pair(counts["explicit"]),
        _pair(counts["continuation"]),
        _pair(counts["none"]),
        _pair(counts["exact"]),
        _pair(counts["overlap"]),
        misses,
        {k: _pair(v) for k, v in sorted(calibration.items())},
    )
    return score, records, registry


def quote_speakers(text: str, nlp: Language) -> list[list[str]]:
    """Speaker tokens of each direct quotation the ledger finds, in order."""
    from ingest.sentences import parse_articles

    parsed = next(parse_articles([text], nlp))
    records = attribute_article(parsed, PartyRegistry())
    return [
        re.findall(r"[\w'’-]+", quote.speaker) if quote.speaker else []
        for record in records
        for quote in record.quotes
    ]


def score_textacy(cases: Sequence[TextacyCase], nlp: Language) -> Score:
    right = 0
    misses = []
    for number, case in enumerate(cases):
        got = quote_speakers(case.text, nlp)
        if case.flat:
            ok = [t for tokens in got for t in tokens] == case.expected[0]
        else:
            ok = got == case.expected
        right += ok
        if not ok:
            misses.append(f"case {number}: expected {case.expected}, got {got}")
    n = len(cases)
    return Score("textacy quotes", n, (0, 0), (0, 0), (0, 0), (0, 0), (right, n), (0, 0), misses)


def _pair(values: list[int]) -> tuple[int, int]:
    return values[0], values[1]


def _squash(text: str) -> str:
    return " ".join(text.replace("’", "'").split())
