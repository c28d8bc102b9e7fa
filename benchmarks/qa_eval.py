"""The eval set's 120 questions end to end through `Assistant.ask` (extractive), scored.

Fresh temp data dir, `articles/` ingested once, every question asked in one process, the product
JSON of each written as `{id, raw}` JSONL and scored by the set's own `score.py qa`. Prints the
per-type table and the refusal trade-off (answerable refused vs unanswerable answered).

    python benchmarks/qa_eval.py [--eval-dir DIR] [--data-dir DIR] [--out DIR] [--only q01,q02]
    python benchmarks/qa_eval.py --held-out   # benchmarks/data/qa_heldout's 60 questions

`--held-out` asks the project's own held-out questions (written over the same articles, never used
to tune a rule) instead of the set's 120: the set is assembled in a temp folder from the
development set's articles, parties, gold and scorer and the held-out questions and answers.

`--data-dir` keeps (and reuses) an ingested store between runs; without it a temp dir is used.
The question's `date` is never passed as a filter: the question text states it, and `today` is
the corpus's last day (as the eval README allows).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.api import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402

DEFAULT_EVAL = ROOT.parent / "shared" / "data" / "eval"
HELD_OUT = ROOT / "benchmarks" / "data" / "qa_heldout"
_FROM_BASE = ("articles", "parties.json", "attribution.jsonl", "score.py")
_FROM_QUESTIONS = ("questions.jsonl", "reference_answers.jsonl")


def assemble_set(base: Path, questions: Path, into: Path) -> Path:
    """An eval folder laid out as `base` (the development set), with the questions and reference
    answers of `questions` in place of its own: links to `base`'s files, copies of the others."""
    import shutil

    into.mkdir(parents=True, exist_ok=True)
    for name in _FROM_BASE:
        if not (base / name).exists():
            raise SystemExit(f"{base / name}: missing (is ../shared beside the repository?)")
        (into / name).symlink_to((base / name).resolve())
    for name in _FROM_QUESTIONS:
        shutil.copy(questions / name, into / name)
    return into


def scorer_of(eval_dir: Path) -> Path:
    """The set's own `score.py`, or the development set's for a set laid out the same way
    without one (`benchmarks/data/eval_fresh1`): it scores the folder `EVAL_SET` names."""
    own = eval_dir / "score.py"
    return own if own.exists() else DEFAULT_EVAL / "score.py"


def run(eval_dir: Path, data_dir: Path, out_dir: Path, only: set[str] | None) -> dict:  # type: ignore[type-arg]
    bot = Assistant(Settings(data_dir=data_dir))
    t0 = time.perf_counter()
    if bot.is_empty():
        report = bot.ingest([eval_dir / "articles"])
        print(f"ingested {report.added} articles in {time.perf_counter() - t0:.1f}s")
    bot.warm_up(freeze_gc=False)
    today = bot.latest_day()
    questions = [json.loads(line) for line in (eval_dir / "questions.jsonl").open()]
    if only:
        questions = [q for q in questions if q["id"] in only]
    answers_path = out_dir / "qa_answers.jsonl"
    t1 = time.perf_counter()
    with answers_path.open("w") as fh:
        for q in questions:
            answer = bot.ask(q["question"], today=today)
            raw = dataclasses.asdict(answer)
            fh.write(
                json.dumps({"id": q["id"], "raw": raw}, ensure_ascii=False, default=str) + "\n"
            )
    per_q_ms = (time.perf_counter() - t1) * 1000 / max(1, len(questions))
    print(f"asked {len(questions)} questions, {per_q_ms:.0f} ms each")
    scored_path = out_dir / "qa_scored.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(scorer_of(eval_dir)),
            "qa",
            "--answers",
            str(answers_path),
            "-v",
            "--json-out",
            str(scored_path),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "EVAL_SET": str(eval_dir)},
    )
    print(proc.stdout)
    if proc.returncode not in (0, 1):
        print(proc.stderr, file=sys.stderr)
    scored = json.loads(scored_path.read_text())
    results = scored["results"] if isinstance(scored, dict) else scored
    if only:
        results = [r for r in results if r["id"] in only]
    trade = refusal_tradeoff(results)
    print(
        f"refusal trade-off: answerable refused {trade['answerable_refused']}/"
        f"{trade['answerable']}, unanswerable answered {trade['negative_answered']}/"
        f"{trade['negative']}"
    )
    return {"trade": trade, "per_q_ms": per_q_ms, "table": proc.stdout}


def refusal_tradeoff(results: list[dict]) -> dict[str, int]:  # type: ignore[type-arg]
    kinds = Counter()  # type: ignore[var-annotated]
    for r in results:
        negative = r["type"] == "negative"
        kinds["negative" if negative else "answerable"] += 1
        if negative and not r["abstained"]:
            kinds["negative_answered"] += 1
        if not negative and r["abstained"]:
            kinds["answerable_refused"] += 1
    return {
        k: kinds[k] for k in ("answerable", "answerable_refused", "negative", "negative_answered")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "qa_eval")
    parser.add_argument("--only", default="", help="comma-separated question ids")
    parser.add_argument("--held-out", action="store_true", help="ask the held-out questions")
    parser.add_argument(
        "--questions", type=Path, default=HELD_OUT, help="the held-out set's folder (--held-out)"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    only = {q.strip() for q in args.only.split(",") if q.strip()} or None
    with tempfile.TemporaryDirectory() as tmp:
        eval_dir = args.eval_dir
        if args.held_out:
            eval_dir = assemble_set(args.eval_dir, args.questions, Path(tmp) / "set")
        run(eval_dir, args.data_dir or Path(tmp) / "data", args.out, only)


if __name__ == "__main__":
    main()
