"""Retrieval quality on the demo corpus: recall@5 and MRR per mode, plus the refusal threshold.

A plain script, not a test (STYLE.md section 11). It ingests `assistant/demo_corpus` into a
temporary data dir (real MiniLM, ledger on: default Settings), maps file stems to doc_ids via
`source_path`, and asks every question of `benchmarks/data/retrieval_questions.jsonl` in four
configurations:

- dense, bm25, hybrid: `Retriever.retrieve(question, k=10, mode=...)` with no filters;
- hybrid+date: what `Assistant.ask` does: `find_period(question, today)` -> `Filters(since, until)`,
  and when that filtered search finds nothing relevant (best cosine < RELEVANCE_COSINE) the same
  search again without the date.

Scoring, over the questions that have gold documents:

- recall@5: share of the gold docs among the first 5 distinct doc_ids of the ranking. A passage
  collapsed into a better-ranked near-duplicate (`also_in_docs`) counts as retrieved at the rank
  of the passage that carries it.
- MRR: 1 / rank of the first gold doc in that distinct-doc ranking (0 when none is in the k=10
  passages).
- p50 / p95 ms: wall time of one question, embedding included (nothing is cached between calls).

The questions with gold [] are unanswerable from the corpus. For them and for the answerable ones
the script reports the best `dense` score of what `Assistant.ask` would retrieve (k=6, date
filter and fallback), the refusal errors of `assistant.api.RELEVANCE_COSINE`, and a sweep of
other thresholds.

    .venv/bin/python benchmarks/retrieval_eval.py
    .venv/bin/python benchmarks/retrieval_eval.py --out benchmarks/results/retrieval.md
    .venv/bin/python benchmarks/retrieval_eval.py --json > retrieval.json
    .venv/bin/python benchmarks/retrieval_eval.py --embedding-model /path/to/st-model-folder
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a file: make the project importable
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

from assistant.answers.dates import find_period  # noqa: E402
from assistant.answers.routing import RELEVANCE_COSINE  # noqa: E402
from assistant.api import Assistant  # noqa: E402
from assistant.search.retrieval import Filters, RetrievedPassage  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from benchmarks.common import git_commit, log, percentile  # noqa: E402
from benchmarks.ingest import cpu_model  # noqa: E402

QUESTIONS = ROOT / "benchmarks" / "data" / "retrieval_questions.jsonl"
CORPUS = ROOT / "assistant" / "demo_corpus"
K = 10  # passages retrieved per question (--k); often fewer than 5 distinct docs, see `short`
CUTOFF = 5  # recall@5
ASK_K = 6  # what Assistant.ask retrieves by default
MODES = ("dense", "bm25", "hybrid", "hybrid+date")
SWEEP = [round(0.20 + 0.025 * i, 3) for i in range(17)]  # 0.20 .. 0.60


# -- data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    text: str
    gold: tuple[str, ...]  # file stems
    today: dt.date


def load_questions(path: Path) -> list[Question]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [
        Question(r["question"], tuple(r["gold"]), dt.date.fromisoformat(r["today"])) for r in rows
    ]


# -- scoring ----------------------------------------------------------------------------------


def doc_ranks(hits: Sequence[RetrievedPassage]) -> dict[str, int]:
    """doc_id -> 1-based rank among distinct docs; a collapsed duplicate gets its carrier's."""
    ranks: dict[str, int] = {}
    rank = 0
    for hit in hits:
        primary = hit.passage.doc_id
        if primary not in ranks:
            rank += 1
            ranks[primary] = rank
        for doc in hit.also_in_docs:
            ranks.setdefault(doc, ranks[primary])
    return ranks


def recall_at(ranks: dict[str, int], gold: set[str], cutoff: int = CUTOFF) -> float:
    return sum(1 for d in gold if ranks.get(d, cutoff + 1) <= cutoff) / len(gold)


def reciprocal_rank(ranks: dict[str, int], gold: set[str]) -> float:
    found = [ranks[d] for d in gold if d in ranks]
    return 1.0 / min(found) if found else 0.0


def best_dense(hits: Sequence[RetrievedPassage]) -> float:
    return max((h.dense for h in hits), default=0.0)


# -- the runs ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    question: str
    gold: list[str]
    mode: str
    recall: float
    rr: float
    ms: float
    top: list[str]  # stems of the top-5 distinct docs (collapsed ones in brackets)
    missed: list[str]
    distinct: int  # distinct docs in the k passages (< 5: recall@5 saw fewer than 5)
    fallback: bool = False
    period: str | None = None


