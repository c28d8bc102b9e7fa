"""Embedders: the ONNX export against torch, the export cache key, identities."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from ingest.embedding import (
    HashEmbedder,
    bundled_minilm_path,
    embedder_identity,
    onnx_cache_path,
)
from ingest.onnx_export import EXPORT_VERSION

TEXTS = [
    "The army said on Tuesday that it had killed 23 militants near the border.",
    "Inflation reached 7.2 percent in March, according to the statistics office.",
    "Residents gathered outside the town hall to protest against the new tariffs.",
    "ok",
    " ".join(["A very long paragraph that runs past the model's token limit."] * 60),
]


def _fake_model(folder: Path, weights: bytes = b"w" * 10) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps({"hidden_size": 8}))
    (folder / "model.safetensors").write_bytes(weights)
    return folder


def test_cache_key_changes_with_quantization_weights_and_export_version(tmp_path: Path) -> None:
    model = _fake_model(tmp_path / "m")
    fp32 = onnx_cache_path(tmp_path / "cache", model, "mini", "fp32")
    int8 = onnx_cache_path(tmp_path / "cache", model, "mini", "int8")
    assert fp32.parent == int8.parent and fp32 != int8
    assert fp32.is_relative_to(tmp_path / "cache")
    assert f"-v{EXPORT_VERSION}-" in fp32.parent.name and fp32.parent.name.startswith("mini-")
    # the same files give the same key; rewritten weights give another
    assert onnx_cache_path(tmp_path / "cache", model, "mini", "fp32") == fp32
    stat = (model / "model.safetensors").stat()
    _fake_model(model, b"x" * 11)
    os.utime(model / "model.safetensors", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert onnx_cache_path(tmp_path / "cache", model, "mini", "fp32") != fp32


def test_identities_name_model_runtime_and_quantization() -> None:
    assert embedder_identity("all-MiniLM-L6-v2", "onnx", "int8") == (
        "all-MiniLM-L6-v2 (onnx, int8 per-channel 7-bit, FFN output fp32)"
    )
    assert embedder_identity("m", "onnx", "fp32") == "m (onnx, fp32)"
    assert embedder_identity("m", "torch") != embedder_identity("m", "onnx")
    assert HashEmbedder(dimension=16).identity == "hash-16"


def test_unknown_quantization_is_a_config_error(tmp_path: Path) -> None:
    from ingest.embedding import OnnxMiniLMEmbedder
    from ingest.errors import ConfigError

    with pytest.raises(ConfigError, match="BRIEFING_EMBEDDING_QUANTIZATION='int4'"):
        OnnxMiniLMEmbedder(tmp_path, quantization="int4")


@pytest.fixture(scope="session")
def onnx_embedder(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from ingest.embedding import OnnxMiniLMEmbedder

    return OnnxMiniLMEmbedder(tmp_path_factory.mktemp("model-cache"))


@pytest.mark.integration
def test_onnx_export_matches_torch_sentence_transformers(onnx_embedder, minilm) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    assert onnx_embedder.onnx_path.exists()
    assert onnx_embedder.identity == "all-MiniLM-L6-v2 (onnx, fp32)"
    assert onnx_embedder.dimension == minilm.dimension == 384
    ours = np.array(onnx_embedder.embed(TEXTS))
    theirs = np.array(minilm.embed(TEXTS))
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() >= 0.99, cosines
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    # rows come back in input order whatever the length sorting inside did
    single = np.array(onnx_embedder.embed([TEXTS[3]]))[0]
    assert float(single @ ours[3]) > 0.9999
    assert onnx_embedder.embed([]) == []


@pytest.mark.integration
def test_int8_export_keeps_the_sensitive_products_in_float_and_stays_close_to_torch(
    tmp_path: Path,
    minilm,  # type: ignore[no-untyped-def]
) -> None:
    import numpy as np
    import onnx

    from ingest.embedding import OnnxMiniLMEmbedder

    int8 = OnnxMiniLMEmbedder(tmp_path, quantization="int8")
    assert int8.onnx_path.name == "model-int8.onnx"
    kinds = {n.name: n.op_type for n in onnx.load(str(int8.onnx_path)).graph.node}
    for layer in range(6):
        p = f"encoder.layer.{layer}"
        # the feed-forward output projection and the attention products stay float MatMul
        assert kinds[f"{p}.output.dense.matmul"] == "MatMul"
        assert kinds[f"{p}.attention.scores"] == "MatMul"
        assert kinds[f"{p}.attention.context"] == "MatMul"
        # every other weight matrix is int8
        for name in ("attention.self.query", "attention.output.dense", "intermediate.dense"):
            assert kinds[f"{p}.{name}.matmul_quant"] == "MatMulInteger"
    ours = np.array(int8.embed(TEXTS))
    theirs = np.array(minilm.embed(TEXTS))
    cosines = (ours * theirs).sum(axis=1)
    sentences = [i for i, t in enumerate(TEXTS) if len(t.split()) > 3]
    assert cosines[sentences].min() >= 0.99, cosines
    # a one-word text has little to average the rounding over: measured 0.978
    assert cosines.min() >= 0.97, cosines
    assert cosines.min() < 0.99999  # quantized: close, not identical
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


@pytest.mark.integration
def test_onnx_embedder_loads_the_cached_export_without_exporting_again(
    onnx_embedder,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ingest.onnx_export
    from ingest.embedding import OnnxMiniLMEmbedder

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("exported again")

    monkeypatch.setattr(ingest.onnx_export, "export_sentence_encoder", refuse)
    again = OnnxMiniLMEmbedder(onnx_embedder.onnx_path.parents[2])
    assert again.onnx_path == onnx_embedder.onnx_path
    assert again.embed(["ok"]) == onnx_embedder.embed(["ok"])


def test_bundled_weights_are_there() -> None:
    path = bundled_minilm_path()
    assert (path / "model.safetensors").exists() and (path / "tokenizer.json").exists()


def test_stale_onnx_exports_are_pruned_and_the_current_one_kept(tmp_path):
    import os
    import time

    from ingest.embedding import prune_stale_exports

    onnx = tmp_path / "onnx"
    current = onnx / "model-A-v2-v1-aaaaaaaaaaaa"
    old = onnx / "model-A-v2-v1-bbbbbbbbbbbb"
    recent = onnx / "model-A-v2-v0-cccccccccccc"
    other_model = onnx / "model-B-v1-dddddddddddd"
    for folder in (current, old, recent, other_model):
        folder.mkdir(parents=True)
        (folder / "model-fp32.onnx").write_bytes(b"x")
    long_ago = time.time() - 90 * 86400
    for folder in (current, old, other_model):
        os.utime(folder, (long_ago, long_ago))

    removed = prune_stale_exports(current)

    assert removed == [old]
    assert current.exists() and recent.exists() and other_model.exists()
    assert current.stat().st_mtime > long_ago  # marked as used now


class _FakeEncoding:
    def __init__(self, text: str) -> None:
        self.ids = [len(word) for word in text.split()] or [1]


class _FakeTokenizer:
    def encode_batch(self, texts: list[str], add_special_tokens: bool = True) -> list[Any]:
        return [_FakeEncoding(t) for t in texts]


class _FakeSession:
    """Returns, per row, [sum of its ids, its real length]: what a row was fed is checkable."""

    def __init__(self, fail_on: int | None = None) -> None:
        self.fail_on = fail_on
        self.batches: list[int] = []

    def run(self, _: object, feed: dict[str, Any]) -> list[Any]:
        import numpy as np

        ids, mask = feed["input_ids"], feed["attention_mask"]
        self.batches.append(len(ids))
        if self.fail_on is not None and (ids == self.fail_on).any():
            raise RuntimeError("bad batch")
        return [np.stack([(ids * mask).sum(1), mask.sum(1)], axis=1).astype(np.float32)]


def _fake_embedder(workers: int, session: _FakeSession) -> Any:
    from ingest.embedding import OnnxMiniLMEmbedder

    embedder = OnnxMiniLMEmbedder.__new__(OnnxMiniLMEmbedder)
    embedder.batch_size, embedder.workers, embedder.dimension = 3, workers, 2
    embedder.onnx_path = Path("fake.onnx")
    embedder._tokenizer = _FakeTokenizer()  # type: ignore[assignment]
    embedder._session = session  # type: ignore[assignment]
    return embedder


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_batches_run_side_by_side_keep_every_row_in_input_order(workers: int) -> None:
    texts = [" ".join("w" * (i % 5 + 1) for _ in range(i % 7 + 1)) for i in range(17)]
    session = _FakeSession()
    vectors = _fake_embedder(workers, session).embed(texts)
    expected = [[float(sum(_FakeEncoding(t).ids)), float(len(_FakeEncoding(t).ids))] for t in texts]
    assert vectors == expected
    assert sorted(session.batches) == sorted([3] * 5 + [2])  # 17 texts in batches of 3


def test_a_failing_batch_on_a_worker_is_a_model_error() -> None:
    from ingest.errors import ModelError

    texts = ["a bb", "ccc dddd eeeee", "ffffff", "g", "hh ii", "jjj"]
    with pytest.raises(ModelError, match="ONNX Runtime failed"):
        _fake_embedder(2, _FakeSession(fail_on=6)).embed(texts)


@pytest.mark.integration
def test_onnx_vectors_do_not_depend_on_the_worker_count(onnx_embedder) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from ingest.embedding import OnnxMiniLMEmbedder

    one = OnnxMiniLMEmbedder(onnx_embedder.onnx_path.parents[2], batch_size=2, workers=1)
    two = OnnxMiniLMEmbedder(onnx_embedder.onnx_path.parents[2], batch_size=2, workers=2)
    assert np.allclose(one.embed_array(TEXTS), two.embed_array(TEXTS), atol=1e-6)


@pytest.mark.parametrize(
    ("count", "batch", "workers", "sizes"),
    [
        (80, 16, 2, [14, 14, 13, 13, 13, 13]),  # 6 batches, not 5: no worker left alone
        (64, 16, 2, [16, 16, 16, 16]),
        (10, 16, 2, [5, 5]),
        (1, 16, 2, [1]),
        (33, 16, 1, [11, 11, 11]),
        (0, 16, 2, []),
    ],
)
def test_batches_are_even_and_a_multiple_of_the_workers(
    count: int, batch: int, workers: int, sizes: list[int]
) -> None:
    from ingest.embedding import batch_rows

    rows = batch_rows(list(range(count)), batch, workers)
    assert [len(r) for r in rows] == sizes
    assert [i for r in rows for i in r] == list(range(count))  # order kept, nothing lost
    assert all(len(r) <= batch for r in rows)
