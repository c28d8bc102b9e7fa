"""Shared fixtures: temp settings, deterministic fakes, the seed article, real models once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from assistant.settings import Settings
from ingest.embedding import HashEmbedder
from ingest.store import MemoryStore

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"
SEED_ARTICLE = SHARED / "data" / "seed" / "kalat-ani.txt"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's BRIEFING_* variables or .env file."""
    for key in list(os.environ):
        if key.startswith("BRIEFING_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", embedding_model="hash")


class CountingEmbedder:
    """Wraps an embedder and counts how many texts it embedded."""

    def __init__(self, inner: HashEmbedder | None = None) -> None:
        self.inner = inner or HashEmbedder()
        self.name = self.inner.name
        self.dimension = self.inner.dimension
        self.calls = 0
        self.texts = 0

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        self.texts += len(texts)
        return self.inner.embed(texts)


@pytest.fixture
def hash_embedder() -> CountingEmbedder:
    return CountingEmbedder()


@pytest.fixture
def memory_store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def seed_article() -> Path:
    if not SEED_ARTICLE.exists():
        pytest.skip(f"shared data not found at {SEED_ARTICLE}")
    return SEED_ARTICLE


@pytest.fixture(scope="session")
def nlp_full():  # type: ignore[no-untyped-def]
    from ingest.sentences import load_nlp

    return load_nlp(full=True)


@pytest.fixture(scope="session")
def minilm():  # type: ignore[no-untyped-def]
    from ingest.embedding import MiniLMEmbedder

    return MiniLMEmbedder()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout_s: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout_s} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End a server a fixture started: terminate, then kill if it will not stop in 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:  # e.g. busy finishing work nobody waits for
        proc.kill()
        proc.wait(10)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real `chroma run` server on a free loopback port, torn down after the session."""
    path = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    log = (path / "server.log").open("wb")
    proc = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(path / "db"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, 60, proc)
        yield "127.0.0.1", port
    finally:
        stop(proc)
        log.close()
