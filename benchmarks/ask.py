"""Extractive `ask` latency at corpus scale, against the floor of embedding + one Chroma query.

A plain script, not a test (STYLE.md section 11). It builds a store of ~100,000 chunks of
generated news articles (`benchmarks.ingest.write_corpus`, fixed seed) ONCE, in a persistent
cache dir, with the ledger off (`Settings(ledger=False)`: the build is several times faster;
asks then expand each passage as one outlet-attributed unit, see the note in the table). The
build runs in a child process so the measuring process starts clean, like a restarted server.

Then, in a warm process (MiniLM, Chroma, BM25 and the party registry loaded first, the first 3
questions not timed), it asks 200 generated questions (parties, places, numbers, dates, and
some that match nothing) and times, per question:

- ask: `Assistant.ask(q)` end to end (extractive engine, k=6);
- floor: `embedder.embed([q])` + `store.search(vector, 30)`, the least any hybrid ask can do.

It prints p50 / p95 of both, their ratio, where the ask time goes (wrapped calls), the process
RSS after the run, and the machine line, against the goals p95 <= 100 ms, p95 <= 3 x floor,
RSS <= 2 GB. The warm-up is `Assistant.warm_up()`, as in `briefing serve` / `briefing chat`
(it also freezes the GC: a full collection over ~500k loaded objects would pause an ask by
~250 ms). Last, it checks filtered retrieval (`filter_agreement`): over-fetch against Chroma's
filtered query and against brute-force cosine.

    .venv/bin/python benchmarks/ask.py                                  # 100k chunks
    .venv/bin/python benchmarks/ask.py --chunks 5000 --cache /tmp/ask-small
    .venv/bin/python benchmarks/ask.py --out benchmarks/results/ask.md
    .venv/bin/python benchmarks/ask.py --json > ask.json
    .venv/bin/python benchmarks/ask.py --profile 3     # + cProfile of 3 asks (stderr)
    .venv/bin/python benchmarks/ask.py --ledger --chunks 6000 --cache /tmp/ask-ledger
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import math
import os
import platform
import pstats
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import percentile as pct  # noqa: E402
from benchmarks.ingest import (  # noqa: E402
    FIRST,
    LAST,
    MONTHS,
    ORGS,
    PLACES,
    ROLES,
    SECTORS,
    TOPICS,
    Timers,
    cpu_model,
    git_commit,
    log,
    max_rss_mb,
    rss_mb,
    write_corpus,
)

GOAL_P95_MS = 100.0
GOAL_FLOOR_RATIO = 3.0
GOAL_RSS_MB = 2000.0
DEFAULT_CACHE = Path("/tmp/briefing-ask-bench")
WARMUP = 3
DEPTH = 30  # Retriever.retrieve's default depth: the floor queries as deep as ask does
CHUNKS_PER_ARTICLE_GUESS = 10.0


# -- the store, built once --------------------------------------------------------------------


def open_assistant(data_dir: Path, ledger: bool = False) -> Any:
    from assistant.api import Assistant
    from assistant.settings import Settings

    return Assistant(Settings(data_dir=data_dir, ledger=ledger))


def stored_chunks(data_dir: Path) -> int:
    """Complete passages in the cache's SQLite (0 when there is no cache yet)."""
    import sqlite3

    from assistant.settings import Settings

    path = Settings(data_dir=data_dir).sqlite_path
    if not path.exists():
        return 0
    conn = sqlite3.connect(path)
    try:
        row = conn.execute(
            "SELECT COUNT(*) FROM passages p JOIN articles a ON a.doc_id = p.doc_id "
            "WHERE a.status = 'complete'"
        ).fetchone()
        return int(row[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def build(cache: Path, target: int, seed: int, batch: int, ledger: bool = False) -> None:
    """Write articles and ingest them batch by batch until the store holds >= target chunks.

    The corpus is deterministic (one RNG per seed), so a larger write keeps the earlier files
    byte for byte; an interrupted build resumes where the stored articles end. `build.json`
    is rewritten after every batch (cumulative build seconds, load averages seen).
    """
    corpus = cache / "corpus"
    data_dir = cache / "data"
    meta_file = cache / "build.json"
    corpus.mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    if meta.get("chunks") and meta.get("ledger", False) != ledger:
        raise SystemExit(f"{cache} was built with ledger={meta.get('ledger')}; use another --cache")
    meta.update({"seed": seed, "ledger": ledger, "batch": batch})
    meta.setdefault("build_seconds_total", 0.0)
    meta.setdefault("loadavg_seen", [])

    def save(chunks: int, articles: int) -> None:
        meta.update({"chunks": chunks, "articles": articles})
        meta["updated"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        meta_file.write_text(json.dumps(meta, indent=2))

    bot = open_assistant(data_dir, ledger)
    t0 = time.perf_counter()
    bot.embedder.embed(["warm-up sentence for the embedding model."])
    _ = bot.nlp, bot.store
    log(f"build: models loaded in {time.perf_counter() - t0:.1f} s")

    chunks = stored_chunks(data_dir)
    done = bot.db.count_articles() // batch * batch  # re-ingest of a finished file is cheap
    per_article = chunks / done if done and chunks else CHUNKS_PER_ARTICLE_GUESS
    build_start = time.perf_counter()
    started_chunks = chunks
    while chunks < target:
        want = done + max(1, min(batch, math.ceil((target - chunks) / per_article * 1.02)))
        files = sorted(corpus.glob("article_*.md"))
        if len(files) < want:
            n = max(want, math.ceil(target / per_article * 1.05))
            t = time.perf_counter()
            write_corpus(corpus, n, seed)
            log(f"build: wrote {n} articles (seed {seed}) in {time.perf_counter() - t:.1f} s")
            files = sorted(corpus.glob("article_*.md"))
        part = files[done:want]
        t = time.perf_counter()
        report = bot.ingest(part)
        spent_batch = time.perf_counter() - t
        if report.failed:
            log(f"build: WARNING {len(report.failed)} failed, first: {report.failed[0]}")
        done = want
        chunks = stored_chunks(data_dir)
        per_article = chunks / done
        meta["build_seconds_total"] = round(meta["build_seconds_total"] + spent_batch, 1)
        meta["loadavg_seen"].append(round(os.getloadavg()[0], 2))
        meta.pop("bm25_chunks", None)
        save(chunks, bot.db.count_articles())
        spent = time.perf_counter() - build_start
        rate = (chunks - started_chunks) / spent if spent else 0.0
        eta = (target - chunks) / rate if rate and chunks < target else 0.0
        log(
            f"build: {done} articles, {chunks}/{target} chunks "
            f"(+{report.chunks} in {spent_batch:.0f} s; {rate:.1f} chunks/s; "
            f"ETA {eta / 60:.0f} min; load {os.getloadavg()[0]:.1f})"
        )
    # The BM25 index: built and saved now, so the measuring process loads it from disk.
    t = time.perf_counter()
    bot.retriever.bm25.search("warm-up", 1)
    log(f"build: BM25 index ready in {time.perf_counter() - t:.1f} s")
    meta["bm25_chunks"] = chunks
    meta["bm25_seconds"] = round(time.perf_counter() - t, 1)
    save(chunks, bot.db.count_articles())
    bot.db.close()


def ensure_store(cache: Path, target: int, seed: int, batch: int, ledger: bool = False) -> None:
    have = stored_chunks(cache / "data")
    meta_file = cache / "build.json"
    meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    if have and meta.get("ledger", False) != ledger:
        raise SystemExit(f"{cache} was built with ledger={meta.get('ledger')}; use another --cache")
    if have >= target and meta.get("bm25_chunks") == have:
        log(f"cache {cache}: {have} chunks >= {target}, reused")
        return
    log(f"cache {cache}: {have} chunks, target {target}; building in a child process")
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--build-only",
        "--cache",
        str(cache),
        "--chunks",
        str(target),
        "--seed",
        str(seed),
        "--batch",
        str(batch),
        *(["--ledger"] if ledger else []),
    ]
    subprocess.run(cmd, check=True)


# -- questions --------------------------------------------------------------------------------


def make_questions(n: int, seed: int) -> list[tuple[str, str]]:
    """(kind, question) pairs from the corpus vocabulary; none asks for a period's briefing."""
    rng = random.Random(seed)

    def person() -> str:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"

    def topic() -> str:
        return rng.choice(rng.choice(TOPICS)[1:])

    def day() -> str:
        return f"March {rng.choice([11, 12, 13])}, 2024"

    def amount() -> str:
        kind = rng.randrange(3)
        if kind == 0:
            return f"{rng.randint(2, 95)} percent"
        if kind == 1:
            return f"{rng.randint(1, 900):,} million dollars"
        return f"{rng.uniform(0.5, 12):.1f} billion euros"

    party: list[Callable[[], str]] = [
        lambda: f"What did {rng.choice(ROLES)} {person()} say about {topic()}?",
        lambda: f"What does {rng.choice(ORGS)} say about {topic()}?",
        lambda: f"Did {person()} deny that {topic()} was behind schedule?",
        lambda: f"Who disputed the figures published by {rng.choice(ORGS)}?",
        lambda: f"Why does {person()} reject {topic()}?",
    ]
    place: list[Callable[[], str]] = [
        lambda: f"How many people were affected by {topic()} in {rng.choice(PLACES)}?",
        lambda: f"How many jobs are at risk in {rng.choice(PLACES)}?",
        lambda: f"What is the inflation rate in {rng.choice(PLACES)}?",
        lambda: f"Why did residents of {rng.choice(PLACES)} protest?",
        lambda: f"Was emergency funding approved for {rng.choice(PLACES)}?",
    ]
    number: list[Callable[[], str]] = [
        lambda: (
            f"Who said spending on {rng.choice(SECTORS)} would be cut by "
            f"{rng.randint(2, 30)} percent?"
        ),
        lambda: f"Where did inflation reach {rng.uniform(1, 11):.1f} percent?",
        lambda: f"Which project could cost as much as {amount()}?",
        lambda: f"Where were {rng.randint(40, 4000):,} jobs at risk?",
        lambda: f"How much emergency funding was approved, {amount()}?",
    ]
    dated: list[Callable[[], str]] = [
        lambda: f"What did {rng.choice(ORGS)} say about {topic()} on {day()}?",
        lambda: f"How many jobs were at risk in {rng.choice(PLACES)} on {day()}?",
        lambda: f"When will the new rules take effect, as reported on {day()}?",
        lambda: f"Which rules take effect in {rng.choice(MONTHS)}?",
    ]
    nothing: list[Callable[[], str]] = [
        lambda: rng.choice(
            [
                "What is the boiling point of water on Mount Everest?",
                "How do I bake sourdough bread at home?",
                "Who won the chess world championship in 1972?",
                "What is the airspeed velocity of an unladen swallow?",
                "How many moons does Jupiter have?",
                "Which programming language has the best package manager?",
            ]
        ),
        lambda: (
            f"What did {rng.choice(['Mayor', 'Senator'])} {rng.choice(['Zoltan', 'Quentin'])} "
            f"{rng.choice(['Vasquez-Oyelaran', 'Thistlewood'])} say about the lunar colony?"
        ),
        lambda: f"How many penguins live in {rng.choice(['Ushuaia', 'Tromso', 'Kathmandu'])}?",
    ]
    groups = [("party", party, 30), ("place", place, 25), ("number", number, 20)]
    groups += [("date", dated, 10), ("no match", nothing, 15)]
    weights = [w for _, _, w in groups]
    out = []
    for _ in range(n):
        kind, makers, _ = rng.choices(groups, weights=weights)[0]
        out.append((kind, rng.choice(makers)()))
    return out


# -- measuring --------------------------------------------------------------------------------


def wrap_parts(bot: Any) -> Timers:
    """Sum the wall time of the calls an ask makes, to show where it goes."""
    import assistant.answers.extractive as answering
    import assistant.search.retrieval as retrieval
    import assistant.verify.evidence as evidence

    retriever = bot.retriever
    timers = Timers()
    timers.wrap(bot.embedder, "embed", "query embedding (embedder.embed)")
    timers.wrap(bot.store, "search", "Chroma query (store.search)")
    timers.wrap(retriever.bm25, "_current_version", "BM25 version check (SQLite, per query)")
    timers.wrap(retriever.bm25, "search", "BM25 search (incl. version check)")
    timers.wrap(retriever, "allowed_ids", "filter ids (SQLite, dated questions)")
    timers.wrap(bot.db, "passages", "passage rows (SQLite)")
    timers.wrap(retriever, "_articles", "article rows (SQLite)")
    timers.wrap(retrieval, "collapse_duplicates", "near-duplicate collapse")
    timers.wrap(evidence, "expand_to_sentences", "sentence expansion (SQLite + article text)")
    timers.wrap(answering, "answer_extractive", "extractive answer engine")
    return timers


def measure(bot: Any, questions: list[tuple[str, str]], profile: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    bot.embedder.embed(["warm-up sentence for the embedding model."])
    _ = bot.store, bot.registry
    retriever = bot.retriever
    models_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    retriever.bm25.search("warm-up", 1)
    bm25_s = time.perf_counter() - t0
    bot.warm_up()  # as `briefing serve` / `briefing chat` do: answer code loaded, GC frozen
    log(f"warm: models/Chroma/registry {models_s:.1f} s, BM25 index {bm25_s:.1f} s")

    for _, q in questions[:WARMUP]:
        bot.ask(q)
        vec = bot.embedder.embed([q])[0]
        bot.store.search(vec, DEPTH)

    timed = questions[WARMUP:]
    timers = wrap_parts(bot)
    rows: list[dict[str, Any]] = []
    c0 = time.process_time()
    wall0 = time.perf_counter()
    for i, (kind, q) in enumerate(timed):
        # Alternate which goes first, so neither always meets the warmer caches.
        ask_first = i % 2 == 0
        if ask_first:
            ask_ms, answer = _time_ask(bot, q)
        before = dict(timers.seconds)
        f0 = time.perf_counter()
        vec = bot.embedder.embed([q])[0]
        f1 = time.perf_counter()
        bot.store.search(vec, DEPTH)
        f2 = time.perf_counter()
        timers.seconds = before  # the floor's calls are not part of the ask breakdown
        if not ask_first:
            ask_ms, answer = _time_ask(bot, q)
        rows.append(
            {
                "kind": kind,
                "question": q,
                "ask_ms": ask_ms,
                "floor_ms": (f2 - f0) * 1000,
                "floor_embed_ms": (f1 - f0) * 1000,
                "floor_chroma_ms": (f2 - f1) * 1000,
                "refused": answer.refused,
                "timings_ms": dict(answer.timings_ms),
            }
        )
        if (i + 1) % 50 == 0:
            recent = [r["ask_ms"] for r in rows[-50:]]
            log(f"  {i + 1}/{len(timed)} asked; last 50: p50 {pct(recent, 50):.0f} ms")
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - c0
    breakdown = {k: v * 1000 / len(timed) for k, v in timers.seconds.items()}
    timers.restore()

    profile_text = ""
    if profile:
        prof = cProfile.Profile()
        for _, q in timed[:profile]:
            prof.enable()
            bot.ask(q)
            prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(45)
        profile_text = buf.getvalue()

    return {
        "rows": rows,
        "breakdown_ms_per_ask": breakdown,
        "warm_models_seconds": models_s,
        "warm_bm25_seconds": bm25_s,
        "wall_seconds": wall,
        "cpu_seconds": cpu,
        "profile": profile_text,
    }


def filter_agreement(bot: Any, questions: list[tuple[str, str]]) -> dict[str, Any]:
    """Filtered retrieval at scale: speed, and dense recall against brute force.

    Each question is retrieved under three filters: one day (the corpus days in turn), one
    outlet, and one outlet on one day (narrow: the unfiltered top-600 rarely holds 30 of
    them, so `Retriever.dense_search` falls back to searching every passing passage). Per
    filter kind: `Retriever.retrieve` p50 / p95, and the dense top-30 recall against
    brute-force cosine over every stored vector that passes the filter (all vectors are read
    from Chroma once), for `Retriever.dense_search` and for Chroma's own `where` query.
    """
    import numpy as np

    from assistant.search.retrieval import Filters, to_where

    rows = bot.db.conn.execute(
        "SELECT p.id, substr(a.published, 1, 10), a.outlet FROM passages p JOIN articles a "
        "ON a.doc_id = p.doc_id WHERE a.status = 'complete' ORDER BY p.id"
    ).fetchall()
    ids = [r[0] for r in rows]
    day_of = np.array([r[1] or "" for r in rows])
    outlet_of = np.array([r[2] or "" for r in rows])
    got: dict[str, list[float]] = {}
    for lo in range(0, len(ids), 5000):
        got.update(bot.store.vectors(ids[lo : lo + 5000]))
    matrix = np.array([got[i] for i in ids], dtype=np.float32)
    del got
    days = sorted(set(day_of) - {""})
    outlets = sorted(set(outlet_of) - {""})
    kinds: dict[str, dict[str, list[float]]] = {}
    for i, (_, q) in enumerate(questions):
        vec = bot.embedder.embed([q])[0]
        sims = matrix @ np.asarray(vec, dtype=np.float32)
        day, outlet = days[i % len(days)], outlets[i % len(outlets)]
        one_day = dt.date.fromisoformat(day)
        cases = (
            ("one day", Filters(since=one_day, until=one_day), day_of == day),
            ("one outlet", Filters(outlet=outlet), outlet_of == outlet),
            (
                "one outlet, one day",
                Filters(since=one_day, until=one_day, outlet=outlet),
                (day_of == day) & (outlet_of == outlet),
            ),
        )
        for kind, filters, mask in cases:
            stats = kinds.setdefault(
                kind, {"ms": [], "recall": [], "recall_chroma": [], "share": []}
            )
            masked = np.where(mask, sims, -np.inf)
            truth = {ids[j] for j in np.argsort(-masked)[:DEPTH] if mask[j]}
            t0 = time.perf_counter()
            bot.retriever.retrieve(q, 6, filters, vector=vec)
            stats["ms"].append((time.perf_counter() - t0) * 1000)
            ours = {h.passage_id for h in bot.retriever.dense_search(vec, DEPTH, filters)}
            chroma = {h.passage_id for h in bot.store.search(vec, DEPTH, to_where(filters))}
            stats["recall"].append(len(truth & ours) / len(truth))
            stats["recall_chroma"].append(len(truth & chroma) / len(truth))
            stats["share"].append(float(mask.mean()))
    return {
        kind: {
            "n": len(v["ms"]),
            "share": statistics.fmean(v["share"]),
            "p50": pct(v["ms"], 50),
            "p95": pct(v["ms"], 95),
            "recall": statistics.fmean(v["recall"]),
            "recall_chroma": statistics.fmean(v["recall_chroma"]),
        }
        for kind, v in kinds.items()
    }


def _time_ask(bot: Any, q: str) -> tuple[float, Any]:
    t0 = time.perf_counter()
    answer = bot.ask(q)
    return (time.perf_counter() - t0) * 1000, answer


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ask = [r["ask_ms"] for r in rows]
    floor = [r["floor_ms"] for r in rows]
    out: dict[str, Any] = {
        "n": len(rows),
        "ask_p50": pct(ask, 50),
        "ask_p95": pct(ask, 95),
        "ask_max": max(ask),
        "floor_p50": pct(floor, 50),
        "floor_p95": pct(floor, 95),
        "floor_embed_p50": pct([r["floor_embed_ms"] for r in rows], 50),
        "floor_chroma_p50": pct([r["floor_chroma_ms"] for r in rows], 50),
        "floor_chroma_p95": pct([r["floor_chroma_ms"] for r in rows], 95),
        "refused": sum(r["refused"] for r in rows),
    }
    out["ratio_p50"] = out["ask_p50"] / out["floor_p50"]
    out["ratio_p95"] = out["ask_p95"] / out["floor_p95"]
    by_kind: dict[str, dict[str, Any]] = {}
    for kind in dict.fromkeys(r["kind"] for r in rows):
        sub = [r for r in rows if r["kind"] == kind]
        by_kind[kind] = {
            "n": len(sub),
            "ask_p50": pct([r["ask_ms"] for r in sub], 50),
            "ask_p95": pct([r["ask_ms"] for r in sub], 95),
            "floor_p50": pct([r["floor_ms"] for r in sub], 50),
            "refused": sum(r["refused"] for r in sub),
        }
    out["by_kind"] = by_kind
    return out


# -- report -----------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def render_markdown(result: dict[str, Any]) -> str:
    s, m, cfg, b = result["summary"], result["machine"], result["config"], result["build"]
    rss = m["rss_mb_end"]
    lines = [
        f"# Extractive ask at {result['chunks']:,} chunks ({b.get('articles', 0):,} articles, "
        f"ledger {'on' if cfg['ledger'] else 'off'})",
        "",
        "| measure | p50 ms | p95 ms | goal |",
        "|---|---:|---:|---|",
        f"| ask, end to end (extractive, k={cfg['k']}) | {s['ask_p50']:.1f} | "
        f"{s['ask_p95']:.1f} | p95 <= {GOAL_P95_MS:.0f} ms: "
        f"{verdict(s['ask_p95'] <= GOAL_P95_MS)} |",
        f"| floor: query embedding + Chroma top-{DEPTH} | {s['floor_p50']:.1f} | "
        f"{s['floor_p95']:.1f} | (reference) |",
        f"| - of which Chroma query | {s['floor_chroma_p50']:.1f} | {s['floor_chroma_p95']:.1f} "
        "| |",
        f"| ratio ask / floor | {s['ratio_p50']:.2f} x | {s['ratio_p95']:.2f} x | "
        f"p95 <= {GOAL_FLOOR_RATIO:.0f} x floor: {verdict(s['ratio_p95'] <= GOAL_FLOOR_RATIO)} |",
        "",
        f"Process RSS after the run: {rss:.0f} MB (psutil; goal <= {GOAL_RSS_MB:.0f} MB: "
        f"{verdict(rss <= GOAL_RSS_MB)}); peak {m['peak_rss_mb']:.0f} MB (ru_maxrss).",
        "",
        f"{s['n']} questions timed after {WARMUP} warm-up ones (models, Chroma, BM25 index and "
        f"party registry loaded before: {result['warm_models_seconds']:.1f} s + BM25 load "
        f"{result['warm_bm25_seconds']:.1f} s); {s['refused']} refused. Each question is asked "
        "and its floor measured back to back, alternating which goes first.",
        "",
        "| question kind | n | ask p50 ms | ask p95 ms | floor p50 ms | refused |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, k in s["by_kind"].items():
        lines.append(
            f"| {kind} | {k['n']} | {k['ask_p50']:.1f} | {k['ask_p95']:.1f} | "
            f"{k['floor_p50']:.1f} | {k['refused']} |"
        )
    lines += [
        "",
        "Where the ask time goes (mean ms per ask, wrapped calls, nested ones overlap):",
        "",
    ]
    mean_ask = statistics.fmean(r["ask_ms"] for r in result["rows"])
    for label, ms in sorted(result["breakdown_ms_per_ask"].items(), key=lambda kv: -kv[1]):
        lines.append(f"- {label}: {ms:.1f} ms")
    lines.append(f"- (mean ask: {mean_ask:.1f} ms)")
    fa = result.get("filter_agreement")
    if fa:
        lines += [
            "",
            "Filtered retrieval (`Retriever.retrieve`, k=6; each timed question under each "
            "filter, the days and outlets in turn). Recall: dense top-30 against brute-force "
            "cosine over every stored vector that passes the filter.",
            "",
            "| filter | share of chunks | retrieve p50 ms | retrieve p95 ms | dense recall@30 "
            "| Chroma `where` recall@30 |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for kind, f in fa.items():
            lines.append(
                f"| {kind} | {f['share']:.1%} | {f['p50']:.1f} | {f['p95']:.1f} | "
                f"{f['recall']:.3f} | {f['recall_chroma']:.3f} |"
            )
    build_line = (
        f"Store: {result['chunks']:,} chunks of generated ~600-word articles "
        f"(`benchmarks.ingest.write_corpus`, seed {b.get('seed')}), chunk "
        f"{cfg['chunk_sentences']} sentences, overlap {cfg['chunk_overlap']}, MiniLM vectors, "
        "embedded Chroma; "
        + (
            "built with the claims ledger on (the default): every hit expands to its ledger "
            "sentences, each with its speaker and party."
            if cfg["ledger"]
            else "built with **`Settings(ledger=False)`** (much faster to build), so "
            "`expand_to_sentences` finds no ledger rows and gives each passage to its outlet: "
            "with the ledger on, the sentence expansion returns ~4 rows per hit instead of one "
            "and the answer engine scores ~4x as many sentences (see `--ledger`)."
        )
    )
    if b.get("build_seconds_total"):
        build_line += (
            f" Build (ingest only) {b['build_seconds_total'] / 60:.0f} min, cached in "
            f"`{cfg['cache']}`"
        )
        seen = b.get("loadavg_seen") or []
        if seen:
            build_line += f", 1-min load average {min(seen):.1f}-{max(seen):.1f} during it"
        build_line += "."
    lines += [
        "",
        build_line,
        "",
        f"Machine: {m['cpu_count']} cores ({m['cpu_model']}), torch threads "
        f"{m['torch_threads']}, load average {tuple(m['loadavg_start'])} at start, "
        f"{tuple(m['loadavg_end'])} at end (other work shares the CPU; process CPU "
        f"{result['cpu_seconds']:.0f} s over {result['wall_seconds']:.0f} s wall for the timed "
        f"loop); Python {m['python']}.",
        f"Commit {m['commit']}, {m['date']}.",
        "",
    ]
    if cfg.get("note"):
        lines += [f"Note: {cfg['note']}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chunks", type=int, default=100_000, help="target store size")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="persistent store dir")
    parser.add_argument("--questions", type=int, default=200, help="questions timed")
    parser.add_argument("--seed", type=int, default=11, help="corpus and question seed")
    parser.add_argument("--batch", type=int, default=500, help="articles ingested per batch")
    parser.add_argument("--profile", type=int, default=0, help="cProfile N asks at the end")
    parser.add_argument("--json", action="store_true", help="print JSON instead of markdown")
    parser.add_argument("--out", type=Path, help="also write the markdown to FILE")
    parser.add_argument("--note", default="", help="free text added under the table")
    parser.add_argument(
        "--ledger",
        action="store_true",
        help="build and ask with the claims ledger on (slower build)",
    )
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.build_only:
        build(args.cache, args.chunks, args.seed, args.batch, args.ledger)
        return 0

    ensure_store(args.cache, args.chunks, args.seed, args.batch, args.ledger)
    loadavg_start = tuple(round(x, 2) for x in os.getloadavg())
    data_dir = args.cache / "data"
    bot = open_assistant(data_dir, args.ledger)
    questions = make_questions(args.questions + WARMUP, args.seed)
    log(f"asking {len(questions)} questions ({WARMUP} warm-up) over {data_dir}")
    run = measure(bot, questions, args.profile)
    summary = summarise(run["rows"])
    rss_after_run, peak_after_run = rss_mb(), max_rss_mb()  # before the check reads all vectors
    log("checking filtered retrieval against the exact filtered queries")
    agreement = filter_agreement(bot, questions[WARMUP:])
    chunks = stored_chunks(data_dir)
    try:
        import torch

        torch_threads = torch.get_num_threads()
    except ImportError:
        torch_threads = None
    from assistant.settings import Settings

    defaults = Settings()
    build_meta = args.cache / "build.json"
    result: dict[str, Any] = {
        "config": {
            "chunks_target": args.chunks,
            "cache": str(args.cache),
            "questions": args.questions,
            "seed": args.seed,
            "k": 6,
            "depth": DEPTH,
            "chunk_sentences": defaults.chunk_sentences,
            "chunk_overlap": defaults.chunk_overlap,
            "ledger": args.ledger,
            "note": args.note,
        },
        "chunks": chunks,
        "build": json.loads(build_meta.read_text()) if build_meta.exists() else {},
        "goals": {
            "p95_ms": GOAL_P95_MS,
            "p95_floor_ratio": GOAL_FLOOR_RATIO,
            "rss_mb": GOAL_RSS_MB,
        },
        "summary": summary,
        "filter_agreement": agreement,
        "breakdown_ms_per_ask": run["breakdown_ms_per_ask"],
        "warm_models_seconds": run["warm_models_seconds"],
        "warm_bm25_seconds": run["warm_bm25_seconds"],
        "wall_seconds": run["wall_seconds"],
        "cpu_seconds": run["cpu_seconds"],
        "rows": run["rows"],
        "machine": {
            "cpu_count": os.cpu_count(),
            "cpu_model": cpu_model(),
            "torch_threads": torch_threads,
            "loadavg_start": loadavg_start,
            "loadavg_end": tuple(round(x, 2) for x in os.getloadavg()),
            "rss_mb_end": rss_after_run,
            "peak_rss_mb": peak_after_run,
            "python": platform.python_version(),
            "commit": git_commit(),
            "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        },
    }
    markdown = render_markdown(result)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(markdown, "utf-8")
        log(f"wrote {args.out}")
    if run["profile"]:
        print(run["profile"], file=sys.stderr)
    if args.json:
        result["profile"] = run["profile"]
        print(json.dumps(result, indent=2))
    else:
        print(markdown)
    bot.db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
