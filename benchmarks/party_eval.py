"""Score the ledger's parties as entities: one party per actor, and no party that is not one.

    python benchmarks/party_eval.py            # eval set + tests/data/claims_gold, cases listed
    python benchmarks/party_eval.py --json     # numbers only

Both gold sets (`../shared/data/eval`, `tests/data/claims_gold`) give canonical parties and their
aliases in `parties.json`; a ledger party name is mapped to a gold party by the eval scorer's own
`map_party` (imported), among the parties of the article's gold. The articles of a set are
attributed in file order with ONE shared `PartyRegistry`, as ingest does, so corpus-wide
agreement is measured too. Per article:

- ledger parties: the distinct non-narrator parties of the ledger's sentences;
- spurious: a ledger party whose name maps to no gold party of the article ("Three customers",
  a dateline word, a place that never speaks);
- split: a gold party under 2+ ledger parties: parties whose names map to it, plus spurious
  parties most of whose sentences are its ("Jon Marrik" and "Marrik");
- merged: a ledger party whose names (its registry aliases found in the article) map to 2+
  gold parties of the article;
- mixed: a ledger party given 2+ sentences each of 2+ gold parties (mostly attribution errors,
  listed for reading, not an entity count).

Corpus: a gold party named in 2+ articles whose ledger names differ across articles. The last
column is the eval scorer's own party accuracy per cue type (`score_attribution`) on the same
shared-registry ledger. Only party names are printed, never article text.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SETS = {
    "eval": SHARED / "data" / "eval",
    "claims_gold": REPO / "tests" / "data" / "claims_gold",
}
SCORER = SHARED / "data" / "eval" / "score.py"

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
sys.path.insert(0, str(REPO))

from assistant.claims.attribution import attribute_article  # noqa: E402
from assistant.claims.parties import PartyRegistry  # noqa: E402
from assistant.types import NARRATOR  # noqa: E402
from benchmarks.common import load_module  # noqa: E402

if TYPE_CHECKING:
    from spacy.language import Language


def _scorer(name: str, folder: Path) -> ModuleType:
    """score.py bound to `folder` (it reads EVAL_SET when imported)."""
    previous = os.environ.get("EVAL_SET")
    os.environ["EVAL_SET"] = str(folder)
    try:
        module = load_module(name, SCORER)
    finally:
        if previous is None:
            os.environ.pop("EVAL_SET", None)
        else:
            os.environ["EVAL_SET"] = previous
    return module


@dataclasses.dataclass
class ArticleResult:
    article: str
    ledger: list[str]
    spurious: list[str]
    split: dict[str, list[str]]
    merged: dict[str, list[str]]
    mixed: dict[str, dict[str, int]]
    names: dict[str, str]  # ledger party -> gold party it maps to ("?..." for none)


def _load_rows(scorer: ModuleType, folder: Path) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    parties: dict[str, list[str]] = json.loads((folder / "parties.json").read_text("utf-8"))
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in scorer.load_jsonl(str(folder / "attribution.jsonl")):
        by_article[row["article"]].append(row)
    return parties, by_article


def score_set(name: str, folder: Path, nlp: Language) -> dict[str, Any]:
    from ingest.loaders import load_file
    from ingest.sentences import parse_articles

    scorer = _scorer(f"party_eval_{name}", folder)
    parties, by_article = _load_rows(scorer, folder)
    articles = scorer.load_articles()
    registry = PartyRegistry()
    results: list[ArticleResult] = []
    predictions: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for stem in sorted(by_article):
            art = articles.get(stem + ".md")
            if art is None:
                continue
            path = Path(tmp) / f"{stem}.txt"
            raw = str(art["meta"].get("title", stem)) + "\n\n" + art["body"] + "\n"
            path.write_text(raw, encoding="utf-8")
            article = load_file(path).articles[0]
            parsed = next(parse_articles([article.text], nlp))
            records = attribute_article(parsed, registry, title=article.title)
            preds = [dataclasses.asdict(r) for r in records]
            predictions[stem] = preds
            results.append(
                _score_article(scorer, parties, stem, by_article[stem], preds, registry, raw)
            )
    rows = [row for stem in sorted(predictions) for row in by_article[stem]]
    _, accuracy = scorer.score_attribution(rows, predictions, parties)
    misses = []
    for stem in sorted(predictions):
        gold_rows = by_article[stem]
        allowed = {r["party"] for r in gold_rows}
        for gold, pred in zip(gold_rows, scorer.align(gold_rows, predictions[stem]), strict=True):
            got = scorer.map_party(pred.get("party"), parties, allowed) if pred else "?missing"
            if got != gold["party"]:
                speaker = pred.get("speaker") if pred else None
                misses.append(
                    f"{stem} #{gold['sentence_index']} [{gold['cue']}] gold={gold['party']!r} "
                    f"got={got!r} speaker={speaker!r}"
                )
    return {
        "name": name,
        "articles": results,
        "corpus": _corpus_splits(results),
        "accuracy": accuracy,
        "misses": misses,
    }


def _score_article(
    scorer: ModuleType,
    parties: dict[str, list[str]],
    stem: str,
    rows: list[dict[str, Any]],
    preds: list[dict[str, Any]],
    registry: PartyRegistry,
    text: str,
) -> ArticleResult:
    allowed = {r["party"] for r in rows} - {NARRATOR}
    ledger = sorted({str(p["party"]) for p in preds if p.get("party") not in (None, NARRATOR)})
    names = {p: str(scorer.map_party(p, parties, allowed)) for p in ledger}
    spurious = [p for p in ledger if names[p] not in allowed]
    gold_of: dict[str, Counter[str]] = defaultdict(Counter)
    for gold, pred in zip(rows, scorer.align(rows, preds), strict=True):
        if pred is None or pred.get("party") in (None, NARRATOR):
            continue
        gold_of[str(pred["party"])][gold["party"]] += 1
    split: dict[str, list[str]] = {}
    for party in sorted(allowed):
        under = [p for p in ledger if names[p] == party]
        under += [
            p
            for p in spurious
            if gold_of[p] and gold_of[p].most_common(1)[0][0] == party and p not in under
        ]
        if len(under) >= 2:
            split[party] = under
    lowered = text.lower()
    merged: dict[str, list[str]] = {}
    for p in ledger:
        found = {
            str(scorer.map_party(alias, parties, allowed))
            for alias in registry.aliases_of(p) or [p]
            if alias.lower() in lowered
        }
        found &= allowed
        if len(found) >= 2:
            merged[p] = sorted(found)
    mixed = {
        p: dict(c)
        for p, c in gold_of.items()
        if sum(1 for g, n in c.items() if g != NARRATOR and n >= 2) >= 2
    }
    return ArticleResult(stem, ledger, spurious, split, merged, mixed, names)


def _corpus_splits(results: list[ArticleResult]) -> dict[str, dict[str, list[str]]]:
    """Gold parties of 2+ articles whose ledger names differ across articles."""
    seen: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for result in results:
        for ledger_name, gold in result.names.items():
            if not gold.startswith("?"):
                seen[gold][ledger_name].append(result.article)
    splits = {}
    for gold, by_name in seen.items():
        articles = {a for arts in by_name.values() for a in arts}
        if len(by_name) >= 2 and len(articles) >= 2:
            splits[gold] = {n: sorted(a) for n, a in by_name.items()}
    return splits


def summary(result: dict[str, Any]) -> dict[str, Any]:
    arts: list[ArticleResult] = result["articles"]
    seen: dict[str, set[str]] = defaultdict(set)
    for a in arts:
        for gold in a.names.values():
            seen[gold].add(a.article)
    return {
        "set": result["name"],
        "articles": len(arts),
        "ledger_parties": sum(len(a.ledger) for a in arts),
        "spurious": sum(len(a.spurious) for a in arts),
        "split": sum(len(a.split) for a in arts),
        "merged": sum(len(a.merged) for a in arts),
        "mixed": sum(len(a.mixed) for a in arts),
        "corpus_parties_2plus": sum(
            1 for g, s in seen.items() if not g.startswith("?") and len(s) >= 2
        ),
        "corpus_splits": len(result["corpus"]),
        "party_accuracy": {
            cue: round(float(result["accuracy"][cue]["party_acc"]), 3)
            for cue in ("explicit", "continuation", "none")
            if cue in result["accuracy"]
        },
        "macro_cue": round(float(result["accuracy"]["macro_cue"]), 3),
    }


def report(results: list[dict[str, Any]]) -> str:
    head = (
        "| set | articles | ledger parties | spurious | split | merged | mixed (sentences) "
        "| gold parties in 2+ articles | corpus splits | party accuracy explicit / "
        "continuation / none (macro) |\n|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for result in results:
        s = summary(result)
        lines.append(
            f"| {s['set']} | {s['articles']} | {s['ledger_parties']} | {s['spurious']} | "
            f"{s['split']} | {s['merged']} | {s['mixed']} | {s['corpus_parties_2plus']} | "
            f"{s['corpus_splits']} | "
            + " / ".join(f"{v:.3f}" for v in s["party_accuracy"].values())
            + f" ({s['macro_cue']:.3f}) |"
        )
    for result in results:
        lines.append(f"\n## {result['name']}: cases")
        for a in result["articles"]:
            parts = []
            if a.spurious:
                parts.append("spurious: " + "; ".join(f"{p!r}" for p in a.spurious))
            for gold, under in a.split.items():
                parts.append(f"split {gold!r} <- " + " | ".join(repr(p) for p in under))
            for p, golds in a.merged.items():
                parts.append(f"merged {p!r} = " + " + ".join(repr(g) for g in golds))
            for p, counts in a.mixed.items():
                parts.append(f"mixed {p!r}: {counts}")
            if parts:
                lines.append(f"- {a.article}")
                lines.extend(f"    {part}" for part in parts)
        for gold, by_name in result["corpus"].items():
            spread = "; ".join(f"{n!r} in {len(arts)}" for n, arts in by_name.items())
            lines.append(f"- corpus split {gold!r}: {spread}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the summary numbers as JSON")
    parser.add_argument("--set", choices=sorted(SETS), action="append", help="only these sets")
    parser.add_argument("--misses", type=Path, help="write each wrong sentence (names only) here")
    args = parser.parse_args(argv)

    from ingest.sentences import load_nlp

    nlp = load_nlp(full=True)
    chosen = args.set or list(SETS)
    results = [
        score_set(name, SETS[name], nlp)
        for name in chosen
        if (SETS[name] / "attribution.jsonl").exists()
    ]
    if args.misses:
        lines = [m for r in results for m in [f"## {r['name']}", *r["misses"]]]
        args.misses.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps([summary(r) for r in results], indent=2))
    else:
        print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
