"""Extractive daily briefing for a day of N generated articles (default 200); goal <= 10 s.

python benchmarks/summary.py [--articles 200] [--out benchmarks/results/summary.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.api import Assistant  # noqa: E402
from assistant.briefings.stories import to_markdown  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from benchmarks.ingest import git_commit, write_corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        write_corpus(corpus, args.articles, args.seed)
        bot = Assistant(Settings(data_dir=Path(tmp) / "data"))
        t0 = time.perf_counter()
        bot.ingest([corpus])
        ingest_s = time.perf_counter() - t0
        # Put every article on one day, so the briefing covers all of them.
        with bot.db.transaction() as conn:
            conn.execute("UPDATE articles SET published = '2026-03-11'")
        bot.embedder.embed(["warm up"])
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            briefing = bot.summary(date(2026, 3, 11))
            text = to_markdown(briefing)
            runs.append(time.perf_counter() - t0)
        stories = len(briefing.stories)
        words = len(text.split())
    commit = git_commit()
    best, worst = min(runs), max(runs)
    table = "\n".join(
        [
            f"commit {commit} · {platform.machine()} · {os.cpu_count()} cores · {date.today()}",
            "",
            "| articles in the day | stories | briefing words | best s | worst s (3 runs) | goal |",
            "|---|---|---|---|---|---|",
            f"| {args.articles} | {stories} | {words} | {best:.2f} | {worst:.2f} | <= 10 s "
            f"{'met' if worst <= 10 else 'MISSED'} |",
            "",
            f"(ingest of the generated day, for reference: {ingest_s:.1f} s)",
        ]
    )
    print(table)
    if args.out:
        args.out.write_text(table + "\n")


if __name__ == "__main__":
    main()
