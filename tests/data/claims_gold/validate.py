"""Check the claims gold set: labels rebuild the articles, and every label is well formed.

Standard library only. Run ``python3 tests/data/claims_gold/validate.py`` (prints counts, exits 1
on any problem) or call ``validate(folder)`` for the list of problems.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ["article", "sentence_index", "paragraph", "text", "party", "speaker", "cue", "ambiguous"]
CUES = ("explicit", "continuation", "none")
FRONT_MATTER_KEYS = ("title", "outlet", "published", "url")
# "she (Dana Kell)": the surface span, then its resolution in parentheses.
RESOLVED_SPEAKER = re.compile(r"^(?P<surface>.+?) \((?P<resolution>[^()]+)\)$")


def read_article(path: Path) -> tuple[dict[str, str], list[str]]:
    """Front matter (flat key: value, JSON-quoted strings) and body paragraphs of one article."""
    raw = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", raw, re.S)
    if not match:
        raise ValueError(f"{path.name}: missing YAML front matter (a '---' block at the top)")
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        meta[key.strip()] = json.loads(value) if value.startswith('"') else value
    body = raw[match.end() :].strip("\n")
    return meta, [p for p in body.split("\n\n") if p.strip()]


def _check_record(i: int, rec: dict[str, object], parties: dict[str, list[str]]) -> list[str]:
    errs = []
    where = f"attribution.jsonl line {i + 1}"
    if list(rec) != FIELDS:
        return [f"{where}: fields {list(rec)} != {FIELDS}"]
    cue, party, speaker, text = rec["cue"], rec["party"], rec["speaker"], rec["text"]
    if cue not in CUES:
        errs.append(f"{where}: cue {cue!r} is not one of {CUES}")
    if (cue == "none") != (party == "narrator"):
        errs.append(f"{where}: cue 'none' must go with party 'narrator' and only with it")
    if party != "narrator" and party not in parties:
        errs.append(f"{where}: party {party!r} is not a key of parties.json; add it there")
    if (speaker is not None) != (cue == "explicit"):
        errs.append(f"{where}: speaker must be set for explicit cues and null otherwise")
    if isinstance(speaker, str) and isinstance(text, str) and speaker not in text:
        resolved = RESOLVED_SPEAKER.match(speaker)
        if not resolved or resolved.group("surface") not in text:
            errs.append(f"{where}: speaker {speaker!r} does not occur in its sentence")
    if not isinstance(rec["ambiguous"], bool):
        errs.append(f"{where}: ambiguous must be true or false")
    return errs


def _check_article(stem: str, rows: list[dict[str, object]], path: Path) -> list[str]:
    if not path.exists():
        return [f"attribution.jsonl: article {stem!r} has no file articles/{stem}.md"]
    errs = []
    meta, paragraphs = read_article(path)
    for key in FRONT_MATTER_KEYS:
        if not meta.get(key):
            errs.append(f"articles/{stem}.md: front matter lacks {key!r}")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(meta.get("published", ""))):
        errs.append(f"articles/{stem}.md: published {meta.get('published')!r} is not an ISO date")
    if [r["sentence_index"] for r in rows] != list(range(len(rows))):
        errs.append(f"{stem}: sentence_index is not 0, 1, 2, ... in file order")
    body = "\n\n".join(paragraphs)
    pos = 0
    for r in rows:
        found = body.find(str(r["text"]), pos)
        if found < 0:
            where = f"{stem} sentence {r['sentence_index']}"
            errs.append(f"{where}: text not found in the body after the previous sentence")
            break
        pos = found + len(str(r["text"]))
    by_paragraph: dict[int, list[str]] = {}
    for r in rows:
        by_paragraph.setdefault(int(r["paragraph"]), []).append(str(r["text"]))  # type: ignore[call-overload]
    if sorted(by_paragraph) != list(range(len(by_paragraph))):
        errs.append(f"{stem}: paragraph numbers are not 0, 1, 2, ...")
    rebuilt = [" ".join(by_paragraph[k]) for k in sorted(by_paragraph)]
    if rebuilt != paragraphs:
        for k, (got, want) in enumerate(zip(rebuilt, paragraphs, strict=False)):
            if got != want:
                errs.append(f"{stem}: paragraph {k} does not rebuild from its sentences")
                break
        else:
            errs.append(f"{stem}: {len(rebuilt)} labelled paragraphs, body has {len(paragraphs)}")
    return errs


def load(folder: Path = HERE) -> tuple[list[dict[str, object]], dict[str, list[str]]]:
    """The attribution records and the party table of a gold folder."""
    with open(folder / "attribution.jsonl", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    parties = json.loads((folder / "parties.json").read_text(encoding="utf-8"))
    return records, parties


def validate(folder: Path = HERE) -> list[str]:
    """Every problem in the gold folder, each naming the file and line; empty if none."""
    records, parties = load(folder)
    errs = []
    for canonical, aliases in parties.items():
        if not aliases or aliases[0] != canonical:
            errs.append(f"parties.json: {canonical!r} must list itself as its first alias")
    rows_by_article: dict[str, list[dict[str, object]]] = {}
    for i, rec in enumerate(records):
        errs.extend(_check_record(i, rec, parties))
        rows_by_article.setdefault(str(rec.get("article")), []).append(rec)
    for stem, rows in rows_by_article.items():
        errs.extend(_check_article(stem, rows, folder / "articles" / f"{stem}.md"))
    for path in sorted((folder / "articles").glob("*.md")):
        if path.stem not in rows_by_article:
            errs.append(f"articles/{path.name}: no sentences in attribution.jsonl")
    return errs


def counts(folder: Path = HERE) -> dict[str, int]:
    """Sentence counts per cue type, plus pronoun speakers and ambiguous sentences."""
    records, _ = load(folder)
    c = Counter(str(r["cue"]) for r in records)
    pronoun = re.compile(r"^(he|she|it|they|its|their|i|we|her|his)\b", re.I)
    c["sentences"] = len(records)
    c["articles"] = len({r["article"] for r in records})
    speakers = [str(r["speaker"]) for r in records if r["speaker"]]
    c["pronoun_speakers"] = sum(1 for s in speakers if pronoun.match(s))
    c["ambiguous"] = sum(1 for r in records if r["ambiguous"])
    return dict(c)


def main() -> int:
    errs = validate()
    for e in errs:
        print(e, file=sys.stderr)  # noqa: T201
    print(json.dumps(counts(), sort_keys=True))  # noqa: T201
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
