"""Cold start: each `briefing` command as a fresh process, several runs, min / median / max.

A plain script, not a test (STYLE.md section 11). It builds (once, then reuses) a store of N
generated articles (the corpus of `benchmarks/ingest.py`, ledger on, the configured embedder),
then times `briefing --help`, `briefing sources` and `briefing ask "..."` as new processes, so
every run pays for interpreter start, imports, model and store loading. The machine is shared:
the load average is printed before and after, and the runs of the commands are interleaved so a
busy minute hits all of them alike.

    .venv/bin/python benchmarks/cold_start.py                       # 1000 articles, 7 runs
    .venv/bin/python benchmarks/cold_start.py --store /tmp/cold-1000 --runs 5
    .venv/bin/python benchmarks/cold_start.py --out benchmarks/results/cold_start.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import log  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

GOALS_S = {"--help": 0.5, "sources": 0.8, "ask": 2.0}
QUESTIONS = [
    "What did the finance minister say about spending cuts?",
    "How many jobs are at risk?",
    "What happened with the strike?",
]


def _ingest_bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_ingest", HERE / "ingest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def briefing_command() -> list[str]:
    """The `briefing` console script of this interpreter's environment, run from this tree."""
    script = Path(sys.executable).with_name("briefing")
    if script.exists():
        return [sys.executable, str(script)]
    return [sys.executable, "-m", "ui.cli"]


BYTECODE_CACHE = True  # --no-bytecode-cache: compile the project's sources in every run


