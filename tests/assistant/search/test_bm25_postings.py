from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.search.retrieval import BM25Postings

CORPUS = [
    ["crane", "collapsed", "harbour", "dawn"],
    ["bridge", "reopened", "friday", "repairs", "bridge"],
    ["harbour", "strike", "crane", "drivers", "strike"],
    ["council", "vote", "budget"],
    ["strike", "ended", "friday"],
]


@pytest.mark.parametrize("method", ["lucene", "bm25+"])
def test_saved_postings_score_like_bm25s(tmp_path: Path, method: str) -> None:
    import bm25s

    model = bm25s.BM25(method=method)
    model.index(CORPUS, show_progress=False)
    model.save(str(tmp_path / "index"))
    loaded = BM25Postings.load(tmp_path / "index")
    fresh = BM25Postings.of_model(model)
    for query in (["crane", "harbour"], ["strike", "strike", "friday"], ["bridge", "unknown"]):
        known = [t for t in query if t in model.vocab_dict]
        expected = model.get_scores(known)
        np.testing.assert_allclose(loaded.scores(query), expected, rtol=1e-6)
        np.testing.assert_allclose(fresh.scores(query), expected, rtol=1e-6)


def test_top_keeps_positive_rows_best_first_and_honours_the_mask(tmp_path: Path) -> None:
    import bm25s

    model = bm25s.BM25()
    model.index(CORPUS, show_progress=False)
    postings = BM25Postings.of_model(model)
    top = postings.top(["strike"], 10)
    assert [row for row, _ in top] == [2, 4]  # twice in row 2; rows without it left out
    assert top[0][1] > top[1][1] > 0
    mask = np.zeros(len(CORPUS), dtype=np.float32)
    mask[4] = 1.0
    assert [row for row, _ in postings.top(["strike"], 10, mask)] == [4]
    assert postings.top(["nothing"], 10) == []
    assert len(postings.top(["strike", "crane", "friday"], 2)) == 2


def test_a_question_on_a_saved_index_imports_neither_bm25s_nor_scipy(tmp_path: Path) -> None:
    from assistant.api import Assistant
    from assistant.settings import Settings
    from ingest.store import MemoryStore
    from tests.conftest import CountingEmbedder

    settings = Settings(data_dir=tmp_path / "d", embedding_model="hash", ledger=False)
    bot = Assistant(settings, embedder=CountingEmbedder(), store=MemoryStore())
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.md").write_text(
        "---\ntitle: Crane\noutlet: Wire\npublished: 2026-03-11\n---\n\n"
        "The zorblat crane collapsed at dawn. Nobody was hurt.\n"
    )
    bot.ingest([src])
    expected = bot.retriever.bm25.search("zorblat crane", 5)
    assert len(expected) == 1
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from assistant.search.retrieval import BM25Index\n"
        "from ingest.database import ArticleDB\n"
        f"db = ArticleDB(Path({str(settings.sqlite_path)!r}))\n"
        f"hits = BM25Index(Path({str(settings.bm25_path)!r}), db).search('zorblat crane', 5)\n"
        "print(repr(hits))\n"
        "print(sorted(m for m in ('bm25s', 'scipy') if m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=root, check=True
    )
    hits_line, modules_line = done.stdout.strip().splitlines()
    assert hits_line == repr(expected)
    assert modules_line == "[]"


def test_tied_scores_are_cut_in_tie_rank_order() -> None:
    import bm25s

    model = bm25s.BM25()
    model.index([["quay", "fire"], ["quay", "fire"], ["quay", "fire"], ["other"]], False)
    postings = BM25Postings.of_model(model)
    assert [row for row, _ in postings.top(["fire"], 2)] == [0, 1]
    reverse = np.array([3, 2, 1, 0])
    assert [row for row, _ in postings.top(["fire"], 2, tie_rank=reverse)] == [2, 1]
