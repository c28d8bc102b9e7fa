"""Signatures and LSH bands are datasketch's, bit for bit (datasketch is the oracle, in the test
extra only); near copies link, unrelated articles do not; the ingest imports no datasketch."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant import syndication
from assistant.lexical import shingles

ROOT = Path(__file__).resolve().parents[2]
WORDS = [
    "harbour", "council", "minister", "river", "bridge", "election",
    "vote", "union", "strike", "port", "ship", "crane",
]  # fmt: skip


def _text(rng: random.Random, n: int = 120) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


def _datasketch_values(text: str) -> np.ndarray:
    datasketch = pytest.importorskip("datasketch")
    minhash = datasketch.MinHash(
        num_perm=syndication.NUM_PERM,
        scheme="affine32",
        seed=syndication.SEED,
        hashfunc=syndication._shingle_hash,
    )
    minhash.update_batch([" ".join(s).encode("utf-8") for s in shingles(text)])
    return minhash.hashvalues.astype(np.uint32)  # type: ignore[no-any-return]


@pytest.mark.parametrize("n", [0, 1, 2, 3, 40, 400])
def test_signature_is_datasketchs_affine32_minhash(n: int) -> None:
    text = _text(random.Random(n), n) if n else ""
    assert np.array_equal(syndication.signature(text), _datasketch_values(text))


def test_bands_are_those_datasketch_picks_for_the_threshold() -> None:
    datasketch = pytest.importorskip("datasketch")
    lsh = datasketch.MinHashLSH(threshold=syndication.COPY_JACCARD, num_perm=syndication.NUM_PERM)
    assert (lsh.b, lsh.r) == (syndication.BANDS, syndication.ROWS)


def test_jaccard_estimate_tracks_the_true_overlap() -> None:
    rng = random.Random(3)
    base = [f"w{i}" for i in range(600)]
    copy = base[:450] + [f"x{i}" for i in range(150)]  # 3-shingles mostly shared
    one, other = (syndication.signature(" ".join(t)) for t in (base, copy))
    a = {tuple(s) for s in shingles(" ".join(base))}
    b = {tuple(s) for s in shingles(" ".join(copy))}
    true = len(a & b) / len(a | b)
    assert abs(syndication.jaccard(one, other) - true) < 0.12
    assert syndication.jaccard(one, syndication.signature(_text(rng))) < 0.1
    assert syndication.jaccard(one, one) == 1.0


def test_copies_share_a_band_and_unrelated_texts_rarely_do() -> None:
    rng = random.Random(7)
    text = " ".join(f"w{i}" for i in range(300))
    edited = text.replace("w150", "changed") + " and a closing line"
    keys = set(syndication._band_keys(syndication.signature(text)))
    assert keys & set(syndication._band_keys(syndication.signature(edited)))
    strangers = sum(
        bool(keys & set(syndication._band_keys(syndication.signature(_text(rng)))))
        for _ in range(50)
    )
    assert strangers == 0


def test_ingest_and_linking_import_no_datasketch(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from assistant.api import Assistant\n"
        "from assistant.settings import Settings\n"
        f"bot = Assistant(Settings(data_dir={str(tmp_path / 'data')!r}, embedding_model='hash', "
        "ledger=False))\n"
        f"src = {str(tmp_path / 'src')!r}\n"
        "report = bot.ingest([src])\n"
        "print(report.added, len(bot.copies_of(report.doc_ids)), 'datasketch' in sys.modules)\n"
    )
    src = tmp_path / "src"
    src.mkdir()
    body = " ".join(f"word{i}" for i in range(200))
    (src / "a.md").write_text(f"---\ntitle: One\npublished: 2026-03-01\n---\n{body}.\n")
    (src / "b.md").write_text(f"---\ntitle: Two\npublished: 2026-03-02\n---\n{body} more.\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-3:] == ["2", "1", "False"]
