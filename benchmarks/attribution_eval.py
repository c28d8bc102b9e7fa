"""Score the claims ledger (assistant.claims) on every gold set it has; print one report.

    python benchmarks/attribution_eval.py                  # eval set, seed, fixtures, speed
    python benchmarks/attribution_eval.py --polnear PATH   # ... and PolNeAR train (numbers only)
    python benchmarks/attribution_eval.py --json

- The public eval set (`../shared/data/eval`) is scored by its own scorer (`score.py`, imported,
  so the numbers are the official ones): party accuracy per cue type, pronoun speakers, speaker
  accuracy, per article, and accuracy per confidence bucket.
- The seed article, the synthetic article, the demo gold, any `tests/data/claims_gold` set and the
  textacy quotation cases are scored by `assistant.claims.evaluation`.
- PolNeAR (train split only) is scored by `../shared/eval/polnear_eval.py`'s scorer in-process.
  Its texts stay in memory and a temporary folder; only numbers are printed.
- Throughput: the spaCy parse against attribution over the seed article repeated (best of 3 each).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EVAL_SET = SHARED / "data" / "eval"
POLNEAR_SCRIPT = SHARED / "eval" / "polnear_eval.py"

# Run as a file, this folder is first on the path and its ingest.py would shadow the package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
sys.path.insert(0, str(REPO))

from assistant.claims.attribution import attribute_article  # noqa: E402
from assistant.claims.evaluation import (  # noqa: E402
    Score,
    confidence_bucket,
    load_demo,
    load_gold_folder,
    load_seed,
    load_synthetic,
    load_textacy_cases,
    score_fixture,
    score_textacy,
)
from assistant.claims.parties import PartyRegistry  # noqa: E402
from benchmarks.common import load_module  # noqa: E402

if TYPE_CHECKING:
    from spacy.language import Language


def ledger_records(text: str, title: str, nlp: Language) -> list[dict[str, Any]]:
    """What `briefing claims FILE --json` prints for an article text, computed in-process."""
    from ingest.sentences import parse_articles

    parsed = next(parse_articles([text], nlp))
    records = attribute_article(parsed, PartyRegistry(), title=title)
    return [dataclasses.asdict(r) for r in records]


def _article_file(raw: str, folder: Path, name: str) -> tuple[str, str]:
    """(title, stored text) the CLI would take from a plain-text file."""
    from ingest.loaders import load_file

    path = folder / f"{name}.txt"
    path.write_text(raw, encoding="utf-8")
    article = load_file(path).articles[0]
    return article.title, article.text


# --- the public eval set ------------------------------------------------------------------
def score_eval_set(nlp: Language) -> dict[str, Any]:
    scorer = load_module("eval_score", EVAL_SET / "score.py")
    _, parties, gold_attr, articles = scorer.load_set()
    predictions: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for stem in sorted({g["article"] for g in gold_attr}):
            art = articles[stem + ".md"]
            raw = str(art["meta"].get("title", stem)) + "\n\n" + art["body"] + "\n"
            title, text = _article_file(raw, Path(tmp), stem)
            predictions[stem] = ledger_records(text, title, nlp)
    table, summary = scorer.score_attribution(gold_attr, predictions, parties)
    calibration: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in gold_attr:
        by_article[row["article"]].append(row)
    for stem, rows in by_article.items():
        allowed = {r["party"] for r in rows}
        for gold, pred in zip(rows, scorer.align(rows, predictions[stem]), strict=True):
            if pred is None or gold["ambiguous"]:
                continue
            ok = scorer.map_party(pred.get("party"), parties, allowed) == gold["party"]
            cell = calibration[confidence_bucket(float(pred["confidence"]))]
            cell[0] += ok
            cell[1] += 1
    return {"table": table, "summary": summary, "calibration": dict(sorted(calibration.items()))}


# --- PolNeAR -------------------------------------------------------------------------------
def score_polnear(path: Path, nlp: Language, limit: int) -> dict[str, Any]:
    """PolNeAR train split through its own scorer; returns only its metrics."""
    polnear = load_module("polnear_eval", POLNEAR_SCRIPT)
    corpus = polnear.Corpus(str(path))
    selected = polnear.select_articles(corpus, "train")[:limit]
    scorer = polnear.Scorer()
    calibration: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with tempfile.TemporaryDirectory(prefix="polnear-") as tmp:
        for name, publisher, annotator in selected:
            article, _ = polnear.load_article(corpus, "train", name, publisher, annotator)
            title, text = _article_file(article.text, Path(tmp), name)
            records = ledger_records(text, title, nlp)
            scorer.score_article(article, records)
            for record in records:  # accuracy of "attributed or not" per confidence bucket
                at = article.text.find(record["text"].strip())
                if at < 0:
                    continue
                end = at + len(record["text"].strip())
                gold = any(
                    a.content and polnear.overlaps(article.text, a.content, at, end)
                    for a in article.attributions
                )
                cell = calibration[confidence_bucket(float(record["confidence"]))]
                cell[0] += gold == polnear.is_attributed(record)
                cell[1] += 1
    metrics = polnear.summarize(scorer)
    metrics["articles"] = len(selected)
    metrics["calibration"] = dict(sorted(calibration.items()))
    return dict(metrics)


# --- speed -------------------------------------------------------------------------------
def throughput(
    nlp: Language, seed_text: str, copies: int = 40, rounds: int = 3
) -> dict[str, float]:
    """Sentences/s of the spaCy parse and of attribution over the seed article repeated."""
    from ingest.sentences import parse_articles

    text = "\n".join([seed_text.strip()] * copies)
    next(parse_articles([seed_text], nlp))  # warm: the pipeline's first call pays set-up
    parse_s = float("inf")
    for _ in range(rounds):  # the same estimator (best of `rounds`) as attribution's below
        started = time.perf_counter()
        parsed = next(parse_articles([text], nlp))
        parse_s = min(parse_s, time.perf_counter() - started)
    registry = PartyRegistry()
    attribute_article(parsed, registry)  # warm: lexicons loaded, registry learned
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


# --- output ------------------------------------------------------------------------------
def _cell(pair: tuple[int, int]) -> str:
    right, total = pair
    return f"{right}/{total} ({100 * right / total:.0f}%)" if total else "-"


def _calibration_line(calibration: dict[str, Any]) -> str:
    return ", ".join(
        f"{bucket}: {right}/{total} = {right / total:.2f}"
        for bucket, (right, total) in calibration.items()
        if total
    )


def fixture_table(scores: Sequence[Score]) -> str:
    header = ("fixture", "sentences", "party (all)", "explicit", "continuation", "none",
              "speaker exact", "speaker overlap")  # fmt: skip
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
        )  # fmt: skip
        for s in scores
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for number, row in enumerate(rows):
        lines.append(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if number == 0:
            lines.append("-|-".join("-" * w for w in widths))
    return "\n".join(lines)


def polnear_lines(m: dict[str, Any]) -> list[str]:
    sentence, source, where = m["sentence"], m["source"], m["by_source_position"]

    def f(x: float | None) -> str:
        return "-" if x is None else f"{x:.3f}"

    return [
        f"PolNeAR train, {m['articles']} articles (publisher-balanced order)",
        f"  attributed-sentence detection: P {f(sentence['precision'])} R {f(sentence['recall'])}"
        f" F1 {f(sentence['f1'])}",
        f"  source overlap accuracy on gold-attributed sentences: {f(source['overlap_acc'])}"
        f" (where the ledger fires: {f(source['overlap_acc_given_pred'])}; exact span"
        f" {f(source['exact_acc'])})",
        f"  source in the sentence: {f(where['in_sentence']['source_overlap_acc'])};"
        f" in another sentence: {f(where['cross_sentence']['source_overlap_acc'])}"
        f" (given fired {f(where['cross_sentence']['source_overlap_acc_given_pred'])})",
        f"  attribution level: content recall {f(m['attribution']['content_recall'])},"
        f" source recall {f(m['attribution']['source_recall'])}",
        "  attributed-or-not accuracy per confidence bucket: "
        + _calibration_line(m["calibration"]),
    ]


def commit_line() -> str:
    """The checked-out commit, read from git metadata without running git."""
    git = REPO / ".git"
    try:
        if git.is_file():  # a worktree: "gitdir: <path>"
            git = Path(git.read_text().split(":", 1)[1].strip())
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head[:12]
        ref = head[5:]
        for folder in (git, git.parent.parent if git.parent.name == "worktrees" else git):
            if (folder / ref).exists():
                return (folder / ref).read_text().strip()[:12]
            packed = folder / "packed-refs"
            if packed.exists():
                found = re.search(rf"^([0-9a-f]{{40}}) {re.escape(ref)}$", packed.read_text(), re.M)
                if found:
                    return found.group(1)[:12]
        return "unknown"
    except OSError:
        return "unknown"


def machine_line() -> str:
    import spacy

    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, spaCy {spacy.__version__}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a report")
    parser.add_argument("--misses", action="store_true", help="list every wrong fixture sentence")
    parser.add_argument("--copies", type=int, default=40, help="seed copies for the timing")
    parser.add_argument("--polnear", type=Path, help="a PolNeAR checkout or bare git mirror")
    parser.add_argument("--polnear-limit", type=int, default=200, help="train articles to score")
    parser.add_argument(
        "--eval-set",
        type=Path,
        help="another set laid out as the eval set (benchmarks/data/eval_fresh1), scored by "
        "the eval set's score.py in place of it",
    )
    args = parser.parse_args(argv)
    if args.eval_set:
        os.environ["EVAL_SET"] = str(args.eval_set.resolve())  # read by score.py on import

    from ingest.sentences import load_nlp

    nlp = load_nlp()
    seed = load_seed(
        SHARED / "data" / "seed" / "kalat-ani.txt",
        SHARED / "data" / "seed" / "kalat-attribution.jsonl",
    )
    fixtures = [
        seed,
        load_synthetic(SHARED / "data" / "attribution"),
        *load_demo(
            REPO / "tests" / "data" / "demo_attribution_gold", REPO / "assistant" / "demo_corpus"
        ),
        *load_gold_folder(REPO / "tests" / "data" / "claims_gold", "claims_gold"),
    ]
    scores = [score_fixture(f, nlp)[0] for f in fixtures]
    scores.append(
        score_textacy(
            load_textacy_cases(
                SHARED / "data" / "attribution" / "textacy_direct_quotation_cases.jsonl"
            ),
            nlp,
        )
    )
    evaluation = score_eval_set(nlp) if (EVAL_SET / "score.py").exists() else None
    polnear = score_polnear(args.polnear, nlp, args.polnear_limit) if args.polnear else None
    speed = throughput(nlp, seed.text, copies=args.copies)
    if args.json:
        out = {
            "commit": commit_line(),
            "machine": machine_line(),
            "eval_set": evaluation and {k: evaluation[k] for k in ("summary", "calibration")},
            "fixtures": [dataclasses.asdict(s) for s in scores],
            "polnear_train": polnear,
            "throughput": speed,
        }
        print(json.dumps(out, indent=2, default=str))
        return 0
    if evaluation is not None:
        print("Public eval set (../shared/data/eval, its own scorer)\n")
        print(evaluation["table"])
        print(f"\naccuracy per confidence bucket: {_calibration_line(evaluation['calibration'])}\n")
    print(fixture_table(scores))
    fixture_calibration: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in scores:
        for bucket, (right, total) in s.calibration.items():
            fixture_calibration[bucket][0] += right
            fixture_calibration[bucket][1] += total
    buckets = dict(sorted(fixture_calibration.items()))
    print(f"\nfixtures, accuracy per confidence bucket: {_calibration_line(buckets)}")
    if polnear is not None:
        print()
        print("\n".join(polnear_lines(polnear)))
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