def env() -> dict[str, str]:
    """The commands' environment. An installed package has its bytecode compiled, so the
    untimed first round may write `__pycache__` (PYTHONDONTWRITEBYTECODE, set in some shells,
    is dropped): without it every run recompiles the project's ~40 modules (~0.4 s)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not (BYTECODE_CACHE and k == "PYTHONDONTWRITEBYTECODE")
    }
    return {
        **base,
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }


def article_count(store: Path) -> int:
    import sqlite3

    db = store / "briefing.sqlite3"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


def build_store(store: Path, articles: int, seed: int, ledger: bool, max_tokens: int) -> float:
    """Generate the corpus and ingest it; seconds taken.

    The passages are embedded by the configured ONNX embedder with its input cut to
    `max_tokens` (the store's recorded embedder is the same, so `briefing ask` opens it): on a
    busy 2-core machine full-length embedding of ~13,000 chunks takes over an hour, and what
    the timed commands load (Chroma's index, BM25, the model) does not depend on it."""
    sys.path.insert(0, str(ROOT))
    from assistant.api import Assistant
    from assistant.settings import Settings
    from assistant.wiring import model_cache_dir
    from ingest.embedding import OnnxMiniLMEmbedder

    with tempfile.TemporaryDirectory(prefix="cold-corpus-") as tmp:
        corpus = Path(tmp)
        _ingest_bench().write_corpus(corpus, articles, seed)
        log(f"ingesting {articles} articles into {store} (once; reused by later runs)")
        settings = Settings(data_dir=store, ledger=ledger)
        embedder = OnnxMiniLMEmbedder(
            model_cache_dir(settings),
            quantization=settings.embedding_quantization,
            max_tokens=max_tokens,
        )
        bot = Assistant(settings, embedder=embedder)
        t0 = time.perf_counter()

        def progress(done: int, total: int, _title: str) -> None:
            if done % 64 == 0 or done == total:
                log(f"  {done}/{total} articles, {time.perf_counter() - t0:.0f} s")

        report = bot.ingest([corpus], progress=progress)
        if report.failed:
            raise SystemExit(f"ingest failed: {report.failed[0]}")
        return time.perf_counter() - t0


def fill_figures(store: Path) -> int:
    """Bring a store built by an older tree up to date, as the next `briefing ingest` would:
    the figures of its articles read once, so a number question loads no parser."""
    sys.path.insert(0, str(ROOT))
    from assistant.api import Assistant
    from assistant.settings import Settings

    bot = Assistant(Settings(data_dir=store), check_embedder=False)
    try:
        return int(bot.ingestor.fill_figures())
    finally:
        bot.db.close()


CPU_S: dict[str, list[float]] = {}
PER_QUESTION: dict[str, list[tuple[float, float]]] = {}  # question -> (wall s, CPU s)


def time_once(args: list[str], name: str | None = None) -> float:
    """Wall seconds of one fresh process; its CPU seconds (user + sys) go to CPU_S[name]."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        [*briefing_command(), *args], env=env(), capture_output=True, text=True, cwd=ROOT
    )
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if name is not None:
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        CPU_S.setdefault(name, []).append(cpu)
    if done.returncode != 0:
        raise SystemExit(f"`briefing {' '.join(args)}` failed:\n{done.stderr[-2000:]}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--store", type=Path, help="data dir to build once and reuse")
    parser.add_argument(
        "--build-ledger",
        action="store_true",
        help="build the store with the claims ledger (slow on a shared 2-core machine: the "
        "timed commands barely depend on it, the index sizes do not)",
    )
    parser.add_argument(
        "--build-max-tokens", type=int, default=32, help="token cut when building the store"
    )
    parser.add_argument("--out", type=Path, help="also write the markdown to FILE")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="keep PYTHONDONTWRITEBYTECODE from the environment (every run compiles sources)",
    )
    args = parser.parse_args(argv)
    global BYTECODE_CACHE
    BYTECODE_CACHE = not args.no_bytecode_cache

    store = args.store or Path(tempfile.gettempdir()) / f"briefing-cold-{args.articles}"
    built_s = None
    have = article_count(store)
    if have != args.articles:
        if have > args.articles:
            raise SystemExit(f"{store} holds {have} articles, not {args.articles}; remove it")
        built_s = build_store(
            store, args.articles, args.seed, args.build_ledger, args.build_max_tokens
        )
    filled = fill_figures(store)
    if filled:
        log(f"stored the figures of {filled} articles (a store built before the figures table)")
    chunks = 0
    import sqlite3

    with sqlite3.connect(store / "briefing.sqlite3") as conn:
        chunks = int(conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0])
        embedder = conn.execute("SELECT value FROM meta WHERE key = 'embedder'").fetchone()
        try:
            ledger_rows = int(conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0])
        except sqlite3.OperationalError:
            ledger_rows = 0

    commands = {
        "--help": ["--help"],
        "sources": ["sources", "--data-dir", str(store), "--json"],
        "ask": ["ask", QUESTIONS[0], "--data-dir", str(store), "--json"],
    }
    # One untimed round: the page cache holds the packages and the store, as on a used machine.
    for cmd in commands.values():
        time_once(cmd)
    load_start = os.getloadavg()
    times: dict[str, list[float]] = {name: [] for name in commands}
    for run in range(args.runs):
        for name, cmd in commands.items():
            if name == "ask":
                cmd = ["ask", QUESTIONS[run % len(QUESTIONS)], *cmd[2:]]
            times[name].append(time_once(cmd, name))
            if name == "ask":
                PER_QUESTION.setdefault(cmd[1], []).append((times[name][-1], CPU_S[name][-1]))
        log(
            f"run {run + 1}/{args.runs}: "
            + ", ".join(f"{n} {t[-1]:.2f} s" for n, t in times.items())
        )
    load_end = os.getloadavg()

    rows = []
    for name, values in times.items():
        median = statistics.median(values)
        rows.append(
            {
                "command": f"briefing {name}",
                "runs": len(values),
                "min_s": min(values),
                "median_s": median,
                "max_s": max(values),
                "cpu_median_s": statistics.median(CPU_S[name]),
                "goal_s": GOALS_S[name],
                "met": median <= GOALS_S[name],
            }
        )
    result = {
        "articles": args.articles,
        "chunks": chunks,
        "embedder": embedder[0] if embedder else None,
        "store": str(store),
        "built_seconds": built_s,
        "ledger_rows": ledger_rows,
        "bytecode_cache": BYTECODE_CACHE,
        "per_question": {
            q: {
                "median_s": statistics.median(w for w, _ in v),
                "cpu_median_s": statistics.median(c for _, c in v),
                "runs": len(v),
            }
            for q, v in PER_QUESTION.items()
        },
        "rows": rows,
        "loadavg_start": [round(x, 2) for x in load_start],
        "loadavg_end": [round(x, 2) for x in load_end],
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    markdown = render(result)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(markdown, "utf-8")
        log(f"wrote {args.out}")
    print(json.dumps(result, indent=2) if args.json else markdown)
    return 0


def render(result: dict[str, Any]) -> str:
    lines = [
        f"# Cold start: each command a fresh process ({result['articles']} articles, "
        f"{result['chunks']} chunks, {result['ledger_rows']} ledger rows, embedder "
        f"{result['embedder']})",
        "",
        "| command | runs | min s | median s | max s | goal (median) | met | median CPU s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in result["rows"]:
        lines.append(
            f"| `{r['command']}` | {r['runs']} | {r['min_s']:.2f} | {r['median_s']:.2f} | "
            f"{r['max_s']:.2f} | <= {r['goal_s']:.1f} s | {'yes' if r['met'] else 'NO'} | "
            f"{r['cpu_median_s']:.2f} |"
        )
    if result.get("per_question"):
        lines += ["", "`briefing ask` per question (medians):", ""]
        for question, stats in result["per_question"].items():
            lines.append(
                f"- {question!r}: {stats['median_s']:.2f} s wall, {stats['cpu_median_s']:.2f} "
                f"CPU s ({stats['runs']} runs)"
            )
    start, end = result["loadavg_start"], result["loadavg_end"]
    lines += [
        "",
        f"Load average (1/5/15 min) {start[0]:.2f} / {start[1]:.2f} / {start[2]:.2f} at start, "
        f"{end[0]:.2f} / {end[1]:.2f} / {end[2]:.2f} at end, on {result['cpu_count']} cores "
        "shared with other jobs: a load above the core count stretches every number.",
        "Median CPU s: user + sys seconds the command's process used (all threads); on a "
        "machine this busy it is the better guide to what a quiet machine's wall time would be "
        "(a command that keeps ~1 core busy takes about that long there).",
        "Commands interleaved run by run, after one untimed round (warm page cache"
        + (", bytecode cache written" if result.get("bytecode_cache") else ", no bytecode cache")
        + "); `ask` cycles through "
        + "; ".join(f"{q!r}" for q in QUESTIONS)
        + " (`--json` output).",
        f"Commit {result['commit']}, Python {result['python']}, {result['date']}.",
        "",
    ]
    if result["built_seconds"] is not None:
        lines.insert(
            -1,
            f"Store built in {result['built_seconds']:.0f} s (in-process ingest, ledger "
            f"{'on' if result['ledger_rows'] else 'off'}, passages embedded by the ONNX embedder "
            "with input cut to --build-max-tokens tokens: the timed commands load the same index "
            "sizes; answers differ a little).",
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
