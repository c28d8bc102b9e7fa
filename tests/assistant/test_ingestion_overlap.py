"""Ingest overlaps encoding one group with parsing the next (issue 14), writing in order."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

import assistant.ingestion as ingestion
from assistant.api import Assistant
from assistant.settings import Settings
from ingest.store import MemoryStore
from tests.conftest import CountingEmbedder


def _write(folder: Path, count: int) -> None:
    for i in range(count):
        (folder / f"a{i}.md").write_text(
            f"---\ntitle: Quay {i}\noutlet: Wire\npublished: 2026-03-11\n---\n\n"
            f"The quay crane number {i} stopped at dawn. Workers waited for repairs.\n"
        )


class GatedEmbedder(CountingEmbedder):
    """Encodes only once the next group's parse has begun (or after a timeout)."""

    def __init__(self) -> None:
        super().__init__()
        self.next_parse_started = threading.Event()
        self.overlapped: list[bool] = []
        self.threads: set[str] = set()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.threads.add(threading.current_thread().name)
        if not self.overlapped:  # the first group: wait for the second group's parse
            self.overlapped.append(self.next_parse_started.wait(timeout=10))
        return super().embed(texts)


def test_next_group_is_parsed_while_this_one_encodes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingestion, "GROUP_ARTICLES", 2)
    embedder = GatedEmbedder()
    bot = Assistant(
        Settings(data_dir=tmp_path / "d", embedding_model="hash", ledger=False),
        embedder=embedder,
        store=MemoryStore(),
    )
    prepare = ingestion.Ingestor._prepare
    calls = []

    def counting_prepare(self, articles):  # type: ignore[no-untyped-def]
        calls.append(len(articles))
        if len(calls) == 2:
            embedder.next_parse_started.set()
        return prepare(self, articles)

    monkeypatch.setattr(ingestion.Ingestor, "_prepare", counting_prepare)
    src = tmp_path / "src"
    src.mkdir()
    _write(src, 5)
    seen = []
    report = bot.ingest([src], progress=lambda done, total, _t: seen.append((done, total)))
    assert embedder.overlapped == [True]
    assert all(name.startswith("encode") for name in embedder.threads)
    assert calls == [1, 2, 2] and embedder.calls == 3  # the first group ramps up
    assert report.added == 5 and report.chunks == 5
    assert seen == [(0, 5), (1, 5), (3, 5), (5, 5)]
    assert len(bot.sources()) == 5
    assert bot.store.count() == 5


class FailingEmbedder(CountingEmbedder):
    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if self.calls == 1:
            raise RuntimeError("model fell over")
        return super().embed(texts)


def test_an_encode_error_in_the_worker_reaches_the_caller_and_nothing_later_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingestion, "GROUP_ARTICLES", 2)
    bot = Assistant(
        Settings(data_dir=tmp_path / "d", embedding_model="hash", ledger=False),
        embedder=FailingEmbedder(),
        store=MemoryStore(),
    )
    src = tmp_path / "src"
    src.mkdir()
    _write(src, 5)
    with pytest.raises(RuntimeError, match="model fell over"):
        bot.ingest([src])
    states = bot.db.states([a.doc_id for a in bot.db.articles()])
    complete = sorted(doc for doc, (_hash, state) in states.items() if state == "complete")
    assert len(complete) == 1  # the first group only; the failed one never became complete
    assert bot.store.count() == 1


def test_small_ingests_are_cut_into_a_few_groups_large_ones_into_full_groups() -> None:
    assert [ingestion.group_size(n) for n in (1, 3, 4, 5, 24, 128, 129, 5000)] == [
        1,
        1,
        1,
        2,
        6,
        32,
        32,
        32,
    ]


def test_the_first_groups_ramp_up_so_the_encode_starts_early() -> None:
    bounds = ingestion.group_bounds(150)
    sizes = [hi - lo for lo, hi in bounds]
    assert sizes[:4] == [4, 8, 16, 32]  # 32 // 8, then doubling up to the full group
    assert set(sizes[4:-1]) == {32}
    assert bounds[0][0] == 0 and bounds[-1][1] == 150
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))  # no gap, no overlap
    assert ingestion.group_bounds(0) == []
    assert ingestion.group_bounds(3) == [(0, 1), (1, 2), (2, 3)]
