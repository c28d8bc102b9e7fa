"""Key-fact coverage of the extractive daily briefing over the demo corpus.

A fact counts as covered when every one of its `must_mention` values appears in a statement of
the briefing (summary, agreed, contested or revision), and attributed when a statement holding
one of them carries the fact's party (narrator facts: any statement). `strict` asks for all
values in one statement.

    python benchmarks/briefing_eval.py [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.api import Assistant, demo_corpus_path  # noqa: E402
from assistant.settings import Settings  # noqa: E402

FACTS = ROOT / "tests" / "data" / "briefing_key_facts"
WORDS = {"four": "4", "seven": "7", "nine": "9", "fifth": "5th"}


def _statements(briefing):  # type: ignore[no-untyped-def]
    for story in briefing.stories:
        for st in story.summary + story.agreed:
            yield st.text, st.party
        for contest in story.contested:
            for pos in contest.positions:
                yield pos.statement, pos.party
        for rev in story.revisions:
            yield rev.statement, rev.party


def _mentions(text: str, value: str) -> bool:
    low = text.lower()
    return value.lower() in low or (value.lower() in WORDS and WORDS[value.lower()] in low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bot = Assistant(Settings(data_dir=Path(tmp)))
        bot.ingest([demo_corpus_path()])
        rows = []
        for path in sorted(FACTS.glob("*.yaml")):
            day = date.fromisoformat(path.stem)
            facts = yaml.safe_load(path.read_text())
            t0 = time.perf_counter()
            briefing = bot.summary(day)
            seconds = time.perf_counter() - t0
            statements = list(_statements(briefing))
            covered = attributed = strict = 0
            missing = []
            for fact in facts:
                values = [str(v) for v in fact["must_mention"]]
                strict += any(all(_mentions(t, v) for v in values) for t, _ in statements)
                hits = [(t, p) for t, p in statements if any(_mentions(t, v) for v in values)]
                if all(any(_mentions(t, v) for t, _ in statements) for v in values):
                    covered += 1
                    want = bot.registry.resolve(fact["party"]) or fact["party"]
                    if fact["party"] == "narrator" or any(p == want for _, p in hits):
                        attributed += 1
                else:
                    missing.append(fact["fact"][:80])
            rows.append(
                {
                    "day": path.stem,
                    "facts": len(facts),
                    "covered": covered,
                    "attributed": attributed,
                    "strict": strict,
                    "stories": len(briefing.stories),
                    "seconds": round(seconds, 2),
                    "missing": missing,
                }
            )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    if args.json:
        print(json.dumps({"commit": commit, "rows": rows}, indent=2))
        return
    print(f"commit {commit}")
    print(
        "| day | key facts | covered | with right party | strict (one statement) | stories "
        "| seconds |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['day']} | {r['facts']} | {r['covered']} | {r['attributed']} | {r['strict']} "
            f"| {r['stories']} | {r['seconds']} |"
        )
    for r in rows:
        for m in r["missing"]:
            print(f"missing {r['day']}: {m}")


if __name__ == "__main__":
    main()
