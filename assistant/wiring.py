"""Settings -> concrete services. The only place that chooses an implementation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import ConfigError

if TYPE_CHECKING:
    from assistant.llm.chat import ChatModel
    from assistant.settings import Settings
    from ingest.embedding import Embedder
    from ingest.store import VectorStore

MINILM = "all-MiniLM-L6-v2"


def model_cache_dir(settings: Settings) -> Path:
    return settings.model_cache_dir or Path.home() / ".cache" / "briefing-assistant"


def embedder_identity(settings: Settings) -> str:
    """The identity `make_embedder(settings)` will have, known without loading any model."""
    from ingest.embedding import embedder_identity as identity

    name = settings.embedding_model
    if name.startswith("hash"):
        return "hash-256"
    model = MINILM if name == "minilm" else Path(name).name
    quantization = (
        settings.embedding_quantization if settings.embedding_runtime == "onnx" else "fp32"
    )
    return identity(model, settings.embedding_runtime, quantization)


def legacy_identity(stored: str) -> str:
    """A store from before identities were recorded kept only BRIEFING_EMBEDDING_MODEL; those
    vectors came from torch."""
    from ingest.embedding import embedder_identity as identity

    if stored.startswith("hash"):
        return "hash-256"
    return identity(MINILM if stored in ("minilm", MINILM) else Path(stored).name, "torch")


def make_embedder(settings: Settings) -> Embedder:
    from ingest.embedding import HashEmbedder, MiniLMEmbedder, OnnxMiniLMEmbedder

    name = settings.embedding_model
    if name.startswith("hash"):
        return HashEmbedder()
    path: Path | None = None
    if name != "minilm":
        path = Path(name)
        if not path.is_dir():
            raise ConfigError(
                f"BRIEFING_EMBEDDING_MODEL={name!r} is neither 'minilm', 'hash' nor a folder "
                "holding a sentence-transformers model"
            )
    if settings.embedding_runtime == "torch":
        return MiniLMEmbedder(path, batch_size=settings.embedding_batch_size or 64)
    # Small batches of length-sorted texts: 2.45 x torch's throughput at 16, 1.44 x at 64
    # (212 texts, one run, benchmarks/results/embedding_agreement.md).
    return OnnxMiniLMEmbedder(
        model_cache_dir(settings),
        path,
        quantization=settings.embedding_quantization,
        batch_size=settings.embedding_batch_size or 16,
    )


def make_store(settings: Settings, version: Callable[[], str] | None = None) -> VectorStore:
    """The configured store. Embedded Chroma with a `version` (changing whenever the stored
    vectors change) reads through a numpy snapshot, so a cold question never imports chromadb."""
    from ingest.store import ChromaStore

    if settings.chroma_mode == "http":
        token = settings.chroma_token.get_secret_value() if settings.chroma_token else None
        return ChromaStore.server(
            settings.chroma_host,
            settings.chroma_port,
            settings.collection,
            token=token,
            ssl=settings.chroma_ssl,
        )
    if version is None:
        return ChromaStore.embedded(settings.chroma_path, settings.collection)
    from ingest.vector_snapshot import SnapshotStore

    return SnapshotStore(
        lambda: ChromaStore.embedded(settings.chroma_path, settings.collection),
        settings.data_dir / "vector_snapshot" / settings.collection,
        version,
    )


def make_chat_model(settings: Settings) -> ChatModel | None:
    """The configured OpenAI-compatible chat model, or None when no base URL is set."""
    if not settings.llm_base_url:
        return None
    from assistant.llm.chat import OpenAIChatModel

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return OpenAIChatModel(
        settings.llm_base_url,
        settings.llm_model,
        key,
        settings.llm_timeout_s,
        settings.llm_max_tokens,
    )
