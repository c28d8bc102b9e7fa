"""Score the claims ledger (assistant.claims) against the gold fixtures; print one table.

    python -m benchmarks.attribution_eval            # table + commit/machine line + throughput
    python -m benchmarks.attribution_eval --json     # the same numbers as JSON

Fixtures: the seed article (kalat) and the synthetic article from ../shared, the textacy
direct-quotation cases, and every tests/data/demo_attribution_gold/*.jsonl. Each fixture gets a
fresh PartyRegistry. Gold sentences are aligned to predicted sentences by locating the gold text
in the article and taking the predicted sentence that overlaps it most (spaCy may split a gold
sentence in two, e.g. a dateline or a trailing "(ANI)").

The party helpers (`party_matches`, `gold_speaker_surface`, loaders) are imported by the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEMO_GOLD = REPO / "tests" / "data" / "demo_attribution_gold"
DEMO_CORPUS = REPO / "assistant" / "demo_corpus"

if str(REPO) not in sys.path:  # run as a file: make the project importable
    sys.path.insert(0, str(REPO))

from assistant.claims.attribution import SentenceAttribution, attribute_article  # noqa: E402
from assistant.claims.parties import PartyRegistry  # noqa: E402
from assistant.types import NARRATOR  # noqa: E402

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass(frozen=True)
class GoldSentence:
    index: int
    text: str
    party: str | None  # None: the reporter's voice
    speaker: str | None  # the surface span as annotated (may carry a "(= ...)" note)
    cue: str  # explicit | continuation | none
    ambiguous: bool = False


@dataclass(frozen=True)
class Fixture:
    name: str
    title: str
    text: str
    gold: list[GoldSentence]
    aliases: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class TextacyCase:
    text: str
    expected: list[list[str]]  # speaker tokens per quotation, in order
    flat: bool  # compare flattened tokens (cases given as `speaker_tokens`)


@dataclass
class Score:
    fixture: str
    sentences: int
    party: tuple[int, int]
    explicit: tuple[int, int]
    continuation: tuple[int, int]
    none: tuple[int, int]
    speaker_exact: tuple[int, int]
    speaker_overlap: tuple[int, int]
    misses: list[str] = field(default_factory=list)


# --- loading -------------------------------------------------------------------------------
def load_kalat() -> Fixture:
    """The seed article: title on the first line, the article text after it."""
    raw = (SHARED / "data" / "seed" / "kalat-ani.txt").read_text(encoding="utf-8")
    title, _, text = raw.partition("\n")
    gold = [
        GoldSentence(
            r["sentence_index"],
            r["text"],
            _party(r["party"]),
            r["speaker"],
            r["cue"],
            bool(r.get("ambiguous")),
        )
        for r in _jsonl(SHARED / "data" / "seed" / "kalat-attribution.jsonl")
    ]
    return Fixture("kalat (seed)", title.strip(), text, gold)


def load_synthetic() -> Fixture:
    folder = SHARED / "data" / "attribution"
    text = (folder / "synthetic_conflict_article.txt").read_text(encoding="utf-8")
    gold = []
    for r in _jsonl(folder / "synthetic_conflict_article.gold.jsonl"):
        speaker = r["speaker"]
        if not r["claim"]:
            cue = "none"
        elif speaker is None or speaker.startswith("("):
            cue, speaker = "continuation", None
        else:
            cue = "explicit"
        gold.append(GoldSentence(r["sent_idx"], r["sentence"], _party(r["party"]), speaker, cue))
    return Fixture("synthetic", "", text, gold)


def load_demo() -> list[Fixture]:
    """Demo-corpus gold files (markdown articles with YAML front matter), if any exist."""
    if not DEMO_GOLD.is_dir():
        return []
    parties_file = DEMO_GOLD / "parties.json"
    aliases: dict[str, list[str]] = (
        json.loads(parties_file.read_text(encoding="utf-8")) if parties_file.exists() else {}
    )
    fixtures = []
    for path in sorted(DEMO_GOLD.glob("*.jsonl")):
        rows = _jsonl(path)
        article = DEMO_CORPUS / f"{rows[0]['article'] if rows else path.stem}.md"
        if not rows or not article.exists():
            continue
        title, text = split_front_matter(article.read_text(encoding="utf-8"))
        gold = [
            GoldSentence(
                r["sentence_index"],
                r["text"],
                _party(r["party"]),
                r["speaker"],
                r["cue"],
                bool(r.get("ambiguous")),
            )
            for r in rows
        ]
        fixtures.append(Fixture(f"demo:{path.stem[:32]}", title, text, gold, aliases))
    return fixtures


def load_textacy_cases() -> list[TextacyCase]:
    cases = []
    for r in _jsonl(SHARED / "data" / "attribution" / "textacy_direct_quotation_cases.jsonl"):
        if "quotes" in r:
            cases.append(TextacyCase(r["text"], [q["speaker"] for q in r["quotes"]], flat=False))
        else:
            cases.append(TextacyCase(r["text"], [r["speaker_tokens"]], flat=True))
    return cases


def split_front_matter(raw: str) -> tuple[str, str]:
    """(title, body) of a markdown article with YAML front matter."""
    import yaml

    if not raw.startswith("---"):
        return "", raw
    _, front, body = raw.split("---", 2)
    meta = yaml.safe_load(front) or {}
    return str(meta.get("title", "")), body.lstrip("\n")


def _jsonl(path: Path) -> list[dict[str, object]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _party(value: object) -> str | None:
    return None if value is None or str(value).lower() == NARRATOR else str(value)


# --- scoring -------------------------------------------------------------------------------
def party_matches(
    gold: str | None,
    predicted: str,
    registry: PartyRegistry,
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> bool:
    """A gold party name matches a predicted canonical name when they are equal (ignoring case)
    or the registry resolves the gold name to it. A gold name the registry does not know at all
    may be matched through its acronyms in the gold alias file. None/narrator match NARRATOR."""
    if gold is None or gold.lower() == NARRATOR:
        return predicted == NARRATOR
    if predicted == NARRATOR:
        return False
    if gold.casefold() == predicted.casefold():
        return True
    resolved = registry.resolve(gold)
    if resolved is not None:
        return resolved == predicted
    acronyms = [a for a in (aliases or {}).get(gold, []) if a.isupper() and len(a) >= 2]
    return any(registry.resolve(a) == predicted for a in acronyms)


def gold_speaker_surface(speaker: str | None, sentence: str) -> str | None:
    """The span a gold speaker names in its sentence: annotation notes such as "it (the BLA)" or
    "It (=The BLA)" are dropped, a real parenthesis ("Army (BLA)") is kept."""
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
        best = max(
            records,
            key=lambda r: min(end, r.end) - max(start, r.start),
            default=None,
        )
        aligned.append(best if best is not None and best.end > start and best.start < end else None)
    return aligned


def score_fixture(
    fixture: Fixture, nlp: Language
) -> tuple[Score, list[SentenceAttribution], PartyRegistry]:
    from ingest.sentences import parse_articles

    registry = PartyRegistry()
    parsed = next(parse_articles([fixture.text], nlp))
    records = attribute_article(parsed, registry, title=fixture.title)
    aligned = align(fixture.gold, records, fixture.text)
    counts = {k: [0, 0] for k in ("all", "explicit", "continuation", "none", "exact", "overlap")}
    misses = []
    for gold, record in zip(fixture.gold, aligned, strict=True):
        predicted = record.party if record else "<unaligned>"
        ok = record is not None and party_matches(gold.party, predicted, registry, fixture.aliases)
        for key in ("all", gold.cue if gold.cue in counts else "none"):
            counts[key][1] += 1
            counts[key][0] += ok
        if not ok:
            misses.append(
                f"{gold.index}: gold {gold.party or NARRATOR} ({gold.cue}), "
                f"got {predicted} ({record.cue if record else '-'})"
            )
        surface = gold_speaker_surface(gold.speaker, gold.text)
        if surface is None:
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


def throughput(nlp: Language, copies: int = 40, rounds: int = 3) -> dict[str, float]:
    """Sentences/s of the spaCy parse and of attribution over the seed article repeated."""
    from ingest.sentences import parse_articles

    body = load_kalat().text.strip()
    text = "\n".join([body] * copies)
    started = time.perf_counter()
    parsed = next(parse_articles([text], nlp))
    parse_s = time.perf_counter() - started
    registry = PartyRegistry()
    attribute_article(parsed, registry)  # warm: lexicon loaded, registry learned
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        attribute_article(parsed, registry)
        best = min(best, time.perf_counter() - started)
    n = len(parsed.sentences)
    return {
        "sentences": n,
        "parse_sentences_per_s": round(n / parse_s, 1),
        "attribution_sentences_per_s": round(n / best, 1),
        "attribution_share_of_parse_pct": round(100 * best / parse_s, 1),
    }


def _pair(values: list[int]) -> tuple[int, int]:
    return values[0], values[1]


def _squash(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def _cell(pair: tuple[int, int]) -> str:
    right, total = pair
    return f"{right}/{total} ({100 * right / total:.0f}%)" if total else "-"


def commit_line() -> str:
    """The checked-out commit, read from .git without running git."""
    head_file = REPO / ".git" / "HEAD"
    try:
        head = head_file.read_text().strip()
        if head.startswith("ref: "):
            ref = head[5:]
            ref_file = REPO / ".git" / ref
            if ref_file.exists():
                return ref_file.read_text().strip()[:12]
            packed = (REPO / ".git" / "packed-refs").read_text()
            found = re.search(rf"^([0-9a-f]{{40}}) {re.escape(ref)}$", packed, re.M)
            return found.group(1)[:12] if found else "unknown"
        return head[:12]
    except OSError:
        return "unknown"


def machine_line() -> str:
    import spacy

    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, spaCy {spacy.__version__}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--misses", action="store_true", help="list every wrong sentence")
    parser.add_argument("--copies", type=int, default=40, help="seed copies for the timing")
    args = parser.parse_args(argv)

    from ingest.sentences import load_nlp

    nlp = load_nlp()
    fixtures = [load_kalat(), load_synthetic(), *load_demo()]
    scores = [score_fixture(f, nlp)[0] for f in fixtures]
    scores.append(score_textacy(load_textacy_cases(), nlp))
    speed = throughput(nlp, copies=args.copies)
    if args.json:
        print(
            json.dumps(
                {
                    "commit": commit_line(),
                    "machine": machine_line(),
                    "scores": [asdict(s) for s in scores],
                    "throughput": speed,
                },
                indent=2,
            )
        )
        return 0
    header = (
        "fixture",
        "sentences",
        "party acc (all)",
        "explicit",
        "continuation",
        "none",
        "speaker exact",
        "speaker overlap",
    )
    rows = [header] + [
        (
            s.fixture,
            str(s.sentences),
            _cell(s.party),
            _cell(s.explicit),
            _cell(s.continuation),
            _cell(s.none),
            _cell(s.speaker_exact),
            _cell(s.speaker_overlap),
        )
        for s in scores
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for number, row in enumerate(rows):
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if number == 0:
            print("-|-".join("-" * width for width in widths))
    print(f"\ncommit {commit_line()} | {machine_line()}")
    print(
        f"throughput over the seed article x{args.copies} ({speed['sentences']:.0f} sentences): "
        f"parse {speed['parse_sentences_per_s']:.0f} sentences/s, attribution "
        f"{speed['attribution_sentences_per_s']:.0f} sentences/s "
        f"({speed['attribution_share_of_parse_pct']}% of the parse time)"
    )
    if args.misses:
        for s in scores:
            for miss in s.misses:
                print(f"  {s.fixture}: {miss}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
