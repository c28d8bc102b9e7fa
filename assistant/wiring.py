"""Settings -> concrete services. The only place that chooses an implementation."""

from __future__ import annotations

from pathlib import Path

from assistant.llm.chat import ChatModel, OpenAIChatModel
from assistant.settings import Settings
from ingest.embedding import Embedder, HashEmbedder, MiniLMEmbedder
from ingest.errors import ConfigError
from ingest.store import ChromaStore, VectorStore


def make_embedder(settings: Settings) -> Embedder:
    name = settings.embedding_model
    if name == "minilm":
        return MiniLMEmbedder(batch_size=settings.embedding_batch_size)
    if name.startswith("hash"):
        return HashEmbedder()
    path = Path(name)
    if not path.is_dir():
        raise ConfigError(
            f"BRIEFING_EMBEDDING_MODEL={name!r} is neither 'minilm', 'hash' nor a folder "
            "holding a sentence-transformers model"
        )
    return MiniLMEmbedder(path, batch_size=settings.embedding_batch_size)


def make_store(settings: Settings) -> VectorStore:
    if settings.chroma_mode == "http":
        token = settings.chroma_token.get_secret_value() if settings.chroma_token else None
        return ChromaStore.server(
            settings.chroma_host,
            settings.chroma_port,
            settings.collection,
            token=token,
            ssl=settings.chroma_ssl,
        )
    return ChromaStore.embedded(settings.chroma_path, settings.collection)


def make_chat_model(settings: Settings) -> ChatModel | None:
    """The configured OpenAI-compatible chat model, or None when no base URL is set."""
    if not settings.llm_base_url:
        return None
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return OpenAIChatModel(
        settings.llm_base_url,
        settings.llm_model,
        key,
        settings.llm_timeout_s,
        settings.llm_max_tokens,
    )