@dataclass
class Refusal:
    question: str
    answerable: bool
    ask_best_dense: float  # what Assistant.ask would judge (k=6, date filter, fallback)
    global_best_dense: float  # the best cosine in the whole corpus (dense mode, top 1)
    period: str | None = None
    top: list[str] = field(default_factory=list)


def retrieve(
    bot: Assistant, q: Question, mode: str, k: int
) -> tuple[list[RetrievedPassage], bool, str | None]:
    """One question as `mode`; hybrid+date follows Assistant.ask (embed, filter, fallback)."""
    if mode != "hybrid+date":
        return bot.retriever.retrieve(q.text, k, Filters(), mode=mode), False, None
    period = find_period(q.text, q.today)
    vector = bot.embedder.embed([q.text])[0]
    if period is None:
        return bot.retriever.retrieve(q.text, k, Filters(), vector=vector), False, None
    hits = bot.retriever.retrieve(q.text, k, Filters(period.since, period.until), vector=vector)
    if hits and best_dense(hits) >= RELEVANCE_COSINE:
        return hits, False, period.phrase
    # As Assistant.ask: a date in the question can name the event, not the report.
    return bot.retriever.retrieve(q.text, k, Filters(), vector=vector), True, period.phrase


def ask_best_dense(bot: Assistant, q: Question) -> tuple[float, str | None, list[RetrievedPassage]]:
    """The best cosine `Assistant.ask` would test against RELEVANCE_COSINE, for any threshold.

    ask answers iff the filtered search passes the threshold, or (after the fallback) the
    unfiltered one does: so its effective score is the max of the two.
    """
    period = find_period(q.text, q.today)
    vector = bot.embedder.embed([q.text])[0]
    plain = bot.retriever.retrieve(q.text, ASK_K, Filters(), vector=vector)
    if period is None:
        return best_dense(plain), None, plain
    dated = bot.retriever.retrieve(
        q.text, ASK_K, Filters(period.since, period.until), vector=vector
    )
    best = max(best_dense(dated), best_dense(plain))
    shown = dated if dated and best_dense(dated) >= RELEVANCE_COSINE else plain
    return best, period.phrase, shown


def threshold_errors(refusals: Sequence[Refusal], t: float) -> tuple[int, int]:
    """(answerable questions refused, unanswerable questions answered) at threshold t."""
    wrong_refusals = sum(1 for r in refusals if r.answerable and r.ask_best_dense < t)
    wrong_answers = sum(1 for r in refusals if not r.answerable and r.ask_best_dense >= t)
    return wrong_refusals, wrong_answers


def suggest_threshold(refusals: Sequence[Refusal]) -> dict[str, Any]:
    """The cut between two neighbouring scores with the fewest errors (ties: fewer wrong
    answers, then the widest gap), placed at the middle of that gap."""
    yes = [r.ask_best_dense for r in refusals if r.answerable]
    no = [r.ask_best_dense for r in refusals if not r.answerable]
    if not yes or not no:
        return {"threshold": None, "why": "needs both answerable and unanswerable questions"}
    scores = sorted(set(yes + no))
    cuts = [(round((a + b) / 2, 3), b - a) for a, b in zip(scores, scores[1:], strict=False)]

    def key(cut: tuple[float, float]) -> tuple[int, int, float]:
        refused, answered = threshold_errors(refusals, cut[0])
        return refused + answered, answered, -cut[1]

    t, gap = min(cuts, key=key)
    separate = max(no) < min(yes)
    return {
        "threshold": t,
        "why": (
            f"the groups separate (unanswerable max {max(no):.3f} < answerable min {min(yes):.3f})"
            if separate
            else "the groups overlap; fewest errors, then fewest wrong answers, then widest gap"
        )
        + f"; gap {gap:.3f} wide",
        "errors": threshold_errors(refusals, t),
    }


# -- machine ----------------------------------------------------------------------------------


# -- report -----------------------------------------------------------------------------------


def _stems(ranks: dict[str, int], carriers: set[str], stem_of: dict[str, str]) -> list[str]:
    order = sorted((r, d) for d, r in ranks.items() if r <= CUTOFF)
    return [stem_of.get(d, d) if d in carriers else f"[{stem_of.get(d, d)}]" for _, d in order]


def render_markdown(result: dict[str, Any]) -> str:
    m, c = result["machine"], result["config"]
    lines = [
        f"# Retrieval on the demo corpus ({c['answerable']} answerable questions, "
        f"{c['unanswerable']} unanswerable; runtime {c.get('embedding_runtime', 'onnx')})",
        "",
        "| config | recall@5 | MRR | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['config']} | {row['recall@5']:.3f} | {row['mrr']:.3f} | "
            f"{row['p50_ms']:.1f} | {row['p95_ms']:.1f} |"
        )
    lines += [
        "",
        f"commit {m['commit']} · {m['cpu_model']} × {m['cpu_count']} · torch threads "
        f"{m['torch_threads']} · load {m['loadavg_start']} -> {m['loadavg_end']} · Python "
        f"{m['python']} · {m['date']}",
        f"embedder {c['embedder']} · chunks {c['chunk_sentences']} sentences, overlap "
        f"{c['chunk_overlap']} · ledger {c['ledger']} · {c['articles']} articles, "
        f"{c['passages']} passages · k={c['k']} · ingest {c['ingest_s']:.1f} s",
        "",
        "recall@5: share of gold docs among the first 5 distinct doc_ids (a collapsed "
        "near-duplicate counts at its carrier's rank). MRR: first gold doc. hybrid+date: "
        "`find_period` -> "
        "`Filters(since, until)`, rerun without the date when nothing passes RELEVANCE_COSINE "
        f"({c['date_questions']} questions name a date; {c['fallbacks']} fell back). Latency: one "
        "question, embedding included.",
        "",
        f"With k={c['k']} passages, fewer than 5 distinct docs came back for "
        + ", ".join(f"{r['short']}/{r['questions']} ({r['config']})" for r in result["rows"])
        + " questions: a doc has ~5 passages and the best ones cluster, so recall@5 there is "
        "recall over fewer docs (`--k 30` retrieves deeper).",
        "",
        "## Refusal threshold",
        "",
        f"Best `dense` score of what `Assistant.ask` retrieves (k={ASK_K}, date filter and "
        "fallback), by group:",
        "",
        "| group | n | min | median | max |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, dist in result["refusal"]["distribution"].items():
        lines.append(
            f"| {name} | {dist['n']} | {dist['min']:.3f} | {dist['median']:.3f} "
            f"| {dist['max']:.3f} |"
        )
    ref = result["refusal"]
    wr, wa = ref["current"]["wrong_refusals"], ref["current"]["wrong_answers"]
    lines += [
        "",
        f"`RELEVANCE_COSINE = {ref['current']['threshold']}`: {wr}/{c['answerable']} answerable "
        f"questions wrongly refused, {wa}/{c['unanswerable']} unanswerable ones wrongly answered.",
        "",
        "| threshold | answerable refused | unanswerable answered |",
        "|---:|---:|---:|",
    ]
    for t, (r_, a_) in ref["sweep"]:
        lines.append(f"| {t:.3f} | {r_} | {a_} |")
    sug = ref["suggestion"]
    if sug.get("threshold") is not None:
        lines += [
            "",
            f"Suggested: {sug['threshold']:.3f} ({sug['why']}; errors {tuple(sug['errors'])}).",
        ]
    lines += ["", "Unanswerable questions (best dense, top docs):", ""]
    for r in ref["unanswerable"]:
        lines.append(f"- {r['ask_best_dense']:.3f} — {r['question']} → {', '.join(r['top'][:3])}")
    lines += ["", "Lowest-scoring answerable questions:", ""]
    for r in ref["lowest_answerable"]:
        lines.append(f"- {r['ask_best_dense']:.3f} — {r['question']}")
    lines += ["", "## Misses (gold docs outside the top 5)", ""]
    for mode in MODES:
        misses = [o for o in result["outcomes"] if o["mode"] == mode and o["missed"]]
        lines.append(f"**{mode}** ({len(misses)} questions)")
        lines.append("")
        for o in misses:
            extra = (
                f" (date '{o['period']}'{', fell back' if o['fallback'] else ''})"
                if o["period"]
                else ""
            )
            lines.append(
                f"- {o['question']}{extra}: missed {', '.join(o['missed'])}; "
                f"top 5 {', '.join(o['top'])}"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# -- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--out", type=Path, help="also write the markdown report here")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument(
        "--embedding-model", default="minilm", help="'minilm' or a sentence-transformers folder"
    )
    parser.add_argument("--k", type=int, default=K, help="passages retrieved per question")
    parser.add_argument("--repeat", type=int, default=1, help="timed passes per question and mode")
    parser.add_argument(
        "--runtimes",
        default="onnx",
        help="comma-separated embedders: torch, onnx (the default quantization), onnx:fp32, "
        "onnx:int8; more than one evaluates each on its own fresh store in this one process "
        "and adds a comparison table (each row against the first)",
    )
    args = parser.parse_args(argv)

    results: list[dict[str, Any]] = []
    for runtime in [r.strip() for r in args.runtimes.split(",") if r.strip()]:
        result = evaluate(args, runtime)
        if result is None:
            return 1
        results.append(result)
    markdown = "\n".join(render_markdown(r) for r in results)
    if len(results) > 1:
        markdown = render_comparison(results) + "\n" + markdown
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(markdown, "utf-8")
        log(f"wrote {args.out}")
    if args.json:
        print(json.dumps(results[0] if len(results) == 1 else results, indent=2, default=str))
    else:
        print(markdown)
    return 0


RUNTIME_TOLERANCE = 0.01  # issue 14: recall@5 and MRR within 0.01 of the torch path


def render_comparison(results: list[dict[str, Any]]) -> str:
    """recall@5 / MRR per mode and runtime, each against the first runtime's numbers."""
    base = results[0]
    base_rows = {r["config"]: r for r in base["rows"]}
    names = [r["config"]["embedding_runtime"] for r in results]
    lines = [
        f"# Retrieval by embedding runtime ({', '.join(names)}; one process, a fresh store each)",
        "",
        "| runtime | mode | recall@5 | MRR | Δ recall@5 | Δ MRR | within "
        f"{RUNTIME_TOLERANCE} | p50 ms |",
        "|---|---|---:|---:|---:|---:|---|---:|",
    ]
    for result in results:
        for row in result["rows"]:
            ref = base_rows[row["config"]]
            d_recall = row["recall@5"] - ref["recall@5"]
            d_mrr = row["mrr"] - ref["mrr"]
            ok = abs(d_recall) <= RUNTIME_TOLERANCE and abs(d_mrr) <= RUNTIME_TOLERANCE
            lines.append(
                f"| {result['config']['embedding_runtime']} | {row['config']} | "
                f"{row['recall@5']:.3f} | {row['mrr']:.3f} | {d_recall:+.3f} | {d_mrr:+.3f} | "
                f"{'yes' if ok else 'NO'} | {row['p50_ms']:.1f} |"
            )
    lines += [
        "",
        f"Δ: difference to the {names[0]} row of the same mode. Embedders: "
        + "; ".join(
            f"{r['config']['embedding_runtime']} = {r['config']['embedder']}" for r in results
        )
        + f". Load average {results[0]['machine']['loadavg_start']} at start, "
        f"{results[-1]['machine']['loadavg_end']} at end.",
        "",
    ]
    return "\n".join(lines)


def evaluate(args: argparse.Namespace, runtime: str) -> dict[str, Any] | None:
    """The whole evaluation on a fresh store embedded by `runtime` ('torch', 'onnx' or
    'onnx:<quantization>'); None when ingest failed."""
    questions = load_questions(args.questions)
    engine, _, quantization = runtime.partition(":")
    loadavg_start = tuple(round(x, 2) for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="briefing-retrieval-") as tmp:
        settings = Settings(
            data_dir=Path(tmp) / "data",
            embedding_model=args.embedding_model,
            embedding_runtime=engine,
            **({"embedding_quantization": quantization} if quantization else {}),
        )
        bot = Assistant(settings)
        log(f"ingesting {CORPUS} with {args.embedding_model} ({runtime}) into {settings.data_dir}")
        t0 = time.perf_counter()
        report = bot.ingest([CORPUS])
        ingest_s = time.perf_counter() - t0
        if report.failed:
            for failure in report.failed:
                log(f"failed: {failure}")
            return None
        articles = bot.db.articles()
        stem_of = {a.doc_id: Path(a.source_path).stem for a in articles if a.source_path}
        doc_of = {stem: doc for doc, stem in stem_of.items()}
        passages = bot.db.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        unknown = sorted({s for q in questions for s in q.gold if s not in doc_of})
        if unknown:
            log(f"gold stems not in the corpus: {unknown}")
            return None

        # Warm-up: model, Chroma and the BM25 index load outside the clocks.
        for mode in ("dense", "bm25", "hybrid"):
            bot.retriever.retrieve("warm up", args.k, Filters(), mode=mode)

        answerable = [q for q in questions if q.gold]
        outcomes: list[Outcome] = []
        timings: dict[str, list[float]] = {mode: [] for mode in MODES}
        fallbacks = 0
        for q in answerable:
            gold = {doc_of[s] for s in q.gold}
            for mode in MODES:
                for _ in range(max(1, args.repeat)):
                    t = time.perf_counter()
                    hits, fell_back, phrase = retrieve(bot, q, mode, args.k)
                    timings[mode].append((time.perf_counter() - t) * 1000)
                ranks = doc_ranks(hits)
                carriers = {h.passage.doc_id for h in hits}
                fallbacks += int(fell_back)
                outcomes.append(
                    Outcome(
                        q.text,
                        list(q.gold),
                        mode,
                        recall_at(ranks, gold),
                        reciprocal_rank(ranks, gold),
                        statistics.median(timings[mode][-max(1, args.repeat) :]),
                        _stems(ranks, carriers, stem_of),
                        sorted(stem_of[d] for d in gold if ranks.get(d, CUTOFF + 1) > CUTOFF),
                        len(ranks),
                        fell_back,
                        phrase,
                    )
                )
        rows = []
        for mode in MODES:
            mine = [o for o in outcomes if o.mode == mode]
            rows.append(
                {
                    "config": mode,
                    "recall@5": statistics.fmean(o.recall for o in mine),
                    "mrr": statistics.fmean(o.rr for o in mine),
                    "p50_ms": percentile(timings[mode], 50),
                    "p95_ms": percentile(timings[mode], 95),
                    "questions": len(mine),
                    "perfect": sum(1 for o in mine if o.recall == 1.0),
                    "missed_any": sum(1 for o in mine if o.missed),
                    "short": sum(1 for o in mine if o.distinct < CUTOFF),
                }
            )

        refusals = []
        for q in questions:
            best, phrase, shown = ask_best_dense(bot, q)
            top1 = bot.retriever.retrieve(q.text, 1, Filters(), mode="dense")
            refusals.append(
                Refusal(
                    q.text,
                    bool(q.gold),
                    best,
                    best_dense(top1),
                    phrase,
                    list(
                        dict.fromkeys(
                            stem_of.get(h.passage.doc_id, h.passage.doc_id) for h in shown
                        )
                    ),
                )
            )
        defaults = bot.settings
        embedder_name = bot.embedder.name
        torch_threads = _torch_threads()

    def dist(values: list[float]) -> dict[str, Any]:
        return {
            "n": len(values),
            "min": min(values),
            "median": statistics.median(values),
            "max": max(values),
        }

    yes = [r for r in refusals if r.answerable]
    no = [r for r in refusals if not r.answerable]
    wr, wa = threshold_errors(refusals, RELEVANCE_COSINE)
    result: dict[str, Any] = {
        "config": {
            "embedder": embedder_name,
            "embedding_model": args.embedding_model,
            "embedding_runtime": runtime,
            "chunk_sentences": defaults.chunk_sentences,
            "chunk_overlap": defaults.chunk_overlap,
            "ledger": defaults.ledger,
            "articles": len(articles),
            "passages": passages,
            "k": args.k,
            "answerable": len(yes),
            "unanswerable": len(no),
            "date_questions": sum(1 for o in outcomes if o.mode == "hybrid+date" and o.period),
            "fallbacks": fallbacks,
            "ingest_s": ingest_s,
            "repeat": args.repeat,
        },
        "rows": rows,
        "refusal": {
            "distribution": {
                "answerable": dist([r.ask_best_dense for r in yes]),
                "unanswerable": dist([r.ask_best_dense for r in no]),
                "answerable (global best cosine)": dist([r.global_best_dense for r in yes]),
                "unanswerable (global best cosine)": dist([r.global_best_dense for r in no]),
            },
            "current": {"threshold": RELEVANCE_COSINE, "wrong_refusals": wr, "wrong_answers": wa},
            "sweep": [(t, threshold_errors(refusals, t)) for t in SWEEP],
            "suggestion": suggest_threshold(refusals),
            "unanswerable": [r.__dict__ for r in no],
            "lowest_answerable": [
                r.__dict__ for r in sorted(yes, key=lambda r: r.ask_best_dense)[:5]
            ],
            "all": [r.__dict__ for r in refusals],
        },
        "outcomes": [o.__dict__ for o in outcomes],
        "machine": {
            "cpu_count": os.cpu_count(),
            "cpu_model": cpu_model(),
            "torch_threads": torch_threads,
            "loadavg_start": loadavg_start,
            "loadavg_end": tuple(round(x, 2) for x in os.getloadavg()),
            "python": platform.python_version(),
            "commit": git_commit(),
            "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        },
    }
    return result


def _torch_threads() -> int | None:
    try:
        import torch

        return int(torch.get_num_threads())
    except ImportError:
        return None


if __name__ == "__main__":
    sys.exit(main())
